# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writing a pool-wide plan: the exact HTTP calls of each dialect, of the auto probe, of the fallback and of recovery."""

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.batch import (
    PoolMembersWriter,
    apply_pool_plan,
    elb_batch_calls,
    is_missing_route,
    is_octavia_refusal,
    octavia_batch_call,
)
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbApiError
from ansible_collections.lbaas.elb.plugins.module_utils.loadbalancers import wait_until_not_busy
from ansible_collections.lbaas.elb.plugins.module_utils.pool_plan import plan_pool_members
from ansible_collections.lbaas.elb.plugins.module_utils.validation import validate_pool_members_options
from ansible_collections.lbaas.elb.tests.unit.plugins.requests_failures import remote_disconnected

ENDPOINT = "https://elb.example.test"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
SUBNET = "0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90"
LB_ID = "2c1d0e9f-8a7b-4c6d-9e5f-0a1b2c3d4e5f"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
ADDITIVE_URL = MEMBERS_URL + "?additive_only=true"
POOL_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}"
LB_URL = ENDPOINT + f"/v2.0/lbaas/loadbalancers/{LB_ID}"

OCTAVIA_REFUSAL = {"faultcode": "Client", "faultstring": "Unknown attribute for argument members_.members: action", "debuginfo": None}
NEUTRON_REFUSAL = {"NeutronError": {"type": "HTTPBadRequest", "message": "Unrecognized attribute(s) 'action'", "detail": ""}}
GATEWAY_404 = {"error_msg": "The API does not exist or has not been published in the environment", "error_code": "APIGW.0101", "request_id": "gw-1"}
BUSY = {"NeutronError": {"type": "StateInvalid", "message": f"Invalid state PENDING_UPDATE of loadbalancer resource {LB_ID}", "detail": ""}}


ACTIVE = {"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}}
# The wait before a write that follows another: the pool once (for its load balancer id), then the load balancer.
FIRST_SETTLE = [("GET", POOL_URL, None), ("GET", LB_URL, None)]
SETTLE = [("GET", LB_URL, None)]


def register_settle(http):
    http.get(POOL_URL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(LB_URL, json=ACTIVE)


def member_id(number):
    return f"00000000-0000-4000-8000-{number:012d}"


def member(number, port=80, **changes):
    values = {
        "id": member_id(number),
        "name": "",
        "address": f"10.0.{number // 256}.{number % 256}",
        "protocol_port": port,
        "subnet_id": SUBNET,
        "weight": 1,
        "admin_state_up": True,
        "operating_status": "NO_MONITOR",
    }
    values.update(changes)
    return values


def item(number, **attributes):
    values = {"address": f"10.0.{number // 256}.{number % 256}", "protocol_port": 80, "subnet_id": SUBNET}
    values.update(attributes)
    return values


def create_body(number, **attributes):
    return item(number, **attributes)


def full_body(number, **changes):
    body = {key: value for key, value in member(number, **changes).items() if key not in ("id", "operating_status")}
    return body


def desired(*items):
    return validate_pool_members_options({"pool": POOL, "members": list(items), "purge": False})["members"]


def plan_and_list(current, items, purge=False):
    want = desired(*items)
    return plan_pool_members(current, want, purge), want


def plan_for(current, items, purge=False):
    return plan_and_list(current, items, purge)[0]


def listing(*members):
    return {"members": list(members), "members_links": []}


@pytest.fixture
def client(fake_time):
    # As ElbModule builds it: a busy answer is waited out on the load balancer it names.
    return ElbClient(ENDPOINT, TokenAuth("tok"), timeout=60, busy_waiter=wait_until_not_busy)


def write(client, strategy, current, items, purge=False):
    plan, want = plan_and_list(current, items, purge)
    writer = PoolMembersWriter(client, POOL, strategy)
    writer.write(plan, want)
    return writer.method


# -- building the calls (pure) ---------------------------------------------------------------------------------------


def test_elb_calls_chunk_at_200_creates_before_deletes():
    current = [member(n) for n in range(1000, 1201)]
    plan = plan_for(current, [item(n) for n in range(1, 451)], purge=True)
    calls = elb_batch_calls(plan)
    assert [(action, len(items)) for action, items in calls] == [("add", 200), ("add", 200), ("add", 50), ("delete", 200), ("delete", 1)]
    assert calls[0][1][0] == create_body(1)
    assert calls[3][1][0] == {"id": member_id(1000)}


def test_octavia_call_without_purge_is_additive_with_creates_and_full_updates():
    current = [member(1), member(2, name="keep", weight=3), member(9)]
    plan = plan_for(current, [item(1), item(2, weight=5), item(3)])
    assert octavia_batch_call(plan) == ({"additive_only": "true"}, [create_body(3), full_body(2, name="keep", weight=5)])


def test_octavia_call_with_purge_is_the_complete_desired_list():
    current = [member(1), member(2, weight=3), member(9)]
    plan = plan_for(current, [item(1), item(2, weight=5), item(3)], purge=True)
    params, items = octavia_batch_call(plan)
    assert params is None
    assert items == [create_body(3), full_body(2, weight=5), full_body(1)]


@pytest.mark.parametrize("body", [OCTAVIA_REFUSAL, NEUTRON_REFUSAL])
def test_octavia_refusal_is_recognized(body, client, http):
    http.put(MEMBERS_URL, status=400, json=body)
    response = client.request("PUT", MEMBERS_URL, body={}, expected=(202,), accept=("bad_request",))
    assert is_octavia_refusal(response.error)
    assert not is_missing_route(response.error)


@pytest.mark.parametrize(
    "status, body, missing",
    [
        (404, GATEWAY_404, True),
        (404, {"NeutronError": {"type": "HTTPNotFound", "message": "The resource could not be found.", "detail": ""}}, True),
        (405, {"NeutronError": {"type": "HTTPMethodNotAllowed", "message": "Method not allowed.", "detail": ""}}, True),
        (404, {"NeutronError": {"type": "EntityNotFound", "message": f"member {member_id(1)} could not be found", "detail": ""}}, False),
        (404, {"code": 404, "title": "Bad Request", "description": f"Pool {POOL} not found."}, False),
        (400, {"NeutronError": {"type": "HTTPBadRequest", "message": "Vpc a of member's subnet_cidr s and vpc b mismatch", "detail": ""}}, False),
    ],
)
def test_missing_route_is_recognized(status, body, missing, client, http):
    http.put(MEMBERS_URL, status=status, json=body)
    response = client.request("PUT", MEMBERS_URL, body={}, expected=(202,), accept=("bad_request", "not_found"))
    assert is_missing_route(response.error) is missing
    assert not is_octavia_refusal(response.error)


# -- explicit strategies ---------------------------------------------------------------------------------------------


def test_batch_elb_chunks_creates_and_deletes_and_updates_each_member(client, http, calls):
    current = [member(n) for n in range(1000, 1003)] + [member(600, weight=2)]
    http.put(MEMBERS_URL, status=202)
    http.put(MEMBERS_URL + "/" + member_id(600), json={"member": member(600, weight=7)})
    register_settle(http)
    method = write(client, "batch_elb", current, [item(n) for n in range(1, 251)] + [item(600, weight=7)], purge=True)
    assert method == "batch_elb"
    assert calls() == [
        ("PUT", MEMBERS_URL, {"action": "add", "members": [create_body(n) for n in range(1, 201)]}),
        *FIRST_SETTLE,
        ("PUT", MEMBERS_URL, {"action": "add", "members": [create_body(n) for n in range(201, 251)]}),
        *SETTLE,
        ("PUT", MEMBERS_URL, {"action": "delete", "members": [{"id": member_id(n)} for n in range(1000, 1003)]}),
        *SETTLE,
        ("PUT", MEMBERS_URL + "/" + member_id(600), {"member": {"weight": 7}}),
    ]


def test_batch_elb_without_purge_never_deletes(client, http, calls):
    http.put(MEMBERS_URL, status=202)
    write(client, "batch_elb", [member(9), member(8)], [item(1)])
    assert calls() == [("PUT", MEMBERS_URL, {"action": "add", "members": [create_body(1)]})]


def test_batch_elb_waits_for_the_load_balancer_between_chunks_and_after_a_busy_answer(client, http, calls, fake_time):
    http.put(MEMBERS_URL, status=202)
    http.get(POOL_URL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "PENDING_UPDATE"}})
    http.get(LB_URL, json=ACTIVE)
    # ACTIVE, and yet busy: the client waits once more and sends the same call again.
    http.put(MEMBERS_URL, status=409, json=BUSY)
    http.put(MEMBERS_URL, status=202)
    write(client, "batch_elb", [], [item(n) for n in range(1, 202)])
    assert [(method, url, len(body["members"]) if body else None) for method, url, body in calls()] == [
        ("PUT", MEMBERS_URL, 200),
        ("GET", POOL_URL, None),
        ("GET", LB_URL, None),
        ("GET", LB_URL, None),
        ("PUT", MEMBERS_URL, 1),
        ("GET", LB_URL, None),
        ("PUT", MEMBERS_URL, 1),
    ]


def test_batch_elb_on_a_server_without_batch_endpoint_fails_with_a_hint(client, http, calls):
    http.put(MEMBERS_URL, status=404, json=GATEWAY_404)
    with pytest.raises(ElbApiError) as info:
        write(client, "batch_elb", [], [item(1)])
    assert info.value.status == 404
    assert "use strategy auto or per_member" in info.value.message
    assert len(calls()) == 1


def test_batch_octavia_without_purge_sends_one_additive_call_of_any_size(client, http, calls):
    http.put(ADDITIVE_URL, status=202)
    method = write(client, "batch_octavia", [member(900)], [item(n) for n in range(1, 301)])
    assert method == "batch_octavia"
    assert calls() == [("PUT", ADDITIVE_URL, {"members": [create_body(n) for n in range(1, 301)]})]


def test_batch_octavia_sends_updates_with_all_their_attributes(client, http, calls):
    http.put(ADDITIVE_URL, status=202)
    write(client, "batch_octavia", [member(2, name="keep", weight=3, admin_state_up=False), member(9)], [item(1), item(2, weight=4)])
    assert calls() == [("PUT", ADDITIVE_URL, {"members": [create_body(1), full_body(2, name="keep", weight=4, admin_state_up=False)]})]


def test_batch_octavia_with_purge_sends_the_complete_list(client, http, calls):
    http.put(MEMBERS_URL, status=202)
    write(client, "batch_octavia", [member(1), member(2, weight=3), member(9)], [item(1), item(2, weight=4), item(3)], purge=True)
    assert calls() == [("PUT", MEMBERS_URL, {"members": [create_body(3), full_body(2, weight=4), full_body(1)]})]


def test_batch_octavia_retries_a_5xx_because_the_list_is_declarative(client, http, calls, fake_time):
    http.put(ADDITIVE_URL, status=503, body="busy")
    http.put(ADDITIVE_URL, status=202)
    write(client, "batch_octavia", [], [item(1)])
    assert [method for method, url, body in calls()] == ["PUT", "PUT"]


def test_per_member_writes_each_member_in_order(client, http, calls):
    http.post(MEMBERS_URL, status=201, json={"member": member(1)})
    http.put(MEMBERS_URL + "/" + member_id(2), json={"member": member(2, weight=4)})
    http.delete(MEMBERS_URL + "/" + member_id(9), status=204)
    register_settle(http)
    method = write(client, "per_member", [member(2), member(9)], [item(1), item(2, weight=4)], purge=True)
    assert method == "per_member"
    assert calls() == [
        ("POST", MEMBERS_URL, {"member": create_body(1)}),
        *FIRST_SETTLE,
        ("PUT", MEMBERS_URL + "/" + member_id(2), {"member": {"weight": 4}}),
        *SETTLE,
        ("DELETE", MEMBERS_URL + "/" + member_id(9), None),
    ]


# -- auto: the probe -------------------------------------------------------------------------------------------------


def test_auto_on_elb_probes_with_the_first_add_and_goes_on_in_elb_dialect(client, http, calls):
    http.put(ADDITIVE_URL, status=202)
    register_settle(http)
    method = write(client, "auto", [member(900)], [item(n) for n in range(1, 101)], purge=True)
    assert method == "batch_elb"
    assert calls() == [
        ("PUT", ADDITIVE_URL, {"action": "add", "members": [create_body(n) for n in range(1, 101)]}),
        *FIRST_SETTLE,
        ("PUT", ADDITIVE_URL, {"action": "delete", "members": [{"id": member_id(900)}]}),
    ]


@pytest.mark.parametrize("refusal", [OCTAVIA_REFUSAL, NEUTRON_REFUSAL])
def test_auto_on_octavia_switches_after_the_refusal_of_action(refusal, client, http, calls):
    http.put(ADDITIVE_URL, status=400, json=refusal)
    http.put(ADDITIVE_URL, status=202)
    method = write(client, "auto", [member(500, weight=3), member(900)], [item(n) for n in range(1, 101)] + [item(500, weight=5)])
    assert method == "batch_octavia"
    created = [create_body(n) for n in range(1, 101)]
    assert calls() == [
        ("PUT", ADDITIVE_URL, {"action": "add", "members": created}),
        ("PUT", ADDITIVE_URL, {"members": [*created, full_body(500, weight=5)]}),
    ]


def test_auto_on_octavia_with_purge_sends_the_complete_list_without_additive_only(client, http, calls):
    http.put(ADDITIVE_URL, status=400, json=OCTAVIA_REFUSAL)
    http.put(MEMBERS_URL, status=202)
    write(client, "auto", [member(1), member(2, weight=3), member(9)], [item(1), item(2, weight=4)], purge=True)
    assert calls() == [
        # The first batch call of this plan is the delete: it is the probe.
        ("PUT", ADDITIVE_URL, {"action": "delete", "members": [{"id": member_id(9)}]}),
        ("PUT", MEMBERS_URL, {"members": [full_body(2, weight=4), full_body(1)]}),
    ]


@pytest.mark.parametrize(
    "status, body",
    [(404, GATEWAY_404), (405, {"NeutronError": {"type": "HTTPMethodNotAllowed", "message": "Method not allowed.", "detail": ""}})],
)
def test_auto_without_batch_endpoint_falls_back_to_one_call_per_member(status, body, client, http, calls):
    http.put(ADDITIVE_URL, status=status, json=body)
    http.post(MEMBERS_URL, status=201, json={"member": member(1)})
    http.post(MEMBERS_URL, status=201, json={"member": member(3)})
    http.put(MEMBERS_URL + "/" + member_id(2), json={"member": member(2, weight=4)})
    register_settle(http)
    method = write(client, "auto", [member(2), member(9)], [item(1), item(2, weight=4), item(3)])
    assert method == "per_member"
    assert calls() == [
        # The refused probe changed nothing: no wait before the first member.
        ("PUT", ADDITIVE_URL, {"action": "add", "members": [create_body(1), create_body(3)]}),
        ("POST", MEMBERS_URL, {"member": create_body(1)}),
        *FIRST_SETTLE,
        ("POST", MEMBERS_URL, {"member": create_body(3)}),
        *SETTLE,
        ("PUT", MEMBERS_URL + "/" + member_id(2), {"member": {"weight": 4}}),
    ]


def test_auto_fallback_still_retries_a_busy_answer(client, http, calls, fake_time):
    http.put(ADDITIVE_URL, status=404, json=GATEWAY_404)
    http.post(MEMBERS_URL, status=201, json={"member": member(1)})
    register_settle(http)
    http.post(MEMBERS_URL, status=409, json=BUSY)
    http.post(MEMBERS_URL, status=201, json={"member": member(2)})
    write(client, "auto", [], [item(1), item(2)])
    assert [(method, url) for method, url, body in calls()] == [
        ("PUT", ADDITIVE_URL),
        ("POST", MEMBERS_URL),
        ("GET", POOL_URL),
        ("GET", LB_URL),
        ("POST", MEMBERS_URL),
        ("GET", LB_URL),
        ("POST", MEMBERS_URL),
    ]


def test_auto_does_not_fall_back_on_a_real_error(client, http, calls):
    refusal = {"NeutronError": {"type": "HTTPBadRequest", "message": "Vpc vpc-b of member's subnet_cidr s and vpc vpc-a mismatch", "detail": ""}}
    http.put(ADDITIVE_URL, status=400, json=refusal)
    with pytest.raises(ElbApiError) as info:
        write(client, "auto", [], [item(1)])
    assert info.value.status == 400
    assert "mismatch" in info.value.message
    assert len(calls()) == 1


def test_auto_with_only_updates_updates_member_by_member_without_probe(client, http, calls):
    http.put(MEMBERS_URL + "/" + member_id(1), json={"member": member(1, weight=0)})
    http.put(MEMBERS_URL + "/" + member_id(2), json={"member": member(2, name="b")})
    register_settle(http)
    method = write(client, "auto", [member(1), member(2), member(3)], [item(1, weight=0), item(2, name="b")])
    assert method == "per_member"
    assert calls() == [
        ("PUT", MEMBERS_URL + "/" + member_id(1), {"member": {"weight": 0}}),
        *FIRST_SETTLE,
        ("PUT", MEMBERS_URL + "/" + member_id(2), {"member": {"name": "b"}}),
    ]


# -- answers that may hide success: read the pool again, write the rest ----------------------------------------------


def test_lost_answer_of_an_add_is_not_resent_blindly(client, http, calls, fake_time):
    http.put(ADDITIVE_URL, status=202)
    http.put(ADDITIVE_URL, body=remote_disconnected())
    # The lost add did happen: the pool is read again and only the delete is left.
    http.get(MEMBERS_URL, json=listing(*[member(n) for n in range(1, 202)], member(9000)))
    http.put(ADDITIVE_URL, status=202)
    register_settle(http)
    write(client, "auto", [member(9000)], [item(n) for n in range(1, 202)], purge=True)
    assert [(method, url, body and body.get("action"), body and len(body["members"])) for method, url, body in calls()] == [
        ("PUT", ADDITIVE_URL, "add", 200),
        ("GET", POOL_URL, None, None),
        ("GET", LB_URL, None, None),
        ("PUT", ADDITIVE_URL, "add", 1),
        ("GET", MEMBERS_URL, None, None),
        ("GET", LB_URL, None, None),
        ("PUT", ADDITIVE_URL, "delete", 1),
    ]


def test_duplicate_on_add_reads_the_pool_and_writes_only_what_is_missing(client, http, calls, fake_time):
    http.put(
        MEMBERS_URL,
        status=409,
        json={"NeutronError": {"type": "MemberExists", "message": f"Member with address 10.0.0.1 and protocol_port 80 already present in pool {POOL}"}},
    )
    http.get(MEMBERS_URL, json=listing(member(1)))
    http.put(MEMBERS_URL, status=202)
    register_settle(http)
    write(client, "batch_elb", [], [item(1), item(2)])
    assert calls() == [
        ("PUT", MEMBERS_URL, {"action": "add", "members": [create_body(1), create_body(2)]}),
        ("GET", MEMBERS_URL, None),
        *FIRST_SETTLE,
        ("PUT", MEMBERS_URL, {"action": "add", "members": [create_body(2)]}),
    ]


def test_member_404_on_the_probe_means_elb_and_a_pool_that_changed(client, http, calls, fake_time):
    gone = {"NeutronError": {"type": "EntityNotFound", "message": f"member {member_id(7)} could not be found", "detail": ""}}
    http.put(ADDITIVE_URL, status=404, json=gone)
    http.get(MEMBERS_URL, json=listing(member(1), member(8)))
    http.put(ADDITIVE_URL, status=202)
    method = write(client, "auto", [member(1), member(7), member(8)], [item(1)], purge=True)
    assert method == "batch_elb"
    assert calls() == [
        ("PUT", ADDITIVE_URL, {"action": "delete", "members": [{"id": member_id(7)}, {"id": member_id(8)}]}),
        ("GET", MEMBERS_URL, None),
        ("PUT", ADDITIVE_URL, {"action": "delete", "members": [{"id": member_id(8)}]}),
    ]


def test_5xx_on_delete_then_gone_is_done(client, http, calls, fake_time):
    http.put(MEMBERS_URL, status=500, json={"NeutronError": {"type": "HTTPInternalServerError", "message": "Internal error", "detail": ""}})
    http.get(MEMBERS_URL, json=listing(member(1)))
    write(client, "batch_elb", [member(1), member(7)], [item(1)], purge=True)
    assert [method for method, url, body in calls()] == ["PUT", "GET"]


def test_replanning_gives_up_after_a_few_rounds(client, http, calls, fake_time):
    server_error = {"NeutronError": {"type": "HTTPInternalServerError", "message": "Internal error", "detail": ""}}
    # The first write and three more after reading the pool again (MAX_REPLANS): all fail.
    for body in [server_error] * 4:
        http.put(MEMBERS_URL, status=500, json=body)
    for body in [listing()] * 3:
        http.get(MEMBERS_URL, json=body)
    register_settle(http)
    with pytest.raises(ElbApiError) as info:
        write(client, "batch_elb", [], [item(1)])
    assert info.value.status == 500
    assert [(method, url) for method, url, body in calls()] == [
        ("PUT", MEMBERS_URL),
        ("GET", MEMBERS_URL),
        ("GET", POOL_URL),
        ("GET", LB_URL),
        ("PUT", MEMBERS_URL),
        ("GET", MEMBERS_URL),
        ("GET", LB_URL),
        ("PUT", MEMBERS_URL),
        ("GET", MEMBERS_URL),
        ("GET", LB_URL),
        ("PUT", MEMBERS_URL),
    ]


# -- apply_pool_plan: check mode, waiting, the final read ------------------------------------------------------------


def test_check_mode_writes_nothing(client, http, calls):
    current = [member(2), member(9)]
    plan, want = plan_and_list(current, [item(1), item(2, weight=4)], purge=True)
    result = apply_pool_plan(client, POOL, current, plan, want, check_mode=True)
    assert calls() == []
    assert result["changed"] is True
    assert result["strategy_used"] is None
    assert result["members"] == [member(2, weight=4), create_body(1)]
    assert result["removed"] == [{"id": member_id(9), "address": "10.0.0.9", "protocol_port": 80}]


def test_no_change_sends_nothing(client, http, calls):
    current = [member(1)]
    plan, want = plan_and_list(current, [item(1)], purge=True)
    result = apply_pool_plan(client, POOL, current, plan, want)
    assert calls() == []
    assert result["changed"] is False
    assert result["members"] == current


def test_apply_waits_for_the_load_balancer_then_reads_the_pool_once(client, http, calls, fake_time):
    current = []
    plan, want = plan_and_list(current, [item(1)])
    http.put(ADDITIVE_URL, status=202)
    http.get(POOL_URL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "PENDING_UPDATE"}})
    http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})
    http.get(MEMBERS_URL, json=listing(member(1)))
    result = apply_pool_plan(client, POOL, current, plan, want, strategy="auto")
    assert [(method, url) for method, url, body in calls()] == [
        ("PUT", ADDITIVE_URL),
        ("GET", POOL_URL),
        ("GET", LB_URL),
        ("GET", LB_URL),
        ("GET", MEMBERS_URL),
    ]
    assert result["strategy_used"] == "batch_elb"
    assert result["created"] == [{"id": member_id(1), "address": "10.0.0.1", "protocol_port": 80}]
    assert result["members"] == [member(1)]


def test_apply_without_wait_only_reads_the_pool(client, http, calls):
    plan, want = plan_and_list([], [item(1)])
    http.put(MEMBERS_URL, status=202)
    http.get(MEMBERS_URL, json=listing(member(1)))
    apply_pool_plan(client, POOL, [], plan, want, strategy="batch_elb", wait=False)
    assert [method for method, url, body in calls()] == ["PUT", "GET"]
