#!/usr/bin/python
# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: elb_member
short_description: Manage backend members of an ELB pool
version_added: 0.1.0
description:
  - Add, update or remove a backend server (member) of a pool of a shared Elastic Load Balancer
    (ELB v2.0 API of Open Telekom Cloud and Huawei Cloud, compatible with Neutron LBaaS v2 and Octavia), or, with
    O(elb_type=dedicated), of a dedicated load balancer (API v3).
  - A member is identified by its pool, O(address) and O(protocol_port).
    O(name), O(weight) and O(admin_state_up) are updated in place, and so are Octavia's O(monitor_address),
    O(monitor_port), O(backup) and O(tags); O(subnet_id) cannot be changed.
  - Whether the server is shared ELB or OpenStack Octavia is seen in its answer to the member lookup that every
    run makes anyway (Octavia's members carry C(provisioning_status), its lists C(members_links)), so the Octavia
    options are refused on shared ELB before any write, at no extra request.
  - All options are checked locally before the first API call.
author: lbaas.elb contributors (@lbaas-elb)
extends_documentation_fragment:
  - lbaas.elb.connection
  - lbaas.elb.pool
  - lbaas.elb.attributes
options:
  address:
    description:
      - IPv4 or IPv6 address of the backend server (at most 64 characters).
      - Compared as an IP address, so V(2001:DB8:0::1) and V(2001:db8::1) are the same member; sent in compressed form.
    type: str
    required: true
  protocol_port:
    description:
      - Port of the backend server, 1 to 65535.
    type: int
    required: true
  subnet_id:
    description:
      - ID of the subnet of O(address). Required to create a member on shared ELB.
      - With O(elb_type=dedicated) it is sent as C(subnet_cidr_id) and is optional; without it the member is an
        "IP as a backend" member (IPv4 only; the load balancer needs C(ip_target_enable) and the pool must be TCP,
        HTTP or HTTPS).
      - Cannot be changed on an existing member; remove the member and add it again instead.
    type: str
  name:
    description:
      - Name of the member, at most 255 characters. When not set, the name is left as it is.
    type: str
  weight:
    description:
      - Weight of the member; 0 means no new connections.
      - Checked locally to be 0 to 256; shared ELB accepts 0 to 100 and answers other values with its own error.
      - When not set, the weight is left as it is (a new member gets the API's default, 1).
    type: int
  admin_state_up:
    description:
      - Administrative state of the member.
      - With O(elb_type=dedicated) it cannot be updated; a value that differs from the member's is refused before any
        write (a new member is created with it).
      - When not set, it is left as it is, and a new member gets the API's default. There is no default here on
        purpose - Open Telekom Cloud reports V(false) for an address that no server owns, and a default of V(true)
        would rewrite such a member on every run.
    type: bool
  monitor_address:
    description:
      - OpenStack Octavia only. IP address the health monitor checks instead of O(address).
      - When not set, it is left as it is. On shared or dedicated ELB the task fails before any write if it is set.
    type: str
    version_added: 0.2.0
  monitor_port:
    description:
      - OpenStack Octavia only. Port the health monitor checks instead of O(protocol_port), 1 to 65535.
      - When not set, it is left as it is. On shared or dedicated ELB the task fails before any write if it is set.
    type: int
    version_added: 0.2.0
  backup:
    description:
      - OpenStack Octavia only. Whether the member is a backup, sent traffic only when every other member is down.
      - When not set, it is left as it is. On shared or dedicated ELB the task fails before any write if it is set.
    type: bool
    version_added: 0.2.0
  tags:
    description:
      - OpenStack Octavia only. Tags of the member, compared as a set (order and repetitions do not matter);
        when they differ, the member's tags are replaced by this list.
      - When not set, the tags are left as they are; V([]) removes every tag.
      - On shared or dedicated ELB the task fails before any write if it is set.
    type: list
    elements: str
    version_added: 0.2.0
  state:
    description:
      - Whether the member should exist.
      - A member that the API still shows as C(PENDING_DELETE) (Octavia, right after a delete) counts as absent.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - After a change, wait until the load balancer of the pool (and the member, where the API reports its
        provisioning status) is C(ACTIVE).
      - With O(elb_type=dedicated) (API v3), whose member writes are synchronous, wait until the load balancer is
        C(ACTIVE) and the member can be read; C(operating_status) is returned, never waited for (see O(wait_for_status)).
      - Without waiting, a later change that meets a busy load balancer waits by itself.
    type: bool
    default: false
  wait_for_status:
    description:
      - After the member is in place (and after O(wait)), wait until its C(operating_status), as the pool's health
        monitor sees it, is this value. V(ONLINE) means the health check passes; V(OFFLINE) that it fails or the
        member is disabled.
      - The member is read once per poll, on the schedule O(wait) uses, until O(wait_for_status_timeout) or
        O(timeout), whichever comes first. A member that flaps passes as soon as one read finds the status.
      - Waiting for V(ONLINE) fails at once when the member reports C(NO_MONITOR), because its pool has no health
        monitor and it would never become V(ONLINE).
      - It is waited for also when nothing had to change, so a task re-run in a rolling update checks the health
        again. Not in check mode, and not allowed with O(state=absent).
      - With O(elb_type=dedicated) (API v3) a member reports its health per listener (C(status)); it has the status
        waited for when every listener reports it.
    type: str
    choices: [ONLINE, OFFLINE]
    version_added: 0.2.0
  wait_for_status_timeout:
    description:
      - Seconds to wait for O(wait_for_status); the task's O(timeout) still bounds the whole task.
      - When the status is not reached in time, the task fails with the last status read and how long it waited.
    type: int
    default: 120
    version_added: 0.2.0
  timeout:
    description:
      - Time budget in seconds for the whole task, including retries, O(wait) and O(wait_for_status).
    type: int
    default: 180
notes:
  - A busy load balancer (HTTP 409) is waited for and the change is retried until O(timeout).
  - A create whose answer is lost is not blindly repeated; the member is looked up first.
"""

EXAMPLES = r"""
# Credentials from the entry "otc" of clouds.yaml (elb_auth's examples show them given as options).
- name: Add a backend server to a pool
  lbaas.elb.elb_member:
    cloud: otc
    endpoint: https://elb.eu-de.otc.t-systems.com
    pool: 5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11
    address: 192.168.44.11
    protocol_port: 80
    subnet_id: 0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90
    weight: 10

- name: Drain a member (no new connections), pool given by name, credentials from OS_* variables
  lbaas.elb.elb_member:
    pool: web-pool
    address: 192.168.44.11
    protocol_port: 80
    weight: 0

# A rolling update: these three tasks run in a play over the backends with serial: 1 and
# max_fail_percentage: 0, so a server that does not become healthy stops the rollout before the next one
# is taken out (examples/rolling_update.yml in the collection is the whole play).
- name: Take the server out of rotation
  lbaas.elb.elb_member:
    pool: web-pool
    address: "{{ ansible_host }}"
    protocol_port: 80
    state: absent
    wait: true
  delegate_to: localhost

- name: Upgrade it
  ansible.builtin.package:
    name: my-web-app
    state: latest

- name: Put it back and wait until the health check passes, before the next server is touched
  lbaas.elb.elb_member:
    pool: web-pool
    address: "{{ ansible_host }}"
    protocol_port: 80
    subnet_id: 0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90
    wait: true
    wait_for_status: ONLINE
    wait_for_status_timeout: 300
  delegate_to: localhost

- name: Remove a member and wait until the load balancer is ACTIVE again
  lbaas.elb.elb_member:
    pool: 5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11
    address: 192.168.44.11
    protocol_port: 80
    state: absent
    wait: true
"""

RETURN = r"""
member:
  description:
    - The member as the API returned it.
    - As it was before deletion when O(state=absent) removed it; V({}) when it did not exist.
    - In check mode, the planned member (without RV(member.id) when it would be created).
  returned: success
  type: dict
  sample:
    id: 7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f
    name: web-1
    address: 192.168.44.11
    protocol_port: 80
    subnet_id: 0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90
    weight: 10
    admin_state_up: true
    operating_status: NO_MONITOR
    tenant_id: 6a0a5b2c4d8e4f3a9b1c2d3e4f5a6b7c
  contains:
    id:
      description: ID of the member.
      type: str
      returned: when the member exists
    address:
      description: IP address of the backend server.
      type: str
      returned: when the member exists or is planned
    protocol_port:
      description: Port of the backend server.
      type: int
      returned: when the member exists or is planned
status:
  description: HTTP status of the failed API call.
  returned: failure, when the API answered
  type: int
  sample: 409
error_code:
  description: The API's error code of the failed call.
  returned: failure, when the API gave one
  type: str
  sample: ELB.9899
request_id:
  description: Request ID of the failed API call, for support requests.
  returned: failure, when the API gave one
  type: str
  sample: req-0b5a1c2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d
"""

from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbError, ElbValidationError
from ansible_collections.lbaas.elb.plugins.module_utils.families import check_extras_supported, server_family
from ansible_collections.lbaas.elb.plugins.module_utils.members import apply_member_plan, find_member, plan_member_changes, report_member_partial
from ansible_collections.lbaas.elb.plugins.module_utils.module import ElbModule
from ansible_collections.lbaas.elb.plugins.module_utils.pools import resolve_pool_id
from ansible_collections.lbaas.elb.plugins.module_utils.validation import member_attribute_spec, validate_member_options, validate_positive_int

ABSENT_STATUS_MESSAGE = "Option 'wait_for_status' ({}) cannot be used with state: absent: a removed member has no health to wait for"

ARGUMENT_SPEC = dict(
    pool=dict(type="str", required=True),
    address=dict(type="str", required=True),
    protocol_port=dict(type="int", required=True),
    **member_attribute_spec(),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    wait=dict(type="bool", default=False),
    wait_for_status=dict(type="str", choices=["ONLINE", "OFFLINE"]),
    wait_for_status_timeout=dict(type="int", default=120),
)


def ensure_member(module):
    desired = validate_member_options(module.params)
    wanted = module.params["wait_for_status"]
    if wanted and desired["state"] == "absent":
        raise ElbValidationError("wait_for_status", wanted, "no value with state: absent", message=ABSENT_STATUS_MESSAGE.format(wanted))
    status_timeout = validate_positive_int("wait_for_status_timeout", module.params["wait_for_status_timeout"])
    client = module.client
    pool_id = resolve_pool_id(client, desired["pool"])
    pages = []
    current = find_member(client, pool_id, desired["address"], desired["protocol_port"], missing_pool_ok=desired["state"] == "absent", pages=pages)
    if desired["state"] == "present":
        check_extras_supported([desired], server_family(module.family, pages))
    plan = plan_member_changes(current, desired, module.family)
    result = apply_member_plan(client, pool_id, plan, desired, check_mode=module.check_mode, wait=module.params["wait"])
    if wanted and not module.check_mode:
        # Imported here: only a task that waits for a health status loads the health checks.
        from ansible_collections.lbaas.elb.plugins.module_utils.health import wait_for_member_status  # pylint: disable=import-outside-toplevel

        try:
            result["member"] = wait_for_member_status(client, pool_id, result["member"], wanted, status_timeout)
        except ElbError as err:
            action = plan["action"] if result["changed"] else None
            raise report_member_partial(err, action, getattr(err, "last_member", result["member"])) from None
    module.exit_with_diff(result)


def main():
    module = ElbModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(ensure_member)


if __name__ == "__main__":
    main()
