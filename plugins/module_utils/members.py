# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pool members: find by (address, protocol_port), plan, apply (no Ansible imports).

A member's identity is (pool, address, protocol_port).  name, weight and
admin_state_up (not on dedicated ELB) can be updated in place; address, protocol_port and subnet_id
cannot.  Paths and field names come from the client's family (families.py).
"""

from __future__ import annotations

import ipaddress

from .errors import (
    ElbApiError,
    ElbError,
    ElbTransportError,
    ElbValidationError,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    KIND_NOT_FOUND,
    KIND_SERVER,
)
from .families import SHARED_FAMILY
from .loadbalancers import wait_for_pool_load_balancers
from .validation import UUID_ACCEPTED, is_uuid, member_label


def family_of(client):
    """The family the client speaks (shared ELB when it was built without one)."""
    return getattr(client, "family", None) or SHARED_FAMILY


def members_path(client, pool_id, member_id=None):
    if member_id is None:
        return client.api_path("pools", pool_id, "members")
    return client.api_path("pools", pool_id, "members", member_id)


def same_address(left, right):
    try:
        return ipaddress.ip_address(str(left)) == ipaddress.ip_address(str(right))
    except ValueError:
        return False


def is_missing_pool(error):
    """A 404 for the pool itself (not a gateway 404 for an unknown API path, which is a real error)."""
    return error.kind == KIND_NOT_FOUND and not (error.code or "").upper().startswith("APIG")


def member_key(member):
    """The identity of a member as the API returned it: (ip_address object, port), or None when unusable."""
    if not isinstance(member, dict):
        return None
    try:
        return ipaddress.ip_address(str(member.get("address"))), int(str(member.get("protocol_port")))
    except ValueError:
        return None


def is_being_deleted(member):
    """True for a member Octavia still shows after its DELETE (PENDING_DELETE until the load balancer settles).

    Such a member is on its way out: it is neither "present" for a no-op nor something to delete again.
    """
    return isinstance(member, dict) and member.get("provisioning_status") in ("PENDING_DELETE", "DELETED")


def member_matches(member, filters):
    """True when ``member`` equals every filter exactly (address as an IP address, subnet_id case-insensitively).

    Filtering is repeated on the client because a server may ignore a filter it does not know.
    """
    if not isinstance(member, dict):
        return False
    for key, wanted in filters.items():
        value = member.get(key)
        if key == "address":
            if not same_address(value, wanted):
                return False
        elif key == "protocol_port":
            if str(value) != str(wanted):
                return False
        elif key in ("subnet_id", "subnet_cidr_id"):
            if not isinstance(value, str) or value.lower() != wanted.lower():
                return False
        elif value != wanted or isinstance(value, bool) != isinstance(wanted, bool):
            return False
    return True


def filter_query(filters):
    """The filters as query parameters (booleans as ``true``/``false``, as Neutron and Octavia parse them)."""
    return {key: (str(value).lower() if isinstance(value, bool) else value) for key, value in filters.items()}


def list_members(client, pool_id, filters=None, live_only=False, pages=None):
    """Every member of the pool that matches ``filters`` (all members without), following every next link.

    ``live_only`` leaves out the members that are being deleted (see is_being_deleted); ``pages``
    collects the decoded pages (see ElbClient.paginate).
    """
    family = family_of(client)
    filters = {family.field(key): value for key, value in (filters or {}).items()}
    params = dict(family.list_params or {}, **filter_query(filters))
    return [
        member
        for member in client.paginate(members_path(client, pool_id), params or None, "members", pages)
        if member_matches(member, filters) and not (live_only and is_being_deleted(member))
    ]


def find_member(client, pool_id, address, protocol_port, missing_pool_ok=False, pages=None):
    """The member with this address and port, or None.

    One server-side filtered list (following next links), matched exactly here
    because a server may ignore an unknown filter.  A member that is being deleted
    counts as gone.  With ``missing_pool_ok`` a 404 for the pool means "no member"
    instead of an error.  ``pages`` collects the decoded pages (see ElbClient.paginate).
    """
    filters = {"address": address, "protocol_port": protocol_port}
    try:
        for member in client.paginate(members_path(client, pool_id), filter_query(filters), "members", pages):
            if member_matches(member, filters) and not is_being_deleted(member):
                return member
    except ElbApiError as err:
        if missing_pool_ok and is_missing_pool(err):
            return None
        raise
    return None


def _member_label(desired):
    return member_label(desired["address"], desired["protocol_port"])


def _plan(action, before, after, body=None, member_id=None):
    return {"action": action, "before": before, "after": after, "body": body, "member_id": member_id}


def _option(desired, name):
    """The option as the user wrote it: ``subnet_id``, or ``members[3].subnet_id`` for an item."""
    return (desired["option"] + "." if desired.get("option") else "") + name


def check_subnet(desired, current, family=SHARED_FAMILY):
    """subnet_id is needed to create a member (except on dedicated ELB, where a member without one is an
    "IP as a backend" member) and cannot change on an existing one: fail before any write."""
    option = _option(desired, "subnet_id")
    label = _member_label(desired)
    if current is None:
        if family.subnet_required and not desired.get("subnet_id"):
            raise ElbValidationError(
                option,
                None,
                UUID_ACCEPTED,
                message=f"Option '{option}' is required to create member {label} in pool {desired['pool']} (it does not exist yet); accepted: {UUID_ACCEPTED}",
            )
        return
    current_subnet = current.get(family.subnet_field)
    # On v3 an "IP as a backend" member has an empty subnet: giving it one is a change too.
    known = isinstance(current_subnet, str) and (current_subnet or not family.subnet_required)
    if desired.get("subnet_id") and known and current_subnet.lower() != desired["subnet_id"].lower():
        shown = current_subnet or "(none: an IP as a backend member)"
        raise ElbValidationError(
            option,
            desired["subnet_id"],
            f"the member's current subnet_id {shown}",
            message=f"Member {label} exists with subnet_id {shown}, not {desired['subnet_id']} (option '{option}'): subnet_id cannot "
            "be changed in place. Remove the member first (lbaas.elb.elb_member with state: absent, or leave it out of "
            "lbaas.elb.elb_pool_members' members with purge: true), then add it with the new subnet_id",
        )


def attribute_differs(key, current, wanted):
    """Whether an existing member's attribute differs from the wanted value: tags as a set, monitor_address
    as an IP address, everything else as it is."""
    if key == "tags":
        return not isinstance(current, list) or set(current) != set(wanted)
    if key == "monitor_address":
        return current is None or not same_address(current, wanted)
    return current != wanted


def check_fixed(desired, current, changes, family):
    """An attribute the family reports but cannot update (admin_state_up on v3) is refused before any write."""
    for name in family.fixed_attributes:
        if name in changes:
            option = _option(desired, name)
            raise ElbValidationError(
                option,
                changes[name],
                "the member's current value, or no value",
                message=f"Member {_member_label(desired)} has {name} {current.get(name)}, and {family.label} cannot update {name} "
                f"(option '{option}'). Nothing was written; leave '{option}' out, or remove the member and add it again",
            )


def plan_member_changes(current, desired, family=SHARED_FAMILY):
    """Pure planning: ``{"action": create|update|delete|none, "before", "after", "body", "member_id"}``.

    ``desired`` is the output of validation.validate_member_options; only the
    attributes the user set are compared.  ``family`` names the subnet field and what cannot be updated.
    """
    if desired["state"] == "absent":
        if current is None:
            return _plan("none", {}, {})
        return _plan("delete", current, {}, member_id=current.get("id"))
    check_subnet(desired, current, family)
    if current is None:
        member = {"address": desired["address"], "protocol_port": desired["protocol_port"]}
        if desired.get("subnet_id") or family.subnet_required:
            member[family.subnet_field] = desired["subnet_id"]
        member.update(desired["attributes"])
        return _plan("create", {}, dict(member), body={"member": member})
    changes = {key: value for key, value in desired["attributes"].items() if attribute_differs(key, current.get(key), value)}
    check_fixed(desired, current, changes, family)
    if not changes:
        return _plan("none", current, current, member_id=current.get("id"))
    after = dict(current)
    after.update(changes)
    return _plan("update", current, after, body={"member": changes}, member_id=current.get("id"))


def member_id(member):
    """The member's id, checked: only UUID-shaped ids are placed in a URL path."""
    member_id = member.get("id") if isinstance(member, dict) else None
    if not is_uuid(member_id):
        raise ElbError(f"The API returned a member without a valid id ({member_id!r}): {member!r}")
    return member_id


def _result(changed, member, plan):
    return {"changed": changed, "member": member, "diff": {"before": plan["before"], "after": plan["after"]}}


def apply_member_plan(client, pool_id, plan, desired, *, check_mode=False, wait=False):
    """Carry out a plan (or, in check mode, report it); returns ``{"changed", "member", "diff"}``.

    ``member`` is the member as the API returned it (as before deletion for a delete,
    the planned member without id for a create in check mode).
    """
    action = plan["action"]
    if check_mode or action == "none":
        return _result(action != "none", plan["before"] if action == "delete" else plan["after"], plan)
    if action == "create":
        changed, member, plan = _create(client, pool_id, plan, desired)
    elif action == "update":
        member = update_member(client, pool_id, plan["before"], plan["body"])
        changed = True
    elif action == "delete":
        delete_member(client, pool_id, plan["before"])
        member = plan["before"]
        changed = True
    else:
        raise ValueError(f"unknown plan action {action!r}")
    if wait and changed:
        try:
            member = wait_for_member(client, pool_id, member, deleted=action == "delete")
        except ElbError as err:
            # The change is made: the failed task still says so, and returns the member.
            raise report_member_partial(err, action, member) from None
    return _result(changed, member, plan)


PAST_TENSE = {"create": "created", "update": "updated", "delete": "removed"}


def report_member_partial(error, action, member):
    """An error raised after the member was written (``action``: create, update or delete; None when
    nothing was written): the failure result still has ``changed`` and the member, and the message says
    what was done. Returns the error."""
    error.partial_result = {"changed": action is not None, "member": member}
    if action is not None:
        error.message = f"{error.message}. Before this failure the member was {PAST_TENSE[action]} (1 of 1 change made)"
        error.args = (error.message,)
    return error


def create_member(client, pool_id, body):
    try:
        response = client.request("POST", members_path(client, pool_id), body=body, expected=(200, 201))
    except ElbApiError as err:
        hint = family_of(client).create_hints.get(err.code)
        raise (err.with_hint(hint) if hint else err) from None
    return response.json_object("member")


def update_member(client, pool_id, current, body):
    response = client.request("PUT", members_path(client, pool_id, member_id(current)), body=body, expected=(200, 202))
    if not response.body:
        member = dict(current)
        member.update(body["member"])
        return member
    return response.json_object("member")


def delete_member(client, pool_id, current):
    # A 404 means the member is already gone, which is what was asked for.
    client.request("DELETE", members_path(client, pool_id, member_id(current)), expected=(200, 202, 204), accept=(KIND_NOT_FOUND,))


def _create(client, pool_id, plan, desired):
    """POST the member; after an ambiguous failure re-read and adopt it, or POST again (until the deadline)."""
    attempt = 0
    ambiguous = False
    while True:
        attempt += 1
        try:
            return True, create_member(client, pool_id, plan["body"]), plan
        except ElbApiError as err:
            if err.kind in (KIND_DUPLICATE, KIND_CONFLICT):
                existing = find_member(client, pool_id, desired["address"], desired["protocol_port"])
                if existing is None:
                    raise
                # After an ambiguous failure the duplicate is probably our own earlier POST.
                return _adopt(client, pool_id, existing, desired, create_plan=plan, created=ambiguous)
            if err.kind != KIND_SERVER:
                raise
            last = err
        except ElbTransportError as err:
            if not (err.ambiguous and err.retryable):
                raise
            last = err
        ambiguous = True
        existing = find_member(client, pool_id, desired["address"], desired["protocol_port"])
        if existing is not None:
            return _adopt(client, pool_id, existing, desired, create_plan=plan, created=True)
        client.backoff(attempt, f"POST {members_path(client, pool_id)} to create member {_member_label(desired)}", last)


def _adopt(client, pool_id, existing, desired, *, create_plan, created):
    """Take over an existing member found after a create attempt; update it if it differs."""
    plan = plan_member_changes(existing, desired, family_of(client))
    member = existing
    if plan["action"] == "update":
        try:
            member = update_member(client, pool_id, existing, plan["body"])
        except ElbError as err:
            # After a lost answer, the member found is our own: it was created, only its update failed.
            if created:
                raise report_member_partial(err, "create", existing) from None
            raise
    changed = created or plan["action"] == "update"
    return changed, member, create_plan if created else plan


def wait_for_member(client, pool_id, member, deleted=False):
    """After a write: wait until the pool's load balancer is ACTIVE and, where members have a
    provisioning_status (Octavia), until the member is ACTIVE (or gone after a delete); on dedicated ELB
    (no member status, ELB_API_V3.md section 5) until a written member can be read."""
    wait_for_pool_load_balancers(client, pool_id, "the member change")
    readable = family_of(client).member_wait == "readable"
    if not isinstance(member, dict) or not (readable or "provisioning_status" in member) or (readable and deleted):
        return member
    path = members_path(client, pool_id, member_id(member))

    def check():
        response = client.request("GET", path, accept=(KIND_NOT_FOUND,))
        if response.error is not None:
            if deleted:
                return True, member, response.error.message
            if readable:
                return False, member, response.error.message
            raise response.error
        current = response.json_object("member")
        status = current.get("provisioning_status")
        if readable:
            return True, current, None
        if status == "ERROR":
            raise ElbError(f"member {current.get('id')} is in provisioning_status ERROR")
        return (not deleted and status in (None, "ACTIVE")), current, f"{response.describe()}: provisioning_status {status}"

    waiting_for = "member {} to be {}".format(member.get("id"), "deleted" if deleted else "ACTIVE")
    return client.poll(check, waiting_for)
