"""AK/SK SDK-HMAC-SHA256: the two vectors of ELB_API.md section 7, and verification of real requests."""

import datetime
import hashlib

import pytest
import requests

from emulator_client import sign_request
from elb_emulator import signing
from elb_emulator.config import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, PROJECT_ID

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def test_sdk_unit_test_vector():
    headers = [("X-Sdk-Date", "20060102T150405Z")]
    canonical = signing.canonical_request("GET", "/path", [("limit", "1")], headers, ["x-sdk-date"], signing.body_hash(b""))
    assert canonical == "GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n" + EMPTY_SHA256
    sig = signing.signature("SecretKey", signing.string_to_sign("20060102T150405Z", canonical))
    assert signing.authorization_header("AccessKey", ["x-sdk-date"], sig) == (
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
    )


def test_huawei_documentation_vector():
    to_sign = "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
    assert signing.signature("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", to_sign) == "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"


def test_verify_accepts_the_sdk_vector_at_its_own_time():
    authorization = "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
    now = datetime.datetime(2006, 1, 2, 15, 10, tzinfo=datetime.timezone.utc)
    signing.verify("GET", "/path", [("limit", "1")], [("X-Sdk-Date", "20060102T150405Z")], b"", "SecretKey", authorization, now)
    with pytest.raises(signing.SignatureError):
        signing.verify("GET", "/path", [("limit", "2")], [("X-Sdk-Date", "20060102T150405Z")], b"", "SecretKey", authorization, now)


def test_canonical_query_sorts_keys_and_values_and_escapes():
    assert signing.canonical_query([("b", "2"), ("a", "x y"), ("b", "1"), ("c", "a/b~")]) == "a=x%20y&b=1&b=2&c=a%2Fb~"


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _signed(base, method, path, json_body=None, when=None, secret=DEMO_SECRET_KEY, access=DEMO_ACCESS_KEY, headers=None):
    request = requests.Request(method, base + path, json=json_body, headers=headers or {})
    return sign_request(request.prepare(), access, secret, when or _now(), extra_signed=list(headers or {}))


def _send(prepared):
    with requests.Session() as session:
        return session.send(prepared, timeout=10)


def test_signed_get_is_accepted(base_url):
    response = _send(_signed(base_url, "GET", "/v2.0/lbaas/loadbalancers?name=demo-lb&limit=5"))
    assert response.status_code == 200, response.text
    assert [lb["name"] for lb in response.json()["loadbalancers"]] == ["demo-lb"]


def test_signed_post_with_body_and_project_header(base_url, api):
    body = {"member": {"address": "10.1.0.1", "protocol_port": 80, "subnet_id": "7d1f3b5a-2c4e-4a6b-8d0f-1a3c5e7b9d20"}}
    prepared = _signed(base_url, "POST", api.members_path(), body, headers={"X-Project-Id": PROJECT_ID})
    response = _send(prepared)
    assert response.status_code == 201, response.text
    assert response.json()["member"]["tenant_id"] == PROJECT_ID


def test_tampered_request_is_401_with_canonical_request(base_url):
    prepared = _signed(base_url, "GET", "/v2.0/lbaas/loadbalancers?name=demo-lb")
    prepared.url = prepared.url.replace("name=demo-lb", "name=other")
    response = _send(prepared)
    assert response.status_code == 401
    body = response.json()
    assert body["error_code"] == "APIGW.0301"
    assert "canonicalRequest" in body["error_msg"] and "GET|/v2.0/lbaas/loadbalancers/|name=other|" in body["error_msg"]
    assert body["request_id"]


def test_tampered_body_is_401(base_url, api):
    prepared = _signed(base_url, "POST", api.members_path(), {"member": {"address": "10.1.0.1", "protocol_port": 80}})
    prepared.body = prepared.body.replace(b"10.1.0.1", b"10.1.0.2")
    assert _send(prepared).status_code == 401


def test_wrong_secret_and_unknown_access_key_are_401(base_url):
    assert _send(_signed(base_url, "GET", "/v2.0/lbaas/loadbalancers", secret="nope")).status_code == 401
    response = _send(_signed(base_url, "GET", "/v2.0/lbaas/loadbalancers", access="UNKNOWNKEY"))
    assert response.status_code == 401 and response.json()["error_code"] == "APIGW.0301"


def test_stale_date_is_401(base_url):
    stale = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=16)).strftime("%Y%m%dT%H%M%SZ")
    response = _send(_signed(base_url, "GET", "/v2.0/lbaas/loadbalancers", when=stale))
    assert response.status_code == 401
    assert "expired" in response.json()["error_msg"]


def test_date_within_fifteen_minutes_is_accepted(base_url):
    recent = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=14)).strftime("%Y%m%dT%H%M%SZ")
    assert _send(_signed(base_url, "GET", "/v2.0/lbaas/loadbalancers", when=recent)).status_code == 200


def test_security_token_required_when_configured(base_url, api):
    api.config(credentials=[{"access": "TEMPKEY", "secret": "temp-secret", "project_id": PROJECT_ID, "security_token": "sts-token"}])
    without = _send(_signed(base_url, "GET", "/v2.0/lbaas/loadbalancers", access="TEMPKEY", secret="temp-secret"))
    assert without.status_code == 401
    with_token = _send(_signed(base_url, "GET", "/v2.0/lbaas/loadbalancers", access="TEMPKEY", secret="temp-secret", headers={"X-Security-Token": "sts-token"}))
    assert with_token.status_code == 200


def test_legacy_credential_form_is_refused(anon):
    response = anon.get(
        "/v2.0/lbaas/loadbalancers",
        headers={"Authorization": "SDK-HMAC-SHA256 Credential=AK/20240101/eu-de/elb/sdk_request, SignedHeaders=host, Signature=00", "X-Sdk-Date": _now()},
    )
    assert response.status_code == 401
