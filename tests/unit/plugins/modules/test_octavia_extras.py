# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Octavia's member extras (monitor_address, monitor_port, backup, tags) in elb_member and elb_pool_members."""

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.families import OCTAVIA, SHARED, family_of_listing
from ansible_collections.lbaas.elb.tests.unit.plugins.modules import test_elb_member as single
from ansible_collections.lbaas.elb.tests.unit.plugins.modules import test_elb_pool_members as pool

OCTAVIA_MEMBER = single.existing_member(
    provisioning_status="ACTIVE", backup=False, monitor_address=None, monitor_port=None, tags=["blue", "web"], project_id="p"
)


CREATE_BODY = {"address": "192.168.44.11", "protocol_port": 80, "subnet_id": single.SUBNET}


def octavia_list(*members):
    return {"members": list(members), "members_links": []}


@pytest.mark.parametrize(
    "pages, family",
    [
        ([{"members": []}], SHARED),
        ([{"members": [single.existing_member()]}], SHARED),
        ([{"members": [], "members_links": []}], OCTAVIA),
        ([{"members": [single.existing_member(provisioning_status="ACTIVE")]}], OCTAVIA),
        ([{"members": [single.existing_member(tags=[])]}], OCTAVIA),
        ([], SHARED),
    ],
)
def test_family_of_listing(pages, family):
    assert family_of_listing(pages) == family


def test_create_sends_only_the_extras_that_are_set(http, calls, fake_time, capsys):
    http.get(single.LIST_URL, json=octavia_list())
    created = dict(OCTAVIA_MEMBER, monitor_port=8080, tags=["web"])
    http.post(single.MEMBERS_URL, status=201, json={"member": created})
    result = single.run_module(capsys, subnet_id=single.SUBNET, monitor_port=8080, tags=["web", "web"])
    assert result["changed"] is True
    assert calls() == [
        ("GET", single.LIST_URL, None),
        ("POST", single.MEMBERS_URL, {"member": dict(CREATE_BODY, monitor_port=8080, tags=["web"])}),
    ]


def test_tags_are_compared_as_a_set_and_unset_extras_are_left(http, calls, fake_time, capsys):
    http.get(single.LIST_URL, json=octavia_list(OCTAVIA_MEMBER))
    result = single.run_module(capsys, tags=["web", "blue", "web"], backup=False)
    assert result["changed"] is False
    assert calls() == [("GET", single.LIST_URL, None)]


def test_changed_extras_are_updated_in_place(http, calls, fake_time, capsys):
    updated = dict(OCTAVIA_MEMBER, monitor_address="2001:db8::5", backup=True, tags=["green"])
    http.get(single.LIST_URL, json=octavia_list(OCTAVIA_MEMBER))
    http.put(single.MEMBER_URL, json={"member": updated})
    result = single.run_module(capsys, monitor_address="2001:DB8:0::5", backup=True, tags=["green"], diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["tags"] == ["green"]
    assert calls() == [
        ("GET", single.LIST_URL, None),
        ("PUT", single.MEMBER_URL, {"member": {"monitor_address": "2001:db8::5", "backup": True, "tags": ["green"]}}),
    ]


def test_monitor_address_compared_as_an_ip_address(http, calls, fake_time, capsys):
    http.get(single.LIST_URL, json=octavia_list(dict(OCTAVIA_MEMBER, monitor_address="2001:db8::5")))
    result = single.run_module(capsys, monitor_address="2001:db8:0:0::5")
    assert result["changed"] is False


@pytest.mark.parametrize(
    "option, value",
    [("monitor_address", "10.0.0.9"), ("monitor_port", 9000), ("backup", True), ("tags", ["a"])],
)
def test_extras_on_shared_elb_fail_before_any_write(http, calls, fake_time, capsys, option, value):
    # A Neutron-style answer without limit: no members_links, members without provisioning_status.
    http.get(single.LIST_URL, json={"members": [single.existing_member()]})
    result = single.run_module(capsys, subnet_id=single.SUBNET, **{option: value})
    assert result["rc"] == 1
    assert not result.get("changed")
    assert result["option"] == option
    assert f"Option '{option}' is an OpenStack Octavia member attribute" in result["msg"]
    assert "shared ELB (API v2.0)" in result["msg"]
    assert calls() == [("GET", single.LIST_URL, None)]


@pytest.mark.parametrize(
    "option, value, text",
    [
        ("monitor_port", 0, "an integer from 1 to 65535"),
        ("monitor_address", "not-an-ip", "an IPv4 or IPv6 address"),
        ("tags", ["x" * 256], "a list of strings of 1 to 255 characters"),
        ("tags", [""], "a list of strings of 1 to 255 characters"),
    ],
)
def test_bad_extras_fail_before_any_http_call(http, calls, fake_time, capsys, option, value, text):
    result = single.run_module(capsys, **{option: value})
    assert result["rc"] == 1
    assert text in result["msg"]
    assert calls() == []


def test_pool_members_extras_on_shared_elb_name_the_item(http, calls, fake_time, capsys):
    http.get(pool.MEMBERS_URL, json={"members": [pool.member(1)]})
    result = pool.run_module(capsys, members=[pool.item(1), pool.item(2, backup=True)])
    assert result["rc"] == 1
    assert result["option"] == "members[1].backup"
    assert "shared ELB (API v2.0)" in result["msg"]
    assert calls() == [("GET", pool.MEMBERS_URL, None)]


def test_pool_members_extras_on_octavia_update_per_member_and_compare_tags_as_a_set(http, calls, fake_time, capsys):
    current = [pool.member(1, provisioning_status="ACTIVE", tags=["a", "b"], backup=False), pool.member(2, provisioning_status="ACTIVE", tags=[])]
    http.get(pool.MEMBERS_URL, json=pool.listing(*current))
    http.put(pool.MEMBERS_URL + "/" + pool.member_id(2), json={"member": dict(current[1], tags=["c"])})
    pool.register_settle(http)
    http.get(pool.MEMBERS_URL, json=pool.listing(current[0], dict(current[1], tags=["c"])))
    result = pool.run_module(capsys, members=[pool.item(1, tags=["b", "a"], backup=False), pool.item(2, tags=["c"])])
    assert result["changed"] is True
    assert [ref["id"] for ref in result["updated"]] == [pool.member_id(2)]
    assert [ref["id"] for ref in result["unchanged"]] == [pool.member_id(1)]
    assert calls()[1] == ("PUT", pool.MEMBERS_URL + "/" + pool.member_id(2), {"member": {"tags": ["c"]}})
