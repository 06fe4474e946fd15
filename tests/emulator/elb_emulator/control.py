"""The test-control API under ``/_emulator/``: never counted, never faulted, no authentication.

Errors are plain ``{"error": "..."}`` bodies, so they can never be mistaken for an emulated API answer.
"""

import ipaddress
import logging
import uuid

from .config import ConfigError, masked_config
from .faults import FaultSpecError
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


def _requests(app, req):
    last = req.query_values("last")
    limit = None
    if last:
        try:
            limit = int(last[-1])
        except ValueError:
            raise ControlError(400, "last must be an integer") from None
    return json_response(200, app.recorder.entries(limit))


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
    world = app.world
    with world.lock:
        pool = world.pools.get(document.get("pool_id"))
        if pool is None:
            raise ControlError(404, "pool %r does not exist" % document.get("pool_id"))
        subnet_id = document.get("subnet_id") or world.loadbalancer_of(pool).vip_subnet_id
        if subnet_id not in app.config["subnets"]:
            raise ControlError(404, "subnet %r does not exist" % subnet_id)
        name_prefix = document.get("name_prefix", "")
        created = []
        for offset in range(count):
            ip = start + offset
            if (ip, port) in pool.index:
                continue
            created.append(Member(str(uuid.uuid4()), pool.id, ip, port, subnet_id, pool.tenant_id, name="%s%d" % (name_prefix, offset) if name_prefix else ""))
        world.add_members_bulk(pool, created)
    return json_response(
        201, {"pool_id": pool.id, "created": len(created), "skipped": count - len(created), "first_address": start.compressed, "last_address": last.compressed}
    )


def _health(_app, _req):
    return json_response(200, {"status": "ok"})


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
    ("GET", "/health"): _health,
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
