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
    (ELB v2.0 API of Open Telekom Cloud and Huawei Cloud, compatible with Neutron LBaaS v2 and Octavia).
  - A member is identified by its pool, O(address) and O(protocol_port).
    O(name), O(weight) and O(admin_state_up) are updated in place; O(subnet_id) cannot be changed.
  - All options are checked locally before the first API call.
author: lbaas.elb contributors (@lbaas-elb)
extends_documentation_fragment:
  - lbaas.elb.connection
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
options:
  pool:
    description:
      - ID of the pool, or its name.
      - A name may contain only letters, digits, V(_), V(.) and V(-) (at most 255 characters);
        it is looked up once and must match exactly one pool.
    type: str
    required: true
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
      - ID of the subnet of O(address). Required to create a member.
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
    type: bool
    default: true
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
      - Without waiting, a later change that meets a busy load balancer waits by itself.
    type: bool
    default: false
  timeout:
    description:
      - Time budget in seconds for the whole task, including retries and O(wait).
    type: int
    default: 180
notes:
  - A busy load balancer (HTTP 409) is waited for and the change is retried until O(timeout).
  - A create whose answer is lost is not blindly repeated; the member is looked up first.
"""

EXAMPLES = r"""
- name: Add a backend server to a pool
  lbaas.elb.elb_member:
    endpoint: https://elb.eu-de.otc.t-systems.com
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: "{{ otc_user }}"
      password: "{{ otc_password }}"
      user_domain_name: "{{ otc_domain }}"
      project_name: eu-de
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

from ansible_collections.lbaas.elb.plugins.module_utils.members import apply_member_plan, find_member, plan_member_changes
from ansible_collections.lbaas.elb.plugins.module_utils.module import ElbModule
from ansible_collections.lbaas.elb.plugins.module_utils.pools import resolve_pool_id
from ansible_collections.lbaas.elb.plugins.module_utils.validation import validate_member_options

ARGUMENT_SPEC = dict(
    pool=dict(type="str", required=True),
    address=dict(type="str", required=True),
    protocol_port=dict(type="int", required=True),
    subnet_id=dict(type="str"),
    name=dict(type="str"),
    weight=dict(type="int"),
    admin_state_up=dict(type="bool", default=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    wait=dict(type="bool", default=False),
    timeout=dict(type="int", default=180),
)


def ensure_member(module):
    desired = validate_member_options(module.params)
    client = module.client
    pool_id = resolve_pool_id(client, desired["pool"])
    current = find_member(client, pool_id, desired["address"], desired["protocol_port"], missing_pool_ok=desired["state"] == "absent")
    plan = plan_member_changes(current, desired)
    result = apply_member_plan(client, pool_id, plan, desired, check_mode=module.check_mode, wait=module.params["wait"])
    diff = result.pop("diff")
    if module._diff:
        result["diff"] = diff
    module.exit_json(**result)


def main():
    module = ElbModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(ensure_member)


if __name__ == "__main__":
    main()
