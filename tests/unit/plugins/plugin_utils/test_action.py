# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared action plugin: the collector is off for a worker's first run and back on for later runs."""

from __future__ import annotations

import gc
import importlib
import pkgutil

import pytest

from ansible.plugins.action.normal import ActionModule as NormalAction

from ansible_collections.lbaas.elb.plugins.action import elb_auth, elb_member, elb_member_info, elb_pool_members
from ansible_collections.lbaas.elb.plugins.plugin_utils import action


@pytest.fixture
def fresh_worker(monkeypatch):
    """A process in which no lbaas.elb action ran yet; the collector's state is restored afterwards."""
    was_enabled = gc.isenabled()
    monkeypatch.setattr(action, "_FIRST_RUN_IN_PROCESS", [True])
    seen = []

    def normal_run(self, tmp=None, task_vars=None):
        seen.append(gc.isenabled())
        return {"ran": len(seen), "task_vars": task_vars}

    monkeypatch.setattr(NormalAction, "run", normal_run)
    yield seen
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("plugin", [elb_member, elb_member_info, elb_pool_members, elb_auth])
def test_first_run_without_collector_later_runs_with_it(fresh_worker, plugin):
    gc.enable()
    runner = plugin.ActionModule.__new__(plugin.ActionModule)
    assert runner.run(task_vars={"a": 1}) == {"ran": 1, "task_vars": {"a": 1}}
    assert runner.run(task_vars={"a": 2}) == {"ran": 2, "task_vars": {"a": 2}}
    assert runner.run() == {"ran": 3, "task_vars": None}
    assert fresh_worker == [False, True, True]
    assert gc.isenabled()


def test_every_module_has_the_action_plugin():
    """A new module without its action plugin would run through ``normal`` and pay the collection again."""
    modules = {info.name for info in pkgutil.iter_modules(importlib.import_module("ansible_collections.lbaas.elb.plugins.modules").__path__)}
    assert "elb_member" in modules
    for name in modules:
        plugin = importlib.import_module("ansible_collections.lbaas.elb.plugins.action." + name)
        assert issubclass(plugin.ActionModule, action.ElbAction), name
