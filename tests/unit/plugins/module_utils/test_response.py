# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ElbResponse: the API's error envelopes, the kind of an error, what of a body reaches a message."""

from __future__ import annotations

import json

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.errors import API_MESSAGE_LENGTH, ElbResponseError
from ansible_collections.lbaas.elb.plugins.module_utils.response import ElbResponse, classify_error, display_path, parse_error_body

POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
LB_ID = "2c1d0e9f-8a7b-4c6d-9e5f-0a1b2c3d4e5f"
MEMBER_ID = "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
MEMBERS_URL = f"https://elb.example.test/v2.0/lbaas/pools/{POOL}/members"

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
    assert parse_error_body(body) == expected


def answer(status, body, headers=None, url=MEMBERS_URL, method="GET", secrets=()):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode("utf-8")
    return ElbResponse(method, url, status, headers or {}, body, secrets=secrets)


def test_non_json_error_body_gives_a_sanitized_excerpt():
    html = b"<html><head><title>502 Bad Gateway</title></head>\n<body>\x00<h1>Bad   Gateway</h1>" + b"x" * 500
    assert parse_error_body(None) == (None, None, None)
    error = answer(502, html).to_error()
    assert error.code is None and error.request_id is None
    assert error.api_message.startswith("502 Bad Gateway Bad Gateway")
    assert "<" not in error.api_message and "\x00" not in error.api_message
    assert len(error.api_message) <= 203


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


def test_display_path_keeps_path_and_query_only():
    assert display_path("https://elb.example.test:8443/v2.0/lbaas/pools?name=web#x") == "/v2.0/lbaas/pools?name=web"
    assert display_path(MEMBERS_URL) == f"/v2.0/lbaas/pools/{POOL}/members"


def test_hidden_body_gives_status_code_and_request_id_only():
    body = {"error": {"code": 401, "title": "Unauthorized", "message": "The user alice with password hunter2 is unknown"}}
    error = answer(401, body, headers={"X-Request-Id": "req-9"}, method="POST", url="https://iam.example.test/v3/auth/tokens").to_error(hide_body=True)
    assert (error.status, error.code, error.request_id, error.kind) == (401, "Unauthorized", "req-9", "unauthorized")
    assert "alice" not in error.message and "hunter2" not in error.message
    assert error.api_message == "(not shown: the answer of an authentication request)"


def test_api_message_over_a_kilobyte_is_cut_after_scrubbing():
    secret = "S3cret-straddling-the-cut"
    # The secret starts just before the cut: scrubbed first, it cannot leave a piece of itself behind.
    message = "x" * (API_MESSAGE_LENGTH - 10) + secret + "y" * 5000
    error = answer(400, {"faultcode": "Client", "faultstring": message}, secrets=[secret]).to_error()
    assert len(error.api_message) == API_MESSAGE_LENGTH + len("...")
    assert error.api_message.endswith("...")
    assert secret[:8] not in error.api_message
    assert error.api_message[API_MESSAGE_LENGTH - 10 :].startswith("********")
    assert len(error.message) < 2 * API_MESSAGE_LENGTH


def test_deeply_nested_json_is_a_clear_error_not_a_recursion_error():
    hostile = b"[" * 100_000 + b"]" * 100_000
    response = answer(200, hostile)
    with pytest.raises(ElbResponseError) as info:
        response.json()
    assert "not usable JSON" in info.value.message
    assert "GET /v2.0/lbaas/pools/" in info.value.message
    # The same body as an error answer: a message, never an exception from the parser.
    error = answer(500, hostile).to_error()
    assert error.status == 500 and error.kind == "server"
    assert len(error.api_message) <= 203
