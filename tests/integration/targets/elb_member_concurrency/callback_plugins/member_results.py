# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Callback for concurrency.py: every task start and every elb_member result, as JSON lines.

The file is named by the ELB_MEMBER_RESULTS environment variable. Callbacks run in the
ansible-playbook process only, one event at a time, so appending needs no locking.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: member_results
type: notification
short_description: Record elb_member results as JSON lines
description:
  - Appends one JSON object per task start and per C(lbaas.elb.elb_member) result (per loop item)
    to the file named by the E(ELB_MEMBER_RESULTS) environment variable.
"""

import json
import os

from ansible.plugins.callback import CallbackBase


def _part(task_result, name):
    """CallbackTaskResult.<name> (ansible-core 2.19+) or TaskResult._<name> (older)."""
    return getattr(task_result, name, None) or getattr(task_result, "_" + name)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "member_results"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, record):
        path = os.environ.get("ELB_MEMBER_RESULTS")
        if path:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, default=str) + "\n")

    def _record(self, task_result):
        task = _part(task_result, "task")
        result = _part(task_result, "result")
        if not task.action.endswith("elb_member") or "results" in result:
            return
        self._write(
            {
                "event": "result",
                "host": _part(task_result, "host").get_name(),
                "item": result.get("item"),
                "changed": bool(result.get("changed")),
                "failed": bool(result.get("failed")),
                "msg": result.get("msg"),
                "member_id": (result.get("member") or {}).get("id"),
            }
        )

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._write({"event": "start", "task": task.get_name()})

    def v2_runner_on_ok(self, result):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result)

    def v2_runner_item_on_ok(self, result):
        self._record(result)

    def v2_runner_item_on_failed(self, result):
        self._record(result)
