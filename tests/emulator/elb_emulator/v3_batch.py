"""Dedicated (v3) batch endpoints: ``POST pools/{pool_id}/members/batch-add|batch-delete|batch-update`` (section 7).

Every item is checked before anything changes (all-or-nothing), at most 200 items per call.  Config
``v3_batch: false`` removes the three routes (404 APIGW.0101), as on a cloud that lacks them.
"""

from . import validation
from .bodies import reject_unknown, require
from .errors import bad_request, body_null, member_exists, member_not_found
from .http_types import decode_json_body
from .members import check_quota
from .v3_members import address_of, apply_changes, check_placement, new_member, render_member, validate_body, validate_changes
from .v3_resources import pool_or_404, v3_response

MAX_ITEMS = 200
ADD_ATTRIBUTES = ("address", "protocol_port", "subnet_cidr_id", "weight", "name", "availability_zone")
UPDATE_ATTRIBUTES = ("id", "name", "weight", "protocol_port", "availability_zone")


def _items(req):
    document = decode_json_body(req.body)
    if not isinstance(document, dict) or not isinstance(document.get("members"), list):
        raise body_null("members")
    reject_unknown(document, ("members",), "members")
    items = document["members"]
    if not items:
        raise bad_request("Invalid input for members. Reason: the list is empty.")
    if len(items) > MAX_ITEMS:
        raise bad_request("Invalid input for members. Reason: at most %d members per request, got %d." % (MAX_ITEMS, len(items)))
    for item in items:
        if not isinstance(item, dict):
            raise body_null("member")
    return items


def _reject_repeats(keys):
    seen = set()
    for key in keys:
        if key in seen:
            raise bad_request("Invalid input for members. Reason: %s is listed more than once." % (key,))
        seen.add(key)


def batch_add(app, req):
    """200 with every member and ``ret_status`` ``successful`` (created) or ``existed`` (already there, left unchanged)."""
    specs = [validate_body(item, req.project_id, ADD_ATTRIBUTES) for item in _items(req)]
    _reject_repeats([spec.key for spec in specs])
    world = app.dedicated
    with world.lock:
        pool = pool_or_404(app, req)
        for spec in specs:
            check_placement(app, pool, spec)
        new_specs = [spec for spec in specs if world.find_member(pool, spec.ip, spec.protocol_port) is None]
        check_quota(app, len(pool.members) + len(new_specs))
        answered = []
        for spec in specs:
            member = world.find_member(pool, spec.ip, spec.protocol_port)
            status = "existed"
            if member is None:
                member = new_member(pool, spec, req.project_id)
                world.add_member(pool, member)
                status = "successful"
            answered.append(dict(render_member(app, pool, member), ret_status=status))
    return v3_response(200, req, {"members": answered})


def _delete_target(pool, world, item):
    """The member an item names, by id or by (address, protocol_port), never both; None when absent."""
    reject_unknown(item, ("id", "address", "protocol_port"), "member")
    if "id" in item and ("address" in item or "protocol_port" in item):
        raise bad_request("Invalid input for members. Reason: give either id or address and protocol_port, not both.")
    if "id" in item:
        require(item, "member", ("id",))
        return item["id"], pool.members.get(validation.check_string("id", item["id"]))
    require(item, "member", ("address", "protocol_port"))
    validation.check_address(item["address"])
    port = validation.check_port(item["protocol_port"])
    return None, world.find_member(pool, address_of(item["address"]), port)


def batch_delete(app, req):
    """200 with ``{"id", "ret_status": "successful" | "not found"}`` per item, in request order."""
    items = _items(req)
    world = app.dedicated
    with world.lock:
        pool = pool_or_404(app, req)
        targets = [_delete_target(pool, world, item) for item in items]
        answered = []
        for named_id, member in targets:
            if member is None or member.id not in pool.members:
                answered.append({"id": named_id, "ret_status": "not found"})
                continue
            world.remove_member(pool, member.id)
            answered.append({"id": member.id, "ret_status": "successful"})
    return v3_response(200, req, {"members": answered})


def batch_update(app, req):
    """200 with the updated members; an unknown id is 404 and a port already in use 409, nothing changed."""
    items = _items(req)
    for item in items:
        require(item, "member", ("id",))
        validation.check_string("id", item["id"])
    _reject_repeats([item["id"] for item in items])
    planned = []
    for item in items:
        changes = validate_changes({key: value for key, value in item.items() if key != "id"}, UPDATE_ATTRIBUTES)
        if "protocol_port" in item:
            changes["protocol_port"] = validation.check_port(item["protocol_port"])
        planned.append((item["id"], changes))
    world = app.dedicated
    with world.lock:
        pool = pool_or_404(app, req)
        members = []
        for member_id, _changes in planned:
            member = pool.members.get(member_id)
            if member is None:
                raise member_not_found(member_id)
            members.append(member)
        _check_new_ports(world, pool, members, planned)
        answered = []
        for member, (_member_id, changes) in zip(members, planned):
            port = changes.pop("protocol_port", member.protocol_port)
            if port != member.protocol_port:
                # The port is part of the identity: move the member in the (address, port) index.
                world.remove_member(pool, member.id)
                member.protocol_port = port
                world.add_member(pool, member)
            apply_changes(member, changes)
            answered.append(render_member(app, pool, member))
    return v3_response(200, req, {"members": answered})


def _check_new_ports(world, pool, members, planned):
    pairs = [(member, changes) for member, (_member_id, changes) in zip(members, planned)]
    moving = {member.id for member, changes in pairs if changes.get("protocol_port", member.protocol_port) != member.protocol_port}
    targets = [(member.ip, changes["protocol_port"]) for member, changes in pairs if member.id in moving]
    _reject_repeats(targets)
    for ip, port in targets:
        holder = world.find_member(pool, ip, port)
        if holder is not None and holder.id not in moving:
            raise member_exists(ip.compressed, port, pool.id)
