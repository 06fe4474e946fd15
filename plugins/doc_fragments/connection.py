# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Connection options shared by every lbaas.elb module, and what the connection needs on the host that
    # runs the module.
    DOCUMENTATION = r"""
options:
  cloud:
    description:
      - Name of an entry of an OpenStack C(clouds.yaml), or a mapping that is such an entry itself (inline, no file is read).
      - If not set, the environment variable E(OS_CLOUD) names the entry. If that is not set either and
        E(OS_CLIENT_CONFIG_FILE) names a file that holds exactly one cloud, that cloud is used; this is how the
        OpenStack credential of AWX and Ansible Automation Platform hands over its credentials.
        Otherwise no C(clouds.yaml) is read at all.
      - The file is E(OS_CLIENT_CONFIG_FILE) when set, else the first C(clouds.yaml) (or C(clouds.yml), C(clouds.json))
        in the current directory, C($XDG_CONFIG_HOME/openstack), C(~/.config/openstack) and C(/etc/openstack).
        A C(secure.yaml) (E(OS_CLIENT_SECURE_FILE), or found in the same directories) is merged over it.
      - The entry's C(auth) keys (C(auth_url), C(username), C(password), C(user_domain_name) or C(domain_name),
        C(user_domain_id), C(project_name), C(project_id), C(token), C(access_key) or C(ak), C(secret_key) or C(sk),
        C(security_token)), and its C(auth_type), C(region_name), C(interface), C(verify), C(cacert) and
        C(elb_endpoint_override) are used.
      - Every value from C(clouds.yaml) is overridden, key by key, by an environment variable or a module option
        that sets the same key.
      - The secrets of an inline mapping are masked in the output like the other secrets.
    type: raw
  endpoint:
    description:
      - Base URL of the ELB API, for example V(https://elb.eu-de.otc.t-systems.com).
      - A URL that ends in an API version (V(/v1.0/...), V(/v2.0) or V(/v2)) is cut back to its base.
      - If not set, the environment variable E(ELB_ENDPOINT) is used, then C(elb_endpoint_override) of the cloud.
      - Otherwise, with O(auth_type=password), the endpoint of type V(elb), then V(load-balancer), then V(network)
        is taken from the service catalog of the token, filtered by O(region_name) and O(interface).
      - Otherwise (token or AK/SK authentication, which have no catalog) the URL is
        V(https://elb.{region_name}.otc.t-systems.com), which needs O(region_name). Set O(endpoint) for any other cloud.
    type: str
  auth:
    description:
      - Credentials.
      - Each unset suboption falls back to the environment variable named in its description, then to the
        C(clouds.yaml) entry chosen by O(cloud). An empty value counts as unset.
      - To authenticate once per play, run M(lbaas.elb.elb_auth) first and pass its RV(lbaas.elb.elb_auth#module:token)
        as O(auth.token) (see the examples of M(lbaas.elb.elb_auth)).
    type: dict
    suboptions:
      auth_url:
        description:
          - URL of the identity service (IAM, Keystone v3), for example V(https://iam.eu-de.otc.t-systems.com/v3).
          - V(/v3) is added when the URL names no version.
          - Environment variable E(OS_AUTH_URL).
        type: str
      username:
        description:
          - User name for password authentication.
          - Environment variable E(OS_USERNAME).
        type: str
      password:
        description:
          - Password for password authentication.
          - Environment variable E(OS_PASSWORD).
        type: str
      user_domain_name:
        description:
          - Domain (account) name of the user for password authentication.
          - Environment variable E(OS_USER_DOMAIN_NAME), or E(OS_DOMAIN_NAME).
        type: str
        aliases: [domain_name]
      user_domain_id:
        description:
          - Domain (account) ID of the user for password authentication, used when no O(auth.user_domain_name) is set.
          - Environment variable E(OS_USER_DOMAIN_ID), or E(OS_DOMAIN_ID).
        type: str
      project_name:
        description:
          - Name of the project to scope the token to, for example V(eu-de). Used when O(auth.project_id) is not set.
          - Environment variable E(OS_PROJECT_NAME).
        type: str
      project_id:
        description:
          - ID of the project to scope the token to.
          - With AK/SK authentication, sent as the C(X-Project-Id) header.
          - Environment variable E(OS_PROJECT_ID).
        type: str
      token:
        description:
          - A ready token, sent as C(X-Auth-Token). It cannot be renewed when it expires.
          - Environment variable E(OS_AUTH_TOKEN).
        type: str
      access_key:
        description:
          - Access key (AK) for AK/SK request signing (SDK-HMAC-SHA256).
          - Environment variable E(OS_ACCESS_KEY).
        type: str
      secret_key:
        description:
          - Secret key (SK) for AK/SK request signing.
          - Environment variable E(OS_SECRET_KEY).
        type: str
      security_token:
        description:
          - Security token of temporary AK/SK credentials, sent as C(X-Security-Token).
          - Environment variable E(OS_SECURITY_TOKEN).
        type: str
  auth_type:
    description:
      - How to authenticate.
      - When not set, it is taken from the highest-precedence source (module options, then environment, then
        C(clouds.yaml)) that either sets the auth type (E(OS_AUTH_TYPE), C(auth_type) of the cloud) or carries a
        credential. Within one source, a token is preferred over a user name and password, which are preferred
        over an access key and secret key. So O(auth.token) given as a module option wins over E(OS_AUTH_TYPE=aksk)
        in the environment.
      - C(clouds.yaml) names V(v3password) and V(v3token) are accepted as V(password) and V(token).
    type: str
    choices: [password, token, aksk]
  region_name:
    description:
      - Region, for example V(eu-de). Selects the catalog endpoint and fills the endpoint URL template.
      - Environment variable E(OS_REGION_NAME).
    type: str
  interface:
    description:
      - Which catalog endpoint to use.
      - Environment variable E(OS_INTERFACE). When no source sets it, V(public) is used.
    type: str
    choices: [public, internal, admin]
  validate_certs:
    description:
      - Whether to verify the TLS certificates of the ELB and identity endpoints.
      - When not set, C(verify) (or C(insecure)) of the cloud is used; when no source sets it, V(true).
      - Set to V(false) only for testing; the module then warns.
    type: bool
  ca_cert:
    description:
      - Path of a PEM CA bundle used to verify the TLS certificates, for servers signed by a private CA.
      - Environment variable E(OS_CACERT), then C(cacert) of the cloud.
    type: path
    aliases: [cacert]
  api_timeout:
    description:
      - Timeout in seconds of one HTTP request. When not set, V(30).
    type: int
  elb_type:
    description:
      - The kind of load balancer, that is which API the task speaks.
      - V(shared) is the shared ELB API v2.0 of Open Telekom Cloud and Huawei Cloud (paths C(/v2.0/lbaas/...)).
        OpenStack Octavia speaks the same API and is V(shared) here too; it is recognised from its answers.
      - V(dedicated) is the API v3 of dedicated load balancers (paths C(/v3/{project_id}/elb/...)). The project id
        comes from the password token's scope, else from O(auth.project_id). Without O(endpoint), password
        authentication takes the catalog entry of type V(elbv3) (then V(elb)); token and AK/SK authentication use
        V(https://elb.{region_name}.otc.t-systems.com).
      - A module option only (not read from the environment or C(clouds.yaml)); set it for every module of the
        collection at once with C(module_defaults) and C(group/lbaas.elb.elb).
      - When not set, V(shared).
    type: str
    choices: [shared, dedicated]
    version_added: 0.2.0
requirements:
  - Python 3.9 or newer on the host that runs the module
  - requests 2.31.0 or newer (with urllib3 2.2.0 or newer), the HTTP client
  - PyYAML, only to read a C(clouds.yaml) (ansible-core depends on it already)
notes:
  - >-
    Precedence, key by key: a module option (also one set through C(module_defaults)) wins over an environment
    variable, which wins over the C(clouds.yaml) entry. For example O(region_name=eu-nl) overrides
    E(OS_REGION_NAME=eu-de), and E(OS_PASSWORD) overrides the C(password) of the cloud while its C(username) is still used.
  - An environment variable that is set but empty counts as unset (the AWX credential injectors set optional fields to "").
  - >-
    Secrets (O(auth.password), O(auth.token), O(auth.secret_key), O(auth.security_token)) are never included in
    results or error messages, whether they come from module options, environment variables or C(clouds.yaml).
  - >-
    HTTP goes through the C(requests) library - proxies (E(https_proxy), E(no_proxy)) and E(REQUESTS_CA_BUNDLE) are
    read from the environment as C(requests) reads them; redirects are never followed. Credentials sent over
    C(http://) to a host that is not loopback give a warning.
"""
