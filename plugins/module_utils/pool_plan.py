# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pool-wide plan of elb_pool_members, and the result built from it (pure, no Ansible imports).

The plan is plain data: ``{"purge", "creates", "updates", "deletes", "unchanged"}``.  Each entry
is a member plan of members.plan_member_changes (``action``, ``before``, ``after``, ``body``,
``member_id``) plus ``desired``: the validated item it came from (None for a member to delete).
Only the attributes an item sets are compared; a member the list does not name is deleted only
with ``purge``.
"""

from __future__ import annotations

import ipaddress

from .families import SHARED_FAMILY
from .members import member_key, plan_member_changes
from .validation import member_label

# The attributes of an existing member that a complete (Octavia) member list must repeat, so that a
# listed member keeps them: the batch call sets every attribute an item leaves out to its default.
FULL_MEMBER_ATTRIBUTES = ("address", "protocol_port", "subnet_id", "name", "weight", "admin_state_up")
# Octavia-only attributes, repeated when the API returned them with a value.
OCTAVIA_MEMBER_ATTRIBUTES = ("backup", "monitor_address", "monitor_port", "tags")


def _desired_key(desired):
    return ipaddress.ip_address(desired["address"]), desired["protocol_port"]


def plan_pool_members(current_members, desired_members, purge, family=SHARED_FAMILY):
    """Compare the pool's members with the validated list; returns the plan (see the module docstring).

    ``creates``, ``updates`` and ``unchanged`` follow the order of the list; ``deletes`` (only with
    ``purge``) the order of ``current_members``.  Raises ElbValidationError, naming the item, for a
    member to create without subnet_id or an existing member whose subnet_id differs.
    """
    by_key = {}
    for member in current_members:
        key = member_key(member)
        # A member without a readable identity, or a second one with the same, is never matched: purge deletes it.
        if key is not None:
            by_key.setdefault(key, member)
    plan = {"purge": bool(purge), "creates": [], "updates": [], "deletes": [], "unchanged": []}
    groups = {"create": "creates", "update": "updates", "none": "unchanged"}
    matched = set()
    for desired in desired_members:
        current = by_key.get(_desired_key(desired))
        if current is not None:
            matched.add(id(current))
        entry = plan_member_changes(current, desired, family)
        entry["desired"] = desired
        plan[groups[entry["action"]]].append(entry)
    if purge:
        for member in current_members:
            if id(member) not in matched:
                entry = plan_member_changes(member, {"state": "absent"})
                entry["desired"] = None
                plan["deletes"].append(entry)
    return plan


def has_changes(plan):
    return bool(plan["creates"] or plan["updates"] or plan["deletes"])


def full_member_body(member):
    """An existing member as an item of a complete member list: every attribute it has, so none is reset."""
    body = {key: member[key] for key in FULL_MEMBER_ATTRIBUTES if member.get(key) is not None}
    body.update((key, member[key]) for key in OCTAVIA_MEMBER_ATTRIBUTES if member.get(key) is not None)
    return body


def planned_members(current_members, plan):
    """The pool's members as the plan would leave them (for check mode): updates applied, deletes dropped,
    creates (without id) appended."""
    deleted = {id(entry["before"]) for entry in plan["deletes"]}
    updated = {id(entry["before"]): entry["after"] for entry in plan["updates"]}
    members = [updated.get(id(member), member) for member in current_members if id(member) not in deleted]
    members.extend(entry["after"] for entry in plan["creates"])
    return members


def member_reference(member):
    """The short form of a member in created/updated/removed/unchanged: id (when known), address, protocol_port."""
    reference = {"address": member.get("address"), "protocol_port": member.get("protocol_port")}
    if member.get("id"):
        reference["id"] = member["id"]
    return reference


def _member_diff(before, after, member):
    label = member_label(member.get("address"), member.get("protocol_port"))
    return {"before_header": f"member {label}", "after_header": f"member {label}", "before": before, "after": after}


def pool_result(plan, members, *, strategy_used=None):
    """The module result: changed, created/updated/removed/unchanged references, members, and a diff per changed member.

    ``members`` is the pool after the change (re-read, or planned in check mode); a created member's
    reference and diff use its entry there, so that they carry its id.
    """
    by_key = {}
    for member in members:
        key = member_key(member)
        if key is not None:
            by_key.setdefault(key, member)
    created = [by_key.get(member_key(entry["after"]), entry["after"]) for entry in plan["creates"]]
    diff = [_member_diff({}, member, member) for member in created]
    diff.extend(_member_diff(entry["before"], entry["after"], entry["before"]) for entry in plan["updates"])
    diff.extend(_member_diff(entry["before"], {}, entry["before"]) for entry in plan["deletes"])
    return {
        "changed": has_changes(plan),
        "created": [member_reference(member) for member in created],
        "updated": [member_reference(entry["after"]) for entry in plan["updates"]],
        "removed": [member_reference(entry["before"]) for entry in plan["deletes"]],
        "unchanged": [member_reference(entry["before"]) for entry in plan["unchanged"]],
        "members": members,
        "strategy_used": strategy_used,
        "diff": diff,
    }
