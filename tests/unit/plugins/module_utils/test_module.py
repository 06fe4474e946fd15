# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ElbModule: shared spec, requests guard, lazy client, the single failure path; errors.scrub."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from ansible.module_utils.common.parameters import PASS_VARS

from ansible_collections.lbaas.elb.tests.unit.plugins.module_args import patch_module_args

from ansible_collections.lbaas.elb.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.lbaas.elb.plugins.module_utils import clouds as clouds_module
from ansible_collections.lbaas.elb.plugins.module_utils import module as module_module
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbApiError, ElbError
from ansible_collections.lbaas.elb.plugins.module_utils.module import CONNECTION_ARGUMENT_SPEC, ElbModule
from ansible_collections.lbaas.elb.plugins.module_utils.settings import SECRET_KEYS


# ansible-core 2.21 adds `invocation` to a result only when the controller asks for it (INJECT_INVOCATION);
# the tests that read it ask the way the controller does.
INJECT_INVOCATION = {"_ansible_inject_invocation": True} if "inject_invocation" in PASS_VARS else {}


def run(capsys, args, function, argument_spec=None):
    with patch_module_args({**args, **INJECT_INVOCATION}):
        with pytest.raises(SystemExit) as info:
            module = ElbModule(argument_spec=argument_spec or {"x": {"type": "str"}})
            module.run(function)
    return info.value.code, json.loads(capsys.readouterr().out)


def test_connection_spec_is_merged_and_secrets_are_no_log():
    auth = CONNECTION_ARGUMENT_SPEC["auth"]["options"]
    assert all(auth[key]["no_log"] for key in ("password", "token", "secret_key", "security_token"))
    assert auth["access_key"]["no_log"] is False
    assert auth["user_domain_name"]["aliases"] == ["domain_name"]
    assert CONNECTION_ARGUMENT_SPEC["ca_cert"]["aliases"] == ["cacert"]


def test_elb_error_becomes_fail_json_with_details(capsys):
    def fail(module):
        raise ElbApiError(status=409, method="PUT", path="/v2.0/lbaas/pools/p/members/m", code="Client", api_message="busy", request_id="req-1", kind="busy")

    code, result = run(capsys, {"auth": {"token": "tok-secret"}}, fail)
    assert code == 1
    assert result["failed"] is True
    assert result["msg"].startswith("PUT /v2.0/lbaas/pools/p/members/m failed: HTTP 409")
    assert (result["status"], result["error_code"], result["request_id"]) == (409, "Client", "req-1")


def test_secrets_from_environment_are_scrubbed(capsys, monkeypatch):
    monkeypatch.setenv("OS_PASSWORD", "env-pass-123")
    monkeypatch.setenv("OS_USERNAME", "u")
    monkeypatch.setenv("OS_AUTH_URL", "https://iam.example.test")
    monkeypatch.setenv("OS_DOMAIN_NAME", "acme")
    monkeypatch.setenv("OS_PROJECT_NAME", "eu-de")
    monkeypatch.setenv("ELB_ENDPOINT", "https://elb.example.test")

    def fail(module):
        assert module.settings["password"] == "env-pass-123"
        raise ElbError("the server said env-pass-123")

    _code, result = run(capsys, {}, fail)
    assert result["msg"] == "the server said ********"


def test_client_is_lazy_and_built_once(capsys):
    seen = []

    def use(module):
        assert module._client is None  # pylint: disable=protected-access
        seen.append(module.client)
        seen.append(module.client)
        module.exit_json(changed=False)

    code, _result = run(capsys, {"auth": {"token": "tok-123"}, "endpoint": "https://elb.example.test/v2.0"}, use)
    assert code == 0
    assert seen[0] is seen[1]
    assert seen[0].endpoint == "https://elb.example.test"
    assert seen[0].session.verify is True


def test_missing_requests_fails_with_the_install_hint(capsys, monkeypatch):
    monkeypatch.setattr(module_module, "REQUESTS_IMPORT_ERROR", "Traceback (most recent call last): ModuleNotFoundError: No module named 'requests'")
    code, result = run(capsys, {"auth": {"token": "tok-123"}}, lambda module: None)
    assert code == 1
    assert "Failed to import the required Python library (requests)" in result["msg"]
    assert "ansible_python_interpreter" in result["msg"]


@pytest.mark.parametrize("timeout", [0, -5])
def test_timeout_must_be_positive(capsys, timeout):
    code, result = run(capsys, {"auth": {"token": "tok-123"}, "timeout": timeout}, lambda module: None)
    assert code == 1
    assert result["option"] == "timeout"
    assert f"Invalid value for option 'timeout': {timeout}" in result["msg"] and "greater than 0" in result["msg"]


def test_timeout_default_is_the_module_s_own(capsys):
    with patch_module_args({"auth": {"token": "tok-123"}}):
        assert ElbModule(argument_spec={}, default_timeout=600).params["timeout"] == 600
        assert ElbModule(argument_spec={}).params["timeout"] == 180


def test_exit_with_diff_returns_the_diff_only_in_diff_mode(capsys):
    def finish(module):
        module.exit_with_diff({"changed": True, "diff": {"before": {}, "after": {"a": 1}}})

    _code, result = run(capsys, {"auth": {"token": "tok-123"}}, finish)
    assert result["changed"] is True and "diff" not in result
    _code, result = run(capsys, {"auth": {"token": "tok-123"}, "_ansible_diff": True}, finish)
    assert result["diff"] == {"before": {}, "after": {"a": 1}}


def test_a_failure_after_a_change_still_says_changed(capsys):
    def fail(module):
        error = ElbError("waiting failed")
        error.partial_result = {"changed": True, "member": {"id": "m-1"}}
        raise error

    code, result = run(capsys, {"auth": {"token": "tok-123"}}, fail)
    assert code == 1
    assert (result["failed"], result["changed"], result["member"], result["msg"]) == (True, True, {"id": "m-1"}, "waiting failed")


def test_client_warnings_are_emitted_on_failure_too(capsys):
    def fail(module):
        module.client.warnings.append("a warning of the client")
        raise ElbError("no")

    _code, result = run(capsys, {"auth": {"token": "tok-123"}, "endpoint": "https://elb.example.test"}, fail)
    assert len(result["warnings"]) == 1 and "a warning of the client" in json.dumps(result["warnings"])


def test_missing_ca_cert_file(capsys, tmp_path):
    def use(module):
        return module.client

    _code, result = run(capsys, {"auth": {"token": "tok-123"}, "endpoint": "https://e.test", "ca_cert": str(tmp_path / "no")}, use)
    assert result["failed"] is True
    assert "ca_cert" in result["msg"]


def test_ca_cert_is_used_for_verification(capsys, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    verify = []

    def use(module):
        verify.append(module.client.session.verify)
        module.exit_json(changed=False)

    run(capsys, {"auth": {"token": "tok-123"}, "endpoint": "https://e.test", "cacert": str(bundle)}, use)
    assert verify == [str(bundle)]


# -- the connection options: spec and documentation ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_system_clouds_yaml(monkeypatch, tmp_path):
    # The conftest clears OS_CLOUD and friends; a clouds.yaml in /etc/openstack must not take part either.
    monkeypatch.setattr(clouds_module, "SYSTEM_CONFIG_DIR", str(tmp_path / "no-etc"))


def documented_options():
    return yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]


def compare_spec_and_doc(spec, docs, where=""):
    """Differences between an argument spec and its documentation (what validate-modules checks, and no_log)."""
    problems = []
    if set(spec) != set(docs):
        problems.append(f"{where}options: spec {sorted(spec)} != documented {sorted(docs)}")
    for name in set(spec) & set(docs):
        option, doc = spec[name], docs[name]
        for key in ("type", "choices", "aliases", "default", "required"):
            spec_value, doc_value = option.get(key), doc.get(key)
            if key == "required":
                spec_value, doc_value = bool(spec_value), bool(doc_value)
            if spec_value != doc_value:
                problems.append(f"{where}{name}.{key}: spec {spec_value!r} != documented {doc_value!r}")
        if not doc.get("description"):
            problems.append(f"{where}{name} has no description")
        if "options" in option or "suboptions" in doc:
            problems.extend(compare_spec_and_doc(option.get("options", {}), doc.get("suboptions", {}), f"{where}{name}."))
    return problems


def test_doc_fragment_matches_the_argument_spec():
    assert compare_spec_and_doc(CONNECTION_ARGUMENT_SPEC, documented_options()) == []


def test_doc_fragment_comparison_can_fail():
    spec = json.loads(json.dumps(CONNECTION_ARGUMENT_SPEC))
    spec["api_timeout"]["default"] = 30
    del spec["auth"]["options"]["user_domain_id"]
    problems = compare_spec_and_doc(spec, documented_options())
    assert len(problems) == 2


def test_secrets_are_no_log_and_nothing_else_is():
    auth = CONNECTION_ARGUMENT_SPEC["auth"]["options"]
    assert {name for name, option in auth.items() if option.get("no_log")} == set(SECRET_KEYS)
    assert not any(option.get("no_log") for option in CONNECTION_ARGUMENT_SPEC.values())


def test_no_connection_option_has_a_default_that_would_hide_clouds_yaml():
    assert [name for name, option in CONNECTION_ARGUMENT_SPEC.items() if "default" in option] == []


def test_precedence_is_documented():
    text = ModuleDocFragment.DOCUMENTATION
    assert "a module option (also one set through C(module_defaults)) wins over an environment" in text
    assert "which wins over the C(clouds.yaml) entry" in text


# -- clouds.yaml through the module ----------------------------------------------------------------------------------

INLINE_PASSWORD = "inline-Pa55-SENTINEL"


def test_inline_cloud_secrets_are_masked_even_when_validation_fails(capsys):
    cloud = {"auth": {"auth_url": "https://iam.example.test", "username": "u", "password": INLINE_PASSWORD}}
    code, result = run(capsys, {"cloud": cloud, "region_name": "eu-de", "x": ["not", "a", "string"]}, lambda module: None, {"x": {"type": "int"}})
    assert code == 1
    assert INLINE_PASSWORD not in json.dumps(result)
    assert result["invocation"]["module_args"]["cloud"]["auth"]["username"] == "u"


def test_inline_cloud_secrets_are_masked_in_results(capsys):
    cloud = {"auth": {"token": INLINE_PASSWORD}, "region_name": "eu-de"}

    def echo(module):
        assert module.settings["token"] == INLINE_PASSWORD
        module.exit_json(changed=False, echoed=f"the server said {INLINE_PASSWORD}")

    code, result = run(capsys, {"cloud": cloud}, echo)
    assert code == 0
    assert INLINE_PASSWORD not in json.dumps(result)
    # The cloud name and other values stay readable.
    assert result["invocation"]["module_args"]["cloud"]["region_name"] == "eu-de"


def test_clouds_yaml_problem_fails_cleanly(capsys, tmp_path, monkeypatch):
    path = tmp_path / "clouds.yaml"
    path.write_text(f"clouds:\n  otc:\n    auth: {{password: {INLINE_PASSWORD}}}\n")
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))

    def use(module):
        return module.client

    code, result = run(capsys, {"cloud": "prod"}, use)
    assert code == 1
    assert result["option"] == "cloud"
    assert "Cloud 'prod' is not defined in " + str(path) in result["msg"]
    assert INLINE_PASSWORD not in json.dumps(result)


def test_clouds_yaml_secret_echoed_by_a_server_is_masked(capsys, tmp_path, monkeypatch):
    path = tmp_path / "awx.yaml"
    path.write_text(
        f"clouds:\n  devstack:\n    auth: {{auth_url: https://iam.test, username: u, password: {INLINE_PASSWORD}, domain_name: d, project_name: eu-de}}\n"
    )
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))

    def fail(module):
        assert module.settings["auth_type"] == "password"
        raise ElbError(f"IAM said: {INLINE_PASSWORD}")

    _code, result = run(capsys, {}, fail)
    assert result["msg"] == "IAM said: ********"


def test_verify_false_from_clouds_yaml_reaches_the_transport_with_a_warning(capsys):
    seen = []

    def use(module):
        seen.append(module.client.session.verify)
        module.exit_json(changed=False)

    cloud = {"auth": {"token": "tok-1"}, "verify": False, "elb_endpoint_override": "https://elb.example.test"}
    _code, result = run(capsys, {"cloud": cloud}, use)
    assert seen == [False]
    assert "validate_certs is false" in json.dumps(result["warnings"])
    run(capsys, {"cloud": cloud, "validate_certs": True}, use)
    assert seen == [False, True]


def test_start_up_does_not_import_yaml_unless_a_clouds_yaml_is_read(tmp_path):
    """Module start-up stays light: PyYAML is imported only to read a clouds.yaml file."""
    clouds_file = tmp_path / "clouds.yaml"
    clouds_file.write_text("clouds:\n  c: {auth: {token: t}}\n")
    code = (
        "import sys\n"
        "from ansible_collections.lbaas.elb.plugins.modules import elb_auth, elb_member\n"
        "from ansible_collections.lbaas.elb.plugins.module_utils.settings import settings_layers\n"
        "settings_layers({'auth': {'token': 't'}}, {})\n"
        "settings_layers({'cloud': {'auth': {'token': 't'}}}, {})\n"
        "print('yaml' in sys.modules)\n"
        "settings_layers({'cloud': 'c'}, {'OS_CLIENT_CONFIG_FILE': sys.argv[1]})\n"
        "print('yaml' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    result = subprocess.run([sys.executable, "-c", code, str(clouds_file)], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]


def test_a_password_or_token_run_loads_no_code_it_does_not_use():
    """The modules are unzipped and compiled for every task: code a run does not use is not imported.
    clouds.py only with a cloud, aksk.py only to sign, health.py only with wait_for_status, html only to
    unescape an error answer."""
    prefix = "ansible_collections.lbaas.elb.plugins.module_utils."
    code = (
        "import sys\n"
        "from ansible_collections.lbaas.elb.plugins.modules import elb_auth, elb_member, elb_member_info\n"
        "from ansible_collections.lbaas.elb.plugins.module_utils import auth, errors, settings\n"
        "watched = ['" + prefix + "clouds', '" + prefix + "aksk', '" + prefix + "health', 'html']\n"
        "def loaded():\n"
        "    print(' '.join(name.rsplit('.', 1)[-1] for name in watched if name in sys.modules) or '-')\n"
        "settings.settings_layers({'auth': {'token': 't'}}, {})\n"
        "loaded()\n"
        "settings.settings_layers({'cloud': {'auth': {'token': 't'}}}, {})\n"
        "auth.AkSkAuth('ak', 'sk', project_id='p').signed_headers('GET', 'https://elb.example.test/v2.0/lbaas/pools', b'')\n"
        "errors.unescape_echo('&amp;')\n"
        "loaded()\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["-", "clouds aksk html"]
