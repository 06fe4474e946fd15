# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of lbaas.elb.elb_pool_members (see plugins/plugin_utils/action.py)."""

from __future__ import annotations

from ansible_collections.lbaas.elb.plugins.plugin_utils.action import ElbAction


class ActionModule(ElbAction):
    """Runs the module like Ansible's normal action."""
