# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The API families lbaas.elb speaks and what their members support (no Ansible imports).

- shared ELB: the v2.0 API of Open Telekom Cloud and Huawei Cloud (Neutron LBaaS v2 compatible);
- OpenStack Octavia: the same paths and bodies, plus the member extras ``monitor_address``,
  ``monitor_port``, ``backup`` and ``tags`` (ELB_API.md sections 8, 10);
- dedicated ELB: API v3 (ELB_API_V3.md), chosen with ``elb_type: dedicated``.

A Family says where its resources live and how its members look; members, pools, loadbalancers,
health and the batch writers ask it (through ``client.family``) instead of testing for a family.

Shared ELB and Octavia answer on the same paths, so which one a server is comes from what it answers.
The module reads the member list before any write anyway (elb_member: the filtered list of one
member; elb_pool_members: the whole pool), always without ``limit``, and that answer tells them apart
at no extra cost:

- a member that carries ``provisioning_status`` or one of the extras is Octavia's (Neutron and shared
  ELB members have neither);
- an empty answer is Octavia's when it has ``members_links``: Octavia adds the key to every list, while
  Neutron adds links only to a list read with ``limit`` (ELB_API.md section 4), which these reads never send.

So the extras are refused before any write on a server that does not know them, naming the option and
the family, and no request is spent on probing.
"""

from __future__ import annotations

from urllib.parse import quote

from .errors import ElbValidationError

SHARED = "shared ELB (API v2.0)"
OCTAVIA = "OpenStack Octavia"
DEDICATED = "dedicated ELB (API v3)"
ELB_TYPES = ("shared", "dedicated")
PROJECT_ID_NEEDED = (
    "elb_type dedicated puts the project id in every path (/v3/{project_id}/elb/...): set auth.project_id (or OS_PROJECT_ID), "
    "or use password authentication, whose token names its project"
)

OCTAVIA_EXTRAS = ("monitor_address", "monitor_port", "backup", "tags")
OCTAVIA_MEMBER_KEYS = ("provisioning_status",) + OCTAVIA_EXTRAS


def family_of_listing(pages, key="members"):
    """SHARED or OCTAVIA, from the decoded pages of a member list read without ``limit``."""
    for page in pages:
        for member in page.get(key) or ():
            if isinstance(member, dict) and any(name in member for name in OCTAVIA_MEMBER_KEYS):
                return OCTAVIA
    if pages and key + "_links" in pages[0]:
        return OCTAVIA
    return SHARED


def check_extras_supported(desired_members, family):
    """Refuse an Octavia extra set on a member when the server is not Octavia (before any write).

    ``desired_members`` are validated members (validation.validate_member_fields' attributes)."""
    if family == OCTAVIA:
        return
    for desired in desired_members:
        for name in OCTAVIA_EXTRAS:
            if name not in desired["attributes"]:
                continue
            option = (desired["option"] + "." if desired.get("option") else "") + name
            raise ElbValidationError(
                option,
                desired["attributes"][name],
                f"no value on {family}",
                message=f"Option '{option}' is an OpenStack Octavia member attribute, and this server speaks {family}, which has no "
                f"such attribute. Nothing was written; leave '{option}' out for this load balancer.",
            )


class Family:
    """What differs between the families, as data.

    ``prefix(client)``: the path before ``pools/...``; ``subnet_field``: the member's subnet attribute
    (the user's ``subnet_id``); ``subnet_required``: a create needs it; ``list_params``: the query of a
    whole-pool list; ``batch``: ``v2`` (``PUT .../members``, batch.py) or ``v3`` (batch-add, -delete and
    -update, batch_v3.py); ``member_wait``: what ``wait`` waits for after a member write besides the load
    balancer (``provisioning_status`` or ``readable``); ``fixed_attributes``: attributes that exist but
    cannot be updated; ``catalog_types``: the service catalog entries that may hold the endpoint;
    ``create_hints``: what to do about a refused create, by the API's error code.
    """

    def __init__(self, name, label, *, subnet_field, subnet_required, list_params, batch, member_wait, fixed_attributes, catalog_types, create_hints=None):
        self.name = name
        self.label = label
        self.subnet_field = subnet_field
        self.subnet_required = subnet_required
        self.list_params = list_params
        self.batch = batch
        self.member_wait = member_wait
        self.fixed_attributes = fixed_attributes
        self.catalog_types = catalog_types
        self.create_hints = create_hints or {}

    def prefix(self, client):
        if self.name == "shared":
            return "/v2.0/lbaas"
        project_id = client.project_id()
        if not project_id or project_id in (".", ".."):
            raise ElbValidationError("auth.project_id", project_id, "a project id", message=PROJECT_ID_NEEDED)
        return "/v3/" + quote(project_id, safe="") + "/elb"

    def field(self, name):
        """The API's name of a member field the user knows by its v2.0 name (subnet_id)."""
        return self.subnet_field if name == "subnet_id" else name


SHARED_FAMILY = Family(
    "shared",
    SHARED,
    subnet_field="subnet_id",
    subnet_required=True,
    list_params=None,
    batch="v2",
    member_wait="provisioning_status",
    fixed_attributes=(),
    catalog_types=("elb", "load-balancer", "network"),
)
# ELB_API_V3.md: limit up to 2000 per page; admin_state_up is reported but "unsupported" in an update;
# the catalog type is elbv3 (elb names the same host, whose base URL serves both APIs).
DEDICATED_FAMILY = Family(
    "dedicated",
    DEDICATED,
    subnet_field="subnet_cidr_id",
    subnet_required=False,
    list_params={"limit": 2000},
    batch="v3",
    member_wait="readable",
    fixed_attributes=("admin_state_up",),
    catalog_types=("elbv3", "elb"),
    create_hints={
        "ELB.8938": "A member without subnet_id is an IP as a backend member, which needs a pool of protocol TCP, HTTP or HTTPS: "
        "set subnet_id, or use such a pool",
        "ELB.8939": "A member without subnet_id is an IP as a backend member, which needs a load balancer with ip_target_enable: "
        "set subnet_id, or enable IP as a backend on the load balancer",
        "ELB.8933": "This cloud does not take IPv6 backends here: an IP as a backend member (no subnet_id) is IPv4 only, and an IPv6 "
        "member needs an IPv6 subnet_id in a dual-stack pool",
    },
)
FAMILIES = {"shared": SHARED_FAMILY, "dedicated": DEDICATED_FAMILY}


def server_family(family, pages):
    """The family label for messages: dedicated is known from elb_type, shared vs Octavia from the listing."""
    return DEDICATED if family.name == "dedicated" else family_of_listing(pages)
