# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Load balancers: waiting until one is ACTIVE, and waiting out a busy one (no Ansible imports).

A member write while the load balancer is PENDING_* is answered 409 "busy" (ELB_API.md sections 5, 10).
ElbClient hands such an answer to ``wait_until_not_busy`` (its ``busy_waiter``), which polls the load
balancer the message names until it is ACTIVE; the client then sends the write again.
"""

from __future__ import annotations

import re

from .deadline import POLL_EARLY_CAP, POLL_FIRST
from .errors import ElbError
from .validation import UUID_PATTERN, is_uuid

# "Invalid state PENDING_UPDATE of loadbalancer resource <id>" (Neutron) and
# "Load Balancer <id> is immutable and cannot be updated." (Octavia).
LOADBALANCER_IN_MESSAGE_RE = re.compile(rf"load\s*balancer(?:\s+resource)?\s+({UUID_PATTERN})", re.IGNORECASE)


def load_balancer_in_message(message):
    """The load balancer id named by a 'busy' message, or None."""
    match = LOADBALANCER_IN_MESSAGE_RE.search(message or "")
    return match.group(1) if match else None


def wait_for_load_balancer(client, lb_id, waiting_for=None, *, check_first=True, first_delay=POLL_FIRST, last=None):
    """Poll GET /loadbalancers/{id} until provisioning_status is ACTIVE; returns the load balancer."""
    waiting_for = waiting_for or f"load balancer {lb_id} to become ACTIVE"
    path = client.api_path("loadbalancers", lb_id)

    def check():
        response = client.request("GET", path)
        lb = response.json_object("loadbalancer")
        status = lb.get("provisioning_status")
        if status == "ERROR":
            raise ElbError(f"load balancer {lb_id} is in provisioning_status ERROR (while waiting for {waiting_for})")
        return status in (None, "ACTIVE"), lb, f"{response.describe()}: provisioning_status {status}"

    return client.poll(check, waiting_for, first_delay=first_delay, check_first=check_first, last=last)


def wait_until_not_busy(client, method, path, error, busy_attempt):
    """ElbClient's busy_waiter: wait until the load balancer a busy answer names is ACTIVE again (or back
    off, when the answer names none)."""
    waiting_for = f"{method} {path} to be accepted (the API answered busy)"
    lb_id = load_balancer_in_message(error.api_message)
    if lb_id is None:
        client.backoff(busy_attempt, waiting_for, error)
        return
    # A growing pause before the first poll, so that a load balancer which reports ACTIVE while the
    # API still answers busy is not hammered.
    first = min(POLL_EARLY_CAP, POLL_FIRST * (2 ** (busy_attempt - 1)))
    wait_for_load_balancer(
        client,
        lb_id,
        waiting_for=f"load balancer {lb_id} to become ACTIVE, to retry {method} {path} after: {error.message}",
        check_first=False,
        first_delay=first,
        last=error,
    )


def pool_load_balancer_ids(client, pool_id):
    """The ids of the pool's load balancers (one GET /pools/{id}); only UUID-shaped ids are returned."""
    pool = client.get(client.api_path("pools", pool_id), key="pool")
    lb_ids = [lb.get("id") for lb in pool.get("loadbalancers") or () if isinstance(lb, dict)]
    if not lb_ids and pool.get("loadbalancer_id"):
        lb_ids = [pool["loadbalancer_id"]]
    return [lb_id for lb_id in lb_ids if is_uuid(lb_id)]


def wait_for_pool_load_balancers(client, pool_id, change):
    """Wait until every load balancer of the pool is ACTIVE again after ``change`` (text for messages)."""
    for lb_id in pool_load_balancer_ids(client, pool_id):
        wait_for_load_balancer(client, lb_id, waiting_for=f"load balancer {lb_id} to become ACTIVE after {change}")
