# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""elb_member end to end through main(): the exact HTTP calls of each branch."""

from __future__ import annotations

import json

import pytest

from ansible_collections.lbaas.elb.tests.unit.plugins.module_args import patch_module_args

from ansible_collections.lbaas.elb.plugins.module_utils.client import COLLECTION_VERSION
from ansible_collections.lbaas.elb.plugins.modules import elb_member

ENDPOINT = "https://elb.example.test"
TOKEN = "fixed-token-s3cr3t"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
SUBNET = "0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90"
OTHER_SUBNET = "1e6f3c3b-9c5e-4a9f-8f64-4d7d3f7a3ca1"
MEMBER_ID = "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
LB_ID = "2c1d0e9f-8a7b-4c6d-9e5f-0a1b2c3d4e5f"
MEMBERS_URL = ENDPOINT + "/v2.0/lbaas/pools/" + POOL + "/members"
MEMBER_URL = MEMBERS_URL + "/" + MEMBER_ID
LIST_URL = MEMBERS_URL + "?address=192.168.44.11&protocol_port=80"
EMPTY_LIST = {"members": [], "members_links": []}

BASE_ARGS = {
    "endpoint": ENDPOINT,
    "auth": {"token": TOKEN},
    "pool": POOL,
    "address": "192.168.44.11",
    "protocol_port": 80,
}


def existing_member(**changes):
    member = {
        "id": MEMBER_ID,
        "name": "web-1",
        "address": "192.168.44.11",
        "protocol_port": 80,
        "subnet_id": SUBNET,
        "weight": 1,
        "admin_state_up": True,
        "operating_status": "NO_MONITOR",
        "tenant_id": "6a0a5b2c4d8e4f3a9b1c2d3e4f5a6b7c",
    }
    member.update(changes)
    return member


def run_module(capsys, check_mode=False, diff=False, **args):
    module_args = dict(BASE_ARGS)
    module_args.update(args)
    if check_mode:
        module_args["_ansible_check_mode"] = True
    if diff:
        module_args["_ansible_diff"] = True
    with patch_module_args(module_args):
        with pytest.raises(SystemExit) as exit_info:
            elb_member.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    return result


def test_create(http, calls, fake_time, capsys):
    created = existing_member(name="", weight=1)
    http.get(LIST_URL, json=EMPTY_LIST)
    http.post(MEMBERS_URL, status=201, json={"member": created})
    result = run_module(capsys, subnet_id=SUBNET)
    assert result["rc"] == 0
    assert result["changed"] is True
    assert result["member"] == created
    assert "diff" not in result
    assert calls() == [
        ("GET", LIST_URL, None),
        # admin_state_up is not set: a new member gets the API's default.
        ("POST", MEMBERS_URL, {"member": {"address": "192.168.44.11", "protocol_port": 80, "subnet_id": SUBNET}}),
    ]
    assert http.calls[0].request.headers["X-Auth-Token"] == TOKEN
    assert http.calls[0].request.headers["User-Agent"].startswith(f"lbaas.elb/{COLLECTION_VERSION} python-requests/")


def test_create_sends_all_set_attributes_and_normalized_ipv6(http, calls, fake_time, capsys):
    list_url = MEMBERS_URL + "?address=2001%3Adb8%3A%3A1&protocol_port=443"
    created = existing_member(address="2001:db8::1", protocol_port=443, name="v6", weight=7, admin_state_up=False)
    http.get(list_url, json=EMPTY_LIST)
    http.post(MEMBERS_URL, status=201, json={"member": created})
    result = run_module(capsys, address="2001:DB8:0::1", protocol_port=443, subnet_id=SUBNET, name="v6", weight=7, admin_state_up=False)
    assert result["changed"] is True
    assert calls() == [
        ("GET", list_url, None),
        (
            "POST",
            MEMBERS_URL,
            {"member": {"address": "2001:db8::1", "protocol_port": 443, "subnet_id": SUBNET, "name": "v6", "weight": 7, "admin_state_up": False}},
        ),
    ]


def test_noop(http, calls, fake_time, capsys):
    http.get(LIST_URL, json={"members": [existing_member()], "members_links": []})
    result = run_module(capsys, subnet_id=SUBNET, name="web-1", weight=1, diff=True)
    assert result["changed"] is False
    assert result["member"] == existing_member()
    assert result["diff"] == {"before": existing_member(), "after": existing_member()}
    assert calls() == [("GET", LIST_URL, None)]


def test_noop_matches_ipv6_written_differently(http, calls, fake_time, capsys):
    list_url = MEMBERS_URL + "?address=2001%3Adb8%3A%3A10&protocol_port=80"
    member = existing_member(address="2001:db8::10")
    http.get(list_url, json={"members": [member], "members_links": []})
    result = run_module(capsys, address="2001:0DB8:0:0::10")
    assert result["changed"] is False
    assert calls() == [("GET", list_url, None)]


def test_update_sends_only_differing_fields(http, calls, fake_time, capsys):
    updated = existing_member(weight=5)
    http.get(LIST_URL, json={"members": [existing_member()], "members_links": []})
    http.put(MEMBER_URL, json={"member": updated})
    result = run_module(capsys, name="web-1", weight=5, diff=True)
    assert result["changed"] is True
    assert result["member"] == updated
    assert result["diff"] == {"before": existing_member(), "after": updated}
    assert calls() == [("GET", LIST_URL, None), ("PUT", MEMBER_URL, {"member": {"weight": 5}})]


def test_unset_admin_state_is_left_as_it_is(http, calls, fake_time, capsys):
    # OTC reports admin_state_up false for an address no server owns: without the option, that is no change.
    http.get(LIST_URL, json={"members": [existing_member(admin_state_up=False)], "members_links": []})
    result = run_module(capsys, name="web-1", weight=1, diff=True)
    assert result["changed"] is False
    assert result["diff"] == {"before": existing_member(admin_state_up=False), "after": existing_member(admin_state_up=False)}
    assert calls() == [("GET", LIST_URL, None)]


def test_admin_state_is_compared_when_set(http, calls, fake_time, capsys):
    http.get(LIST_URL, json={"members": [existing_member(admin_state_up=False)], "members_links": []})
    http.put(MEMBER_URL, json={"member": existing_member()})
    result = run_module(capsys, admin_state_up=True)
    assert result["changed"] is True
    assert calls() == [("GET", LIST_URL, None), ("PUT", MEMBER_URL, {"member": {"admin_state_up": True}})]


def test_delete(http, calls, fake_time, capsys):
    http.get(LIST_URL, json={"members": [existing_member()], "members_links": []})
    http.delete(MEMBER_URL, status=204)
    result = run_module(capsys, state="absent", diff=True)
    assert result["changed"] is True
    assert result["member"] == existing_member()
    assert result["diff"] == {"before": existing_member(), "after": {}}
    assert calls() == [("GET", LIST_URL, None), ("DELETE", MEMBER_URL, None)]


def test_absent_and_missing(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=EMPTY_LIST)
    result = run_module(capsys, state="absent")
    assert result["changed"] is False
    assert result["member"] == {}
    assert calls() == [("GET", LIST_URL, None)]


def test_absent_with_missing_pool_is_not_an_error(http, calls, fake_time, capsys):
    http.get(LIST_URL, status=404, json={"code": 404, "title": "Bad Request", "description": f"Pool {POOL} not found."})
    result = run_module(capsys, state="absent")
    assert result["rc"] == 0
    assert result["changed"] is False
    assert result["member"] == {}
    assert calls() == [("GET", LIST_URL, None)]


def test_present_with_missing_pool_fails_with_api_error(http, calls, fake_time, capsys):
    http.get(
        LIST_URL, status=404, headers={"x-openstack-request-id": "req-42"}, json={"code": 404, "title": "Bad Request", "description": f"Pool {POOL} not found."}
    )
    result = run_module(capsys, subnet_id=SUBNET)
    assert result["failed"] is True
    assert result["status"] == 404
    assert result["request_id"] == "req-42"
    assert result["error_code"] == "Bad Request"
    assert f"GET /v2.0/lbaas/pools/{POOL}/members" in result["msg"]
    assert f"Pool {POOL} not found." in result["msg"]
    assert "req-42" in result["msg"]
    assert calls() == [("GET", LIST_URL, None)]


def test_gateway_404_is_not_taken_as_missing_pool(http, calls, fake_time, capsys):
    http.get(LIST_URL, status=404, json={"error_msg": "The API does not exist", "error_code": "APIGW.0101", "request_id": "gw-1"})
    result = run_module(capsys, state="absent")
    assert result["failed"] is True
    assert result["error_code"] == "APIGW.0101"
    assert result["request_id"] == "gw-1"


def test_check_mode_create_writes_nothing(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=EMPTY_LIST)
    result = run_module(capsys, check_mode=True, diff=True, subnet_id=SUBNET, weight=3)
    planned = {"address": "192.168.44.11", "protocol_port": 80, "subnet_id": SUBNET, "weight": 3}
    assert result["changed"] is True
    assert result["member"] == planned
    assert result["diff"] == {"before": {}, "after": planned}
    assert calls() == [("GET", LIST_URL, None)]


def test_check_mode_update_and_delete_write_nothing(http, calls, fake_time, capsys):
    http.get(LIST_URL, json={"members": [existing_member()], "members_links": []})
    result = run_module(capsys, check_mode=True, diff=True, weight=9)
    assert result["changed"] is True
    assert result["member"] == existing_member(weight=9)
    assert result["diff"] == {"before": existing_member(), "after": existing_member(weight=9)}
    http.get(LIST_URL, json={"members": [existing_member()], "members_links": []})
    result = run_module(capsys, check_mode=True, state="absent")
    assert result["changed"] is True
    assert result["member"] == existing_member()
    assert [call[0] for call in calls()] == ["GET", "GET"]


def test_create_without_subnet_fails_before_post(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=EMPTY_LIST)
    result = run_module(capsys)
    assert result["failed"] is True
    assert "subnet_id" in result["msg"] and "required" in result["msg"]
    assert calls() == [("GET", LIST_URL, None)]


def test_subnet_change_is_refused(http, calls, fake_time, capsys):
    http.get(LIST_URL, json={"members": [existing_member()], "members_links": []})
    result = run_module(capsys, subnet_id=OTHER_SUBNET)
    assert result["failed"] is True
    assert "cannot be changed in place" in result["msg"]
    assert SUBNET in result["msg"] and OTHER_SUBNET in result["msg"]
    assert calls() == [("GET", LIST_URL, None)]


def test_pool_given_by_name(http, calls, fake_time, capsys):
    pools_url = ENDPOINT + "/v2.0/lbaas/pools?name=web-pool"
    http.get(pools_url, json={"pools": [{"id": POOL, "name": "web-pool"}]})
    http.get(LIST_URL, json={"members": [existing_member()], "members_links": []})
    result = run_module(capsys, pool="web-pool")
    assert result["changed"] is False
    assert calls() == [("GET", pools_url, None), ("GET", LIST_URL, None)]


def test_password_auth_adds_exactly_one_token_request(http, calls, fake_time, capsys):
    token_url = "https://iam.example.test/v3/auth/tokens"
    http.post(token_url, status=201, headers={"X-Subject-Token": "issued-token"}, json={"token": {"catalog": []}})
    http.get(LIST_URL, json=EMPTY_LIST)
    http.post(MEMBERS_URL, status=201, json={"member": existing_member()})
    result = run_module(
        capsys,
        subnet_id=SUBNET,
        auth={"auth_url": "https://iam.example.test", "username": "alice", "password": "pw-s3cr3t", "domain_name": "acme", "project_name": "eu-de"},
    )
    assert result["changed"] is True
    assert [(method, url) for method, url, body in calls()] == [("POST", token_url), ("GET", LIST_URL), ("POST", MEMBERS_URL)]
    assert http.calls[1].request.headers["X-Auth-Token"] == "issued-token"


def test_wait_polls_pool_load_balancer_and_member(http, calls, fake_time, capsys):
    created = existing_member(provisioning_status="PENDING_CREATE")
    active = existing_member(provisioning_status="ACTIVE")
    lb_url = ENDPOINT + "/v2.0/lbaas/loadbalancers/" + LB_ID
    http.get(LIST_URL, json=EMPTY_LIST)
    http.post(MEMBERS_URL, status=201, json={"member": created})
    http.get(ENDPOINT + "/v2.0/lbaas/pools/" + POOL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(lb_url, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "PENDING_UPDATE"}})
    http.get(lb_url, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})
    http.get(MEMBER_URL, json={"member": active})
    result = run_module(capsys, subnet_id=SUBNET, wait=True)
    assert result["changed"] is True
    assert result["member"] == active
    assert [(method, url) for method, url, body in calls()] == [
        ("GET", LIST_URL),
        ("POST", MEMBERS_URL),
        ("GET", ENDPOINT + "/v2.0/lbaas/pools/" + POOL),
        ("GET", lb_url),
        ("GET", lb_url),
        ("GET", MEMBER_URL),
    ]
    assert fake_time.sleeps == [0.05]


def test_a_failed_wait_after_the_create_still_reports_the_change(http, calls, fake_time, capsys):
    created = existing_member(provisioning_status="PENDING_CREATE")
    lb_url = ENDPOINT + "/v2.0/lbaas/loadbalancers/" + LB_ID
    http.get(LIST_URL, json=EMPTY_LIST)
    http.post(MEMBERS_URL, status=201, json={"member": created})
    http.get(ENDPOINT + "/v2.0/lbaas/pools/" + POOL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(lb_url, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ERROR"}})
    result = run_module(capsys, subnet_id=SUBNET, wait=True)
    assert result["rc"] == 1 and result["failed"] is True
    assert result["changed"] is True
    assert result["member"] == created
    assert "provisioning_status ERROR" in result["msg"]
    assert [method for method, _url, _body in calls()] == ["GET", "POST", "GET", "GET"]


def test_api_error_reaches_user_verbatim_with_details(http, calls, fake_time, capsys):
    message = "Invalid input for field/attribute weight. Value: '150'. Value should be lower or equal to 100"
    http.get(LIST_URL, json={"members": [existing_member()], "members_links": []})
    http.put(MEMBER_URL, status=400, headers={"X-Request-Id": "req-400"}, json={"faultcode": "Client", "faultstring": message, "debuginfo": None})
    result = run_module(capsys, weight=150)
    assert result["failed"] is True
    assert message in result["msg"]
    assert f"PUT /v2.0/lbaas/pools/{POOL}/members/{MEMBER_ID}" in result["msg"]
    assert "HTTP 400" in result["msg"]
    assert (result["status"], result["error_code"], result["request_id"]) == (400, "Client", "req-400")
    assert TOKEN not in json.dumps(result)


def test_token_rejected_message_and_no_secret(http, calls, fake_time, capsys):
    http.get(LIST_URL, status=401, json={"error": {"code": 401, "message": f"bad token {TOKEN}", "title": "Unauthorized"}})
    result = run_module(capsys)
    assert result["failed"] is True
    assert "the token was rejected (expired or invalid); a fixed token cannot be renewed" in result["msg"].lower()
    assert TOKEN not in json.dumps(result)
    assert calls() == [("GET", LIST_URL, None)]


def test_environment_secret_is_scrubbed(http, calls, fake_time, capsys, monkeypatch):
    monkeypatch.setenv("OS_AUTH_TOKEN", "env-token-zz9")
    http.get(LIST_URL, status=500, json={"NeutronError": {"type": "Internal", "message": "leak env-token-zz9", "detail": ""}})
    http.get(LIST_URL, status=400, json={"NeutronError": {"type": "HTTPBadRequest", "message": "echo env-token-zz9", "detail": ""}})
    args = dict(BASE_ARGS)
    del args["auth"]
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            elb_member.main()
    output = capsys.readouterr().out
    result = json.loads(output)
    assert result["failed"] is True
    assert "env-token-zz9" not in output
    assert "echo ********" in result["msg"]


def test_validate_certs_false_warns(http, calls, fake_time, capsys):
    http.get(LIST_URL, json={"members": [existing_member()], "members_links": []})
    result = run_module(capsys, validate_certs=False)
    assert result["changed"] is False
    assert "certificates of the ELB and IAM endpoints are not verified" in json.dumps(result["warnings"])
