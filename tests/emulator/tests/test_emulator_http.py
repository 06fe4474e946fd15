"""HTTP behaviour: raw-path routing, version documents, request ids, keep-alive, body limits, robustness."""

import http.client
import json
from urllib.parse import urlsplit

import pytest

from emulator_client import raw_request
from elb_emulator.demo import DEMO_LB_ID, DEMO_POOL_ID

MEMBERS = "/v2.0/lbaas/pools/%s/members" % DEMO_POOL_ID


@pytest.mark.parametrize(
    "target",
    [
        "/v2.0/lbaas/pools/%2e%2e/members",
        "/v2.0/lbaas/pools/%2E%2E/members",
        "/v2.0/lbaas/pools/../members",
        "/v2.0/lbaas/pools/./members",
        "/v2.0/lbaas/pools/x%2Fy/members",
        "/v2.0/lbaas/pools/x%5Cy/members",
        "/v2.0/lbaas/pools/x%00y/members",
        "/v2.0/lbaas/pools//members",
        "/v2.0/lbaas/pools/%zz/members",
        "/v2.0/%6Cbaas/pools/" + DEMO_POOL_ID + "/members",
        "/v2.0/lbaas/loadbalancers/%2e%2e%2Fpools",
        MEMBERS + "/%2e%2e%2F..%2F",
        "/v2.0//lbaas/loadbalancers",
    ],
)
def test_crafted_segments_match_no_route(api, target):
    status, headers, body = raw_request(api.base, "GET", target, headers={"X-Auth-Token": api.token})
    assert status == 404
    assert json.loads(body)["error_code"] == "APIGW.0101"
    assert headers["X-Request-Id"].startswith("req-")
    assert api.counts()["routes"].get("GET <unmatched>") == 1


def test_percent_encoded_ordinary_characters_still_route(api):
    encoded_pool = DEMO_POOL_ID.replace("-", "%2D")
    status, _headers, body = raw_request(api.base, "GET", "/v2.0/lbaas/pools/%s/members" % encoded_pool, headers={"X-Auth-Token": api.token})
    assert status == 200 and json.loads(body) == {"members": []}


def test_trailing_slash_is_tolerated(api):
    assert api.get("/v2.0/lbaas/loadbalancers/").status_code == 200


def test_unknown_method_on_known_path_is_a_missing_api(api):
    response = api.request("PATCH", MEMBERS)
    assert response.status_code == 404 and response.json()["error_code"] == "APIGW.0101"


def test_root_and_v2_version_documents(anon):
    versions = anon.get("/").json()["versions"]
    assert {v["id"] for v in versions} == {"v2.0", "v2"}
    assert all(v["links"][0]["href"].startswith(anon.base) for v in versions)
    for path in ("/v2.0", "/v2", "/v2.0/"):
        response = anon.get(path)
        assert response.status_code == 200
        assert {r["collection"] for r in response.json()["resources"]} == {"loadbalancers", "pools", "members"}


def test_every_response_has_a_request_id_and_octavia_adds_its_header(api):
    response = api.get(MEMBERS)
    assert response.headers["X-Request-Id"].startswith("req-")
    assert "x-openstack-request-id" not in response.headers
    api.config(flavor="octavia")
    response = api.get(MEMBERS)
    assert response.headers["x-openstack-request-id"] == response.headers["X-Request-Id"]


def test_keep_alive_and_connection_close(api):
    parts = urlsplit(api.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        for _attempt in range(3):
            connection.request("GET", MEMBERS, headers={"X-Auth-Token": api.token})
            response = connection.getresponse()
            assert response.status == 200 and response.getheader("Connection") is None
            response.read()
        sock = connection.sock
        connection.request("GET", MEMBERS, headers={"X-Auth-Token": api.token, "Connection": "close"})
        response = connection.getresponse()
        assert response.getheader("Connection") == "close"
        response.read()
        assert sock is not None
    finally:
        connection.close()


def test_body_over_one_mib_is_413(api):
    response = api.post(MEMBERS, data=b"x" * (1024 * 1024 + 1), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error_code"] == "APIGW.0202"
    assert api.get(MEMBERS).status_code == 200


def test_chunked_request_body(api):
    def chunks():
        yield b'{"member": {"address": "10.0.0.1", '
        yield b'"protocol_port": 80, "subnet_id": "7d1f3b5a-2c4e-4a6b-8d0f-1a3c5e7b9d20"}}'

    response = api.post(MEMBERS, data=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", MEMBERS),
        ("PUT", MEMBERS),
        ("PUT", MEMBERS + "/00000000-0000-4000-8000-000000000000"),
        ("POST", "/v2.0/lbaas/pools"),
        ("POST", "/v2.0/lbaas/loadbalancers"),
        ("POST", "/v3/auth/tokens"),
    ],
)
@pytest.mark.parametrize("body", [b"", b"null", b"[]", b"\xff\xfe", b'{"member": []}', b'{"member": {"address": ["x"]}}', b"1e999"])
def test_garbage_bodies_never_cause_500(api, method, path, body):
    response = api.request(method, path, data=body)
    assert 400 <= response.status_code < 500, response.text


def test_unexpected_exception_is_500_in_the_error_style_and_the_server_survives(api, emulator, monkeypatch):
    route = emulator.app.router.find("GET", "/v2.0/lbaas/loadbalancers/{loadbalancer_id}")

    def explode(_app, _req):
        raise RuntimeError("boom")

    monkeypatch.setattr(route, "handler", explode)
    response = api.get("/v2.0/lbaas/loadbalancers/" + DEMO_LB_ID)
    assert response.status_code == 500
    assert response.json()["NeutronError"]["type"] == "HTTPInternalServerError"
    api.config(error_style="octavia")
    assert api.get("/v2.0/lbaas/loadbalancers/" + DEMO_LB_ID).json()["faultcode"] == "Server"
    monkeypatch.undo()
    assert api.get("/v2.0/lbaas/loadbalancers/" + DEMO_LB_ID).status_code == 200
