# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright (c) 2026, lbaas.elb contributors

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils import clouds as clouds_module
from ansible_collections.lbaas.elb.plugins.module_utils.clouds import CloudConfigError, find_config_files, inline_cloud_secrets, load_cloud_layer

PASSWORD = "Pa55-w0rd-from-the-file"
SECRET_KEY = "SK-secret-from-the-file"

OTC_CLOUD = (
    """
clouds:
  otc:
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: alice
      password: %s
      user_domain_name: OTC-EU-DE-0000000001
      project_name: eu-de_demo
    region_name: eu-de
    interface: public
"""
    % PASSWORD
)


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """A private cwd, home and system dir, so the real /etc/openstack and ~ never take part."""
    paths = {name: tmp_path / name for name in ("cwd", "home", "etc", "other")}
    for path in paths.values():
        path.mkdir()
    monkeypatch.setattr(clouds_module, "SYSTEM_CONFIG_DIR", str(paths["etc"]))
    return paths


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def user_dir(dirs):
    return dirs["home"] / ".config" / "openstack"


def find(dirs, environ=None):
    return find_config_files(environ or {}, cwd=str(dirs["cwd"]), home=str(dirs["home"]))


def load(dirs, cloud, environ=None):
    return load_cloud_layer(cloud, environ or {}, cwd=str(dirs["cwd"]), home=str(dirs["home"]))


def one_cloud(name, body):
    """A clouds.yaml with one cloud; body is the YAML of the entry, indented by 4."""
    return "clouds:\n  %s:\n%s" % (name, textwrap.indent(textwrap.dedent(body), "    "))


# -- search order --------------------------------------------------------------------------------------------------


def test_search_order_cwd_then_user_then_system(dirs):
    cwd_file = write(dirs["cwd"] / "clouds.yaml", "clouds: {}\n")
    user_file = write(user_dir(dirs) / "clouds.yaml", "clouds: {}\n")
    etc_file = write(dirs["etc"] / "clouds.yaml", "clouds: {}\n")

    assert find(dirs) == [cwd_file, user_file, etc_file]
    os.remove(cwd_file)
    assert find(dirs) == [user_file, etc_file]
    os.remove(user_file)
    assert find(dirs) == [etc_file]
    os.remove(etc_file)
    assert find(dirs) == []


def test_first_existing_file_wins(dirs):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", "region_name: from-cwd\n"))
    write(user_dir(dirs) / "clouds.yaml", one_cloud("c", "region_name: from-home\n"))
    write(dirs["etc"] / "clouds.yaml", one_cloud("c", "region_name: from-etc\n"))
    assert load(dirs, "c") == {"region_name": "from-cwd"}
    os.remove(str(dirs["cwd"] / "clouds.yaml"))
    assert load(dirs, "c") == {"region_name": "from-home"}
    os.remove(str(user_dir(dirs) / "clouds.yaml"))
    assert load(dirs, "c") == {"region_name": "from-etc"}


def test_first_file_wins_even_without_the_cloud(dirs):
    # Like openstacksdk: files are not merged, the first one found is the whole configuration.
    write(dirs["cwd"] / "clouds.yaml", one_cloud("a", "region_name: eu-de\n"))
    write(user_dir(dirs) / "clouds.yaml", one_cloud("b", "region_name: eu-nl\n"))
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "b")
    assert "the clouds defined there are: a" in str(err.value)


def test_yml_extension_is_accepted_and_yaml_preferred(dirs):
    yml = write(user_dir(dirs) / "clouds.yml", "clouds: {}\n")
    assert find(dirs) == [yml]
    yaml_file = write(user_dir(dirs) / "clouds.yaml", "clouds: {}\n")
    assert find(dirs) == [yaml_file, yml]


def test_xdg_config_home_is_searched_before_dot_config(dirs):
    xdg = dirs["other"] / "xdg"
    xdg_file = write(xdg / "openstack" / "clouds.yaml", "clouds: {}\n")
    user_file = write(user_dir(dirs) / "clouds.yaml", "clouds: {}\n")
    assert find(dirs, {"XDG_CONFIG_HOME": str(xdg)}) == [xdg_file, user_file]


def test_os_client_config_file_is_the_only_file(dirs):
    write(dirs["cwd"] / "clouds.yaml", "clouds: {}\n")
    write(user_dir(dirs) / "clouds.yaml", "clouds: {}\n")
    override = write(dirs["other"] / "awx.yaml", "clouds: {}\n")
    assert find(dirs, {"OS_CLIENT_CONFIG_FILE": override}) == [override]


def test_os_client_config_file_missing_finds_nothing(dirs):
    write(dirs["cwd"] / "clouds.yaml", "clouds: {}\n")
    missing = str(dirs["other"] / "missing.yaml")
    assert find(dirs, {"OS_CLIENT_CONFIG_FILE": missing}) == []
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "c", {"OS_CLIENT_CONFIG_FILE": missing})
    assert missing in str(err.value) and "OS_CLIENT_CONFIG_FILE" in str(err.value)


def test_os_client_config_file_relative_to_cwd(dirs):
    path = write(dirs["cwd"] / "sub" / "c.yaml", "clouds: {}\n")
    assert find(dirs, {"OS_CLIENT_CONFIG_FILE": "sub/c.yaml"}) == [path]


def test_named_cloud_without_any_file(dirs):
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "c")
    assert "'c'" in str(err.value) and str(dirs["cwd"]) in str(err.value) and str(dirs["etc"]) in str(err.value)


# -- which cloud ---------------------------------------------------------------------------------------------------


def test_os_client_config_file_single_cloud_is_used_without_a_name(dirs):
    # The AWX / AAP OpenStack credential: one cloud, OS_CLIENT_CONFIG_FILE set, OS_CLOUD not set.
    path = write(dirs["other"] / "awx.yaml", OTC_CLOUD)
    layer = load(dirs, None, {"OS_CLIENT_CONFIG_FILE": path})
    assert layer == {
        "auth_url": "https://iam.eu-de.otc.t-systems.com/v3",
        "username": "alice",
        "password": PASSWORD,
        "user_domain_name": "OTC-EU-DE-0000000001",
        "project_name": "eu-de_demo",
        "region_name": "eu-de",
        "interface": "public",
    }


def test_os_client_config_file_with_several_clouds_and_no_name(dirs):
    path = write(dirs["other"] / "two.yaml", "clouds:\n  a: {region_name: eu-de}\n  b: {region_name: eu-nl}\n")
    assert load(dirs, None, {"OS_CLIENT_CONFIG_FILE": path}) == {}
    assert load(dirs, None, {"OS_CLIENT_CONFIG_FILE": path, "OS_CLOUD": "b"}) == {"region_name": "eu-nl"}


def test_single_cloud_found_in_search_path_is_not_guessed(dirs):
    write(dirs["cwd"] / "clouds.yaml", OTC_CLOUD)
    assert load(dirs, None) == {}
    assert load(dirs, None, {"OS_CLOUD": ""}) == {}


def test_nothing_chosen_reads_no_file_at_all(dirs, monkeypatch):
    # A malformed file in the search path must not break a run that names no cloud.
    write(dirs["cwd"] / "clouds.yaml", "clouds: [broken\n")
    write(user_dir(dirs) / "secure.yaml", "clouds: [broken\n")
    opened = []
    monkeypatch.setattr(clouds_module, "_read_config", lambda path: opened.append(path) or {})
    assert load(dirs, None) == {}
    assert load(dirs, None, {"OS_CLOUD": ""}) == {}
    assert opened == []


def test_os_cloud_names_the_cloud(dirs):
    write(user_dir(dirs) / "clouds.yaml", "clouds:\n  a: {region_name: eu-de}\n  b: {region_name: eu-nl}\n")
    assert load(dirs, None, {"OS_CLOUD": "b"}) == {"region_name": "eu-nl"}


def test_cloud_argument_beats_os_cloud(dirs):
    write(user_dir(dirs) / "clouds.yaml", "clouds:\n  a: {region_name: eu-de}\n  b: {region_name: eu-nl}\n")
    assert load(dirs, "a", {"OS_CLOUD": "b"}) == {"region_name": "eu-de"}


def test_inline_cloud_entry_reads_no_file(dirs):
    write(dirs["cwd"] / "clouds.yaml", "clouds: [this is not read]\n")
    entry = {"auth": {"auth_url": "https://iam.example/v3", "ak": "AK1", "sk": SECRET_KEY}, "region_name": "eu-de"}
    assert load(dirs, entry) == {"auth_url": "https://iam.example/v3", "access_key": "AK1", "secret_key": SECRET_KEY, "region_name": "eu-de"}
    assert load(dirs, {}) == {}


def test_cloud_of_another_type_is_rejected(dirs):
    with pytest.raises(CloudConfigError):
        load(dirs, ["a"])


def test_cloud_names_that_yaml_reads_as_numbers(dirs):
    write(dirs["cwd"] / "clouds.yaml", "clouds:\n  2026: {region_name: eu-de}\n")
    assert load(dirs, "2026") == {"region_name": "eu-de"}


# -- secure.yaml ---------------------------------------------------------------------------------------------------


def test_secure_yaml_in_the_same_directories_is_merged(dirs):
    write(
        user_dir(dirs) / "clouds.yaml",
        one_cloud(
            "otc",
            """
        auth:
          auth_url: https://iam.eu-de.otc.t-systems.com/v3
          username: alice
          password: placeholder
        region_name: eu-de
    """,
        ),
    )
    write(
        dirs["etc"] / "secure.yaml",
        one_cloud(
            "otc",
            """
        auth:
          password: %s
        interface: internal
    """
            % PASSWORD,
        ),
    )
    layer = load(dirs, "otc")
    assert layer["password"] == PASSWORD  # secure wins
    assert layer["username"] == "alice"  # deep merge keeps the rest of auth
    assert layer["auth_url"] == "https://iam.eu-de.otc.t-systems.com/v3"
    assert layer["interface"] == "internal"
    assert layer["region_name"] == "eu-de"


def test_os_client_secure_file_is_merged_with_os_client_config_file(dirs):
    config = write(dirs["other"] / "clouds.yaml", one_cloud("awx", "auth: {username: alice}\nregion_name: eu-de\n"))
    secure = write(dirs["other"] / "my-secrets.yaml", one_cloud("awx", "auth: {password: %s}\n" % PASSWORD))
    write(dirs["cwd"] / "secure.yaml", one_cloud("awx", "auth: {password: not-this-one}\n"))
    environ = {"OS_CLIENT_CONFIG_FILE": config, "OS_CLIENT_SECURE_FILE": secure}
    assert load(dirs, None, environ) == {"username": "alice", "password": PASSWORD, "region_name": "eu-de"}


def test_cloud_only_in_secure_yaml(dirs):
    write(dirs["cwd"] / "secure.yaml", one_cloud("s", "auth: {token: tok}\n"))
    assert load(dirs, "s") == {"token": "tok"}


def test_malformed_secure_yaml_names_that_file(dirs):
    write(dirs["cwd"] / "clouds.yaml", OTC_CLOUD)
    secure = write(dirs["cwd"] / "secure.yaml", 'clouds:\n  otc:\n    auth: {password: "%s\n' % PASSWORD)
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "otc")
    assert secure in str(err.value)
    assert PASSWORD not in str(err.value)


# -- key mapping ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "ak: AK1\nsk: %s\n" % SECRET_KEY,
        "auth: {ak: AK1, sk: %s}\n" % SECRET_KEY,
        "auth: {access_key: AK1, secret_key: %s}\n" % SECRET_KEY,
        "access_key: AK1\nsecret_key: %s\n" % SECRET_KEY,
    ],
)
def test_access_and_secret_key_spellings(dirs, body):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("otc", body))
    assert load(dirs, "otc") == {"access_key": "AK1", "secret_key": SECRET_KEY}


def test_auth_mapping_wins_over_top_level(dirs):
    write(
        dirs["cwd"] / "clouds.yaml",
        one_cloud(
            "otc",
            """
        ak: TOP-AK
        sk: TOP-SK
        username: top-user
        auth: {ak: AUTH-AK, sk: AUTH-SK, username: auth-user}
    """,
        ),
    )
    assert load(dirs, "otc") == {"access_key": "AUTH-AK", "secret_key": "AUTH-SK", "username": "auth-user"}


def test_security_token_and_aksk_auth_type(dirs):
    write(
        dirs["cwd"] / "clouds.yaml",
        one_cloud(
            "tmp",
            """
        auth_type: aksk
        auth: {access_key: AK1, secret_key: SK1, security_token: STS}
        elb_endpoint_override: https://elb.eu-de.otc.t-systems.com
    """,
        ),
    )
    assert load(dirs, "tmp") == {
        "auth_type": "aksk",
        "access_key": "AK1",
        "secret_key": "SK1",
        "security_token": "STS",
        "endpoint": "https://elb.eu-de.otc.t-systems.com",
    }


@pytest.mark.parametrize(
    "given, expected",
    [
        ("password", "password"),
        ("v3password", "password"),
        ("token", "token"),
        ("v3token", "token"),
        ("aksk", "aksk"),
        ("V3Password", "password"),
        ("v3applicationcredential", "v3applicationcredential"),
    ],
)
def test_auth_type_names(dirs, given, expected):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", "auth_type: %s\n" % given))
    assert load(dirs, "c") == {"auth_type": expected}


def test_token_cloud(dirs):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", "auth_type: v3token\nauth: {auth_url: https://iam/v3, token: T0K, project_id: p1}\n"))
    assert load(dirs, "c") == {"auth_type": "token", "auth_url": "https://iam/v3", "token": "T0K", "project_id": "p1"}


@pytest.mark.parametrize(
    "auth, expected",
    [
        ("{tenant_id: t1}", {"project_id": "t1"}),
        ("{tenant_name: tn}", {"project_name": "tn"}),
        ("{project_id: p1, tenant_id: t1}", {"project_id": "p1"}),
        ("{project-id: p1, project-name: pn}", {"project_id": "p1", "project_name": "pn"}),
        ("{domain_name: D}", {"user_domain_name": "D"}),
        ("{user_domain_name: U, domain_name: D}", {"user_domain_name": "U"}),
        ("{user_domain_id: uid}", {"user_domain_id": "uid"}),
    ],
)
def test_project_and_domain_aliases(dirs, auth, expected):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", "auth: %s\n" % auth))
    assert load(dirs, "c") == expected


@pytest.mark.parametrize(
    "body, expected",
    [
        ("verify: false\n", {"validate_certs": False}),
        ("verify: true\n", {"validate_certs": True}),
        ("verify: 'False'\n", {"validate_certs": False}),
        ("insecure: true\n", {"validate_certs": False}),
        ("verify: true\ninsecure: true\n", {"validate_certs": True}),
        ("cacert: /etc/ssl/private-ca.pem\n", {"ca_cert": "/etc/ssl/private-ca.pem"}),
        ("verify: true\ncacert: ca.pem\n", {"validate_certs": True, "ca_cert": "ca.pem"}),
    ],
)
def test_verify_and_cacert(dirs, body, expected):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", body))
    assert load(dirs, "c") == expected


def test_cacert_tilde_is_expanded(dirs):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", "cacert: ~/ca.pem\n"))
    assert load(dirs, "c") == {"ca_cert": os.path.join(str(dirs["home"]), "ca.pem")}


def test_verify_that_is_not_a_boolean(dirs):
    path = write(dirs["cwd"] / "clouds.yaml", one_cloud("c", "verify: sometimes\n"))
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "c")
    assert path in str(err.value) and "'c'" in str(err.value) and "verify" in str(err.value)


@pytest.mark.parametrize(
    "body, expected",
    [
        ("elb_endpoint_override: https://elb.example\n", "https://elb.example"),
        ("load_balancer_endpoint_override: https://lb.example\n", "https://lb.example"),
        ("load-balancer-endpoint-override: https://lb.example\n", "https://lb.example"),
        ("elb_endpoint_override: https://elb.example\nload_balancer_endpoint_override: https://lb.example\n", "https://elb.example"),
    ],
)
def test_endpoint_override(dirs, body, expected):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", body))
    assert load(dirs, "c") == {"endpoint": expected}


def test_interface_spellings(dirs):
    write(dirs["cwd"] / "clouds.yaml", "clouds:\n  a: {interface: publicURL}\n  b: {endpoint_type: internal}\n")
    assert load(dirs, "a") == {"interface": "public"}
    assert load(dirs, "b") == {"interface": "internal"}


def test_region_from_regions_list(dirs):
    write(
        dirs["cwd"] / "clouds.yaml",
        """
        clouds:
          a: {regions: [eu-de, eu-nl]}
          b: {regions: [{name: eu-nl, values: {}}]}
          c: {region_name: eu-de, regions: [eu-nl]}
    """,
    )
    assert load(dirs, "a") == {"region_name": "eu-de"}
    assert load(dirs, "b") == {"region_name": "eu-nl"}
    assert load(dirs, "c") == {"region_name": "eu-de"}


def test_otc_vendor_profile_supplies_auth_url(dirs):
    write(
        dirs["cwd"] / "clouds.yaml",
        """
        clouds:
          a: {profile: otc, auth: {username: u}}
          b: {profile: otc, region_name: eu-nl}
          c: {profile: otc, auth: {auth_url: https://iam.example/v3}}
          d: {profile: some-other-vendor}
    """,
    )
    assert load(dirs, "a") == {"username": "u", "region_name": "eu-de", "auth_url": "https://iam.eu-de.otc.t-systems.com/v3"}
    assert load(dirs, "b")["auth_url"] == "https://iam.eu-nl.otc.t-systems.com/v3"
    assert load(dirs, "c")["auth_url"] == "https://iam.example/v3"
    assert load(dirs, "d") == {}


def test_values_yaml_reads_as_numbers_become_strings(dirs):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", "auth: {password: 123456, project_id: 42}\n"))
    assert load(dirs, "c") == {"password": "123456", "project_id": "42"}


def test_empty_and_null_values_are_left_out(dirs):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", "auth: {username: '', password: null}\nregion_name:\nauth_type: password\n"))
    assert load(dirs, "c") == {"auth_type": "password"}


def test_secrets_are_kept_exactly_other_values_stripped(dirs):
    write(dirs["cwd"] / "clouds.yaml", one_cloud("c", "auth: {password: ' p w ', username: ' alice '}\n"))
    assert load(dirs, "c") == {"password": " p w ", "username": "alice"}


def test_unrelated_keys_are_ignored(dirs):
    write(
        dirs["cwd"] / "clouds.yaml",
        """
        cache: {max_age: 3600}
        clouds:
          c: {identity_api_version: 3, image_format: vhd, api_timeout: 10, auth: {user_id: x}}
    """,
    )
    assert load(dirs, "c") == {}


# -- errors --------------------------------------------------------------------------------------------------------


def test_unknown_cloud_lists_the_names_not_the_contents(dirs):
    path = write(dirs["cwd"] / "clouds.yaml", OTC_CLOUD + "  devstack:\n    auth: {password: other-secret}\n")
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "prod")
    message = str(err.value)
    assert "'prod'" in message and path in message
    assert "devstack, otc" in message
    assert PASSWORD not in message and "other-secret" not in message and "alice" not in message
    assert err.value.path == path and err.value.cloud == "prod"


def test_unknown_cloud_from_os_cloud(dirs):
    write(dirs["cwd"] / "clouds.yaml", OTC_CLOUD)
    with pytest.raises(CloudConfigError) as err:
        load(dirs, None, {"OS_CLOUD": "nope"})
    assert "'nope'" in str(err.value) and "otc" in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        # an unterminated quote on the password's own line
        'clouds:\n  otc:\n    auth:\n      password: "%s\n      username: alice\n' % PASSWORD,
        # a colon inside the password, on the line PyYAML would quote in its own message
        "clouds:\n  otc:\n    auth:\n      password: %s: x: y\n" % PASSWORD,
        # a tab in the indentation of the line that holds the password
        "clouds:\n  otc:\n    auth:\n\tpassword: %s\n" % PASSWORD,
        # mismatched brackets
        "clouds: {otc: {auth: {password: %s]}\n" % PASSWORD,
    ],
)
def test_malformed_yaml_names_the_file_and_never_the_password(dirs, text):
    path = str(dirs["cwd"] / "clouds.yaml")
    with open(path, "w") as stream:
        stream.write(text)
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "otc")
    message = str(err.value)
    assert path in message and "not valid YAML" in message and "line" in message
    assert PASSWORD not in message
    assert err.value.path == path


def test_malformed_os_client_config_file_fails_even_without_a_name(dirs):
    path = write(dirs["other"] / "awx.yaml", "clouds: [\n")
    with pytest.raises(CloudConfigError) as err:
        load(dirs, None, {"OS_CLIENT_CONFIG_FILE": path})
    assert path in str(err.value)


@pytest.mark.parametrize(
    "text, words",
    [
        ("- a\n- b\n", "mapping at the top"),
        ("clouds: [a, b]\n", "'clouds' must be a mapping"),
        ("clouds:\n  otc: just-a-string\n", "must be a mapping, not a string"),
        ("clouds:\n  otc: {auth: [%s]}\n" % PASSWORD, "'auth' must be a mapping"),
        ("clouds:\n  otc: {auth: {password: [%s]}}\n" % PASSWORD, "'password' must be a string, not a list"),
        ("clouds:\n  otc: {auth: {password: yes}}\n", "'password' must be a string, not a boolean"),
    ],
)
def test_wrong_shapes(dirs, text, words):
    path = write(dirs["cwd"] / "clouds.yaml", text)
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "otc")
    message = str(err.value)
    assert words in message and path in message
    assert PASSWORD not in message


def test_cloud_entry_errors_name_the_cloud(dirs):
    write(dirs["cwd"] / "clouds.yaml", "clouds:\n  otc: {auth: {password: [%s]}}\n" % PASSWORD)
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "otc")
    assert "cloud 'otc'" in str(err.value) and err.value.cloud == "otc"


def test_empty_file_has_no_clouds(dirs):
    path = write(dirs["cwd"] / "clouds.yaml", "")
    with pytest.raises(CloudConfigError) as err:
        load(dirs, "otc")
    assert path in str(err.value) and "none" in str(err.value)


def test_yaml_is_imported_lazily():
    code = "import sys\nimport ansible_collections.lbaas.elb.plugins.module_utils.clouds\nprint('yaml' in sys.modules)\n"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_defaults_are_the_process_environment_cwd_and_home(tmp_path, monkeypatch):
    monkeypatch.setattr(clouds_module, "SYSTEM_CONFIG_DIR", str(tmp_path / "etc"))
    home = tmp_path / "home"
    write(home / ".config" / "openstack" / "clouds.yaml", one_cloud("c", "region_name: eu-de\n"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("OS_CLOUD", "c")
    for name in ("OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    assert find_config_files() == [str(home / ".config" / "openstack" / "clouds.yaml")]
    assert load_cloud_layer(None) == {"region_name": "eu-de"}
    write(work / "clouds.yaml", one_cloud("c", "region_name: eu-nl\n"))
    assert load_cloud_layer(None) == {"region_name": "eu-nl"}


# -- secrets of an inline entry ----------------------------------------------------------------------------------------


def test_inline_cloud_secrets_are_found_at_any_depth():
    entry = {
        "auth": {"username": "alice", "password": PASSWORD, "auth_url": "https://iam.example/v3", "token": "tok-1"},
        "sk": SECRET_KEY,
        "ak": "AK1",
        "region_name": "eu-de",
        "regions": [{"name": "eu-de", "values": {"security-token": "sts-1"}}],
        "secret_key": "",
        "application_credential_secret": None,
    }
    assert sorted(inline_cloud_secrets(entry)) == sorted([PASSWORD, "tok-1", SECRET_KEY, "sts-1"])
    assert inline_cloud_secrets("otc") == []
    assert inline_cloud_secrets(None) == []
    assert inline_cloud_secrets({"auth": {"password": 123456}}) == ["123456"]
