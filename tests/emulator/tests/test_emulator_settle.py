"""The settle window after each write, and thread-safety of check-and-write."""

import threading
import time

import requests

from elb_emulator.config import SUBNET_A1
from elb_emulator.demo import DEMO_LB_ID

SETTLE = 0.3


def _lb_status(api):
    return api.get("/v2.0/lbaas/loadbalancers/" + DEMO_LB_ID).json()["loadbalancer"]["provisioning_status"]


def test_write_opens_a_window_then_success_after_it(api):
    api.config(settle_time=SETTLE)
    first = api.create_member("10.0.0.1")
    assert first.status_code == 201
    assert _lb_status(api) == "PENDING_UPDATE"
    busy = api.create_member("10.0.0.2")
    assert busy.status_code == 409
    assert busy.json() == {
        "NeutronError": {"type": "StateInvalid", "detail": "", "message": "Invalid state PENDING_UPDATE of loadbalancer resource %s" % DEMO_LB_ID}
    }
    # GETs are never blocked.
    assert api.get(api.members_path()).status_code == 200
    time.sleep(SETTLE + 0.05)
    assert _lb_status(api) == "ACTIVE"
    assert api.create_member("10.0.0.2").status_code == 201


def test_update_and_delete_are_blocked_in_the_window(api):
    member_id = api.create_member("10.0.0.1").json()["member"]["id"]
    api.config(settle_time=SETTLE)
    path = api.members_path() + "/" + member_id
    assert api.put(path, json={"member": {"weight": 2}}).status_code == 200
    assert api.put(path, json={"member": {"weight": 3}}).status_code == 409
    assert api.delete(path).status_code == 409
    time.sleep(SETTLE + 0.05)
    assert api.delete(path).status_code == 204
    assert api.delete(path).status_code in (404, 409)


def test_busy_wording_in_octavia_style(api):
    api.config(settle_time=SETTLE, error_style="octavia")
    api.create_member("10.0.0.1")
    response = api.create_member("10.0.0.2")
    assert response.status_code == 409
    assert response.json()["faultstring"] == "Load Balancer %s is immutable and cannot be updated." % DEMO_LB_ID


def test_octavia_member_status_follows_the_window(api):
    api.config(settle_time=SETTLE, flavor="octavia")
    member = api.create_member("10.0.0.1").json()["member"]
    path = api.members_path() + "/" + member["id"]
    assert api.get(path).json()["member"]["provisioning_status"] == "PENDING_CREATE"
    time.sleep(SETTLE + 0.05)
    assert api.get(path).json()["member"]["provisioning_status"] == "ACTIVE"
    assert api.put(path, json={"member": {"weight": 4}}).json()["member"]["provisioning_status"] == "PENDING_UPDATE"


def test_concurrent_creates_of_one_member_make_exactly_one(api):
    api.config(settle_time=0)
    barrier = threading.Barrier(20)
    statuses = []
    lock = threading.Lock()

    def create():
        with requests.Session() as session:
            barrier.wait()
            response = session.post(
                api.base + api.members_path(),
                headers={"X-Auth-Token": api.token},
                timeout=10,
                json={"member": {"address": "10.9.9.9", "protocol_port": 443, "subnet_id": SUBNET_A1}},
            )
            with lock:
                statuses.append(response.status_code)

    threads = [threading.Thread(target=create) for _attempt in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(statuses) == [201] + [409] * 19
    assert len(api.get(api.members_path()).json()["members"]) == 1


def _addresses(api, **query):
    return sorted(member["address"] for member in api.get(api.members_path(), params=query).json()["members"])


def test_octavia_deleted_member_is_pending_delete_until_the_window_ends(api):
    api.config(settle_time=0, flavor="octavia")
    member_id = api.create_member("10.0.0.1").json()["member"]["id"]
    api.create_member("10.0.0.2")
    api.config(settle_time=SETTLE)
    path = api.members_path() + "/" + member_id
    assert api.delete(path).status_code == 204
    shown = api.get(path)
    assert shown.status_code == 200
    assert shown.json()["member"]["provisioning_status"] == "PENDING_DELETE"
    assert _addresses(api) == ["10.0.0.1", "10.0.0.2"]
    assert _addresses(api, address="10.0.0.1", protocol_port=80) == ["10.0.0.1"]
    # The window also blocks a create of the same address and port.
    assert api.create_member("10.0.0.1").status_code == 409
    time.sleep(SETTLE + 0.05)
    gone = api.get(path)
    assert gone.status_code == 404
    assert gone.json()["faultstring"] == "Member %s not found." % member_id
    assert _addresses(api) == ["10.0.0.2"]
    assert api.create_member("10.0.0.1").status_code == 201


def test_octavia_batch_replace_leaves_unlisted_members_pending_delete(api):
    api.config(settle_time=0, flavor="octavia", batch_dialect="octavia")
    api.create_member("10.0.0.1")
    api.create_member("10.0.0.2")
    api.config(settle_time=SETTLE)
    body = {"members": [{"address": "10.0.0.2", "protocol_port": 80, "subnet_id": SUBNET_A1}]}
    assert api.put(api.members_path(), json=body).status_code == 202
    statuses = {member["address"]: member["provisioning_status"] for member in api.get(api.members_path()).json()["members"]}
    assert statuses == {"10.0.0.1": "PENDING_DELETE", "10.0.0.2": "PENDING_UPDATE"}
    time.sleep(SETTLE + 0.05)
    assert _addresses(api) == ["10.0.0.2"]


def test_elb_flavor_deleted_member_is_gone_at_once(api):
    api.config(settle_time=0)
    member_id = api.create_member("10.0.0.1").json()["member"]["id"]
    api.config(settle_time=SETTLE)
    assert api.delete(api.members_path() + "/" + member_id).status_code == 204
    assert _addresses(api) == []
    assert api.get(api.members_path() + "/" + member_id).status_code == 404
