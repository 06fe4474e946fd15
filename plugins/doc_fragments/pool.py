# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The pool a module works on (elb_member, elb_member_info, elb_pool_members), named the same way in each.
    DOCUMENTATION = r"""
options:
  pool:
    description:
      - ID of the pool, or its name.
      - A name may contain only letters, digits, V(_), V(.) and V(-) (at most 255 characters);
        it is looked up once and must match exactly one pool.
    type: str
    required: true
"""
