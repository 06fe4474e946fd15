# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ElbModule: the one AnsibleModule subclass of lbaas.elb.

It merges the shared connection argument spec, checks that ``requests`` can be imported, builds the
client on first use, is the only place that turns an ElbError into fail_json, and exits with the diff
when diff mode asks for it.
"""

from __future__ import annotations

import copy
import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from .auth import build_auth
from .client import REQUESTS_IMPORT_ERROR, ElbClient
from .deadline import Deadline
from .errors import ElbError, ElbValidationError
from .families import ELB_TYPES, FAMILIES
from .loadbalancers import wait_until_not_busy
from .settings import check_settings, layers_secrets, merge_layers, settings_layers

# The connection options of every lbaas.elb module (documented in doc_fragments/connection.py).
# Environment variables and clouds.yaml are read by settings.settings_layers, not by fallbacks or
# defaults, so that precedence (module option > environment > clouds.yaml) can be applied key by key.
CONNECTION_ARGUMENT_SPEC = dict(
    cloud=dict(type="raw"),
    endpoint=dict(type="str"),
    auth=dict(
        type="dict",
        options=dict(
            auth_url=dict(type="str"),
            username=dict(type="str"),
            password=dict(type="str", no_log=True),
            user_domain_name=dict(type="str", aliases=["domain_name"]),
            user_domain_id=dict(type="str"),
            project_name=dict(type="str"),
            project_id=dict(type="str"),
            token=dict(type="str", no_log=True),
            access_key=dict(type="str", no_log=False),
            secret_key=dict(type="str", no_log=True),
            security_token=dict(type="str", no_log=True),
        ),
    ),
    auth_type=dict(type="str", choices=["password", "token", "aksk"]),
    region_name=dict(type="str"),
    interface=dict(type="str", choices=["public", "internal", "admin"]),
    # No defaults here: a default would hide the clouds.yaml value (settings.DEFAULTS applies them after merging).
    validate_certs=dict(type="bool"),
    ca_cert=dict(type="path", aliases=["cacert"]),
    api_timeout=dict(type="int"),
    # A module option only (not from OS_* or clouds.yaml): it says which API the task speaks, not how to
    # reach it. Unset means shared (no default, like every connection option here).
    elb_type=dict(type="str", choices=list(ELB_TYPES)),
)


class ElbModule(AnsibleModule):
    """AnsibleModule with the connection options, ``timeout``, a lazy ElbClient and one failure path."""

    def __init__(self, argument_spec=None, default_timeout=180, **kwargs):
        spec = copy.deepcopy(CONNECTION_ARGUMENT_SPEC)
        spec["timeout"] = dict(type="int", default=default_timeout)
        spec.update(argument_spec or {})
        self._settings = None
        self._client = None
        super().__init__(argument_spec=spec, **kwargs)
        if REQUESTS_IMPORT_ERROR is not None:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        if self.params["timeout"] <= 0:
            self.fail_from_error(ElbValidationError("timeout", self.params["timeout"], "an integer greater than 0"))
        # The task deadline starts now; the client is built on first use.
        self.deadline = Deadline(self.params["timeout"])

    def _load_params(self):
        super()._load_params()
        # ``cloud`` is type raw and not no_log (that would mask every cloud name in all output), so the
        # secrets of an inline cloud entry are registered here, before anything can be logged or returned.
        cloud = self.params.get("cloud") if isinstance(self.params, dict) else None
        if isinstance(cloud, (dict, list)):
            from .clouds import inline_cloud_secrets  # pylint: disable=import-outside-toplevel  # only for an inline cloud

            self.no_log_values.update(inline_cloud_secrets(cloud))

    @property
    def settings(self):
        """Connection settings resolved from module options, environment and clouds.yaml, checked locally."""
        if self._settings is None:
            layers = settings_layers(self.params, os.environ)
            # Secrets from the environment and clouds.yaml are unknown to no_log: mask them in all output too.
            self.no_log_values.update(layers_secrets(layers))
            self._settings = check_settings(merge_layers(layers))
        return self._settings

    @property
    def family(self):
        """The load balancer family of ``elb_type`` (families.py)."""
        return FAMILIES[self.params["elb_type"] or "shared"]

    @property
    def client(self):
        if self._client is None:
            settings = self.settings
            verify = True
            if not settings["validate_certs"]:
                verify = False
                self.warn("validate_certs is false: the TLS certificates of the ELB and IAM endpoints are not verified")
            elif settings.get("ca_cert"):
                if not os.path.isfile(settings["ca_cert"]):
                    raise ElbValidationError("ca_cert", settings["ca_cert"], "the path of an existing PEM file")
                verify = settings["ca_cert"]
            self._client = ElbClient(
                settings.get("endpoint"),
                build_auth(settings, catalog_types=self.family.catalog_types),
                verify=verify,
                api_timeout=settings["api_timeout"],
                deadline=self.deadline,
                extra_secrets=self.no_log_values,
                busy_waiter=wait_until_not_busy,
                family=self.family,
            )
        return self._client

    def secrets(self):
        secrets = list(self.no_log_values)
        if self._client is not None:
            secrets.extend(self._client.secrets)
        return secrets

    def _client_warnings(self):
        if self._client is not None:
            for warning in self._client.warnings:
                self.warn(warning)
            self._client.warnings = []

    def fail_from_error(self, error, **result):
        """fail_json with the error's message and details (and what was already done), secrets scrubbed."""
        self._client_warnings()
        error.scrub(self.secrets())
        self.fail_json(msg=error.message, **error.details(), **result)

    def exit_with_diff(self, result):
        """exit_json with ``result``; its ``diff`` is returned only in diff mode."""
        self._client_warnings()
        diff = result.pop("diff", None)
        if self._diff and diff is not None:
            result["diff"] = diff
        self.exit_json(**result)

    def run(self, function):
        """Call ``function(self)``; any ElbError becomes fail_json."""
        try:
            return function(self)
        except ElbError as error:
            self.fail_from_error(error, **getattr(error, "partial_result", {}))
