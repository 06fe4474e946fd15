# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where each connection setting comes from, and its local checks (no Ansible imports).

Settings come in layers, highest precedence first: module options, environment (OS_*, ELB_ENDPOINT)
and clouds.yaml (clouds.py).  Each key is taken from the highest layer that sets it (an empty string
counts as unset); the auth type from the highest layer that sets auth_type or carries a credential.
The Open Telekom Cloud defaults (endpoint and IAM URL templates, default region) live here, once.
"""

from __future__ import annotations

import re

from .errors import ElbValidationError
from .validation import normalize_endpoint, validate_positive_int

AUTH_TYPES = ("password", "token", "aksk")
INTERFACES = ("public", "internal", "admin")
DEFAULT_INTERFACE = "public"
REGION_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
# Open Telekom Cloud: the ELB endpoint used when there is no endpoint and no service catalog (token or
# AK/SK auth), and the openstacksdk vendor profile ``otc`` of a clouds.yaml.
ENDPOINT_TEMPLATE = "https://elb.{region_name}.otc.t-systems.com"
VENDOR_AUTH_URLS = {"otc": "https://iam.{region_name}.otc.t-systems.com/v3"}
VENDOR_DEFAULT_REGIONS = {"otc": "eu-de"}

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
DEFAULT_API_TIMEOUT = 30
DEFAULTS = {"interface": DEFAULT_INTERFACE, "validate_certs": True, "api_timeout": DEFAULT_API_TIMEOUT}
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

# Values sent in HTTP headers (or in the IAM request next to them): they must be printable Latin-1, or
# a CR/LF could add a header and another character could not be encoded.
HEADER_SAFE_KEYS = ("token", "security_token", "access_key", "project_id", "project_name", "username", "user_domain_name", "user_domain_id")
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


def cloud_chosen(cloud, environ):
    """Whether a run uses clouds.yaml at all: a ``cloud`` (name or inline entry), ``OS_CLOUD`` or
    ``OS_CLIENT_CONFIG_FILE``. When none is set, no file is searched and clouds.py is not imported."""
    return cloud not in (None, "") or bool(environ.get("OS_CLOUD")) or bool(environ.get("OS_CLIENT_CONFIG_FILE"))


def cloud_layer(cloud, environ, cwd=None, home=None):
    """The clouds.yaml layer (``{}`` when no cloud is chosen); a clouds.yaml problem is a CloudConfigError."""
    if not cloud_chosen(cloud, environ):
        return {}
    # Imported here: most runs name no cloud, and then clouds.py (and PyYAML) are never loaded.
    from .clouds import load_cloud_layer  # pylint: disable=import-outside-toplevel

    if isinstance(cloud, int) and not isinstance(cloud, bool):
        cloud = str(cloud)  # YAML reads ``cloud: 2026`` as a number
    layer = load_cloud_layer(cloud, environ, cwd=cwd, home=home)
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


def layers_secrets(layers):
    """Every secret value of every layer, also those a higher layer overrides."""
    return [layer[key] for _source, layer in layers for key in SECRET_KEYS if layer.get(key)]


def is_header_safe(value):
    """Printable Latin-1 only: no CR, LF or other control character, nothing ``latin-1`` cannot encode."""
    return all(" " <= char <= "~" or "\xa0" <= char <= "\xff" for char in value)


def check_header_safe(settings, key):
    """Refuse a value that cannot go into an HTTP header as it is; the message never shows the value."""
    value = settings.get(key)
    if isinstance(value, str) and not is_header_safe(value):
        option = _source_option(settings, key)
        raise ElbValidationError(
            option,
            None,
            "printable Latin-1 characters",
            message=f"Invalid value for option '{option}': it contains a control character (such as CR or LF) or a "
            "character outside Latin-1, which cannot be sent in an HTTP header. Accepted: printable Latin-1 characters.",
        )


def _require(settings, keys, auth_type):
    missing = [key for key in keys if not settings.get(key)]
    if missing:
        labels = ", ".join(option_label(key) for key in missing)
        raise ElbValidationError(missing[0], None, "a value", message=f"auth_type {auth_type} needs {labels}")


def check_settings(settings):
    """Validate resolved settings locally; returns them with endpoint normalized."""
    for key in HEADER_SAFE_KEYS:
        check_header_safe(settings, key)
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
    if settings.get("region_name") and not REGION_RE.fullmatch(settings["region_name"]):
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
