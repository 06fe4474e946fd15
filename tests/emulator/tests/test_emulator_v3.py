"""The dedicated flavor: the v3 member API of ELB_API_V3.md, over plain HTTP."""

import time

import pytest

from elb_emulator.config import PROJECT_ID, SUBNET_A1, SUBNET_A2, SUBNET_B1
from elb_emulator.v3_resources import (
    DEMO_V3_LB_ID,
    DEMO_V3_LB_NO_IP_ID,
    DEMO_V3_LISTENER_IDS,
    DEMO_V3_MONITOR_ID,
    DEMO_V3_POOL_ID,
    DEMO_V3_POOL_NO_IP_ID,
    DEMO_V3_UDP_POOL_ID,
)

BASE = "/v3/%s/elb" % PROJECT_ID
MEMBERS = BASE + "/pools/%s/members" % DEMO_V3_POOL_ID


@pytest.fixture(name="v3")
def fixture_v3(api):
    api.config(flavor="dedicated", health_delay=0)
    return api


def _create(api, path=MEMBERS, **member):
    body = {"address": "192.168.0.10", "protocol_port": 80, "subnet_cidr_id": SUBNET_A1}
    body.update(member)
    return api.post(path, json={"member": {key: value for key, value in body.items() if value is not None}})


def _error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code and body["error_msg"] and body["request_id"] == response.headers["X-Request-Id"]
    return body["error_msg"]


def test_only_the_dedicated_flavor_serves_v3(api):
    response = api.get(MEMBERS)
    assert response.status_code == 404 and response.json()["error_code"] == "APIGW.0101"
    catalog = api.login().json()["token"]["catalog"]
    assert "elbv3" not in [entry["type"] for entry in catalog]
    api.config(flavor="dedicated")
    assert api.get(MEMBERS).status_code == 200
    catalog = api.login().json()["token"]["catalog"]
    urls = {entry["type"]: entry["endpoints"][0]["url"] for entry in catalog}
    assert urls["elbv3"] == api.base + "/v3/" + PROJECT_ID and urls["elb"].endswith("/v1.0/" + PROJECT_ID)
    # The shared demo world is still there, and the dedicated one is not visible through v2.0.
    assert api.get("/v2.0/lbaas/pools/" + DEMO_V3_POOL_ID).status_code == 404


def test_member_lifecycle(v3):
    created = _create(v3, name="web-1", weight="5", availability_zone="eu-de-01")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["request_id"] == created.headers["X-Request-Id"]
    member = body["member"]
    assert {key: member[key] for key in ("name", "address", "protocol_port", "subnet_cidr_id", "weight", "admin_state_up", "project_id")} == {
        "name": "web-1",
        "address": "192.168.0.10",
        "protocol_port": 80,
        "subnet_cidr_id": SUBNET_A1,
        "weight": 5,
        "admin_state_up": True,
        "project_id": PROJECT_ID,
    }
    assert (member["ip_version"], member["member_type"], member["instance_id"], member["availability_zone"]) == ("v4", "instance", "", "eu-de-01")
    assert member["created_at"].endswith("Z") and "provisioning_status" not in member and "tenant_id" not in member
    assert [entry["listener_id"] for entry in member["status"]] == list(DEMO_V3_LISTENER_IDS)
    path = MEMBERS + "/" + member["id"]
    assert v3.get(path).json()["member"] == member
    updated = v3.put(path, json={"member": {"name": "web-1b", "weight": 0}})
    assert updated.status_code == 200 and (updated.json()["member"]["name"], updated.json()["member"]["weight"]) == ("web-1b", 0)
    assert v3.delete(path).status_code == 204
    _error(v3.get(path), 404, "ELB.8904")
    _error(v3.delete(path), 404, "ELB.8904")


@pytest.mark.parametrize(
    "changes, status, code",
    [
        ({"address": None}, 400, "ELB.8902"),
        ({"address": "not-an-ip"}, 400, "ELB.8902"),
        ({"protocol_port": 0}, 400, "ELB.8902"),
        ({"protocol_port": "8.5"}, 400, "ELB.8902"),
        ({"weight": 101}, 400, "ELB.8902"),
        ({"colour": "red"}, 400, "ELB.8902"),
        ({"subnet_id": SUBNET_A1}, 400, "ELB.8902"),
        ({"project_id": "another"}, 400, "ELB.8902"),
        ({"subnet_cidr_id": "no-such-subnet"}, 404, "ELB.8904"),
        ({"subnet_cidr_id": SUBNET_B1}, 400, "ELB.8902"),
    ],
)
def test_create_validation(v3, changes, status, code):
    _error(_create(v3, **changes), status, code)


def test_duplicates_quota_and_unknown_pool(v3):
    assert _create(v3).status_code == 201
    # (address, protocol_port) is the identity, whatever the subnet.
    message = _error(_create(v3, subnet_cidr_id=SUBNET_A2), 409, "ELB.8907")
    assert "192.168.0.10" in message and "80" in message
    v3.config(members_per_pool=1)
    _error(_create(v3, address="192.168.0.11"), 403, "ELB.2001")
    _error(_create(v3, path=BASE + "/pools/%s/members" % DEMO_V3_LB_ID), 404, "ELB.8904")
    _error(v3.get("/v3/%s/elb/pools/%s/members" % ("0" * 32, DEMO_V3_POOL_ID)), 403, "ELB.8903")


def test_ipv6_and_ip_as_a_backend_rules(v3):
    six = _create(v3, address="2001:DB8::0:10")
    assert six.status_code == 201 and (six.json()["member"]["address"], six.json()["member"]["ip_version"]) == ("2001:db8::10", "v6")
    ip_member = _create(v3, address="10.9.0.1", subnet_cidr_id=None).json()["member"]
    assert (ip_member["member_type"], ip_member["subnet_cidr_id"]) == ("ip", "")
    _error(_create(v3, address="2001:db8::11", subnet_cidr_id=None), 400, "ELB.8933")
    _error(_create(v3, path=BASE + "/pools/%s/members" % DEMO_V3_POOL_NO_IP_ID, subnet_cidr_id=None), 400, "ELB.8939")
    _error(_create(v3, path=BASE + "/pools/%s/members" % DEMO_V3_UDP_POOL_ID, subnet_cidr_id=None), 400, "ELB.8938")
    # A v4 pool refuses IPv6 members with a subnet.
    _error(_create(v3, path=BASE + "/pools/%s/members" % DEMO_V3_POOL_NO_IP_ID, address="2001:db8::12"), 400, "ELB.8902")
    lb = v3.get(BASE + "/loadbalancers/" + DEMO_V3_LB_ID).json()["loadbalancer"]
    assert lb["ip_target_enable"] is True and lb["provisioning_status"] == "ACTIVE"
    assert v3.get(BASE + "/loadbalancers/" + DEMO_V3_LB_NO_IP_ID).json()["loadbalancer"]["ip_target_enable"] is False


def test_refused_updates(v3):
    member_id = _create(v3).json()["member"]["id"]
    path = MEMBERS + "/" + member_id
    for attribute, value in (("admin_state_up", False), ("address", "192.168.0.11"), ("protocol_port", 81), ("subnet_cidr_id", SUBNET_A2)):
        message = _error(v3.put(path, json={"member": {attribute: value}}), 400, "ELB.8902")
        assert attribute in message
    _error(v3.put(path, json={"member": {"colour": "red"}}), 400, "ELB.8902")


def test_list_filters_and_page_info(v3):
    v3.seed(2500, pool_id=DEMO_V3_POOL_ID, start="10.20.0.1")
    first = v3.get(MEMBERS).json()
    assert len(first["members"]) == 2000 and first["page_info"]["current_count"] == 2000
    assert first["page_info"]["next_marker"] == first["members"][-1]["id"]
    second = v3.get(MEMBERS + "?marker=" + first["page_info"]["next_marker"]).json()
    assert len(second["members"]) == 500 and "next_marker" not in second["page_info"]
    ids = [member["id"] for member in first["members"] + second["members"]]
    assert ids == sorted(ids) and len(set(ids)) == 2500
    small = v3.get(MEMBERS + "?limit=2&marker=" + ids[10]).json()
    assert [member["id"] for member in small["members"]] == ids[11:13] and small["page_info"]["previous_marker"] == ids[11]
    back = v3.get(MEMBERS + "?limit=2&page_reverse=true&marker=" + ids[10]).json()
    assert [member["id"] for member in back["members"]] == ids[8:10]
    found = v3.get(MEMBERS + "?address=10.20.0.1&address=10.20.0.3&protocol_port=80").json()
    assert sorted(member["address"] for member in found["members"]) == ["10.20.0.1", "10.20.0.3"]
    nothing = v3.get(MEMBERS + "?address=10.20.0.1&protocol_port=81").json()
    assert (nothing["members"], nothing["page_info"]) == ([], {"current_count": 0})
    assert v3.get(MEMBERS + "?member_type=ip,instance&limit=1").json()["page_info"]["current_count"] == 1
    assert v3.get(MEMBERS + "?ip_version=v6").json()["members"] == []
    _error(v3.get(MEMBERS + "?limit=2001"), 400, "ELB.8902")
    assert v3.get(MEMBERS + "?marker=" + "f" * 8).json()["members"] == []


def test_project_wide_list(v3):
    _create(v3)
    _create(v3, path=BASE + "/pools/%s/members" % DEMO_V3_POOL_NO_IP_ID)
    listed = v3.get(BASE + "/members?loadbalancer_id=" + DEMO_V3_LB_NO_IP_ID).json()["members"]
    assert [(member["pool_id"], member["loadbalancer_id"]) for member in listed] == [(DEMO_V3_POOL_NO_IP_ID, DEMO_V3_LB_NO_IP_ID)]
    assert len(v3.get(BASE + "/members").json()["members"]) == 2


def test_pool_show(v3):
    pool = v3.get(BASE + "/pools/" + DEMO_V3_POOL_ID).json()["pool"]
    assert (pool["loadbalancers"], pool["ip_version"], pool["healthmonitor_id"]) == ([{"id": DEMO_V3_LB_ID}], "dualstack", DEMO_V3_MONITOR_ID)
    assert pool["listeners"] == [{"id": listener_id} for listener_id in DEMO_V3_LISTENER_IDS]
    _error(v3.get(BASE + "/pools/" + DEMO_V3_LB_ID), 404, "ELB.8904")


def test_health_with_per_listener_status(v3):
    v3.config(health_delay=0.2)
    v3.health(address="192.168.0.12", mode="error", delay=0)
    member = _create(v3).json()["member"]
    assert member["operating_status"] == "OFFLINE" and {entry["operating_status"] for entry in member["status"]} == {"OFFLINE"}
    time.sleep(0.25)
    shown = v3.get(MEMBERS + "/" + member["id"]).json()["member"]
    assert shown["operating_status"] == "ONLINE" and [entry["operating_status"] for entry in shown["status"]] == ["ONLINE", "ONLINE"]
    failing = _create(v3, address="192.168.0.12").json()["member"]
    assert (failing["operating_status"], failing["reason"]["reason_code"]) == ("OFFLINE", "CONNECT_FAILED")
    udp = _create(v3, path=BASE + "/pools/%s/members" % DEMO_V3_UDP_POOL_ID).json()["member"]
    assert udp["operating_status"] == "NO_MONITOR" and len(udp["status"]) == 1
    assert [m["id"] for m in v3.get(MEMBERS + "?operating_status=ONLINE").json()["members"]] == [member["id"]]


def test_batch_endpoints(v3):
    existing = _create(v3).json()["member"]
    items = [{"address": "192.168.0.10", "protocol_port": 80, "subnet_cidr_id": SUBNET_A1}, {"address": "10.9.0.2", "protocol_port": "81", "weight": 3}]
    added = v3.post(MEMBERS + "/batch-add", json={"members": items})
    assert added.status_code == 200, added.text
    answered = added.json()["members"]
    assert [(member["address"], member["ret_status"]) for member in answered] == [("192.168.0.10", "existed"), ("10.9.0.2", "successful")]
    assert answered[0]["id"] == existing["id"] and answered[1]["member_type"] == "ip"
    updated = v3.post(MEMBERS + "/batch-update", json={"members": [{"id": answered[1]["id"], "weight": 7, "protocol_port": 82}]})
    assert updated.status_code == 200 and (updated.json()["members"][0]["weight"], updated.json()["members"][0]["protocol_port"]) == (7, 82)
    assert v3.get(MEMBERS + "?address=10.9.0.2&protocol_port=82").json()["members"][0]["id"] == answered[1]["id"]
    _error(v3.post(MEMBERS + "/batch-update", json={"members": [{"id": answered[1]["id"], "protocol_port": 80, "subnet_cidr_id": "x"}]}), 400, "ELB.8902")
    _error(v3.post(MEMBERS + "/batch-update", json={"members": [{"id": "nope", "weight": 1}]}), 404, "ELB.8904")
    deleted = v3.post(MEMBERS + "/batch-delete", json={"members": [{"id": existing["id"]}, {"address": "10.9.0.2", "protocol_port": 82}, {"id": "gone"}]})
    assert [member["ret_status"] for member in deleted.json()["members"]] == ["successful", "successful", "not found"]
    assert v3.get(MEMBERS).json()["members"] == []
    _error(v3.post(MEMBERS + "/batch-delete", json={"members": [{"id": "a", "address": "10.0.0.1"}]}), 400, "ELB.8902")
    _error(v3.post(MEMBERS + "/batch-add", json={"members": [items[1]] * 201}), 400, "ELB.8902")
    _error(v3.post(MEMBERS + "/batch-add", json={"members": [items[1], items[1]]}), 400, "ELB.8902")


def test_batch_can_be_switched_off(v3):
    v3.config(v3_batch=False)
    response = v3.post(MEMBERS + "/batch-add", json={"members": []})
    assert response.status_code == 404 and response.json()["error_code"] == "APIGW.0101"
    assert v3.counts()["routes"]["POST <unmatched>"] == 1


def test_faults_apply_to_v3_routes(v3):
    route = "POST /v3/{project_id}/elb/pools/{pool_id}/members"
    rules = [{"route": route, "kind": "busy", "count": 1}, {"route": route, "kind": "status", "count": 1}]
    v3.session.post(v3.base + "/_emulator/faults", json={"rules": rules})
    message = _error(_create(v3), 409, "ELB.8907")
    assert DEMO_V3_LB_ID in message
    assert _create(v3).status_code == 503
    assert _create(v3).status_code == 201
    assert v3.counts()["routes"][route] == 3
