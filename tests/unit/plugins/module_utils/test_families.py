# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""families.py and what the client, auth and response parsing do for the dedicated family (API v3)."""

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import PasswordAuth, TokenAuth, endpoint_from_catalog
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import KIND_BUSY, KIND_DUPLICATE, ElbValidationError
from ansible_collections.lbaas.elb.plugins.module_utils.families import DEDICATED_FAMILY, SHARED_FAMILY
from ansible_collections.lbaas.elb.plugins.module_utils.response import classify_error
from ansible_collections.lbaas.elb.plugins.module_utils.validation import normalize_endpoint

ENDPOINT = "https://elb.example.test"
PROJECT = "0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e"


def test_paths_of_each_family(fake_time):
    shared = ElbClient(ENDPOINT, TokenAuth("tok"), family=SHARED_FAMILY)
    dedicated = ElbClient(ENDPOINT, TokenAuth("tok", project_id=PROJECT), family=DEDICATED_FAMILY)
    assert shared.api_path("pools", "p/1") == "/v2.0/lbaas/pools/p%2F1"
    assert dedicated.api_path("pools", "p1", "members") == f"/v3/{PROJECT}/elb/pools/p1/members"


def test_dedicated_without_project_id_is_refused_before_any_request(fake_time):
    client = ElbClient(ENDPOINT, TokenAuth("tok"), family=DEDICATED_FAMILY)
    with pytest.raises(ElbValidationError) as info:
        client.api_path("pools")
    assert info.value.option == "auth.project_id"


def test_password_auth_takes_the_project_from_the_token():
    auth = PasswordAuth("https://iam.example.test/v3", "u", "p", "d", project_name="eu-de")
    auth.token_project_id = PROJECT
    assert auth.scope_project_id() == PROJECT


def test_page_info_next_marker_is_followed(http, calls, fake_time):
    client = ElbClient(ENDPOINT, TokenAuth("tok", project_id=PROJECT), family=DEDICATED_FAMILY)
    url = f"{ENDPOINT}/v3/{PROJECT}/elb/pools/p1/members?limit=2000"
    http.get(url, json={"members": [{"id": "a"}], "page_info": {"next_marker": "a", "current_count": 1}})
    http.get(url + "&marker=a", json={"members": [{"id": "b"}], "page_info": {"next_marker": "", "current_count": 1}})
    assert [m["id"] for m in client.paginate(client.api_path("pools", "p1", "members"), {"limit": 2000}, "members")] == ["a", "b"]
    assert len(calls()) == 2


def test_a_repeated_marker_stops(http, calls, fake_time):
    client = ElbClient(ENDPOINT, TokenAuth("tok", project_id=PROJECT), family=DEDICATED_FAMILY)
    url = f"{ENDPOINT}/v3/{PROJECT}/elb/pools/p1/members"
    http.get(url, json={"members": [{"id": "a"}], "page_info": {"next_marker": "a"}})
    http.get(url + "?marker=a", json={"members": [{"id": "a"}], "page_info": {"next_marker": "a"}})
    assert len(list(client.paginate(client.api_path("pools", "p1", "members"), None, "members"))) == 2


CATALOG = [
    {"type": "elb", "endpoints": [{"url": "https://elb.eu-de.example/v1.0/" + PROJECT, "interface": "public", "region": "eu-de"}]},
    {"type": "elbv3", "endpoints": [{"url": "https://elbv3.eu-de.example/v3/" + PROJECT, "interface": "public", "region": "eu-de"}]},
]


def test_dedicated_prefers_the_elbv3_catalog_entry_and_cuts_its_version():
    assert endpoint_from_catalog(CATALOG, "eu-de", "public", DEDICATED_FAMILY.catalog_types) == "https://elbv3.eu-de.example"
    assert endpoint_from_catalog(CATALOG, "eu-de", "public", SHARED_FAMILY.catalog_types) == "https://elb.eu-de.example"
    assert endpoint_from_catalog(CATALOG[:1], "eu-de", "public", DEDICATED_FAMILY.catalog_types) == "https://elb.eu-de.example"


def test_v3_endpoint_is_cut_to_its_base():
    assert normalize_endpoint("endpoint", f"https://elb.eu-de.example/v3/{PROJECT}") == "https://elb.eu-de.example"


@pytest.mark.parametrize(
    "message, kind",
    [
        ("The address and port are already in use in the pool", KIND_DUPLICATE),
        ("data conflict", KIND_DUPLICATE),
        ("Invalid state PENDING_UPDATE of loadbalancer resource x", KIND_BUSY),
    ],
)
def test_v3_conflict_code(message, kind):
    assert classify_error(409, "ELB.8907", message) == kind
