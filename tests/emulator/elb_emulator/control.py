"""The test-control API under ``/_emulator/``: never counted, never faulted, no authentication.

Errors are plain ``{"error": "..."}`` bodies, so they can never be mistaken for an emulated API answer.
"""

import fnmatch
import ipaddress
import logging
import uuid

from .config import ConfigError, masked_config
from .faults import FaultSpecError
from .health import RuleError, parse_rule
from .healthmonitors import add_monitor, remove_monitor
from .http_types import decode_json_body, json_response
from .state import Member

LOG = logging.getLogger("elb_emulator")
PREFIX = "/_emulator"
SEED_MAX = 1000000


class ControlError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def _document(req, required=True):
    if not req.body:
        if required:
            raise ControlError(400, "a JSON object body is required")
        return {}
    document = decode_json_body(req.body)
    if not isinstance(document, dict):
        raise ControlError(400, "the body must be a JSON object")
    return document


def _reset(app, req):
    document = _document(req, required=False)
    keep_world = document.get("keep_world", False)
    if not isinstance(keep_world, bool):
        raise ControlError(400, "keep_world must be true or false")
    app.reset(keep_world=keep_world)
    return json_response(200, {"reset": True, "keep_world": keep_world})


def _counts(app, _req):
    return json_response(200, app.recorder.counts())


def _int_query(req, key):
    values = req.query_values(key)
    if not values:
        return None
    try:
        return int(values[-1])
    except ValueError:
        raise ControlError(400, "%s must be an integer" % key) from None


def _requests(app, req):
    """``since=SEQ`` keeps entries after that sequence number, ``route=GLOB`` (repeatable) those of matching routes."""
    since = _int_query(req, "since")
    routes = req.query_values("route")
    entries = app.recorder.entries()
    if since is not None:
        entries = [entry for entry in entries if entry["seq"] > since]
    if routes:
        entries = [entry for entry in entries if any(fnmatch.fnmatchcase(entry["route"], pattern) for pattern in routes)]
    last = _int_query(req, "last")
    if last is not None:
        entries = entries[-last:] if last > 0 else []
    return json_response(200, entries)


def _get_config(app, _req):
    return json_response(200, masked_config(app.config))


def _put_config(app, req):
    try:
        config = app.update_config(_document(req))
    except ConfigError as error:
        raise ControlError(400, str(error)) from None
    return json_response(200, masked_config(config))


def _get_faults(app, _req):
    return json_response(200, app.faults.snapshot())


def _post_faults(app, req):
    try:
        app.faults.load(_document(req))
    except FaultSpecError as error:
        raise ControlError(400, str(error)) from None
    return json_response(200, app.faults.snapshot())


def _delete_faults(app, _req):
    app.faults.clear(app.seed)
    return json_response(200, app.faults.snapshot())


def _expire_tokens(app, _req):
    return json_response(200, {"expired": app.tokens.expire_all()})


def _seed_arguments(document):
    count = document.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= SEED_MAX:
        raise ControlError(400, "count must be an integer between 1 and %d" % SEED_MAX)
    port = document.get("protocol_port", 80)
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise ControlError(400, "protocol_port must be an integer between 1 and 65535")
    try:
        start = ipaddress.ip_address(document.get("start", "10.0.0.1"))
        last = start + (count - 1)
    except (ValueError, TypeError, ipaddress.AddressValueError):
        raise ControlError(400, "start must be an IP address with room for count addresses after it") from None
    return count, port, start, last


def _seed(app, req):
    """Create members directly, without validation, settle window or quota: for benchmarks and paging tests."""
    document = _document(req)
    count, port, start, last = _seed_arguments(document)
    world, pool = app.find_pool(document.get("pool_id"))
    if pool is None:
        raise ControlError(404, "pool %r does not exist" % document.get("pool_id"))
    with world.lock:
        subnet_id = document.get("subnet_id") or world.loadbalancer_of(pool).vip_subnet_id
        if subnet_id not in app.config["subnets"]:
            raise ControlError(404, "subnet %r does not exist" % subnet_id)
        name_prefix = document.get("name_prefix", "")
        created = []
        for offset in range(count):
            ip = start + offset
            if (ip, port) in pool.index:
                continue
            name = "%s%d" % (name_prefix, offset) if name_prefix else ""
            # Seeded members stand for an existing fleet: their health checks started long ago.
            created.append(Member(str(uuid.uuid4()), pool.id, ip, port, subnet_id, pool.tenant_id, name=name, health_since=0.0))
        world.add_members_bulk(pool, created)
    return json_response(
        201, {"pool_id": pool.id, "created": len(created), "skipped": count - len(created), "first_address": start.compressed, "last_address": last.compressed}
    )


def _health_snapshot(app):
    """``status`` keeps GET /_emulator/health usable as a liveness probe."""
    return json_response(200, {"status": "ok", "health_delay": app.config["health_delay"], "rules": app.health.snapshot()})


def _get_health(app, _req):
    return _health_snapshot(app)


def _put_health(app, req):
    document = _document(req)
    items = document.get("rules") if set(document) == {"rules"} else [document]
    if not isinstance(items, list):
        raise ControlError(400, "rules must be a list of health rules")
    try:
        rules = [parse_rule(item) for item in items]
    except RuleError as error:
        raise ControlError(400, str(error)) from None
    app.health.put(rules)
    return _health_snapshot(app)


def _delete_health(app, req):
    """No body: remove every rule; ``{"address", "protocol_port"?}``: remove that one rule (404 when absent)."""
    document = _document(req, required=False)
    if not document:
        app.health.clear()
        return _health_snapshot(app)
    try:
        rule = parse_rule(dict(document, mode="healthy"))
    except RuleError as error:
        raise ControlError(400, str(error)) from None
    if not app.health.remove(rule.ip, rule.protocol_port):
        raise ControlError(404, "no health rule for address %s and protocol_port %s" % (rule.ip.compressed, rule.protocol_port))
    return _health_snapshot(app)


def _put_monitor(app, req):
    """``{"pool_id", "enabled": true|false}``: attach a TCP health monitor to the pool, or remove its monitor."""
    document = _document(req)
    enabled = document.get("enabled", True)
    if not isinstance(enabled, bool) or set(document) - {"pool_id", "enabled"}:
        raise ControlError(400, 'the body is {"pool_id": ..., "enabled": true|false}')
    world, pool = app.find_pool(document.get("pool_id"))
    if pool is None:
        raise ControlError(404, "pool %r does not exist" % document.get("pool_id"))
    with world.lock:
        if enabled and pool.healthmonitor_id is None:
            add_monitor(world, pool)
        elif not enabled and pool.healthmonitor_id is not None:
            remove_monitor(world, world.healthmonitors[pool.healthmonitor_id])
        return json_response(200, {"pool_id": pool.id, "healthmonitor_id": pool.healthmonitor_id})


ENDPOINTS = {
    ("POST", "/reset"): _reset,
    ("GET", "/counts"): _counts,
    ("GET", "/requests"): _requests,
    ("GET", "/config"): _get_config,
    ("PUT", "/config"): _put_config,
    ("GET", "/faults"): _get_faults,
    ("POST", "/faults"): _post_faults,
    ("DELETE", "/faults"): _delete_faults,
    ("POST", "/tokens/expire"): _expire_tokens,
    ("POST", "/seed"): _seed,
    ("GET", "/health"): _get_health,
    ("PUT", "/health"): _put_health,
    ("DELETE", "/health"): _delete_health,
    ("PUT", "/healthmonitor"): _put_monitor,
}


def is_control_path(raw_path):
    return raw_path == PREFIX or raw_path.startswith(PREFIX + "/")


def handle_control(app, req):
    path = req.raw_path[len(PREFIX) :].rstrip("/")
    handler = ENDPOINTS.get((req.method, path))
    if handler is None:
        known = sorted("%s %s%s" % (method, PREFIX, suffix) for method, suffix in ENDPOINTS)
        return json_response(404, {"error": "no control endpoint %s %s" % (req.method, req.raw_path), "endpoints": known})
    try:
        return handler(app, req)
    except ControlError as error:
        return json_response(error.status, {"error": error.message})
    except Exception:  # pylint: disable=broad-except
        LOG.exception("unexpected error in %s %s", req.method, req.raw_path)
        return json_response(500, {"error": "unexpected error in the control endpoint; see the emulator's log"})
