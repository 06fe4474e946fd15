"""The fixed demo world that ``--demo-world`` creates (and every reset re-creates)."""

from .config import PROJECT_ID, SUBNET_A1
from .healthmonitors import add_monitor
from .loadbalancers import new_loadbalancer
from .pools import new_pool

DEMO_LB_ID = "4b6d8f0a-1c3e-4a5b-9c7d-0e2f4a6b8c01"
DEMO_LB_NAME = "demo-lb"
DEMO_POOL_ID = "3a5c7e9b-0d2f-4b4c-8e6a-1f3b5d7c9e02"
DEMO_POOL_NAME = "demo-pool"
DEMO_MONITOR_ID = "5c7e9b1d-2f4a-4c6e-8a0b-3d5f7a9c1e04"
# Attached at clock 0, "long ago": created members start OFFLINE for health_delay, seeded ones do not.
DEMO_MONITOR = {"name": "demo-monitor", "type": "TCP", "delay": 5, "timeout": 3, "max_retries": 3}


def create_demo_world(world):
    with world.lock:
        new_loadbalancer(world, PROJECT_ID, DEMO_LB_NAME, SUBNET_A1, lb_id=DEMO_LB_ID)
        pool = new_pool(world, PROJECT_ID, DEMO_LB_ID, DEMO_POOL_NAME, "TCP", "ROUND_ROBIN", pool_id=DEMO_POOL_ID)
        add_monitor(world, pool, DEMO_MONITOR, monitor_id=DEMO_MONITOR_ID, now=0.0)
