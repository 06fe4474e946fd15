# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ElbClient: error envelopes, body decoding, retry policy, busy waiting, pagination, quoting."""

from __future__ import annotations

from http import client as http_client
import json
import re
import socket
import ssl
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import (
    COLLECTION_VERSION,
    MAX_BODY_BYTES,
    ElbClient,
    api_path,
    classify_error,
    load_balancer_in_message,
    parse_error_body,
    user_agent,
)
from ansible_collections.lbaas.elb.plugins.module_utils.errors import (
    ElbApiError,
    ElbResponseError,
    ElbTimeoutError,
    ElbTransportError,
)

ENDPOINT = "https://elb.example.test"
TOKEN = "tok-Zq8-secret"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
LB_ID = "2c1d0e9f-8a7b-4c6d-9e5f-0a1b2c3d4e5f"
MEMBER_ID = "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
MEMBER_URL = MEMBERS_URL + "/" + MEMBER_ID
LB_URL = ENDPOINT + "/v2.0/lbaas/loadbalancers/" + LB_ID
MEMBERS_PATH = f"/v2.0/lbaas/pools/{POOL}/members"
MEMBER_PATH = MEMBERS_PATH + "/" + MEMBER_ID


@pytest.fixture
def client(fake_time):
    return ElbClient(ENDPOINT, TokenAuth(TOKEN), timeout=60)


def reset():
    return ConnectionResetError(104, "Connection reset by peer")


def remote_disconnected():
    return http_client.RemoteDisconnected("Remote end closed connection without response")


def read_timeout():
    return socket.timeout("timed out")


# -- error envelopes -------------------------------------------------------------------------------------------------

ENVELOPES = [
    (
        "neutron",
        {"NeutronError": {"type": "MemberExists", "message": "Member with address 10.0.0.1 and protocol_port 80 already present in pool p", "detail": ""}},
        ("MemberExists", "Member with address 10.0.0.1 and protocol_port 80 already present in pool p", None),
    ),
    (
        "elb",
        {"error": {"message": "Vpc a of member's subnet_cidr s and vpc b of loadbalancer lb mismatch", "code": "ELB.9899"}},
        ("ELB.9899", "Vpc a of member's subnet_cidr s and vpc b of loadbalancer lb mismatch", None),
    ),
    (
        "apigw",
        {"error_msg": "The API does not exist or has not been published in the environment", "error_code": "APIGW.0101", "request_id": "gw-req-1"},
        ("APIGW.0101", "The API does not exist or has not been published in the environment", "gw-req-1"),
    ),
    (
        "octavia-wsme",
        {"faultcode": "Client", "faultstring": f"Member {MEMBER_ID} not found.", "debuginfo": None},
        ("Client", f"Member {MEMBER_ID} not found.", None),
    ),
    ("octavia-pecan", {"code": 404, "title": "Bad Request", "description": f"Pool {POOL} not found."}, ("Bad Request", f"Pool {POOL} not found.", None)),
    (
        "keystone",
        {"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}},
        ("Unauthorized", "The request you have made requires authentication.", None),
    ),
    (
        "neutron-detail",
        {"NeutronError": {"type": "HTTPBadRequest", "message": "Invalid input", "detail": "weight"}},
        ("HTTPBadRequest", "Invalid input (weight)", None),
    ),
]


@pytest.mark.parametrize("name, body, expected", ENVELOPES, ids=[e[0] for e in ENVELOPES])
def test_parse_error_body_every_envelope(name, body, expected):
    assert parse_error_body(body, json.dumps(body).encode()) == expected


def test_parse_error_body_non_json_gives_a_sanitized_excerpt():
    html = b"<html><head><title>502 Bad Gateway</title></head>\n<body>\x00<h1>Bad   Gateway</h1>" + b"x" * 500
    code, message, request_id = parse_error_body(None, html)
    assert code is None and request_id is None
    assert message.startswith("502 Bad Gateway Bad Gateway")
    assert "<" not in message and "\x00" not in message
    assert len(message) <= 203


@pytest.mark.parametrize(
    "status, code, message, kind",
    [
        (404, "Client", "Member x not found.", "not_found"),
        (409, "StateInvalid", f"Invalid state PENDING_UPDATE of loadbalancer resource {LB_ID}", "busy"),
        (409, "Client", f"Load Balancer {LB_ID} is immutable and cannot be updated.", "busy"),
        (409, "Client", f"Pool {POOL} is immutable and cannot be updated.", "busy"),
        (409, "MemberExists", "Member with address a and protocol_port 1 already present in pool p", "duplicate"),
        (409, "Client", "Another member on this pool is already using ip 1.2.3.4 on protocol_port 88", "duplicate"),
        (409, "ELB.1234", "something else", "conflict"),
        (401, None, None, "unauthorized"),
        (403, "ELB.9802", "Policy doesn't allow elb:members:create to be performed", "forbidden"),
        (429, None, None, "throttled"),
        (400, "APIGW.0308", "The throttling threshold has been reached", "throttled"),
        (500, None, None, "server"),
        (503, None, None, "server"),
        (400, "ELB.9805", "RequestBody member[address] is null", "bad_request"),
    ],
)
def test_classify_error(status, code, message, kind):
    assert classify_error(status, code, message) == kind


def test_load_balancer_id_in_busy_messages():
    assert load_balancer_in_message(f"Invalid state PENDING_UPDATE of loadbalancer resource {LB_ID}") == LB_ID
    assert load_balancer_in_message(f"Load Balancer {LB_ID} is immutable and cannot be updated.") == LB_ID
    assert load_balancer_in_message(f"Pool {POOL} is immutable and cannot be updated.") is None


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


# -- bodies ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, content_type, problem",
    [
        ("<html><body>Welcome to nginx</body></html>", "text/html", "not valid JSON"),
        ("", "application/json", "empty"),
        ("[1, 2]", "application/json", "JSON object was expected"),
        ('{"members": [', "application/json", "not valid JSON"),
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


def test_redirect_is_not_followed(client, http):
    http.get(MEMBERS_URL, status=302, headers={"Location": "https://elsewhere.test/"})
    with pytest.raises(ElbResponseError) as info:
        client.get(MEMBERS_PATH)
    assert "redirect" in info.value.message and "elsewhere.test" in info.value.message


def test_tls_failure_suggests_ca_cert_and_is_not_retried(client, http, on_connect):
    failure = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate")
    http.get(MEMBERS_URL, body=on_connect(failure))
    with pytest.raises(ElbTransportError) as info:
        client.get(MEMBERS_PATH)
    assert "ca_cert" in info.value.message and "certificate verify failed" in info.value.message
    assert client.stats == {"requests": 1, "retries": 0}


# -- retries ---------------------------------------------------------------------------------------------------------


def test_get_503_then_200_is_retried_with_backoff(client, http, calls, fake_time):
    http.get(MEMBERS_URL, status=503, body="Service Unavailable")
    http.get(MEMBERS_URL, json={"members": []})
    assert client.get(MEMBERS_PATH) == {"members": []}
    assert calls() == [("GET", MEMBERS_URL, None), ("GET", MEMBERS_URL, None)]
    assert fake_time.sleeps == [pytest.approx(0.1)]  # full jitter: 0.5 * 0.2 s
    assert client.stats == {"requests": 2, "retries": 1}


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


def test_connection_errors_on_get_are_retried(client, http, fake_time):
    http.get(MEMBERS_URL, body=reset())
    http.get(MEMBERS_URL, body=read_timeout())
    http.get(MEMBERS_URL, json={"members": []})
    assert client.get(MEMBERS_PATH) == {"members": []}
    assert client.stats == {"requests": 3, "retries": 2}


def test_refused_connection_is_retried_even_for_post(client, http, fake_time, on_connect):
    http.post(MEMBERS_URL, body=on_connect(ConnectionRefusedError(111, "Connection refused")))
    http.post(MEMBERS_URL, status=201, json={"member": {"id": MEMBER_ID}})
    assert client.request("POST", MEMBERS_PATH, body={}, expected=(201,)).status == 201


@pytest.mark.parametrize(
    "failure",
    [
        remote_disconnected(),
        read_timeout(),
        reset(),
    ],
)
def test_ambiguous_post_failure_is_not_resent_by_the_client(client, http, calls, failure):
    http.post(MEMBERS_URL, body=failure)
    with pytest.raises(ElbTransportError) as info:
        client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,))
    assert info.value.ambiguous is True
    assert len(calls()) == 1


def test_post_5xx_is_not_resent_by_the_client(client, http, calls):
    http.post(MEMBERS_URL, status=500, json={"NeutronError": {"type": "Internal", "message": "boom", "detail": ""}})
    with pytest.raises(ElbApiError) as info:
        client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,))
    assert info.value.kind == "server"
    assert len(calls()) == 1


def test_busy_write_waits_for_the_named_load_balancer_then_retries(client, http, calls, fake_time):
    busy = {"NeutronError": {"type": "StateInvalid", "message": f"Invalid state PENDING_UPDATE of loadbalancer resource {LB_ID}", "detail": ""}}
    http.put(MEMBER_URL, status=409, json=busy)
    http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "PENDING_UPDATE"}})
    http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})
    http.put(MEMBER_URL, json={"member": {"id": MEMBER_ID, "weight": 5}})
    response = client.request("PUT", MEMBER_PATH, body={"member": {"weight": 5}})
    assert response.json_object("member")["weight"] == 5
    assert calls() == [
        ("PUT", MEMBER_URL, {"member": {"weight": 5}}),
        ("GET", LB_URL, None),
        ("GET", LB_URL, None),
        ("PUT", MEMBER_URL, {"member": {"weight": 5}}),
    ]
    assert fake_time.sleeps == pytest.approx([0.05, 0.075])


def test_polling_grows_by_half_capped_at_half_a_second_then_two_seconds(fake_time, http):
    # 40 answers of PENDING_UPDATE, then ACTIVE: the pauses between them are the schedule.
    for _attempt in range(40):
        http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "PENDING_UPDATE"}})
    http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})
    client = ElbClient(ENDPOINT, TokenAuth(TOKEN), timeout=600)
    assert client.wait_for_load_balancer(LB_ID)["provisioning_status"] == "ACTIVE"
    sleeps = fake_time.sleeps
    assert len(sleeps) == 40
    assert sleeps[:4] == pytest.approx([0.05, 0.075, 0.1125, 0.16875])
    # Never more than 0.5 s apart during the first 10 s of waiting, 2 s after that.
    elapsed = 0.0
    for pause in sleeps:
        assert pause <= (0.5 if elapsed < 10 else 2.0) + 1e-9
        elapsed += pause
    assert sleeps[-1] == pytest.approx(2.0)
    # A 0.2 s window is seen settled less than 0.05 s after it ends (0.05 + 0.075 + 0.1125 = 0.2375).
    assert sum(sleeps[:3]) < 0.25


def test_busy_without_load_balancer_id_backs_off(client, http, calls, fake_time):
    http.delete(MEMBER_URL, status=409, json={"faultcode": "Client", "faultstring": f"Pool {POOL} is immutable and cannot be updated.", "debuginfo": None})
    http.delete(MEMBER_URL, status=204)
    assert client.request("DELETE", MEMBER_PATH, expected=(204,)).status == 204
    assert [method for method, url, body in calls()] == ["DELETE", "DELETE"]
    assert fake_time.sleeps == [pytest.approx(0.1)]


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


def test_retried_delete_answered_404_is_done(client, http, calls, fake_time):
    http.delete(MEMBER_URL, body=reset())
    http.delete(MEMBER_URL, status=404, json={"faultcode": "Client", "faultstring": f"Member {MEMBER_ID} not found."})
    assert client.request("DELETE", MEMBER_PATH, expected=(204,)).status == 404
    assert len(calls()) == 2


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


def test_busy_timeout_reports_the_load_balancer_state(fake_time, http):
    client = ElbClient(ENDPOINT, TokenAuth(TOKEN), timeout=1)
    http.put(MEMBER_URL, status=409, json={"faultcode": "Client", "faultstring": f"Load Balancer {LB_ID} is immutable and cannot be updated."})
    http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "PENDING_UPDATE"}})
    with pytest.raises(ElbTimeoutError) as info:
        client.request("PUT", MEMBER_PATH, body={"member": {"weight": 2}})
    assert f"load balancer {LB_ID} to become ACTIVE" in info.value.message
    assert "provisioning_status PENDING_UPDATE" in info.value.last_answer


# -- pagination ------------------------------------------------------------------------------------------------------


def member(n):
    return {"id": f"00000000-0000-4000-8000-{n:012d}", "address": f"10.0.0.{n}", "protocol_port": 80}


def test_pagination_follows_absolute_and_relative_next_links(client, http, calls):
    page2 = MEMBERS_URL + "?limit=1&marker=" + member(1)["id"]
    page3 = MEMBERS_URL + "?limit=1&marker=" + member(2)["id"]
    http.get(MEMBERS_URL + "?limit=1", json={"members": [member(1)], "members_links": [{"rel": "next", "href": page2}]})
    http.get(
        page2,
        json={
            "members": [member(2)],
            "members_links": [{"rel": "previous", "href": "ignored"}, {"rel": "next", "href": "members?limit=1&marker=" + member(2)["id"]}],
        },
    )
    http.get(page3, json={"members": [member(3)], "members_links": []})
    items = list(client.paginate(MEMBERS_PATH, {"limit": 1}, "members"))
    assert items == [member(1), member(2), member(3)]
    assert [url for method, url, body in calls()] == [MEMBERS_URL + "?limit=1", page2, page3]


def test_pagination_stops_on_an_empty_page(client, http, calls):
    page2 = MEMBERS_URL + "?limit=1&marker=" + member(1)["id"]
    http.get(MEMBERS_URL, json={"members": [member(1)], "members_links": [{"rel": "next", "href": page2}]})
    http.get(page2, json={"members": [], "members_links": [{"rel": "next", "href": page2 + "x"}]})
    assert list(client.paginate(MEMBERS_PATH, None, "members")) == [member(1)]
    assert len(calls()) == 2


def test_pagination_stops_when_a_link_repeats(client, http, calls):
    http.get(MEMBERS_URL, json={"members": [member(1)], "members_links": [{"rel": "next", "href": MEMBERS_URL}]})
    assert list(client.paginate(MEMBERS_PATH, None, "members")) == [member(1)]
    assert len(calls()) == 1


def test_pagination_never_sends_credentials_to_another_host(client, http, calls):
    http.get(
        MEMBERS_URL,
        json={"members": [member(1)], "members_links": [{"rel": "next", "href": f"http://internal-octavia:9876/v2.0/lbaas/pools/{POOL}/members?marker=m"}]},
    )
    http.get(MEMBERS_URL + "?marker=m", json={"members": [], "members_links": []})
    list(client.paginate(MEMBERS_PATH, None, "members"))
    assert [url for method, url, body in calls()] == [MEMBERS_URL, MEMBERS_URL + "?marker=m"]


def test_pagination_requires_the_list(client, http):
    http.get(MEMBERS_URL, json={"member": []})
    with pytest.raises(ElbResponseError) as info:
        list(client.paginate(MEMBERS_PATH, None, "members"))
    assert "'members' list" in info.value.message


# -- paths, headers, version -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "segment, quoted",
    [
        ("a/b", "a%2Fb"),
        ("a?b=c", "a%3Fb%3Dc"),
        ("%2e%2e", "%252e%252e"),
        ("x y", "x%20y"),
        ("\u00fc", "%C3%BC"),
    ],
)
def test_path_segments_are_quoted(segment, quoted):
    assert api_path("pools", segment, "members") == f"/v2.0/lbaas/pools/{quoted}/members"


@pytest.mark.parametrize("segment", ["", ".", ".."])
def test_dot_segments_are_refused(segment):
    with pytest.raises(ValueError):
        api_path("pools", segment)


def test_headers_and_connection_reuse(client, http):
    http.get(MEMBERS_URL, json={})
    http.get(MEMBERS_URL, json={})
    client.get(MEMBERS_PATH)
    client.get(MEMBERS_PATH)
    assert len(http.connections) == 1, "the second request must reuse the kept-alive connection"
    headers = http.calls[0].request.headers
    assert headers["X-Auth-Token"] == TOKEN
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == "lbaas.elb/{} Python/{}.{}.{}".format(COLLECTION_VERSION, *sys.version_info[:3])
    assert user_agent() == headers["User-Agent"]


def test_connection_closed_by_the_server_is_not_reused(client, http):
    http.get(MEMBERS_URL, json={})
    http.post(MEMBERS_URL, status=201, json={"member": {}})
    client.get(MEMBERS_PATH)
    # The server closes the idle connection: the POST must go on a new one, not fail on the dead one.
    http.connections[0].peer.close()
    client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,))
    assert len(http.connections) == 2
    assert http.connections[0].sock is None


def test_failed_connection_is_not_reused(client, http, fake_time):
    http.get(MEMBERS_URL, body=reset())
    http.get(MEMBERS_URL, json={})
    client.get(MEMBERS_PATH)
    assert len(http.connections) == 2


def test_json_body_is_sent_with_content_type(client, http):
    http.post(MEMBERS_URL, status=201, json={"member": {}})
    client.request("POST", MEMBERS_PATH, body={"member": {"address": "10.0.0.1"}}, expected=(201,))
    assert http.calls[0].request.headers["Content-Type"] == "application/json"


def test_collection_version_matches_galaxy_yml():
    galaxy = Path(__file__).resolve().parents[4] / "galaxy.yml"
    if not galaxy.exists():
        pytest.skip("galaxy.yml is not there yet")
    match = re.search(r"^version:\s*['\"]?([^'\"\s]+)", galaxy.read_text(), re.MULTILINE)
    assert match and match.group(1) == COLLECTION_VERSION
