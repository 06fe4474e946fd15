"""Dedicated load balancers (API v3, ELB_API_V3.md): the world they live in, the project check, pools and
load balancers (show only), ``page_info`` pagination, and the dedicated demo world.

Dedicated resources live in their own ``World`` (``app.dedicated``): the v2.0 routes never see them,
as on the real cloud, where shared and dedicated load balancers are different products.
"""

import bisect

from .config import PROJECT_ID, SUBNET_A1
from .errors import ApiError, bad_request, loadbalancer_not_found, pool_not_found
from .healthmonitors import add_monitor
from .http_types import json_response
from .listing import parse_filters
from .pagination import last_value, parse_bool_word
from .state import LoadBalancer, Pool

LIMIT_MAX = 2000

DEMO_V3_LB_ID = "7e9a1c3d-5f7b-4d9e-8a1c-3e5f7a9b1d05"
DEMO_V3_LB_NO_IP_ID = "7e9a1c3d-5f7b-4d9e-8a1c-3e5f7a9b1d06"
DEMO_V3_POOL_ID = "8f0b2d4e-6a8c-4e0f-9b2d-4f6a8c0e2f07"
DEMO_V3_UDP_POOL_ID = "8f0b2d4e-6a8c-4e0f-9b2d-4f6a8c0e2f08"
DEMO_V3_POOL_NO_IP_ID = "8f0b2d4e-6a8c-4e0f-9b2d-4f6a8c0e2f09"
DEMO_V3_MONITOR_ID = "9a1c3e5f-7b9d-4f1a-8c3e-5a7c9e1f3a10"
DEMO_V3_LISTENER_IDS = ("0b2d4f6a-8c0e-4a2b-9d4f-6b8d0f2a4c11", "0b2d4f6a-8c0e-4a2b-9d4f-6b8d0f2a4c12")
DEMO_V3_UDP_LISTENER_ID = "0b2d4f6a-8c0e-4a2b-9d4f-6b8d0f2a4c13"
DEMO_V3_VIP = "192.168.100.10"


def v3_time(text):
    """v3 timestamps carry a Z: ``YYYY-MM-DDTHH:MM:SSZ``."""
    return text + "Z"


def project_or_403(req):
    """The project in the URL must be the caller's, else 403 ELB.8903 (**choice**: the reference names no code)."""
    if req.params["project_id"] != req.project_id:
        raise ApiError(403, "HTTPForbidden", "Tenant_id in token mismatches with tenant_id in url.", v3_code="ELB.8903")
    return req.project_id


def v3_response(status, req, payload):
    payload["request_id"] = req.request_id
    return json_response(status, payload)


def pool_or_404(app, req):
    project_id = project_or_403(req)
    pool = app.dedicated.visible_pool(req.params["pool_id"], project_id)
    if pool is None:
        raise pool_not_found(req.params["pool_id"])
    return pool


def render_pool(pool):
    return {
        "id": pool.id,
        "name": pool.name,
        "description": pool.description,
        "protocol": pool.protocol,
        "lb_algorithm": pool.lb_algorithm,
        "admin_state_up": pool.admin_state_up,
        "project_id": pool.tenant_id,
        "loadbalancers": [{"id": pool.loadbalancer_id}],
        "listeners": [{"id": listener_id} for listener_id in pool.listener_ids],
        "members": [{"id": member_id} for member_id in pool.member_ids],
        "healthmonitor_id": pool.healthmonitor_id,
        "session_persistence": None,
        "ip_version": pool.ip_version,
        "type": "",
        "member_deletion_protection_enable": False,
        "created_at": v3_time(pool.created_at),
        "updated_at": v3_time(pool.updated_at),
    }


def show_pool(app, req):
    with app.dedicated.lock:
        return v3_response(200, req, {"pool": render_pool(pool_or_404(app, req))})


def show_loadbalancer(app, req):
    project_id = project_or_403(req)
    world = app.dedicated
    with world.lock:
        lb = world.visible_loadbalancer(req.params["loadbalancer_id"], project_id)
        if lb is None:
            raise loadbalancer_not_found(req.params["loadbalancer_id"])
        listeners = sorted({listener for pool_id in lb.pool_ids for listener in world.pools[pool_id].listener_ids})
        rendered = {
            "id": lb.id,
            "name": lb.name,
            "description": lb.description,
            # Dedicated writes are synchronous: ACTIVE (or PENDING_DELETE, never emulated) only.
            "provisioning_status": "ACTIVE",
            "operating_status": "ONLINE",
            "admin_state_up": lb.admin_state_up,
            "project_id": lb.tenant_id,
            "vip_subnet_cidr_id": lb.vip_subnet_id,
            "vip_address": lb.vip_address,
            "vip_port_id": lb.vip_port_id,
            "ip_target_enable": lb.ip_target_enable,
            "guaranteed": True,
            "availability_zone_list": ["eu-de-01", "eu-de-02"],
            "pools": [{"id": pool_id} for pool_id in lb.pool_ids],
            "listeners": [{"id": listener_id} for listener_id in listeners],
            "created_at": v3_time(lb.created_at),
            "updated_at": v3_time(lb.updated_at),
        }
        return v3_response(200, req, {"loadbalancer": rendered})


def parse_v3_filters(req, fields):
    """Repeated keys OR (section 4); ``member_type`` and ``instance_id`` may also be comma-separated, as the SDK sends them."""
    filters = parse_filters(req, fields)
    for key in ("member_type", "instance_id"):
        if key in filters:
            filters[key] = {part.strip() for value in filters[key] for part in value.split(",")}
    return filters


def parse_v3_limit(req):
    text = last_value(req, "limit")
    if text is None:
        return LIMIT_MAX
    try:
        limit = int(text)
    except ValueError:
        limit = -1
    if not 0 <= limit <= LIMIT_MAX:
        raise bad_request("Invalid input for limit. Reason: '%s' is not an integer between 0 and %d." % (text, LIMIT_MAX))
    # **Choice:** 0 means the default, as an absent limit.
    return limit or LIMIT_MAX


def v3_page(req, sorted_ids, lookup, matches):
    """(page of items, page_info) over ascending ids, filtered by ``matches``.

    **Choice:** ``previous_marker`` is the first id of a non-empty page; ``next_marker`` the last id,
    only when more items follow; an unknown marker gives an empty page.
    """
    limit = parse_v3_limit(req)
    marker = last_value(req, "marker")
    reverse_text = last_value(req, "page_reverse")
    page_reverse = parse_bool_word(reverse_text) if reverse_text is not None else False
    if marker is not None and lookup(marker) is None:
        return [], {"current_count": 0}
    if page_reverse:
        end = bisect.bisect_left(sorted_ids, marker) if marker is not None else len(sorted_ids)
        candidates = (sorted_ids[position] for position in range(end - 1, -1, -1))
    else:
        start = bisect.bisect_right(sorted_ids, marker) if marker is not None else 0
        candidates = (sorted_ids[position] for position in range(start, len(sorted_ids)))
    page = []
    more = False
    for item_id in candidates:
        item = lookup(item_id)
        if not matches(item):
            continue
        if len(page) == limit:
            more = True
            break
        page.append(item)
    if page_reverse:
        page.reverse()
    info = {"current_count": len(page)}
    if page:
        info["previous_marker"] = page[0].id
        if more and not page_reverse:
            info["next_marker"] = page[-1].id
    return page, info


def _new_lb(world, lb_id, name, ip_target_enable, vip_address):
    lb = LoadBalancer(lb_id, name, "", SUBNET_A1, vip_address, lb_id[:-2] + "ff", True, PROJECT_ID)
    lb.ip_target_enable = ip_target_enable
    world.add_loadbalancer(lb)
    return lb


def _new_pool(world, pool_id, lb_id, name, protocol, ip_version, listener_ids):
    pool = Pool(pool_id, name, "", protocol, "ROUND_ROBIN", True, PROJECT_ID, lb_id)
    pool.ip_version = ip_version
    pool.listener_ids = list(listener_ids)
    world.add_pool(pool)
    return pool


def create_dedicated_demo_world(world):
    """Fixed ids (README): an LB with ip_target_enable and a TCP (monitored, dual-stack) and a UDP pool, and an LB without."""
    with world.lock:
        _new_lb(world, DEMO_V3_LB_ID, "demo-dedicated-lb", True, DEMO_V3_VIP)
        pool = _new_pool(world, DEMO_V3_POOL_ID, DEMO_V3_LB_ID, "demo-dedicated-pool", "TCP", "dualstack", DEMO_V3_LISTENER_IDS)
        add_monitor(world, pool, {"name": "demo-dedicated-monitor", "type": "TCP"}, monitor_id=DEMO_V3_MONITOR_ID, now=0.0)
        _new_pool(world, DEMO_V3_UDP_POOL_ID, DEMO_V3_LB_ID, "demo-dedicated-udp-pool", "UDP", "v4", (DEMO_V3_UDP_LISTENER_ID,))
        _new_lb(world, DEMO_V3_LB_NO_IP_ID, "demo-dedicated-lb-no-ip", False, "192.168.100.11")
        _new_pool(world, DEMO_V3_POOL_NO_IP_ID, DEMO_V3_LB_NO_IP_ID, "demo-dedicated-pool-no-ip", "TCP", "v4", ())
