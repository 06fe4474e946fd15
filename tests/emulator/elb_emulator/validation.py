"""Value checks for request bodies, with Neutron's wording and Octavia's alternative.

Integer attributes accept integer strings (``"88"``), which Neutron and Octavia both convert with
``int()``; every other value must already have its JSON type.  Floats and booleans, which ``int()``
would silently truncate or turn into 0/1, are refused so that client bugs show up in tests.
"""

import ipaddress
import re

from .errors import ApiError, ELB_REQUIRED, bad_request

INTEGER_TEXT = re.compile(r"^\s*[+-]?[0-9]+\s*$")
UUID_SHAPE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
NAME_MAX = 255
ADDRESS_MAX = 64


def _neutron_invalid(attribute, reason):
    return "Invalid input for %s. Reason: %s." % (attribute, reason)


def _octavia_invalid(attribute, value, reason):
    return "Invalid input for field/attribute %s. Value: '%s'. %s" % (attribute, value, reason)


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_uuid(value):
    return isinstance(value, str) and bool(UUID_SHAPE.match(value))


def check_int_range(attribute, value, minimum, maximum):
    if isinstance(value, str) and INTEGER_TEXT.match(value):
        value = int(value)
    if not is_int(value):
        raise bad_request(
            _neutron_invalid(attribute, "'%s' is not an integer" % (value,)), octavia_message=_octavia_invalid(attribute, value, "Value should be an integer")
        )
    if value < minimum:
        raise bad_request(
            _neutron_invalid(attribute, "'%s' is too small - must be at least '%d'" % (value, minimum)),
            octavia_message=_octavia_invalid(attribute, value, "Value should be greater or equal to %d" % minimum),
        )
    if value > maximum:
        raise bad_request(
            _neutron_invalid(attribute, "'%s' is too large - must be no larger than '%d'" % (value, maximum)),
            octavia_message=_octavia_invalid(attribute, value, "Value should be lower or equal to %d" % maximum),
        )
    return value


def check_port(value, attribute="protocol_port"):
    return check_int_range(attribute, value, 1, 65535)


def check_string(attribute, value, max_length=NAME_MAX):
    if not isinstance(value, str):
        raise bad_request(
            _neutron_invalid(attribute, "'%s' is not a valid string" % (value,)), octavia_message=_octavia_invalid(attribute, value, "Value should be a string")
        )
    if len(value) > max_length:
        raise bad_request(
            _neutron_invalid(attribute, "'%s' exceeds maximum length of %d" % (value, max_length)),
            octavia_message=_octavia_invalid(attribute, value, "Value should have a maximum character requirement of %d" % max_length),
        )
    return value


def check_bool(attribute, value):
    if not isinstance(value, bool):
        raise bad_request(
            "Invalid input for operation: '%s' cannot be converted to boolean." % (value,),
            octavia_message=_octavia_invalid(attribute, value, "Value should be boolean"),
        )
    return value


def check_choice(attribute, value, choices):
    if value not in choices:
        raise bad_request(
            _neutron_invalid(attribute, "'%s' is not in %s" % (value, list(choices))),
            octavia_message=_octavia_invalid(attribute, value, "Value should be one of: %s" % ", ".join(choices)),
        )
    return value


def check_address(value, resource="member", attribute="address"):
    """Return the address as an ipaddress object; the service keeps its compressed form."""
    if isinstance(value, str) and len(value) > ADDRESS_MAX:
        raise ApiError(
            400,
            "HTTPBadRequest",
            "RequestBody %s[%s]'s length is %d, greater than %d." % (resource, attribute, len(value), ADDRESS_MAX),
            ELB_REQUIRED,
            _octavia_invalid(attribute, value, "Value should be IPv4 or IPv6 format"),
        )
    try:
        if not isinstance(value, str) or "%" in value:
            raise ValueError(value)
        return ipaddress.ip_address(value)
    except ValueError:
        raise bad_request(
            _neutron_invalid(attribute, "'%s' is not a valid IP address" % (value,)),
            octavia_message=_octavia_invalid(attribute, value, "Value should be IPv4 or IPv6 format"),
        ) from None


def check_uuid(attribute, value):
    if not is_uuid(value):
        raise bad_request(
            _neutron_invalid(attribute, "'%s' is not a valid UUID" % (value,)),
            octavia_message=_octavia_invalid(attribute, value, "Value should be UUID format"),
        )
    return value


def check_tags(value):
    if not isinstance(value, list) or not all(isinstance(tag, str) and len(tag) <= NAME_MAX for tag in value):
        raise bad_request(
            _neutron_invalid("tags", "'%s' is not a list of strings" % (value,)),
            octavia_message=_octavia_invalid("tags", value, "Value should be a list of strings"),
        )
    return list(value)
