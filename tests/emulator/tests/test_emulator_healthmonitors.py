"""Health monitors: the /lbaas/healthmonitors resource and PUT /_emulator/healthmonitor attach and detach them."""

import time

from elb_emulator.config import PROJECT_ID, SUBNET_A1
from elb_emulator.demo import DEMO_MONITOR_ID, DEMO_POOL_ID

MONITORS = "/v2.0/lbaas/healthmonitors"


def _pool(api):
    lb = api.post("/v2.0/lbaas/loadbalancers", json={"loadbalancer": {"vip_subnet_id": SUBNET_A1}}).json()["loadbalancer"]
    body = {"loadbalancer_id": lb["id"], "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}
    return api.post("/v2.0/lbaas/pools", json={"pool": body}).json()["pool"]["id"]


def _monitor(pool_id, **changes):
    body = {"pool_id": pool_id, "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 3}
    body.update(changes)
    return {"healthmonitor": body}


def _status(api, pool_id):
    return api.get(api.members_path(pool_id)).json()["members"][0]["operating_status"]


def test_monitor_lifecycle_drives_member_status(api):
    api.config(health_delay=0.2)
    pool_id = _pool(api)
    api.create_member("10.0.0.1", pool_id=pool_id)
    assert _status(api, pool_id) == "NO_MONITOR"
    created = api.post(MONITORS, json=_monitor(pool_id, name="web", url_path="/health", delay="7"))
    assert created.status_code == 201, created.text
    monitor = created.json()["healthmonitor"]
    assert (monitor["name"], monitor["delay"], monitor["url_path"], monitor["http_method"]) == ("web", 7, "/health", "GET")
    assert monitor["pools"] == [{"id": pool_id}] and monitor["tenant_id"] == monitor["project_id"] == PROJECT_ID
    assert api.get("/v2.0/lbaas/pools/" + pool_id).json()["pool"]["healthmonitor_id"] == monitor["id"]
    # Existing members are checked from the moment the monitor is attached.
    assert _status(api, pool_id) == "OFFLINE"
    time.sleep(0.25)
    assert _status(api, pool_id) == "ONLINE"
    again = api.post(MONITORS, json=_monitor(pool_id))
    assert again.status_code == 409 and again.json()["NeutronError"]["type"] == "OneHealthMonitorPerPool"
    assert api.get(MONITORS + "/" + monitor["id"]).json()["healthmonitor"]["id"] == monitor["id"]
    ids = [item["id"] for item in api.get(MONITORS + "?type=HTTP").json()["healthmonitors"]]
    assert ids == [monitor["id"]]
    assert api.delete(MONITORS + "/" + monitor["id"]).status_code == 204
    assert api.get(MONITORS + "/" + monitor["id"]).status_code == 404
    assert _status(api, pool_id) == "NO_MONITOR"


def test_deleting_a_pool_deletes_its_monitor(api):
    pool_id = _pool(api)
    monitor_id = api.post(MONITORS, json=_monitor(pool_id)).json()["healthmonitor"]["id"]
    assert api.delete("/v2.0/lbaas/pools/" + pool_id).status_code == 204
    assert api.get(MONITORS + "/" + monitor_id).status_code == 404


def test_monitor_validation(api):
    pool_id = _pool(api)
    assert api.post(MONITORS, json=_monitor(pool_id, type="SMTP")).status_code == 400
    assert api.post(MONITORS, json=_monitor(pool_id, max_retries=11)).status_code == 400
    assert api.post(MONITORS, json=_monitor(pool_id, delay=1.5)).status_code == 400
    assert api.post(MONITORS, json=_monitor(pool_id, colour="red")).status_code == 400
    missing = api.post(MONITORS, json={"healthmonitor": {"pool_id": pool_id, "type": "TCP", "delay": 5, "timeout": 3}})
    assert missing.status_code == 400 and "max_retries" in missing.json()["NeutronError"]["message"]
    unknown_pool = api.post(MONITORS, json=_monitor("3a5c7e9b-0d2f-4b4c-8e6a-1f3b5d7c9eff"))
    assert unknown_pool.status_code == 404
    assert api.get("/v2.0/lbaas/pools/" + pool_id).json()["pool"]["healthmonitor_id"] is None


def test_octavia_rendering(api):
    api.config(flavor="octavia")
    monitor = api.get(MONITORS + "/" + DEMO_MONITOR_ID).json()["healthmonitor"]
    assert monitor["provisioning_status"] == "ACTIVE" and monitor["operating_status"] == "ONLINE"
    # Octavia leaves the HTTP settings of a TCP monitor null.
    assert (monitor["http_method"], monitor["url_path"], monitor["expected_codes"]) == (None, None, None)
    missing = api.get(MONITORS + "/" + "0" * 8)
    assert missing.status_code == 404 and missing.json()["faultstring"] == "Health Monitor 00000000 not found."


def test_control_attaches_and_detaches_a_monitor(api):
    api.config(health_delay=0)
    pool_id = _pool(api)
    api.create_member("10.0.0.1", pool_id=pool_id)
    put = api.session.put(api.base + "/_emulator/healthmonitor", json={"pool_id": pool_id, "enabled": True})
    assert put.status_code == 200 and put.json()["healthmonitor_id"]
    assert api.get(MONITORS + "/" + put.json()["healthmonitor_id"]).json()["healthmonitor"]["type"] == "TCP"
    assert _status(api, pool_id) == "ONLINE"
    off = api.session.put(api.base + "/_emulator/healthmonitor", json={"pool_id": DEMO_POOL_ID, "enabled": False})
    assert off.json() == {"pool_id": DEMO_POOL_ID, "healthmonitor_id": None}
    assert api.create_member("10.0.0.2").json()["member"]["operating_status"] == "NO_MONITOR"
    assert api.session.put(api.base + "/_emulator/healthmonitor", json={"pool_id": "nope"}).status_code == 404
    assert api.session.put(api.base + "/_emulator/healthmonitor", json={"pool_id": pool_id, "enabled": "yes"}).status_code == 400
