"""The emulator instance: configuration, world, tokens, faults and recorder, and how a reset restores them."""

import copy
import threading

from .config import default_config, merged_config
from .demo import create_demo_world
from .faults import FaultInjector
from .health import HealthRules
from .iam import TokenStore
from .recorder import Recorder
from .router import Router
from .state import World
from .v3_resources import create_dedicated_demo_world


class Emulator:
    """Shared by every handler thread; ``config`` is replaced as a whole on update, never mutated in place."""

    def __init__(self, config=None, demo_world=False, seed=None, faults=None):
        self.startup_config = copy.deepcopy(config) if config is not None else default_config()
        self.config = copy.deepcopy(self.startup_config)
        self._config_lock = threading.Lock()
        self.world = World()
        # Dedicated (v3) load balancers: another product, never visible through the v2.0 routes.
        self.dedicated = World()
        self.tokens = TokenStore()
        self.recorder = Recorder()
        self.seed = seed
        self.faults = FaultInjector(seed)
        self.health = HealthRules()
        self.router = Router()
        self.demo_world = demo_world
        if faults:
            self.faults.load(faults)
        if demo_world:
            create_demo_world(self.world)
            create_dedicated_demo_world(self.dedicated)

    def find_pool(self, pool_id):
        """(world, pool) for a pool id of either family, or (None, None); the control API's lookup."""
        for world in (self.world, self.dedicated):
            pool = world.pools.get(pool_id)
            if pool is not None:
                return world, pool
        return None, None

    def update_config(self, update):
        with self._config_lock:
            self.config = merged_config(self.config, update)
            return self.config

    def reset(self, keep_world=False):
        """Back to the start-up state (the configuration the process was started with, no faults);
        ``keep_world`` clears only the counts and the request log."""
        self.recorder.clear()
        if keep_world:
            return
        with self.world.lock, self.dedicated.lock:
            self.world.clear()
            self.dedicated.clear()
            self.tokens.clear()
            self.faults.clear(self.seed)
            self.health.clear()
            with self._config_lock:
                self.config = copy.deepcopy(self.startup_config)
            if self.demo_world:
                create_demo_world(self.world)
                create_dedicated_demo_world(self.dedicated)
