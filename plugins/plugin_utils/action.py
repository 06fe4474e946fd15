# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action plugin behind every lbaas.elb module: Ansible's ``normal`` action, minus one needless garbage collection.

Ansible runs each task in a worker process forked from ansible-playbook, and the worker's first
module run builds the module's AnsiballZ payload: it parses every module_utils file the module
imports, and the parsed trees are left behind as reference cycles.  That garbage often pushes
Python into a full collection that spends about 60-100 ms, mostly on those trees, measured on the
first lbaas.elb task of a play (the module imports more module_utils than a trivial module does,
so it crosses that line where a trivial module does not; gc.freeze() of the heap inherited from
ansible-playbook does not avoid it).  The worker exits right after the task, so the collection
frees nothing that matters.

So the first run in a worker turns the cyclic collector off, and any later run in the same worker
(the items of a ``loop``) turns it back on, so a long loop still collects its garbage.
Reference counting frees everything else as usual.
"""

from __future__ import annotations

import gc

from ansible.plugins.action.normal import ActionModule as NormalAction

# One flag per process: a worker is forked from ansible-playbook, where run() is never called.
_FIRST_RUN_IN_PROCESS = [True]


class ElbAction(NormalAction):
    """``normal`` with the collector off for the first module run of a worker process."""

    def run(self, tmp=None, task_vars=None):
        if _FIRST_RUN_IN_PROCESS:
            _FIRST_RUN_IN_PROCESS.clear()
            gc.disable()
        else:
            gc.enable()
        return super().run(tmp, task_vars)
