# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Settings precedence, password/token/AK-SK authentication, endpoint discovery, secret scrubbing."""

from __future__ import annotations

import hashlib
import itertools
import sys
import textwrap
from datetime import datetime, timezone

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils import clouds as clouds_module
from ansible_collections.lbaas.elb.plugins.module_utils.auth import (
    CLOUD_ENV_VARS,
    AkSkAuth,
    PasswordAuth,
    TokenAuth,
    authorization_header,
    build_auth,
    canonical_query,
    canonical_request,
    canonical_uri,
    check_settings,
    endpoint_from_catalog,
    identity_token_url,
    layers_secrets,
    merge_layers,
    resolve_settings,
    sdk_signature,
    settings_layers,
    string_to_sign,
)
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbApiError, ElbError, ElbValidationError

ENDPOINT = "https://elb.example.test"
IAM = "https://iam.example.test"
TOKEN_URL = IAM + "/v3/auth/tokens"
PASSWORD = "Pa55-w0rd-XYZ"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
MEMBERS_PATH = f"/v2.0/lbaas/pools/{POOL}/members"


def module_params(auth=None, **top):
    params = {
        "cloud": None,
        "endpoint": None,
        "auth_type": None,
        "region_name": None,
        "interface": None,
        "validate_certs": None,
        "ca_cert": None,
        "api_timeout": None,
        "auth": auth,
    }
    params.update(top)
    return params


# -- settings --------------------------------------------------------------------------------------------------------


def test_module_options_beat_environment_per_key():
    settings = resolve_settings(
        module_params({"auth_url": IAM, "username": "alice", "password": PASSWORD}, region_name="eu-de"),
        {"OS_USERNAME": "bob", "OS_USER_DOMAIN_NAME": "acme", "OS_PROJECT_NAME": "eu-de_p", "OS_REGION_NAME": "eu-nl", "ELB_ENDPOINT": "https://env-elb.test"},
    )
    assert settings["username"] == "alice"
    assert settings["user_domain_name"] == "acme"
    assert settings["project_name"] == "eu-de_p"
    assert settings["region_name"] == "eu-de"
    assert settings["endpoint"] == "https://env-elb.test"
    assert settings["sources"]["username"] == "module options"
    assert settings["sources"]["user_domain_name"] == "environment"


def test_explicit_password_beats_token_in_environment():
    settings = resolve_settings(module_params({"username": "alice", "password": PASSWORD}), {"OS_AUTH_TOKEN": "env-token"})
    assert settings["auth_type"] == "password"


def test_auth_type_inferred_from_environment_when_module_has_no_credential():
    assert resolve_settings(module_params(None), {"OS_AUTH_TOKEN": "t"})["auth_type"] == "token"
    assert resolve_settings(module_params(None), {"OS_ACCESS_KEY": "ak", "OS_SECRET_KEY": "sk"})["auth_type"] == "aksk"
    assert resolve_settings(module_params(None), {"OS_USERNAME": "u", "OS_PASSWORD": "p"})["auth_type"] == "password"
    assert resolve_settings(module_params(None), {})["auth_type"] is None


def test_explicit_auth_type_and_preference_within_one_layer():
    assert resolve_settings(module_params({"token": "t", "username": "u"}), {})["auth_type"] == "token"
    assert resolve_settings(module_params({"username": "u", "access_key": "a"}), {})["auth_type"] == "password"
    assert resolve_settings(module_params({"token": "t"}, auth_type="aksk"), {})["auth_type"] == "aksk"
    # An OS_AUTH_TYPE in the environment does not override credentials given as module options.
    assert resolve_settings(module_params({"token": "t"}), {"OS_AUTH_TYPE": "password"})["auth_type"] == "token"
    assert resolve_settings(module_params(None), {"OS_AUTH_TYPE": "aksk", "OS_AUTH_TOKEN": "t"})["auth_type"] == "aksk"


def test_environment_aliases_and_defaults():
    settings = resolve_settings(module_params(None), {"OS_DOMAIN_NAME": "acme", "OS_AUTH_TOKEN": "t"})
    assert settings["user_domain_name"] == "acme"
    assert settings["interface"] == "public"
    settings = resolve_settings(module_params(None), {"OS_USER_DOMAIN_NAME": "u", "OS_DOMAIN_NAME": "d", "OS_INTERFACE": "internal"})
    assert settings["user_domain_name"] == "u"
    assert settings["interface"] == "internal"


def test_layers_are_a_list_so_more_can_be_added_below():
    settings = merge_layers(
        [("module options", {}), ("environment", {"region_name": "eu-de"}), ("clouds.yaml", {"region_name": "eu-nl", "username": "u", "password": "p"})]
    )
    assert settings["region_name"] == "eu-de"
    assert settings["auth_type"] == "password"
    assert settings["sources"]["username"] == "clouds.yaml"


@pytest.mark.parametrize(
    "params, environ, needle",
    [
        (module_params({"username": "u", "password": "p"}), {}, "auth.auth_url (or OS_AUTH_URL)"),
        (module_params({"username": "u", "password": "p", "auth_url": IAM}), {}, "auth.user_domain_name"),
        (
            module_params({"username": "u", "password": "p", "auth_url": IAM, "user_domain_name": "d"}),
            {},
            "auth.project_id (or OS_PROJECT_ID) or auth.project_name",
        ),
        (module_params({"access_key": "a"}, endpoint=ENDPOINT), {}, "auth.secret_key (or OS_SECRET_KEY)"),
        (module_params({"token": "t"}), {}, "region_name (or OS_REGION_NAME)"),
        (module_params({"token": "t"}, region_name="eu/de"), {}, "region_name"),
        (module_params(None), {"OS_AUTH_TOKEN": "t", "ELB_ENDPOINT": "elb.test"}, "ELB_ENDPOINT"),
    ],
)
def test_check_settings_names_what_is_missing_or_wrong(params, environ, needle):
    with pytest.raises(ElbValidationError) as info:
        check_settings(resolve_settings(params, environ))
    assert needle in info.value.message


def test_token_auth_endpoint_from_region_template(fake_time):
    settings = check_settings(resolve_settings(module_params({"token": "t"}, region_name="eu-de"), {}))
    client = ElbClient(settings["endpoint"], build_auth(settings))
    assert client.endpoint == "https://elb.eu-de.otc.t-systems.com"


# -- password auth ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "auth_url, expected",
    [
        ("https://iam.example.test", TOKEN_URL),
        ("https://iam.example.test/", TOKEN_URL),
        ("https://iam.example.test/v3", TOKEN_URL),
        ("https://iam.example.test/identity/v3/", "https://iam.example.test/identity/v3/auth/tokens"),
    ],
)
def test_identity_token_url(auth_url, expected):
    assert identity_token_url(auth_url) == expected


def password_auth(**changes):
    values = dict(auth_url=IAM, username="alice", password=PASSWORD, user_domain_name="acme", project_id="p-1")
    values.update(changes)
    return PasswordAuth(**values)


def token_answer(token="issued-1", catalog=None):
    return dict(status=201, headers={"X-Subject-Token": token}, json={"token": {"catalog": catalog or [], "project": {"id": "p-1", "name": "eu-de"}}})


def test_password_token_request_shape_and_lazy_use(http, calls, fake_time):
    auth = password_auth()
    client = ElbClient(ENDPOINT, auth)
    assert calls() == []
    http.post(TOKEN_URL, **token_answer())
    http.get(MEMBERS_URL, json={"members": []})
    http.get(MEMBERS_URL, json={"members": []})
    client.get(MEMBERS_PATH)
    client.get(MEMBERS_PATH)
    assert calls() == [
        (
            "POST",
            TOKEN_URL,
            {
                "auth": {
                    "identity": {"methods": ["password"], "password": {"user": {"name": "alice", "password": PASSWORD, "domain": {"name": "acme"}}}},
                    "scope": {"project": {"id": "p-1"}},
                }
            },
        ),
        ("GET", MEMBERS_URL, None),
        ("GET", MEMBERS_URL, None),
    ]
    assert http.calls[0].request.headers["Content-Type"] == "application/json;charset=utf8"
    assert "X-Auth-Token" not in http.calls[0].request.headers
    assert http.calls[1].request.headers["X-Auth-Token"] == "issued-1"
    assert http.calls[2].request.headers["X-Auth-Token"] == "issued-1"


def test_password_scope_by_project_name():
    assert password_auth(project_id=None, project_name="eu-de").request_body()["auth"]["scope"] == {"project": {"name": "eu-de"}}


def test_401_reauthenticates_once_and_retries(http, calls, fake_time):
    client = ElbClient(ENDPOINT, password_auth())
    http.post(TOKEN_URL, **token_answer("old"))
    http.get(MEMBERS_URL, status=401, json={"error": {"code": 401, "message": "expired", "title": "Unauthorized"}})
    http.post(TOKEN_URL, **token_answer("new"))
    http.get(MEMBERS_URL, json={"members": []})
    assert client.get(MEMBERS_PATH) == {"members": []}
    assert [(method, url) for method, url, body in calls()] == [("POST", TOKEN_URL), ("GET", MEMBERS_URL), ("POST", TOKEN_URL), ("GET", MEMBERS_URL)]
    assert http.calls[3].request.headers["X-Auth-Token"] == "new"


def test_second_401_is_an_error(http, calls, fake_time):
    client = ElbClient(ENDPOINT, password_auth())
    http.post(TOKEN_URL, **token_answer("old"))
    http.get(MEMBERS_URL, status=401, json={"error": {"code": 401, "message": "no", "title": "Unauthorized"}})
    http.post(TOKEN_URL, **token_answer("new"))
    http.get(MEMBERS_URL, status=401, json={"error": {"code": 401, "message": "still no", "title": "Unauthorized"}})
    with pytest.raises(ElbApiError) as info:
        client.get(MEMBERS_PATH)
    assert info.value.status == 401
    assert len(calls()) == 4


def test_iam_failure_never_shows_the_body_or_password(http, fake_time):
    client = ElbClient(ENDPOINT, password_auth())
    http.post(TOKEN_URL, status=401, json={"error": {"code": 401, "title": "Unauthorized", "message": f"The username or password is wrong: {PASSWORD}"}})
    with pytest.raises(ElbApiError) as info:
        client.get(MEMBERS_PATH)
    message = info.value.message
    assert PASSWORD not in message and "alice" not in message.split("check")[0]
    assert "POST /v3/auth/tokens failed: HTTP 401" in message
    assert "IAM did not issue a token" in message
    assert "********" in message


def test_missing_subject_token_header(http, fake_time):
    client = ElbClient(ENDPOINT, password_auth())
    http.post(TOKEN_URL, status=201, json={"token": {}})
    with pytest.raises(ElbError) as info:
        client.get(MEMBERS_PATH)
    assert "X-Subject-Token" in info.value.message


def test_endpoint_discovered_from_catalog(http, calls, fake_time):
    catalog = [
        {"type": "network", "endpoints": [{"url": "https://vpc.eu-de.example.test", "region": "eu-de", "interface": "public"}]},
        {
            "type": "elb",
            "endpoints": [
                {"url": "https://elb.eu-nl.example.test/v1.0/p-1", "region": "eu-nl", "interface": "public"},
                {"url": "https://elb-int.eu-de.example.test/v1.0/p-1", "region": "eu-de", "interface": "internal"},
                {"url": "https://elb.eu-de.example.test/v1.0/p-1", "region": "eu-de", "interface": "public"},
            ],
        },
    ]
    client = ElbClient(None, password_auth(region_name="eu-de"))
    http.post(TOKEN_URL, **token_answer(catalog=catalog))
    http.get(f"https://elb.eu-de.example.test/v2.0/lbaas/pools/{POOL}/members", json={"members": []})
    client.get(MEMBERS_PATH)
    assert [method for method, url, body in calls()] == ["POST", "GET"]


def test_catalog_preference_and_failure():
    catalog = [
        {"type": "network", "endpoints": [{"url": "https://vpc.test/", "interface": "public", "region": "r2"}]},
        {"type": "load-balancer", "endpoints": [{"url": "https://octavia.test/load-balancer/v2", "interface": "public", "region_id": "r1"}]},
    ]
    assert endpoint_from_catalog(catalog, "r1") == "https://octavia.test/load-balancer"
    assert endpoint_from_catalog(catalog, None) == "https://octavia.test/load-balancer"
    assert endpoint_from_catalog(catalog, "r2") == "https://vpc.test"
    with pytest.raises(ElbError) as info:
        endpoint_from_catalog(catalog, "r2", "admin")
    assert "no admin endpoint" in info.value.message and "set the endpoint option" in info.value.message


# -- token auth ------------------------------------------------------------------------------------------------------


def test_fixed_token_401_fails_clearly_without_retry(http, calls, fake_time):
    client = ElbClient(ENDPOINT, TokenAuth("fixed-tok"))
    http.get(MEMBERS_URL, status=401, json={"error": {"code": 401, "message": "Invalid token fixed-tok", "title": "Unauthorized"}})
    with pytest.raises(ElbApiError) as info:
        client.get(MEMBERS_PATH)
    assert "The token was rejected (expired or invalid); a fixed token cannot be renewed" in info.value.message
    assert "fixed-tok" not in info.value.message
    assert len(calls()) == 1


# -- AK/SK -----------------------------------------------------------------------------------------------------------


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


# -- clouds.yaml as the lowest layer ---------------------------------------------------------------------------------

CLOUD_PASSWORD = "Cl0ud-Pa55-from-file"
CLOUD_SK = "Cl0ud-SK-from-file"


@pytest.fixture(autouse=True)
def no_cloud_environment(monkeypatch):
    for name in CLOUD_ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cloud_dirs(tmp_path, monkeypatch):
    """A private cwd, home and system dir, so that no real clouds.yaml takes part."""
    paths = {name: tmp_path / name for name in ("cwd", "home", "etc", "other")}
    for path in paths.values():
        path.mkdir()
    monkeypatch.setattr(clouds_module, "SYSTEM_CONFIG_DIR", str(paths["etc"]))
    return paths


def write_clouds(path, text):
    path.write_text(textwrap.dedent(text))
    return str(path)


PASSWORD_CLOUD = f"""
    clouds:
      otc:
        auth:
          auth_url: {IAM}/v3
          username: cloud-user
          password: {CLOUD_PASSWORD}
          domain_name: cloud-domain
          project_name: eu-de
        region_name: eu-de
        verify: false
        elb_endpoint_override: https://cloud-elb.test
      keys:
        auth_type: aksk
        ak: CLOUDAK
        sk: {CLOUD_SK}
        project_id: p-cloud
        region_name: eu-nl
"""


def resolve_in(dirs, params, environ):
    return resolve_settings(params, environ, cwd=str(dirs["cwd"]), home=str(dirs["home"]))


def test_cloud_by_name_supplies_every_setting(cloud_dirs):
    write_clouds(cloud_dirs["cwd"] / "clouds.yaml", PASSWORD_CLOUD)
    settings = check_settings(resolve_in(cloud_dirs, module_params(cloud="otc"), {}))
    assert settings["auth_type"] == "password"
    assert (settings["username"], settings["password"], settings["user_domain_name"]) == ("cloud-user", CLOUD_PASSWORD, "cloud-domain")
    assert settings["auth_url"] == IAM + "/v3"
    assert settings["endpoint"] == "https://cloud-elb.test"
    assert settings["validate_certs"] is False
    assert settings["api_timeout"] == 30
    assert settings["sources"]["username"] == "clouds.yaml"
    assert settings["sources"]["auth_type"] == "clouds.yaml"


def test_os_cloud_names_the_cloud_and_the_option_beats_it(cloud_dirs):
    write_clouds(cloud_dirs["cwd"] / "clouds.yaml", PASSWORD_CLOUD)
    assert resolve_in(cloud_dirs, module_params(), {"OS_CLOUD": "keys"})["auth_type"] == "aksk"
    assert resolve_in(cloud_dirs, module_params(cloud="otc"), {"OS_CLOUD": "keys"})["auth_type"] == "password"


def test_environment_beats_clouds_yaml_key_by_key(cloud_dirs):
    write_clouds(cloud_dirs["cwd"] / "clouds.yaml", PASSWORD_CLOUD)
    settings = resolve_in(cloud_dirs, module_params(cloud="otc"), {"OS_PASSWORD": "env-pass", "OS_REGION_NAME": "eu-nl"})
    assert settings["password"] == "env-pass"
    assert settings["username"] == "cloud-user"  # not overridden: still from the file
    assert settings["region_name"] == "eu-nl"
    assert settings["sources"]["password"] == "environment"
    assert settings["sources"]["username"] == "clouds.yaml"


def test_module_option_beats_environment_and_clouds_yaml(cloud_dirs):
    write_clouds(cloud_dirs["cwd"] / "clouds.yaml", PASSWORD_CLOUD)
    params = module_params({"password": "opt-pass"}, cloud="otc", region_name="eu-ch", validate_certs=True)
    settings = resolve_in(cloud_dirs, params, {"OS_PASSWORD": "env-pass", "OS_REGION_NAME": "eu-nl", "ELB_ENDPOINT": "https://env-elb.test"})
    assert (settings["password"], settings["region_name"], settings["endpoint"]) == ("opt-pass", "eu-ch", "https://env-elb.test")
    assert settings["validate_certs"] is True
    assert settings["auth_type"] == "password"


# Which layer's endpoint wins, for every combination of layers that set one.
@pytest.mark.parametrize("in_module, in_env, in_cloud", list(itertools.product((False, True), repeat=3)))
def test_endpoint_precedence_for_every_layer_combination(cloud_dirs, in_module, in_env, in_cloud):
    cloud = {"auth": {"token": "t"}, "region_name": "eu-de"}
    if in_cloud:
        cloud["elb_endpoint_override"] = "https://cloud.test"
    params = module_params(cloud=cloud, endpoint="https://module.test" if in_module else None)
    environ = {"ELB_ENDPOINT": "https://env.test"} if in_env else {}
    settings = check_settings(resolve_in(cloud_dirs, params, environ))
    if in_module:
        expected = "https://module.test"
    elif in_env:
        expected = "https://env.test"
    elif in_cloud:
        expected = "https://cloud.test"
    else:
        expected = None  # the region template, applied by the client
    assert settings["endpoint"] == expected
    if expected is None:
        assert ElbClient(None, build_auth(settings)).endpoint == "https://elb.eu-de.otc.t-systems.com"


# The auth type: the highest layer that sets it or carries a credential; every combination of layers.
@pytest.mark.parametrize(
    "module_auth, environ, cloud, expected",
    [
        (None, {}, {"auth": {"username": "u", "password": "p"}}, "password"),
        (None, {"OS_AUTH_TOKEN": "t"}, {"auth": {"username": "u", "password": "p"}}, "token"),
        ({"token": "t"}, {"OS_ACCESS_KEY": "a", "OS_SECRET_KEY": "s"}, {"auth": {"username": "u", "password": "p"}}, "token"),
        ({"token": "t"}, {}, {"auth_type": "aksk", "ak": "a", "sk": "s"}, "token"),
        (None, {"OS_AUTH_TYPE": "aksk"}, {"ak": "a", "sk": "s", "auth": {"username": "u", "password": "p"}}, "aksk"),
        (None, {"OS_REGION_NAME": "eu-de"}, {"auth_type": "v3token", "auth": {"token": "t"}}, "token"),
        ({"project_id": "p"}, {"OS_USERNAME": "u"}, {"ak": "a", "sk": "s"}, "password"),
        (None, {}, {}, None),
    ],
)
def test_auth_type_across_layers(cloud_dirs, module_auth, environ, cloud, expected):
    assert resolve_in(cloud_dirs, module_params(module_auth, cloud=cloud), environ)["auth_type"] == expected


def test_empty_values_count_as_unset_in_every_layer(cloud_dirs):
    cloud = {"auth": {"token": "t"}, "elb_endpoint_override": "https://cloud.test", "region_name": "eu-de"}
    # The AWX injector exports ELB_ENDPOINT="" when its optional field is empty; a module option may be "" too.
    settings = resolve_in(cloud_dirs, module_params({"token": ""}, cloud=cloud, endpoint="", region_name=""), {"ELB_ENDPOINT": "", "OS_REGION_NAME": ""})
    assert settings["endpoint"] == "https://cloud.test"
    assert settings["region_name"] == "eu-de"
    assert settings["token"] == "t"
    settings = check_settings(resolve_in(cloud_dirs, module_params({"token": "t"}, region_name="eu-de"), {"ELB_ENDPOINT": ""}))
    assert ElbClient(settings["endpoint"], build_auth(settings)).endpoint == "https://elb.eu-de.otc.t-systems.com"


def test_defaults_apply_only_when_no_layer_sets_the_key(cloud_dirs):
    settings = resolve_in(cloud_dirs, module_params({"token": "t"}), {})
    assert (settings["validate_certs"], settings["api_timeout"], settings["interface"]) == (True, 30, "public")
    cloud = {"auth": {"token": "t"}, "verify": False, "interface": "internalURL"}
    settings = resolve_in(cloud_dirs, module_params(cloud=cloud), {})
    assert (settings["validate_certs"], settings["interface"]) == (False, "internal")
    settings = resolve_in(cloud_dirs, module_params(cloud=cloud, validate_certs=True), {"OS_INTERFACE": "admin"})
    assert (settings["validate_certs"], settings["interface"]) == (True, "admin")


def test_awx_openstack_credential_os_client_config_file_alone(cloud_dirs):
    # What AWX's OpenStack credential writes: one cloud ("devstack"), domain as domain_name, verify, no OS_CLOUD.
    path = write_clouds(
        cloud_dirs["other"] / "tmp_awx_cred",
        f"""
        clouds:
          devstack:
            auth:
              auth_url: {IAM}
              domain_name: acme
              password: {CLOUD_PASSWORD}
              project_name: eu-de
              username: alice
            region_name: eu-de
            verify: true
        """,
    )
    settings = check_settings(resolve_in(cloud_dirs, module_params(), {"OS_CLIENT_CONFIG_FILE": path}))
    assert settings["auth_type"] == "password"
    auth = build_auth(settings)
    assert auth.request_body()["auth"]["identity"]["password"]["user"] == {"name": "alice", "password": CLOUD_PASSWORD, "domain": {"name": "acme"}}
    assert auth.request_body()["auth"]["scope"] == {"project": {"name": "eu-de"}}
    assert auth.token_url == TOKEN_URL


def test_no_cloud_chosen_reads_no_file(cloud_dirs, monkeypatch):
    (cloud_dirs["cwd"] / "clouds.yaml").write_text("clouds: [this is broken\n")
    monkeypatch.delitem(sys.modules, "yaml", raising=False)
    settings = resolve_in(cloud_dirs, module_params({"token": "t"}), {})
    assert settings["auth_type"] == "token"
    assert "yaml" not in sys.modules


def test_clouds_yaml_problems_are_validation_errors_naming_the_file_never_a_secret(cloud_dirs):
    path = write_clouds(cloud_dirs["cwd"] / "clouds.yaml", PASSWORD_CLOUD)
    with pytest.raises(ElbValidationError) as info:
        resolve_in(cloud_dirs, module_params(cloud="prod"), {})
    assert info.value.option == "cloud"
    assert "'prod'" in info.value.message and path in info.value.message and "keys, otc" in info.value.message
    assert CLOUD_PASSWORD not in info.value.message and CLOUD_SK not in info.value.message
    (cloud_dirs["cwd"] / "clouds.yaml").write_text(f"clouds:\n  otc:\n    auth: {{password: '{CLOUD_PASSWORD}\n")
    with pytest.raises(ElbValidationError) as info:
        resolve_in(cloud_dirs, module_params(cloud="otc"), {})
    assert "not valid YAML" in info.value.message and CLOUD_PASSWORD not in info.value.message
    with pytest.raises(ElbValidationError) as info:
        resolve_in(cloud_dirs, module_params(cloud=["a"]), {})
    assert info.value.option == "cloud"


def test_cloud_given_as_a_number(cloud_dirs):
    write_clouds(cloud_dirs["cwd"] / "clouds.yaml", "clouds:\n  2026: {auth: {token: t}}\n")
    assert resolve_in(cloud_dirs, module_params(cloud=2026), {})["auth_type"] == "token"


def test_values_from_clouds_yaml_are_named_as_such_in_messages(cloud_dirs):
    with pytest.raises(ElbValidationError) as info:
        check_settings(resolve_in(cloud_dirs, module_params(cloud={"auth": {"token": "t"}, "region_name": "Eu_De"}), {}))
    assert "region_name (from clouds.yaml)" in info.value.message


def test_secrets_of_every_layer_are_known_for_masking(cloud_dirs):
    write_clouds(cloud_dirs["cwd"] / "clouds.yaml", PASSWORD_CLOUD)
    environ = {"OS_SECRET_KEY": "env-sk", "OS_AUTH_TOKEN": "env-tok"}
    layers = settings_layers(module_params({"password": "opt-pass"}, cloud="otc"), environ, cwd=str(cloud_dirs["cwd"]), home=str(cloud_dirs["home"]))
    # The file's password is overridden by the option, but it is still a secret to mask.
    assert sorted(layers_secrets(layers)) == sorted(["opt-pass", "env-tok", "env-sk", CLOUD_PASSWORD])


def test_no_credentials_message_names_every_source():
    with pytest.raises(ElbValidationError) as info:
        check_settings(resolve_settings(module_params(), {}))
    for needle in ("auth.token", "OS_AUTH_TOKEN", "OS_ACCESS_KEY", "cloud option", "OS_CLOUD", "OS_CLIENT_CONFIG_FILE"):
        assert needle in info.value.message


def test_user_domain_id_instead_of_a_name():
    settings = check_settings(
        resolve_settings(module_params({"auth_url": IAM, "username": "u", "password": "p", "project_id": "p-1"}), {"OS_USER_DOMAIN_ID": "dom-1"})
    )
    body = build_auth(settings).request_body()
    assert body["auth"]["identity"]["password"]["user"]["domain"] == {"id": "dom-1"}
    with pytest.raises(ElbValidationError) as info:
        check_settings(resolve_settings(module_params({"auth_url": IAM, "username": "u", "password": "p", "project_id": "p-1"}), {}))
    assert "auth.user_domain_name (or OS_USER_DOMAIN_NAME / OS_DOMAIN_NAME) or auth.user_domain_id" in info.value.message


def test_password_auth_keeps_expiry_and_project_of_the_token(http, fake_time):
    auth = password_auth(project_id=None, project_name="eu-de")
    client = ElbClient(ENDPOINT, auth)
    http.post(
        TOKEN_URL,
        status=201,
        headers={"X-Subject-Token": "issued-9"},
        json={"token": {"expires_at": "2026-01-03T10:15:30.000000Z", "project": {"id": "p-77", "name": "eu-de"}, "catalog": []}},
    )
    assert auth.authenticate(client) == "issued-9"
    assert (auth.expires_at, auth.token_project_id) == ("2026-01-03T10:15:30.000000Z", "p-77")
