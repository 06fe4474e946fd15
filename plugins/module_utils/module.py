# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ElbModule: the one AnsibleModule subclass of lbaas.elb.

It merges the shared connection argument spec, checks for requests, builds the
client lazily and is the only place that turns an ElbError into fail_json.
"""

from __future__ import annotations

import copy
import os

from ansible.module_utils.basic import AnsibleModule

from .auth import build_auth, check_settings, layers_secrets, merge_layers, settings_layers
from .clouds import inline_cloud_secrets
from .client import Deadline, ElbClient
from .errors import ElbError, ElbValidationError

DEFAULT_TASK_TIMEOUT = 180

# The connection options of every lbaas.elb module (documented in doc_fragments/connection.py).
# Environment variables and clouds.yaml are read by auth.settings_layers, not by fallbacks or defaults,
# so that precedence (module option > environment > clouds.yaml) can be applied key by key.
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
    # No defaults here: a default would hide the clouds.yaml value (auth.DEFAULTS applies them after merging).
    validate_certs=dict(type="bool"),
    ca_cert=dict(type="path", aliases=["cacert"]),
    api_timeout=dict(type="int"),
)


def connection_argument_spec():
    """A copy of the shared connection argument spec."""
    return copy.deepcopy(CONNECTION_ARGUMENT_SPEC)


class ElbModule(AnsibleModule):
    """AnsibleModule with the connection options, a lazy ElbClient and one failure path."""

    def __init__(self, argument_spec=None, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec or {})
        super().__init__(argument_spec=spec, **kwargs)
        # The task deadline starts now; the client is built on first use.
        self.deadline = Deadline(self.params.get("timeout") or DEFAULT_TASK_TIMEOUT)
        self._settings = None
        self._client = None

    def _load_params(self):
        super()._load_params()
        # ``cloud`` is type raw and not no_log (that would mask every cloud name in all output), so the
        # secrets of an inline cloud entry are registered here, before anything can be logged or returned.
        cloud = self.params.get("cloud") if isinstance(self.params, dict) else None
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
            self._client = ElbClient(settings.get("endpoint"), build_auth(settings), verify=verify, api_timeout=settings["api_timeout"], deadline=self.deadline)
        return self._client

    def secrets(self):
        secrets = list(self.no_log_values)
        if self._client is not None:
            secrets.extend(self._client.secrets)
        return secrets

    def fail_from_error(self, error):
        """fail_json with the error's message and details, secrets scrubbed."""
        error.scrub(self.secrets())
        self.fail_json(msg=error.message, **error.details())

    def run(self, function):
        """Call ``function(self)``; any ElbError becomes fail_json."""
        try:
            return function(self)
        except ElbError as error:
            self.fail_from_error(error)
