"""Dedicated (v3) members: create, show, update, delete, the pool list and the project-wide list.

Writes are synchronous (ELB_API_V3.md section 5): no settle window, the load balancer stays ACTIVE.
Errors are rendered in the v3 envelope by the server (``Route.is_v3``).
"""

import ipaddress
import uuid

from . import validation
from .bodies import check_tenant, read_resource, reject_unknown, require
from .errors import ApiError, bad_request, member_exists, member_not_found, read_only, subnet_not_found, unrecognized, vpc_mismatch
from .health import operating_status
from .http_types import empty_response
from .listing import Field, attribute
from .members import MemberSpec, check_quota
from .state import Member, utc_now_text
from .v3_resources import parse_v3_filters, pool_or_404, project_or_403, v3_page, v3_response, v3_time

CREATE_ATTRIBUTES = ("address", "protocol_port", "subnet_cidr_id", "weight", "name", "admin_state_up", "project_id", "availability_zone")
UPDATE_ATTRIBUTES = ("name", "weight", "availability_zone")
READ_ONLY_ATTRIBUTES = (
    "id",
    "address",
    "protocol_port",
    "subnet_cidr_id",
    "admin_state_up",
    "project_id",
    "ip_version",
    "operating_status",
    "status",
    "member_type",
    "instance_id",
    "created_at",
    "updated_at",
)
IP_MEMBER_PROTOCOLS = ("TCP", "HTTP", "HTTPS")
WEIGHT_MAX = 100
CHECK_FAILED = {"reason_code": "CONNECT_FAILED", "expected_response": "", "healthcheck_response": ""}


def member_type(member):
    return "instance" if member.subnet_id else "ip"


def v3_status(app, pool, member):
    """(operating_status, reason): v3 has no ERROR, so a failing check reads OFFLINE with a reason (**choice**)."""
    status = operating_status(app, pool, member)
    if status == "ERROR":
        return "OFFLINE", dict(CHECK_FAILED)
    return status, None


def render_member(app, pool, member, everywhere=False):
    status, reason = v3_status(app, pool, member)
    rendered = {
        "id": member.id,
        "name": member.name,
        "project_id": member.tenant_id,
        "address": member.address,
        "protocol_port": member.protocol_port,
        "subnet_cidr_id": member.subnet_id or "",
        "weight": member.weight,
        "admin_state_up": member.admin_state_up,
        "ip_version": "v%d" % member.ip.version,
        "operating_status": status,
        "reason": reason,
        # One entry per listener of the pool; the emulator's listeners always agree.
        "status": [{"listener_id": listener_id, "operating_status": status, "reason": reason} for listener_id in pool.listener_ids],
        "member_type": member_type(member),
        "instance_id": "",
        "availability_zone": member.availability_zone,
        "created_at": v3_time(member.created_at),
        "updated_at": v3_time(member.updated_at),
    }
    if everywhere:
        rendered.update(
            {"pool_id": pool.id, "loadbalancer_id": pool.loadbalancer_id, "loadbalancers": [{"id": pool.loadbalancer_id}], "device_id": "", "device_owner": ""}
        )
    return rendered


def validate_body(body, project_id, allowed=CREATE_ATTRIBUTES):
    """Checks that need nothing but the body, in the v2.0 order; returns a MemberSpec whose extras hold the
    availability zone."""
    reject_unknown(body, allowed, "member")
    require(body, "member", ("address", "protocol_port"))
    ip = validation.check_address(body["address"])
    port = validation.check_port(body["protocol_port"])
    weight = validation.check_int_range("weight", body["weight"], 0, WEIGHT_MAX) if body.get("weight") is not None else 1
    name = validation.check_string("name", body["name"]) if body.get("name") is not None else ""
    subnet_id = body.get("subnet_cidr_id") or None
    if subnet_id is not None:
        validation.check_string("subnet_cidr_id", subnet_id)
    check_tenant(body, project_id)
    admin_state_up = validation.check_bool("admin_state_up", body["admin_state_up"]) if body.get("admin_state_up") is not None else True
    zone = validation.check_string("availability_zone", body["availability_zone"]) if body.get("availability_zone") is not None else ""
    return MemberSpec(ip, port, subnet_id, name, weight, admin_state_up, {"availability_zone": zone})


def check_placement(app, pool, spec):
    """Subnet, VPC, IP version and the IP-as-a-backend rules (section 3); the caller holds the lock."""
    lb = app.dedicated.loadbalancer_of(pool)
    if spec.subnet_id is not None:
        subnets = app.config["subnets"]
        if spec.subnet_id not in subnets:
            raise subnet_not_found(spec.subnet_id)
        if subnets[spec.subnet_id] != subnets.get(lb.vip_subnet_id):
            raise vpc_mismatch(subnets[spec.subnet_id], spec.subnet_id, subnets.get(lb.vip_subnet_id), lb.id)
        if spec.ip.version == 6 and pool.ip_version != "dualstack":
            raise bad_request("Invalid input for address. Reason: IPv6 member %s needs a dualstack pool, pool %s is v4." % (spec.ip, pool.id))
        return
    if spec.ip.version == 6:
        raise ApiError(400, "HTTPBadRequest", "IPv6 backend is not supported for IP as a backend members: %s." % spec.ip, v3_code="ELB.8933")
    if not lb.ip_target_enable:
        raise ApiError(400, "HTTPBadRequest", "Loadbalancer %s does not enable ip_target_enable, IP as a backend is not allowed." % lb.id, v3_code="ELB.8939")
    if pool.protocol not in IP_MEMBER_PROTOCOLS:
        raise ApiError(400, "HTTPBadRequest", "IP as a backend members need a pool of protocol TCP, HTTP or HTTPS, not %s." % pool.protocol, v3_code="ELB.8938")


def new_member(pool, spec, project_id):
    member = Member(str(uuid.uuid4()), pool.id, spec.ip, spec.protocol_port, spec.subnet_id, project_id, spec.name, spec.weight, spec.admin_state_up)
    member.availability_zone = spec.extras["availability_zone"]
    return member


def create_member(app, req):
    spec = validate_body(read_resource(req, "member"), req.project_id)
    world = app.dedicated
    with world.lock:
        pool = pool_or_404(app, req)
        check_placement(app, pool, spec)
        if world.find_member(pool, spec.ip, spec.protocol_port) is not None:
            raise member_exists(spec.ip.compressed, spec.protocol_port, pool.id)
        check_quota(app, len(pool.members) + 1)
        member = new_member(pool, spec, req.project_id)
        world.add_member(pool, member)
        return v3_response(201, req, {"member": render_member(app, pool, member)})


def _member_or_404(pool, member_id):
    member = pool.members.get(member_id)
    if member is None:
        raise member_not_found(member_id)
    return member


def show_member(app, req):
    with app.dedicated.lock:
        pool = pool_or_404(app, req)
        return v3_response(200, req, {"member": render_member(app, pool, _member_or_404(pool, req.params["member_id"]))})


def validate_changes(body, allowed=UPDATE_ATTRIBUTES):
    """name, weight and availability_zone; admin_state_up, address, port and subnet are read-only on v3."""
    unknown = set(body) - set(allowed) - set(READ_ONLY_ATTRIBUTES)
    if unknown:
        raise unrecognized("member", unknown)
    for key in sorted(body):
        if key in READ_ONLY_ATTRIBUTES and key not in allowed:
            raise read_only(key)
    changes = {}
    if "name" in body:
        changes["name"] = validation.check_string("name", body["name"])
    if "weight" in body:
        changes["weight"] = validation.check_int_range("weight", body["weight"], 0, WEIGHT_MAX)
    if "availability_zone" in body:
        changes["availability_zone"] = validation.check_string("availability_zone", body["availability_zone"])
    return changes


def apply_changes(member, changes):
    for key, value in changes.items():
        setattr(member, key, value)
    member.updated_at = utc_now_text()


def update_member(app, req):
    changes = validate_changes(read_resource(req, "member"))
    with app.dedicated.lock:
        pool = pool_or_404(app, req)
        member = _member_or_404(pool, req.params["member_id"])
        apply_changes(member, changes)
        return v3_response(200, req, {"member": render_member(app, pool, member)})


def delete_member(app, req):
    with app.dedicated.lock:
        pool = pool_or_404(app, req)
        app.dedicated.remove_member(pool, _member_or_404(pool, req.params["member_id"]).id)
    return empty_response(204)


def member_fields(app, pools_by_id):
    kinds = (("id", "str"), ("name", "str"), ("protocol_port", "int"), ("weight", "int"), ("admin_state_up", "bool"), ("availability_zone", "str"))
    fields = {name: attribute(kind, name) for name, kind in kinds}
    fields["address"] = Field("ip", lambda member: member.ip)
    fields["subnet_cidr_id"] = Field("str", lambda member: member.subnet_id or "")
    fields["operating_status"] = Field("str", lambda member: v3_status(app, pools_by_id[member.pool_id], member)[0])
    fields["ip_version"] = Field("str", lambda member: "v%d" % member.ip.version)
    fields["member_type"] = Field("str", member_type)
    fields["instance_id"] = Field("str", lambda member: "")
    fields["pool_id"] = attribute("str", "pool_id")
    fields["loadbalancer_id"] = Field("str", lambda member: pools_by_id[member.pool_id].loadbalancer_id)
    return fields


def _matcher(filters, fields):
    def matches(member):
        return all(fields[key].getter(member) in wanted for key, wanted in filters.items())

    return matches


def list_members(app, req):
    with app.dedicated.lock:
        pool = pool_or_404(app, req)
        fields = member_fields(app, {pool.id: pool})
        filters = parse_v3_filters(req, fields)
        page, info = v3_page(req, pool.member_ids, pool.members.get, _matcher(filters, fields))
        members = [render_member(app, pool, member) for member in page]
    return v3_response(200, req, {"members": members, "page_info": info})


def list_all_members(app, req):
    project_id = project_or_403(req)
    world = app.dedicated
    with world.lock:
        pools = {pool.id: pool for pool in world.pools.values() if pool.tenant_id == project_id}
        owner = {member_id: pool for pool in pools.values() for member_id in pool.member_ids}
        fields = member_fields(app, pools)
        filters = parse_v3_filters(req, fields)

        def lookup(member_id):
            return owner[member_id].members[member_id] if member_id in owner else None

        page, info = v3_page(req, sorted(owner), lookup, _matcher(filters, fields))
        members = [render_member(app, pools[member.pool_id], member, everywhere=True) for member in page]
    return v3_response(200, req, {"members": members, "page_info": info})


def address_of(text):
    """The ipaddress of ``text`` or None: batch-delete items name members by address too."""
    try:
        return ipaddress.ip_address(text) if isinstance(text, str) and "%" not in text else None
    except ValueError:
        return None
