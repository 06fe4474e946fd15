# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pool references: a pool id, or a pool name looked up once (no Ansible imports)."""

from __future__ import annotations

from .errors import ElbLookupError
from .validation import is_uuid, parse_pool_reference


def resolve_pool_id(client, value, option="pool"):
    """The pool id for ``value``: a UUID is returned as is (no HTTP call); a name is looked up
    with one GET /v2.0/lbaas/pools?name=<name> (v3: /v3/{project_id}/elb/pools?name=<name>) and must match
    exactly one pool."""
    kind, value = parse_pool_reference(option, value)
    if kind == "id":
        return value
    response = client.request("GET", client.api_path("pools"), params={"name": value})
    pools = [pool for pool in response.json_list("pools") if isinstance(pool, dict)]
    matches = [pool for pool in pools if pool.get("name") == value]
    if len(matches) == 1:
        pool_id = matches[0].get("id")
        if not is_uuid(pool_id):
            raise response.unusable(f"the pool named {value!r} has no valid id ({pool_id!r})")
        return pool_id
    if matches:
        ids = [pool.get("id") for pool in matches]
        raise ElbLookupError(
            option,
            value,
            ids,
            f"{len(matches)} pools are named {value!r} (ids: {', '.join(str(i) for i in ids)}); set {option} to the id of one of them",
        )
    others = ["{} ({})".format(pool.get("id"), pool.get("name")) for pool in pools]
    message = f"No pool is named {value!r} (names are case-sensitive); set {option} to an existing pool name or id"
    if others:
        message += "; the API also returned: {}".format(", ".join(others))
    raise ElbLookupError(option, value, [pool.get("id") for pool in pools], message)
