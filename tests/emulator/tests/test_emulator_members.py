"""Members: create validation rule by rule, envelopes in the three error styles, show, update, delete."""

import uuid

import pytest

from elb_emulator.config import PROJECT_ID, SUBNET_A1, SUBNET_A2, SUBNET_B1
from elb_emulator.demo import DEMO_LB_ID, DEMO_POOL_ID

UNKNOWN_POOL = "3a5c7e9b-0d2f-4b4c-8e6a-1f3b5d7c9eff"
UNKNOWN_SUBNET = "11111111-2222-3333-4444-555555555555"


def _valid(**changes):
    body = {"address": "10.0.0.10", "protocol_port": 80, "subnet_id": SUBNET_A1}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not Ellipsis}


def test_create_echoes_defaults(api):
    response = api.create_member("10.0.0.10", 8080)
    assert response.status_code == 201
    member = response.json()["member"]
    uuid.UUID(member["id"])
    assert {
        key: member[key] for key in ("name", "address", "protocol_port", "subnet_id", "weight", "admin_state_up", "operating_status", "tenant_id", "project_id")
    } == {
        "name": "",
        "address": "10.0.0.10",
        "protocol_port": 8080,
        "subnet_id": SUBNET_A1,
        "weight": 1,
        "admin_state_up": True,
        # The demo pool has a health monitor: a new member is OFFLINE until its first checks pass.
        "operating_status": "OFFLINE",
        "tenant_id": PROJECT_ID,
        "project_id": PROJECT_ID,
    }
    assert "provisioning_status" not in member


def test_create_with_every_optional_field(api):
    response = api.create_member("10.0.0.11", 81, subnet_id=SUBNET_A2, name="web-1", weight=0, admin_state_up=True, tenant_id=PROJECT_ID)
    assert response.status_code == 201
    member = response.json()["member"]
    assert (member["name"], member["weight"], member["subnet_id"]) == ("web-1", 0, SUBNET_A2)


def test_ipv6_is_stored_compressed(api):
    member = api.create_member("2001:DB8:0:0:0:0:0:10", 80).json()["member"]
    assert member["address"] == "2001:db8::10"
    dup = api.create_member("2001:db8::0010", 80)
    assert dup.status_code == 409


LONG = "1" * 65

CREATE_RULES = [
    # (body or raw bytes, status, neutron type, elb code, message)
    (b"", 400, "HTTPBadRequest", "ELB.0002", "Member is null,request is invalid."),
    (b"{not json", 400, "HTTPBadRequest", "ELB.0002", "Member is null,request is invalid."),
    ({"pool": {}}, 400, "HTTPBadRequest", "ELB.0002", "Member is null,request is invalid."),
    ({"member": _valid(foo=1)}, 400, "HTTPBadRequest", "ELB.9899", "Unrecognized attribute(s) 'foo'"),
    ({"member": _valid(address=...)}, 400, "HTTPBadRequest", "ELB.9805", "RequestBody member[address] is null, this is a required parameter."),
    ({"member": _valid(protocol_port=...)}, 400, "HTTPBadRequest", "ELB.9805", "RequestBody member[protocol_port] is null, this is a required parameter."),
    ({"member": _valid(subnet_id=None)}, 400, "HTTPBadRequest", "ELB.9805", "RequestBody member[subnet_id] is null, this is a required parameter."),
    ({"member": _valid(address=LONG)}, 400, "HTTPBadRequest", "ELB.9805", "RequestBody member[address]'s length is 65, greater than 64."),
    ({"member": _valid(address="not-an-ip")}, 400, "HTTPBadRequest", "ELB.9899", "Invalid input for address. Reason: 'not-an-ip' is not a valid IP address."),
    ({"member": _valid(address="10.0.0.256")}, 400, "HTTPBadRequest", "ELB.9899", None),
    (
        {"member": _valid(protocol_port=70000)},
        400,
        "HTTPBadRequest",
        "ELB.9899",
        "Invalid input for protocol_port. Reason: '70000' is too large - must be no larger than '65535'.",
    ),
    (
        {"member": _valid(protocol_port=0)},
        400,
        "HTTPBadRequest",
        "ELB.9899",
        "Invalid input for protocol_port. Reason: '0' is too small - must be at least '1'.",
    ),
    # Integer strings are converted (test_emulator_fidelity.py); other strings, floats and booleans are refused.
    ({"member": _valid(protocol_port="8.5")}, 400, "HTTPBadRequest", "ELB.9899", "Invalid input for protocol_port. Reason: '8.5' is not an integer."),
    ({"member": _valid(protocol_port="eighty")}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(protocol_port="")}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(protocol_port=80.0)}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(protocol_port=True)}, 400, "HTTPBadRequest", "ELB.9899", None),
    (
        {"member": _valid(protocol_port="70000")},
        400,
        "HTTPBadRequest",
        "ELB.9899",
        "Invalid input for protocol_port. Reason: '70000' is too large - must be no larger than '65535'.",
    ),
    ({"member": _valid(weight="1.5")}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(weight=False)}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(weight=101)}, 400, "HTTPBadRequest", "ELB.9899", "Invalid input for weight. Reason: '101' is too large - must be no larger than '100'."),
    ({"member": _valid(weight=-1)}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(weight=1.5)}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(name="n" * 256)}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(admin_state_up=False)}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(admin_state_up="yes")}, 400, "HTTPBadRequest", "ELB.9899", None),
    ({"member": _valid(tenant_id="someone-else")}, 400, "HTTPBadRequest", "ELB.9808", None),
    ({"member": _valid(subnet_id=UNKNOWN_SUBNET)}, 404, "SubnetNotFound", "ELB.9899", "Subnet %s could not be found" % UNKNOWN_SUBNET),
    (
        {"member": _valid(subnet_id=SUBNET_B1)},
        400,
        "HTTPBadRequest",
        "ELB.9899",
        "Vpc vpc-b of member's subnet_cidr %s and vpc vpc-a of loadbalancer %s mismatch" % (SUBNET_B1, DEMO_LB_ID),
    ),
]


@pytest.mark.parametrize("body, status, neutron_type, elb_code, message", CREATE_RULES)
def test_create_validation_neutron_and_elb_styles(api, body, status, neutron_type, elb_code, message):
    kwargs = {"data": body} if isinstance(body, bytes) else {"json": body}
    response = api.post(api.members_path(), **kwargs)
    assert response.status_code == status, response.text
    error = response.json()["NeutronError"]
    assert error["type"] == neutron_type and error["detail"] == ""
    if message:
        assert error["message"] == message
    api.config(error_style="elb")
    response = api.post(api.members_path(), **kwargs)
    assert response.status_code == status
    assert response.json()["error"]["code"] == elb_code
    if message:
        assert response.json()["error"]["message"] == message
    assert api.get(api.members_path()).json()["members"] == []


def test_validation_order_first_failing_rule_wins(api):
    # Unknown attribute beats missing address; missing beats a bad port; subnet 404 beats pool 404.
    response = api.post(api.members_path(), json={"member": {"foo": 1, "protocol_port": 70000}})
    assert response.json()["NeutronError"]["message"] == "Unrecognized attribute(s) 'foo'"
    response = api.post(api.members_path(), json={"member": {"protocol_port": 70000, "subnet_id": SUBNET_A1}})
    assert "member[address] is null" in response.json()["NeutronError"]["message"]
    response = api.post(api.members_path(UNKNOWN_POOL), json={"member": _valid(subnet_id=UNKNOWN_SUBNET)})
    assert response.json()["NeutronError"]["type"] == "SubnetNotFound"


def test_unknown_pool_is_404(api):
    response = api.create_member("10.0.0.1", pool_id=UNKNOWN_POOL)
    assert response.status_code == 404
    assert response.json() == {"NeutronError": {"type": "EntityNotFound", "message": "pool %s could not be found" % UNKNOWN_POOL, "detail": ""}}


def test_unknown_pool_in_octavia_style_uses_the_fifth_envelope(api):
    api.config(error_style="octavia")
    response = api.create_member("10.0.0.1", pool_id=UNKNOWN_POOL)
    assert response.status_code == 404
    assert response.json() == {"code": 404, "title": "Bad Request", "description": "Pool %s not found." % UNKNOWN_POOL}


def test_admin_state_down_allowed_by_config(api):
    api.config(allow_admin_state_down=True)
    response = api.create_member("10.0.0.1", admin_state_up=False)
    assert response.status_code == 201 and response.json()["member"]["admin_state_up"] is False
    member_id = response.json()["member"]["id"]
    assert api.put(api.members_path() + "/" + member_id, json={"member": {"admin_state_up": True}}).status_code == 200


def test_quota(api):
    api.config(members_per_pool=2)
    assert api.create_member("10.0.0.1").status_code == 201
    assert api.create_member("10.0.0.2").status_code == 201
    response = api.create_member("10.0.0.3")
    assert response.status_code == 403
    api.config(error_style="elb")
    assert api.create_member("10.0.0.3").json()["error"]["code"] == "ELB.2001"


@pytest.mark.parametrize(
    "style, expected",
    [
        (
            "neutron",
            {
                "NeutronError": {
                    "type": "MemberExists",
                    "detail": "",
                    "message": "Member with address 10.0.0.5 and protocol_port 80 already present in pool %s" % DEMO_POOL_ID,
                }
            },
        ),
        ("elb", {"error": {"code": "ELB.9899", "message": "Member with address 10.0.0.5 and protocol_port 80 already present in pool %s" % DEMO_POOL_ID}}),
        ("octavia", {"faultcode": "Client", "debuginfo": None, "faultstring": "Another member on this pool is already using ip 10.0.0.5 on protocol_port 80"}),
    ],
)
def test_duplicate_is_409_in_every_style(api, style, expected):
    api.config(error_style=style)
    assert api.create_member("10.0.0.5").status_code == 201
    response = api.create_member("10.0.0.5")
    assert response.status_code == 409
    assert response.json() == expected


def test_same_address_other_port_is_fine(api):
    assert api.create_member("10.0.0.5", 80).status_code == 201
    assert api.create_member("10.0.0.5", 81).status_code == 201


def test_show(api):
    member = api.create_member("10.0.0.1").json()["member"]
    response = api.get(api.members_path() + "/" + member["id"])
    assert response.status_code == 200 and response.json()["member"] == member
    missing = api.get(api.members_path() + "/" + str(uuid.uuid4()))
    assert missing.status_code == 404 and "could not be found" in missing.json()["NeutronError"]["message"]
    assert api.get(api.members_path() + "/not-a-uuid").status_code == 400


def test_member_of_another_pool_is_404(api):
    member = api.create_member("10.0.0.1").json()["member"]
    other_pool = api.post("/v2.0/lbaas/pools", json={"pool": {"loadbalancer_id": DEMO_LB_ID, "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}}).json()["pool"][
        "id"
    ]
    path = api.members_path(other_pool) + "/" + member["id"]
    assert api.get(path).status_code == 404
    assert api.put(path, json={"member": {"weight": 3}}).status_code == 404
    assert api.delete(path).status_code == 404


def test_update(api):
    member = api.create_member("10.0.0.1").json()["member"]
    path = api.members_path() + "/" + member["id"]
    response = api.put(path, json={"member": {"name": "renamed", "weight": 7}})
    assert response.status_code == 200
    updated = response.json()["member"]
    assert (updated["name"], updated["weight"], updated["address"]) == ("renamed", 7, "10.0.0.1")
    assert api.get(path).json()["member"]["weight"] == 7


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"member": {"address": "10.0.0.2"}}, 400, "Cannot update read-only attribute address"),
        ({"member": {"protocol_port": 81}}, 400, "Cannot update read-only attribute protocol_port"),
        ({"member": {"subnet_id": SUBNET_A2}}, 400, "Cannot update read-only attribute subnet_id"),
        ({"member": {"color": "red"}}, 400, "Unrecognized attribute(s) 'color'"),
        ({"member": {"weight": 101}}, 400, None),
        ({"member": {"name": 5}}, 400, None),
        ({"member": {"admin_state_up": False}}, 400, None),
        ({"weight": 1}, 400, "Member is null,request is invalid."),
    ],
)
def test_update_validation(api, body, status, message):
    member = api.create_member("10.0.0.1").json()["member"]
    response = api.put(api.members_path() + "/" + member["id"], json=body)
    assert response.status_code == status
    if message:
        assert response.json()["NeutronError"]["message"] == message
    assert api.get(api.members_path() + "/" + member["id"]).json()["member"] == member


def test_update_unknown_and_malformed_ids(api):
    assert api.put(api.members_path() + "/" + str(uuid.uuid4()), json={"member": {"weight": 2}}).status_code == 404
    assert api.put(api.members_path() + "/xyz", json={"member": {"weight": 2}}).status_code == 400


def test_delete(api):
    member = api.create_member("10.0.0.1").json()["member"]
    path = api.members_path() + "/" + member["id"]
    response = api.delete(path)
    assert response.status_code == 204 and response.content == b""
    assert api.delete(path).status_code == 404
    assert api.get(path).status_code == 404
    assert api.create_member("10.0.0.1").status_code == 201


@pytest.mark.parametrize(
    "style, checker",
    [
        ("neutron", lambda body, member_id: body["NeutronError"]["message"] == "member %s could not be found" % member_id),
        ("elb", lambda body, member_id: body["error"]["code"] == "ELB.2012"),
        ("octavia", lambda body, member_id: body["faultstring"] == "Member %s not found." % member_id),
    ],
)
def test_member_404_in_every_style(api, style, checker):
    api.config(error_style=style)
    member_id = str(uuid.uuid4())
    response = api.get(api.members_path() + "/" + member_id)
    assert response.status_code == 404 and checker(response.json(), member_id)


def test_octavia_flavor_member_fields(api):
    api.config(flavor="octavia", settle_time=5)
    response = api.create_member("10.0.0.1", monitor_port=9000, tags=["a"])
    assert response.status_code == 201
    assert "x-openstack-request-id" in response.headers
    member = response.json()["member"]
    assert member["provisioning_status"] == "PENDING_CREATE"
    assert member["backup"] is False and member["monitor_address"] is None and member["monitor_port"] == 9000
    assert member["tags"] == ["a"] and member["created_at"] and member["updated_at"]
    api.config(settle_time=0)


def test_octavia_flavor_defaults_subnet_and_has_octavia_wording(api):
    api.config(flavor="octavia")
    response = api.post(api.members_path(), json={"member": {"address": "10.0.0.1", "protocol_port": 70000}})
    assert response.status_code == 400
    assert response.json()["faultstring"] == "Invalid input for field/attribute protocol_port. Value: '70000'. Value should be lower or equal to 65535"
    response = api.post(api.members_path(), json={"member": {"address": "10.0.0.1", "protocol_port": 80}})
    assert response.status_code == 201 and response.json()["member"]["subnet_id"] == SUBNET_A1
    assert response.json()["member"]["provisioning_status"] == "ACTIVE"


def test_octavia_flavor_non_uuid_member_id_is_not_found(api):
    # ELB answers 400 for an id that is not a UUID (test_show); Octavia looks the text up: 404.
    api.config(flavor="octavia")
    for method in (api.get, api.delete):
        response = method(api.members_path() + "/not-a-uuid")
        assert response.status_code == 404
        assert response.json()["faultstring"] == "Member not-a-uuid not found."
    response = api.put(api.members_path() + "/not-a-uuid", json={"member": {"weight": 3}})
    assert response.status_code == 404


def test_extension_member_list(api):
    api.create_member("10.0.0.1")
    api.create_member("10.0.0.2")
    members = api.get("/v2.0/lbaas/members").json()["members"]
    assert len(members) == 2
    for member in members:
        assert (member["pool_id"], member["loadbalancer_id"], member["device_id"], member["device_owner"]) == (DEMO_POOL_ID, DEMO_LB_ID, "", "")
    filtered = api.get("/v2.0/lbaas/members?address=10.0.0.2&loadbalancer_id=" + DEMO_LB_ID).json()["members"]
    assert [m["address"] for m in filtered] == ["10.0.0.2"]
