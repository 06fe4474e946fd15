#!/usr/bin/python
# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: elb_pool_members
short_description: Declare the backend members of an ELB pool in one task
version_added: 0.1.0
description:
  - Make the members of one pool of a shared Elastic Load Balancer (ELB v2.0 API of Open Telekom Cloud and
    Huawei Cloud, compatible with Neutron LBaaS v2 and Octavia), or with O(elb_type=dedicated) of a dedicated load
    balancer (API v3), match a list, in one task. This is the fast way to
    register tens or hundreds of servers.
  - The pool is read once (every page), the creates, updates and deletes are planned per member, then written
    with the batch endpoint C(PUT /v2.0/lbaas/pools/{pool_id}/members) where the server has one (see O(strategy)),
    and finally the module waits until the load balancer is C(ACTIVE) again and reads the pool once more.
  - A member is identified by O(members[].address) and O(members[].protocol_port). Only the attributes an item
    sets are compared; O(members[].name), O(members[].weight) and O(members[].admin_state_up) are updated in
    place, and so are Octavia's O(members[].monitor_address), O(members[].monitor_port), O(members[].backup) and
    O(members[].tags) (refused before any write on shared ELB, which the pool listing tells apart from Octavia);
    O(members[].subnet_id) cannot be changed.
  - Members the list does not name are removed only with O(purge=true).
  - Every item is checked locally before the first API call; an error names the item, for example
    C(members[3].weight). The same address (compared as an IP address) and port listed twice is an error.
author: lbaas.elb contributors (@lbaas-elb)
extends_documentation_fragment:
  - lbaas.elb.connection
  - lbaas.elb.pool
  - lbaas.elb.attributes
options:
  members:
    description:
      - The members the pool should have.
      - With O(purge=true) an empty list removes every member of the pool.
    type: list
    elements: dict
    required: true
    suboptions:
      # Each attribute means what the option of the same name of elb_member means; it is described there, once.
      address:
        description:
          - Required. IPv4 or IPv6 address of the backend server, see O(lbaas.elb.elb_member#module:address).
        type: str
      protocol_port:
        description:
          - Required. Port of the backend server, see O(lbaas.elb.elb_member#module:protocol_port).
        type: int
      subnet_id:
        description:
          - ID of the subnet of the address, needed for a member that has to be created on shared ELB; it cannot be
            changed. See O(lbaas.elb.elb_member#module:subnet_id).
        type: str
      name:
        description:
          - Name of the member, see O(lbaas.elb.elb_member#module:name).
        type: str
      weight:
        description:
          - Weight of the member, see O(lbaas.elb.elb_member#module:weight).
        type: int
      admin_state_up:
        description:
          - Administrative state of the member, see O(lbaas.elb.elb_member#module:admin_state_up).
        type: bool
      monitor_address:
        description:
          - OpenStack Octavia only, see O(lbaas.elb.elb_member#module:monitor_address).
        type: str
        version_added: 0.2.0
      monitor_port:
        description:
          - OpenStack Octavia only, see O(lbaas.elb.elb_member#module:monitor_port).
        type: int
        version_added: 0.2.0
      backup:
        description:
          - OpenStack Octavia only, see O(lbaas.elb.elb_member#module:backup).
        type: bool
        version_added: 0.2.0
      tags:
        description:
          - OpenStack Octavia only, see O(lbaas.elb.elb_member#module:tags).
        type: list
        elements: str
        version_added: 0.2.0
  purge:
    description:
      - Whether to remove the members of the pool that O(members) does not list.
      - When V(false), no member is ever removed.
    type: bool
    default: false
  strategy:
    description:
      - How the changes are written.
      - V(auto) sends the first batch call in ELB's dialect, which is safe whatever the server speaks, and goes on
        in the dialect the answer shows. HTTP 202 means ELB's dialect; HTTP 400 saying that the attribute C(action)
        is unknown means Octavia's; HTTP 404 or 405 (no batch endpoint) means one call per member.
        A change with only updates is written member by member without this probe.
      - V(batch_elb) uses ELB's dialect. Creates are sent with C(action=add), deletes with C(action=delete),
        at most 200 members per call. C(add) cannot change an existing member, so each update is its own
        C(PUT /members/{id}). C(replace) is never used, because it cannot be split into calls of 200, and it would
        remove members that are added by someone else while the task runs.
      - V(batch_octavia) uses Octavia's dialect, in one call. Without O(purge), the creates and updates are sent
        with C(additive_only=true). With O(purge), the complete list (unchanged, updated and created members) is sent.
        Use it only with a server that speaks Octavia's dialect. Shared ELB treats such a call as C(replace)
        and removes the members that the call does not list.
      - V(per_member) creates, updates and removes one member per call, one after another.
      - With O(elb_type=dedicated) (API v3), V(auto) writes with C(batch-add), C(batch-update) and C(batch-delete)
        (at most 200 members per call; a member that already exists is adopted, a delete of a member that is
        already gone counts as done) and falls back to one call per member when the first of them is answered
        HTTP 404 or 405. V(batch_v3) uses those endpoints and fails where they do not exist. V(batch_elb) and
        V(batch_octavia) are refused there, as is V(batch_v3) on shared ELB.
    type: str
    choices: [auto, batch_elb, batch_octavia, batch_v3, per_member]
    default: auto
  wait:
    description:
      - After a change, wait until the load balancer of the pool is C(ACTIVE) again, before the pool is read for RV(members).
    type: bool
    default: true
  timeout:
    description:
      - Time budget in seconds for the whole task, including retries and O(wait).
    type: int
    default: 600
notes:
  - Creates are written before removals, so that a pool being switched to new servers never has fewer members than needed.
  - Before each write after the first, the module waits until the load balancer is C(ACTIVE) again. A busy answer
    (HTTP 409) that comes all the same is waited for, and the call is retried until O(timeout).
  - A batch call whose answer is lost (connection lost, HTTP 5xx) or that meets a member that changed meanwhile is not blindly
    repeated; the pool is read again and only what is still missing is written.
seealso:
  - module: lbaas.elb.elb_member
  - module: lbaas.elb.elb_member_info
"""

EXAMPLES = r"""
- name: Build the member list from the inventory group web
  ansible.builtin.set_fact:
    web_members: "{{ web_members | default([]) + [{'address': hostvars[item].ansible_host, 'protocol_port': 80, 'subnet_id': web_subnet_id}] }}"
  loop: "{{ groups['web'] }}"

- name: Register the web servers in the pool (members not listed are kept)
  lbaas.elb.elb_pool_members:
    cloud: otc
    pool: web-pool
    members: "{{ web_members }}"
  register: registered

- name: Show what changed
  ansible.builtin.debug:
    msg: "created {{ registered.created | length }}, updated {{ registered.updated | length }}"

- name: The pool has exactly these members, with weights (credentials from OS_* variables)
  lbaas.elb.elb_pool_members:
    pool: 5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11
    purge: true
    members:
      - address: 192.168.44.11
        protocol_port: 80
        subnet_id: 0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90
        weight: 10
      - address: 192.168.44.12
        protocol_port: 80
        subnet_id: 0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90
        weight: 0
        name: draining

- name: Write member by member, for a server without the batch endpoint
  lbaas.elb.elb_pool_members:
    pool: web-pool
    strategy: per_member
    members:
      - address: 192.168.44.13
        protocol_port: 80
        subnet_id: 0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90
"""

RETURN = r"""
created:
  description:
    - The members that were (in check mode, would be) created, in the order of O(members).
    - When the task fails part-way (a quota, a permanent error, the deadline between calls), the members created
      until then; the failure then says C(changed=true) if anything was written, and its message how many of
      how many changes were made.
    - Without RV(created[].id) in check mode.
  returned: success, and when the task fails part-way (then what was done until the failure)
  type: list
  elements: dict
  sample:
    - id: 7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f
      address: 192.168.44.13
      protocol_port: 80
  contains:
    id:
      description: ID of the member.
      type: str
      returned: when known
    address:
      description: IP address of the member.
      type: str
      returned: always
    protocol_port:
      description: Port of the member.
      type: int
      returned: always
updated:
  description:
    - The members whose attributes were (in check mode, would be) changed, in the order of O(members).
    - Same form as RV(created). Details are in the diff (diff mode).
  returned: success, and when the task fails part-way (then what was done until the failure)
  type: list
  elements: dict
  sample:
    - id: 8a4c6d2f-0b5e-4d3c-9f7a-2b3c4d5e6f70
      address: 192.168.44.11
      protocol_port: 80
removed:
  description:
    - The members that were (in check mode, would be) removed, because O(purge=true) and O(members) does not list them.
    - Same form as RV(created).
  returned: success, and when the task fails part-way (then what was done until the failure)
  type: list
  elements: dict
  sample:
    - id: 9b5d7e3a-1c6f-4e4d-8a8b-3c4d5e6f7081
      address: 192.168.44.99
      protocol_port: 80
unchanged:
  description:
    - The listed members that already matched, in the order of O(members). Same form as RV(created).
  returned: success
  type: list
  elements: dict
  sample: []
members:
  description:
    - All members of the pool after the task, as the API returned them.
    - After a change, the pool is read once more (after the wait of O(wait)), so this is what the API reports,
      including any member that someone else added meanwhile.
    - Without a change, the members read at the start. In check mode, the members as the change would leave them
      (planned members have no RV(members[].id)).
  returned: success
  type: list
  elements: dict
  sample:
    - id: 7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f
      name: ""
      address: 192.168.44.13
      protocol_port: 80
      subnet_id: 0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90
      weight: 1
      admin_state_up: true
      operating_status: NO_MONITOR
      tenant_id: 6a0a5b2c4d8e4f3a9b1c2d3e4f5a6b7c
  contains:
    id:
      description: ID of the member.
      type: str
      returned: except for members planned in check mode
    address:
      description: IP address of the backend server.
      type: str
      returned: always
    protocol_port:
      description: Port of the backend server.
      type: int
      returned: always
pool_id:
  description: ID of the pool (the looked-up ID when O(pool) is a name).
  returned: success
  type: str
  sample: 5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11
strategy_used:
  description:
    - How the changes were written. V(batch_elb), V(batch_octavia), V(batch_v3) or V(per_member) (see O(strategy)).
    - V(null) when nothing was written (no change, or check mode).
  returned: success
  type: str
  sample: batch_elb
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

from ansible_collections.lbaas.elb.plugins.module_utils.batch import STRATEGIES, apply_pool_plan
from ansible_collections.lbaas.elb.plugins.module_utils.families import check_extras_supported, server_family
from ansible_collections.lbaas.elb.plugins.module_utils.members import list_members
from ansible_collections.lbaas.elb.plugins.module_utils.module import ElbModule
from ansible_collections.lbaas.elb.plugins.module_utils.pool_plan import plan_pool_members
from ansible_collections.lbaas.elb.plugins.module_utils.pools import resolve_pool_id
from ansible_collections.lbaas.elb.plugins.module_utils.validation import member_attribute_spec, validate_pool_members_options

ARGUMENT_SPEC = dict(
    pool=dict(type="str", required=True),
    members=dict(
        type="list",
        elements="dict",
        required=True,
        # address and protocol_port are required, but checked by validate_pool_members_options,
        # whose message names the item (members[3].address).
        options=dict(
            address=dict(type="str"),
            protocol_port=dict(type="int"),
            **member_attribute_spec(),
        ),
    ),
    purge=dict(type="bool", default=False),
    strategy=dict(type="str", default="auto", choices=list(STRATEGIES)),
    wait=dict(type="bool", default=True),
)


def ensure_pool_members(module):
    options = validate_pool_members_options(module.params)
    client = module.client
    pool_id = resolve_pool_id(client, options["pool"])
    pages = []
    current = list_members(client, pool_id, live_only=True, pages=pages)
    check_extras_supported(options["members"], server_family(module.family, pages))
    plan = plan_pool_members(current, options["members"], options["purge"], module.family)
    result = apply_pool_plan(
        client, pool_id, current, plan, options["members"], strategy=module.params["strategy"], check_mode=module.check_mode, wait=module.params["wait"]
    )
    result["pool_id"] = pool_id
    module.exit_with_diff(result)


def main():
    module = ElbModule(argument_spec=ARGUMENT_SPEC, default_timeout=600, supports_check_mode=True)
    module.run(ensure_pool_members)


if __name__ == "__main__":
    main()
