# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""elb_pool_members end to end through main(): the exact HTTP calls of each branch."""

from __future__ import annotations

import json

import pytest

from ansible_collections.lbaas.elb.tests.unit.plugins.module_args import patch_module_args

from ansible_collections.lbaas.elb.plugins.modules import elb_pool_members

ENDPOINT = "https://elb.example.test"
TOKEN = "fixed-token-s3cr3t"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
SUBNET = "0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90"
LB_ID = "2c1d0e9f-8a7b-4c6d-9e5f-0a1b2c3d4e5f"
MEMBERS_URL = ENDPOINT + "/v2.0/lbaas/pools/" + POOL + "/members"
ADDITIVE_URL = MEMBERS_URL + "?additive_only=true"
POOL_URL = ENDPOINT + "/v2.0/lbaas/pools/" + POOL
POOLS_BY_NAME_URL = ENDPOINT + "/v2.0/lbaas/pools?name=web-pool"
LB_URL = ENDPOINT + "/v2.0/lbaas/loadbalancers/" + LB_ID
OCTAVIA_REFUSAL = {"faultcode": "Client", "faultstring": "Unknown attribute for argument members_.members: action", "debuginfo": None}


def member_id(number):
    return f"00000000-0000-4000-8000-{number:012d}"


def member(number, **changes):
    values = {
        "id": member_id(number),
        "name": "",
        "address": f"10.0.{number // 256}.{number % 256}",
        "protocol_port": 80,
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


def listing(*members):
    return {"members": list(members), "members_links": []}


def run_module(capsys, check_mode=False, diff=False, **args):
    module_args = {"endpoint": ENDPOINT, "auth": {"token": TOKEN}, "pool": POOL}
    module_args.update(args)
    if check_mode:
        module_args["_ansible_check_mode"] = True
    if diff:
        module_args["_ansible_diff"] = True
    with patch_module_args(module_args):
        with pytest.raises(SystemExit) as exit_info:
            elb_pool_members.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    return result


def register_settle(http):
    """The wait after a change: one GET of the pool, one of its load balancer."""
    http.get(POOL_URL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})


SETTLE_CALLS = [("GET", POOL_URL, None), ("GET", LB_URL, None)]


def test_100_new_members_on_elb_take_one_write(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=listing(member(900)))
    http.put(ADDITIVE_URL, status=202)
    register_settle(http)
    http.get(MEMBERS_URL, json=listing(member(900), *[member(n) for n in range(1, 101)]))
    result = run_module(capsys, members=[item(n) for n in range(1, 101)])
    assert result["rc"] == 0
    assert result["changed"] is True
    assert result["strategy_used"] == "batch_elb"
    assert result["pool_id"] == POOL
    assert result["created"] == [{"id": member_id(n), "address": member(n)["address"], "protocol_port": 80} for n in range(1, 101)]
    assert result["updated"] == result["removed"] == result["unchanged"] == []
    assert len(result["members"]) == 101
    assert "diff" not in result
    assert calls() == [
        ("GET", MEMBERS_URL, None),
        ("PUT", ADDITIVE_URL, {"action": "add", "members": [item(n) for n in range(1, 101)]}),
        *SETTLE_CALLS,
        ("GET", MEMBERS_URL, None),
    ]
    assert all(call.request.headers["X-Auth-Token"] == TOKEN for call in http.calls)


def test_100_new_members_on_octavia_take_two_writes(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=listing(member(900)))
    http.put(ADDITIVE_URL, status=400, json=OCTAVIA_REFUSAL)
    http.put(ADDITIVE_URL, status=202)
    register_settle(http)
    http.get(MEMBERS_URL, json=listing(member(900), *[member(n) for n in range(1, 101)]))
    result = run_module(capsys, members=[item(n) for n in range(1, 101)])
    assert result["changed"] is True
    assert result["strategy_used"] == "batch_octavia"
    assert calls() == [
        ("GET", MEMBERS_URL, None),
        ("PUT", ADDITIVE_URL, {"action": "add", "members": [item(n) for n in range(1, 101)]}),
        ("PUT", ADDITIVE_URL, {"members": [item(n) for n in range(1, 101)]}),
        *SETTLE_CALLS,
        ("GET", MEMBERS_URL, None),
    ]


def test_purge_on_elb_adds_then_deletes_the_unlisted_and_updates_per_member(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=listing(member(1, weight=3), member(2), member(9)))
    http.put(ADDITIVE_URL, status=202)
    http.put(ADDITIVE_URL, status=202)
    http.put(MEMBERS_URL + "/" + member_id(1), json={"member": member(1, weight=5)})
    # Before each write after the first, and at the end: the pool once, then its load balancer.
    register_settle(http)
    http.get(MEMBERS_URL, json=listing(member(1, weight=5), member(2), member(3)))
    result = run_module(capsys, diff=True, purge=True, members=[item(1, weight=5), item(2), item(3)])
    assert result["changed"] is True
    assert [ref["address"] for ref in result["created"]] == ["10.0.0.3"]
    assert [ref["address"] for ref in result["updated"]] == ["10.0.0.1"]
    assert result["removed"] == [{"id": member_id(9), "address": "10.0.0.9", "protocol_port": 80}]
    assert [ref["address"] for ref in result["unchanged"]] == ["10.0.0.2"]
    assert result["diff"] == [
        {"before_header": "member 10.0.0.3:80", "after_header": "member 10.0.0.3:80", "before": {}, "after": member(3)},
        {"before_header": "member 10.0.0.1:80", "after_header": "member 10.0.0.1:80", "before": member(1, weight=3), "after": member(1, weight=5)},
        {"before_header": "member 10.0.0.9:80", "after_header": "member 10.0.0.9:80", "before": member(9), "after": {}},
    ]
    assert calls() == [
        ("GET", MEMBERS_URL, None),
        ("PUT", ADDITIVE_URL, {"action": "add", "members": [item(3)]}),
        *SETTLE_CALLS,
        ("PUT", ADDITIVE_URL, {"action": "delete", "members": [{"id": member_id(9)}]}),
        ("GET", LB_URL, None),
        ("PUT", MEMBERS_URL + "/" + member_id(1), {"member": {"weight": 5}}),
        ("GET", LB_URL, None),
        ("GET", MEMBERS_URL, None),
    ]


def full(number, **changes):
    """A member as an item of Octavia's complete list: every attribute but the read-only ones."""
    return {key: value for key, value in member(number, **changes).items() if key not in ("id", "operating_status")}


def test_purge_on_octavia_sends_the_complete_list(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=listing(member(1, weight=3), member(2, name="two"), member(9)))
    http.put(ADDITIVE_URL, status=400, json=OCTAVIA_REFUSAL)
    http.put(MEMBERS_URL, status=202)
    register_settle(http)
    http.get(MEMBERS_URL, json=listing(member(1, weight=5), member(2, name="two"), member(3)))
    result = run_module(capsys, purge=True, members=[item(1, weight=5), item(2), item(3)])
    assert result["strategy_used"] == "batch_octavia"
    assert calls() == [
        ("GET", MEMBERS_URL, None),
        ("PUT", ADDITIVE_URL, {"action": "add", "members": [item(3)]}),
        ("PUT", MEMBERS_URL, {"members": [item(3), full(1, weight=5), full(2, name="two")]}),
        *SETTLE_CALLS,
        ("GET", MEMBERS_URL, None),
    ]


def test_without_purge_unlisted_members_stay(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=listing(member(1), member(9)))
    result = run_module(capsys, members=[item(1)])
    assert result["changed"] is False
    assert result["removed"] == []
    assert result["members"] == [member(1), member(9)]
    assert result["strategy_used"] is None
    assert calls() == [("GET", MEMBERS_URL, None)]


def test_check_mode_reads_once_and_writes_nothing(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=listing(member(1, weight=3), member(9)))
    result = run_module(capsys, check_mode=True, diff=True, purge=True, members=[item(1, weight=5), item(3)])
    assert result["changed"] is True
    assert result["created"] == [{"address": "10.0.0.3", "protocol_port": 80}]
    assert result["updated"] == [{"id": member_id(1), "address": "10.0.0.1", "protocol_port": 80}]
    assert result["removed"] == [{"id": member_id(9), "address": "10.0.0.9", "protocol_port": 80}]
    assert result["members"] == [member(1, weight=5), item(3)]
    assert [(entry["before"], entry["after"]) for entry in result["diff"]] == [({}, item(3)), (member(1, weight=3), member(1, weight=5)), (member(9), {})]
    assert calls() == [("GET", MEMBERS_URL, None)]


def test_pages_are_followed_when_the_pool_is_read(http, calls, fake_time, capsys):
    page2 = MEMBERS_URL + "?limit=2&marker=" + member_id(2)
    page3 = MEMBERS_URL + "?limit=2&marker=" + member_id(3)
    http.get(MEMBERS_URL, json={"members": [member(1), member(2)], "members_links": [{"rel": "next", "href": page2}]})
    http.get(page2, json={"members": [member(3)], "members_links": [{"rel": "previous", "href": page3}]})
    result = run_module(capsys, members=[item(3)])
    assert result["changed"] is False
    assert len(result["members"]) == 3
    assert calls() == [("GET", MEMBERS_URL, None), ("GET", page2, None)]


def test_pool_given_by_name(http, calls, fake_time, capsys):
    http.get(POOLS_BY_NAME_URL, json={"pools": [{"id": POOL, "name": "web-pool"}]})
    http.get(MEMBERS_URL, json=listing(member(1)))
    result = run_module(capsys, pool="web-pool", members=[item(1)])
    assert result["changed"] is False
    assert result["pool_id"] == POOL
    assert calls() == [("GET", POOLS_BY_NAME_URL, None), ("GET", MEMBERS_URL, None)]


def test_per_member_strategy(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=listing(member(9)))
    http.post(MEMBERS_URL, status=201, json={"member": member(1)})
    http.delete(MEMBERS_URL + "/" + member_id(9), status=204)
    register_settle(http)
    http.get(MEMBERS_URL, json=listing(member(1)))
    result = run_module(capsys, strategy="per_member", purge=True, wait=False, members=[item(1)])
    assert result["strategy_used"] == "per_member"
    assert calls() == [
        ("GET", MEMBERS_URL, None),
        ("POST", MEMBERS_URL, {"member": item(1)}),
        *SETTLE_CALLS,
        ("DELETE", MEMBERS_URL + "/" + member_id(9), None),
        ("GET", MEMBERS_URL, None),
    ]


@pytest.mark.parametrize(
    "members, option, text",
    [
        ([item(1), item(2), item(3), item(4, weight=300)], "members[3].weight", "an integer from 0 to 256"),
        ([item(1), item(2, protocol_port=0)], "members[1].protocol_port", "from 1 to 65535"),
        ([item(1, address="10.0.0.300")], "members[0].address", "IPv4 or IPv6"),
        ([item(1, subnet_id="subnet-1")], "members[0].subnet_id", "UUID"),
        ([item(1, subnet_id=SUBNET + "\n")], "members[0].subnet_id", "UUID"),
        ([item(1, name="n" * 256)], "members[0].name", "at most 255"),
        ([item(1), {"protocol_port": 80}], "members[1].address", "is required"),
        ([item(1), {"address": "10.0.0.2"}], "members[1].protocol_port", "is required"),
        ([item(1), item(2), {"address": "10.0.0.1", "protocol_port": 80, "weight": 2}], "members[2]", "repeats the member 10.0.0.1:80 of members[0]"),
        ([{"address": "2001:db8::1", "protocol_port": 80}, {"address": "2001:DB8:0::1", "protocol_port": 80}], "members[1]", "of members[0]"),
    ],
)
def test_bad_items_fail_before_any_http_call(http, calls, fake_time, capsys, members, option, text):
    result = run_module(capsys, members=members)
    assert result["failed"] is True
    assert result["option"] == option
    assert f"{option}" in result["msg"]
    assert text in result["msg"]
    assert calls() == []


# The argument spec checks these (validation.py no longer repeats it); still nothing is sent.
@pytest.mark.parametrize(
    "args, text",
    [
        # Ansible's message for an item that is not a mapping names no option: "dictionary requested, ...".
        ({"members": [item(1), "10.0.0.9"]}, "dictionary requested"),
        ({"members": "10.0.0.1"}, "dictionary requested"),
        ({"members": [item(1, admin_state_up="yes please")]}, "admin_state_up"),
        ({"members": [item(1)], "purge": "sometimes"}, "purge"),
    ],
)
def test_values_the_argument_spec_refuses_send_nothing(http, calls, fake_time, capsys, args, text):
    result = run_module(capsys, **args)
    assert result["rc"] == 1 and result["failed"] is True
    assert text in result["msg"]
    assert calls() == []


def test_unset_admin_state_is_not_sent_nor_compared(http, calls, fake_time, capsys):
    # OTC reports admin_state_up false for an address no server owns: without the option, that is no change.
    http.get(MEMBERS_URL, json=listing(member(1, admin_state_up=False)))
    http.put(ADDITIVE_URL, status=202)
    register_settle(http)
    http.get(MEMBERS_URL, json=listing(member(1, admin_state_up=False), member(2)))
    result = run_module(capsys, members=[item(1), item(2)])
    assert result["changed"] is True
    assert result["unchanged"] == [{"id": member_id(1), "address": "10.0.0.1", "protocol_port": 80}]
    assert calls() == [
        ("GET", MEMBERS_URL, None),
        ("PUT", ADDITIVE_URL, {"action": "add", "members": [item(2)]}),
        *SETTLE_CALLS,
        ("GET", MEMBERS_URL, None),
    ]


def test_missing_subnet_for_a_create_fails_before_any_write(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=listing(member(1)))
    result = run_module(capsys, members=[{"address": "10.0.0.1", "protocol_port": 80}, {"address": "10.0.0.2", "protocol_port": 80}])
    assert result["failed"] is True
    assert result["option"] == "members[1].subnet_id"
    assert calls() == [("GET", MEMBERS_URL, None)]


def test_api_error_is_reported_with_status_and_request_id(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=listing())
    http.put(
        ADDITIVE_URL,
        status=400,
        headers={"X-Request-Id": "req-7"},
        json={"NeutronError": {"type": "HTTPBadRequest", "message": "Vpc vpc-b of member's subnet_cidr s and vpc vpc-a mismatch", "detail": ""}},
    )
    result = run_module(capsys, members=[item(1)])
    assert result["failed"] is True
    assert result["status"] == 400
    assert result["request_id"] == "req-7"
    assert "mismatch" in result["msg"]
    assert TOKEN not in json.dumps(result)
