"""Version documents for OpenStack clients' endpoint discovery: ``/`` lists v2.0 and v2, like Octavia's root."""

from .http_types import json_response

UPDATED = "2016-12-11T00:00:00Z"
COLLECTIONS = ("loadbalancers", "pools", "members")


def _version(base, version_id, status):
    return {
        "id": version_id,
        "status": status,
        "updated": UPDATED,
        "links": [{"rel": "self", "href": "%s/%s/" % (base, version_id)}],
        "media-types": [{"base": "application/json", "type": "application/json"}],
    }


def root_versions(_app, req):
    base = req.host_url()
    return json_response(200, {"versions": [_version(base, "v2.0", "SUPPORTED"), _version(base, "v2", "CURRENT")]})


def v2_version(_app, req):
    """Both the single-version document keystoneauth looks for and Neutron's resource list."""
    base = req.host_url()
    version_id = "v2" if req.raw_path.rstrip("/") == "/v2" else "v2.0"
    resources = [
        {"name": name[:-1], "collection": name, "links": [{"rel": "self", "href": "%s/%s/lbaas/%s" % (base, version_id, name)}]} for name in COLLECTIONS
    ]
    return json_response(200, {"version": _version(base, version_id, "CURRENT"), "resources": resources})
