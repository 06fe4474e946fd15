# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Read an OpenStack ``clouds.yaml`` into one flat settings layer (no Ansible imports).

``load_cloud_layer`` returns a plain dict with the keys ``settings.py`` knows (``auth_url``, ``username``,
``password``, ``region_name``, ...).  ``settings.py`` puts it below the module options and the environment:
per key, module option > environment (``OS_*``) > clouds.yaml.

Files are found the way openstacksdk / os-client-config find them:

* ``OS_CLIENT_CONFIG_FILE`` when set, and then only that file (openstacksdk would go on searching;
  a file named explicitly should not be mixed with whatever else lies around);
* otherwise the first of ``clouds.yaml`` / ``clouds.yml`` / ``clouds.json`` in the current directory,
  ``$XDG_CONFIG_HOME/openstack`` (when that variable is set), ``~/.config/openstack`` and
  ``/etc/openstack``.

``secure.yaml`` (``OS_CLIENT_SECURE_FILE``, else the first ``secure.{yaml,yml,json}`` in the same
directories) is deep-merged over the ``clouds`` mapping, so passwords can live in a separate file;
its values win.

Which cloud is used:

* the ``cloud`` argument (a name, or a dict that is an inline cloud entry used as is, without any file);
* else ``OS_CLOUD``;
* else, only when ``OS_CLIENT_CONFIG_FILE`` is set and its file holds exactly one cloud, that cloud.
  This is how AWX / AAP hand over their OpenStack credential: they write a clouds.yaml with a single
  cloud and set ``OS_CLIENT_CONFIG_FILE``, without setting ``OS_CLOUD``;
* else no cloud at all: ``{}``, without searching or reading any file (nor importing PyYAML).  A
  clouds.yaml in the search path is never guessed from, even when it holds one cloud, so a stray file
  cannot silently supply credentials (nor break a run by being malformed).

Not supported (openstacksdk features this collection does not need): vendor profiles other than ``otc``,
``clouds-public.yaml``, per-region ``values`` in a ``regions`` list, and service settings other than the
ELB endpoint override.

Errors are ``CloudConfigError``: they name the file, the cloud, keys and types, never a value read from a file.
"""

from __future__ import annotations

import os

from .errors import CloudConfigError
from .settings import SECRET_KEYS, VENDOR_AUTH_URLS, VENDOR_DEFAULT_REGIONS, cloud_chosen

# A module-level constant so that tests can point it elsewhere.
SYSTEM_CONFIG_DIR = "/etc/openstack"
CONFIG_FILE_NAMES = ("clouds.yaml", "clouds.yml", "clouds.json")
SECURE_FILE_NAMES = ("secure.yaml", "secure.yml", "secure.json")

# Output key -> the names it may be written as, looked up in the cloud's ``auth`` mapping first and at
# the cloud's top level second (openstacksdk moves top-level auth keys into ``auth``; OTC users often
# write ``ak``/``sk`` at the top level, as python-otcextensions expects).
AUTH_KEY_NAMES = (
    ("auth_url", ("auth_url",)),
    ("username", ("username", "user_name")),
    ("password", ("password",)),
    ("user_domain_name", ("user_domain_name", "domain_name")),
    ("user_domain_id", ("user_domain_id", "domain_id")),
    ("project_name", ("project_name", "tenant_name")),
    ("project_id", ("project_id", "tenant_id")),
    ("token", ("token", "auth_token")),
    ("access_key", ("access_key", "ak")),
    ("secret_key", ("secret_key", "sk")),
    ("security_token", ("security_token",)),
)
# Secrets (settings.SECRET_KEYS) are taken exactly as written (no stripping of blanks).
# Output key -> names looked up at the cloud's top level only.
TOP_LEVEL_KEY_NAMES = (
    ("region_name", ("region_name",)),
    ("interface", ("interface", "endpoint_type")),
    ("endpoint", ("elb_endpoint_override", "load_balancer_endpoint_override")),
    ("ca_cert", ("cacert",)),
)
# openstacksdk / keystoneauth plugin names -> the auth types of settings.py.  Other names are passed on
# unchanged, so that settings.py rejects them with its own message instead of silently using another type.
AUTH_TYPE_NAMES = {
    "password": "password",
    "v3password": "password",
    "token": "token",
    "v3token": "token",
    "aksk": "aksk",
}
TRUE_STRINGS = ("1", "true", "yes", "on")
FALSE_STRINGS = ("0", "false", "no", "off")


# -- finding files ---------------------------------------------------------------------------------------------------


def _home_dir(environ, home):
    return home or environ.get("HOME") or os.path.expanduser("~")


def _expand_path(path, cwd, home):
    if path == "~" or path.startswith("~/"):
        path = home + path[1:]
    return os.path.join(cwd, path)  # an absolute path stays as it is


def _search_dirs(environ, cwd, home):
    dirs = [cwd]
    xdg_config_home = environ.get("XDG_CONFIG_HOME")
    if xdg_config_home and os.path.isabs(xdg_config_home):
        dirs.append(os.path.join(xdg_config_home, "openstack"))
    dirs.extend([os.path.join(home, ".config", "openstack"), SYSTEM_CONFIG_DIR])
    unique = []
    for directory in dirs:
        if directory not in unique:
            unique.append(directory)
    return unique


def _find_files(override_var, names, environ, cwd, home):
    environ = os.environ if environ is None else environ
    cwd = cwd or os.getcwd()
    home = _home_dir(environ, home)
    override = environ.get(override_var)
    if override:
        path = _expand_path(override, cwd, home)
        return [path] if os.path.isfile(path) else []
    return [os.path.join(directory, name) for directory in _search_dirs(environ, cwd, home) for name in names if os.path.isfile(os.path.join(directory, name))]


def find_config_files(environ=None, cwd=None, home=None):
    """The existing clouds.yaml files, in search order; the first one is the one that is read.

    With ``OS_CLIENT_CONFIG_FILE`` set, this is that file alone (or nothing when it does not exist).
    ``environ`` defaults to ``os.environ``, ``cwd`` to the current directory and ``home`` to ``$HOME``.
    """
    return _find_files("OS_CLIENT_CONFIG_FILE", CONFIG_FILE_NAMES, environ, cwd, home)


def find_secure_files(environ=None, cwd=None, home=None):
    """The existing secure.yaml files, in search order (``OS_CLIENT_SECURE_FILE`` alone when set)."""
    return _find_files("OS_CLIENT_SECURE_FILE", SECURE_FILE_NAMES, environ, cwd, home)


# -- reading files ---------------------------------------------------------------------------------------------------


def _yaml_problem(exc):
    """Where and what a YAML error is, without PyYAML's excerpt of the offending line (it may hold a secret)."""
    parts = []
    for text in (getattr(exc, "context", None), getattr(exc, "problem", None)):
        if isinstance(text, str) and text:
            parts.append(text)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    what = ": " + ", ".join(parts) if parts else ""
    return what + where


def _read_config(path):
    """The parsed file as a dict whose ``clouds`` is a dict (possibly empty)."""
    import yaml  # pylint: disable=import-outside-toplevel  # lazily: most runs never read a clouds.yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, "rb") as stream:
            data = yaml.load(stream, Loader=loader)  # noqa: S506  # the loader is CSafeLoader or SafeLoader
    except OSError as exc:
        raise CloudConfigError(f"Cannot read the OpenStack config file {path}: {exc.strerror or exc}", path=path) from None
    except yaml.YAMLError as exc:
        raise CloudConfigError(f"The OpenStack config file {path} is not valid YAML{_yaml_problem(exc)}", path=path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CloudConfigError(f"The OpenStack config file {path} must hold a mapping at the top, not a {_type_name(data)}", path=path)
    clouds = data.get("clouds")
    if clouds is None:
        clouds = {}
    if not isinstance(clouds, dict):
        raise CloudConfigError(f"In the OpenStack config file {path}, 'clouds' must be a mapping, not a {_type_name(clouds)}", path=path)
    return {str(name): entry for name, entry in clouds.items()}


def _deep_merge(base, override):
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _type_name(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


# -- building the layer ----------------------------------------------------------------------------------------------


def _normalize_keys(mapping):
    """Keys as openstacksdk sees them: ``project-id`` and ``project_id`` are the same key."""
    return {str(key).replace("-", "_"): value for key, value in mapping.items()}


def _string(value, key, where, strip=True):
    """A setting as a string; YAML may have turned ``password: 123456`` into an int."""
    if isinstance(value, str):
        return value.strip() if strip else value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CloudConfigError(f"In {where}, '{key}' must be a string, not a {_type_name(value)} (quote the value)")
    return str(value)


def _boolean(value, key, where):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_STRINGS:
        return True
    if isinstance(value, str) and value.strip().lower() in FALSE_STRINGS:
        return False
    raise CloudConfigError(f"In {where}, '{key}' must be a boolean (true or false)")


def _first(mappings, names):
    """The first name set (not None, not empty) in the first mapping that has one: ``(name, value)``."""
    for mapping in mappings:
        for name in names:
            value = mapping.get(name)
            if value is not None and value != "":
                return name, value
    return None, None


def _region_from_list(regions, where):
    if not isinstance(regions, list) or not regions:
        return None
    first = regions[0]
    if isinstance(first, dict):
        first = first.get("name")
    return _string(first, "regions", where) if first not in (None, "") else None


def cloud_entry_to_layer(entry, where, home=None):
    """Map one cloud entry (the mapping under ``clouds.<name>``) to the settings layer.

    ``where`` describes the entry for error messages (file and cloud name); ``home`` expands ``~`` in cacert.
    """
    if not isinstance(entry, dict):
        raise CloudConfigError(f"{where[0].upper() + where[1:]} must be a mapping, not a {_type_name(entry)}")
    top = _normalize_keys(entry)
    auth = top.get("auth")
    if auth is None:
        auth = {}
    if not isinstance(auth, dict):
        raise CloudConfigError(f"In {where}, 'auth' must be a mapping, not a {_type_name(auth)}")
    auth = _normalize_keys(auth)

    layer = {}
    for key, names in AUTH_KEY_NAMES:
        name, value = _first((auth, top), names)
        if name is not None:
            layer[key] = _string(value, name, where, strip=key not in SECRET_KEYS)
    for key, names in TOP_LEVEL_KEY_NAMES:
        name, value = _first((top,), names)
        if name is not None:
            layer[key] = _string(value, name, where)

    if "region_name" not in layer:
        region = _region_from_list(top.get("regions"), where)
        if region:
            layer["region_name"] = region

    name, value = _first((top,), ("auth_type", "auth_plugin"))
    if name is not None:
        auth_type = _string(value, name, where).lower()
        layer["auth_type"] = AUTH_TYPE_NAMES.get(auth_type, auth_type)

    interface = layer.get("interface")
    if interface:
        # Keystone v2 style names (publicURL, internalURL) as openstacksdk accepts them.
        interface = interface[:-3] if interface.lower().endswith("url") else interface
        layer["interface"] = interface.lower()

    name, value = _first((top,), ("verify",))
    if name is not None:
        layer["validate_certs"] = _boolean(value, name, where)
    else:
        name, value = _first((top,), ("insecure",))
        if name is not None:
            layer["validate_certs"] = not _boolean(value, name, where)

    ca_cert = layer.get("ca_cert")
    if ca_cert and home and (ca_cert == "~" or ca_cert.startswith("~/")):
        layer["ca_cert"] = home + ca_cert[1:]

    _apply_vendor_profile(top, layer, where)
    return layer


def _apply_vendor_profile(top, layer, where):
    name, value = _first((top,), ("profile", "cloud"))
    if name is None:
        return
    profile = _string(value, name, where).lower()
    if profile not in VENDOR_AUTH_URLS:
        return  # vendor data of openstacksdk is not shipped here; settings.py reports what is then missing
    region = layer.setdefault("region_name", VENDOR_DEFAULT_REGIONS[profile])
    layer.setdefault("auth_url", VENDOR_AUTH_URLS[profile].format(region_name=region))


# -- secrets of an inline entry ----------------------------------------------------------------------------------------

# The names a secret may have in a cloud entry (after ``-`` -> ``_``), at any depth.
INLINE_SECRET_NAMES = ("password", "token", "auth_token", "secret_key", "sk", "security_token", "application_credential_secret")


def inline_cloud_secrets(entry):
    """The secret values of an inline cloud entry (the module option ``cloud`` given as a mapping).

    The option cannot be ``no_log`` as a whole: that would mask every cloud *name* wherever it appears in
    the output.  The caller registers these values for masking instead.  Anything that is not a mapping
    gives ``[]``.
    """
    found = []
    if isinstance(entry, dict):
        for key, value in entry.items():
            if isinstance(value, (dict, list)):
                found.extend(inline_cloud_secrets(value))
            elif str(key).replace("-", "_").lower() in INLINE_SECRET_NAMES and value not in (None, ""):
                found.append(str(value))
    elif isinstance(entry, list):
        for item in entry:
            found.extend(inline_cloud_secrets(item))
    return found


# -- the entry point -------------------------------------------------------------------------------------------------


def _describe_files(config_path, secure_path):
    if config_path and secure_path:
        return f"{config_path} (with {secure_path})"
    return config_path or secure_path


def load_cloud_layer(cloud, environ=None, cwd=None, home=None):
    """The clouds.yaml settings layer for ``cloud`` (a name, an inline entry, or None: see the module
    docstring for which cloud is used); ``{}`` when no cloud is chosen. ``environ`` defaults to
    ``os.environ``, ``cwd`` to the current directory, ``home`` to ``$HOME``. Raises CloudConfigError.
    """
    environ = os.environ if environ is None else environ
    if isinstance(cloud, dict):
        return cloud_entry_to_layer(cloud, "the inline cloud entry", _home_dir(environ, home))
    if cloud is not None and not isinstance(cloud, str):
        raise CloudConfigError(f"The cloud must be a name or a mapping, not a {_type_name(cloud)}")
    if not cloud_chosen(cloud, environ):
        return {}  # no file is searched, read or parsed (and yaml is not imported)
    name = cloud or environ.get("OS_CLOUD") or None
    config_files = find_config_files(environ, cwd, home)
    config_path = config_files[0] if config_files else None
    clouds = _read_config(config_path) if config_path else {}

    if name is None:
        if not (environ.get("OS_CLIENT_CONFIG_FILE") and config_path and len(clouds) == 1):
            return {}
        name = next(iter(clouds))

    secure_files = find_secure_files(environ, cwd, home)
    secure_path = secure_files[0] if secure_files else None
    if secure_path:
        clouds = _deep_merge(clouds, _read_config(secure_path))

    name = str(name)
    if name not in clouds:
        message = _unknown_cloud_message(name, clouds, config_path, secure_path, environ, _search_dirs(environ, cwd or os.getcwd(), _home_dir(environ, home)))
        raise CloudConfigError(message, path=config_path, cloud=name)
    where = f"cloud '{name}' of {_describe_files(config_path, secure_path)}"
    try:
        return cloud_entry_to_layer(clouds[name], where, _home_dir(environ, home))
    except CloudConfigError as exc:
        exc.path = config_path or secure_path
        exc.cloud = name
        raise


def _unknown_cloud_message(name, clouds, config_path, secure_path, environ, search_dirs):
    if config_path is None and secure_path is None:
        override = environ.get("OS_CLIENT_CONFIG_FILE")
        if override:
            return f"Cloud '{name}' was requested, but OS_CLIENT_CONFIG_FILE names {override}, which does not exist"
        return f"Cloud '{name}' was requested, but no clouds.yaml was found (looked in {', '.join(search_dirs)})"
    available = ", ".join(sorted(str(key) for key in clouds)) or "none"
    return f"Cloud '{name}' is not defined in {_describe_files(config_path, secure_path)}; the clouds defined there are: {available}"
