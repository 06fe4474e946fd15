"""IAM tokens: success, failures, scopes, catalog, the token requirement on ELB routes, expiry."""

import datetime

import pytest

from emulator_client import password_body
from elb_emulator.config import DOMAIN_ID, PROJECT_ID

KEYSTONE_401 = {"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}


def _parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def test_password_token_scoped_by_project_id(anon):
    response = anon.login()
    token = response.json()["token"]
    assert response.headers["X-Subject-Token"].startswith("MII")
    assert token["methods"] == ["password"]
    assert token["project"] == {"id": PROJECT_ID, "name": "eu-de", "domain": {"id": DOMAIN_ID, "name": "demo-domain"}}
    assert token["user"]["name"] == "demo" and token["user"]["domain"]["id"] == DOMAIN_ID
    assert "password_expires_at" in token["user"]
    lifetime = _parse_time(token["expires_at"]) - _parse_time(token["issued_at"])
    assert lifetime == datetime.timedelta(seconds=86400)
    assert token["expires_at"].endswith("Z") and len(token["expires_at"].split(".")[1]) == 7


def test_catalog_has_elb_load_balancer_and_network(anon):
    catalog = anon.login().json()["token"]["catalog"]
    by_type = {entry["type"]: entry for entry in catalog}
    assert by_type["elb"]["endpoints"][0]["url"] == "%s/v1.0/%s" % (anon.base, PROJECT_ID)
    assert by_type["load-balancer"]["endpoints"][0]["url"] == anon.base
    assert by_type["network"]["endpoints"][0]["url"] == anon.base
    for service_type in ("elb", "load-balancer", "network"):
        endpoints = by_type[service_type]["endpoints"]
        assert {(e["region"], e["interface"]) for e in endpoints} == {("eu-de", "public"), ("eu-de", "internal")}


@pytest.mark.parametrize(
    "scope",
    [
        {"project": {"name": "eu-de", "domain": {"name": "demo-domain"}}},
        {"project": {"name": "eu-de", "domain": {"id": DOMAIN_ID}}},
        {"project": {"name": "eu-de"}},
    ],
)
def test_scope_by_project_name(anon, scope):
    response = anon.session.post(anon.base + "/v3/auth/tokens", json=password_body(scope=scope))
    assert response.status_code == 201
    assert response.json()["token"]["project"]["id"] == PROJECT_ID


def test_user_domain_by_id(anon):
    response = anon.session.post(anon.base + "/v3/auth/tokens", json=password_body(domain={"id": DOMAIN_ID}))
    assert response.status_code == 201


def test_nocatalog(anon):
    response = anon.session.post(anon.base + "/v3/auth/tokens?nocatalog=true", json=password_body())
    assert response.status_code == 201
    assert "catalog" not in response.json()["token"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"password": "wrong"},
        {"user": "nobody"},
        {"domain": {"name": "other-domain"}},
        {"scope": {"project": {"id": "ffffffffffffffffffffffffffffffff"}}},
        {"scope": {"project": {"name": "eu-nl"}}},
    ],
)
def test_bad_credentials_are_401_in_keystone_shape(anon, kwargs):
    response = anon.session.post(anon.base + "/v3/auth/tokens", json=password_body(**kwargs))
    assert response.status_code == 401
    assert response.json() == KEYSTONE_401
    assert "X-Subject-Token" not in response.headers


def test_malformed_auth_body_is_400(anon):
    response = anon.session.post(anon.base + "/v3/auth/tokens", data=b"not json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 400


def test_echo_request_on_error_leaks_the_body_on_purpose(anon):
    anon.config(iam_echo_request_on_error=True)
    response = anon.session.post(anon.base + "/v3/auth/tokens", json=password_body(password="s3cret-typo"))
    assert response.status_code == 401
    assert "s3cret-typo" in response.json()["error"]["message"]


def test_configured_users_can_log_in(anon):
    anon.config(users=[{"name": "ops", "password": "pw", "domain": "corp", "project_name": "eu-nl", "project_id": "p2"}])
    response = anon.session.post(
        anon.base + "/v3/auth/tokens", json=password_body(user="ops", password="pw", domain={"name": "corp"}, scope={"project": {"name": "eu-nl"}})
    )
    assert response.status_code == 201
    assert response.json()["token"]["project"]["id"] == "p2"


def test_identity_version_document(anon):
    response = anon.session.get(anon.base + "/v3")
    assert response.status_code == 200
    assert response.json()["version"]["id"] == "v3.0"


@pytest.mark.parametrize(
    "headers, fragment",
    [
        ({}, "x-auth-token not found"),
        ({"X-Auth-Token": "MIIbogus"}, "invalid"),
    ],
)
def test_elb_routes_require_a_valid_token(anon, headers, fragment):
    response = anon.get("/v2.0/lbaas/loadbalancers", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["error_code"] == "APIGW.0301"
    assert fragment in body["error_msg"]
    assert body["request_id"] == response.headers["X-Request-Id"]


def test_expire_endpoint_expires_every_token(api):
    assert api.get("/v2.0/lbaas/loadbalancers").status_code == 200
    expired = api.session.post(api.base + "/_emulator/tokens/expire").json()
    assert expired["expired"] >= 1
    response = api.get("/v2.0/lbaas/loadbalancers")
    assert response.status_code == 401
    assert "expired" in response.json()["error_msg"]
    api.login()
    assert api.get("/v2.0/lbaas/loadbalancers").status_code == 200


def test_token_ttl_is_configurable(api):
    api.config(token_ttl=1)
    token = api.login().json()["token"]
    assert (_parse_time(token["expires_at"]) - _parse_time(token["issued_at"])).total_seconds() == 1


def test_project_isolation(api):
    api.config(
        users=[
            {"name": "demo", "password": "demo-password", "domain": "demo-domain", "project_name": "eu-de", "project_id": PROJECT_ID},
            {"name": "other", "password": "pw", "domain": "demo-domain", "project_name": "eu-nl", "project_id": "p-other"},
        ]
    )
    other = type(api)(api.base)
    other.login(user="other", password="pw", scope={"project": {"id": "p-other"}})
    assert other.get("/v2.0/lbaas/loadbalancers").json() == {"loadbalancers": []}
    assert other.get(api.members_path()).status_code == 404
