# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Waiting for a member's health: its ``operating_status`` as the pool's health monitor sees it
(no Ansible imports).

ONLINE means the health check passes. A member of a pool without a health monitor reports NO_MONITOR
and never becomes ONLINE, so waiting for ONLINE there fails at once. A dedicated load balancer's member (API v3)
reports its health per listener (``status``: one ``{listener_id, operating_status}`` each); it has the status
waited for only when every listener reports it. A member that flaps passes as soon as
one read finds it in the status waited for. Polling follows the same schedule as every other wait
(deadline.py), within the smaller of the wait's own timeout and what is left of the task's.
"""

from __future__ import annotations

from .deadline import Deadline
from .errors import ElbError
from .members import member_id, members_path
from .validation import member_label

NO_MONITOR = "NO_MONITOR"


def member_status_error(member, wanted, status, message):
    label = member_label(member.get("address"), member.get("protocol_port"))
    return ElbError(f"Member {label} ({member.get('id')}) {message} (waiting for operating_status {wanted}, it is {status})")


def listener_statuses(member):
    """The set of per-listener operating statuses (v3's ``status`` list), or None where the member has none."""
    listeners = member.get("status")
    if not isinstance(listeners, list) or not listeners:
        return None
    return {item.get("operating_status") if isinstance(item, dict) else None for item in listeners}


def member_health(member):
    """``(statuses, text)``: the set of statuses the member reports (one per listener on v3, else its
    operating_status) and how to show them."""
    statuses = listener_statuses(member)
    if statuses is None:
        status = member.get("operating_status")
        return {status}, str(status)
    text = ", ".join("{}: {}".format(item.get("listener_id"), item.get("operating_status")) for item in member["status"] if isinstance(item, dict))
    return statuses, f"per listener {text}"


def wait_for_member_status(client, pool_id, member, wanted, timeout):
    """Poll GET /pools/{pool}/members/{id} until operating_status is ``wanted``; returns the member as
    last read. Fails at the timeout, naming the last status and how long it waited."""
    path = members_path(client, pool_id, member_id(member))
    label = member_label(member.get("address"), member.get("protocol_port"))
    deadline = Deadline(max(0.0, min(timeout, client.deadline.remaining())))
    state = {"member": member}

    def check():
        response = client.request("GET", path)
        current = response.json_object("member")
        state["member"] = current
        statuses, status = member_health(current)
        if statuses == {wanted}:
            return True, current, None
        if wanted == "ONLINE" and NO_MONITOR in statuses:
            raise member_status_error(current, wanted, status, "cannot become ONLINE: its pool has no health monitor")
        return False, current, f"operating_status {status}"

    try:
        return deadline.poll(check, f"member {label} to be {wanted}", last=f"operating_status {member.get('operating_status')}")
    except ElbError as err:
        err.last_member = state["member"]
        raise
