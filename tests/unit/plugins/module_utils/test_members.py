# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Member planning (pure) and applying: lost answers, duplicates, waiting."""

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbApiError, ElbError, ElbTimeoutError, ElbValidationError
from ansible_collections.lbaas.elb.plugins.module_utils.loadbalancers import wait_until_not_busy
from ansible_collections.lbaas.elb.plugins.module_utils.members import (
    apply_member_plan,
    find_member,
    list_members,
    member_key,
    member_matches,
    plan_member_changes,
)
from ansible_collections.lbaas.elb.tests.unit.plugins.requests_failures import read_timeout, remote_disconnected

ENDPOINT = "https://elb.example.test"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
SUBNET = "0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90"
MEMBER_ID = "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
LB_ID = "2c1d0e9f-8a7b-4c6d-9e5f-0a1b2c3d4e5f"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
MEMBER_URL = MEMBERS_URL + "/" + MEMBER_ID
LIST_URL = MEMBERS_URL + "?address=10.0.0.5&protocol_port=80"
CREATE_BODY = {"member": {"address": "10.0.0.5", "protocol_port": 80, "subnet_id": SUBNET, "weight": 5, "admin_state_up": True}}


def desired(state="present", subnet_id=SUBNET, **attributes):
    if not attributes:
        attributes = {"weight": 5, "admin_state_up": True}
    return {"pool_kind": "id", "pool": POOL, "address": "10.0.0.5", "protocol_port": 80, "subnet_id": subnet_id, "state": state, "attributes": attributes}


def member(**changes):
    values = {
        "id": MEMBER_ID,
        "name": "",
        "address": "10.0.0.5",
        "protocol_port": 80,
        "subnet_id": SUBNET,
        "weight": 5,
        "admin_state_up": True,
        "operating_status": "ONLINE",
    }
    values.update(changes)
    return values


@pytest.fixture
def client(fake_time):
    # As ElbModule builds it: a busy answer is waited out on the load balancer it names.
    return ElbClient(ENDPOINT, TokenAuth("tok"), timeout=30, busy_waiter=wait_until_not_busy)


# -- planning (pure) -------------------------------------------------------------------------------------------------


def test_plan_create():
    plan = plan_member_changes(None, desired())
    assert plan == {"action": "create", "before": {}, "after": CREATE_BODY["member"], "body": CREATE_BODY, "member_id": None}


def test_plan_none_when_equal_ignoring_unset_attributes():
    plan = plan_member_changes(member(name="whatever"), desired())
    assert plan["action"] == "none"
    assert plan["before"] == plan["after"] == member(name="whatever")


def test_plan_update_only_differing_set_attributes():
    plan = plan_member_changes(member(weight=1, admin_state_up=False, name="x"), desired(weight=5, name="x"))
    assert plan["action"] == "update"
    assert plan["body"] == {"member": {"weight": 5}}
    assert plan["after"] == member(weight=5, admin_state_up=False, name="x")
    assert plan["member_id"] == MEMBER_ID


def test_plan_unset_admin_state_is_neither_sent_on_create_nor_compared():
    # OTC reports admin_state_up false for an address no server owns: unset must mean "leave it as it is".
    plan = plan_member_changes(None, desired(weight=5))
    assert plan["body"] == {"member": {"address": "10.0.0.5", "protocol_port": 80, "subnet_id": SUBNET, "weight": 5}}
    assert plan_member_changes(member(admin_state_up=False), desired(weight=5))["action"] == "none"
    assert plan_member_changes(member(admin_state_up=False), desired(weight=5, admin_state_up=True))["body"] == {"member": {"admin_state_up": True}}


def test_plan_delete_and_absent():
    assert plan_member_changes(member(), desired(state="absent"))["action"] == "delete"
    assert plan_member_changes(member(), desired(state="absent"))["after"] == {}
    assert plan_member_changes(None, desired(state="absent")) == {"action": "none", "before": {}, "after": {}, "body": None, "member_id": None}


def test_plan_create_needs_subnet():
    with pytest.raises(ElbValidationError) as info:
        plan_member_changes(None, desired(subnet_id=None))
    assert info.value.option == "subnet_id"
    assert "required to create member 10.0.0.5:80" in info.value.message


def test_plan_existing_member_without_subnet_option_is_fine():
    assert plan_member_changes(member(), desired(subnet_id=None))["action"] == "none"


def test_plan_refuses_subnet_change():
    other = "1e6f3c3b-9c5e-4a9f-8f64-4d7d3f7a3ca1"
    with pytest.raises(ElbValidationError) as info:
        plan_member_changes(member(), desired(subnet_id=other))
    assert "subnet_id cannot be changed in place" in info.value.message
    assert "state: absent" in info.value.message


def test_plan_subnet_compared_case_insensitively():
    assert plan_member_changes(member(), desired(subnet_id=SUBNET.upper()))["action"] == "none"


# -- find ------------------------------------------------------------------------------------------------------------


def test_find_member_matches_exactly_on_the_client(client, http):
    # A server that ignores the filters returns other members too.
    http.get(LIST_URL, json={"members": [member(address="10.0.0.50", id="x"), member(protocol_port=8080, id="y"), member()], "members_links": []})
    assert find_member(client, POOL, "10.0.0.5", 80) == member()


def test_find_member_follows_next_links(client, http, calls):
    page2 = MEMBERS_URL + "?address=10.0.0.5&protocol_port=80&limit=1&marker=a"
    http.get(LIST_URL, json={"members": [member(address="10.0.0.6")], "members_links": [{"rel": "next", "href": page2}]})
    http.get(page2, json={"members": [member()], "members_links": []})
    assert find_member(client, POOL, "10.0.0.5", 80) == member()
    assert len(calls()) == 2


def test_find_member_skips_a_member_being_deleted(client, http):
    # Octavia shows a deleted member as PENDING_DELETE until the load balancer settles: it is not "present".
    http.get(LIST_URL, json={"members": [member(provisioning_status="PENDING_DELETE")], "members_links": []})
    assert find_member(client, POOL, "10.0.0.5", 80) is None
    http.get(LIST_URL, json={"members": [member(provisioning_status="PENDING_DELETE", id="old"), member(provisioning_status="ACTIVE")]})
    assert find_member(client, POOL, "10.0.0.5", 80) == member(provisioning_status="ACTIVE")


def test_find_member_missing_pool(client, http):
    http.get(LIST_URL, status=404, json={"code": 404, "title": "Bad Request", "description": "Pool not found."})
    http.get(LIST_URL, status=404, json={"code": 404, "title": "Bad Request", "description": "Pool not found."})
    assert find_member(client, POOL, "10.0.0.5", 80, missing_pool_ok=True) is None
    with pytest.raises(ElbApiError):
        find_member(client, POOL, "10.0.0.5", 80)


# -- list ------------------------------------------------------------------------------------------------------------


def test_list_members_without_filters_reads_every_page(client, http, calls):
    page2 = MEMBERS_URL + "?limit=1&marker=" + MEMBER_ID
    http.get(MEMBERS_URL, json={"members": [member()], "members_links": [{"rel": "next", "href": page2}]})
    http.get(page2, json={"members": [], "members_links": []})
    assert list_members(client, POOL) == [member()]
    assert [url for method, url, body in calls()] == [MEMBERS_URL, page2]


def test_list_members_sends_filters_and_applies_them_again(client, http, calls):
    url = MEMBERS_URL + "?weight=0&admin_state_up=false"
    http.get(url, json={"members": [member(weight=0, admin_state_up=False), member(weight=0), member(weight=False, admin_state_up=False)]})
    assert list_members(client, POOL, {"weight": 0, "admin_state_up": False}) == [member(weight=0, admin_state_up=False)]
    assert [url for method, url, body in calls()] == [url]


def test_list_members_live_only_leaves_out_members_being_deleted(client, http):
    listed = [member(provisioning_status="PENDING_DELETE", id="a"), member(provisioning_status="PENDING_CREATE", id="b"), member(id="c")]
    http.get(MEMBERS_URL, json={"members": listed, "members_links": []})
    http.get(MEMBERS_URL, json={"members": listed, "members_links": []})
    assert [found["id"] for found in list_members(client, POOL)] == ["a", "b", "c"]
    assert [found["id"] for found in list_members(client, POOL, live_only=True)] == ["b", "c"]


@pytest.mark.parametrize(
    "filters, matches",
    [
        ({"address": "10.0.0.5"}, True),
        ({"address": "10.0.0.6"}, False),
        ({"protocol_port": 80}, True),
        ({"protocol_port": 81}, False),
        ({"subnet_id": SUBNET.upper()}, True),
        ({"name": ""}, True),
        ({"name": "x"}, False),
        ({"weight": 5, "admin_state_up": True}, True),
        ({"weight": 5, "admin_state_up": False}, False),
    ],
)
def test_member_matches(filters, matches):
    assert member_matches(member(), filters) is matches


def test_member_key():
    assert member_key(member(address="2001:DB8::1")) == member_key(member(address="2001:db8:0::1"))
    assert member_key(member(address="garbage")) is None
    assert member_key("not a member") is None


# -- apply -----------------------------------------------------------------------------------------------------------


def apply(client, current, want, **kwargs):
    return apply_member_plan(client, POOL, plan_member_changes(current, want), want, **kwargs)


def test_lost_post_answer_then_found_is_adopted_as_changed(client, http, calls):
    http.post(MEMBERS_URL, body=remote_disconnected())
    http.get(LIST_URL, json={"members": [member()], "members_links": []})
    result = apply(client, None, desired())
    assert result["changed"] is True
    assert result["member"] == member()
    assert calls() == [("POST", MEMBERS_URL, CREATE_BODY), ("GET", LIST_URL, None)]


def test_post_5xx_then_missing_is_posted_again(client, http, calls, fake_time):
    http.post(MEMBERS_URL, status=502, body="<html>Bad Gateway</html>")
    http.get(LIST_URL, json={"members": [], "members_links": []})
    http.post(MEMBERS_URL, status=201, json={"member": member()})
    result = apply(client, None, desired())
    assert result["changed"] is True
    assert calls() == [("POST", MEMBERS_URL, CREATE_BODY), ("GET", LIST_URL, None), ("POST", MEMBERS_URL, CREATE_BODY)]
    assert len(fake_time.sleeps) == 1


def test_post_lost_and_adopted_member_is_updated_if_it_differs(client, http, calls):
    http.post(MEMBERS_URL, body=read_timeout())
    http.get(LIST_URL, json={"members": [member(weight=1)], "members_links": []})
    http.put(MEMBER_URL, json={"member": member()})
    result = apply(client, None, desired())
    assert result["changed"] is True
    assert calls()[-1] == ("PUT", MEMBER_URL, {"member": {"weight": 5}})


def test_post_duplicate_is_adopted_unchanged(client, http, calls):
    http.post(
        MEMBERS_URL,
        status=409,
        json={"NeutronError": {"type": "MemberExists", "message": f"Member with address 10.0.0.5 and protocol_port 80 already present in pool {POOL}"}},
    )
    http.get(LIST_URL, json={"members": [member()], "members_links": []})
    result = apply(client, None, desired())
    assert result["changed"] is False
    assert result["member"] == member()
    assert result["diff"] == {"before": member(), "after": member()}
    assert calls() == [("POST", MEMBERS_URL, CREATE_BODY), ("GET", LIST_URL, None)]


def test_post_duplicate_adopted_then_updated(client, http, calls):
    http.post(
        MEMBERS_URL, status=409, json={"faultcode": "Client", "faultstring": "Another member on this pool is already using ip 10.0.0.5 on protocol_port 80"}
    )
    http.get(LIST_URL, json={"members": [member(admin_state_up=False)], "members_links": []})
    http.put(MEMBER_URL, json={"member": member()})
    result = apply(client, None, desired())
    assert result["changed"] is True
    assert [method for method, url, body in calls()] == ["POST", "GET", "PUT"]


def test_post_duplicate_but_not_found_is_an_error(client, http):
    http.post(
        MEMBERS_URL, status=409, json={"faultcode": "Client", "faultstring": "Another member on this pool is already using ip 10.0.0.5 on protocol_port 80"}
    )
    http.get(LIST_URL, json={"members": [], "members_links": []})
    with pytest.raises(ElbApiError) as info:
        apply(client, None, desired())
    assert info.value.kind == "duplicate"


def test_post_busy_is_waited_for_and_retried(client, http, calls, fake_time):
    lb_url = ENDPOINT + "/v2.0/lbaas/loadbalancers/" + LB_ID
    http.post(MEMBERS_URL, status=409, json={"faultcode": "Client", "faultstring": f"Load Balancer {LB_ID} is immutable and cannot be updated."})
    http.get(lb_url, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})
    http.post(MEMBERS_URL, status=201, json={"member": member()})
    result = apply(client, None, desired())
    assert result["changed"] is True
    assert [(method, url) for method, url, body in calls()] == [("POST", MEMBERS_URL), ("GET", lb_url), ("POST", MEMBERS_URL)]


def test_post_keeps_failing_until_the_deadline(fake_time, http):
    client = ElbClient(ENDPOINT, TokenAuth("tok"), timeout=1)
    http.post(MEMBERS_URL, status=503, json={"error": {"code": "ELB.0001", "message": "unavailable"}})
    http.get(LIST_URL, json={"members": [], "members_links": []})
    with pytest.raises(ElbTimeoutError) as info:
        apply(client, None, desired())
    assert f"POST /v2.0/lbaas/pools/{POOL}/members to create member 10.0.0.5:80" in info.value.message
    assert "ELB.0001" in info.value.message


def test_delete_already_gone_is_done(client, http, calls):
    http.delete(MEMBER_URL, status=404, json={"faultcode": "Client", "faultstring": "Member not found."})
    result = apply(client, member(), desired(state="absent"))
    assert result["changed"] is True
    assert result["member"] == member()


def test_wait_after_delete_polls_until_member_is_gone(client, http, calls, fake_time):
    pending = member(provisioning_status="ACTIVE")
    lb_url = ENDPOINT + "/v2.0/lbaas/loadbalancers/" + LB_ID
    http.delete(MEMBER_URL, status=204)
    http.get(ENDPOINT + "/v2.0/lbaas/pools/" + POOL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(lb_url, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})
    http.get(MEMBER_URL, json={"member": member(provisioning_status="PENDING_DELETE")})
    http.get(MEMBER_URL, status=404, json={"faultcode": "Client", "faultstring": "Member not found."})
    result = apply(client, pending, desired(state="absent"), wait=True)
    assert result["changed"] is True
    assert result["member"] == pending
    assert [method for method, url, body in calls()] == ["DELETE", "GET", "GET", "GET", "GET"]


def test_wait_without_member_status_only_waits_for_the_load_balancer(client, http, calls):
    lb_url = ENDPOINT + "/v2.0/lbaas/loadbalancers/" + LB_ID
    http.put(MEMBER_URL, json={"member": member(weight=5)})
    http.get(ENDPOINT + "/v2.0/lbaas/pools/" + POOL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(lb_url, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})
    result = apply(client, member(weight=1), desired(), wait=True)
    assert result["member"] == member(weight=5)
    assert [method for method, url, body in calls()] == ["PUT", "GET", "GET"]


def test_a_failed_wait_after_a_write_still_reports_the_change(client, http, calls):
    lb_url = ENDPOINT + "/v2.0/lbaas/loadbalancers/" + LB_ID
    http.put(MEMBER_URL, json={"member": member(weight=5)})
    http.get(ENDPOINT + "/v2.0/lbaas/pools/" + POOL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(lb_url, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ERROR"}})
    with pytest.raises(ElbError) as info:
        apply(client, member(weight=1), desired(), wait=True)
    assert "provisioning_status ERROR" in info.value.message
    assert info.value.partial_result == {"changed": True, "member": member(weight=5)}
    assert [method for method, url, body in calls()] == ["PUT", "GET", "GET"]


def test_check_mode_never_writes(client, http, calls):
    for current, want in ((None, desired()), (member(weight=1), desired()), (member(), desired(state="absent"))):
        result = apply(client, current, want, check_mode=True)
        assert result["changed"] is True
    assert calls() == []
