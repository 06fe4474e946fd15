# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every writer of a pool-wide plan shares (no Ansible imports): the re-plan loop after an answer
that may hide success, waiting for the load balancer between writes, the progress record and the
member-by-member fallback. batch.py writes with v2.0's batch endpoint (ELB and Octavia dialects),
batch_v3.py with v3's batch-add, batch-delete and batch-update.
"""

from __future__ import annotations

from .loadbalancers import pool_load_balancer_ids, wait_for_load_balancer
from .members import apply_member_plan, family_of, list_members, members_path
from .pool_plan import plan_pool_members

MAX_ITEMS = 200
MAX_REPLANS = 3


class ReplanNeeded(Exception):
    """A write may or may not have happened, or met a member that changed meanwhile: read the pool again."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def chunks(items, size):
    return [items[start : start + size] for start in range(0, len(items), size)]


def is_missing_route(error):
    """405, or a 404 that names neither a member nor the pool: the server has no batch endpoint."""
    if error.status == 405:
        return True
    text = (error.api_message or "").lower()
    return error.status == 404 and "member" not in text and "pool" not in text


class PoolWriter:
    """Writes plans for one pool; subclasses write a plan (``_write``) in their API's way.

    ``method`` is the way in use (its name is the module's ``strategy_used``); None until ``auto`` has
    found it. With ``settle_between_writes`` the writer waits, before each write after the first, until
    the pool's load balancer is ACTIVE again (the pool is read once for its load balancer id).
    """

    settle_between_writes = True

    def __init__(self, client, pool_id, method=None, progress=None):
        self.client = client
        self.pool_id = pool_id
        self.path = members_path(client, pool_id)
        self.method = method
        self._load_balancer_ids = None
        self._wrote = False
        # What has been written, for an honest result if the run fails part-way (write_progress.py).
        self.progress = progress

    def _write(self, plan):
        raise NotImplementedError

    def write(self, plan, desired_members):
        """Write the plan; after a ReplanNeeded, read the pool again and write what is still missing."""
        replans = 0
        while True:
            try:
                self._write(plan)
                return
            except ReplanNeeded as need:
                replans += 1
                if replans > MAX_REPLANS:
                    raise need.error from None
                self.client.backoff(replans, f"a new attempt at the member changes of pool {self.pool_id}", need.error)
                current = list_members(self.client, self.pool_id, live_only=True)
                if self.progress is not None:
                    self.progress.resolve(current)
                plan = plan_pool_members(current, desired_members, plan["purge"], family_of(self.client))

    def settle(self):
        """Wait until every load balancer of the pool is ACTIVE."""
        if self._load_balancer_ids is None:
            self._load_balancer_ids = pool_load_balancer_ids(self.client, self.pool_id)
        for lb_id in self._load_balancer_ids:
            wait_for_load_balancer(self.client, lb_id, waiting_for=f"load balancer {lb_id} to become ACTIVE after the member changes")

    def _send(self, write, *args, **kwargs):
        """Call ``write(*args, **kwargs)``, first waiting for the load balancer if an earlier write may have changed something.

        A write changed something unless it returned a response carrying an accepted error (a refused probe).
        """
        if self._wrote and self.settle_between_writes:
            self.settle()
        try:
            result = write(*args, **kwargs)
        except ReplanNeeded:
            self._wrote = True
            raise
        self._wrote = self._wrote or getattr(result, "error", None) is None
        return result

    def _record(self, action, members, unsure=False):
        if self.progress is not None:
            (self.progress.unsure if unsure else self.progress.record)(action, members)

    def _record(self, action, members, unsure=False):
        if self.progress is not None:
            (self.progress.unsure if unsure else self.progress.record)(action, members)

    # -- member by member ----------------------------------------------------------------------------------------

    def _write_per_member(self, plan):
        self._write_entries(plan["creates"] + plan["updates"] + plan["deletes"])

    def _write_entries(self, entries):
        for entry in entries:
            result = self._send(apply_member_plan, self.client, self.pool_id, entry, entry["desired"] or {})
            if result["changed"]:
                action = {"create": "created", "update": "updated", "delete": "removed"}[entry["action"]]
                self._record(action, [entry["before"] if action == "removed" else result["member"]])
