# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authentication: a fixed token, Keystone v3 password auth through IAM, AK/SK signing; and finding the
ELB endpoint (no Ansible imports).

An auth object never sends a request. It decorates the requests of ElbClient, which calls it as a
``requests`` auth (``auth(prepared_request)`` adds headers). When it needs a token first
(``needs_token``), it describes the IAM request (``token_request()``) and the client sends it and hands
the answer back (``accept_token(response)``). The rest of its interface: ``renewable`` and
``invalidate()`` for the one re-authentication after a 401, ``secrets()`` for scrubbing,
``discover_endpoint()`` when no endpoint is set, and ``unauthorized_hint`` for the message of a final 401.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

from .errors import ElbError, ElbValidationError
from .settings import DEFAULT_INTERFACE, ENDPOINT_TEMPLATE, REGION_RE
from .validation import normalize_endpoint

CATALOG_SERVICE_TYPES = ("elb", "load-balancer", "network")

STALE_FIXED_CREDENTIAL_HINT = (
    "The token was rejected (expired or invalid); a fixed token cannot be renewed: get a new one (for example by running "
    "lbaas.elb.elb_auth again), or use password authentication"
)
AKSK_REJECTED_HINT = (
    "The AK/SK signature was rejected: check access_key and secret_key (and security_token for "
    "temporary credentials), and that the local clock is within 15 minutes of the server's"
)
IAM_REJECTED_HINT = (
    "IAM did not issue a token: check auth.auth_url, auth.username, auth.password, auth.user_domain_name and the project "
    "(auth.project_id or auth.project_name), wherever they come from (module options, OS_* variables or clouds.yaml)"
)


def build_auth(settings, now=None, catalog_types=CATALOG_SERVICE_TYPES):
    """The auth object for checked settings; ``catalog_types``: the catalog entries that may hold the endpoint."""
    auth_type = settings["auth_type"]
    if auth_type == "token":
        return TokenAuth(settings["token"], region_name=settings.get("region_name"), project_id=settings.get("project_id"))
    if auth_type == "password":
        return PasswordAuth(
            settings["auth_url"],
            settings["username"],
            settings["password"],
            settings.get("user_domain_name"),
            user_domain_id=settings.get("user_domain_id"),
            project_id=settings.get("project_id"),
            project_name=settings.get("project_name"),
            region_name=settings.get("region_name"),
            interface=settings["interface"],
            catalog_types=catalog_types,
        )
    return AkSkAuth(
        settings["access_key"],
        settings["secret_key"],
        project_id=settings.get("project_id"),
        security_token=settings.get("security_token"),
        region_name=settings.get("region_name"),
        now=now,
    )


# -- endpoint discovery --------------------------------------------------------------------------------------------


def endpoint_from_template(region_name):
    if not region_name or not REGION_RE.fullmatch(region_name):
        raise ElbValidationError(
            "region_name",
            region_name,
            "a region name such as eu-de",
            message=f"No endpoint: set the endpoint option (or ELB_ENDPOINT), or region_name (or OS_REGION_NAME) to use {ENDPOINT_TEMPLATE}",
        )
    return ENDPOINT_TEMPLATE.format(region_name=region_name)


def endpoint_from_catalog(catalog, region_name=None, interface=DEFAULT_INTERFACE, service_types=CATALOG_SERVICE_TYPES):
    """The ELB base URL from a Keystone v3 catalog: the first entry of ``service_types`` (by default elb,
    then load-balancer, then network)."""
    for service_type in service_types:
        for service in catalog or ():
            if not isinstance(service, dict) or service.get("type") != service_type:
                continue
            for endpoint in service.get("endpoints") or ():
                if not isinstance(endpoint, dict) or not endpoint.get("url"):
                    continue
                if endpoint.get("interface", DEFAULT_INTERFACE) != interface:
                    continue
                if region_name and region_name not in (endpoint.get("region"), endpoint.get("region_id")):
                    continue
                return normalize_endpoint(f"the service catalog's {service_type} endpoint", endpoint["url"])
    where = f" in region {region_name}" if region_name else ""
    raise ElbError(
        "The service catalog has no {} endpoint (types tried: {}){}: set the endpoint option (or ELB_ENDPOINT)".format(
            interface, ", ".join(service_types), where
        )
    )


# -- auth methods --------------------------------------------------------------------------------------------------


class TokenAuth:
    """A fixed Keystone/IAM token sent as X-Auth-Token; it cannot be renewed."""

    renewable = False
    needs_token = False
    unauthorized_hint = STALE_FIXED_CREDENTIAL_HINT

    def __init__(self, token, region_name=None, project_id=None):
        self.token = token
        self.region_name = region_name
        self.project_id = project_id

    def scope_project_id(self):
        # A fixed token's scope is not known without asking IAM: the configured project id stands for it.
        return self.project_id

    def __call__(self, request):
        request.headers["X-Auth-Token"] = self.token
        return request

    def invalidate(self):
        pass

    def secrets(self):
        return [self.token]

    def discover_endpoint(self):
        return endpoint_from_template(self.region_name)


def identity_token_url(auth_url):
    """``<auth_url>/auth/tokens``, with ``/v3`` added when auth_url names no version."""
    base = auth_url.rstrip("/")
    if not re.search(r"/v\d+(\.\d+)?$", base):
        base += "/v3"
    return base + "/auth/tokens"


class PasswordAuth:
    """Keystone v3 password authentication through IAM; the client fetches the token on first use."""

    renewable = True
    unauthorized_hint = None
    rejected_hint = IAM_REJECTED_HINT

    def __init__(
        self,
        auth_url,
        username,
        password,
        user_domain_name,
        *,
        user_domain_id=None,
        project_id=None,
        project_name=None,
        region_name=None,
        interface=DEFAULT_INTERFACE,
        catalog_types=CATALOG_SERVICE_TYPES,
    ):
        self.token_url = identity_token_url(auth_url)
        self.catalog_types = catalog_types
        self.username = username
        self.password = password
        self.user_domain_name = user_domain_name
        self.user_domain_id = user_domain_id
        self.project_id = project_id
        self.project_name = project_name
        self.region_name = region_name
        self.interface = interface
        self.token = None
        self.catalog = None
        # From the body of the last token answer (None until then, or when IAM leaves them out).
        self.expires_at = None
        self.token_project_id = None

    @property
    def needs_token(self):
        return self.token is None

    def token_request(self):
        """The IAM request that issues a token: ``{"url", "body", "headers"}`` of a POST."""
        project = {"id": self.project_id} if self.project_id else {"name": self.project_name}
        domain = {"name": self.user_domain_name} if self.user_domain_name else {"id": self.user_domain_id}
        body = {
            "auth": {
                "identity": {"methods": ["password"], "password": {"user": {"name": self.username, "password": self.password, "domain": domain}}},
                "scope": {"project": project},
            }
        }
        return {"url": self.token_url, "body": body, "headers": {"Content-Type": "application/json;charset=utf8"}}

    def accept_token(self, response):
        """Take the token (X-Subject-Token), catalog, expiry and project from IAM's 201 answer."""
        token = response.headers.get("X-Subject-Token")
        if not token:
            raise response.unusable("the X-Subject-Token header is missing")
        self.token = token
        body = response.json() if response.body else None
        token_body = body.get("token") if isinstance(body, dict) and isinstance(body.get("token"), dict) else {}
        self.catalog = token_body.get("catalog") if isinstance(token_body.get("catalog"), list) else []
        self.expires_at = token_body.get("expires_at") if isinstance(token_body.get("expires_at"), str) else None
        project = token_body.get("project") if isinstance(token_body.get("project"), dict) else {}
        self.token_project_id = project.get("id") if isinstance(project.get("id"), str) else None
        return token

    def __call__(self, request):
        request.headers["X-Auth-Token"] = self.token
        return request

    def invalidate(self):
        self.token = None

    def secrets(self):
        return [s for s in (self.password, self.token) if s]

    def discover_endpoint(self):
        return endpoint_from_catalog(self.catalog, self.region_name, self.interface, self.catalog_types)

    def scope_project_id(self):
        return self.token_project_id or self.project_id


class AkSkAuth:
    """Access key / secret key signing (SDK-HMAC-SHA256, aksk.py) of every request."""

    renewable = False
    needs_token = False
    unauthorized_hint = AKSK_REJECTED_HINT

    def __init__(self, access_key, secret_key, *, project_id=None, security_token=None, region_name=None, now=None):
        self.access_key = access_key
        self.secret_key = secret_key
        self.project_id = project_id
        self.security_token = security_token
        self.region_name = region_name
        self.now = now or (lambda: datetime.now(timezone.utc))

    def signed_headers(self, method, url, body):
        """The headers that sign a request: Host, X-Sdk-Date, X-Project-Id, X-Security-Token, Authorization."""
        # Imported here: only AK/SK runs sign, and the signer is not loaded for the others.
        from .aksk import SDK_DATE_FORMAT, SDK_DATE_HEADER, authorization_header, host_header  # pylint: disable=import-outside-toplevel

        parts = urlsplit(url)
        signed = {"Host": host_header(url), SDK_DATE_HEADER: self.now().strftime(SDK_DATE_FORMAT)}
        if self.project_id:
            signed["X-Project-Id"] = self.project_id
        if self.security_token:
            signed["X-Security-Token"] = self.security_token
        signed["Authorization"] = authorization_header(
            self.access_key, self.secret_key, method=method, path=parts.path, query=parts.query, headers=signed, body=body
        )
        return signed

    def __call__(self, request):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        request.headers.update(self.signed_headers(request.method, request.url, body))
        return request

    def invalidate(self):
        pass

    def scope_project_id(self):
        return self.project_id

    def secrets(self):
        return [s for s in (self.secret_key, self.security_token) if s]

    def discover_endpoint(self):
        return endpoint_from_template(self.region_name)
