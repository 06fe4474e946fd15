"""The emulated world: load balancers, pools and members, their indexes, and the lock that guards them.

Every check-and-write happens under ``World.lock`` so that concurrent creates of one member produce
exactly one member.  Reads take the same lock briefly to copy what they render.  Members are indexed
by (ip_address, protocol_port) and each pool keeps its member ids sorted, so lookups and pages stay
cheap with tens of thousands of members.
"""

import bisect
import datetime
import threading
import time


def utc_now_text():
    """Octavia's timestamp format: second precision, no zone suffix."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


class LoadBalancer:
    __slots__ = (
        "id",
        "name",
        "description",
        "vip_subnet_id",
        "vip_address",
        "vip_port_id",
        "admin_state_up",
        "tenant_id",
        "pool_ids",
        "busy_until",
        "ip_target_enable",
        "created_at",
        "updated_at",
    )

    def __init__(self, lb_id, name, description, vip_subnet_id, vip_address, vip_port_id, admin_state_up, tenant_id):
        self.id = lb_id
        self.name = name
        self.description = description
        self.vip_subnet_id = vip_subnet_id
        self.vip_address = vip_address
        self.vip_port_id = vip_port_id
        self.admin_state_up = admin_state_up
        self.tenant_id = tenant_id
        self.pool_ids = []
        self.busy_until = 0.0
        # Dedicated (v3) load balancers only: may IP-as-a-backend members (no subnet) join its pools?
        self.ip_target_enable = False
        self.created_at = self.updated_at = utc_now_text()

    def is_busy(self, now=None):
        return self.busy_until > (time.monotonic() if now is None else now)

    def provisioning_status(self, now=None):
        return "PENDING_UPDATE" if self.is_busy(now) else "ACTIVE"


class Pool:
    __slots__ = (
        "id",
        "name",
        "description",
        "protocol",
        "lb_algorithm",
        "admin_state_up",
        "tenant_id",
        "loadbalancer_id",
        "members",
        "member_ids",
        "index",
        "deleting",
        "healthmonitor_id",
        "monitor_since",
        "ip_version",
        "listener_ids",
        "created_at",
        "updated_at",
    )

    def __init__(self, pool_id, name, description, protocol, lb_algorithm, admin_state_up, tenant_id, loadbalancer_id):
        self.id = pool_id
        self.name = name
        self.description = description
        self.protocol = protocol
        self.lb_algorithm = lb_algorithm
        self.admin_state_up = admin_state_up
        self.tenant_id = tenant_id
        self.loadbalancer_id = loadbalancer_id
        self.members = {}
        self.member_ids = []
        self.index = {}
        self.deleting = []
        # Health checks of existing members start over when a monitor is attached (health.py).
        self.healthmonitor_id = None
        self.monitor_since = 0.0
        # Dedicated (v3) pools only: "v4" or "dualstack", and the listeners a member reports a status for.
        self.ip_version = "v4"
        self.listener_ids = []
        self.created_at = self.updated_at = utc_now_text()


class Member:
    __slots__ = (
        "id",
        "pool_id",
        "name",
        "address",
        "ip",
        "protocol_port",
        "subnet_id",
        "weight",
        "admin_state_up",
        "health_since",
        "tenant_id",
        "backup",
        "monitor_address",
        "monitor_port",
        "tags",
        "availability_zone",
        "created_at",
        "updated_at",
        "pending_status",
        "pending_until",
    )

    def __init__(self, member_id, pool_id, ip, protocol_port, subnet_id, tenant_id, name="", weight=1, admin_state_up=True, health_since=None):
        self.id = member_id
        self.pool_id = pool_id
        self.ip = ip
        self.address = ip.compressed
        self.protocol_port = protocol_port
        self.subnet_id = subnet_id
        self.tenant_id = tenant_id
        self.name = name
        self.weight = weight
        self.admin_state_up = admin_state_up
        # When the health checks of this member (re)started: creation, or admin_state_up false -> true.
        self.health_since = time.monotonic() if health_since is None else health_since
        self.backup = False
        self.monitor_address = None
        self.monitor_port = None
        self.tags = []
        self.availability_zone = ""
        self.created_at = self.updated_at = utc_now_text()
        self.pending_status = None
        self.pending_until = 0.0

    @property
    def key(self):
        return (self.ip, self.protocol_port)

    def mark_pending(self, status, until):
        self.pending_status = status
        self.pending_until = until

    def provisioning_status(self, now=None):
        if self.pending_status and self.pending_until > (time.monotonic() if now is None else now):
            return self.pending_status
        return "ACTIVE"


class World:
    """All resources of all projects; callers hold ``lock`` around any read-modify-write."""

    def __init__(self):
        self.lock = threading.RLock()
        self.loadbalancers = {}
        self.pools = {}
        self.healthmonitors = {}
        self.vip_counter = 0

    def clear(self):
        with self.lock:
            self.loadbalancers.clear()
            self.pools.clear()
            self.healthmonitors.clear()
            self.vip_counter = 0

    def next_vip_address(self):
        self.vip_counter += 1
        return "192.168.%d.%d" % (self.vip_counter // 250, 10 + self.vip_counter % 250)

    def add_loadbalancer(self, lb):
        self.loadbalancers[lb.id] = lb

    def remove_loadbalancer(self, lb_id):
        self.loadbalancers.pop(lb_id, None)

    def add_pool(self, pool):
        self.pools[pool.id] = pool
        self.loadbalancers[pool.loadbalancer_id].pool_ids.append(pool.id)

    def remove_pool(self, pool_id):
        pool = self.pools.pop(pool_id, None)
        if pool is None:
            return
        if pool.healthmonitor_id is not None:
            self.healthmonitors.pop(pool.healthmonitor_id, None)
        lb = self.loadbalancers.get(pool.loadbalancer_id)
        if lb is not None and pool_id in lb.pool_ids:
            lb.pool_ids.remove(pool_id)

    def visible_loadbalancer(self, lb_id, project_id):
        lb = self.loadbalancers.get(lb_id)
        return lb if lb is not None and lb.tenant_id == project_id else None

    def visible_pool(self, pool_id, project_id):
        pool = self.pools.get(pool_id)
        return pool if pool is not None and pool.tenant_id == project_id else None

    def loadbalancer_of(self, pool):
        return self.loadbalancers[pool.loadbalancer_id]

    @staticmethod
    def add_member(pool, member):
        pool.members[member.id] = member
        bisect.insort(pool.member_ids, member.id)
        pool.index[member.key] = member.id

    @staticmethod
    def add_members_bulk(pool, members):
        """Insert many members at once: one sort instead of one insort each."""
        for member in members:
            pool.members[member.id] = member
            pool.index[member.key] = member.id
        pool.member_ids.extend(member.id for member in members)
        pool.member_ids.sort()

    @staticmethod
    def remove_member(pool, member_id):
        member = pool.members.pop(member_id, None)
        if member is None:
            return None
        position = bisect.bisect_left(pool.member_ids, member_id)
        if position < len(pool.member_ids) and pool.member_ids[position] == member_id:
            del pool.member_ids[position]
        if pool.index.get(member.key) == member_id:
            del pool.index[member.key]
        return member

    @staticmethod
    def start_deleting(pool, member, until):
        """Octavia: a deleted member stays visible as PENDING_DELETE until ``until``, then it is gone."""
        member.mark_pending("PENDING_DELETE", until)
        pool.deleting.append(member.id)

    @classmethod
    def reap(cls, pool, now=None):
        """Remove the members whose PENDING_DELETE phase ended by ``now``; call it before reading or writing ``pool``."""
        if not pool.deleting:
            return
        now = time.monotonic() if now is None else now
        still = []
        for member_id in pool.deleting:
            member = pool.members.get(member_id)
            if member is None:
                continue
            if member.pending_until > now:
                still.append(member_id)
            else:
                cls.remove_member(pool, member_id)
        pool.deleting = still

    @staticmethod
    def find_member(pool, ip, protocol_port):
        member_id = pool.index.get((ip, protocol_port))
        return pool.members.get(member_id) if member_id else None
