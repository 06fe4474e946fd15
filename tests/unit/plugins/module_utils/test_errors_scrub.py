# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""errors.py scrubbing: every echoed form of a secret, scrubbing before any cut, hostile JSON."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.errors import (
    API_MESSAGE_LENGTH,
    EXCERPT_LENGTH,
    SCRUBBED,
    ElbError,
    cut_api_message,
    decode_json,
    excerpt,
    scrub_data,
    scrub_text,
)

SECRET = 'Pw "q\\uot€" ß/+&x'


@pytest.mark.parametrize(
    "echoed",
    [
        SECRET,
        quote(SECRET, safe=""),
        quote(SECRET, safe="").lower(),
        quote_plus(SECRET),
        json.dumps(SECRET)[1:-1],
        json.dumps(SECRET, ensure_ascii=False)[1:-1],
        json.dumps(SECRET)[1:-1].replace("\\u20ac", "\\u20AC"),
        json.dumps(SECRET)[1:-1].replace("/", "\\/"),
    ],
    ids=["raw", "percent", "percent-lowercase-hex", "form", "json-ascii", "json-utf8", "json-uppercase-hex", "php-slash"],
)
def test_every_echoed_form_of_a_secret_is_scrubbed(echoed):
    text = '401 {"auth": {"password": "%s"}} request id req-1' % echoed
    scrubbed = scrub_text(text, [SECRET])
    assert echoed not in scrubbed
    assert SCRUBBED in scrubbed
    assert scrubbed.endswith("request id req-1")


@pytest.mark.parametrize(
    "secret, echoed",
    [
        ("a&b<c>d", "a\\u0026b\\u003cc\\u003ed"),  # Go's encoding/json
        ("caf\u00e9/x", "caf\\u00E9\\/x"),  # PHP's json_encode, uppercase hex
        ("a&b<c>\u00e9", "a&amp;b&lt;c&gt;&eacute;"),  # an HTML page
        ("a&b<c>", "a&#38;b&#x3C;c&#62;"),  # numeric entities
        ("\U0001f511key", "\\ud83d\\udd11key"),  # a surrogate pair
    ],
    ids=["go", "php", "html-named", "html-numeric", "surrogate-pair"],
)
def test_echoes_in_other_encoders_escapes_are_scrubbed(secret, echoed):
    scrubbed = scrub_text(f"said: {echoed}; request req-7", [secret])
    assert echoed not in scrubbed and secret not in scrubbed
    assert SCRUBBED in scrubbed and "request req-7" in scrubbed


def test_scrub_text_without_secrets_or_text():
    assert scrub_text("a s3cret and s3cret%2F and s3cret/", ["s3cret/"]) == "a s3cret and ******** and ********"
    assert scrub_text("nothing", []) == "nothing"
    assert scrub_text(None, ["x"]) is None
    # Escapes are left alone when no secret hides behind them.
    assert scrub_text("a \\u0026 b &amp; c", ["zz-secret"]) == "a \\u0026 b &amp; c"


def test_a_secret_containing_another_is_removed_whole():
    assert scrub_text("x long-secret y", ["secret", "long-secret"]) == "x ******** y"


# -- scrub, then cut -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", range(EXCERPT_LENGTH - 12, EXCERPT_LENGTH + 1))
def test_excerpt_scrubs_a_secret_straddling_the_cut(start):
    secret = "Straddle-Pa55-Secret"
    text = "x" * start + secret + "y" * 300
    cut = excerpt(text, secrets=[secret])
    assert len(cut) <= EXCERPT_LENGTH + 3
    assert not any(secret[:size] in cut for size in range(1, len(secret) + 1))


def test_excerpt_scrubs_before_dropping_tags():
    # Dropping the tags first would leave "x z" of the secret "x<y>z".
    assert excerpt("<p>pw: x<y>z</p>", secrets=["x<y>z"]) == "pw: ********"


def test_excerpt_of_a_json_body_is_decoded_and_scrubbed_keys_too():
    body = json.dumps({"echo": {"s3cr3t-key": "s3cr3t-key"}, "other": ["fine"]}, ensure_ascii=True).replace("s3cr3t", "\\u0073\\u0033cr3t")
    cut = excerpt(body, secrets=["s3cr3t-key"])
    assert "s3cr3t" not in cut and "u0073" not in cut
    assert cut == '{"echo": {"********": "********"}, "other": ["fine"]}'


def test_excerpt_without_secrets_is_only_cleaned_and_cut():
    assert excerpt("<b>a</b>\x00\n\n b" + "c" * 300)[:6] == "a bccc"
    assert len(excerpt("c" * 300)) == EXCERPT_LENGTH + 3


def test_scrub_data_copies_and_scrubs_every_string():
    data = {"k-SECRET": ["v SECRET", {"n": 1, "b": None, "t": "SECRET"}], "s": "ok"}
    assert scrub_data(data, ["SECRET"]) == {"k-********": ["v ********", {"n": 1, "b": None, "t": "********"}], "s": "ok"}
    assert data["s"] == "ok" and "k-SECRET" in data  # the original is left alone


def test_scrub_data_walks_deep_data_without_recursion():
    deep = "SECRET"
    for _level in range(100_000):
        deep = [deep]
    scrubbed = scrub_data(deep, ["SECRET"])
    for _level in range(100_000):
        scrubbed = scrubbed[0]
    assert scrubbed == "********"


# -- hostile JSON, long messages -------------------------------------------------------------------------------------


def test_decode_json_reports_deep_nesting_as_value_error():
    with pytest.raises(ValueError) as info:
        decode_json("[" * 100_000 + "]" * 100_000)
    assert not isinstance(info.value, RecursionError)
    assert "nested too deeply" in str(info.value)
    assert decode_json('{"a": [1]}') == {"a": [1]}


def test_excerpt_of_deeply_nested_json_does_not_raise():
    assert excerpt("[" * 100_000 + "]" * 100_000, secrets=["x"]) == "[" * EXCERPT_LENGTH + "..."


def test_cut_api_message():
    assert cut_api_message("m" * API_MESSAGE_LENGTH) == "m" * API_MESSAGE_LENGTH
    assert cut_api_message("m" * (API_MESSAGE_LENGTH + 1)) == "m" * API_MESSAGE_LENGTH + "..."
    assert cut_api_message(None) is None


def test_error_scrub_covers_every_text_field():
    error = ElbError("said SECRET")
    error.extra = "also SECRET"
    error.scrub(["SECRET"])
    assert (error.message, error.extra, str(error), error.args) == ("said ********", "also ********", "said ********", ("said ********",))
