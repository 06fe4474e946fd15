"""Parsing of ``{"<resource>": {...}}`` request bodies, shared by the resource handlers."""

from .errors import body_null, required_missing, tenant_mismatch, unrecognized
from .http_types import decode_json_body


def read_resource(req, resource):
    """The inner object of the body, or 400 (ELB.0002 wording) when the body is empty, not JSON or lacks it."""
    document = decode_json_body(req.body)
    inner = document.get(resource) if isinstance(document, dict) else None
    if not isinstance(inner, dict):
        raise body_null(resource)
    return inner


def reject_unknown(body, allowed, resource):
    unknown = set(body) - set(allowed)
    if unknown:
        raise unrecognized(resource, unknown)


def require(body, resource, attributes):
    """A JSON null counts as missing, as on the real service."""
    for attribute in attributes:
        if body.get(attribute) is None:
            raise required_missing(resource, attribute)


def check_tenant(body, project_id):
    for key in ("tenant_id", "project_id"):
        if key in body and body[key] != project_id:
            raise tenant_mismatch()
