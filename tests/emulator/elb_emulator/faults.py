"""Fault injection rules (POST /_emulator/faults) and the choice of the fault, if any, for one request.

A rule's ``route`` is matched against the request's count key (``"POST /v2.0/lbaas/pools/{pool_id}/members"``)
with shell wildcards, so ``"POST *"`` and ``"*"`` work.  Every rule whose route matches sees the request
(its ``after`` counter advances); the first rule that is eligible fires and later rules are not drawn.
``probability`` draws from one seeded random.Random under a lock, so a seeded run is reproducible for
a given request order.
"""

import collections
import fnmatch
import numbers
import random
import threading

KINDS = ("status", "throttle", "reset", "delay", "lost_response", "busy", "raw", "huge")
RULE_KEYS = frozenset(("route", "kind", "probability", "count", "after", "status", "retry_after", "delay", "content_type", "body", "size"))
DEFAULT_RAW_BODY = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"
MAX_HUGE = 1 << 30
MAX_DELAY = 600


class FaultSpecError(ValueError):
    """A fault document that is not acceptable; nothing of it was applied."""


def _number(spec, key, default, minimum, maximum=None):
    value = spec.get(key, default)
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or value < minimum or (maximum is not None and value > maximum):
        bounds = "between %s and %s" % (minimum, maximum) if maximum is not None else ">= %s" % minimum
        raise FaultSpecError("%s must be a number %s, not %r" % (key, bounds, value))
    return value


def _integer(spec, key, default, minimum, maximum=None):
    value = _number(spec, key, default, minimum, maximum)
    if not isinstance(value, int):
        raise FaultSpecError("%s must be an integer, not %r" % (key, value))
    return value


class FaultRule:
    """One validated rule and its running counters."""

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise FaultSpecError("each rule must be an object")
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise FaultSpecError("unknown rule keys: %s" % ", ".join(sorted(unknown)))
        self.route = spec.get("route", "*")
        if not isinstance(self.route, str) or not self.route:
            raise FaultSpecError('route must be a non-empty string such as "POST /v2.0/lbaas/pools/{pool_id}/members", "POST *" or "*"')
        self.kind = spec.get("kind")
        if self.kind not in KINDS:
            raise FaultSpecError("kind must be one of %s, not %r" % (", ".join(KINDS), self.kind))
        if "probability" in spec and "count" in spec:
            raise FaultSpecError("give either probability or count, not both")
        self.probability = _number(spec, "probability", 1.0, 0, 1) if "probability" in spec else None
        self.remaining = _integer(spec, "count", 0, 0) if "count" in spec else None
        self.after = _integer(spec, "after", 0, 0)
        self.status = _integer(spec, "status", 502 if self.kind == "raw" else 503, 100, 599)
        if self.kind == "status" and self.status < 400:
            raise FaultSpecError("status faults need an error status (400-599)")
        self.retry_after = _number(spec, "retry_after", 1, 0)
        self.delay = _number(spec, "delay", 1.0, 0, MAX_DELAY)
        self.size = _integer(spec, "size", 10 * 1024 * 1024, 16, MAX_HUGE)
        self.content_type = spec.get("content_type", "text/html")
        self.body = spec.get("body", DEFAULT_RAW_BODY)
        if not isinstance(self.content_type, str) or not isinstance(self.body, str):
            raise FaultSpecError("content_type and body must be strings")
        self.spec = dict(spec)
        self.seen = 0
        self.fired = 0

    def to_json(self):
        shown = dict(self.spec)
        shown.update({"route": self.route, "kind": self.kind, "remaining": self.remaining, "seen": self.seen, "fired": self.fired})
        return shown


def injected_key(rule):
    if rule.kind in ("status", "raw"):
        return "%s:%d" % (rule.kind, rule.status)
    return rule.kind


class FaultInjector:
    def __init__(self, seed=None):
        self._lock = threading.Lock()
        self._seed = seed
        self._random = random.Random(seed)
        self._rules = []
        self._injected = collections.Counter()

    def clear(self, seed=None):
        with self._lock:
            self._rules = []
            self._injected.clear()
            self._seed = seed
            self._random = random.Random(seed)

    def load(self, document):
        """Append (or with ``"replace": true`` replace) rules; ``"seed"`` re-seeds the shared random source."""
        if not isinstance(document, dict):
            raise FaultSpecError("the fault document must be a JSON object")
        unknown = set(document) - {"seed", "rules", "replace"}
        if unknown:
            raise FaultSpecError("unknown keys: %s" % ", ".join(sorted(unknown)))
        rules = document.get("rules", [])
        if not isinstance(rules, list):
            raise FaultSpecError("rules must be a list")
        parsed = [FaultRule(rule) for rule in rules]
        seed = document.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise FaultSpecError("seed must be an integer")
        with self._lock:
            if document.get("replace"):
                self._rules = []
            self._rules.extend(parsed)
            if seed is not None:
                self._seed = seed
                self._random = random.Random(seed)
        return len(parsed)

    def choose(self, route_key):
        """The rule that fires for this request, or None; counters are updated here."""
        with self._lock:
            chosen = None
            for rule in self._rules:
                if not fnmatch.fnmatchcase(route_key, rule.route):
                    continue
                rule.seen += 1
                if chosen is not None or rule.seen <= rule.after:
                    continue
                if rule.remaining is not None:
                    if rule.remaining <= 0:
                        continue
                    rule.remaining -= 1
                elif rule.probability is not None and self._random.random() >= rule.probability:
                    continue
                rule.fired += 1
                self._injected[injected_key(rule)] += 1
                chosen = rule
            return chosen

    def snapshot(self):
        with self._lock:
            return {"seed": self._seed, "rules": [rule.to_json() for rule in self._rules], "injected": dict(self._injected)}
