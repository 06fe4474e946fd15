"""Members: create, list, show, update, delete, and the project-wide extension list (sections 2 to 4).

Create checks run in the order of the brief: body shape, unknown attributes, required attributes,
values, then (under the world lock) subnet, pool, busy load balancer, VPC, duplicate and quota.
Every successful write opens a settle window on the pool's load balancer.
"""

import ipaddress
import time
import uuid

from . import validation
from .bodies import check_tenant, read_resource, reject_unknown, require
from .errors import (
    bad_request,
    loadbalancer_busy,
    member_exists,
    member_not_found,
    member_quota_exceeded,
    read_only,
    subnet_not_found,
    unrecognized,
    vpc_mismatch,
)
from .health import operating_status
from .http_types import empty_response, json_response
from .listing import Collection, Field, attribute, list_collection
from .pools import visible_pool_or_404
from .state import Member, utc_now_text

CREATE_ATTRIBUTES = ("name", "address", "protocol_port", "subnet_id", "weight", "admin_state_up", "tenant_id", "project_id")
UPDATE_ATTRIBUTES = ("name", "weight", "admin_state_up")
OCTAVIA_ATTRIBUTES = ("backup", "monitor_address", "monitor_port", "tags")
READ_ONLY_ATTRIBUTES = (
    "id",
    "address",
    "protocol_port",
    "subnet_id",
    "tenant_id",
    "project_id",
    "operating_status",
    "provisioning_status",
    "pool_id",
    "loadbalancer_id",
    "created_at",
    "updated_at",
    "vnic_type",
    "device_id",
    "device_owner",
)
WEIGHT_MAX = {"elb": 100, "octavia": 256}


class MemberSpec:
    """The validated values of one member in a create or batch body."""

    __slots__ = ("ip", "protocol_port", "subnet_id", "name", "weight", "admin_state_up", "extras")

    def __init__(self, ip, protocol_port, subnet_id, name, weight, admin_state_up, extras):
        self.ip = ip
        self.protocol_port = protocol_port
        self.subnet_id = subnet_id
        self.name = name
        self.weight = weight
        self.admin_state_up = admin_state_up
        self.extras = extras

    @property
    def key(self):
        return (self.ip, self.protocol_port)


def _octavia(app):
    return app.config["flavor"] == "octavia"


def render_member(app, member, pool, extension=False):
    """``extension`` is the project-wide list, which adds pool_id, loadbalancer_id and the device fields."""
    rendered = {
        "id": member.id,
        "name": member.name,
        "address": member.address,
        "protocol_port": member.protocol_port,
        "subnet_id": member.subnet_id,
        "weight": member.weight,
        "admin_state_up": member.admin_state_up,
        "operating_status": operating_status(app, pool, member),
        "tenant_id": member.tenant_id,
        "project_id": member.tenant_id,
    }
    if _octavia(app):
        rendered.update(
            {
                "provisioning_status": member.provisioning_status(),
                "created_at": member.created_at,
                "updated_at": member.updated_at,
                "backup": member.backup,
                "monitor_address": member.monitor_address,
                "monitor_port": member.monitor_port,
                "tags": list(member.tags),
                "vnic_type": "normal",
            }
        )
    if extension:
        rendered.update({"pool_id": pool.id, "loadbalancer_id": pool.loadbalancer_id, "device_id": "", "device_owner": ""})
    return rendered


def _check_admin_state(app, value):
    value = validation.check_bool("admin_state_up", value)
    if not value and not app.config["allow_admin_state_down"]:
        raise bad_request(
            "Invalid input for admin_state_up. Reason: admin_state_up must be true for members of this service.",
            octavia_message="Invalid input for field/attribute admin_state_up. Value: 'False'. Value should be True for members of this service",
        )
    return value


def _check_octavia_extras(body):
    extras = {}
    if "backup" in body:
        extras["backup"] = validation.check_bool("backup", body["backup"])
    if body.get("monitor_address") is not None:
        extras["monitor_address"] = validation.check_address(body["monitor_address"], attribute="monitor_address").compressed
    if body.get("monitor_port") is not None:
        extras["monitor_port"] = validation.check_port(body["monitor_port"], "monitor_port")
    if "tags" in body:
        extras["tags"] = validation.check_tags(body["tags"])
    return extras


def validate_member_body(app, body, project_id):
    """Checks that need nothing but the body; returns a MemberSpec or raises the first failing rule."""
    octavia = _octavia(app)
    reject_unknown(body, CREATE_ATTRIBUTES + (OCTAVIA_ATTRIBUTES if octavia else ()), "member")
    # Octavia defaults subnet_id to the VIP subnet (section 8); the shared ELB requires it.
    require(body, "member", ("address", "protocol_port") if octavia else ("address", "protocol_port", "subnet_id"))
    ip = validation.check_address(body["address"])
    port = validation.check_port(body["protocol_port"])
    weight = validation.check_int_range("weight", body["weight"], 0, WEIGHT_MAX[app.config["flavor"]]) if "weight" in body else 1
    name = validation.check_string("name", body["name"]) if "name" in body else ""
    subnet_id = body.get("subnet_id")
    if subnet_id is not None:
        validation.check_string("subnet_id", subnet_id)
    check_tenant(body, project_id)
    admin_state_up = _check_admin_state(app, body["admin_state_up"]) if "admin_state_up" in body else True
    extras = _check_octavia_extras(body) if octavia else {}
    return MemberSpec(ip, port, subnet_id, name, weight, admin_state_up, extras)


def check_subnet_exists(app, subnet_id):
    if subnet_id not in app.config["subnets"]:
        raise subnet_not_found(subnet_id)


def check_same_vpc(app, subnet_id, lb):
    subnets = app.config["subnets"]
    member_vpc = subnets.get(subnet_id)
    lb_vpc = subnets.get(lb.vip_subnet_id)
    if member_vpc != lb_vpc:
        raise vpc_mismatch(member_vpc, subnet_id, lb_vpc, lb.id)


def check_not_busy(lb, now):
    if lb.is_busy(now):
        raise loadbalancer_busy(lb.id)


def check_quota(app, resulting_count):
    if resulting_count > app.config["members_per_pool"]:
        raise member_quota_exceeded()


def new_member(pool, spec, project_id, subnet_id):
    member = Member(str(uuid.uuid4()), pool.id, spec.ip, spec.protocol_port, subnet_id, project_id, spec.name, spec.weight, spec.admin_state_up)
    for key, value in spec.extras.items():
        setattr(member, key, value)
    return member


def start_settle_window(app, lb, touched, now):
    """Open the PENDING_UPDATE window on ``lb``; ``touched`` is [(member, pending status)] for Octavia's member status."""
    settle = app.config["settle_time"]
    if settle <= 0:
        return
    until = now + settle
    lb.busy_until = max(lb.busy_until, until)
    for member, status in touched:
        member.mark_pending(status, until)


def retire_member(app, pool, member, now):
    """Delete ``member``: at once, or in the ``octavia`` flavor PENDING_DELETE until the settle window ends (ELB_API.md section 10)."""
    settle = app.config["settle_time"]
    if _octavia(app) and settle > 0:
        app.world.start_deleting(pool, member, now + settle)
    else:
        app.world.remove_member(pool, member.id)


def create_member(app, req):
    spec = validate_member_body(app, read_resource(req, "member"), req.project_id)
    world = app.world
    with world.lock:
        if spec.subnet_id is not None:
            check_subnet_exists(app, spec.subnet_id)
        now = time.monotonic()
        pool = visible_pool_or_404(app, req, now=now)
        lb = world.loadbalancer_of(pool)
        check_not_busy(lb, now)
        subnet_id = spec.subnet_id or lb.vip_subnet_id
        check_same_vpc(app, subnet_id, lb)
        if world.find_member(pool, spec.ip, spec.protocol_port) is not None:
            raise member_exists(spec.ip.compressed, spec.protocol_port, pool.id)
        check_quota(app, len(pool.members) + 1)
        member = new_member(pool, spec, req.project_id, subnet_id)
        world.add_member(pool, member)
        start_settle_window(app, lb, [(member, "PENDING_CREATE")], now)
        return json_response(201, {"member": render_member(app, member, pool)})


def _member_id(app, req):
    # ELB (and neutron-lbaas) validate the id as a UUID: 400 on OTC (ELB_API.md section 2).
    # Octavia types the id as text and looks it up, so any unknown id is a 404 "Member <id> not found.".
    if _octavia(app):
        return req.params["member_id"]
    return validation.check_uuid("member_id", req.params["member_id"])


def _member_or_404(pool, member_id):
    member = pool.members.get(member_id)
    if member is None:
        raise member_not_found(member_id)
    return member


def show_member(app, req):
    member_id = _member_id(app, req)
    with app.world.lock:
        pool = visible_pool_or_404(app, req)
        return json_response(200, {"member": render_member(app, _member_or_404(pool, member_id), pool)})


def _validate_update(app, body):
    allowed = UPDATE_ATTRIBUTES + (OCTAVIA_ATTRIBUTES if _octavia(app) else ())
    unknown = set(body) - set(allowed) - set(READ_ONLY_ATTRIBUTES)
    if unknown:
        raise unrecognized("member", unknown)
    for key in sorted(body):
        if key in READ_ONLY_ATTRIBUTES:
            raise read_only(key)
    changes = {}
    if "name" in body:
        changes["name"] = validation.check_string("name", body["name"])
    if "weight" in body:
        changes["weight"] = validation.check_int_range("weight", body["weight"], 0, WEIGHT_MAX[app.config["flavor"]])
    if "admin_state_up" in body:
        changes["admin_state_up"] = _check_admin_state(app, body["admin_state_up"])
    if _octavia(app):
        changes.update(_check_octavia_extras(body))
        if "monitor_address" in body and body["monitor_address"] is None:
            changes["monitor_address"] = None
        if "monitor_port" in body and body["monitor_port"] is None:
            changes["monitor_port"] = None
    return changes


def apply_member_changes(member, changes, now):
    if changes.get("admin_state_up") and not member.admin_state_up:
        # A re-enabled member is checked again from scratch, like a new one.
        member.health_since = now
    for key, value in changes.items():
        setattr(member, key, value)


def update_member(app, req):
    member_id = _member_id(app, req)
    changes = _validate_update(app, read_resource(req, "member"))
    world = app.world
    with world.lock:
        now = time.monotonic()
        pool = visible_pool_or_404(app, req, now=now)
        member = _member_or_404(pool, member_id)
        lb = world.loadbalancer_of(pool)
        check_not_busy(lb, now)
        apply_member_changes(member, changes, now)
        member.updated_at = utc_now_text()
        start_settle_window(app, lb, [(member, "PENDING_UPDATE")], now)
        return json_response(200, {"member": render_member(app, member, pool)})


def delete_member(app, req):
    member_id = _member_id(app, req)
    world = app.world
    with world.lock:
        now = time.monotonic()
        pool = visible_pool_or_404(app, req, now=now)
        member = _member_or_404(pool, member_id)
        lb = world.loadbalancer_of(pool)
        check_not_busy(lb, now)
        retire_member(app, pool, member, now)
        start_settle_window(app, lb, [], now)
    return empty_response(204)


def member_fields(app, pools_by_id, extension=False):
    fields = {
        name: attribute(kind, name)
        for name, kind in (
            ("id", "str"),
            ("name", "str"),
            ("protocol_port", "int"),
            ("subnet_id", "str"),
            ("weight", "int"),
            ("admin_state_up", "bool"),
            ("tenant_id", "str"),
            ("pool_id", "str"),
        )
    }
    fields["address"] = Field("ip", lambda member: member.ip)
    fields["project_id"] = fields["tenant_id"]
    fields["operating_status"] = Field("str", lambda member: operating_status(app, pools_by_id[member.pool_id], member))
    if app.config["flavor"] == "octavia":
        fields["backup"] = attribute("bool", "backup")
        fields["monitor_port"] = attribute("int", "monitor_port")
        fields["monitor_address"] = Field("ip", lambda member: None if member.monitor_address is None else ipaddress.ip_address(member.monitor_address))
    if extension:
        fields["loadbalancer_id"] = Field("str", lambda member: pools_by_id[member.pool_id].loadbalancer_id)
    return fields


def _narrow_by_index(pools):
    """Use the (address, protocol_port) index when both are filtered on: the usual find-one-member query."""

    def narrow(filters):
        if "address" not in filters or "protocol_port" not in filters:
            return None
        found = []
        for pool in pools:
            for ip in filters["address"]:
                for port in filters["protocol_port"]:
                    member_id = pool.index.get((ip, port))
                    if member_id is not None:
                        found.append(pool.members[member_id])
        return found

    return narrow


def list_members(app, req):
    with app.world.lock:
        pool = visible_pool_or_404(app, req)
        collection = Collection(
            "members",
            member_fields(app, {pool.id: pool}),
            items=lambda: list(pool.members.values()),
            lookup=pool.members.get,
            render=lambda member: render_member(app, member, pool),
            sorted_ids=lambda: pool.member_ids,
            narrow=_narrow_by_index([pool]),
        )
        payload = list_collection(app, req, collection)
    return json_response(200, payload)


def list_all_members(app, req):
    """GET /lbaas/members: every member of the project, with pool_id, loadbalancer_id and device fields."""
    world = app.world
    with world.lock:
        pools = {pool.id: pool for pool in world.pools.values() if pool.tenant_id == req.project_id}
        for pool in pools.values():
            world.reap(pool)

        def lookup(member_id):
            for pool in pools.values():
                member = pool.members.get(member_id)
                if member is not None:
                    return member
            return None

        collection = Collection(
            "members",
            member_fields(app, pools, extension=True),
            items=lambda: [member for pool in pools.values() for member in pool.members.values()],
            lookup=lookup,
            render=lambda member: render_member(app, member, pools[member.pool_id], extension=True),
            narrow=_narrow_by_index(list(pools.values())),
        )
        payload = list_collection(app, req, collection)
    return json_response(200, payload)
