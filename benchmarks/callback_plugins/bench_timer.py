# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark helper: write each task's duration to the JSON file named by $BENCH_TIMER_FILE.

Not part of the collection. ``benchmarks/bench.py`` enables it for both sides of every comparison,
so "seconds per task" means the same thing for elb_member and for the peer: from the moment
Ansible starts the task until its result is back (worker start, module transfer, the module's
own run, result processing), without ansible-playbook's start-up and shut-down.
"""

from __future__ import annotations

DOCUMENTATION = """
name: bench_timer
type: aggregate
short_description: per-task durations for benchmarks/bench.py
description:
  - Writes a JSON list of {name, seconds, status} to the file named by BENCH_TIMER_FILE.
requirements:
  - enabled with ANSIBLE_CALLBACKS_ENABLED=bench_timer
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tasks = []
        self._current = None

    def _start(self, task):
        self._finish_open("unfinished")
        self._current = {"name": task.get_name(), "start": time.perf_counter()}

    def _finish_open(self, status):
        if self._current is not None:
            entry = self._current
            self._current = None
            self._tasks.append({"name": entry["name"], "seconds": time.perf_counter() - entry["start"], "status": status})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start(task)

    # A loop task reports each item through v2_runner_item_on_*, then once through v2_runner_on_* with
    # ``results``: only the latter closes the task, so a loop's entry is the whole loop. With several
    # hosts the first host's result closes the task (the bench runs one host).

    def v2_runner_on_ok(self, result):
        self._finish_open("ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._finish_open("failed")

    def v2_runner_on_skipped(self, result):
        self._finish_open("skipped")

    def v2_runner_on_unreachable(self, result):
        self._finish_open("unreachable")

    def v2_playbook_on_stats(self, stats):
        self._finish_open("unfinished")
        path = os.environ.get("BENCH_TIMER_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self._tasks, handle)
