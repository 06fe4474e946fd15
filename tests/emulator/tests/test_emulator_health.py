"""Simulated health checks: NO_MONITOR without a monitor, OFFLINE -> ONLINE after health_delay, control rules."""

import time
import types

import pytest

from elb_emulator.config import SUBNET_A1
from elb_emulator.demo import DEMO_LB_ID, DEMO_MONITOR_ID, DEMO_POOL_ID
from elb_emulator.health import HealthRules, operating_status, parse_rule
from elb_emulator.state import Member, Pool

DELAY = 0.25


def _status(api, member_id, pool_id=DEMO_POOL_ID):
    return api.get(api.members_path(pool_id) + "/" + member_id).json()["member"]["operating_status"]


def _unmonitored_pool(api):
    lb = api.post("/v2.0/lbaas/loadbalancers", json={"loadbalancer": {"vip_subnet_id": SUBNET_A1}}).json()["loadbalancer"]
    body = {"loadbalancer_id": lb["id"], "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}
    return api.post("/v2.0/lbaas/pools", json={"pool": body}).json()["pool"]["id"]


def test_pool_without_monitor_reports_no_monitor(api):
    pool_id = _unmonitored_pool(api)
    created = api.create_member("10.0.0.1", pool_id=pool_id).json()["member"]
    assert created["operating_status"] == "NO_MONITOR"
    time.sleep(0.35)
    assert _status(api, created["id"], pool_id) == "NO_MONITOR"
    assert api.get(api.members_path(pool_id)).json()["members"][0]["operating_status"] == "NO_MONITOR"
    assert api.get("/v2.0/lbaas/pools/" + pool_id).json()["pool"]["healthmonitor_id"] is None


def test_demo_pool_has_a_monitor(api):
    pool = api.get("/v2.0/lbaas/pools/" + DEMO_POOL_ID).json()["pool"]
    assert pool["healthmonitor_id"] == DEMO_MONITOR_ID
    monitor = api.get("/v2.0/lbaas/healthmonitors/" + DEMO_MONITOR_ID).json()["healthmonitor"]
    assert (monitor["type"], monitor["pools"]) == ("TCP", [{"id": DEMO_POOL_ID}])


def test_new_member_goes_offline_then_online_everywhere(api):
    api.config(health_delay=DELAY)
    created = api.create_member("10.0.0.1").json()["member"]
    assert created["operating_status"] == "OFFLINE"
    assert _status(api, created["id"]) == "OFFLINE"
    assert api.get(api.members_path() + "?operating_status=ONLINE").json()["members"] == []
    time.sleep(DELAY + 0.05)
    assert _status(api, created["id"]) == "ONLINE"
    listed = api.get(api.members_path() + "?operating_status=ONLINE").json()["members"]
    assert [member["id"] for member in listed] == [created["id"]]
    everywhere = api.get("/v2.0/lbaas/members?operating_status=ONLINE").json()["members"]
    assert [member["id"] for member in everywhere] == [created["id"]]
    tree = api.get("/v2.0/lbaas/loadbalancers/%s/statuses" % DEMO_LB_ID).json()["statuses"]["loadbalancer"]
    assert tree["pools"][0]["healthmonitor"]["id"] == DEMO_MONITOR_ID
    assert tree["pools"][0]["members"][0]["operating_status"] == "ONLINE"


@pytest.mark.parametrize("flavor", ["elb", "octavia"])
def test_both_flavors_simulate_health(api, flavor):
    api.config(flavor=flavor, health_delay=DELAY)
    api.health(address="10.0.0.2", mode="offline")
    first = api.create_member("10.0.0.1").json()["member"]
    second = api.create_member("10.0.0.2").json()["member"]
    assert (first["operating_status"], second["operating_status"]) == ("OFFLINE", "OFFLINE")
    time.sleep(DELAY + 0.05)
    assert (_status(api, first["id"]), _status(api, second["id"])) == ("ONLINE", "OFFLINE")


def test_disabled_member_is_offline_and_reenabling_restarts_the_checks(api):
    api.config(health_delay=DELAY, allow_admin_state_down=True)
    member_id = api.create_member("10.0.0.1").json()["member"]["id"]
    path = api.members_path() + "/" + member_id
    time.sleep(DELAY + 0.05)
    assert _status(api, member_id) == "ONLINE"
    assert api.put(path, json={"member": {"admin_state_up": False}}).json()["member"]["operating_status"] == "OFFLINE"
    tree = api.get("/v2.0/lbaas/loadbalancers/%s/statuses" % DEMO_LB_ID).json()["statuses"]["loadbalancer"]
    assert tree["pools"][0]["members"][0]["operating_status"] == "DISABLED"
    time.sleep(DELAY + 0.05)
    assert _status(api, member_id) == "OFFLINE"
    assert api.put(path, json={"member": {"admin_state_up": True}}).json()["member"]["operating_status"] == "OFFLINE"
    time.sleep(DELAY + 0.05)
    assert _status(api, member_id) == "ONLINE"
    # A weight change, even to 0, does not restart the checks.
    assert api.put(path, json={"member": {"weight": 0}}).json()["member"]["operating_status"] == "ONLINE"


def test_batch_reenable_restarts_the_checks(api):
    api.config(health_delay=DELAY, allow_admin_state_down=True)
    item = {"address": "10.0.0.1", "protocol_port": 80, "subnet_id": SUBNET_A1}
    assert api.put(api.members_path(), json={"members": [dict(item, admin_state_up=False)]}).status_code == 202
    time.sleep(DELAY + 0.05)
    assert api.get(api.members_path()).json()["members"][0]["operating_status"] == "OFFLINE"
    assert api.put(api.members_path(), json={"members": [item]}).status_code == 202
    assert api.get(api.members_path()).json()["members"][0]["operating_status"] == "OFFLINE"
    time.sleep(DELAY + 0.05)
    assert api.get(api.members_path()).json()["members"][0]["operating_status"] == "ONLINE"


def test_seeded_members_are_online_at_once(api):
    api.config(health_delay=30)
    api.seed(3)
    assert {member["operating_status"] for member in api.get(api.members_path()).json()["members"]} == {"ONLINE"}


def test_offline_and_error_rules(api):
    api.config(health_delay=0)
    assert api.health(address="10.0.0.1", mode="offline").status_code == 200
    assert api.health(address="10.0.0.2", mode="error", delay=DELAY).status_code == 200
    offline = api.create_member("10.0.0.1").json()["member"]["id"]
    error = api.create_member("10.0.0.2").json()["member"]["id"]
    healthy = api.create_member("10.0.0.3").json()["member"]["id"]
    assert (_status(api, offline), _status(api, error), _status(api, healthy)) == ("OFFLINE", "OFFLINE", "ONLINE")
    time.sleep(DELAY + 0.05)
    assert (_status(api, offline), _status(api, error), _status(api, healthy)) == ("OFFLINE", "ERROR", "ONLINE")
    # Rules act at once on existing members, and removing one restores the default.
    api.health(address="10.0.0.3", mode="offline")
    assert _status(api, healthy) == "OFFLINE"
    assert api.health("DELETE", address="10.0.0.3").status_code == 200
    assert _status(api, healthy) == "ONLINE"


def test_rule_delay_port_and_address_matching(api):
    api.config(health_delay=0)
    api.health(address="2001:DB8:0:0:0:0:0:10", mode="offline")
    api.health(address="2001:db8::10", protocol_port=8080, mode="healthy", delay=0)
    api.health(address="10.0.0.5", mode="healthy", delay=30)
    on_80 = api.create_member("2001:db8::10", 80).json()["member"]["id"]
    on_8080 = api.create_member("2001:db8::10", 8080).json()["member"]["id"]
    slow = api.create_member("10.0.0.5").json()["member"]["id"]
    assert (_status(api, on_80), _status(api, on_8080), _status(api, slow)) == ("OFFLINE", "ONLINE", "OFFLINE")


def test_flap_alternates_over_http(api):
    api.health(address="10.0.0.1", mode="flap", delay=0, period=0.15)
    member_id = api.create_member("10.0.0.1").json()["member"]["id"]
    seen = set()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and len(seen) < 2:
        seen.add(_status(api, member_id))
        time.sleep(0.05)
    assert seen == {"ONLINE", "OFFLINE"}


def test_operating_status_over_time_is_deterministic():
    app = types.SimpleNamespace(config={"health_delay": 1.0}, health=HealthRules())
    pool = Pool("p", "", "", "TCP", "ROUND_ROBIN", True, "t", "lb")
    pool.healthmonitor_id = "m"
    member = Member("m1", "p", parse_rule({"address": "10.0.0.1", "mode": "healthy"}).ip, 80, "s", "t", health_since=100.0)
    assert [operating_status(app, pool, member, now) for now in (100.0, 100.99, 101.0)] == ["OFFLINE", "OFFLINE", "ONLINE"]
    pool.monitor_since = 200.0
    assert [operating_status(app, pool, member, now) for now in (200.5, 201.0)] == ["OFFLINE", "ONLINE"]
    app.health.put([parse_rule({"address": "10.0.0.1", "mode": "flap", "delay": 2, "period": 0.5})])
    phases = [operating_status(app, pool, member, 202.0 + offset) for offset in (0.0, 0.25, 0.5, 0.75, 1.0, 1.49)]
    assert phases == ["ONLINE", "ONLINE", "OFFLINE", "OFFLINE", "ONLINE", "ONLINE"]
    assert operating_status(app, pool, member, 201.9) == "OFFLINE"
    pool.healthmonitor_id = None
    assert operating_status(app, pool, member, 300.0) == "NO_MONITOR"
    member.admin_state_up = False
    assert operating_status(app, pool, member, 300.0) == "OFFLINE"


def test_health_control_api(api):
    listed = api.session.get(api.base + "/_emulator/health").json()
    assert listed == {"status": "ok", "health_delay": 0.3, "rules": []}
    answer = api.health(rules=[{"address": "10.0.0.2", "mode": "flap", "period": 0.4}, {"address": "10.0.0.1", "protocol_port": 80, "mode": "error"}])
    assert answer.status_code == 200
    assert answer.json()["rules"] == [
        {"address": "10.0.0.1", "protocol_port": 80, "mode": "error", "delay": None, "period": 0.5},
        {"address": "10.0.0.2", "protocol_port": None, "mode": "flap", "delay": None, "period": 0.4},
    ]
    # The same (address, protocol_port) replaces its rule.
    assert len(api.health(address="10.0.0.2", mode="offline").json()["rules"]) == 2
    assert api.health("DELETE", address="10.0.0.9").status_code == 404
    assert api.health("DELETE", address="10.0.0.1").status_code == 404
    assert api.health("DELETE", address="10.0.0.1", protocol_port=80).json()["rules"][0]["mode"] == "offline"
    assert api.health("DELETE").json()["rules"] == []
    api.health(address="10.0.0.1", mode="offline")
    api.session.post(api.base + "/_emulator/reset")
    assert api.session.get(api.base + "/_emulator/health").json()["rules"] == []


@pytest.mark.parametrize(
    "document, fragment",
    [
        ({"mode": "offline"}, "address"),
        ({"address": "10.0.0.256", "mode": "offline"}, "address"),
        ({"address": 167772161, "mode": "offline"}, "address"),
        ({"address": "10.0.0.1", "mode": "sick"}, "mode"),
        ({"address": "10.0.0.1", "mode": "flap", "period": 0}, "period"),
        ({"address": "10.0.0.1", "mode": "healthy", "delay": -1}, "delay"),
        ({"address": "10.0.0.1", "mode": "healthy", "delay": "1"}, "delay"),
        ({"address": "10.0.0.1", "mode": "healthy", "protocol_port": 0}, "protocol_port"),
        ({"address": "10.0.0.1", "mode": "healthy", "colour": "red"}, "colour"),
        ({"rules": {"address": "10.0.0.1"}}, "rules"),
    ],
)
def test_health_control_refuses_bad_rules(api, document, fragment):
    api.health(address="10.0.0.7", mode="offline")
    response = api.health(**document)
    assert response.status_code == 400 and fragment in response.json()["error"]
    assert [rule["address"] for rule in api.session.get(api.base + "/_emulator/health").json()["rules"]] == ["10.0.0.7"]


def test_health_delay_config(api):
    for bad in (-1, "1", True, 100000):
        assert api.session.put(api.base + "/_emulator/config", json={"health_delay": bad}).status_code == 400
    assert api.config(health_delay=0)["health_delay"] == 0
    assert api.create_member("10.0.0.1").json()["member"]["operating_status"] == "ONLINE"


def test_counting_the_polls_of_a_wait(api):
    api.config(health_delay=DELAY)
    member_id = api.create_member("10.0.0.1").json()["member"]["id"]
    mark = api.log()[-1]["seq"]
    polls = 0
    while _status(api, member_id) != "ONLINE":
        polls += 1
        time.sleep(0.1)
    api.get(api.members_path())
    show = api.session.get(api.base + "/_emulator/requests?since=%d&route=GET */members/{member_id}" % mark).json()
    assert len(show) == polls + 1 and all(entry["seq"] > mark for entry in show)
    assert all(later["time"] - earlier["time"] >= 0.09 for earlier, later in zip(show, show[1:]))
    both = api.session.get(api.base + "/_emulator/requests?since=%d&route=GET */members&route=GET */members/*" % mark).json()
    assert len(both) == polls + 2
    assert api.counts()["routes"]["GET /v2.0/lbaas/pools/{pool_id}/members/{member_id}"] == polls + 1
    assert api.session.get(api.base + "/_emulator/requests?since=x").status_code == 400
