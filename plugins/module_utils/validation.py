# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Local checks of user input, done before the first HTTP call (no Ansible imports).

Each check returns the normalized value or raises ElbValidationError naming the
option, the value and what is accepted.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from .errors import ElbValidationError

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# Matched with fullmatch: ``$`` would also match before a trailing newline.
UUID_RE = re.compile(UUID_PATTERN)
POOL_NAME_RE = re.compile(r"[A-Za-z0-9_.-]{1,255}")
# An API version at the end of a URL, and whatever follows it (e.g. /v1.0/<project_id>).
VERSION_SUFFIX_RE = re.compile(r"/v(?:1\.0|2\.0|2|3)(?:/.*)?$")

MAX_NAME_LENGTH = 255
MAX_ADDRESS_LENGTH = 64
# Upstream bounds (Octavia, neutron-lbaas); OTC allows 0-100 and its own 400 reaches the user.
WEIGHT_MIN, WEIGHT_MAX = 0, 256
PORT_MIN, PORT_MAX = 1, 65535

UUID_ACCEPTED = "a UUID such as 0b5a1c2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d"


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_uuid(value):
    return isinstance(value, str) and UUID_RE.fullmatch(value) is not None


def validate_uuid(option, value):
    if not is_uuid(value):
        raise ElbValidationError(option, value, UUID_ACCEPTED)
    return value


def validate_int_range(option, value, minimum, maximum):
    if not _is_int(value) or not minimum <= value <= maximum:
        raise ElbValidationError(option, value, f"an integer from {minimum} to {maximum}")
    return value


def validate_port(option, value):
    return validate_int_range(option, value, PORT_MIN, PORT_MAX)


def validate_weight(option, value):
    return validate_int_range(option, value, WEIGHT_MIN, WEIGHT_MAX)


def validate_positive_int(option, value):
    if not _is_int(value) or value <= 0:
        raise ElbValidationError(option, value, "an integer greater than 0")
    return value


def validate_name(option, value):
    if not isinstance(value, str) or len(value) > MAX_NAME_LENGTH:
        raise ElbValidationError(option, value, f"a string of at most {MAX_NAME_LENGTH} characters")
    return value


def validate_tags(option, value):
    """A list of strings of at most MAX_NAME_LENGTH characters; repeated tags are dropped (tags are a set)."""
    accepted = f"a list of strings of 1 to {MAX_NAME_LENGTH} characters"
    if not isinstance(value, list) or not all(isinstance(tag, str) and 0 < len(tag) <= MAX_NAME_LENGTH for tag in value):
        raise ElbValidationError(option, value, accepted)
    return list(dict.fromkeys(value))


def normalize_address(option, value):
    """Return the IPv4/IPv6 address in compressed form (``2001:DB8:0::1`` -> ``2001:db8::1``)."""
    accepted = f"an IPv4 or IPv6 address of at most {MAX_ADDRESS_LENGTH} characters, without zone index or prefix length"
    if not isinstance(value, str) or not value or len(value) > MAX_ADDRESS_LENGTH or "%" in value:
        raise ElbValidationError(option, value, accepted)
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        raise ElbValidationError(option, value, accepted) from None


def parse_pool_reference(option, value):
    """Classify a pool reference: ``("id", value)`` for a UUID, ``("name", value)`` for a safe name."""
    if is_uuid(value):
        return "id", value
    if isinstance(value, str) and POOL_NAME_RE.fullmatch(value) and value not in (".", ".."):
        return "name", value
    raise ElbValidationError(option, value, f"a pool id ({UUID_ACCEPTED}) or a pool name of 1-255 characters from A-Z a-z 0-9 _ . - (not '.' or '..')")


def redact_userinfo(value):
    """``value`` with anything before an ``@`` in its host part replaced, for messages."""
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "", value
    host_end = len(rest)
    for delimiter in "/?#":
        index = rest.find(delimiter)
        if index != -1:
            host_end = min(host_end, index)
    netloc = rest[:host_end]
    if "@" in netloc:
        netloc = "********@" + netloc.rsplit("@", 1)[1]
    return (scheme + sep if sep else "") + netloc + rest[host_end:]


def normalize_endpoint(option, value):
    """Return the ELB base URL: scheme, host, optional path prefix, no API version.

    ``https://elb.example/v1.0/<project>``, ``.../v2.0``, ``.../v2`` and ``.../v3/<project>`` are cut back to
    the base, because the client adds ``/v2.0/lbaas/...`` (``/v3/<project>/elb/...``) itself.  A URL with userinfo (``user:password@``) is
    refused, and the message does not show it.
    """
    accepted = "an http:// or https:// URL such as https://elb.eu-de.otc.t-systems.com"
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        raise ElbValidationError(option, value, accepted)
    if "@" in urlsplit(value).netloc:
        shown = redact_userinfo(value)
        raise ElbValidationError(
            option,
            shown,
            accepted,
            message=f"Invalid value for option '{option}': {shown!r}. A URL with user information (user:password@) is not accepted: "
            f"credentials go in the auth options. Accepted: {accepted}.",
        )
    try:
        parts = urlsplit(value)
        # Accessing .port validates it (raises ValueError when out of range or not a number).
        if parts.port == 0:
            raise ValueError("port 0")
    except ValueError:
        raise ElbValidationError(option, value, accepted) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ElbValidationError(option, value, accepted)
    path = VERSION_SUFFIX_RE.sub("", parts.path.rstrip("/")).rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


# The updatable attributes of a member, in the order they are checked, and their checks.
ATTRIBUTE_CHECKS = (
    ("name", validate_name),
    ("weight", validate_weight),
    ("admin_state_up", None),
    ("monitor_address", normalize_address),
    ("monitor_port", validate_port),
    ("backup", None),
    ("tags", validate_tags),
)


def member_attribute_spec():
    """The argument spec of a member's attributes besides its identity (address, protocol_port), shared by
    elb_member's options and elb_pool_members' ``members`` suboptions; a new dict on every call."""
    return dict(
        subnet_id=dict(type="str"),
        name=dict(type="str"),
        weight=dict(type="int"),
        admin_state_up=dict(type="bool"),
        monitor_address=dict(type="str"),
        monitor_port=dict(type="int"),
        backup=dict(type="bool"),
        tags=dict(type="list", elements="str", no_log=False),
    )


def validate_member_fields(item, prefix=""):
    """Check and normalize one member's fields; option names in errors are ``prefix`` + the field name.

    Returns ``(address, protocol_port, subnet_id, attributes)``; ``attributes`` holds only the
    updatable attributes that are set (name, weight, admin_state_up and Octavia's monitor_address,
    monitor_port, backup, tags), ``subnet_id`` may be None.
    """
    for field in ("address", "protocol_port"):
        if item.get(field) is None:
            raise ElbValidationError(prefix + field, None, "a value", message=f"Option '{prefix}{field}' is required.")
    address = normalize_address(prefix + "address", item["address"])
    protocol_port = validate_port(prefix + "protocol_port", item["protocol_port"])
    subnet_id = None
    if item.get("subnet_id") is not None:
        subnet_id = validate_uuid(prefix + "subnet_id", item["subnet_id"])
    attributes = {}
    for name, check in ATTRIBUTE_CHECKS:
        if item.get(name) is not None:
            # Booleans are typed by the argument spec already.
            attributes[name] = check(prefix + name, item[name]) if check else item[name]
    return address, protocol_port, subnet_id, attributes


def validate_member_options(params):
    """Check and normalize the elb_member options; returns the desired member as a dict.

    Keys: pool_kind, pool, address, protocol_port, subnet_id, state, attributes
    (only the updatable attributes the user set: name, weight, admin_state_up).
    """
    pool_kind, pool = parse_pool_reference("pool", params.get("pool"))
    address, protocol_port, subnet_id, attributes = validate_member_fields(params)
    desired = {
        "pool_kind": pool_kind,
        "pool": pool,
        "address": address,
        "protocol_port": protocol_port,
        "subnet_id": subnet_id,
        "state": params.get("state") or "present",
        "attributes": attributes,
    }
    return desired


def member_label(address, protocol_port):
    """``10.0.0.5:80``, ``[2001:db8::1]:80``."""
    if ":" in str(address):
        address = f"[{address}]"
    return f"{address}:{protocol_port}"


def validate_pool_members_options(params):
    """Check and normalize the elb_pool_members options, every item before any HTTP call.

    Returns ``{"pool_kind", "pool", "purge", "members"}``; each member has the keys of
    validate_member_options (state present) plus ``option``, its name in errors (``members[3]``).
    Two items with the same address (compared as IP addresses) and protocol_port are an error.
    """
    pool_kind, pool = parse_pool_reference("pool", params.get("pool"))
    items = params.get("members")
    members = []
    first_index = {}
    for index, item in enumerate(items):
        option = f"members[{index}]"
        address, protocol_port, subnet_id, attributes = validate_member_fields(item, option + ".")
        key = (address, protocol_port)
        if key in first_index:
            raise ElbValidationError(
                option,
                item,
                "each address and protocol_port at most once",
                message=f"{option} repeats the member {member_label(address, protocol_port)} of members[{first_index[key]}] "
                "(addresses are compared as IP addresses); list each address and protocol_port once",
            )
        first_index[key] = index
        members.append(
            {
                "option": option,
                "pool": pool,
                "address": address,
                "protocol_port": protocol_port,
                "subnet_id": subnet_id,
                "state": "present",
                "attributes": attributes,
            }
        )
    return {"pool_kind": pool_kind, "pool": pool, "purge": bool(params.get("purge")), "members": members}


def validate_member_filters(params):
    """Check and normalize the elb_member_info options; returns ``{"pool_kind", "pool", "filters"}``.

    ``filters`` holds only the filters that are set, normalized (compressed address, ...).
    """
    pool_kind, pool = parse_pool_reference("pool", params.get("pool"))
    filters = {}
    if params.get("address") is not None:
        filters["address"] = normalize_address("address", params["address"])
    if params.get("protocol_port") is not None:
        filters["protocol_port"] = validate_port("protocol_port", params["protocol_port"])
    if params.get("name") is not None:
        filters["name"] = validate_name("name", params["name"])
    if params.get("subnet_id") is not None:
        # The API's ids are lowercase and a server filters by exact match.
        filters["subnet_id"] = validate_uuid("subnet_id", params["subnet_id"]).lower()
    if params.get("weight") is not None:
        filters["weight"] = validate_weight("weight", params["weight"])
    if params.get("admin_state_up") is not None:
        filters["admin_state_up"] = params["admin_state_up"]
    return {"pool_kind": pool_kind, "pool": pool, "filters": filters}
