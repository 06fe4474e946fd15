# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Settings resolution, authentication and endpoint discovery (no Ansible imports).

Settings come in layers, highest precedence first: module options, environment
(OS_*, ELB_ENDPOINT) and clouds.yaml (clouds.py).  Each key is taken from the
highest layer that sets it (an empty string counts as unset); the auth type from
the highest layer that sets auth_type or carries a credential.

Auth objects share one small interface used by ElbClient:
``sign(client, method, url, headers, body) -> dict`` of headers to add,
``renewable`` / ``invalidate()`` for the one re-authentication after a 401,
``secrets()`` for scrubbing, ``discover_endpoint(client)`` when no endpoint is set,
``unauthorized_hint`` appended to the message of a final 401.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timezone
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from .clouds import CloudConfigError, load_cloud_layer
from .errors import ElbApiError, ElbError, ElbValidationError
from .validation import normalize_endpoint, validate_positive_int

AUTH_TYPES = ("password", "token", "aksk")
INTERFACES = ("public", "internal", "admin")
DEFAULT_INTERFACE = "public"
# Used when no endpoint is set and there is no service catalog (token or AK/SK auth).
ENDPOINT_TEMPLATE = "https://elb.{region_name}.otc.t-systems.com"
REGION_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
CATALOG_SERVICE_TYPES = ("elb", "load-balancer", "network")

# Auth keys (module option auth.<key>) and top-level keys, with their environment variables.
AUTH_KEYS = (
    "auth_url",
    "username",
    "password",
    "user_domain_name",
    "user_domain_id",
    "project_name",
    "project_id",
    "token",
    "access_key",
    "secret_key",
    "security_token",
)
TOP_LEVEL_KEYS = ("endpoint", "auth_type", "region_name", "interface", "validate_certs", "ca_cert", "api_timeout")
# Applied after the layers are merged, so that a clouds.yaml ``verify: false`` is not hidden by a default.
DEFAULTS = {"interface": DEFAULT_INTERFACE, "validate_certs": True, "api_timeout": 30}
ENV_VARS = {
    "auth_url": ("OS_AUTH_URL",),
    "username": ("OS_USERNAME",),
    "password": ("OS_PASSWORD",),
    "user_domain_name": ("OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME"),
    "user_domain_id": ("OS_USER_DOMAIN_ID", "OS_DOMAIN_ID"),
    "project_name": ("OS_PROJECT_NAME",),
    "project_id": ("OS_PROJECT_ID",),
    "token": ("OS_AUTH_TOKEN",),
    "access_key": ("OS_ACCESS_KEY",),
    "secret_key": ("OS_SECRET_KEY",),
    "security_token": ("OS_SECURITY_TOKEN",),
    "region_name": ("OS_REGION_NAME",),
    "interface": ("OS_INTERFACE",),
    "auth_type": ("OS_AUTH_TYPE",),
    "endpoint": ("ELB_ENDPOINT",),
    "ca_cert": ("OS_CACERT",),
}
# Read by clouds.py to choose a cloud and find its files (not settings themselves).
CLOUD_ENV_VARS = ("OS_CLOUD", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE")
LAYER_MODULE = "module options"
LAYER_ENVIRONMENT = "environment"
LAYER_CLOUD = "clouds.yaml"
SECRET_KEYS = ("password", "token", "secret_key", "security_token")
# Which keys show that a layer carries a credential of each auth type, in order of preference.
CREDENTIAL_MARKERS = (
    ("token", ("token",)),
    ("password", ("username", "password")),
    ("aksk", ("access_key", "secret_key")),
)

TOKEN_REJECTED_HINT = (
    "The token was rejected (expired or invalid); a fixed token cannot be renewed: get a new one (for example by running "  # noqa: S105
    "lbaas.elb.elb_auth again), or use password authentication"
)
AKSK_REJECTED_HINT = (
    "The AK/SK signature was rejected: check access_key and secret_key (and security_token for "
    "temporary credentials), and that the local clock is within 15 minutes of the server's"
)
PASSWORD_REJECTED_HINT = (
    "IAM did not issue a token: check auth.auth_url, auth.username, auth.password, auth.user_domain_name and the project "  # noqa: S105
    "(auth.project_id or auth.project_name), wherever they come from (module options, OS_* variables or clouds.yaml)"
)
NO_CREDENTIALS_MESSAGE = (
    "No credentials: set auth.token, auth.username and auth.password, or auth.access_key and auth.secret_key "
    "(or OS_AUTH_TOKEN, OS_USERNAME and OS_PASSWORD, OS_ACCESS_KEY and OS_SECRET_KEY), "
    "or name a clouds.yaml entry with the cloud option (or OS_CLOUD, or OS_CLIENT_CONFIG_FILE naming a file with one cloud)"
)


def option_label(key):
    """How a setting is named in messages: the module option and its environment variables."""
    option = key if key in TOP_LEVEL_KEYS else f"auth.{key}"
    env = ENV_VARS.get(key)
    return "{} (or {})".format(option, " / ".join(env)) if env else option


# -- settings ------------------------------------------------------------------------------------------------------


def _is_set(value):
    return value is not None and value != ""


def module_layer(params):
    """The module options as a flat settings dict (unset and empty options left out)."""
    layer = {key: params.get(key) for key in TOP_LEVEL_KEYS if _is_set(params.get(key))}
    auth = params.get("auth") or {}
    layer.update((key, auth.get(key)) for key in AUTH_KEYS if _is_set(auth.get(key)))
    return layer


def environment_layer(environ):
    """The settings from OS_* and ELB_ENDPOINT; an empty variable counts as unset (AWX sets optional fields to "")."""
    layer = {}
    for key, names in ENV_VARS.items():
        for name in names:
            value = environ.get(name)
            if value:
                layer[key] = value
                break
    return layer


def cloud_layer(cloud, environ, cwd=None, home=None):
    """The clouds.yaml layer (``{}`` when no cloud is chosen); a clouds.yaml problem is a validation error."""
    if isinstance(cloud, int) and not isinstance(cloud, bool):
        cloud = str(cloud)  # YAML reads ``cloud: 2026`` as a number
    try:
        layer = load_cloud_layer(cloud, environ, cwd=cwd, home=home)
    except CloudConfigError as err:
        name = err.cloud if err.cloud is not None else (cloud if isinstance(cloud, str) else None)
        raise ElbValidationError("cloud", name, "a cloud of a readable clouds.yaml", message=err.message) from None
    return {key: value for key, value in layer.items() if key in AUTH_KEYS + TOP_LEVEL_KEYS and _is_set(value)}


def settings_layers(params, environ, cwd=None, home=None):
    """The settings layers, highest precedence first, as ``(source, dict)`` pairs:
    module options, environment, clouds.yaml (``params["cloud"]``, else OS_CLOUD / OS_CLIENT_CONFIG_FILE)."""
    return [
        (LAYER_MODULE, module_layer(params)),
        (LAYER_ENVIRONMENT, environment_layer(environ)),
        (LAYER_CLOUD, cloud_layer(params.get("cloud"), environ, cwd, home)),
    ]


def infer_auth_type(layer):
    for auth_type, markers in CREDENTIAL_MARKERS:
        if any(layer.get(key) for key in markers):
            return auth_type
    return None


def merge_layers(layers):
    """Merge settings layers: per key the highest layer wins; the auth type comes from the highest layer
    that sets auth_type or carries a credential.  Returns a dict with every key plus ``sources``."""
    settings = {key: None for key in AUTH_KEYS + TOP_LEVEL_KEYS}
    sources = {}
    for source, layer in reversed(layers):
        for key, value in layer.items():
            if _is_set(value):
                settings[key] = value
                sources[key] = source
    auth_type = None
    for source, layer in layers:
        auth_type = layer.get("auth_type") or infer_auth_type(layer)
        if auth_type:
            sources["auth_type"] = source
            break
    settings["auth_type"] = auth_type
    for key, default in DEFAULTS.items():
        if settings[key] is None:
            settings[key] = default
    settings["sources"] = sources
    return settings


def resolve_settings(params, environ, cwd=None, home=None):
    """Resolve the connection settings from the module options, the environment and clouds.yaml."""
    return merge_layers(settings_layers(params, environ, cwd, home))


def layers_secrets(layers):
    """Every secret value of every layer, also those a higher layer overrides."""
    return [layer[key] for _source, layer in layers for key in SECRET_KEYS if layer.get(key)]


def _require(settings, keys, auth_type):
    missing = [key for key in keys if not settings.get(key)]
    if missing:
        labels = ", ".join(option_label(key) for key in missing)
        raise ElbValidationError(missing[0], None, "a value", message=f"auth_type {auth_type} needs {labels}")


def check_settings(settings):
    """Validate resolved settings locally; returns them with endpoint normalized."""
    auth_type = settings.get("auth_type")
    if auth_type is None:
        raise ElbValidationError("auth", None, "credentials", message=NO_CREDENTIALS_MESSAGE)
    if auth_type not in AUTH_TYPES:
        raise ElbValidationError(_source_option(settings, "auth_type"), auth_type, ", ".join(AUTH_TYPES))
    if settings["interface"] not in INTERFACES:
        raise ElbValidationError(_source_option(settings, "interface"), settings["interface"], ", ".join(INTERFACES))
    if auth_type == "token":
        _require(settings, ("token",), auth_type)
    elif auth_type == "password":
        _require(settings, ("auth_url", "username", "password"), auth_type)
        if not settings.get("user_domain_name") and not settings.get("user_domain_id"):
            raise ElbValidationError(
                "auth.user_domain_name",
                None,
                "a value",
                message="auth_type password needs {} or {}".format(option_label("user_domain_name"), option_label("user_domain_id")),
            )
        if not settings.get("project_id") and not settings.get("project_name"):
            raise ElbValidationError(
                "auth.project_id", None, "a value", message="auth_type password needs {} or {}".format(option_label("project_id"), option_label("project_name"))
            )
        normalize_endpoint(_source_option(settings, "auth_url"), settings["auth_url"])
    else:
        _require(settings, ("access_key", "secret_key"), auth_type)
    if settings.get("endpoint"):
        settings["endpoint"] = normalize_endpoint(_source_option(settings, "endpoint"), settings["endpoint"])
    elif auth_type != "password":
        region = settings.get("region_name")
        if not region:
            raise ElbValidationError(
                "endpoint",
                None,
                "a URL",
                message="auth_type {} has no service catalog: set {}, or {} to use {}".format(
                    auth_type, option_label("endpoint"), option_label("region_name"), ENDPOINT_TEMPLATE
                ),
            )
    if settings.get("region_name") and not REGION_RE.match(settings["region_name"]):
        raise ElbValidationError(
            _source_option(settings, "region_name"), settings["region_name"], "a region name such as eu-de (lowercase letters, digits and -)"
        )
    if settings.get("api_timeout") is not None:
        validate_positive_int("api_timeout", settings["api_timeout"])
    return settings


def _source_option(settings, key):
    """The option or variable the value of ``key`` came from, for messages."""
    source = settings.get("sources", {}).get(key)
    option = key if key in TOP_LEVEL_KEYS else f"auth.{key}"
    if source == LAYER_ENVIRONMENT:
        return next(name for name in ENV_VARS[key])
    if source == LAYER_CLOUD:
        return f"{key} (from clouds.yaml)"
    return option


def build_auth(settings, now=None):
    """The auth object for checked settings."""
    auth_type = settings["auth_type"]
    if auth_type == "token":
        return TokenAuth(settings["token"], region_name=settings.get("region_name"))
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
    if not region_name or not REGION_RE.match(region_name):
        raise ElbValidationError(
            "region_name",
            region_name,
            "a region name such as eu-de",
            message=f"No endpoint: set the endpoint option (or ELB_ENDPOINT), or region_name (or OS_REGION_NAME) to use {ENDPOINT_TEMPLATE}",
        )
    return ENDPOINT_TEMPLATE.format(region_name=region_name)


def endpoint_from_catalog(catalog, region_name=None, interface=DEFAULT_INTERFACE):
    """The ELB base URL from a Keystone v3 catalog: type elb, then load-balancer, then network."""
    for service_type in CATALOG_SERVICE_TYPES:
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
            interface, ", ".join(CATALOG_SERVICE_TYPES), where
        )
    )


# -- auth methods --------------------------------------------------------------------------------------------------


class TokenAuth:
    """A fixed Keystone/IAM token sent as X-Auth-Token; it cannot be renewed."""

    renewable = False
    unauthorized_hint = TOKEN_REJECTED_HINT

    def __init__(self, token, region_name=None):
        self.token = token
        self.region_name = region_name

    def sign(self, client, method, url, headers, body):
        return {"X-Auth-Token": self.token}

    def invalidate(self):
        pass

    def secrets(self):
        return [self.token]

    def discover_endpoint(self, client):
        return endpoint_from_template(self.region_name)


def identity_token_url(auth_url):
    """``<auth_url>/auth/tokens``, with ``/v3`` added when auth_url names no version."""
    base = auth_url.rstrip("/")
    if not re.search(r"/v\d+(\.\d+)?$", base):
        base += "/v3"
    return base + "/auth/tokens"


class PasswordAuth:
    """Keystone v3 password authentication through IAM, done lazily on the first request."""

    renewable = True
    unauthorized_hint = None

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
    ):
        self.token_url = identity_token_url(auth_url)
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

    def request_body(self):
        project = {"id": self.project_id} if self.project_id else {"name": self.project_name}
        domain = {"name": self.user_domain_name} if self.user_domain_name else {"id": self.user_domain_id}
        return {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": self.username,
                            "password": self.password,
                            "domain": domain,
                        }
                    },
                },
                "scope": {"project": project},
            }
        }

    def authenticate(self, client):
        try:
            response = client.request(
                "POST",
                self.token_url,
                body=self.request_body(),
                expected=(201,),
                authenticate=False,
                idempotent=True,
                headers={"Content-Type": "application/json;charset=utf8"},
                retry_busy=False,
            )
        except ElbApiError as err:
            raise err.with_hint(PASSWORD_REJECTED_HINT) from None
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

    def sign(self, client, method, url, headers, body):
        if self.token is None:
            self.authenticate(client)
        return {"X-Auth-Token": self.token}

    def invalidate(self):
        self.token = None

    def secrets(self):
        return [s for s in (self.password, self.token) if s]

    def discover_endpoint(self, client):
        if self.catalog is None:
            self.authenticate(client)
        return endpoint_from_catalog(self.catalog, self.region_name, self.interface)


# -- AK/SK signing (SDK-HMAC-SHA256) -------------------------------------------------------------------------------

SDK_ALGORITHM = "SDK-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
SDK_DATE_HEADER = "X-Sdk-Date"


def sdk_escape(value):
    """Percent-encode everything except A-Z a-z 0-9 - _ . ~ (uppercase hex), like the SDK signer."""
    return quote(value, safe="~")


def canonical_uri(path):
    """Each path segment (decoded, then re-encoded); a trailing ``/`` is always present."""
    uri = "/".join(sdk_escape(unquote(segment)) for segment in (path or "/").split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query):
    pairs = {}
    for key, value in parse_qsl(query or "", keep_blank_values=True):
        pairs.setdefault(key, []).append(value)
    return "&".join(f"{sdk_escape(key)}={sdk_escape(value)}" for key in sorted(pairs) for value in sorted(pairs[key]))


def canonical_request(method, path, query, headers, body):
    """The canonical request of SDK-HMAC-SHA256; ``headers`` are exactly the headers to sign."""
    names = sorted(name.lower() for name in headers)
    values = {name.lower(): str(value).strip() for name, value in headers.items()}
    content_hash = values.get("x-sdk-content-sha256") or hashlib.sha256(body or b"").hexdigest()
    return "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            "".join(f"{name}:{values[name]}\n" for name in names),
            ";".join(names),
            content_hash,
        ]
    )


def string_to_sign(canonical, sdk_date):
    return "{}\n{}\n{}".format(SDK_ALGORITHM, sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def sdk_signature(secret_key, text):
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(access_key, secret_key, *, method, path, query, headers, body):
    """The ``Authorization`` value for a request; ``headers`` must include X-Sdk-Date and are all signed."""
    sdk_date = next(value for name, value in headers.items() if name.lower() == SDK_DATE_HEADER.lower())
    canonical = canonical_request(method, path, query, headers, body)
    signature = sdk_signature(secret_key, string_to_sign(canonical, sdk_date))
    signed = ";".join(sorted(name.lower() for name in headers))
    return f"{SDK_ALGORITHM} Access={access_key}, SignedHeaders={signed}, Signature={signature}"


def host_header(url):
    """The Host header as http.client sends it: hostname, and the port only when it is not the default."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default = 443 if parts.scheme == "https" else 80
    if parts.port and parts.port != default:
        host += f":{parts.port}"
    return host


class AkSkAuth:
    """Access key / secret key signing (SDK-HMAC-SHA256) of every request."""

    renewable = False
    unauthorized_hint = AKSK_REJECTED_HINT

    def __init__(self, access_key, secret_key, *, project_id=None, security_token=None, region_name=None, now=None):
        self.access_key = access_key
        self.secret_key = secret_key
        self.project_id = project_id
        self.security_token = security_token
        self.region_name = region_name
        self.now = now or (lambda: datetime.now(timezone.utc))

    def sign(self, client, method, url, headers, body):
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

    def invalidate(self):
        pass

    def secrets(self):
        return [s for s in (self.secret_key, self.security_token) if s]

    def discover_endpoint(self, client):
        return endpoint_from_template(self.region_name)
