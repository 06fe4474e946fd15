"""Fault injection: every kind, count/probability/after, wildcards, seeding, and what the log records."""

import json
import time

import pytest
import requests

from elb_emulator.config import SUBNET_A1
from elb_emulator.demo import DEMO_LB_ID

MEMBERS_GET = "GET /v2.0/lbaas/pools/{pool_id}/members"
MEMBERS_POST = "POST /v2.0/lbaas/pools/{pool_id}/members"


def _faults(api, *rules, **extra):
    document = {"rules": list(rules)}
    document.update(extra)
    response = api.session.post(api.base + "/_emulator/faults", json=document)
    assert response.status_code == 200, response.text
    return response.json()


def _injected(api):
    return api.session.get(api.base + "/_emulator/faults").json()["injected"]


def test_status_fault_with_count(api):
    _faults(api, {"route": MEMBERS_GET, "kind": "status", "status": 503, "count": 1})
    first = api.get(api.members_path())
    assert first.status_code == 503
    assert first.json()["error_code"] == "APIGW.0205" and first.json()["request_id"] == first.headers["X-Request-Id"]
    assert api.get(api.members_path()).status_code == 200
    assert _injected(api) == {"status:503": 1}
    assert [entry["fault"] for entry in api.log()[-2:]] == ["status", None]


def test_throttle_fault(api):
    _faults(api, {"route": MEMBERS_GET, "kind": "throttle", "retry_after": 2, "count": 1})
    response = api.get(api.members_path())
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert response.json()["error_code"] == "APIGW.0308"


def test_reset_fault_gives_a_connection_error(api):
    _faults(api, {"route": MEMBERS_POST, "kind": "reset", "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.create_member("10.0.0.1")
    assert api.get(api.members_path()).json()["members"] == []
    entry = [e for e in api.log() if e["route"] == MEMBERS_POST][-1]
    assert entry["fault"] == "reset" and entry["status"] is None


def test_lost_response_commits_the_write(api):
    _faults(api, {"route": MEMBERS_POST, "kind": "lost_response", "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.create_member("10.0.0.1")
    members = api.get(api.members_path()).json()["members"]
    assert [m["address"] for m in members] == ["10.0.0.1"]
    entry = [e for e in api.log() if e["route"] == MEMBERS_POST][-1]
    assert entry["fault"] == "lost_response" and entry["status"] == 201
    assert api.create_member("10.0.0.1").status_code == 409


def test_delay_fault_outlasts_the_client_timeout_then_commits(api):
    _faults(api, {"route": MEMBERS_POST, "kind": "delay", "delay": 0.5, "count": 1})
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.post(api.members_path(), timeout=0.2, json={"member": {"address": "10.0.0.1", "protocol_port": 80, "subnet_id": SUBNET_A1}})
    time.sleep(0.5)
    assert [m["address"] for m in api.get(api.members_path()).json()["members"]] == ["10.0.0.1"]


@pytest.mark.parametrize(
    "style, check",
    [
        ("neutron", lambda body: body["NeutronError"]["type"] == "StateInvalid" and DEMO_LB_ID in body["NeutronError"]["message"]),
        ("octavia", lambda body: body["faultstring"] == "Load Balancer %s is immutable and cannot be updated." % DEMO_LB_ID),
    ],
)
def test_busy_fault(api, style, check):
    api.config(error_style=style)
    _faults(api, {"route": MEMBERS_POST, "kind": "busy", "count": 1})
    response = api.create_member("10.0.0.1")
    assert response.status_code == 409 and check(response.json())
    assert api.create_member("10.0.0.1").status_code == 201


def test_raw_faults(api):
    _faults(
        api,
        {"route": MEMBERS_GET, "kind": "raw", "count": 1},
        {"route": MEMBERS_GET, "kind": "raw", "status": 200, "content_type": "application/json", "body": "", "count": 1},
        {"route": MEMBERS_GET, "kind": "raw", "status": 200, "content_type": "text/plain", "body": "garbage{", "count": 1},
    )
    html = api.get(api.members_path())
    assert html.status_code == 502 and html.headers["Content-Type"] == "text/html" and "<html>" in html.text
    empty = api.get(api.members_path())
    assert empty.status_code == 200 and empty.content == b""
    garbage = api.get(api.members_path())
    assert garbage.status_code == 200 and garbage.text == "garbage{"
    assert _injected(api) == {"raw:502": 1, "raw:200": 2}


def test_huge_fault_streams_exactly_size_bytes_of_json(api):
    size = 3 * 1024 * 1024 + 17
    _faults(api, {"route": MEMBERS_GET, "kind": "huge", "size": size, "count": 1})
    response = api.get(api.members_path())
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == size == len(response.content)
    assert len(json.loads(response.content)["members"]) > 1000


def test_after_skips_the_first_matches(api):
    _faults(api, {"route": MEMBERS_GET, "kind": "status", "status": 500, "after": 2, "count": 1})
    statuses = [api.get(api.members_path()).status_code for _attempt in range(4)]
    assert statuses == [200, 200, 500, 200]


def test_method_wildcard(api):
    _faults(api, {"route": "POST *", "kind": "status", "status": 502})
    assert api.get(api.members_path()).status_code == 200
    assert api.create_member("10.0.0.1").status_code == 502
    assert api.session.post(api.base + "/v3/auth/tokens", json={}).status_code == 502


def test_seeded_probability_is_reproducible(api):
    def pattern():
        _faults(api, {"route": MEMBERS_GET, "kind": "status", "status": 500, "probability": 0.5}, seed=42, replace=True)
        return [api.get(api.members_path()).status_code for _attempt in range(16)]

    first = pattern()
    assert 500 in first and 200 in first
    assert pattern() == first


def test_replace_and_delete(api):
    _faults(api, {"kind": "status", "route": "GET /a"})
    _faults(api, {"kind": "status", "route": "GET /b"})
    assert len(api.session.get(api.base + "/_emulator/faults").json()["rules"]) == 2
    snapshot = _faults(api, {"kind": "reset", "route": "GET /c", "count": 2}, replace=True)
    assert [(r["route"], r["remaining"]) for r in snapshot["rules"]] == [("GET /c", 2)]
    api.session.delete(api.base + "/_emulator/faults")
    assert api.session.get(api.base + "/_emulator/faults").json()["rules"] == []


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "explode"},
        {"kind": "status", "probability": 2},
        {"kind": "status", "probability": 0.5, "count": 1},
        {"kind": "status", "status": 200},
        {"kind": "status", "colour": "red"},
    ],
)
def test_bad_rules_are_400(api, rule):
    assert api.session.post(api.base + "/_emulator/faults", json={"rules": [rule]}).status_code == 400


def test_control_endpoints_are_never_faulted(api):
    _faults(api, {"route": "*", "kind": "reset"})
    assert api.session.get(api.base + "/_emulator/counts").status_code == 200
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get(api.members_path())
    assert api.session.post(api.base + "/_emulator/reset").status_code == 200
