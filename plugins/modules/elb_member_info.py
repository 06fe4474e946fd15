#!/usr/bin/python
# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: elb_member_info
short_description: List the backend members of an ELB pool
version_added: 0.1.0
description:
  - Return the backend servers (members) of a pool of a shared Elastic Load Balancer
    (ELB v2.0 API of Open Telekom Cloud and Huawei Cloud, compatible with Neutron LBaaS v2 and Octavia),
    or, with O(elb_type=dedicated), of a dedicated load balancer (API v3), optionally filtered.
  - On dedicated load balancers pages are read 2000 members at a time (C(page_info.next_marker)), O(subnet_id)
    filters on C(subnet_cidr_id), and members carry the v3 fields (C(subnet_cidr_id), C(ip_version),
    C(member_type), C(instance_id), C(status) per listener, C(operating_status)).
  - Every page of a paginated answer is read, so a pool of thousands of members is returned whole.
  - Filters are sent to the API and applied again to its answer, so the result is exact even when the
    server ignores a filter. All options are checked locally before the first API call.
author: lbaas.elb contributors (@lbaas-elb)
extends_documentation_fragment:
  - lbaas.elb.connection
  - lbaas.elb.pool
  - lbaas.elb.attributes.read_only
options:
  address:
    description:
      - Only the members with this IPv4 or IPv6 address (compared as an IP address).
    type: str
  protocol_port:
    description:
      - Only the members on this port, 1 to 65535.
    type: int
  name:
    description:
      - Only the members with exactly this name (at most 255 characters).
    type: str
  subnet_id:
    description:
      - Only the members in this subnet (ID of the subnet).
    type: str
  weight:
    description:
      - Only the members with this weight, 0 to 256.
    type: int
  admin_state_up:
    description:
      - Only the members with this administrative state. When not set, members in either state are returned.
    type: bool
  timeout:
    description:
      - Time budget in seconds for the whole task, including retries.
    type: int
    default: 180
notes:
  - This module only reads; it never reports a change.
"""

EXAMPLES = r"""
- name: List all members of a pool given by name (credentials from OS_* variables)
  lbaas.elb.elb_member_info:
    pool: web-pool
  register: web_pool

- name: Show their addresses
  ansible.builtin.debug:
    msg: "{{ web_pool.members | map(attribute='address') | list }}"

- name: Find the drained members (weight 0) on port 80
  lbaas.elb.elb_member_info:
    endpoint: https://elb.eu-de.otc.t-systems.com
    auth:
      token: "{{ elb_token }}"
    pool: 5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11
    protocol_port: 80
    weight: 0
  register: drained

- name: Is 192.168.44.11 a member?
  lbaas.elb.elb_member_info:
    pool: web-pool
    address: 192.168.44.11
  register: lookup
  # lookup.members is empty when it is not.
"""

RETURN = r"""
members:
  description:
    - The members of the pool that match every filter set, as the API returned them, in the API's order.
    - An empty list when none matches.
  returned: success
  type: list
  elements: dict
  sample:
    - id: 7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f
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
      returned: always
    address:
      description: IP address of the backend server.
      type: str
      returned: always
    protocol_port:
      description: Port of the backend server.
      type: int
      returned: always
    subnet_id:
      description: ID of the subnet of the address.
      type: str
      returned: when the API returns it
    subnet_cidr_id:
      description: ID of the subnet of the address; V("") for an "IP as a backend" member.
      type: str
      returned: with O(elb_type=dedicated)
    ip_version:
      description: V(v4) or V(v6).
      type: str
      returned: with O(elb_type=dedicated)
    member_type:
      description: V(instance), or V(ip) for an "IP as a backend" member.
      type: str
      returned: with O(elb_type=dedicated)
    instance_id:
      description: ID of the server that owns the address; V("") for V(ip) members.
      type: str
      returned: with O(elb_type=dedicated)
    status:
      description: Health per listener, each with C(listener_id), C(operating_status) and C(reason).
      type: list
      elements: dict
      returned: with O(elb_type=dedicated)
    name:
      description: Name of the member.
      type: str
      returned: always
    weight:
      description: Weight of the member.
      type: int
      returned: always
    admin_state_up:
      description: Administrative state of the member.
      type: bool
      returned: always
    operating_status:
      description: Health of the member, for example V(ONLINE), V(NO_MONITOR) or V(OFFLINE).
      type: str
      returned: always
pool_id:
  description: ID of the pool (the looked-up ID when O(pool) is a name).
  returned: success
  type: str
  sample: 5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11
status:
  description: HTTP status of the failed API call.
  returned: failure, when the API answered
  type: int
  sample: 404
error_code:
  description: The API's error code of the failed call.
  returned: failure, when the API gave one
  type: str
  sample: APIGW.0101
request_id:
  description: Request ID of the failed API call, for support requests.
  returned: failure, when the API gave one
  type: str
  sample: req-0b5a1c2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d
"""

from ansible_collections.lbaas.elb.plugins.module_utils.members import list_members
from ansible_collections.lbaas.elb.plugins.module_utils.module import ElbModule
from ansible_collections.lbaas.elb.plugins.module_utils.pools import resolve_pool_id
from ansible_collections.lbaas.elb.plugins.module_utils.validation import validate_member_filters

ARGUMENT_SPEC = dict(
    pool=dict(type="str", required=True),
    address=dict(type="str"),
    protocol_port=dict(type="int"),
    name=dict(type="str"),
    subnet_id=dict(type="str"),
    weight=dict(type="int"),
    admin_state_up=dict(type="bool"),
)


def list_pool_members(module):
    query = validate_member_filters(module.params)
    client = module.client
    pool_id = resolve_pool_id(client, query["pool"])
    module.exit_json(changed=False, pool_id=pool_id, members=list_members(client, pool_id, query["filters"]))


def main():
    module = ElbModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(list_pool_members)


if __name__ == "__main__":
    main()
