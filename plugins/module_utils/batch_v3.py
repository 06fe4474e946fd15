# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writing a pool-wide plan on dedicated ELB (API v3) with batch-add, batch-update and batch-delete
(ELB_API_V3.md section 7; no Ansible imports).

- Creates go to ``batch-add``, at most 200 per call. A member that is already there is answered
  ``existed``: it is adopted like a v2.0 duplicate (compared with its item, and updated if it differs).
  A create that sets ``admin_state_up`` gets its own POST, because batch-add has no such field.
- Updates go to ``batch-update`` (``{id, name, weight}``), deletes to ``batch-delete`` by id, at most
  200 per call; a delete answered ``not found`` counts as gone.
- Every call states an end result (what exists is adopted, what is gone counts as deleted, an update
  sets values), so the client may send one again after a lost answer, like any idempotent request.
- ``auto``: a first call answered 404 (no such route) or 405 switches to one call per member, as the
  OTC reference does not list these endpoints; ``batch_v3`` fails with a hint instead.
- v3 writes are synchronous (section 5): no waiting for the load balancer between calls.
"""

from __future__ import annotations

from .errors import ElbApiError
from .members import family_of, member_key, plan_member_changes, update_member
from .pool_writer import MAX_ITEMS, PoolWriter, chunks, is_missing_route

BATCH_ADD_FIELDS = frozenset(("address", "protocol_port", "subnet_cidr_id", "weight", "name", "availability_zone"))
BATCH_SUCCESS = (200, 201, 202, 204)
NO_BATCH_HINT = "The server has no v3 batch member endpoints: use strategy auto or per_member"


class V3PoolMembersWriter(PoolWriter):
    """Writes plans for one pool of a dedicated load balancer (``batch_v3``, or ``per_member``)."""

    STRATEGIES = ("auto", "batch_v3", "per_member")
    settle_between_writes = False

    def __init__(self, client, pool_id, strategy="auto", progress=None):
        if strategy not in self.STRATEGIES:
            raise ValueError(f"unknown strategy {strategy!r}")
        self.auto = strategy == "auto"
        super().__init__(client, pool_id, None if self.auto else strategy, progress)
        # Once a batch call has succeeded the endpoints exist: a later 404 is about the pool or a member.
        self._batch_seen = False

    def _write(self, plan):
        alone = [entry for entry in plan["creates"] if not BATCH_ADD_FIELDS.issuperset(entry["body"]["member"])]
        batched = [entry for entry in plan["creates"] if BATCH_ADD_FIELDS.issuperset(entry["body"]["member"])]
        pending = [("batch-add", part) for part in chunks(batched, MAX_ITEMS)]
        pending.extend(("batch-update", part) for part in chunks(plan["updates"], MAX_ITEMS))
        pending.extend(("batch-delete", part) for part in chunks(plan["deletes"], MAX_ITEMS))
        while pending and self.method != "per_member":
            kind, entries = pending[0]
            try:
                self._send(self._batch, kind, entries)
            except ElbApiError as err:
                if not is_missing_route(err) or self._batch_seen:
                    raise
                if not self.auto:
                    raise err.with_hint(NO_BATCH_HINT) from None
                self.method = "per_member"
                break
            self.method = "batch_v3"
            self._batch_seen = True
            pending.pop(0)
        if self.method is None:
            self.method = "batch_v3" if batched or plan["updates"] or plan["deletes"] else "per_member"
        # Creates first, then updates and deletes, as in the batch calls.
        rest = [entry for _kind, entries in pending for entry in entries]
        self._write_entries(alone + rest)

    def _batch(self, kind, entries):
        if kind == "batch-add":
            items = [entry["body"]["member"] for entry in entries]
        elif kind == "batch-update":
            items = [dict(entry["body"]["member"], id=entry["member_id"]) for entry in entries]
        else:
            items = [{"id": entry["member_id"]} for entry in entries]
        path = self.client.api_path("pools", self.pool_id, "members", kind)
        response = self.client.request("POST", path, body={"members": items}, expected=BATCH_SUCCESS, idempotent=True)
        if kind == "batch-add":
            self._adopt_existing(entries, response.json_list("members"))
            self._record("created", [entry["after"] for entry in entries])
        elif kind == "batch-update":
            self._record("updated", [entry["after"] for entry in entries])
        else:
            # "successful" or "not found": either way the member is gone.
            self._record("removed", [entry["before"] for entry in entries])
        return response

    def _adopt_existing(self, entries, answers):
        """Members answered ``existed`` were there already: compare each with its item, update it if it differs."""
        desired_by_key = {member_key(entry["after"]): entry["desired"] for entry in entries}
        family = family_of(self.client)
        for answer in answers:
            if not isinstance(answer, dict) or answer.get("ret_status") != "existed":
                continue
            desired = desired_by_key.get(member_key(answer))
            if desired is None:
                continue
            existing = {key: value for key, value in answer.items() if key != "ret_status"}
            plan = plan_member_changes(existing, desired, family)
            if plan["action"] == "update":
                update_member(self.client, self.pool_id, existing, plan["body"])
