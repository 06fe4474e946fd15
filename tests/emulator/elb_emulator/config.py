"""Runtime configuration: defaults, the fixed identities tests rely on, validation of updates, masking."""

import copy
import numbers

from .errors import ERROR_STYLES

PROJECT_NAME = "eu-de"
PROJECT_ID = "0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e"
DOMAIN_NAME = "demo-domain"
DOMAIN_ID = "5e1c9a7b3d2f4e6a8c0b1d3f5a7c9e2b"
REGION = "eu-de"

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"
DEMO_ACCESS_KEY = "DEMOACCESSKEY0000001"
DEMO_SECRET_KEY = "demo-secret-key-0000000000000001"

SUBNET_A1 = "7d1f3b5a-2c4e-4a6b-8d0f-1a3c5e7b9d20"
SUBNET_A2 = "7d1f3b5a-2c4e-4a6b-8d0f-1a3c5e7b9d21"
SUBNET_B1 = "9e2a4c6b-3d5f-4b7c-9e1a-2b4d6f8a0c31"

FLAVORS = ("elb", "octavia", "dedicated")
BATCH_DIALECTS = ("elb", "octavia", "none")
MASK = "******"

DEFAULTS = {
    "settle_time": 0.2,
    "health_delay": 0.3,
    "error_style": "neutron",
    "batch_dialect": "elb",
    "flavor": "elb",
    "default_limit": None,
    "ignore_filters": False,
    "v3_batch": True,
    "allow_admin_state_down": False,
    "members_per_pool": 500,
    "subnets": {SUBNET_A1: "vpc-a", SUBNET_A2: "vpc-a", SUBNET_B1: "vpc-b"},
    "users": [
        {"name": DEMO_USER, "password": DEMO_PASSWORD, "domain": DOMAIN_NAME, "domain_id": DOMAIN_ID, "project_name": PROJECT_NAME, "project_id": PROJECT_ID}
    ],
    "credentials": [{"access": DEMO_ACCESS_KEY, "secret": DEMO_SECRET_KEY, "project_id": PROJECT_ID}],
    "iam_echo_request_on_error": False,
    "token_ttl": 86400,
}

# The flavor is a preset: these keys follow it unless the same update sets them explicitly.
FLAVOR_PRESETS = {
    "elb": {"error_style": "neutron", "batch_dialect": "elb"},
    "octavia": {"error_style": "octavia", "batch_dialect": "octavia"},
    # Dedicated adds the v3 API; its v2.0 routes (shared load balancers in the same region) stay ELB-like.
    "dedicated": {"error_style": "neutron", "batch_dialect": "elb"},
}


class ConfigError(ValueError):
    """An update to the configuration that is not acceptable; nothing of it was applied."""


def default_config():
    return copy.deepcopy(DEFAULTS)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_choice(key, value, choices):
    if value not in choices:
        raise ConfigError("%s must be one of %s, not %r" % (key, ", ".join(choices), value))
    return value


def _check_bool(key, value):
    if not isinstance(value, bool):
        raise ConfigError("%s must be true or false, not %r" % (key, value))
    return value


def _check_subnets(value):
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in value.items()):
        raise ConfigError("subnets must be an object mapping subnet ids to VPC ids")
    return dict(value)


def _check_users(value):
    if not isinstance(value, list):
        raise ConfigError("users must be a list")
    users = []
    for user in value:
        if not isinstance(user, dict):
            raise ConfigError("each user must be an object")
        for key in ("name", "password", "domain", "project_name", "project_id"):
            if not isinstance(user.get(key), str) or not user[key]:
                raise ConfigError("each user needs a non-empty string %r" % key)
        unknown = set(user) - {"name", "password", "domain", "domain_id", "user_id", "project_name", "project_id"}
        if unknown:
            raise ConfigError("unknown user keys: %s" % ", ".join(sorted(unknown)))
        users.append(dict(user))
    return users


def _check_credentials(value):
    if not isinstance(value, list):
        raise ConfigError("credentials must be a list")
    credentials = []
    for credential in value:
        if not isinstance(credential, dict):
            raise ConfigError("each credential must be an object")
        for key in ("access", "secret", "project_id"):
            if not isinstance(credential.get(key), str) or not credential[key]:
                raise ConfigError("each credential needs a non-empty string %r" % key)
        if credential.get("security_token") is not None and not isinstance(credential["security_token"], str):
            raise ConfigError("security_token must be a string")
        unknown = set(credential) - {"access", "secret", "project_id", "security_token"}
        if unknown:
            raise ConfigError("unknown credential keys: %s" % ", ".join(sorted(unknown)))
        credentials.append(dict(credential))
    return credentials


def _check_value(key, value):
    if key == "settle_time":
        if not isinstance(value, numbers.Real) or isinstance(value, bool) or value < 0:
            raise ConfigError("settle_time must be a number of seconds >= 0")
        return float(value)
    if key == "health_delay":
        if not isinstance(value, numbers.Real) or isinstance(value, bool) or not 0 <= value <= 86400:
            raise ConfigError("health_delay must be a number of seconds between 0 and 86400")
        return float(value)
    if key == "error_style":
        return _check_choice(key, value, ERROR_STYLES)
    if key == "batch_dialect":
        return _check_choice(key, value, BATCH_DIALECTS)
    if key == "flavor":
        return _check_choice(key, value, FLAVORS)
    if key == "default_limit":
        if value is not None and (not _is_int(value) or value < 1):
            raise ConfigError("default_limit must be null or an integer >= 1")
        return value
    if key in ("ignore_filters", "allow_admin_state_down", "iam_echo_request_on_error", "v3_batch"):
        return _check_bool(key, value)
    if key == "members_per_pool":
        if not _is_int(value) or value < 0:
            raise ConfigError("members_per_pool must be an integer >= 0")
        return value
    if key == "token_ttl":
        if not isinstance(value, numbers.Real) or isinstance(value, bool) or value <= 0:
            raise ConfigError("token_ttl must be a number of seconds > 0")
        return value
    if key == "subnets":
        return _check_subnets(value)
    if key == "users":
        return _check_users(value)
    if key == "credentials":
        return _check_credentials(value)
    raise ConfigError("unknown configuration key %r" % key)


def merged_config(current, update):
    """Return a new configuration with ``update`` applied, or raise ConfigError and apply nothing."""
    if not isinstance(update, dict):
        raise ConfigError("the configuration must be a JSON object")
    result = copy.deepcopy(current)
    checked = {key: _check_value(key, value) for key, value in update.items()}
    if "flavor" in checked:
        for key, value in FLAVOR_PRESETS[checked["flavor"]].items():
            if key not in checked:
                result[key] = value
    result.update(checked)
    return result


def masked_config(config):
    """The configuration as GET /_emulator/config shows it: passwords and secrets never leave the server."""
    shown = copy.deepcopy(config)
    for user in shown["users"]:
        user["password"] = MASK
    for credential in shown["credentials"]:
        credential["secret"] = MASK
        if credential.get("security_token"):
            credential["security_token"] = MASK
    return shown
