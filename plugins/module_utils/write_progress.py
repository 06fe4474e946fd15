# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a pool-wide write has done so far, so that a run that fails part-way says so (no Ansible imports).

A quota, a permanent error or the deadline can stop elb_pool_members between two calls. The members
written until then are written: the failed task reports ``changed: true``, lists them in ``created``,
``updated`` and ``removed``, and its message says how many of how many changes were made. A call whose
answer was lost may or may not have happened; it is counted once the pool is read again (a member it
created is there, one it deleted is gone), and otherwise named in the message as possibly made.
"""

from __future__ import annotations

from .members import member_key
from .pool_plan import member_reference

ACTIONS = ("created", "updated", "removed")


class WriteProgress:
    """The changes of one plan confirmed so far, and those whose answer was lost."""

    def __init__(self, plan):
        self.total = len(plan["creates"]) + len(plan["updates"]) + len(plan["deletes"])
        self.done = {action: [] for action in ACTIONS}
        self._unsure = {action: [] for action in ACTIONS}

    def record(self, action, members):
        """``members`` (bodies or API members) were ``action`` (created, updated or removed)."""
        self.done[action].extend(member_reference(member) for member in members)

    def unsure(self, action, members):
        """The answer to a call that ``action`` ``members`` was lost: it may have happened."""
        self._unsure[action].extend(member_reference(member) for member in members)

    def resolve(self, current_members):
        """After the pool was read again: the unsure creates that are there and the unsure deletes that
        are gone are done; the rest did not happen."""
        keys = {member_key(member) for member in current_members}
        ids = {member.get("id") for member in current_members if isinstance(member, dict)}
        self.done["created"].extend(ref for ref in self._unsure["created"] if member_key(ref) in keys)
        self.done["removed"].extend(ref for ref in self._unsure["removed"] if ref.get("id") not in ids)
        self._unsure = {action: [] for action in ACTIONS}

    def count(self):
        return sum(len(references) for references in self.done.values())

    def unsure_count(self):
        return sum(len(references) for references in self._unsure.values())

    def result(self):
        """The result keys of a failed run: changed (something was or may have been written) and the lists."""
        result = {"changed": bool(self.count() or self.unsure_count())}
        result.update(self.done)
        return result

    def summary(self):
        created, updated, removed = (len(self.done[action]) for action in ACTIONS)
        text = f"{self.count()} of {self.total} member changes were made before this failure (created {created}, updated {updated}, removed {removed})"
        if self.unsure_count():
            text += f"; {self.unsure_count()} more may have been made (the answer to their call was lost)"
        return text + ": they are listed in created, updated and removed"

    def report(self, error):
        """Add what was done to ``error`` (message and the module's failure result); returns it."""
        error.message = f"{error.message}. {self.summary()}"
        error.args = (error.message,)
        error.partial_result = self.result()
        return error
