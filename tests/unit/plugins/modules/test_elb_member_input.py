# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""elb_member through main(): input refused before any HTTP call, and what a refusal never shows;
the warning for credentials sent without TLS."""

from __future__ import annotations

import json

import pytest

from ansible_collections.lbaas.elb.tests.unit.plugins.module_args import patch_module_args

from ansible_collections.lbaas.elb.plugins.modules import elb_member

ENDPOINT = "https://elb.example.test"
TOKEN = "fixed-token-s3cr3t"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
SUBNET = "0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90"
LIST_PATH = "/v2.0/lbaas/pools/" + POOL + "/members?address=192.168.44.11&protocol_port=80"
BASE_ARGS = {"endpoint": ENDPOINT, "auth": {"token": TOKEN}, "pool": POOL, "address": "192.168.44.11", "protocol_port": 80}


def run_module(capsys, **args):
    module_args = dict(BASE_ARGS)
    module_args.update(args)
    with patch_module_args(module_args):
        with pytest.raises(SystemExit) as exit_info:
            elb_member.main()
    output = capsys.readouterr().out
    result = json.loads(output)
    result["rc"] = exit_info.value.code
    result["output"] = output
    return result


BAD_INPUTS = [
    ("pool", "../loadbalancers/x"),
    ("pool", "a?b=c"),
    ("pool", "%2e%2e"),
    ("pool", "a/b"),
    ("pool", "web pool"),
    ("pool", "p\u00f6ol"),
    ("pool", ".."),
    ("pool", "x" * 256),
    ("address", "not-an-ip"),
    ("address", "192.168.1.256"),
    ("address", "fe80::1%eth0"),
    ("address", "10.0.0.0/24"),
    ("address", "1" * 65),
    ("protocol_port", 0),
    ("protocol_port", 65536),
    ("weight", -1),
    ("weight", 257),
    ("name", "n" * 256),
    ("subnet_id", "subnet-1"),
    ("subnet_id", "../" + SUBNET),
    # Whole values only: a trailing newline would otherwise be sent as %0A.
    ("pool", POOL + "\n"),
    ("subnet_id", SUBNET + "\n"),
    ("region_name", "eu-de\n"),
    ("timeout", 0),
    ("endpoint", "ftp://elb.example.test"),
    ("endpoint", "elb.example.test"),
    ("api_timeout", 0),
]


@pytest.mark.usefixtures("fake_time")
@pytest.mark.parametrize("option, value", BAD_INPUTS)
def test_bad_input_is_rejected_before_any_http_call(calls, capsys, option, value):
    args = {"subnet_id": SUBNET}
    args[option] = value
    result = run_module(capsys, **args)
    assert result["failed"] is True
    assert option in result["msg"]
    assert repr(value)[:60] in result["msg"]
    assert calls() == []


@pytest.mark.parametrize("variable, value", [("OS_INTERFACE", "private"), ("OS_AUTH_TYPE", "kerberos"), ("OS_REGION_NAME", "eu/de")])
@pytest.mark.usefixtures("fake_time")
def test_bad_environment_is_rejected_before_any_http_call(calls, capsys, monkeypatch, variable, value):
    monkeypatch.setenv("OS_AUTH_TOKEN", "env-token")
    monkeypatch.setenv(variable, value)
    result = run_module(capsys, auth=None)
    assert result["failed"] is True
    assert variable in result["msg"] and value in result["msg"]
    assert calls() == []


def test_missing_credentials_is_rejected_before_any_http_call(http, calls, fake_time, capsys):
    result = run_module(capsys, auth=None)
    assert result["failed"] is True
    assert "No credentials" in result["msg"] and "OS_AUTH_TOKEN" in result["msg"]
    assert calls() == []


# The argument spec checks these (validation.py no longer repeats it); still nothing is sent.
@pytest.mark.parametrize(
    "option, value",
    [("admin_state_up", "maybe"), ("state", "gone"), ("wait", "sometimes"), ("timeout", "soon"), ("weight", "heavy"), ("protocol_port", "http")],
)
@pytest.mark.usefixtures("fake_time")
def test_values_the_argument_spec_refuses_send_nothing(calls, capsys, option, value):
    result = run_module(capsys, subnet_id=SUBNET, **{option: value})
    assert result["rc"] == 1 and result["failed"] is True
    assert option in result["msg"]
    assert calls() == []


@pytest.mark.parametrize(
    "auth, option",
    [
        ({"token": "abc\r\nX-Injected: 1"}, "auth.token"),
        ({"token": "t\u00f6ken-\u20ac"}, "auth.token"),
        ({"access_key": "AK\n1", "secret_key": "SK-s3cr3t"}, "auth.access_key"),
        ({"access_key": "AK1", "secret_key": "SK-s3cr3t", "security_token": "sts\r\n"}, "auth.security_token"),
        ({"access_key": "AK1", "secret_key": "SK-s3cr3t", "project_id": "p\x00-1"}, "auth.project_id"),
        ({"auth_url": "https://iam.example.test", "username": "al\nice", "password": "pw", "user_domain_name": "acme", "project_id": "p"}, "auth.username"),
        (
            {"auth_url": "https://iam.example.test", "username": "alice", "password": "pw", "user_domain_name": "ac\u2028me", "project_id": "p"},
            "auth.user_domain_name",
        ),
    ],
    ids=["token-crlf", "token-not-latin-1", "access-key-lf", "security-token-crlf", "project-id-nul", "username-lf", "domain-line-separator"],
)
@pytest.mark.usefixtures("fake_time")
def test_header_unsafe_credentials_are_refused_before_any_request(calls, capsys, auth, option):
    result = run_module(capsys, auth=auth, subnet_id=SUBNET)
    assert result["rc"] == 1
    assert result["option"] == option
    assert f"'{option}'" in result["msg"]
    bad = next(value for value in auth.values() if not all(" " <= char <= "~" for char in value))
    assert bad not in result["msg"] and repr(bad) not in result["msg"] and repr(bad)[1:-1] not in result["msg"]
    assert "Invalid header value" not in result["output"]
    assert calls() == []


@pytest.mark.usefixtures("fake_time")
def test_header_unsafe_token_from_the_environment_is_refused(calls, capsys, monkeypatch):
    monkeypatch.setenv("OS_AUTH_TOKEN", "abc\r\nX-Injected: 1")
    result = run_module(capsys, auth=None, subnet_id=SUBNET)
    assert result["rc"] == 1
    assert "OS_AUTH_TOKEN" in result["msg"]
    assert "X-Injected" not in result["output"]
    assert calls() == []


@pytest.mark.parametrize("endpoint", ["http://:pw-SENTINEL@elb.example.test", "https://user:pw-SENTINEL@elb.example.test/v2.0"])
@pytest.mark.usefixtures("fake_time")
def test_endpoint_with_userinfo_is_refused_and_redacted(calls, capsys, endpoint):
    result = run_module(capsys, endpoint=endpoint, subnet_id=SUBNET)
    assert result["rc"] == 1
    assert result["option"] == "endpoint"
    assert "********@elb.example.test" in result["msg"]
    assert "SENTINEL" not in result["msg"]
    assert calls() == []


@pytest.mark.parametrize(
    "endpoint, warned",
    [("http://elb.example.test", True), ("https://elb.example.test", False), ("http://127.0.0.1:9876", False)],
)
def test_token_over_http_to_another_host_is_warned_about(http, calls, fake_time, capsys, endpoint, warned):
    http.get(endpoint + LIST_PATH, json={"members": [], "members_links": []})
    result = run_module(capsys, endpoint=endpoint, state="absent")
    assert result["rc"] == 0
    warnings = json.dumps(result.get("warnings", []))
    assert ("Credentials are sent without TLS to http://elb.example.test" in warnings) is warned
    assert TOKEN not in warnings
