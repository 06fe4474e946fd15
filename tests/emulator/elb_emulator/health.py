"""Simulated health checks: a member's operating_status is computed from the clock when it is read.

There is no background thread.  The status follows from when the member's checks (re)started (its
creation, or admin_state_up going from false to true), when its pool got a health monitor, the
configured ``health_delay`` and the control rule for its address (``PUT /_emulator/health``).
"""

import ipaddress
import math
import numbers
import threading
import time

MODES = ("healthy", "offline", "error", "flap")
DEFAULT_PERIOD = 0.5
LONGEST = 86400.0
RULE_KEYS = frozenset(("address", "protocol_port", "mode", "delay", "period"))


class RuleError(ValueError):
    """A health rule that is not acceptable; nothing of the request was applied."""


class HealthRule:
    __slots__ = ("ip", "protocol_port", "mode", "delay", "period")

    def __init__(self, ip, protocol_port, mode, delay, period):
        self.ip = ip
        self.protocol_port = protocol_port
        self.mode = mode
        self.delay = delay
        self.period = period

    @property
    def key(self):
        return (self.ip, self.protocol_port)

    def to_dict(self):
        return {"address": self.ip.compressed, "protocol_port": self.protocol_port, "mode": self.mode, "delay": self.delay, "period": self.period}


def _seconds(document, key, default, allow_zero):
    value = document.get(key)
    if value is None:
        return default
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or math.isnan(value) or value < 0 or value > LONGEST or (value == 0 and not allow_zero):
        raise RuleError("%s must be a number of seconds %s 0 and at most %d" % (key, ">=" if allow_zero else ">", LONGEST))
    return float(value)


def parse_rule(document):
    """A HealthRule from ``{"address", "protocol_port"?, "mode", "delay"?, "period"?}``."""
    if not isinstance(document, dict):
        raise RuleError("a health rule must be a JSON object")
    unknown = set(document) - RULE_KEYS
    if unknown:
        raise RuleError("unknown health rule keys: %s" % ", ".join(sorted(unknown)))
    try:
        address = document.get("address")
        if not isinstance(address, str):
            raise ValueError(address)
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        raise RuleError("address must be an IPv4 or IPv6 address, not %r" % (document.get("address"),)) from None
    port = document.get("protocol_port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535):
        raise RuleError("protocol_port must be null or an integer between 1 and 65535")
    mode = document.get("mode")
    if mode not in MODES:
        raise RuleError("mode must be one of %s, not %r" % (", ".join(MODES), mode))
    delay = _seconds(document, "delay", None, allow_zero=True)
    period = _seconds(document, "period", DEFAULT_PERIOD, allow_zero=False)
    return HealthRule(ip, port, mode, delay, period)


class HealthRules:
    """The control rules, keyed by (address, protocol_port or None); a rule with a port wins over one without."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules = {}

    def put(self, rules):
        with self._lock:
            for rule in rules:
                self._rules[rule.key] = rule

    def remove(self, ip, protocol_port):
        with self._lock:
            return self._rules.pop((ip, protocol_port), None) is not None

    def clear(self):
        with self._lock:
            self._rules.clear()

    def snapshot(self):
        with self._lock:
            rules = list(self._rules.values())
        rules.sort(key=lambda rule: (rule.ip.version, int(rule.ip), rule.protocol_port or 0))
        return [rule.to_dict() for rule in rules]

    def find(self, ip, protocol_port):
        # Plain dict reads: a reader racing with put() sees the old or the new rule, both acceptable.
        rule = self._rules.get((ip, protocol_port))
        return rule if rule is not None else self._rules.get((ip, None))


def operating_status(app, pool, member, now=None):
    """ONLINE, OFFLINE, ERROR or NO_MONITOR for ``member`` of ``pool`` at ``now`` (time.monotonic())."""
    if not member.admin_state_up:
        # Octavia reports a disabled member OFFLINE whether or not the pool is monitored.
        return "OFFLINE"
    if pool.healthmonitor_id is None:
        return "NO_MONITOR"
    rule = app.health.find(member.ip, member.protocol_port)
    mode = rule.mode if rule is not None else "healthy"
    if mode == "offline":
        return "OFFLINE"
    delay = rule.delay if rule is not None and rule.delay is not None else app.config["health_delay"]
    now = time.monotonic() if now is None else now
    checked_for = now - max(member.health_since, pool.monitor_since) - delay
    if checked_for < 0:
        return "OFFLINE"
    if mode == "error":
        return "ERROR"
    if mode == "flap":
        return "ONLINE" if int(checked_for // rule.period) % 2 == 0 else "OFFLINE"
    return "ONLINE"


def tree_status(app, pool, member, now=None):
    """The status tree names a disabled member DISABLED (ELB_API.md section 5)."""
    return "DISABLED" if not member.admin_state_up else operating_status(app, pool, member, now)


def attach_monitor(pool, monitor_id, now=None):
    """Checks of every member start over when a monitor is attached, as a new health monitor has seen nothing yet."""
    pool.healthmonitor_id = monitor_id
    pool.monitor_since = time.monotonic() if now is None else now


def detach_monitor(pool):
    pool.healthmonitor_id = None
