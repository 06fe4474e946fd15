"""Batch member updates, ``PUT /pools/{pool_id}/members``, in the ELB or the Octavia dialect.

Both dialects validate every item before touching anything (all-or-nothing), answer 202 with an
empty body and open ONE settle window per call.  The ``none`` dialect is handled by the server,
which then treats the route as missing.
"""

import time

from . import validation
from .bodies import reject_unknown, require
from .errors import bad_request, body_null, member_exists, member_not_found
from .http_types import decode_json_body, empty_response
from .members import (
    apply_member_changes,
    check_not_busy,
    check_quota,
    check_same_vpc,
    check_subnet_exists,
    new_member,
    retire_member,
    start_settle_window,
    validate_member_body,
)
from .pagination import parse_bool_word
from .pools import visible_pool_or_404
from .state import utc_now_text

ELB_ACTIONS = ("add", "delete", "replace")
ELB_MAX_ITEMS = 200


def _document(req, allowed_keys):
    document = decode_json_body(req.body)
    if not isinstance(document, dict) or not isinstance(document.get("members"), list):
        raise body_null("members")
    reject_unknown(document, allowed_keys, "members")
    for item in document["members"]:
        if not isinstance(item, dict):
            raise body_null("member")
    return document


def _reject_repeats(specs):
    seen = set()
    for spec in specs:
        if spec.key in seen:
            raise bad_request(
                "Invalid input for members. Reason: member with address %s and protocol_port %s is listed more than once."
                % (spec.ip.compressed, spec.protocol_port)
            )
        seen.add(spec.key)


def _resolve_subnets(app, specs, lb):
    for spec in specs:
        if spec.subnet_id is None:
            spec.subnet_id = lb.vip_subnet_id
        check_same_vpc(app, spec.subnet_id, lb)


def _changes_of(spec):
    changes = {"name": spec.name, "weight": spec.weight, "admin_state_up": spec.admin_state_up}
    changes.update(spec.extras)
    return changes


def _sync(app, pool, specs, project_id, remove_unlisted, now):
    """Update members matched by (address, protocol_port), create the others, optionally delete the unlisted.

    Returns [(member, pending status)].  A matched member whose subnet differs is replaced, since
    subnet_id cannot change in place.
    """
    world = app.world
    touched = []
    listed = set()
    for spec in specs:
        listed.add(spec.key)
        member = world.find_member(pool, spec.ip, spec.protocol_port)
        if member is not None and member.subnet_id != spec.subnet_id:
            world.remove_member(pool, member.id)
            member = None
        if member is None:
            member = new_member(pool, spec, project_id, spec.subnet_id)
            world.add_member(pool, member)
            touched.append((member, "PENDING_CREATE"))
        else:
            apply_member_changes(member, _changes_of(spec), now)
            member.updated_at = utc_now_text()
            touched.append((member, "PENDING_UPDATE"))
    if remove_unlisted:
        for member in [m for m in pool.members.values() if m.key not in listed]:
            retire_member(app, pool, member, now)
    return touched


def _elb_batch(app, req):
    document = _document(req, ("members", "action"))
    action = document.get("action", "replace")
    if action not in ELB_ACTIONS:
        raise bad_request("Invalid input for action. Reason: '%s' is not in %s." % (action, list(ELB_ACTIONS)))
    items = document["members"]
    if len(items) > ELB_MAX_ITEMS:
        raise bad_request("Invalid input for members. Reason: at most %d members per request, got %d." % (ELB_MAX_ITEMS, len(items)))
    delete_ids = []
    specs = []
    if action == "delete":
        for item in items:
            reject_unknown(item, ("id",), "member")
            require(item, "member", ("id",))
            delete_ids.append(validation.check_uuid("id", item["id"]))
    else:
        specs = [validate_member_body(app, item, req.project_id) for item in items]
        _reject_repeats(specs)

    world = app.world
    with world.lock:
        for spec in specs:
            if spec.subnet_id is not None:
                check_subnet_exists(app, spec.subnet_id)
        now = time.monotonic()
        pool = visible_pool_or_404(app, req, now=now)
        lb = world.loadbalancer_of(pool)
        check_not_busy(lb, now)
        _resolve_subnets(app, specs, lb)
        touched = []
        if action == "delete":
            for member_id in delete_ids:
                if member_id not in pool.members:
                    raise member_not_found(member_id)
            for member_id in delete_ids:
                retire_member(app, pool, pool.members[member_id], now)
        elif action == "add":
            for spec in specs:
                if world.find_member(pool, spec.ip, spec.protocol_port) is not None:
                    raise member_exists(spec.ip.compressed, spec.protocol_port, pool.id)
            check_quota(app, len(pool.members) + len(specs))
            touched = _sync(app, pool, specs, req.project_id, remove_unlisted=False, now=now)
        else:
            check_quota(app, len(specs))
            touched = _sync(app, pool, specs, req.project_id, remove_unlisted=True, now=now)
        start_settle_window(app, lb, touched, now)
    return empty_response(202)


def _octavia_batch(app, req):
    document = _document(req, ("members",))
    additive_values = req.query_values("additive_only")
    additive_only = parse_bool_word(additive_values[-1]) if additive_values else False
    specs = [validate_member_body(app, item, req.project_id) for item in document["members"]]
    _reject_repeats(specs)

    world = app.world
    with world.lock:
        for spec in specs:
            if spec.subnet_id is not None:
                check_subnet_exists(app, spec.subnet_id)
        now = time.monotonic()
        pool = visible_pool_or_404(app, req, now=now)
        lb = world.loadbalancer_of(pool)
        check_not_busy(lb, now)
        _resolve_subnets(app, specs, lb)
        new_keys = {spec.key for spec in specs} - set(pool.index)
        resulting = len(pool.members) + len(new_keys) if additive_only else len(specs)
        check_quota(app, resulting)
        touched = _sync(app, pool, specs, req.project_id, remove_unlisted=not additive_only, now=now)
        start_settle_window(app, lb, touched, now)
    return empty_response(202)


def batch_update_members(app, req):
    if app.config["batch_dialect"] == "octavia":
        return _octavia_batch(app, req)
    return _elb_batch(app, req)
