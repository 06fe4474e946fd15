# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbLookupError, ElbValidationError
from ansible_collections.lbaas.elb.plugins.module_utils.pools import resolve_pool_id

ENDPOINT = "https://elb.example.test"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
POOL2 = "6c7e1a5d-3a1f-4d64-8e3e-7b4a2d3c8f22"
POOLS_URL = ENDPOINT + "/v2.0/lbaas/pools?name=web"


@pytest.fixture
def client(fake_time):
    return ElbClient(ENDPOINT, TokenAuth("tok"), timeout=30)


def test_uuid_needs_no_lookup(client, http, calls):
    assert resolve_pool_id(client, POOL) == POOL
    assert calls() == []


def test_name_is_looked_up_once(client, http, calls):
    http.get(POOLS_URL, json={"pools": [{"id": POOL2, "name": "Web"}, {"id": POOL, "name": "web"}]})
    assert resolve_pool_id(client, "web") == POOL
    assert calls() == [("GET", POOLS_URL, None)]


def test_ambiguous_name_lists_the_candidates(client, http):
    http.get(POOLS_URL, json={"pools": [{"id": POOL, "name": "web"}, {"id": POOL2, "name": "web"}]})
    with pytest.raises(ElbLookupError) as info:
        resolve_pool_id(client, "web")
    assert POOL in info.value.message and POOL2 in info.value.message
    assert info.value.details() == {"option": "pool", "candidates": [POOL, POOL2]}


def test_unknown_name(client, http):
    http.get(POOLS_URL, json={"pools": [{"id": POOL2, "name": "Web"}]})
    with pytest.raises(ElbLookupError) as info:
        resolve_pool_id(client, "web")
    assert "No pool is named 'web'" in info.value.message
    assert POOL2 in info.value.message


@pytest.mark.parametrize("value", ["../loadbalancers/x", "a?b=c", "%2e%2e", "a/b", "..", "a b", "caf\u00e9", POOL + "\n", "web\n"])
def test_unsafe_names_are_rejected_locally(client, http, calls, value):
    with pytest.raises(ElbValidationError) as info:
        resolve_pool_id(client, value)
    assert "'pool'" in info.value.message and repr(value) in info.value.message
    assert calls() == []
