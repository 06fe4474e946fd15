"""Pools: create, list, show, delete (deleting a pool deletes its members and its health monitor)."""

import uuid

from . import validation
from .bodies import check_tenant, read_resource, reject_unknown, require
from .errors import bad_request, loadbalancer_not_found, pool_not_found
from .http_types import empty_response, json_response
from .listing import Collection, attribute, list_collection
from .state import Pool

PROTOCOLS = ("TCP", "UDP", "HTTP")
ALGORITHMS = ("ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP")
CREATE_ATTRIBUTES = ("name", "description", "loadbalancer_id", "protocol", "lb_algorithm", "admin_state_up", "tenant_id", "project_id", "session_persistence")


def render_pool(app, pool):
    rendered = {
        "id": pool.id,
        "name": pool.name,
        "description": pool.description,
        "protocol": pool.protocol,
        "lb_algorithm": pool.lb_algorithm,
        "admin_state_up": pool.admin_state_up,
        "tenant_id": pool.tenant_id,
        "project_id": pool.tenant_id,
        "loadbalancers": [{"id": pool.loadbalancer_id}],
        "listeners": [],
        "members": [{"id": member_id} for member_id in pool.member_ids],
        "healthmonitor_id": pool.healthmonitor_id,
        "session_persistence": None,
    }
    if app.config["flavor"] == "octavia":
        lb = app.world.loadbalancers.get(pool.loadbalancer_id)
        rendered.update(
            {
                "provisioning_status": lb.provisioning_status() if lb else "ACTIVE",
                "operating_status": "ONLINE",
                "created_at": pool.created_at,
                "updated_at": pool.updated_at,
                "tags": [],
            }
        )
    return rendered


def new_pool(world, project_id, lb_id, name, protocol="TCP", lb_algorithm="ROUND_ROBIN", description="", pool_id=None, admin_state_up=True):
    pool = Pool(pool_id or str(uuid.uuid4()), name, description, protocol, lb_algorithm, admin_state_up, project_id, lb_id)
    world.add_pool(pool)
    return pool


def create_pool(app, req):
    body = read_resource(req, "pool")
    reject_unknown(body, CREATE_ATTRIBUTES, "pool")
    require(body, "pool", ("loadbalancer_id", "protocol", "lb_algorithm"))
    lb_id = validation.check_string("loadbalancer_id", body["loadbalancer_id"])
    protocol = validation.check_choice("protocol", body["protocol"], PROTOCOLS)
    algorithm = validation.check_choice("lb_algorithm", body["lb_algorithm"], ALGORITHMS)
    name = validation.check_string("name", body.get("name", ""))
    description = validation.check_string("description", body.get("description", ""))
    admin_state_up = validation.check_bool("admin_state_up", body.get("admin_state_up", True))
    if body.get("session_persistence") is not None:
        raise bad_request("Invalid input for session_persistence. Reason: session persistence is not supported by the emulator.")
    check_tenant(body, req.project_id)
    world = app.world
    with world.lock:
        if world.visible_loadbalancer(lb_id, req.project_id) is None:
            raise loadbalancer_not_found(lb_id)
        pool = new_pool(world, req.project_id, lb_id, name, protocol, algorithm, description, admin_state_up=admin_state_up)
        return json_response(201, {"pool": render_pool(app, pool)})


def _fields():
    fields = {
        name: attribute(kind, name)
        for name, kind in (
            ("id", "str"),
            ("name", "str"),
            ("description", "str"),
            ("protocol", "str"),
            ("lb_algorithm", "str"),
            ("admin_state_up", "bool"),
            ("tenant_id", "str"),
            ("loadbalancer_id", "str"),
        )
    }
    fields["project_id"] = fields["tenant_id"]
    fields["healthmonitor_id"] = attribute("str", "healthmonitor_id")
    return fields


def list_pools(app, req):
    world = app.world
    with world.lock:
        collection = Collection(
            "pools",
            _fields(),
            items=lambda: [pool for pool in world.pools.values() if pool.tenant_id == req.project_id],
            lookup=lambda pool_id: world.visible_pool(pool_id, req.project_id),
            render=lambda pool: render_pool(app, pool),
        )
        payload = list_collection(app, req, collection)
    return json_response(200, payload)


def visible_pool_or_404(app, req, in_url=True, now=None):
    """The pool in the URL, with members whose PENDING_DELETE phase ended by ``now`` removed; writes pass the
    same ``now`` they check the load balancer's window with."""
    pool = app.world.visible_pool(req.params["pool_id"], req.project_id)
    if pool is None:
        raise pool_not_found(req.params["pool_id"], in_url=in_url)
    app.world.reap(pool, now)
    return pool


def show_pool(app, req):
    with app.world.lock:
        return json_response(200, {"pool": render_pool(app, visible_pool_or_404(app, req, in_url=False))})


def delete_pool(app, req):
    with app.world.lock:
        pool = visible_pool_or_404(app, req, in_url=False)
        app.world.remove_pool(pool.id)
    return empty_response(204)
