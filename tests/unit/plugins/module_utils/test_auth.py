# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authentication through the client: a fixed token, Keystone v3 password auth through IAM (the client
sends the token request the auth object describes), endpoint discovery from the catalog."""

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import (
    PasswordAuth,
    TokenAuth,
    endpoint_from_catalog,
    identity_token_url,
)
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbApiError, ElbError

ENDPOINT = "https://elb.example.test"
IAM = "https://iam.example.test"
TOKEN_URL = IAM + "/v3/auth/tokens"
PASSWORD = "Pa55-w0rd-XYZ"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
MEMBERS_PATH = f"/v2.0/lbaas/pools/{POOL}/members"


# -- password auth ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "auth_url, expected",
    [
        ("https://iam.example.test", TOKEN_URL),
        ("https://iam.example.test/", TOKEN_URL),
        ("https://iam.example.test/v3", TOKEN_URL),
        ("https://iam.example.test/identity/v3/", "https://iam.example.test/identity/v3/auth/tokens"),
    ],
)
def test_identity_token_url(auth_url, expected):
    assert identity_token_url(auth_url) == expected


def password_auth(**changes):
    values = dict(auth_url=IAM, username="alice", password=PASSWORD, user_domain_name="acme", project_id="p-1")
    values.update(changes)
    return PasswordAuth(**values)


def token_answer(token="issued-1", catalog=None):
    return dict(status=201, headers={"X-Subject-Token": token}, json={"token": {"catalog": catalog or [], "project": {"id": "p-1", "name": "eu-de"}}})


def test_password_token_request_shape_and_lazy_use(http, calls, fake_time):
    auth = password_auth()
    client = ElbClient(ENDPOINT, auth)
    assert calls() == []
    http.post(TOKEN_URL, **token_answer())
    http.get(MEMBERS_URL, json={"members": []})
    http.get(MEMBERS_URL, json={"members": []})
    client.get(MEMBERS_PATH)
    client.get(MEMBERS_PATH)
    assert calls() == [
        (
            "POST",
            TOKEN_URL,
            {
                "auth": {
                    "identity": {"methods": ["password"], "password": {"user": {"name": "alice", "password": PASSWORD, "domain": {"name": "acme"}}}},
                    "scope": {"project": {"id": "p-1"}},
                }
            },
        ),
        ("GET", MEMBERS_URL, None),
        ("GET", MEMBERS_URL, None),
    ]
    assert http.calls[0].request.headers["Content-Type"] == "application/json;charset=utf8"
    assert "X-Auth-Token" not in http.calls[0].request.headers
    assert http.calls[1].request.headers["X-Auth-Token"] == "issued-1"
    assert http.calls[2].request.headers["X-Auth-Token"] == "issued-1"


def test_password_scope_by_project_name():
    assert password_auth(project_id=None, project_name="eu-de").token_request()["body"]["auth"]["scope"] == {"project": {"name": "eu-de"}}


def test_401_reauthenticates_once_and_retries(http, calls, fake_time):
    client = ElbClient(ENDPOINT, password_auth())
    http.post(TOKEN_URL, **token_answer("old"))
    http.get(MEMBERS_URL, status=401, json={"error": {"code": 401, "message": "expired", "title": "Unauthorized"}})
    http.post(TOKEN_URL, **token_answer("new"))
    http.get(MEMBERS_URL, json={"members": []})
    assert client.get(MEMBERS_PATH) == {"members": []}
    assert [(method, url) for method, url, body in calls()] == [("POST", TOKEN_URL), ("GET", MEMBERS_URL), ("POST", TOKEN_URL), ("GET", MEMBERS_URL)]
    assert http.calls[3].request.headers["X-Auth-Token"] == "new"


def test_second_401_is_an_error(http, calls, fake_time):
    client = ElbClient(ENDPOINT, password_auth())
    http.post(TOKEN_URL, **token_answer("old"))
    http.get(MEMBERS_URL, status=401, json={"error": {"code": 401, "message": "no", "title": "Unauthorized"}})
    http.post(TOKEN_URL, **token_answer("new"))
    http.get(MEMBERS_URL, status=401, json={"error": {"code": 401, "message": "still no", "title": "Unauthorized"}})
    with pytest.raises(ElbApiError) as info:
        client.get(MEMBERS_PATH)
    assert info.value.status == 401
    assert len(calls()) == 4


def test_iam_failure_never_shows_the_body_or_password(http, calls, fake_time):
    client = ElbClient(ENDPOINT, password_auth())
    http.post(
        TOKEN_URL,
        status=401,
        headers={"X-Request-Id": "iam-req-1"},
        json={"error": {"code": 401, "title": "Unauthorized", "message": f"The username or password is wrong: {PASSWORD}"}},
    )
    with pytest.raises(ElbApiError) as info:
        client.get(MEMBERS_PATH)
    message = info.value.message
    assert PASSWORD not in message and "alice" not in message.split("check")[0]
    assert "POST /v3/auth/tokens failed: HTTP 401" in message
    assert "IAM did not issue a token" in message
    # Status, code and request id only: nothing of the body's text, whatever it holds.
    assert "code Unauthorized" in message and "request id: iam-req-1" in message
    assert "The username or password is wrong" not in message
    assert "(not shown: the answer of an authentication request)" in message
    assert len(calls()) == 1


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("<html><body><h1>400 Bad Request</h1><pre>user alice / pw P&#97;55-w0rd-XYZ</pre></body></html>", "text/html"),
        ('{"error_msg": "bad request body {\\"password\\": \\"Pa55-w0rd-XYZ\\"}", "error_code": "APIGW.0201"}', "application/json"),
        ("password=Pa55%2Dw0rd%2DXYZ&user=alice", "text/plain"),
    ],
    ids=["html-entity-echo", "json-in-json", "form-echo"],
)
def test_iam_error_body_is_never_echoed_whatever_its_form(http, fake_time, body, content_type):
    client = ElbClient(ENDPOINT, password_auth())
    http.post(TOKEN_URL, status=400, body=body, content_type=content_type)
    with pytest.raises(ElbApiError) as info:
        client.get(MEMBERS_PATH)
    message = info.value.message
    assert "alice" not in message.split("check")[0]
    assert "w0rd" not in message and "w0rd" not in info.value.api_message
    assert "(not shown: the answer of an authentication request)" in message


def test_missing_subject_token_header(http, fake_time):
    client = ElbClient(ENDPOINT, password_auth())
    http.post(TOKEN_URL, status=201, json={"token": {}})
    with pytest.raises(ElbError) as info:
        client.get(MEMBERS_PATH)
    assert "X-Subject-Token" in info.value.message


def test_endpoint_discovered_from_catalog(http, calls, fake_time):
    catalog = [
        {"type": "network", "endpoints": [{"url": "https://vpc.eu-de.example.test", "region": "eu-de", "interface": "public"}]},
        {
            "type": "elb",
            "endpoints": [
                {"url": "https://elb.eu-nl.example.test/v1.0/p-1", "region": "eu-nl", "interface": "public"},
                {"url": "https://elb-int.eu-de.example.test/v1.0/p-1", "region": "eu-de", "interface": "internal"},
                {"url": "https://elb.eu-de.example.test/v1.0/p-1", "region": "eu-de", "interface": "public"},
            ],
        },
    ]
    client = ElbClient(None, password_auth(region_name="eu-de"))
    http.post(TOKEN_URL, **token_answer(catalog=catalog))
    http.get(f"https://elb.eu-de.example.test/v2.0/lbaas/pools/{POOL}/members", json={"members": []})
    client.get(MEMBERS_PATH)
    assert [method for method, url, body in calls()] == ["POST", "GET"]


def test_catalog_preference_and_failure():
    catalog = [
        {"type": "network", "endpoints": [{"url": "https://vpc.test/", "interface": "public", "region": "r2"}]},
        {"type": "load-balancer", "endpoints": [{"url": "https://octavia.test/load-balancer/v2", "interface": "public", "region_id": "r1"}]},
    ]
    assert endpoint_from_catalog(catalog, "r1") == "https://octavia.test/load-balancer"
    assert endpoint_from_catalog(catalog, None) == "https://octavia.test/load-balancer"
    assert endpoint_from_catalog(catalog, "r2") == "https://vpc.test"
    with pytest.raises(ElbError) as info:
        endpoint_from_catalog(catalog, "r2", "admin")
    assert "no admin endpoint" in info.value.message and "set the endpoint option" in info.value.message


# -- token auth ------------------------------------------------------------------------------------------------------


def test_fixed_token_401_fails_clearly_without_retry(http, calls, fake_time):
    client = ElbClient(ENDPOINT, TokenAuth("fixed-tok"))
    http.get(MEMBERS_URL, status=401, json={"error": {"code": 401, "message": "Invalid token fixed-tok", "title": "Unauthorized"}})
    with pytest.raises(ElbApiError) as info:
        client.get(MEMBERS_PATH)
    assert "The token was rejected (expired or invalid); a fixed token cannot be renewed" in info.value.message
    assert "fixed-tok" not in info.value.message
    assert len(calls()) == 1


def test_password_auth_keeps_expiry_and_project_of_the_token(http, fake_time):
    auth = password_auth(project_id=None, project_name="eu-de")
    client = ElbClient(ENDPOINT, auth)
    http.post(
        TOKEN_URL,
        status=201,
        headers={"X-Subject-Token": "issued-9"},
        json={"token": {"expires_at": "2026-01-03T10:15:30.000000Z", "project": {"id": "p-77", "name": "eu-de"}, "catalog": []}},
    )
    assert client.authenticate() == "issued-9"
    assert (auth.expires_at, auth.token_project_id) == ("2026-01-03T10:15:30.000000Z", "p-77")
