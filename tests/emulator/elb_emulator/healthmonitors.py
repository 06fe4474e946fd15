"""Health monitors (``/lbaas/healthmonitors``): create, list, show, delete; at most one per pool.

Only their existence matters to the simulation: a pool with a monitor reports its members' health
(health.py); the probe settings are validated and echoed, never used.
"""

import uuid

from . import validation
from .bodies import check_tenant, read_resource, reject_unknown, require
from .errors import ApiError, pool_not_found
from .health import attach_monitor, detach_monitor
from .http_types import empty_response, json_response
from .listing import Collection, Field, attribute, list_collection
from .state import utc_now_text

TYPES = ("PING", "TCP", "HTTP", "HTTPS", "UDP_CONNECT")
HTTP_TYPES = ("HTTP", "HTTPS")
CREATE_ATTRIBUTES = (
    "pool_id",
    "type",
    "delay",
    "timeout",
    "max_retries",
    "max_retries_down",
    "name",
    "admin_state_up",
    "http_method",
    "url_path",
    "expected_codes",
    "tenant_id",
    "project_id",
)


class HealthMonitor:
    __slots__ = ("id", "pool_id", "tenant_id", "name", "type", "delay", "timeout", "max_retries", "max_retries_down", "admin_state_up", "http", "created_at")

    def __init__(self, monitor_id, pool_id, tenant_id, settings):
        self.id = monitor_id
        self.pool_id = pool_id
        self.tenant_id = tenant_id
        self.name = settings.get("name", "")
        self.type = settings.get("type", "TCP")
        self.delay = settings.get("delay", 5)
        self.timeout = settings.get("timeout", 3)
        self.max_retries = settings.get("max_retries", 3)
        self.max_retries_down = settings.get("max_retries_down", 3)
        self.admin_state_up = settings.get("admin_state_up", True)
        self.http = {key: settings.get(key, default) for key, default in (("http_method", "GET"), ("url_path", "/"), ("expected_codes", "200"))}
        self.created_at = utc_now_text()


def monitor_not_found(monitor_id):
    return ApiError(404, "EntityNotFound", "healthmonitor %s could not be found" % monitor_id, octavia_message="Health Monitor %s not found." % monitor_id)


def pool_has_monitor(pool):
    return ApiError(
        409,
        "OneHealthMonitorPerPool",
        "Only one health monitor per pool allowed.  Pool %s is already using Health Monitor %s." % (pool.id, pool.healthmonitor_id),
        octavia_message="This pool already has a health monitor",
    )


def add_monitor(world, pool, settings=None, monitor_id=None, now=None):
    """Create and attach a monitor (also used by the demo world and the control API); the caller holds the lock."""
    monitor = HealthMonitor(monitor_id or str(uuid.uuid4()), pool.id, pool.tenant_id, settings or {})
    world.healthmonitors[monitor.id] = monitor
    attach_monitor(pool, monitor.id, now)
    return monitor


def remove_monitor(world, monitor):
    world.healthmonitors.pop(monitor.id, None)
    pool = world.pools.get(monitor.pool_id)
    if pool is not None and pool.healthmonitor_id == monitor.id:
        detach_monitor(pool)


def render_monitor(app, monitor):
    octavia = app.config["flavor"] == "octavia"
    rendered = {
        "id": monitor.id,
        "name": monitor.name,
        "type": monitor.type,
        "delay": monitor.delay,
        "timeout": monitor.timeout,
        "max_retries": monitor.max_retries,
        "max_retries_down": monitor.max_retries_down,
        "admin_state_up": monitor.admin_state_up,
        "tenant_id": monitor.tenant_id,
        "project_id": monitor.tenant_id,
        "pools": [{"id": monitor.pool_id}],
    }
    # Octavia leaves the HTTP settings null on other types; Neutron shows its defaults everywhere.
    shown = not octavia or monitor.type in HTTP_TYPES
    rendered.update({key: (value if shown else None) for key, value in monitor.http.items()})
    if octavia:
        rendered.update(
            {
                "provisioning_status": "ACTIVE",
                "operating_status": "ONLINE",
                "created_at": monitor.created_at,
                "updated_at": monitor.created_at,
                "tags": [],
                "http_version": None,
                "domain_name": None,
            }
        )
    return rendered


def _settings(body):
    settings = {
        "type": validation.check_choice("type", body["type"], TYPES),
        "delay": validation.check_int_range("delay", body["delay"], 0, 2147483647),
        "timeout": validation.check_int_range("timeout", body["timeout"], 0, 2147483647),
        "max_retries": validation.check_int_range("max_retries", body["max_retries"], 1, 10),
    }
    if body.get("max_retries_down") is not None:
        settings["max_retries_down"] = validation.check_int_range("max_retries_down", body["max_retries_down"], 1, 10)
    for key in ("name", "http_method", "url_path", "expected_codes"):
        if body.get(key) is not None:
            settings[key] = validation.check_string(key, body[key])
    if "admin_state_up" in body:
        settings["admin_state_up"] = validation.check_bool("admin_state_up", body["admin_state_up"])
    return settings


def create_monitor(app, req):
    body = read_resource(req, "healthmonitor")
    reject_unknown(body, CREATE_ATTRIBUTES, "healthmonitor")
    require(body, "healthmonitor", ("pool_id", "type", "delay", "timeout", "max_retries"))
    pool_id = validation.check_string("pool_id", body["pool_id"])
    settings = _settings(body)
    check_tenant(body, req.project_id)
    world = app.world
    with world.lock:
        pool = world.visible_pool(pool_id, req.project_id)
        if pool is None:
            raise pool_not_found(pool_id)
        if pool.healthmonitor_id is not None:
            raise pool_has_monitor(pool)
        monitor = add_monitor(world, pool, settings)
        return json_response(201, {"healthmonitor": render_monitor(app, monitor)})


def _visible(app, req):
    monitor = app.world.healthmonitors.get(req.params["healthmonitor_id"])
    if monitor is None or monitor.tenant_id != req.project_id:
        raise monitor_not_found(req.params["healthmonitor_id"])
    return monitor


def show_monitor(app, req):
    with app.world.lock:
        return json_response(200, {"healthmonitor": render_monitor(app, _visible(app, req))})


def delete_monitor(app, req):
    with app.world.lock:
        remove_monitor(app.world, _visible(app, req))
    return empty_response(204)


def list_monitors(app, req):
    world = app.world
    fields = {name: attribute(kind, name) for name, kind in (("id", "str"), ("name", "str"), ("type", "str"), ("admin_state_up", "bool"), ("tenant_id", "str"))}
    fields.update({name: attribute("int", name) for name in ("delay", "timeout", "max_retries")})
    fields["project_id"] = fields["tenant_id"]
    fields["pool_id"] = Field("str", lambda monitor: monitor.pool_id)
    with world.lock:
        collection = Collection(
            "healthmonitors",
            fields,
            items=lambda: [monitor for monitor in world.healthmonitors.values() if monitor.tenant_id == req.project_id],
            lookup=lambda monitor_id: _lookup(world, monitor_id, req.project_id),
            render=lambda monitor: render_monitor(app, monitor),
        )
        payload = list_collection(app, req, collection)
    return json_response(200, payload)


def _lookup(world, monitor_id, project_id):
    monitor = world.healthmonitors.get(monitor_id)
    return monitor if monitor is not None and monitor.tenant_id == project_id else None
