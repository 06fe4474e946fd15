"""The /_emulator/ control API: counts, request log, config, reset, seed."""

import requests

from emulator_client import raw_request
from elb_emulator.demo import DEMO_POOL_ID


def test_counts_by_route_template(api):
    api.get(api.members_path())
    api.get(api.members_path())
    api.create_member("10.0.0.1")
    api.get("/nowhere")
    counts = api.counts()
    assert counts["routes"] == {
        "POST /v3/auth/tokens": 1,
        "GET /v2.0/lbaas/pools/{pool_id}/members": 2,
        "POST /v2.0/lbaas/pools/{pool_id}/members": 1,
        "GET <unmatched>": 1,
    }
    assert counts["total"] == 5 and counts["writes"] == 2


def test_control_requests_are_not_counted(api):
    api.counts()
    api.log()
    api.session.get(api.base + "/_emulator/config")
    assert api.counts()["total"] == 1


def test_request_log_has_no_headers_or_bodies(api):
    api.get(api.members_path() + "?address=10.0.0.1&limit=5")
    entries = api.log()
    assert [entry["route"] for entry in entries] == ["POST /v3/auth/tokens", "GET /v2.0/lbaas/pools/{pool_id}/members"]
    entry = entries[-1]
    assert entry["method"] == "GET" and entry["status"] == 200 and entry["fault"] is None
    assert entry["raw_path"] == "/v2.0/lbaas/pools/%s/members" % DEMO_POOL_ID
    assert entry["query"] == {"address": ["10.0.0.1"], "limit": ["5"]}
    login = entries[0]
    assert "demo-password" not in str(login) and api.token not in str(entries)


def test_request_log_keeps_the_raw_path(api):
    raw_request(api.base, "GET", "/v2.0/lbaas/pools/%2e%2e/members")
    entry = api.log()[-1]
    assert entry["raw_path"] == "/v2.0/lbaas/pools/%2e%2e/members"
    assert entry["path"] == "/v2.0/lbaas/pools/../members"
    assert entry["route"] == "GET <unmatched>" and entry["status"] == 404


def test_config_masks_secrets_and_validates(api):
    config = api.session.get(api.base + "/_emulator/config").json()
    assert config["users"][0]["password"] == "******"
    assert config["credentials"][0]["secret"] == "******"
    assert "demo-password" not in str(config)
    assert config["settle_time"] == 0 and config["error_style"] == "neutron"
    for bad in ({"settle_time": -1}, {"error_style": "xml"}, {"nope": 1}, {"default_limit": 0}, {"users": [{"name": "x"}]}):
        assert api.session.put(api.base + "/_emulator/config", json=bad).status_code == 400
    assert api.session.get(api.base + "/_emulator/config").json() == config


def test_flavor_preset_and_explicit_override(api):
    config = api.config(flavor="octavia")
    assert (config["error_style"], config["batch_dialect"]) == ("octavia", "octavia")
    config = api.config(flavor="octavia", error_style="elb")
    assert (config["error_style"], config["batch_dialect"]) == ("elb", "octavia")


def test_reset_restores_everything(api):
    api.create_member("10.0.0.1")
    api.config(error_style="elb")
    api.session.post(api.base + "/_emulator/faults", json={"rules": [{"kind": "status", "route": "GET /nowhere"}]})
    requests.post(api.base + "/_emulator/reset", timeout=5)
    assert api.counts()["total"] == 0
    assert api.session.get(api.base + "/_emulator/config").json()["error_style"] == "neutron"
    assert api.session.get(api.base + "/_emulator/faults").json()["rules"] == []
    assert api.get(api.members_path()).status_code == 401
    api.login()
    assert api.get(api.members_path()).json()["members"] == []


def test_reset_keep_world(api):
    api.create_member("10.0.0.1")
    api.config(error_style="elb")
    requests.post(api.base + "/_emulator/reset", json={"keep_world": True}, timeout=5)
    assert api.counts()["total"] == 0 and api.log() == []
    assert len(api.get(api.members_path()).json()["members"]) == 1
    assert api.session.get(api.base + "/_emulator/config").json()["error_style"] == "elb"


def test_seed_validation(api):
    assert api.session.post(api.base + "/_emulator/seed", json={"pool_id": "nope", "count": 1}).status_code == 404
    assert api.session.post(api.base + "/_emulator/seed", json={"pool_id": DEMO_POOL_ID, "count": 0}).status_code == 400
    assert api.session.post(api.base + "/_emulator/seed", json={"pool_id": DEMO_POOL_ID, "count": 2, "start": "255.255.255.255"}).status_code == 400
    result = api.seed(3, start="10.0.0.1")
    assert result["created"] == 3
    assert api.seed(5, start="10.0.0.1")["skipped"] == 3


def test_seed_bypasses_quota(api):
    api.config(members_per_pool=2)
    api.seed(5)
    assert len(api.get(api.members_path()).json()["members"]) == 5
    assert api.create_member("10.200.0.1").status_code == 403


def test_unknown_control_endpoint(api):
    response = api.session.get(api.base + "/_emulator/nothing")
    assert response.status_code == 404 and "endpoints" in response.json()
