"""Every example request of shared/ELB_API.md, sent verbatim, must succeed (issue 13, "Fidelity").

The examples use a pool and a subnet of their own; the fixture creates them with those ids.
Bodies are sent as the literal text of the reference, not re-encoded by ``json=``.
"""

import time

import pytest

from elb_emulator.config import DEMO_PASSWORD, DEMO_USER, DOMAIN_NAME, PROJECT_ID
from elb_emulator.loadbalancers import new_loadbalancer
from elb_emulator.pools import new_pool

EXAMPLE_POOL = "5a9a3e9e-d1aa-448e-af37-a70171f2a332"
EXAMPLE_SUBNET = "33d8b01a-bbe6-41f4-bc45-78a1d284d503"
MEMBERS = "/v2.0/lbaas/pools/%s/members" % EXAMPLE_POOL
# ELB_API.md section 3, verbatim (note the port as a string).
CREATE_BODY = '{"member": {"subnet_id": "33d8b01a-bbe6-41f4-bc45-78a1d284d503", "protocol_port": "88", "name": "member-jy-tt-1", "address": "192.168.44.11"}}'
# Section 7, with U, P, D and PID filled in.
TOKEN_BODY = (
    '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"%s","password":"%s","domain":{"name":"%s"}}}},"scope":{"project":{"id":"%s"}}}}'
    % (DEMO_USER, DEMO_PASSWORD, DOMAIN_NAME, PROJECT_ID)
)
JSON = {"Content-Type": "application/json"}


@pytest.fixture(name="example_pool")
def fixture_example_pool(emulator, api):
    subnets = api.session.get(api.base + "/_emulator/config").json()["subnets"]
    api.config(subnets=dict(subnets, **{EXAMPLE_SUBNET: "vpc-example"}))
    world = emulator.app.world
    with world.lock:
        lb = new_loadbalancer(world, PROJECT_ID, "example-lb", EXAMPLE_SUBNET)
        new_pool(world, PROJECT_ID, lb.id, "example-pool", pool_id=EXAMPLE_POOL)
    return EXAMPLE_POOL


def _published_response_fields(member):
    return {key: member[key] for key in ("name", "weight", "admin_state_up", "subnet_id", "address", "protocol_port")}


PUBLISHED = {
    "name": "member-jy-tt-1",
    "weight": 1,
    "admin_state_up": True,
    "subnet_id": EXAMPLE_SUBNET,
    "address": "192.168.44.11",
    "protocol_port": 88,
}


def test_section_3_create_example(api, example_pool):
    response = api.post(MEMBERS, data=CREATE_BODY, headers=JSON)
    assert response.status_code == 201, response.text
    member = response.json()["member"]
    assert _published_response_fields(member) == PUBLISHED
    assert member["tenant_id"] == PROJECT_ID and member["id"]
    assert api.get(MEMBERS + "/" + member["id"]).json()["member"]["protocol_port"] == 88
    # The converted port is the identity: the same body again is a duplicate (section 6, Neutron form).
    duplicate = api.post(MEMBERS, data=CREATE_BODY, headers=JSON)
    assert duplicate.status_code == 409
    assert duplicate.json()["NeutronError"] == {
        "type": "MemberExists",
        "message": "Member with address 192.168.44.11 and protocol_port 88 already present in pool %s" % example_pool,
        "detail": "",
    }


def test_section_10_octavia_examples(api, example_pool):
    api.config(flavor="octavia", settle_time=0.2)
    path = "/v2/lbaas/pools/%s/members" % example_pool
    created = api.post(path, data=CREATE_BODY, headers=JSON)
    assert created.status_code == 201, created.text
    member = created.json()["member"]
    assert _published_response_fields(member) == PUBLISHED
    assert (member["provisioning_status"], member["operating_status"]) == ("PENDING_CREATE", "NO_MONITOR")
    assert member["project_id"] == member["tenant_id"] == PROJECT_ID
    assert "x-openstack-request-id" in created.headers
    listed = api.get(path + "?address=192.168.44.11&protocol_port=88").json()
    assert [item["id"] for item in listed["members"]] == [member["id"]] and listed["members_links"] == []
    assert api.get(path + "?address=192.168.44.12&protocol_port=88").json() == {"members": [], "members_links": []}
    time.sleep(0.25)
    duplicate = api.post(path, data=CREATE_BODY, headers=JSON)
    assert duplicate.json() == {
        "faultcode": "Client",
        "faultstring": "Another member on this pool is already using ip 192.168.44.11 on protocol_port 88",
        "debuginfo": None,
    }
    updated = api.put(path + "/" + member["id"], data='{"member":{"weight":5}}', headers=JSON)
    assert updated.status_code == 200
    assert (updated.json()["member"]["weight"], updated.json()["member"]["provisioning_status"]) == (5, "PENDING_UPDATE")


def test_section_3_update_and_batch_examples(api, example_pool):
    member_id = api.post(MEMBERS, data=CREATE_BODY, headers=JSON).json()["member"]["id"]
    assert api.put(MEMBERS + "/" + member_id, data='{"member":{"weight":5}}', headers=JSON).json()["member"]["weight"] == 5
    add = (
        '{"members":[{"name":"member-2","address":"192.168.44.12","protocol_port":"88","subnet_id":"33d8b01a-bbe6-41f4-bc45-78a1d284d503","weight":"2"}],'
        '"action":"add"}'
    )
    assert api.put(MEMBERS, data=add, headers=JSON).status_code == 202
    listed = api.get(MEMBERS + "?address=192.168.44.11&address=192.168.44.12").json()["members"]
    assert sorted((item["address"], item["protocol_port"], item["weight"]) for item in listed) == [("192.168.44.11", 88, 5), ("192.168.44.12", 88, 2)]
    delete = '{"members":[{"id":"%s"}],"action":"delete"}' % member_id
    assert api.put(MEMBERS, data=delete, headers=JSON).status_code == 202
    assert api.put(MEMBERS, data='{"members":[],"action":"replace"}', headers=JSON).status_code == 202
    assert api.get(MEMBERS).json()["members"] == []


def test_section_4_pagination_example(api, example_pool):
    for body in (CREATE_BODY, CREATE_BODY.replace("192.168.44.11", "192.168.44.12")):
        assert api.post(MEMBERS, data=body, headers=JSON).status_code == 201
    first = api.get(MEMBERS + "?limit=1").json()
    assert len(first["members"]) == 1 and [link["rel"] for link in first["members_links"]] == ["next", "previous"]


@pytest.mark.parametrize("query", ["", "?nocatalog=true"])
def test_section_7_token_example(anon, query):
    response = anon.post("/v3/auth/tokens" + query, data=TOKEN_BODY, headers={"Content-Type": "application/json;charset=utf8"})
    assert response.status_code == 201 and response.headers["X-Subject-Token"]
    assert ("catalog" in response.json()["token"]) is (query == "")
    by_name = TOKEN_BODY.replace('{"id":"%s"}' % PROJECT_ID, '{"name":"eu-de"}')
    assert anon.post("/v3/auth/tokens" + query, data=by_name, headers=JSON).status_code == 201
