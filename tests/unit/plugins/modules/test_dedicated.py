# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""elb_type: dedicated (API v3) end to end through main(): the exact HTTP calls of each branch."""

from __future__ import annotations

import json

import pytest

from ansible_collections.lbaas.elb.tests.unit.plugins.module_args import patch_module_args

from ansible_collections.lbaas.elb.plugins.modules import elb_member, elb_member_info, elb_pool_members

ENDPOINT = "https://elb.example.test"
TOKEN = "fixed-token-s3cr3t"
PROJECT = "0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e"
POOL = "8f0b2d4e-6a8c-4e0f-9b2d-4f6a8c0e2f07"
SUBNET = "7d1f3b5a-2c4e-4a6b-8d0f-1a3c5e7b9d20"
MEMBER_ID = "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
LB_ID = "7e9a1c3d-5f7b-4d9e-8a1c-3e5f7a9b1d05"
BASE = f"{ENDPOINT}/v3/{PROJECT}/elb"
MEMBERS_URL = f"{BASE}/pools/{POOL}/members"
MEMBER_URL = f"{MEMBERS_URL}/{MEMBER_ID}"
LIST_URL = MEMBERS_URL + "?address=10.0.0.5&protocol_port=80"
FULL_LIST_URL = MEMBERS_URL + "?limit=2000"


def member(**changes):
    values = {
        "id": MEMBER_ID,
        "name": "web",
        "address": "10.0.0.5",
        "protocol_port": 80,
        "subnet_cidr_id": SUBNET,
        "weight": 1,
        "admin_state_up": True,
        "ip_version": "v4",
        "member_type": "instance",
        "instance_id": "",
        "operating_status": "NO_MONITOR",
        "status": [],
        "project_id": PROJECT,
    }
    values.update(changes)
    return values


def page(*members, next_marker=None):
    return {"members": list(members), "page_info": {"current_count": len(members), "next_marker": next_marker}, "request_id": "r"}


def run(module, capsys, **args):
    module_args = {"endpoint": ENDPOINT, "auth": {"token": TOKEN, "project_id": PROJECT}, "elb_type": "dedicated", "pool": POOL}
    module_args.update(args)
    with patch_module_args(module_args):
        with pytest.raises(SystemExit) as exit_info:
            module.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    return result


def test_noop_is_one_get(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=page(member()))
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80, name="web", subnet_id=SUBNET)
    assert result["changed"] is False
    assert calls() == [("GET", LIST_URL, None)]


def test_create_maps_subnet_id_to_subnet_cidr_id(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=page())
    http.post(MEMBERS_URL, status=201, json={"member": member(), "request_id": "r"})
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80, subnet_id=SUBNET)
    assert result["changed"] is True
    assert calls()[1] == ("POST", MEMBERS_URL, {"member": {"address": "10.0.0.5", "protocol_port": 80, "subnet_cidr_id": SUBNET}})


def test_ip_as_a_backend_create_has_no_subnet_and_its_api_error_gets_a_hint(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=page())
    refusal = {"error_code": "ELB.8939", "error_msg": "Loadbalancer x does not enable ip_target_enable", "request_id": "req-1"}
    http.post(MEMBERS_URL, status=400, json=refusal)
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80)
    assert result["rc"] == 1
    assert result["error_code"] == "ELB.8939" and result["request_id"] == "req-1"
    assert "needs a load balancer with ip_target_enable" in result["msg"]
    assert calls()[1] == ("POST", MEMBERS_URL, {"member": {"address": "10.0.0.5", "protocol_port": 80}})


def test_update_sends_name_and_weight_only(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=page(member()))
    http.put(MEMBER_URL, json={"member": member(weight=0), "request_id": "r"})
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80, weight=0, admin_state_up=True)
    assert result["changed"] is True
    assert calls() == [("GET", LIST_URL, None), ("PUT", MEMBER_URL, {"member": {"weight": 0}})]


@pytest.mark.parametrize(
    "args, option, text",
    [
        ({"admin_state_up": False}, "admin_state_up", "dedicated ELB (API v3) cannot update admin_state_up"),
        ({"subnet_id": "9e2a4c6b-3d5f-4b7c-9e1a-2b4d6f8a0c31"}, "subnet_id", "subnet_id cannot be changed"),
        ({"tags": ["a"]}, "tags", "this server speaks dedicated ELB (API v3)"),
    ],
)
def test_refused_changes_fail_after_the_lookup_before_any_write(http, calls, fake_time, capsys, args, option, text):
    http.get(LIST_URL, json=page(member()))
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80, **args)
    assert result["rc"] == 1
    assert result["option"] == option
    assert text in result["msg"]
    assert calls() == [("GET", LIST_URL, None)]


def test_subnet_for_an_ip_member_is_refused(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=page(member(subnet_cidr_id="", member_type="ip")))
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80, subnet_id=SUBNET)
    assert result["rc"] == 1
    assert "(none: an IP as a backend member)" in result["msg"]


def test_duplicate_8907_is_adopted(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=page())
    conflict = {"error_code": "ELB.8907", "error_msg": "The address and port are already in use in the pool", "request_id": "r"}
    http.post(MEMBERS_URL, status=409, json=conflict)
    http.get(LIST_URL, json=page(member()))
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80, subnet_id=SUBNET)
    assert result["rc"] == 0
    assert result["changed"] is False
    assert result["member"]["id"] == MEMBER_ID


def test_wait_is_load_balancer_active_and_the_member_readable(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=page(member()))
    http.put(MEMBER_URL, json={"member": member(weight=3)})
    http.get(f"{BASE}/pools/{POOL}", json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(f"{BASE}/loadbalancers/{LB_ID}", json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})
    http.get(MEMBER_URL, status=404, json={"error_code": "ELB.8904", "error_msg": "member not found", "request_id": "r"})
    http.get(MEMBER_URL, json={"member": member(weight=3)})
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80, weight=3, wait=True)
    assert result["changed"] is True and result["member"]["weight"] == 3
    assert [method for method, _url, _body in calls()] == ["GET", "PUT", "GET", "GET", "GET", "GET"]


def listeners(*statuses):
    return [{"listener_id": f"l{n}", "operating_status": status} for n, status in enumerate(statuses)]


def test_wait_for_status_needs_every_listener(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=page(member(status=listeners("OFFLINE", "OFFLINE"))))
    http.get(MEMBER_URL, json={"member": member(operating_status="ONLINE", status=listeners("ONLINE", "OFFLINE"))})
    http.get(MEMBER_URL, json={"member": member(operating_status="ONLINE", status=listeners("ONLINE", "ONLINE"))})
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80, wait_for_status="ONLINE")
    assert result["rc"] == 0
    assert result["member"]["status"] == listeners("ONLINE", "ONLINE")


def test_wait_for_online_fails_at_once_when_a_listener_has_no_monitor(http, calls, fake_time, capsys):
    http.get(LIST_URL, json=page(member()))
    http.get(MEMBER_URL, json={"member": member(status=listeners("OFFLINE", "NO_MONITOR"))})
    result = run(elb_member, capsys, address="10.0.0.5", protocol_port=80, wait_for_status="ONLINE")
    assert result["rc"] == 1
    assert "no health monitor" in result["msg"] and "per listener l0: OFFLINE, l1: NO_MONITOR" in result["msg"]


def test_info_follows_next_marker(http, calls, fake_time, capsys):
    second = member(id="8f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f", address="10.0.0.6")
    http.get(FULL_LIST_URL, json=page(member(), next_marker=MEMBER_ID))
    http.get(FULL_LIST_URL + "&marker=" + MEMBER_ID, json=page(second))
    result = run(elb_member_info, capsys)
    assert [m["address"] for m in result["members"]] == ["10.0.0.5", "10.0.0.6"]
    assert len(calls()) == 2


def test_info_filters_subnet_on_subnet_cidr_id(http, calls, fake_time, capsys):
    url = FULL_LIST_URL + "&subnet_cidr_id=" + SUBNET
    http.get(url, json=page(member(), member(id="8f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f", address="10.0.0.6", subnet_cidr_id="")))
    result = run(elb_member_info, capsys, subnet_id=SUBNET.upper())
    assert [m["address"] for m in result["members"]] == ["10.0.0.5"]


def test_project_id_is_needed_with_a_fixed_token(http, calls, fake_time, capsys):
    result = run(elb_member, capsys, auth={"token": TOKEN}, address="10.0.0.5", protocol_port=80)
    assert result["rc"] == 1
    assert result["option"] == "auth.project_id"
    assert calls() == []


def test_pool_members_refuse_a_shared_strategy(http, calls, fake_time, capsys):
    http.get(FULL_LIST_URL, json=page())
    result = run(elb_pool_members, capsys, strategy="batch_elb", members=[{"address": "10.0.0.5", "protocol_port": 80}])
    assert result["rc"] == 1
    assert result["option"] == "strategy"
    assert [method for method, _url, _body in calls()] == ["GET"]
