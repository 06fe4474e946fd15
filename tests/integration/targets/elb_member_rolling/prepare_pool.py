# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Before a run of examples/rolling_update.yml: the backends of the inventory in the emulator's demo pool.

Usage: python prepare_pool.py URL INVENTORY STATE_FILE [HOST_RULES_JSON]

Every host of the group ``backends`` becomes a member of the demo pool whose checks passed long ago
(ONLINE at once), then HOST_RULES_JSON ({inventory hostname: health rule without its address}, e.g.
``{"web-3": {"mode": "offline"}}``) is set; a rule acts at once, so such a host is OFFLINE or flapping
already. STATE_FILE gets what check_rollout.yml compares against, as JSON: each host's member
(``members_before``), the seq of the last request before the run (``log_mark``) and a token of the demo
user for the checks' own reads (``elb_token``). Standard library only, and no playbook: a uri task per
call would cost seconds each, for every scenario.
"""

import json
import subprocess
import sys
import urllib.error
import urllib.request

POOL_ID = "3a5c7e9b-0d2f-4b4c-8e6a-1f3b5d7c9e02"
SUBNET_ID = "7d1f3b5a-2c4e-4a6b-8d0f-1a3c5e7b9d20"
BACKEND_PORT = 80
AUTH = {
    "auth": {
        "identity": {
            "methods": ["password"],
            "password": {"user": {"name": "demo", "password": "demo-password", "domain": {"name": "demo-domain"}}},
        },
        "scope": {"project": {"name": "eu-de"}},
    }
}


def call(url, method, path, body=None, headers=None, expect=200):
    """One request; returns the answer's headers and its decoded JSON body (None when empty)."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url + path, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, text, answer_headers = answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as error:
        status, text, answer_headers = error.code, error.read(), error.headers
    if status != expect:
        raise SystemExit(f"prepare_pool.py: {method} {path} answered {status}, expected {expect}: {text[:500]!r}")
    return answer_headers, (json.loads(text) if text else None)


def backends(inventory):
    """[(inventory hostname, ansible_host)] of the group backends, in inventory order."""
    listing = subprocess.run(["ansible-inventory", "-i", inventory, "--list"], check=True, capture_output=True, text=True)
    data = json.loads(listing.stdout)
    hostvars = data["_meta"]["hostvars"]
    return [(host, hostvars[host]["ansible_host"]) for host in data["backends"]["hosts"]]


def main(url, inventory, state_file, host_rules="{}"):
    hosts = backends(inventory)
    rules = json.loads(host_rules)
    addresses = dict(hosts)
    unknown = set(rules) - set(addresses)
    if len(hosts) != 4 or unknown:
        raise SystemExit(f"prepare_pool.py: the scenarios need four backends and rules for them only; got {hosts}, rules for {sorted(unknown)}")
    for host, address in hosts:
        seed = {"pool_id": POOL_ID, "count": 1, "start": address, "protocol_port": BACKEND_PORT, "subnet_id": SUBNET_ID, "name_prefix": f"{host}-"}
        call(url, "POST", "/_emulator/seed", seed, expect=201)
    if rules:
        call(url, "PUT", "/_emulator/health", {"rules": [dict(rule, address=addresses[host]) for host, rule in rules.items()]})
    token = call(url, "POST", "/v3/auth/tokens", AUTH, expect=201)[0]["X-Subject-Token"]
    listing = call(url, "GET", f"/v2.0/lbaas/pools/{POOL_ID}/members", headers={"X-Auth-Token": token})[1]
    by_address = {(member["address"], member["protocol_port"]): member for member in listing["members"]}
    members = {host: by_address.get((address, BACKEND_PORT)) for host, address in hosts}
    not_ready = {host: member for host, member in members.items() if member is None or (host not in rules and member["operating_status"] != "ONLINE")}
    if not_ready:
        raise SystemExit(f"prepare_pool.py: members missing or not ONLINE: {not_ready}")
    last_request = call(url, "GET", "/_emulator/requests?last=1")[1][-1]
    with open(state_file, "w", encoding="utf-8") as handle:
        json.dump({"members_before": members, "log_mark": last_request["seq"], "elb_token": token}, handle, indent=2)


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
