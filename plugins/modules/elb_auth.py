#!/usr/bin/python
# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: elb_auth
short_description: Authenticate once and return a token and the ELB endpoint for later tasks
version_added: 0.1.0
description:
  - Resolves the connection settings exactly as every other lbaas.elb module does (module options, then
    E(OS_*) environment variables, then C(clouds.yaml)), authenticates, and returns what later tasks need to
    skip authentication and endpoint discovery.
  - With password authentication, one token is requested from IAM (Keystone v3). The module returns it in
    RV(token), with its expiry and project, and the ELB endpoint taken from the token's service catalog
    (or from O(endpoint)). Pass both to the other modules through C(module_defaults), and each of their tasks
    goes straight to the ELB API, without a request to IAM.
  - With token authentication, nothing is requested; the module returns the resolved endpoint. The token you
    gave is not returned (Ansible would mask it in the result anyway, as it is a secret input).
  - With AK/SK authentication, nothing is requested either and no token is returned, since every request is
    signed by itself (SDK-HMAC-SHA256); the module returns the resolved endpoint.
    The credentials are then checked by the first API call of a later task.
  - The module never changes anything.
author: lbaas.elb contributors (@lbaas-elb)
extends_documentation_fragment:
  - lbaas.elb.connection
  - lbaas.elb.attributes.read_only
options:
  timeout:
    description:
      - Time budget in seconds for the whole task, including retries of the token request.
    type: int
    default: 180
notes:
  - The result holds a live token. Set C(no_log=true) on the task so that it is not shown with C(-v) or logged by
    callbacks; the registered variable still holds it. Without C(no_log), the token is shown only at C(-v) and more.
  - An IAM token is valid for 24 hours. A task that meets an expired token fails with a message that says so;
    run M(lbaas.elb.elb_auth) again to get a new one.
seealso:
  - module: lbaas.elb.elb_member
"""

EXAMPLES = r"""
- name: Authenticate once (password from the OS_* variables, or the clouds.yaml of an AWX OpenStack credential)
  lbaas.elb.elb_auth:
  register: elb_session
  no_log: true

- name: Every task of this block uses the token and endpoint, without asking IAM again
  module_defaults:
    group/lbaas.elb.elb:
      auth:
        token: "{{ elb_session.token }}"
      endpoint: "{{ elb_session.endpoint }}"
  block:
    - name: Add web-1
      lbaas.elb.elb_member:
        pool: 5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11
        address: 192.168.44.11
        protocol_port: 80
        subnet_id: 0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90

    - name: Add web-2
      lbaas.elb.elb_member:
        pool: 5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11
        address: 192.168.44.12
        protocol_port: 80
        subnet_id: 0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90

- name: Password authentication with explicit options
  lbaas.elb.elb_auth:
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: "{{ otc_user }}"
      password: "{{ otc_password }}"
      user_domain_name: "{{ otc_domain }}"
      project_name: eu-de
  register: elb_session
  no_log: true

- name: Authenticate with the cloud 'otc' of clouds.yaml
  lbaas.elb.elb_auth:
    cloud: otc
  register: elb_session
  no_log: true

- name: AK/SK (no token; signing is per request), the endpoint resolved from region_name
  lbaas.elb.elb_auth:
    auth:
      access_key: "{{ otc_access_key }}"
      secret_key: "{{ otc_secret_key }}"
      project_id: "{{ otc_project_id }}"
    region_name: eu-de
  register: elb_aksk
"""

RETURN = r"""
token:
  description:
    - The token issued by IAM, to pass on as O(lbaas.elb.elb_member#module:auth.token).
    - A secret. Set C(no_log=true) on the task.
  returned: when the auth type is password
  type: str
  sample: MIIeZAYJKoZIhvcNAQcCoIIeVTCCHlECAQExDTALBglghkgBZQMEAgEwghx2BgkqhkiG9w0BBwGgghxnBIIcY3sidG9rZW4iOnsiZXhw
expires_at:
  description:
    - When the token expires, as IAM reported it (ISO 8601, UTC).
    - V(null) for AK/SK and for a token given as input, whose expiry is unknown.
  returned: success
  type: str
  sample: "2026-01-03T10:15:30.123000Z"
endpoint:
  description:
    - The ELB base URL later tasks should use, without API version.
    - O(endpoint) (or E(ELB_ENDPOINT), or the cloud's C(elb_endpoint_override)) when set; otherwise the catalog
      entry (password) or V(https://elb.{region_name}.otc.t-systems.com) (token and AK/SK).
    - With O(elb_type=dedicated) the catalog entry of type V(elbv3) (then V(elb)), cut back to its base as well;
      later tasks with O(elb_type=dedicated) add C(/v3/{project_id}/elb/...) themselves.
  returned: success
  type: str
  sample: https://elb.eu-de.otc.t-systems.com
project_id:
  description:
    - The project the token is scoped to (password), or the configured O(auth.project_id) (token and AK/SK).
    - V(null) when unknown.
  returned: success
  type: str
  sample: 0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e
auth_type:
  description: The auth type that was used, after precedence and inference.
  returned: success
  type: str
  sample: password
"""

from ansible_collections.lbaas.elb.plugins.module_utils.module import ElbModule

NOT_NO_LOG_WARNING = (
    "lbaas.elb.elb_auth returns a live token: set no_log: true on this task, or the token shows in the task's output, in -v logs and in AWX job events"
)


def authenticate(module):
    if not module.no_log:
        module.warn(NOT_NO_LOG_WARNING)
    settings = module.settings
    client = module.client
    result = dict(changed=False, auth_type=settings["auth_type"], expires_at=None, project_id=settings.get("project_id"))
    if settings["auth_type"] == "password":
        # One token request; its catalog also gives the endpoint when none is set.
        result["token"] = client.authenticate()
        result["expires_at"] = client.auth.expires_at
        result["project_id"] = client.auth.token_project_id or result["project_id"]
    result["endpoint"] = client.endpoint
    module.exit_with_diff(result)


def main():
    module = ElbModule(supports_check_mode=True)
    module.run(authenticate)


if __name__ == "__main__":
    main()
