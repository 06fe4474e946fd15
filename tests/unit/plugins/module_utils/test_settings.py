# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Settings: precedence of module options over the environment, the auth type, and the local checks
(including values that cannot go into an HTTP header, and URLs with user information)."""

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import build_auth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbValidationError
from ansible_collections.lbaas.elb.plugins.module_utils.settings import check_settings, merge_layers
from ansible_collections.lbaas.elb.tests.unit.plugins.settings_helpers import module_params, resolve_settings

ENDPOINT = "https://elb.example.test"
IAM = "https://iam.example.test"
PASSWORD = "Pa55-w0rd-XYZ"


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


def test_no_credentials_message_names_every_source():
    with pytest.raises(ElbValidationError) as info:
        check_settings(resolve_settings(module_params(), {}))
    for needle in ("auth.token", "OS_AUTH_TOKEN", "OS_ACCESS_KEY", "cloud option", "OS_CLOUD", "OS_CLIENT_CONFIG_FILE"):
        assert needle in info.value.message


def test_user_domain_id_instead_of_a_name():
    settings = check_settings(
        resolve_settings(module_params({"auth_url": IAM, "username": "u", "password": "p", "project_id": "p-1"}), {"OS_USER_DOMAIN_ID": "dom-1"})
    )
    body = build_auth(settings).token_request()["body"]
    assert body["auth"]["identity"]["password"]["user"]["domain"] == {"id": "dom-1"}
    with pytest.raises(ElbValidationError) as info:
        check_settings(resolve_settings(module_params({"auth_url": IAM, "username": "u", "password": "p", "project_id": "p-1"}), {}))
    assert "auth.user_domain_name (or OS_USER_DOMAIN_NAME / OS_DOMAIN_NAME) or auth.user_domain_id" in info.value.message


# -- values sent in HTTP headers -------------------------------------------------------------------------------------

HEADER_KEYS = ["token", "security_token", "access_key", "project_id", "username", "user_domain_name"]
BAD_CHARACTERS = {
    "cr": "\r",
    "lf": "\n",
    "crlf-header": "\r\nX-Injected: 1",
    "nul": "\x00",
    "escape": "\x1b",
    "del": "\x7f",
    "c1-control": "\x85",
    "not-latin-1": "\u20ac",
    "line-separator": "\u2028",
}


def auth_with(key, value):
    """Complete auth options of the type that uses ``key``, with ``key`` set to ``value``."""
    if key == "token":
        auth = {"token": "t0k"}
    elif key in ("security_token", "access_key", "project_id"):
        auth = {"access_key": "AK", "secret_key": "SK", "project_id": "p-1", "security_token": "sts"}
    else:
        auth = {"auth_url": IAM, "username": "alice", "password": PASSWORD, "user_domain_name": "acme", "project_id": "p-1"}
    auth[key] = value
    return auth


@pytest.mark.parametrize("bad", list(BAD_CHARACTERS.values()), ids=list(BAD_CHARACTERS))
@pytest.mark.parametrize("key", HEADER_KEYS)
def test_header_unsafe_values_are_refused_naming_the_option_never_the_value(key, bad):
    value = "SENTINEL-start" + bad + "SENTINEL-end"
    settings = resolve_settings(module_params(auth_with(key, value), endpoint=ENDPOINT), {})
    with pytest.raises(ElbValidationError) as info:
        check_settings(settings)
    error = info.value
    assert error.option == f"auth.{key}"
    assert f"'auth.{key}'" in error.message
    assert "SENTINEL" not in error.message and "SENTINEL" not in repr(error.details())
    assert error.value is None
    assert "control character" in error.message and "Latin-1" in error.message


def test_header_unsafe_value_from_the_environment_names_the_variable():
    with pytest.raises(ElbValidationError) as info:
        check_settings(resolve_settings(module_params(endpoint=ENDPOINT), {"OS_AUTH_TOKEN": "abc\r\nX: 1"}))
    assert info.value.option == "OS_AUTH_TOKEN"
    assert "abc" not in info.value.message


@pytest.mark.parametrize("key", HEADER_KEYS)
def test_printable_latin_1_values_are_accepted(key):
    settings = check_settings(resolve_settings(module_params(auth_with(key, "Jos\u00e9 M\u00fcller-1 ~"), endpoint=ENDPOINT), {}))
    assert settings[key] == "Jos\u00e9 M\u00fcller-1 ~"


# -- URLs with user information, whole-value patterns ----------------------------------------------------------------


@pytest.mark.parametrize(
    "key, url, shown",
    [
        ("endpoint", "http://:pw-SENTINEL@elb.example.test", "http://********@elb.example.test"),
        ("endpoint", "https://alice:pw-SENTINEL@elb.example.test/v2.0", "https://********@elb.example.test/v2.0"),
        ("auth_url", "https://alice:pw-SENTINEL@iam.example.test/v3", "https://********@iam.example.test/v3"),
        ("auth_url", "https://pw-SENTINEL@iam.example.test", "https://********@iam.example.test"),
    ],
)
def test_urls_with_userinfo_are_refused_and_redacted(key, url, shown):
    auth = {"auth_url": IAM, "username": "alice", "password": PASSWORD, "user_domain_name": "acme", "project_id": "p-1"}
    if key == "auth_url":
        auth["auth_url"] = url
        params = module_params(auth, endpoint=ENDPOINT)
    else:
        params = module_params(auth, endpoint=url)
    with pytest.raises(ElbValidationError) as info:
        check_settings(resolve_settings(params, {}))
    assert info.value.option == (key if key == "endpoint" else "auth.auth_url")
    assert "SENTINEL" not in info.value.message and "alice" not in info.value.message
    assert repr(shown) in info.value.message
    assert "user information" in info.value.message


@pytest.mark.parametrize("region", ["eu-de\n", "eu-de\r", "\neu-de", "eu-de "])
def test_region_with_a_trailing_newline_is_refused(region):
    with pytest.raises(ElbValidationError) as info:
        check_settings(resolve_settings(module_params({"token": "t"}, region_name=region), {}))
    assert info.value.option == "region_name"
    assert repr(region) in info.value.message
