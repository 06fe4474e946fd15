"""Load balancers: create, list, show, delete and the status tree (just enough to hold pools)."""

import time
import uuid

from . import validation
from .bodies import check_tenant, read_resource, reject_unknown, require
from .errors import entity_in_use, loadbalancer_not_found, subnet_not_found
from .health import tree_status
from .http_types import empty_response, json_response
from .listing import Collection, Field, attribute, list_collection
from .state import LoadBalancer

CREATE_ATTRIBUTES = ("name", "description", "vip_subnet_id", "vip_address", "admin_state_up", "tenant_id", "project_id", "provider")
PROVIDER = "vlb"


def render_loadbalancer(app, lb):
    rendered = {
        "id": lb.id,
        "name": lb.name,
        "description": lb.description,
        "vip_subnet_id": lb.vip_subnet_id,
        "vip_address": lb.vip_address,
        "vip_port_id": lb.vip_port_id,
        "provisioning_status": lb.provisioning_status(),
        "operating_status": "ONLINE",
        "admin_state_up": lb.admin_state_up,
        "tenant_id": lb.tenant_id,
        "project_id": lb.tenant_id,
        "listeners": [],
        "pools": [{"id": pool_id} for pool_id in lb.pool_ids],
        "provider": PROVIDER,
    }
    if app.config["flavor"] == "octavia":
        rendered.update({"created_at": lb.created_at, "updated_at": lb.updated_at, "flavor_id": None, "tags": []})
    return rendered


def new_loadbalancer(world, project_id, name, vip_subnet_id, description="", lb_id=None, vip_address=None, admin_state_up=True):
    lb = LoadBalancer(
        lb_id or str(uuid.uuid4()), name, description, vip_subnet_id, vip_address or world.next_vip_address(), str(uuid.uuid4()), admin_state_up, project_id
    )
    world.add_loadbalancer(lb)
    return lb


def create_loadbalancer(app, req):
    body = read_resource(req, "loadbalancer")
    reject_unknown(body, CREATE_ATTRIBUTES, "loadbalancer")
    require(body, "loadbalancer", ("vip_subnet_id",))
    subnet_id = validation.check_string("vip_subnet_id", body["vip_subnet_id"])
    name = validation.check_string("name", body.get("name", ""))
    description = validation.check_string("description", body.get("description", ""))
    vip_address = body.get("vip_address")
    if vip_address is not None:
        vip_address = validation.check_address(vip_address, "loadbalancer", "vip_address").compressed
    admin_state_up = validation.check_bool("admin_state_up", body.get("admin_state_up", True))
    if body.get("provider") is not None:
        validation.check_string("provider", body["provider"])
    check_tenant(body, req.project_id)
    world = app.world
    with world.lock:
        if subnet_id not in app.config["subnets"]:
            raise subnet_not_found(subnet_id)
        lb = new_loadbalancer(world, req.project_id, name, subnet_id, description, vip_address=vip_address, admin_state_up=admin_state_up)
        return json_response(201, {"loadbalancer": render_loadbalancer(app, lb)})


def _fields():
    fields = {
        name: attribute(kind, name)
        for name, kind in (
            ("id", "str"),
            ("name", "str"),
            ("description", "str"),
            ("vip_subnet_id", "str"),
            ("vip_port_id", "str"),
            ("admin_state_up", "bool"),
            ("tenant_id", "str"),
        )
    }
    fields["vip_address"] = Field("str", lambda lb: lb.vip_address)
    fields["project_id"] = fields["tenant_id"]
    fields["provisioning_status"] = Field("str", lambda lb: lb.provisioning_status())
    fields["operating_status"] = Field("str", lambda lb: "ONLINE")
    fields["provider"] = Field("str", lambda lb: PROVIDER)
    return fields


def list_loadbalancers(app, req):
    world = app.world
    with world.lock:
        collection = Collection(
            "loadbalancers",
            _fields(),
            items=lambda: [lb for lb in world.loadbalancers.values() if lb.tenant_id == req.project_id],
            lookup=lambda lb_id: world.visible_loadbalancer(lb_id, req.project_id),
            render=lambda lb: render_loadbalancer(app, lb),
        )
        payload = list_collection(app, req, collection)
    return json_response(200, payload)


def _visible(app, req):
    lb = app.world.visible_loadbalancer(req.params["loadbalancer_id"], req.project_id)
    if lb is None:
        raise loadbalancer_not_found(req.params["loadbalancer_id"])
    return lb


def show_loadbalancer(app, req):
    with app.world.lock:
        return json_response(200, {"loadbalancer": render_loadbalancer(app, _visible(app, req))})


def delete_loadbalancer(app, req):
    world = app.world
    with world.lock:
        lb = _visible(app, req)
        if lb.pool_ids:
            raise entity_in_use("pool", lb.pool_ids[0], "loadbalancer", "Load Balancer", lb.id)
        world.remove_loadbalancer(lb.id)
    return empty_response(204)


def show_statuses(app, req):
    """The status tree; the service documents member provisioning_status there as always ACTIVE."""
    world = app.world
    with world.lock:
        lb = _visible(app, req)
        now = time.monotonic()
        pools = []
        for pool_id in lb.pool_ids:
            pool = world.pools[pool_id]
            world.reap(pool, now)
            members = [
                {
                    "id": member.id,
                    "name": member.name,
                    "address": member.address,
                    "protocol_port": member.protocol_port,
                    "provisioning_status": "ACTIVE",
                    "operating_status": tree_status(app, pool, member, now),
                }
                for member in (pool.members[member_id] for member_id in pool.member_ids)
            ]
            monitor = {}
            if pool.healthmonitor_id is not None:
                monitor = {"id": pool.healthmonitor_id, "type": world.healthmonitors[pool.healthmonitor_id].type, "provisioning_status": "ACTIVE"}
            pools.append(
                {"id": pool.id, "name": pool.name, "provisioning_status": "ACTIVE", "operating_status": "ONLINE", "healthmonitor": monitor, "members": members}
            )
        tree = {"id": lb.id, "name": lb.name, "provisioning_status": lb.provisioning_status(), "operating_status": "ONLINE", "listeners": [], "pools": pools}
        return json_response(200, {"statuses": {"loadbalancer": tree}})
