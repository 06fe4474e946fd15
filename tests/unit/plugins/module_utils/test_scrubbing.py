# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A server that echoes a credential, however it escapes it, never gets it into an error message.

Every echo below is an error answer to an authenticated request; the token is then looked for in the whole
error, by fragments as well, because an excerpt cut through the middle of a secret would show its start.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbApiError, scrub_text

ENDPOINT = "https://elb.example.test"
# Printable Latin-1 (it goes into a header), with characters every encoder escapes its own way.
TOKEN = 'Tk&<x>/\u00e9"-SENTINEL-42'
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
MEMBER_ID = "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
MEMBER_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members/{MEMBER_ID}"
MEMBER_PATH = f"/v2.0/lbaas/pools/{POOL}/members/{MEMBER_ID}"

GO_STYLE = 'Tk\\u0026\\u003cx\\u003e/\u00e9\\"-SENTINEL-42'  # Go: & < > as \u0026 \u003c \u003e, UTF-8 kept
PHP_STYLE = 'Tk&<x>\\/\\u00E9\\"-SENTINEL-42'  # PHP: \/ and uppercase \u00E9
HTML_STYLE = "Tk&amp;&lt;x&gt;/&eacute;&quot;-SENTINEL-42"
EVERY_CHARACTER_ESCAPED = "".join(f"\\u{ord(char):04x}" for char in TOKEN)


def fragments(secret, size=6):
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def assert_no_piece_of_the_token(error):
    shown = json.dumps({"message": error.message, "api_message": error.api_message, "code": error.code}, ensure_ascii=False)
    leaked = sorted(piece for piece in fragments(TOKEN) | fragments(GO_STYLE) | fragments(PHP_STYLE) | fragments(HTML_STYLE) if piece in shown)
    # Fragments of the escaped forms that are not made of the token's own characters (such as "u003c") would
    # match innocent text, but none of them can appear unless the echo does.
    assert leaked == [], f"pieces of the token in {shown}"
    assert "SENTINEL" not in shown


@pytest.fixture
def client(fake_time):
    return ElbClient(ENDPOINT, TokenAuth(TOKEN), timeout=30)


def put_failing(client, http, body, content_type, status=400):
    http.put(MEMBER_URL, status=status, body=body, content_type=content_type)
    with pytest.raises(ElbApiError) as info:
        client.request("PUT", MEMBER_PATH, body={"member": {"weight": 1}})
    return info.value


@pytest.mark.parametrize(
    "echo",
    [GO_STYLE, PHP_STYLE, EVERY_CHARACTER_ESCAPED],
    ids=["go", "php", "every-character-escaped"],
)
def test_json_escaped_echo_inside_a_text_body_is_scrubbed(client, http, echo):
    error = put_failing(client, http, f'upstream rejected {{"auth": {{"token": "{echo}"}}}} (request req-1)', "text/plain")
    assert_no_piece_of_the_token(error)
    assert "upstream rejected" in error.message and "********" in error.message


@pytest.mark.parametrize("echo", [GO_STYLE, PHP_STYLE], ids=["go", "php"])
def test_escaped_echo_inside_the_api_message_is_scrubbed(client, http, echo):
    # The API's own message quotes the request it refused, JSON-encoded by another encoder.
    message = f'Invalid request body {{"token": "{echo}"}}'
    body = json.dumps({"error_msg": message, "error_code": "APIGW.0201", "request_id": "r-2"})
    error = put_failing(client, http, body, "application/json")
    assert_no_piece_of_the_token(error)
    assert (error.code, error.request_id) == ("APIGW.0201", "r-2")


def test_html_entity_echo_is_scrubbed(client, http):
    page = f"<html><body><h1>400 Bad Request</h1><p>Header X-Auth-Token: {HTML_STYLE} is malformed</p></body></html>"
    error = put_failing(client, http, page, "text/html")
    assert_no_piece_of_the_token(error)
    assert "400 Bad Request" in error.message


def test_token_straddling_the_excerpt_cut_is_scrubbed_whole(client, http):
    # The excerpt is 200 characters: the token starts a few characters before the cut.
    page = "<html><body><p>" + "x" * 185 + " " + TOKEN + " " + "y" * 300 + "</p></body></html>"
    error = put_failing(client, http, page, "text/html")
    assert_no_piece_of_the_token(error)
    assert "********" in error.message


def test_json_body_without_a_known_envelope_is_decoded_then_scrubbed(client, http):
    # No envelope gives a message, so an excerpt of the body is shown: of the decoded, scrubbed JSON.
    body = '{"weird": {"echo": "' + EVERY_CHARACTER_ESCAPED + '", "hint": "try again"}}'
    error = put_failing(client, http, body, "application/json")
    assert_no_piece_of_the_token(error)
    assert "try again" in error.message


def test_401_html_body_with_the_token_as_html_entities(client, http, calls):
    page = f"<html><body><h1>401 Unauthorized</h1><p>token &#x27;{HTML_STYLE}&#x27; expired</p></body></html>"
    http.get(ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members", status=401, body=page, content_type="text/html")
    with pytest.raises(ElbApiError) as info:
        client.get(f"/v2.0/lbaas/pools/{POOL}/members")
    assert_no_piece_of_the_token(info.value)
    assert "401 Unauthorized" in info.value.message
    assert len(calls()) == 1


@pytest.mark.parametrize(
    "encode",
    [
        quote,  # "/" left as it is, as Python's default does
        lambda s: quote(s, safe="/&+"),
        lambda s: quote(s, encoding="latin-1"),  # a Latin-1 header value, byte by byte
    ],
)
def test_any_percent_encoding_of_a_secret_is_scrubbed(encode):
    secret = 'Tok-a&b<c>d/\u00e9"f+g'
    assert scrub_text("Location: https://sso/?t=" + encode(secret), [secret]) == "Location: https://sso/?t=********"
