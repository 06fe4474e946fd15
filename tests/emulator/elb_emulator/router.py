"""Route table and matching on the RAW request path, segment by segment.

A placeholder matches one raw segment only when that segment cannot mean anything else once decoded:
``%2F``, ``%5C``, ``.``/``..`` (also as ``%2e%2e``) and empty segments match nothing, so a crafted
path is answered 404 APIGW.0101 instead of being decoded into another route.  Literal segments are
compared undecoded, so ``/v2.0/%6Cbaas/pools`` is not ``/v2.0/lbaas/pools`` either.
"""

import re
from urllib.parse import unquote

from . import batch, healthmonitors, iam, loadbalancers, members, pools, v3_batch, v3_members, v3_resources, versions

_SAFE_RAW_SEGMENT = re.compile(r"^(?:[A-Za-z0-9._~:@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})+$")
_UNSAFE_DECODED = re.compile(r"[/\\%\x00-\x1f\x7f]")

ELB_PREFIXES = ("/v2.0/lbaas", "/v2/lbaas")
V3_PREFIX = "/v3/{project_id}/elb"


class Route:
    """``kind``: None, "batch" (the v2.0 batch, gone with batch_dialect none), "v3" (only in the dedicated
    flavor) or "v3-batch" (the dedicated batch endpoints, also gone with v3_batch false)."""

    __slots__ = ("method", "template", "segments", "handler", "auth", "kind")

    def __init__(self, method, template, handler, auth=True, kind=None):
        self.method = method
        self.template = template
        self.segments = split_path(template)
        self.handler = handler
        self.auth = auth
        self.kind = kind

    @property
    def key(self):
        return "%s %s" % (self.method, self.template)

    @property
    def is_v3(self):
        return self.kind in ("v3", "v3-batch")

    def served(self, config):
        """Whether the configuration serves this route; an unserved one is answered as unknown (404 APIGW.0101)."""
        if self.kind == "batch":
            return config["batch_dialect"] != "none"
        if self.is_v3:
            return config["flavor"] == "dedicated" and (self.kind == "v3" or config["v3_batch"])
        return True


def split_path(path):
    """Raw segments of an absolute path; one trailing slash is tolerated, like the upstream services."""
    if path.endswith("/") and len(path) > 1:
        path = path[:-1]
    if path in ("", "/"):
        return []
    return path[1:].split("/")


def decode_placeholder(raw_segment):
    """The decoded value of a placeholder segment, or None when the segment must not match."""
    if not _SAFE_RAW_SEGMENT.match(raw_segment):
        return None
    try:
        value = unquote(raw_segment, errors="strict")
    except UnicodeDecodeError:
        return None
    if value in (".", "..") or _UNSAFE_DECODED.search(value):
        return None
    return value


def _elb_routes(prefix):
    lbs = prefix + "/loadbalancers"
    pool_members = prefix + "/pools/{pool_id}/members"
    return [
        Route("GET", lbs, loadbalancers.list_loadbalancers),
        Route("POST", lbs, loadbalancers.create_loadbalancer),
        Route("GET", lbs + "/{loadbalancer_id}", loadbalancers.show_loadbalancer),
        Route("DELETE", lbs + "/{loadbalancer_id}", loadbalancers.delete_loadbalancer),
        Route("GET", lbs + "/{loadbalancer_id}/statuses", loadbalancers.show_statuses),
        Route("GET", prefix + "/pools", pools.list_pools),
        Route("POST", prefix + "/pools", pools.create_pool),
        Route("GET", prefix + "/pools/{pool_id}", pools.show_pool),
        Route("DELETE", prefix + "/pools/{pool_id}", pools.delete_pool),
        Route("GET", pool_members, members.list_members),
        Route("POST", pool_members, members.create_member),
        Route("PUT", pool_members, batch.batch_update_members, kind="batch"),
        Route("GET", pool_members + "/{member_id}", members.show_member),
        Route("PUT", pool_members + "/{member_id}", members.update_member),
        Route("DELETE", pool_members + "/{member_id}", members.delete_member),
        Route("GET", prefix + "/members", members.list_all_members),
        Route("GET", prefix + "/healthmonitors", healthmonitors.list_monitors),
        Route("POST", prefix + "/healthmonitors", healthmonitors.create_monitor),
        Route("GET", prefix + "/healthmonitors/{healthmonitor_id}", healthmonitors.show_monitor),
        Route("DELETE", prefix + "/healthmonitors/{healthmonitor_id}", healthmonitors.delete_monitor),
    ]


def _v3_routes():
    base = V3_PREFIX
    pool_members = base + "/pools/{pool_id}/members"
    routes = [
        Route("GET", pool_members, v3_members.list_members, kind="v3"),
        Route("POST", pool_members, v3_members.create_member, kind="v3"),
        Route("GET", pool_members + "/{member_id}", v3_members.show_member, kind="v3"),
        Route("PUT", pool_members + "/{member_id}", v3_members.update_member, kind="v3"),
        Route("DELETE", pool_members + "/{member_id}", v3_members.delete_member, kind="v3"),
        Route("GET", base + "/members", v3_members.list_all_members, kind="v3"),
        Route("GET", base + "/pools/{pool_id}", v3_resources.show_pool, kind="v3"),
        Route("GET", base + "/loadbalancers/{loadbalancer_id}", v3_resources.show_loadbalancer, kind="v3"),
    ]
    for action, handler in (("batch-add", v3_batch.batch_add), ("batch-delete", v3_batch.batch_delete), ("batch-update", v3_batch.batch_update)):
        routes.append(Route("POST", pool_members + "/" + action, handler, kind="v3-batch"))
    return routes


def build_routes():
    routes = [
        Route("GET", "/", versions.root_versions, auth=False),
        Route("GET", "/v2.0", versions.v2_version, auth=False),
        Route("GET", "/v2", versions.v2_version, auth=False),
        Route("GET", "/v3", iam.identity_version, auth=False),
        Route("POST", "/v3/auth/tokens", iam.issue_token, auth=False),
    ]
    for prefix in ELB_PREFIXES:
        routes.extend(_elb_routes(prefix))
    routes.extend(_v3_routes())
    return routes


class Router:
    def __init__(self, routes=None):
        self._by_shape = {}
        for route in routes or build_routes():
            self._by_shape.setdefault((route.method, len(route.segments)), []).append(route)

    def find(self, method, template):
        """The route registered for METHOD and template, or None."""
        for route in self._by_shape.get((method, len(split_path(template))), ()):
            if route.template == template:
                return route
        return None

    def match(self, method, raw_path):
        """Return (route, params) for the raw path, or (None, {}) when nothing matches."""
        if not raw_path.startswith("/"):
            return None, {}
        segments = split_path(raw_path)
        for route in self._by_shape.get((method, len(segments)), ()):
            params = _match_segments(route.segments, segments)
            if params is not None:
                return route, params
        return None, {}


def _match_segments(template_segments, raw_segments):
    params = {}
    for template, raw in zip(template_segments, raw_segments):
        if template.startswith("{"):
            value = decode_placeholder(raw)
            if value is None:
                return None
            params[template[1:-1]] = value
        elif template != raw:
            return None
    return params
