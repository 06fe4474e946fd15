# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Carrying out a pool-wide plan (pool_plan.py) with the batch endpoint, or member by member (no Ansible imports).

``PUT /v2.0/lbaas/pools/{pool_id}/members`` speaks one of two dialects (ELB_API.md sections 3, 8, 10):

- ELB: ``{"action": "add"|"delete"|"replace", "members": [...]}``, at most 200 items per call, 202.
  ``add`` refuses a member that exists, so it cannot update; ``replace`` (also the action of a body
  without ``action``) deletes every member it does not list.
- Octavia: ``{"members": [...]}`` is the complete member list and every unlisted member is deleted,
  unless the query says ``additive_only=true``; 202.

How a plan is written (``strategy``):

- ``batch_elb``: ``add`` for the creates and ``delete`` (by id) for the deletes, in chunks of 200;
  each update is its own ``PUT /members/{id}``.  ``replace`` is never sent: it cannot be split into
  chunks (a pool holds thousands of members), it would delete members that others add while this
  task runs, and what it does to the members it keeps is not documented.
- ``batch_octavia``: one call.  Without purge: the creates and updates with ``additive_only=true``.
  With purge: the complete desired list (unchanged, updated and created members) without it.  A
  listed existing member is sent with all its attributes, so that none is reset to its default.
- ``per_member``: POST, PUT and DELETE per member (members.apply_member_plan), one after another.
- ``auto``: the first batch call is sent in ELB's dialect, which is safe whatever the server speaks:
  Octavia refuses its ``action`` key with 400 "unknown/unrecognized attribute action" (and the call
  also carries ``additive_only=true``, so that even an Octavia that ignored the key would delete
  nothing).  202 -> ELB; that 400 -> Octavia's dialect; 404 or 405 (no such route) -> per member.
  Octavia's body is never tried first: an ELB would take it as ``replace`` and delete the members
  it does not list.  A plan with only updates is written member by member without probing.

Batch calls that create or delete are not blindly repeated after an answer that may hide success
(connection lost, 5xx) or after a conflict (409 duplicate, 404 member): the pool is read again, the
plan is made again from what is there, and the rest is written (at most MAX_REPLANS times).

Before each write after the first, the writer waits until the pool's load balancer is ACTIVE again
(see PoolMembersWriter), so that a pool-wide change is not a string of 409 busy answers.
"""

from __future__ import annotations

from .errors import (
    ElbApiError,
    ElbError,
    ElbTransportError,
    ElbValidationError,
    KIND_BAD_REQUEST,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    KIND_NOT_FOUND,
    KIND_SERVER,
)
from .batch_v3 import V3PoolMembersWriter
from .members import family_of, list_members, update_member
from .pool_plan import full_member_body, has_changes, planned_members, pool_result
from .pool_writer import MAX_ITEMS as ELB_MAX_ITEMS, PoolWriter, ReplanNeeded, chunks, is_missing_route
from .write_progress import WriteProgress

STRATEGIES = ("auto", "batch_elb", "batch_octavia", "batch_v3", "per_member")
V2_STRATEGIES = ("auto", "batch_elb", "batch_octavia", "per_member")
BATCH_SUCCESS = (200, 202, 204)
# Octavia (WSME) "Unknown attribute for argument ...: action", Neutron "Unrecognized attribute(s) 'action'".
UNKNOWN_ATTRIBUTE_MARKERS = ("unknown attribute", "unrecognized attribute")


def elb_batch_calls(plan):
    """The ELB-dialect batch calls of a plan, in order: [(action, items)], creates before deletes."""
    creates = [entry["body"]["member"] for entry in plan["creates"]]
    deletes = [{"id": entry["member_id"]} for entry in plan["deletes"]]
    calls = [("add", items) for items in chunks(creates, ELB_MAX_ITEMS)]
    calls.extend(("delete", items) for items in chunks(deletes, ELB_MAX_ITEMS))
    return calls


def octavia_batch_call(plan):
    """The one Octavia-dialect call of a plan: (query parameters, member list)."""
    items = [entry["body"]["member"] for entry in plan["creates"]]
    items.extend(full_member_body(entry["after"]) for entry in plan["updates"])
    if plan["purge"]:
        items.extend(full_member_body(entry["before"]) for entry in plan["unchanged"])
        return None, items
    return {"additive_only": "true"}, items


def is_octavia_refusal(error):
    """A 400 that says the ``action`` key is unknown: the server speaks Octavia's dialect."""
    text = (error.api_message or "").lower()
    return error.status == 400 and "action" in text and any(marker in text for marker in UNKNOWN_ATTRIBUTE_MARKERS)


class PoolMembersWriter(PoolWriter):
    """Writes plans for one pool with one strategy; remembers the method found by ``auto``.

    Every write puts the load balancer in PENDING_UPDATE for a while, and a write sent meanwhile is
    refused as busy (409).  So before each write after the first the writer waits until the pool's
    load balancer is ACTIVE again (the pool is read once for its load balancer id); a 409 that comes
    all the same is waited for by the client.
    """

    def __init__(self, client, pool_id, strategy="auto", progress=None):
        if strategy not in V2_STRATEGIES:
            raise ValueError(f"unknown strategy {strategy!r}")
        self.auto = strategy == "auto"
        # The method in use: batch_elb, batch_octavia or per_member; None until auto has found it.
        super().__init__(client, pool_id, None if self.auto else strategy, progress)
        self._removed_by_id = {}

    def _write(self, plan):
        if not has_changes(plan):
            return
        self._removed_by_id = {entry["member_id"]: entry["before"] for entry in plan["deletes"]}
        if self.method is None:
            if not (plan["creates"] or plan["deletes"]):
                self.method = "per_member"
            else:
                calls = elb_batch_calls(plan)
                self.method = self._probe(*calls[0])
                if self.method == "batch_elb":
                    self._write_elb(calls[1:], plan["updates"])
                    return
        if self.method == "batch_elb":
            self._write_elb(elb_batch_calls(plan), plan["updates"])
        elif self.method == "batch_octavia":
            self._write_octavia(plan)
        else:
            self._write_per_member(plan)

    # -- ELB dialect ---------------------------------------------------------------------------------------------

    def _elb_call(self, action, items, accept=()):
        # In auto mode additive_only=true makes the call harmless to an Octavia that would ignore "action".
        params = {"additive_only": "true"} if self.auto else None
        # What the call does to which members, for the progress: the deletes are named by id only.
        done = ("created", items) if action == "add" else ("removed", [self._removed_by_id.get(item["id"], item) for item in items])
        try:
            response = self.client.request(
                "PUT", self.path, params=params, body={"action": action, "members": items}, expected=BATCH_SUCCESS, accept=accept, idempotent=False
            )
        except ElbTransportError as err:
            if err.ambiguous:
                self._record(*done, unsure=True)
                raise ReplanNeeded(err) from None
            raise
        except ElbApiError as err:
            if err.kind == KIND_SERVER:
                self._record(*done, unsure=True)
            raise self._elb_error(err) from None
        if response.error is None:
            self._record(*done)
        return response

    def _elb_error(self, error):
        if error.kind in (KIND_SERVER, KIND_DUPLICATE, KIND_CONFLICT):
            return ReplanNeeded(error)
        if error.kind == KIND_NOT_FOUND and "member" in (error.api_message or "").lower():
            return ReplanNeeded(error)
        if not self.auto and is_missing_route(error):
            return error.with_hint("The server has no ELB batch endpoint: use strategy auto or per_member")
        return error

    def _probe(self, action, items):
        """Send the first batch call in ELB's dialect; returns the method the answer shows."""
        response = self._send(self._elb_call, action, items, accept=(KIND_NOT_FOUND, KIND_BAD_REQUEST))
        error = response.error
        if error is None:
            return "batch_elb"
        if is_octavia_refusal(error):
            return "batch_octavia"
        if is_missing_route(error):
            return "per_member"
        raise self._elb_error(error)

    def _write_elb(self, calls, updates):
        for action, items in calls:
            self._send(self._elb_call, action, items)
        for entry in updates:
            self._send(update_member, self.client, self.pool_id, entry["before"], entry["body"])
            self._record("updated", [entry["after"]])

    # -- Octavia dialect -----------------------------------------------------------------------------------------

    def _write_octavia(self, plan):
        params, items = octavia_batch_call(plan)
        try:
            # The complete list is declarative: sending it twice does no harm, so the client may retry it.
            self._send(self.client.request, "PUT", self.path, params=params, body={"members": items}, expected=BATCH_SUCCESS)
        except ElbApiError as err:
            if not self.auto and is_missing_route(err):
                raise err.with_hint("The server has no Octavia batch endpoint: use strategy auto or per_member") from None
            raise
        # One call, all or nothing.
        self._record("created", [entry["after"] for entry in plan["creates"]])
        self._record("updated", [entry["after"] for entry in plan["updates"]])
        self._record("removed", [entry["before"] for entry in plan["deletes"]])


def pool_writer(client, pool_id, strategy, progress):
    """The writer for the client's family; a strategy of the other family is refused before any write."""
    family = family_of(client)
    v3 = family.batch == "v3"
    if strategy not in (V3PoolMembersWriter.STRATEGIES if v3 else V2_STRATEGIES):
        raise ElbValidationError(
            "strategy",
            strategy,
            ", ".join(V3PoolMembersWriter.STRATEGIES if v3 else V2_STRATEGIES),
            message=f"Option 'strategy' is {strategy}, which {family.label} does not have; use auto or per_member",
        )
    return (V3PoolMembersWriter if v3 else PoolMembersWriter)(client, pool_id, strategy, progress)


def apply_pool_plan(client, pool_id, current_members, plan, desired_members, *, strategy="auto", check_mode=False, wait=True):
    """Write the plan (or, in check mode, only report it); returns the module result of pool_plan.pool_result.

    When it fails part-way, the error says how many changes were made and carries them as its
    ``partial_result`` (changed, created, updated, removed; write_progress.py).

    After a change: with ``wait``, wait until the pool's load balancer is ACTIVE (the pool is read once
    for its id, then the load balancer is polled), and read the pool once more for ``members``.
    """
    if check_mode:
        return pool_result(plan, planned_members(current_members, plan))
    if not has_changes(plan):
        return pool_result(plan, current_members)
    progress = WriteProgress(plan)
    writer = pool_writer(client, pool_id, strategy, progress)
    try:
        writer.write(plan, desired_members)
        if wait:
            writer.settle()
        members = list_members(client, pool_id, live_only=True)
    except ElbError as err:
        raise progress.report(err) from None
    return pool_result(plan, members, strategy_used=writer.method)
