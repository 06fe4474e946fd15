# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ElbClient: error answers, bodies, retries of answers (5xx, 429), the deadline, paths and headers.

The retry contract for failures without an answer is in test_retry_contract.py, busy waiting in
test_loadbalancers.py, pagination in test_pagination.py.
"""

from __future__ import annotations

import sys
from urllib.parse import quote

import pytest
import requests

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import COLLECTION_VERSION, MAX_BODY_BYTES, ElbClient, api_path, user_agent
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbApiError, ElbResponseError, ElbTimeoutError, ElbTransportError
from ansible_collections.lbaas.elb.tests.unit.plugins.requests_failures import tls_failure

ENDPOINT = "https://elb.example.test"
TOKEN = "tok-Zq8-secret"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
MEMBER_ID = "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
MEMBER_URL = MEMBERS_URL + "/" + MEMBER_ID
MEMBERS_PATH = f"/v2.0/lbaas/pools/{POOL}/members"
MEMBER_PATH = MEMBERS_PATH + "/" + MEMBER_ID


@pytest.fixture
def client(fake_time):
    return ElbClient(ENDPOINT, TokenAuth(TOKEN), timeout=60)


# -- error answers ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["X-Request-Id", "x-openstack-request-id", "X-Openstack-Request-Id"])
def test_api_error_message_and_details(client, http, header):
    http.post(MEMBERS_URL, status=400, headers={header: "req-7"}, json={"error": {"message": "Quota exceeded for resources:['member'].", "code": "ELB.9807"}})
    with pytest.raises(ElbApiError) as info:
        client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,))
    error = info.value
    assert (error.status, error.code, error.request_id, error.kind) == (400, "ELB.9807", "req-7", "bad_request")
    assert error.message == (
        f"POST {MEMBERS_PATH} failed: HTTP 400 Bad Request, code ELB.9807, message: Quota exceeded for resources:['member']., request id: req-7"
    )
    assert error.details() == {"status": 400, "error_code": "ELB.9807", "request_id": "req-7"}


def test_request_id_from_body(client, http):
    http.get(MEMBERS_URL, status=404, json={"error_msg": "no", "error_code": "APIGW.0101", "request_id": "body-id"})
    with pytest.raises(ElbApiError) as info:
        client.request("GET", MEMBERS_PATH)
    assert info.value.request_id == "body-id"
    assert "request id: body-id" in info.value.message


def test_secrets_are_scrubbed_from_errors(client, http):
    http.put(
        MEMBER_URL,
        status=400,
        json={"NeutronError": {"type": "HTTPBadRequest", "message": "token {} and {}".format(TOKEN, quote(TOKEN, safe="")), "detail": ""}},
    )
    with pytest.raises(ElbApiError) as info:
        client.request("PUT", MEMBER_PATH, body={"member": {"weight": 1}})
    assert TOKEN not in str(info.value)
    assert "token ******** and ********" in info.value.message
    assert TOKEN not in info.value.api_message


def test_401_html_body_echoing_the_token_is_scrubbed(client, http, calls):
    page = f"<html><body><h1>401 Authorization Required</h1><p>X-Auth-Token: {TOKEN} is not valid</p>" + "<p>x</p>" * 100 + "</body></html>"
    http.get(MEMBERS_URL, status=401, body=page, content_type="text/html")
    with pytest.raises(ElbApiError) as info:
        client.get(MEMBERS_PATH)
    assert TOKEN not in str(info.value) and TOKEN[:6] not in str(info.value)
    assert "401 Authorization Required X-Auth-Token: ******** is not valid" in info.value.message
    assert len(calls()) == 1


def test_deeply_nested_json_answer_is_a_clear_error(client, http):
    http.get(MEMBERS_URL, body=b"[" * 100_000 + b"]" * 100_000, content_type="application/json")
    with pytest.raises(ElbResponseError) as info:
        client.get(MEMBERS_PATH)
    assert f"GET {MEMBERS_PATH}: HTTP 200 with an unusable body: the body is not usable JSON" in info.value.message


def test_api_message_over_a_kilobyte_is_cut_after_the_token_is_scrubbed(client, http):
    message = "y" * 1020 + TOKEN + "z" * 3000
    http.put(MEMBER_URL, status=400, json={"faultcode": "Client", "faultstring": message})
    with pytest.raises(ElbApiError) as info:
        client.request("PUT", MEMBER_PATH, body={"member": {"weight": 1}})
    assert info.value.api_message == "y" * 1020 + "****..."
    assert TOKEN[:4] not in info.value.message


# -- bodies ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, content_type, problem",
    [
        ("<html><body>Welcome to nginx</body></html>", "text/html", "not usable JSON"),
        ("", "application/json", "empty"),
        ("[1, 2]", "application/json", "JSON object was expected"),
        ('{"members": [', "application/json", "not usable JSON"),
    ],
)
def test_unusable_success_bodies(client, http, body, content_type, problem):
    http.get(MEMBERS_URL, body=body, content_type=content_type)
    with pytest.raises(ElbResponseError) as info:
        client.get(MEMBERS_PATH)
    assert problem in info.value.message
    assert f"GET {MEMBERS_PATH}: HTTP 200" in info.value.message
    if body.startswith("<html>"):
        assert "Welcome to nginx" in info.value.message and "<html>" not in info.value.message


def test_huge_body_is_refused_without_reading_it_all(client, http):
    http.get(MEMBERS_URL, body=b"{" + b" " * MAX_BODY_BYTES + b"}")
    with pytest.raises(ElbResponseError) as info:
        client.get(MEMBERS_PATH)
    assert "larger than" in info.value.message


def test_redirect_is_not_followed(client, http, calls):
    http.get(MEMBERS_URL, status=302, headers={"Location": "https://elsewhere.test/"})
    with pytest.raises(ElbResponseError) as info:
        client.get(MEMBERS_PATH)
    assert "redirect" in info.value.message and "elsewhere.test" in info.value.message
    assert len(calls()) == 1


def test_tls_failure_suggests_ca_cert_and_is_not_retried(client, http, calls, fake_time):
    http.get(MEMBERS_URL, body=tls_failure())
    with pytest.raises(ElbTransportError) as info:
        client.get(MEMBERS_PATH)
    assert "ca_cert" in info.value.message and "certificate verify failed" in info.value.message
    assert (info.value.ambiguous, info.value.retryable) == (False, False)
    assert len(calls()) == 1 and fake_time.sleeps == []


# -- retries of answers ----------------------------------------------------------------------------------------------


def test_get_503_then_200_is_retried_with_backoff(client, http, calls, fake_time):
    http.get(MEMBERS_URL, status=503, body="Service Unavailable")
    http.get(MEMBERS_URL, json={"members": []})
    assert client.get(MEMBERS_PATH) == {"members": []}
    assert calls() == [("GET", MEMBERS_URL, None), ("GET", MEMBERS_URL, None)]
    assert fake_time.sleeps == [pytest.approx(0.1)]  # full jitter: 0.5 * 0.2 s


def test_backoff_grows_exponentially_and_is_capped(client, http, fake_time):
    for _attempt in range(7):
        http.get(MEMBERS_URL, status=502)
    http.get(MEMBERS_URL, json={})
    client.get(MEMBERS_PATH)
    assert fake_time.sleeps == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.6, 2.5, 2.5])


def test_429_honours_retry_after_for_any_method(client, http, calls, fake_time):
    http.post(MEMBERS_URL, status=429, headers={"Retry-After": "7"}, json={"error_msg": "throttled", "error_code": "APIGW.0308"})
    http.post(MEMBERS_URL, status=201, json={"member": {"id": MEMBER_ID}})
    response = client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,))
    assert response.status == 201
    assert fake_time.sleeps == [7.0]
    assert len(calls()) == 2


def test_post_5xx_is_not_resent_by_the_client(client, http, calls):
    http.post(MEMBERS_URL, status=500, json={"NeutronError": {"type": "Internal", "message": "boom", "detail": ""}})
    with pytest.raises(ElbApiError) as info:
        client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,))
    assert info.value.kind == "server"
    assert len(calls()) == 1


def test_duplicate_is_never_retried(client, http, calls):
    http.post(
        MEMBERS_URL,
        status=409,
        json={"faultcode": "Client", "faultstring": "Another member on this pool is already using ip 10.0.0.1 on protocol_port 80", "debuginfo": None},
    )
    with pytest.raises(ElbApiError) as info:
        client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,))
    assert info.value.kind == "duplicate"
    assert len(calls()) == 1


def test_first_delete_404_is_an_error(client, http):
    http.delete(MEMBER_URL, status=404, json={"faultcode": "Client", "faultstring": f"Member {MEMBER_ID} not found."})
    with pytest.raises(ElbApiError) as info:
        client.request("DELETE", MEMBER_PATH, expected=(204,))
    assert info.value.kind == "not_found"


def test_expected_errors_are_returned_as_data(client, http):
    http.get(MEMBER_URL, status=404, json={"faultcode": "Client", "faultstring": f"Member {MEMBER_ID} not found."})
    response = client.request("GET", MEMBER_PATH, accept=("not_found",))
    assert response.status == 404
    assert response.error.kind == "not_found"


def test_timeout_names_what_it_waited_for_how_long_and_the_last_answer(fake_time, http):
    client = ElbClient(ENDPOINT, TokenAuth(TOKEN), timeout=2)
    http.get(
        MEMBERS_URL,
        status=503,
        headers={"X-Request-Id": "req-503"},
        json={"NeutronError": {"type": "ServiceUnavailable", "message": "try later", "detail": ""}},
    )
    with pytest.raises(ElbTimeoutError) as info:
        client.get(MEMBERS_PATH)
    error = info.value
    assert error.waiting_for == f"GET {MEMBERS_PATH} to succeed"
    assert "Timed out after" in error.message and "(timeout 2s)" in error.message
    assert "HTTP 503" in error.message and "try later" in error.message and "req-503" in error.message
    assert error.details() == {"status": 503, "error_code": "ServiceUnavailable", "request_id": "req-503"}
    # The whole budget is used (the last pause is shortened to fit), never more.
    assert 1.8 <= sum(fake_time.sleeps) < 2


# -- paths, headers, version -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "segment, quoted",
    [
        ("a/b", "a%2Fb"),
        ("a?b=c", "a%3Fb%3Dc"),
        ("%2e%2e", "%252e%252e"),
        ("x y", "x%20y"),
        ("\u00fc", "%C3%BC"),
        ("id\n", "id%0A"),
    ],
)
def test_path_segments_are_quoted(segment, quoted):
    assert api_path("pools", segment, "members") == f"/v2.0/lbaas/pools/{quoted}/members"


@pytest.mark.parametrize("segment", ["", ".", ".."])
def test_dot_segments_are_refused(segment):
    with pytest.raises(ValueError):
        api_path("pools", segment)


def test_headers_and_one_session(client, http):
    http.get(MEMBERS_URL, json={})
    http.get(MEMBERS_URL, json={})
    client.get(MEMBERS_PATH)
    client.get(MEMBERS_PATH)
    # One requests.Session for the task: its pool keeps the connection alive (see test_client_session.py).
    assert isinstance(client.session, requests.Session)
    headers = http.calls[0].request.headers
    assert headers["X-Auth-Token"] == TOKEN
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == "lbaas.elb/{} python-requests/{} Python/{}.{}.{}".format(COLLECTION_VERSION, requests.__version__, *sys.version_info[:3])
    assert user_agent() == headers["User-Agent"]
    assert http.calls[1].request.headers["X-Auth-Token"] == TOKEN


def test_json_body_is_sent_with_content_type(client, http):
    http.post(MEMBERS_URL, status=201, json={"member": {}})
    client.request("POST", MEMBERS_PATH, body={"member": {"address": "10.0.0.1"}}, expected=(201,))
    assert http.calls[0].request.headers["Content-Type"] == "application/json"


def test_netrc_credentials_are_never_added(client, http, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine iam.example.test login netrc-user password netrc-pass\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    http.get("https://iam.example.test/v3/auth/tokens", json={})
    # An unauthenticated request (as the token request is) carries no Authorization from .netrc.
    client.request("GET", "https://iam.example.test/v3/auth/tokens", authenticate=False)
    assert "Authorization" not in http.calls[0].request.headers
