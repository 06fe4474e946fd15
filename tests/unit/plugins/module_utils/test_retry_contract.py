# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The retry contract for failures without an answer (http_failures.py and ElbClient).

A failure before the request left (connect refused, connect timeout, TLS) is not ambiguous: even a POST is
sent again. One after it left (read timeout, reset, a body that breaks off) is ambiguous: only an
idempotent request is sent again. TLS errors and errors no retry can mend are not retried at all.
"""

from __future__ import annotations

import pytest
import requests
from urllib3.exceptions import MaxRetryError

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbError, ElbTransportError
from ansible_collections.lbaas.elb.plugins.module_utils.http_failures import read_failure, transport_error
from ansible_collections.lbaas.elb.tests.unit.plugins.requests_failures import (
    body_breaking_after,
    chunked_encoding_error,
    connect_refused,
    connect_timeout,
    line_too_long,
    read_timeout,
    remote_disconnected,
    reset,
    tls_failure,
    too_many_headers,
)

ENDPOINT = "https://elb.example.test"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
MEMBERS_PATH = f"/v2.0/lbaas/pools/{POOL}/members"
MEMBER_URL = MEMBERS_URL + "/7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
MEMBER_PATH = MEMBERS_PATH + "/7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
CREATED = {"member": {"id": "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"}}

BEFORE_SENDING = [connect_refused, connect_timeout]
AFTER_SENDING = [read_timeout, reset, remote_disconnected, chunked_encoding_error]
PERMANENT = [line_too_long, too_many_headers]


def names(builders):
    return [builder.__name__ for builder in builders]


@pytest.fixture
def client(fake_time):
    return ElbClient(ENDPOINT, TokenAuth("tok"), timeout=60)


# -- the mapping -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure, ambiguous, retryable",
    [
        (connect_refused, False, True),
        (connect_timeout, False, True),
        (tls_failure, False, False),
        (read_timeout, True, True),
        (reset, True, True),
        (remote_disconnected, True, True),
        (chunked_encoding_error, True, True),
        (line_too_long, True, False),
        (too_many_headers, True, False),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_each_requests_failure_maps_onto_the_contract(failure, ambiguous, retryable):
    error = transport_error(failure(), "POST", MEMBERS_PATH)
    assert isinstance(error, ElbTransportError)
    assert (error.ambiguous, error.retryable) == (ambiguous, retryable)
    assert error.message.startswith(f"POST {MEMBERS_PATH} failed: ")


def test_a_text_in_urllib3s_reason_is_not_followed_as_a_cause():
    # urllib3 sometimes keeps a text, not an exception, in ``reason`` (seen in a race with faults): the
    # failure is still sorted, as an ambiguous one after the request left.
    failure = requests.exceptions.ConnectionError(MaxRetryError(None, "/", reason="Connection aborted."))
    error = transport_error(failure, "POST", MEMBERS_PATH)
    assert isinstance(error, ElbTransportError)
    assert (error.ambiguous, error.retryable) == (True, True)


def test_a_body_that_breaks_off_is_ambiguous():
    error = read_failure(ConnectionResetError(104, "Connection reset by peer"), "PUT", MEMBER_PATH)
    assert (error.ambiguous, error.retryable) == (True, True)
    assert "while reading the answer" in error.message


@pytest.mark.parametrize(
    "failure",
    [
        requests.exceptions.InvalidURL("Failed to parse: http://[x"),
        requests.exceptions.InvalidHeader("Invalid leading whitespace, reserved character(s), or return character(s) in header value: 'abc\\r\\nX: 1'"),
        ValueError("Invalid header value b'abc\\r\\nX: 1'"),
        UnicodeEncodeError("latin-1", "t\u00f6k\u20ac", 4, 5, "ordinal not in range(256)"),
    ],
    ids=["invalid-url", "invalid-header", "http.client-header-value", "not-latin-1"],
)
def test_client_side_errors_are_permanent_and_never_show_a_header_value(failure):
    error = transport_error(failure, "GET", MEMBERS_PATH)
    assert not isinstance(error, ElbTransportError)  # not a network error: never retried
    assert isinstance(error, ElbError)
    assert error.message.startswith(f"GET {MEMBERS_PATH} was not sent: ")
    assert "abc" not in error.message and "t\u00f6k" not in error.message


# -- through the client: what is sent again --------------------------------------------------------------------------


@pytest.mark.parametrize("failure", BEFORE_SENDING + AFTER_SENDING, ids=names(BEFORE_SENDING + AFTER_SENDING))
def test_get_is_retried_after_any_network_failure(client, http, calls, fake_time, failure):
    http.get(MEMBERS_URL, body=failure())
    http.get(MEMBERS_URL, json={"members": []})
    assert client.get(MEMBERS_PATH) == {"members": []}
    assert calls() == [("GET", MEMBERS_URL, None), ("GET", MEMBERS_URL, None)]
    assert len(fake_time.sleeps) == 1


def test_connection_errors_on_get_are_retried_one_after_another(client, http, calls, fake_time):
    http.get(MEMBERS_URL, body=reset())
    http.get(MEMBERS_URL, body=read_timeout())
    http.get(MEMBERS_URL, json={"members": []})
    assert client.get(MEMBERS_PATH) == {"members": []}
    assert len(calls()) == 3 and len(fake_time.sleeps) == 2


@pytest.mark.parametrize("failure", BEFORE_SENDING, ids=names(BEFORE_SENDING))
def test_post_is_sent_again_after_a_connect_failure(client, http, calls, fake_time, failure):
    http.post(MEMBERS_URL, body=failure())
    http.post(MEMBERS_URL, status=201, json=CREATED)
    assert client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,)).status == 201
    assert calls() == [("POST", MEMBERS_URL, {"member": {}}), ("POST", MEMBERS_URL, {"member": {}})]


@pytest.mark.parametrize("failure", AFTER_SENDING, ids=names(AFTER_SENDING))
def test_post_is_never_sent_again_after_it_may_have_arrived(client, http, calls, fake_time, failure):
    http.post(MEMBERS_URL, body=failure())
    with pytest.raises(ElbTransportError) as info:
        client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,))
    assert info.value.ambiguous is True
    assert len(calls()) == 1 and fake_time.sleeps == []


def test_post_whose_answer_breaks_off_is_not_sent_again(client, http, calls, fake_time):
    http.post(MEMBERS_URL, status=201, body=body_breaking_after(b'{"member": {"id"'), content_type="application/json")
    with pytest.raises(ElbTransportError) as info:
        client.request("POST", MEMBERS_PATH, body={"member": {}}, expected=(201,))
    assert info.value.ambiguous is True
    assert "while reading the answer" in info.value.message
    assert len(calls()) == 1 and fake_time.sleeps == []


def test_get_whose_answer_breaks_off_is_read_again(client, http, calls, fake_time):
    http.get(MEMBERS_URL, body=body_breaking_after(b'{"members": ['), content_type="application/json")
    http.get(MEMBERS_URL, json={"members": []})
    assert client.get(MEMBERS_PATH) == {"members": []}
    assert len(calls()) == 2


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_tls_failure_is_not_retried_for_any_method(client, http, calls, fake_time, method):
    http.add(method, MEMBERS_URL, body=tls_failure())
    with pytest.raises(ElbTransportError) as info:
        client.request(method, MEMBERS_PATH, body={"member": {}} if method == "POST" else None, expected=(200, 201))
    assert (info.value.ambiguous, info.value.retryable) == (False, False)
    assert len(calls()) == 1 and fake_time.sleeps == []


@pytest.mark.parametrize("failure", PERMANENT, ids=names(PERMANENT))
def test_unreadable_header_block_is_not_retried_even_for_get(client, http, calls, fake_time, failure):
    http.get(MEMBERS_URL, body=failure())
    with pytest.raises(ElbTransportError) as info:
        client.get(MEMBERS_PATH)
    assert info.value.retryable is False
    assert len(calls()) == 1 and fake_time.sleeps == []


def test_invalid_url_is_not_sent_nor_retried(client, http, calls, fake_time):
    with pytest.raises(ElbError) as info:
        client.request("GET", "https:///v2.0/lbaas/pools")
    assert not isinstance(info.value, ElbTransportError)
    assert "the URL is not valid" in info.value.message
    assert calls() == [] and fake_time.sleeps == []


def test_invalid_header_is_not_sent_nor_retried_and_not_shown(client, http, calls, fake_time):
    with pytest.raises(ElbError) as info:
        client.request("GET", MEMBERS_PATH, headers={"X-Trace": "abc\r\nX-Injected: 1"})
    assert not isinstance(info.value, ElbTransportError)
    assert "X-Injected" not in info.value.message and "abc" not in info.value.message
    assert calls() == [] and fake_time.sleeps == []


def test_retried_delete_answered_404_is_done(client, http, calls, fake_time):
    http.delete(MEMBER_URL, body=reset())
    http.delete(MEMBER_URL, status=404, json={"faultcode": "Client", "faultstring": "Member not found."})
    assert client.request("DELETE", MEMBER_PATH, expected=(204,)).status == 404
    assert len(calls()) == 2
