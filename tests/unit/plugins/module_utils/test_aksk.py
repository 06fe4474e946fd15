# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""AK/SK: the SDK-HMAC-SHA256 signer (aksk.py) byte for byte, and AkSkAuth signing the client's requests."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.aksk import (
    authorization_header,
    canonical_query,
    canonical_request,
    canonical_uri,
    sdk_signature,
    string_to_sign,
)
from ansible_collections.lbaas.elb.plugins.module_utils.auth import AkSkAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbApiError, ElbValidationError

ENDPOINT = "https://elb.example.test"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
MEMBERS_PATH = f"/v2.0/lbaas/pools/{POOL}/members"


def test_aksk_sdk_test_vector_byte_for_byte():
    headers = {"X-Sdk-Date": "20060102T150405Z"}
    canonical = canonical_request("GET", "/path", "limit=1", headers, b"")
    assert canonical == ("GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert authorization_header("AccessKey", "SecretKey", method="GET", path="/path", query="limit=1", headers=headers, body=b"") == (
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
    )


def test_aksk_documentation_vector_byte_for_byte():
    text = "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
    assert sdk_signature("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", text) == ("7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe")


def test_canonical_parts():
    assert canonical_uri("") == "/"
    assert canonical_uri("/v2.0/lbaas/pools/") == "/v2.0/lbaas/pools/"
    assert canonical_uri("/a%20b/c~d") == "/a%20b/c~d/"
    assert canonical_query("b=2&a=x%20y&a=1&c=") == "a=1&a=x%20y&b=2&c="
    assert canonical_query("") == ""


def test_aksk_signs_host_date_project_and_security_token(http, fake_time):
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    auth = AkSkAuth("AK1", "SK-secret", project_id="p-1", security_token="sts-tok", now=lambda: now)
    client = ElbClient("https://elb.example.test:8443", auth)
    http.post(f"https://elb.example.test:8443/v2.0/lbaas/pools/{POOL}/members?x=1", status=201, json={})
    client.request("POST", MEMBERS_PATH, params={"x": 1}, body={"member": {"address": "10.0.0.1"}}, expected=(201,))
    sent = http.calls[0].request
    assert sent.headers["X-Sdk-Date"] == "20260102T030405Z"
    assert sent.headers["X-Project-Id"] == "p-1"
    assert sent.headers["X-Security-Token"] == "sts-tok"
    assert sent.headers["Host"] == "elb.example.test:8443"
    signed = {"Host": "elb.example.test:8443", "X-Sdk-Date": "20260102T030405Z", "X-Project-Id": "p-1", "X-Security-Token": "sts-tok"}
    canonical = canonical_request("POST", MEMBERS_PATH, "x=1", signed, sent.body)
    assert canonical.splitlines()[-2] == "host;x-project-id;x-sdk-date;x-security-token"
    assert canonical.splitlines()[-1] == hashlib.sha256(sent.body).hexdigest()
    expected = sdk_signature("SK-secret", string_to_sign(canonical, "20260102T030405Z"))
    assert sent.headers["Authorization"] == ("SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature=" + expected)
    assert auth.secrets() == ["SK-secret", "sts-tok"]


def test_aksk_rejection_hint_and_no_secret(http, fake_time):
    auth = AkSkAuth("AK1", "SK-secret-2")
    client = ElbClient(ENDPOINT, auth)
    http.get(
        MEMBERS_URL,
        status=401,
        json={"error_msg": "Incorrect IAM authentication information: verify aksk signature fail SK-secret-2", "error_code": "APIGW.0301", "request_id": "r-1"},
    )
    with pytest.raises(ElbApiError) as info:
        client.get(MEMBERS_PATH)
    assert "APIGW.0301" in info.value.message and "clock" in info.value.message
    assert "SK-secret-2" not in info.value.message


def test_aksk_without_endpoint_uses_region_template(fake_time):
    assert ElbClient(None, AkSkAuth("a", "s", region_name="eu-de")).endpoint == "https://elb.eu-de.otc.t-systems.com"
    with pytest.raises(ElbValidationError):
        assert not ElbClient(None, AkSkAuth("a", "s")).endpoint
