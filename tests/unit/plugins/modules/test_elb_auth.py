# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""elb_auth through main(): the exact HTTP calls per auth type, what it returns, and what it never shows."""

from __future__ import annotations

import json

import pytest

from ansible_collections.lbaas.elb.tests.unit.plugins.module_args import patch_module_args

from ansible_collections.lbaas.elb.plugins.module_utils import clouds as clouds_module
from ansible_collections.lbaas.elb.plugins.modules import elb_auth, elb_member

IAM = "https://iam.example.test"
TOKEN_URL = IAM + "/v3/auth/tokens"
PASSWORD = "Pa55-SENTINEL-auth"
ISSUED = "issued-token-0123456789"
PROJECT_ID = "0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
CATALOG = [
    {"type": "identity", "endpoints": [{"url": IAM + "/v3", "region": "eu-de", "interface": "public"}]},
    {"type": "elb", "endpoints": [{"url": f"https://elb.catalog.test/v1.0/{PROJECT_ID}", "region": "eu-de", "interface": "public"}]},
]
PASSWORD_AUTH = {"auth_url": IAM, "username": "alice", "password": PASSWORD, "user_domain_name": "acme", "project_name": "eu-de"}
AKSK_AUTH = {"access_key": "AK1", "secret_key": "SK-SENTINEL-1", "project_id": PROJECT_ID}


@pytest.fixture(autouse=True)
def no_system_clouds_yaml(monkeypatch, tmp_path):
    # The conftest clears OS_CLOUD and friends; a clouds.yaml in /etc/openstack must not take part either.
    monkeypatch.setattr(clouds_module, "SYSTEM_CONFIG_DIR", str(tmp_path / "no-etc"))


def run(capsys, module=elb_auth, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as info:
            module.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = info.value.code
    return result


def token_answer(**body):
    token = {"expires_at": "2026-01-03T10:15:30.000000Z", "project": {"id": PROJECT_ID, "name": "eu-de"}, "catalog": CATALOG}
    token.update(body)
    return dict(status=201, headers={"X-Subject-Token": ISSUED}, json={"token": token})


def test_password_one_token_request_returns_token_expiry_project_and_catalog_endpoint(http, calls, fake_time, capsys):
    http.post(TOKEN_URL, **token_answer())
    result = run(capsys, auth=PASSWORD_AUTH, region_name="eu-de")
    assert result["rc"] == 0
    assert [(method, url) for method, url, _body in calls()] == [("POST", TOKEN_URL)]
    assert result["changed"] is False
    # The issued token is not an input, so Ansible does not mask it: it can be passed on.
    assert result["token"] == ISSUED
    assert result["endpoint"] == "https://elb.catalog.test"
    assert result["expires_at"] == "2026-01-03T10:15:30.000000Z"
    assert result["project_id"] == PROJECT_ID
    assert result["auth_type"] == "password"
    assert PASSWORD not in json.dumps(result)


def test_password_with_an_endpoint_still_one_request(http, calls, fake_time, capsys):
    http.post(TOKEN_URL, **token_answer(catalog=[]))
    result = run(capsys, auth=PASSWORD_AUTH, endpoint="https://elb.given.test/v2.0/")
    assert len(calls()) == 1
    assert result["endpoint"] == "https://elb.given.test"
    assert result["token"] == ISSUED


def test_check_mode_authenticates_too(http, calls, fake_time, capsys):
    http.post(TOKEN_URL, **token_answer())
    result = run(capsys, auth=PASSWORD_AUTH, _ansible_check_mode=True)
    assert result["rc"] == 0 and result["token"] == ISSUED
    assert len(calls()) == 1


def test_password_from_the_environment(http, calls, fake_time, capsys, monkeypatch):
    for name, value in {
        "OS_AUTH_URL": IAM,
        "OS_USERNAME": "alice",
        "OS_PASSWORD": PASSWORD,
        "OS_USER_DOMAIN_NAME": "acme",
        "OS_PROJECT_ID": PROJECT_ID,
        "ELB_ENDPOINT": "",
    }.items():
        monkeypatch.setenv(name, value)
    http.post(TOKEN_URL, **token_answer())
    result = run(capsys)
    assert (result["rc"], result["token"], result["endpoint"]) == (0, ISSUED, "https://elb.catalog.test")
    assert calls()[0][2]["auth"]["scope"] == {"project": {"id": PROJECT_ID}}


def test_awx_openstack_credential_clouds_yaml(http, calls, fake_time, capsys, monkeypatch, tmp_path):
    path = tmp_path / "awx_cred"
    path.write_text(
        "clouds:\n  devstack:\n    auth:\n"
        f"      auth_url: {IAM}\n      username: alice\n      password: {PASSWORD}\n      domain_name: acme\n      project_name: eu-de\n"
        "    region_name: eu-de\n    verify: true\n"
    )
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    http.post(TOKEN_URL, **token_answer())
    result = run(capsys)
    assert (result["rc"], result["token"], result["endpoint"]) == (0, ISSUED, "https://elb.catalog.test")
    assert calls()[0][2]["auth"]["identity"]["password"]["user"] == {"name": "alice", "password": PASSWORD, "domain": {"name": "acme"}}


def test_wrong_password_fails_clearly_without_the_password(http, fake_time, capsys):
    http.post(TOKEN_URL, status=401, json={"error": {"code": 401, "title": "Unauthorized", "message": f"bad credentials {PASSWORD}"}})
    result = run(capsys, auth=PASSWORD_AUTH)
    assert result["rc"] == 1 and result["failed"] is True
    assert result["status"] == 401
    assert "POST /v3/auth/tokens failed: HTTP 401" in result["msg"]
    assert "IAM did not issue a token" in result["msg"]
    assert PASSWORD not in json.dumps(result)
    assert "token" not in result


def test_token_auth_makes_no_request_and_returns_the_template_endpoint(http, calls, fake_time, capsys):
    result = run(capsys, auth={"token": "given-token-SENTINEL"}, region_name="eu-nl")
    assert calls() == []
    assert result["endpoint"] == "https://elb.eu-nl.otc.t-systems.com"
    assert result["auth_type"] == "token"
    assert "token" not in result
    assert result["expires_at"] is None


@pytest.mark.parametrize(
    "args, endpoint",
    [
        ({"region_name": "eu-de"}, "https://elb.eu-de.otc.t-systems.com"),
        ({"region_name": "eu-de", "endpoint": "http://127.0.0.1:9999"}, "http://127.0.0.1:9999"),
    ],
)
def test_aksk_makes_no_request_and_returns_no_token(http, calls, fake_time, capsys, args, endpoint):
    result = run(capsys, auth=AKSK_AUTH, **args)
    assert calls() == []
    assert result["rc"] == 0
    assert (result["auth_type"], result["endpoint"], result["project_id"]) == ("aksk", endpoint, PROJECT_ID)
    assert "token" not in result
    assert "SK-SENTINEL-1" not in json.dumps(result)


def test_aksk_without_endpoint_or_region_names_the_template(http, calls, fake_time, capsys):
    result = run(capsys, auth=AKSK_AUTH)
    assert result["rc"] == 1
    assert "https://elb.{region_name}.otc.t-systems.com" in result["msg"]
    assert "region_name (or OS_REGION_NAME)" in result["msg"]
    assert calls() == []


def test_the_module_defaults_pattern_costs_one_request_per_member_task(http, calls, fake_time, capsys):
    """elb_auth once, then elb_member with auth.token + endpoint: no IAM request, one GET per no-op."""
    http.post(TOKEN_URL, **token_answer())
    session = run(capsys, auth=PASSWORD_AUTH)
    list_url = f"https://elb.catalog.test/v2.0/lbaas/pools/{POOL}/members?address=10.0.0.1&protocol_port=80"
    member = {"id": "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f", "address": "10.0.0.1", "protocol_port": 80, "weight": 1, "admin_state_up": True}
    for _run in range(3):
        http.get(list_url, json={"members": [member]})
        result = run(
            capsys,
            module=elb_member,
            auth={"token": session["token"]},
            endpoint=session["endpoint"],
            pool=POOL,
            address="10.0.0.1",
            protocol_port=80,
        )
        assert result["rc"] == 0 and result["changed"] is False
    assert [method for method, _url, _body in calls()] == ["POST", "GET", "GET", "GET"]
    assert all(call.request.headers["X-Auth-Token"] == ISSUED for call in http.calls[1:])


@pytest.mark.parametrize("no_log, warned", [(False, True), (True, False)])
def test_a_task_without_no_log_is_warned_that_the_token_shows(http, calls, fake_time, capsys, no_log, warned):
    http.post(TOKEN_URL, **token_answer())
    result = run(capsys, auth=PASSWORD_AUTH, _ansible_no_log=no_log)
    assert result["rc"] == 0
    warnings = json.dumps(result.get("warnings", []))
    assert ("returns a live token: set no_log: true on this task" in warnings) is warned
    assert len(calls()) == 1


def test_the_no_log_warning_comes_before_a_failure_too(http, fake_time, capsys):
    http.post(TOKEN_URL, status=401, json={"error": {"code": 401, "title": "Unauthorized", "message": "no"}})
    result = run(capsys, auth=PASSWORD_AUTH, _ansible_no_log=False)
    assert result["rc"] == 1
    assert "set no_log: true on this task" in json.dumps(result["warnings"])
