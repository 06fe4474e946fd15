# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""clouds.yaml as the lowest settings layer: below the environment and the module options, key by key."""

from __future__ import annotations

import itertools
import sys
import textwrap

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils import clouds as clouds_module
from ansible_collections.lbaas.elb.plugins.module_utils.auth import build_auth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import CloudConfigError, ElbError, ElbValidationError
from ansible_collections.lbaas.elb.plugins.module_utils.settings import check_settings, layers_secrets, settings_layers
from ansible_collections.lbaas.elb.tests.unit.plugins.settings_helpers import module_params, resolve_settings

IAM = "https://iam.example.test"
TOKEN_URL = IAM + "/v3/auth/tokens"

CLOUD_PASSWORD = "Cl0ud-Pa55-from-file"
CLOUD_SK = "Cl0ud-SK-from-file"


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
    assert auth.token_request()["body"]["auth"]["identity"]["password"]["user"] == {"name": "alice", "password": CLOUD_PASSWORD, "domain": {"name": "acme"}}
    assert auth.token_request()["body"]["auth"]["scope"] == {"project": {"name": "eu-de"}}
    assert auth.token_url == TOKEN_URL


def test_no_cloud_chosen_reads_no_file(cloud_dirs, monkeypatch):
    (cloud_dirs["cwd"] / "clouds.yaml").write_text("clouds: [this is broken\n")
    monkeypatch.delitem(sys.modules, "yaml", raising=False)
    settings = resolve_in(cloud_dirs, module_params({"token": "t"}), {})
    assert settings["auth_type"] == "token"
    assert "yaml" not in sys.modules


def test_clouds_yaml_problems_are_cloud_errors_naming_the_file_never_a_secret(cloud_dirs):
    path = write_clouds(cloud_dirs["cwd"] / "clouds.yaml", PASSWORD_CLOUD)
    with pytest.raises(CloudConfigError) as info:
        resolve_in(cloud_dirs, module_params(cloud="prod"), {})
    # An ElbError: ElbModule's one failure path reports it, with option "cloud".
    assert isinstance(info.value, ElbError)
    assert info.value.details() == {"option": "cloud"}
    assert "'prod'" in info.value.message and path in info.value.message and "keys, otc" in info.value.message
    assert CLOUD_PASSWORD not in info.value.message and CLOUD_SK not in info.value.message
    (cloud_dirs["cwd"] / "clouds.yaml").write_text(f"clouds:\n  otc:\n    auth: {{password: '{CLOUD_PASSWORD}\n")
    with pytest.raises(CloudConfigError) as info:
        resolve_in(cloud_dirs, module_params(cloud="otc"), {})
    assert "not valid YAML" in info.value.message and CLOUD_PASSWORD not in info.value.message
    with pytest.raises(CloudConfigError) as info:
        resolve_in(cloud_dirs, module_params(cloud=["a"]), {})
    assert info.value.details() == {"option": "cloud"}


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
