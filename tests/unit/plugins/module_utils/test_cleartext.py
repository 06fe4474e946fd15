# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A credential sent over http:// to a host that is not loopback gets a warning naming the URL (never its
userinfo); https and loopback get none."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import AkSkAuth, PasswordAuth, TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient

POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
MEMBERS_PATH = f"/v2.0/lbaas/pools/{POOL}/members"
WARNING = "Credentials are sent without TLS to {}: anybody on the network path can read them; use an https:// URL"


def token_auth():
    return TokenAuth("tok-SENTINEL")


def aksk_auth():
    return AkSkAuth("AK", "SK-SENTINEL", now=lambda: datetime(2026, 1, 2, tzinfo=timezone.utc))


def password_auth(auth_url):
    return PasswordAuth(auth_url, "alice", "pw-SENTINEL", "acme", project_id="p-1")


def get_members(client, http, endpoint):
    http.get(endpoint + MEMBERS_PATH, json={"members": []})
    client.get(MEMBERS_PATH)


@pytest.mark.parametrize("make_auth", [token_auth, aksk_auth], ids=["token", "aksk"])
@pytest.mark.parametrize(
    "endpoint, origin",
    [
        ("http://elb.example.test", "http://elb.example.test"),
        ("http://elb.example.test:8080/load-balancer", "http://elb.example.test:8080"),
        ("http://10.1.2.3", "http://10.1.2.3"),
        ("http://[2001:db8::1]:9876", "http://[2001:db8::1]:9876"),
    ],
)
def test_credentials_over_http_to_another_host_are_warned_about_once(http, fake_time, make_auth, endpoint, origin):
    client = ElbClient(endpoint, make_auth(), timeout=30)
    get_members(client, http, endpoint)
    get_members(client, http, endpoint)
    assert client.warnings == [WARNING.format(origin)]
    assert "SENTINEL" not in " ".join(client.warnings)


@pytest.mark.parametrize("make_auth", [token_auth, aksk_auth], ids=["token", "aksk"])
@pytest.mark.parametrize(
    "endpoint",
    ["https://elb.example.test", "http://127.0.0.1:9876", "http://127.8.9.10", "http://localhost:9876", "http://[::1]:9876"],
)
def test_no_warning_for_https_or_loopback(http, fake_time, make_auth, endpoint):
    client = ElbClient(endpoint, make_auth(), timeout=30)
    get_members(client, http, endpoint)
    assert client.warnings == []


def test_password_over_http_to_iam_is_warned_about_even_when_the_endpoint_is_https(http, fake_time):
    client = ElbClient("https://elb.example.test", password_auth("http://iam.example.test/v3"), timeout=30)
    http.post("http://iam.example.test/v3/auth/tokens", status=201, headers={"X-Subject-Token": "issued"}, json={"token": {}})
    get_members(client, http, "https://elb.example.test")
    assert client.warnings == [WARNING.format("http://iam.example.test")]


def test_password_and_token_over_http_name_both_hosts(http, fake_time):
    client = ElbClient("http://elb.example.test", password_auth("http://iam.example.test"), timeout=30)
    http.post("http://iam.example.test/v3/auth/tokens", status=201, headers={"X-Subject-Token": "issued"}, json={"token": {}})
    get_members(client, http, "http://elb.example.test")
    assert client.warnings == [WARNING.format("http://iam.example.test"), WARNING.format("http://elb.example.test")]


def test_password_to_loopback_iam_is_not_warned_about(http, fake_time):
    client = ElbClient("https://elb.example.test", password_auth("http://127.0.0.1:5000/v3"), timeout=30)
    http.post("http://127.0.0.1:5000/v3/auth/tokens", status=201, headers={"X-Subject-Token": "issued"}, json={"token": {}})
    get_members(client, http, "https://elb.example.test")
    assert client.warnings == []
