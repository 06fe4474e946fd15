"""Load balancers and pools: CRUD, filters, the demo world, and the /v2 alias."""

import pytest

from elb_emulator.config import PROJECT_ID, SUBNET_A1
from elb_emulator.demo import DEMO_LB_ID, DEMO_POOL_ID


def _create_lb(api, name="lb1", subnet=SUBNET_A1, **extra):
    body = {"name": name, "vip_subnet_id": subnet}
    body.update(extra)
    return api.post("/v2.0/lbaas/loadbalancers", json={"loadbalancer": body})


def _create_pool(api, lb_id, name="pool1", **extra):
    body = {"name": name, "loadbalancer_id": lb_id, "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}
    body.update(extra)
    return api.post("/v2.0/lbaas/pools", json={"pool": body})


def test_demo_world_is_there(api):
    lb = api.get("/v2.0/lbaas/loadbalancers/" + DEMO_LB_ID).json()["loadbalancer"]
    assert lb["name"] == "demo-lb" and lb["vip_subnet_id"] == SUBNET_A1
    assert lb["pools"] == [{"id": DEMO_POOL_ID}]
    pool = api.get("/v2.0/lbaas/pools/" + DEMO_POOL_ID).json()["pool"]
    assert (pool["name"], pool["protocol"], pool["lb_algorithm"]) == ("demo-pool", "TCP", "ROUND_ROBIN")
    assert pool["loadbalancers"] == [{"id": DEMO_LB_ID}]


def test_loadbalancer_crud(api):
    response = _create_lb(api, description="d")
    assert response.status_code == 201
    lb = response.json()["loadbalancer"]
    assert lb["provisioning_status"] == "ACTIVE" and lb["operating_status"] == "ONLINE"
    assert lb["tenant_id"] == lb["project_id"] == PROJECT_ID
    assert lb["provider"] == "vlb" and lb["listeners"] == [] and lb["pools"] == []
    assert lb["vip_address"]
    assert api.get("/v2.0/lbaas/loadbalancers/" + lb["id"]).json()["loadbalancer"]["description"] == "d"
    names = [item["name"] for item in api.get("/v2.0/lbaas/loadbalancers?name=lb1").json()["loadbalancers"]]
    assert names == ["lb1"]
    assert api.delete("/v2.0/lbaas/loadbalancers/" + lb["id"]).status_code == 204
    assert api.get("/v2.0/lbaas/loadbalancers/" + lb["id"]).status_code == 404


def test_loadbalancer_validation(api):
    assert _create_lb(api, subnet="no-such-subnet").status_code == 404
    missing = api.post("/v2.0/lbaas/loadbalancers", json={"loadbalancer": {"name": "x"}})
    assert missing.status_code == 400
    unknown = _create_lb(api, color="blue")
    assert unknown.status_code == 400
    assert unknown.json()["NeutronError"]["message"] == "Unrecognized attribute(s) 'color'"


def test_loadbalancer_with_pools_cannot_be_deleted(api):
    response = api.delete("/v2.0/lbaas/loadbalancers/" + DEMO_LB_ID)
    assert response.status_code == 409
    assert response.json()["NeutronError"]["type"] == "EntityInUse"


def test_pool_crud_and_filters(api):
    lb_id = _create_lb(api).json()["loadbalancer"]["id"]
    response = _create_pool(api, lb_id, description="p")
    assert response.status_code == 201
    pool = response.json()["pool"]
    assert pool["members"] == [] and pool["healthmonitor_id"] is None and pool["session_persistence"] is None
    assert pool["loadbalancers"] == [{"id": lb_id}] and pool["listeners"] == []
    by_lb = api.get("/v2.0/lbaas/pools?loadbalancer_id=" + lb_id).json()["pools"]
    assert [p["id"] for p in by_lb] == [pool["id"]]
    by_name = api.get("/v2.0/lbaas/pools?name=demo-pool").json()["pools"]
    assert [p["id"] for p in by_name] == [DEMO_POOL_ID]
    api.create_member("10.0.0.1", pool_id=pool["id"])
    assert api.get("/v2.0/lbaas/pools/" + pool["id"]).json()["pool"]["members"][0]["id"]
    assert api.delete("/v2.0/lbaas/pools/" + pool["id"]).status_code == 204
    assert api.get("/v2.0/lbaas/pools/" + pool["id"]).status_code == 404
    assert api.get(api.members_path(pool["id"])).status_code == 404
    assert api.delete("/v2.0/lbaas/loadbalancers/" + lb_id).status_code == 204


@pytest.mark.parametrize(
    "override, status",
    [
        ({"protocol": "SCTP"}, 400),
        ({"lb_algorithm": "RANDOM"}, 400),
        ({"loadbalancer_id": "4b6d8f0a-1c3e-4a5b-9c7d-0e2f4a6b8c99"}, 404),
        ({"bogus": 1}, 400),
    ],
)
def test_pool_validation(api, override, status):
    assert _create_pool(api, DEMO_LB_ID, **override).status_code == status


def test_v2_alias_serves_the_same_world(api):
    response = api.get("/v2/lbaas/pools/" + DEMO_POOL_ID)
    assert response.status_code == 200
    assert (
        api.post("/v2/lbaas/pools/%s/members" % DEMO_POOL_ID, json={"member": {"address": "10.0.0.9", "protocol_port": 80, "subnet_id": SUBNET_A1}}).status_code
        == 201
    )
    assert len(api.get(api.members_path()).json()["members"]) == 1
    counts = api.counts()["routes"]
    assert counts["GET /v2/lbaas/pools/{pool_id}"] == 1
    assert counts["POST /v2/lbaas/pools/{pool_id}/members"] == 1


def test_status_tree(api):
    api.create_member("10.0.0.1")
    tree = api.get("/v2.0/lbaas/loadbalancers/%s/statuses" % DEMO_LB_ID).json()["statuses"]["loadbalancer"]
    assert tree["pools"][0]["members"][0]["provisioning_status"] == "ACTIVE"
