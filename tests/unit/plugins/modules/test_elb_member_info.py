# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""elb_member_info end to end through main(): every page, filters sent and re-applied, local validation."""

from __future__ import annotations

import json

import pytest

from ansible_collections.lbaas.elb.tests.unit.plugins.module_args import patch_module_args

from ansible_collections.lbaas.elb.plugins.modules import elb_member_info

ENDPOINT = "https://elb.example.test"
TOKEN = "fixed-token-s3cr3t"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
POOL2 = "6c7e1a5d-3a1f-4d64-8e3e-7b4a2d3c8f22"
SUBNET = "0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90"
OTHER_SUBNET = "1e6f3c3b-9c5e-4a9f-8f64-4d7d3f7a3ca1"
MEMBERS_URL = ENDPOINT + "/v2.0/lbaas/pools/" + POOL + "/members"


def member(number, **changes):
    values = {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "name": f"web-{number}",
        "address": f"10.0.{number // 256}.{number % 256}",
        "protocol_port": 80,
        "subnet_id": SUBNET,
        "weight": 1,
        "admin_state_up": True,
        "operating_status": "NO_MONITOR",
    }
    values.update(changes)
    return values


def run_module(capsys, check_mode=False, **args):
    module_args = {"endpoint": ENDPOINT, "auth": {"token": TOKEN}, "pool": POOL}
    module_args.update(args)
    if check_mode:
        module_args["_ansible_check_mode"] = True
    with patch_module_args(module_args):
        with pytest.raises(SystemExit) as exit_info:
            elb_member_info.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    return result


def page(members, next_href=None, previous_href=None):
    links = []
    if next_href:
        links.append({"rel": "next", "href": next_href})
    if previous_href:
        links.append({"rel": "previous", "href": previous_href})
    return {"members": members, "members_links": links}


def test_every_page_is_read(http, calls, fake_time, capsys):
    # Neutron's rules: a full last page still links to a next one, which is empty.
    members = [member(n) for n in range(1, 251)]
    urls = [MEMBERS_URL] + [f"{MEMBERS_URL}?limit=100&marker={members[end - 1]['id']}" for end in (100, 200, 250)]
    http.get(urls[0], json=page(members[:100], urls[1]))
    http.get(urls[1], json=page(members[100:200], urls[2], previous_href=urls[0]))
    # A relative href is resolved against the page URL.
    http.get(urls[2], json=page(members[200:250], urls[3].replace(ENDPOINT, ""), previous_href=urls[1]))
    http.get(urls[3], json=page([], previous_href=urls[2]))
    result = run_module(capsys)
    assert result["rc"] == 0
    assert result["changed"] is False
    assert result["pool_id"] == POOL
    assert result["members"] == members
    assert calls() == [("GET", url, None) for url in urls]


def test_filters_are_sent_and_applied_again(http, calls, fake_time, capsys):
    url = MEMBERS_URL + f"?address=2001%3Adb8%3A%3A5&protocol_port=8080&name=web&subnet_id={SUBNET}&weight=0&admin_state_up=false"
    wanted = member(5, address="2001:db8::5", protocol_port=8080, name="web", weight=0, admin_state_up=False)
    # A server that ignores filters answers with everything; only the exact match is returned.
    others = [
        member(6, address="2001:db8::6", protocol_port=8080, name="web", weight=0, admin_state_up=False),
        member(7, address="2001:db8::5", protocol_port=80, name="web", weight=0, admin_state_up=False),
        member(8, address="2001:db8::5", protocol_port=8080, name="web-2", weight=0, admin_state_up=False),
        member(9, address="2001:db8::5", protocol_port=8080, name="web", weight=0, admin_state_up=False, subnet_id=OTHER_SUBNET),
        member(10, address="2001:db8::5", protocol_port=8080, name="web", weight=1, admin_state_up=False),
        member(11, address="2001:db8::5", protocol_port=8080, name="web", weight=0, admin_state_up=True),
    ]
    http.get(url, json=page([*others, wanted]))
    result = run_module(capsys, address="2001:DB8:0::5", protocol_port=8080, name="web", subnet_id=SUBNET.upper(), weight=0, admin_state_up=False)
    assert result["members"] == [wanted]
    assert calls() == [("GET", url, None)]


def test_admin_state_up_true_is_sent_as_true(http, calls, fake_time, capsys):
    url = MEMBERS_URL + "?admin_state_up=true"
    http.get(url, json=page([member(1), member(2, admin_state_up=False)]))
    result = run_module(capsys, admin_state_up=True)
    assert result["members"] == [member(1)]
    assert calls() == [("GET", url, None)]


def test_no_match_is_an_empty_list(http, calls, fake_time, capsys):
    url = MEMBERS_URL + "?address=10.9.9.9"
    http.get(url, json=page([]))
    result = run_module(capsys, address="10.9.9.9")
    assert result["rc"] == 0
    assert result["members"] == []


def test_check_mode_reads_the_same(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, json=page([member(1)]))
    result = run_module(capsys, check_mode=True)
    assert result["changed"] is False
    assert result["members"] == [member(1)]


def test_pool_given_by_name(http, calls, fake_time, capsys):
    pools_url = ENDPOINT + "/v2.0/lbaas/pools?name=web-pool"
    http.get(pools_url, json={"pools": [{"id": POOL, "name": "web-pool"}]})
    http.get(MEMBERS_URL + "?protocol_port=80", json=page([member(1)]))
    result = run_module(capsys, pool="web-pool", protocol_port=80)
    assert result["pool_id"] == POOL
    assert result["members"] == [member(1)]
    assert calls() == [("GET", pools_url, None), ("GET", MEMBERS_URL + "?protocol_port=80", None)]


def test_ambiguous_pool_name_lists_the_candidates(http, calls, fake_time, capsys):
    pools_url = ENDPOINT + "/v2.0/lbaas/pools?name=web-pool"
    http.get(pools_url, json={"pools": [{"id": POOL, "name": "web-pool"}, {"id": POOL2, "name": "web-pool"}]})
    result = run_module(capsys, pool="web-pool")
    assert result["failed"] is True
    assert result["candidates"] == [POOL, POOL2]
    assert POOL in result["msg"] and POOL2 in result["msg"]
    assert calls() == [("GET", pools_url, None)]


def test_missing_pool_is_an_error(http, calls, fake_time, capsys):
    http.get(MEMBERS_URL, status=404, json={"NeutronError": {"type": "HTTPNotFound", "message": f"pool {POOL} could not be found", "detail": ""}})
    result = run_module(capsys)
    assert result["failed"] is True
    assert result["status"] == 404
    assert f"pool {POOL} could not be found" in result["msg"]


@pytest.mark.parametrize(
    "option, value, text",
    [
        ("address", "10.0.0.300", "IPv4 or IPv6"),
        ("protocol_port", 70000, "from 1 to 65535"),
        ("weight", 257, "from 0 to 256"),
        ("subnet_id", "subnet-1", "UUID"),
        ("subnet_id", SUBNET + "\n", "UUID"),
        ("pool", POOL + "\n", "pool name"),
        ("name", "n" * 256, "at most 255"),
        ("pool", "../x", "pool name"),
        ("timeout", 0, "greater than 0"),
    ],
)
def test_bad_filters_fail_before_any_http_call(http, calls, fake_time, capsys, option, value, text):
    result = run_module(capsys, **{option: value})
    assert result["failed"] is True
    assert result["option"] == option
    assert text in result["msg"]
    assert calls() == []
