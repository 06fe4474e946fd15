"""The emulator instance: configuration, world, tokens, faults and recorder, and how a reset restores them."""

import copy
import threading

from .config import default_config, merged_config
from .demo import create_demo_world
from .faults import FaultInjector
from .iam import TokenStore
from .recorder import Recorder
from .router import Router
from .state import World


class Emulator:
    """Shared by every handler thread; ``config`` is replaced as a whole on update, never mutated in place."""

    def __init__(self, config=None, demo_world=False, seed=None, faults=None):
        self.startup_config = copy.deepcopy(config) if config is not None else default_config()
        self.config = copy.deepcopy(self.startup_config)
        self._config_lock = threading.Lock()
        self.world = World()
        self.tokens = TokenStore()
        self.recorder = Recorder()
        self.seed = seed
        self.faults = FaultInjector(seed)
        self.router = Router()
        self.demo_world = demo_world
        if faults:
            self.faults.load(faults)
        if demo_world:
            create_demo_world(self.world)

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
        with self.world.lock:
            self.world.clear()
            self.tokens.clear()
            self.faults.clear(self.seed)
            with self._config_lock:
                self.config = copy.deepcopy(self.startup_config)
            if self.demo_world:
                create_demo_world(self.world)
