"""Per-route request counts and the bounded request log behind /_emulator/counts and /_emulator/requests.

Only method, path, query, route, status and fault are kept: headers and bodies carry credentials.
"""

import collections
import itertools
import threading

LOG_SIZE = 100000
WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))


class Recorder:
    def __init__(self, size=LOG_SIZE):
        self._lock = threading.Lock()
        self._counts = collections.Counter()
        self._total = 0
        self._writes = 0
        self._log = collections.deque(maxlen=size)
        self._sequence = itertools.count(1)

    def clear(self):
        with self._lock:
            self._counts.clear()
            self._total = 0
            self._writes = 0
            self._log.clear()

    def count(self, method, route_key):
        """Counted when the request arrives, so a request whose connection is dropped still shows up."""
        with self._lock:
            self._counts[route_key] += 1
            self._total += 1
            if method in WRITE_METHODS:
                self._writes += 1

    def log(self, entry):
        with self._lock:
            entry["seq"] = next(self._sequence)
            self._log.append(entry)

    def counts(self):
        with self._lock:
            return {"routes": dict(self._counts), "total": self._total, "writes": self._writes}

    def entries(self, last=None):
        with self._lock:
            entries = list(self._log)
        if last is not None:
            entries = entries[-last:] if last else []
        return entries
