# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pool-wide plan (pure): what is created, updated, deleted and kept, and the result built from it."""

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbValidationError
from ansible_collections.lbaas.elb.plugins.module_utils.pool_plan import (
    full_member_body,
    has_changes,
    plan_pool_members,
    planned_members,
    pool_result,
)
from ansible_collections.lbaas.elb.plugins.module_utils.validation import validate_pool_members_options

POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
SUBNET = "0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90"
OTHER_SUBNET = "1e6f3c3b-9c5e-4a9f-8f64-4d7d3f7a3ca1"


def member(address, port=80, number=1, **changes):
    values = {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "name": "",
        "address": address,
        "protocol_port": port,
        "subnet_id": SUBNET,
        "weight": 1,
        "admin_state_up": True,
        "operating_status": "NO_MONITOR",
    }
    values.update(changes)
    return values


def desired(*items):
    return validate_pool_members_options({"pool": POOL, "members": list(items), "purge": False})["members"]


def item(address, port=80, **attributes):
    values = {"address": address, "protocol_port": port, "subnet_id": SUBNET}
    values.update(attributes)
    return values


def summary(plan):
    return {
        group: [entry["after" if group == "creates" else "before"]["address"] for entry in plan[group]]
        for group in ("creates", "updates", "deletes", "unchanged")
    }


def test_creates_updates_unchanged_and_no_delete_without_purge():
    current = [member("10.0.0.1", number=1), member("10.0.0.2", number=2, weight=3), member("10.0.0.9", number=9)]
    plan = plan_pool_members(current, desired(item("10.0.0.1"), item("10.0.0.2", weight=5), item("10.0.0.3", name="new")), purge=False)
    assert summary(plan) == {"creates": ["10.0.0.3"], "updates": ["10.0.0.2"], "deletes": [], "unchanged": ["10.0.0.1"]}
    assert plan["purge"] is False
    assert plan["creates"][0]["body"] == {"member": {"address": "10.0.0.3", "protocol_port": 80, "subnet_id": SUBNET, "name": "new"}}
    assert plan["updates"][0]["body"] == {"member": {"weight": 5}}
    assert plan["updates"][0]["after"] == member("10.0.0.2", number=2, weight=5)
    assert plan["creates"][0]["desired"]["option"] == "members[2]"
    assert has_changes(plan)


def test_purge_deletes_only_the_unlisted():
    current = [member("10.0.0.1", number=1), member("10.0.0.9", number=9), member("10.0.0.1", port=81, number=3)]
    plan = plan_pool_members(current, desired(item("10.0.0.1")), purge=True)
    assert summary(plan) == {"creates": [], "updates": [], "deletes": ["10.0.0.9", "10.0.0.1"], "unchanged": ["10.0.0.1"]}
    assert [entry["member_id"] for entry in plan["deletes"]] == [member("x", number=9)["id"], member("x", number=3)["id"]]
    assert all(entry["desired"] is None and entry["after"] == {} for entry in plan["deletes"])


def test_only_the_attributes_an_item_sets_are_compared():
    current = [member("10.0.0.1", name="old", weight=7, admin_state_up=False)]
    plan = plan_pool_members(current, desired({"address": "10.0.0.1", "protocol_port": 80}), purge=False)
    assert not has_changes(plan)
    assert summary(plan)["unchanged"] == ["10.0.0.1"]


def test_addresses_are_matched_as_ip_addresses():
    current = [member("2001:db8::10", port=443)]
    plan = plan_pool_members(current, desired(item("2001:0DB8:0:0::10", port=443)), purge=True)
    assert not has_changes(plan)


def test_duplicate_and_unreadable_current_members_are_never_matched_and_purged():
    twin = member("10.0.0.1", number=2)
    garbage = member("not-an-ip", number=3)
    plan = plan_pool_members([member("10.0.0.1", number=1), twin, garbage], desired(item("10.0.0.1")), purge=True)
    assert [entry["before"] for entry in plan["deletes"]] == [twin, garbage]
    assert plan_pool_members([member("10.0.0.1", number=1), twin], desired(item("10.0.0.1")), purge=False)["deletes"] == []


def test_create_without_subnet_names_the_item():
    with pytest.raises(ElbValidationError) as info:
        plan_pool_members([], desired(item("10.0.0.1"), {"address": "10.0.0.2", "protocol_port": 80}), purge=False)
    assert info.value.option == "members[1].subnet_id"
    assert "'members[1].subnet_id' is required to create member 10.0.0.2:80" in info.value.message


def test_existing_member_needs_no_subnet():
    plan = plan_pool_members([member("10.0.0.2")], desired({"address": "10.0.0.2", "protocol_port": 80, "weight": 4}), purge=False)
    assert summary(plan)["updates"] == ["10.0.0.2"]


def test_subnet_change_is_refused_with_the_item_named():
    with pytest.raises(ElbValidationError) as info:
        plan_pool_members([member("10.0.0.1")], desired(item("10.0.0.1", subnet_id=OTHER_SUBNET)), purge=False)
    assert info.value.option == "members[0].subnet_id"
    assert "cannot be changed in place" in info.value.message
    assert SUBNET in info.value.message and OTHER_SUBNET in info.value.message
    # The same subnet written in capitals is the same subnet.
    assert not has_changes(plan_pool_members([member("10.0.0.1")], desired(item("10.0.0.1", subnet_id=SUBNET.upper())), purge=False))


def test_full_member_body_repeats_every_attribute_and_octavia_extras():
    current = member("10.0.0.1", name="web", weight=0, admin_state_up=False, backup=True, monitor_port=None, tags=["a"], provisioning_status="ACTIVE")
    assert full_member_body(current) == {
        "address": "10.0.0.1",
        "protocol_port": 80,
        "subnet_id": SUBNET,
        "name": "web",
        "weight": 0,
        "admin_state_up": False,
        "backup": True,
        "tags": ["a"],
    }


def test_planned_members_for_check_mode():
    current = [member("10.0.0.1", number=1), member("10.0.0.2", number=2), member("10.0.0.9", number=9)]
    plan = plan_pool_members(current, desired(item("10.0.0.1", weight=9), item("10.0.0.2"), item("10.0.0.3")), purge=True)
    assert planned_members(current, plan) == [
        member("10.0.0.1", number=1, weight=9),
        member("10.0.0.2", number=2),
        {"address": "10.0.0.3", "protocol_port": 80, "subnet_id": SUBNET},
    ]


def ref(address, number):
    return {"id": member("x", number=number)["id"], "address": address, "protocol_port": 80}


def test_pool_result_references_and_one_diff_per_changed_member():
    current = [member("10.0.0.1", number=1), member("10.0.0.2", number=2), member("10.0.0.9", number=9)]
    plan = plan_pool_members(current, desired(item("10.0.0.1", weight=9), item("10.0.0.2"), item("10.0.0.3")), purge=True)
    final = [member("10.0.0.1", number=1, weight=9), member("10.0.0.2", number=2), member("10.0.0.3", number=3)]
    result = pool_result(plan, final, strategy_used="batch_elb")
    assert result["changed"] is True
    assert result["strategy_used"] == "batch_elb"
    assert result["members"] == final
    assert result["created"] == [ref("10.0.0.3", 3)]
    assert result["updated"] == [ref("10.0.0.1", 1)]
    assert result["removed"] == [ref("10.0.0.9", 9)]
    assert result["unchanged"] == [ref("10.0.0.2", 2)]
    assert result["diff"] == [
        {"before_header": "member 10.0.0.3:80", "after_header": "member 10.0.0.3:80", "before": {}, "after": member("10.0.0.3", number=3)},
        {
            "before_header": "member 10.0.0.1:80",
            "after_header": "member 10.0.0.1:80",
            "before": member("10.0.0.1", number=1),
            "after": member("10.0.0.1", number=1, weight=9),
        },
        {"before_header": "member 10.0.0.9:80", "after_header": "member 10.0.0.9:80", "before": member("10.0.0.9", number=9), "after": {}},
    ]


def test_pool_result_in_check_mode_has_no_ids_for_creates():
    plan = plan_pool_members([], desired(item("2001:db8::1")), purge=False)
    result = pool_result(plan, planned_members([], plan))
    assert result["created"] == [{"address": "2001:db8::1", "protocol_port": 80}]
    assert result["diff"][0]["before_header"] == "member [2001:db8::1]:80"
    assert result["strategy_used"] is None


def test_nothing_to_do():
    plan = plan_pool_members([member("10.0.0.1")], desired(item("10.0.0.1")), purge=True)
    result = pool_result(plan, [member("10.0.0.1")])
    assert result["changed"] is False
    assert result["diff"] == []
    assert (result["created"], result["updated"], result["removed"]) == ([], [], [])
