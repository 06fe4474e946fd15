# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The scenarios of the speed benchmark: the playbooks each one writes and the runs it times.

1 and 2. floor / elb_member / openstack.cloud.lb_member: no-op, create, create-then-delete (wait: true).
3. N members into an empty pool: elb_pool_members, elb_member loops, the peer's loop.
4. A no-op elb_member in pools of 10, 1,000 and 10,000 members: time, requests, peak RSS.

Each scenario takes the context bench.py builds (emulator, runner, sides, options) and returns the
summaries that benchmarks/report.py reads.
"""

import ipaddress
import json

from harness import (
    DOMAIN,
    FLOOR_DIR,
    MIB,
    PASSWORD,
    PORT,
    PROJECT_NAME,
    REGION,
    SUBNET,
    USERNAME,
    WORK,
    BenchError,
    Side,
    interleave,
    log,
    summarize,
)

# Member addresses come from the benchmarking range (RFC 2544): they are only data in the emulator.
NOOP_ADDRESS = "198.19.0.10"
CREATE_ADDRESS = "198.19.0.20"
CTD_ADDRESS = "198.19.0.30"
LOOP_BASE = ipaddress.ip_address("198.18.0.1")


def write_playbook(name, tasks):
    """Playbooks are written as JSON, which is YAML too."""
    path = WORK / "playbooks" / (name + ".yml")
    play = [{"name": "bench " + name, "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    path.write_text(json.dumps(play, indent=1) + "\n")
    return path


class Connection:
    def __init__(self, base):
        self.auth_url = base + "/v3"

    def ours(self):
        auth = {"auth_url": self.auth_url, "username": USERNAME, "password": PASSWORD, "user_domain_name": DOMAIN, "project_name": PROJECT_NAME}
        return {"auth": auth, "region_name": REGION}

    def peer(self):
        auth = {
            "auth_url": self.auth_url,
            "username": USERNAME,
            "password": PASSWORD,
            "user_domain_name": DOMAIN,
            "project_name": PROJECT_NAME,
            "project_domain_name": DOMAIN,
        }
        return {"auth": auth, "region_name": REGION}


def ours_member_task(conn, pool_id, address, port, name, *, state="present", wait=True, loop=None):
    args = {"pool": pool_id, "address": address, "protocol_port": port, "state": state, "wait": wait, "timeout": 600}
    if state == "present":
        args.update({"subnet_id": SUBNET, "name": name, "weight": 1})
    args.update(conn.ours())
    task = {"name": f"elb_member {state}", "lbaas.elb.elb_member": args}
    if loop is not None:
        task["loop"] = loop
    return task


def peer_member_task(conn, pool_id, address, port, name, *, state="present", loop=None):
    args = {"pool": pool_id, "name": name, "state": state, "wait": True, "timeout": 600}
    if state == "present":
        args.update({"address": address, "protocol_port": port, "subnet_id": SUBNET, "weight": 1})
    args.update(conn.peer())
    task = {"name": f"lb_member {state}", "openstack.cloud.lb_member": args}
    if loop is not None:
        task["loop"] = loop
    return task


def loop_items(count):
    return [{"address": str(LOOP_BASE + i), "name": f"bench-{i}"} for i in range(count)]


def noop_pool(emu, name):
    """A load balancer and pool named after ``name`` that hold the no-op tasks' member; returns (lb_id, pool_id)."""
    lb_id = emu.create_loadbalancer(name)
    pool_id = emu.create_pool(lb_id, name + "-pool")
    emu.ensure_member(lb_id, pool_id, NOOP_ADDRESS, PORT, "bench-noop")
    return lb_id, pool_id


def scenario_floor_peer(ctx):
    """Scenarios 1 and 2: floor / elb_member / lb_member no-op, create, create-then-delete."""
    emu, runner, conn, args = ctx["emulator"], ctx["runner"], ctx["conn"], ctx["args"]
    lb_id, pool_id = noop_pool(emu, "bench-s12")
    sides = ctx["sides"]
    use_peer = ctx["peer"] is not None
    out = {"pool": pool_id, "settle": emu.settle}

    floor = write_playbook("floor", [{"name": "floor", "bench_floor": {}}])
    # Two floor tasks in one playbook: the least two tasks can cost (the first task of a play carries
    # one-time costs, the second does not), for the lower bound of create-then-delete.
    floor2 = write_playbook("floor2", [{"name": "floor 1", "bench_floor": {}}, {"name": "floor 2", "bench_floor": {}}])
    ours_noop = write_playbook("ours-noop", [ours_member_task(conn, pool_id, NOOP_ADDRESS, PORT, "bench-noop")])
    # The same no-op twice in one playbook: the second task shows the cost without the one-time ones
    # (AnsiballZ builds a module's payload once per run), next to floor2's second task.
    ours_noop2 = write_playbook("ours-noop2", [ours_member_task(conn, pool_id, NOOP_ADDRESS, PORT, "bench-noop") for _task in range(2)])
    peer_noop = write_playbook("peer-noop", [peer_member_task(conn, pool_id, NOOP_ADDRESS, PORT, "bench-noop")])
    log(f"== 1+2. no-op: floor / elb_member / openstack.cloud.lb_member, {args.repeats} interleaved runs each")
    entries = [("floor", sides["floor"], floor), ("ours-noop", sides["ours"], ours_noop)]
    if use_peer:
        entries.append(("peer-noop", sides["peer"], peer_noop))
    entries.append(("floor2", sides["floor"], floor2))
    entries.append(("ours-noop2", sides["ours"], ours_noop2))
    results = interleave(runner, entries, args.repeats)
    out["floor"] = summarize(results["floor"])
    out["floor2"] = summarize(results["floor2"], per=2.0)
    out["ours-noop2"] = summarize(results["ours-noop2"], per=2.0)
    out["ours-noop"] = summarize(results["ours-noop"])
    if use_peer:
        out["peer-noop"] = summarize(results["peer-noop"])

    if args.skip_peer_writes:
        return out

    def absent(_key):
        emu.ensure_absent(lb_id, pool_id, CREATE_ADDRESS, PORT)
        emu.ensure_absent(lb_id, pool_id, CTD_ADDRESS, PORT)

    log(f"== 2. create (wait: true), {args.repeats} interleaved runs each")
    entries = [("ours-create", sides["ours"], write_playbook("ours-create", [ours_member_task(conn, pool_id, CREATE_ADDRESS, PORT, "bench-create")]))]
    if use_peer:
        entries.append(("peer-create", sides["peer"], write_playbook("peer-create", [peer_member_task(conn, pool_id, CREATE_ADDRESS, PORT, "bench-create")])))
    results = interleave(runner, entries, args.repeats, before=absent)
    for key, runs in results.items():
        out[key] = summarize(runs)

    log(f"== 2. create-then-delete (two tasks, wait: true), {args.repeats} interleaved runs each")
    ours_ctd = [
        ours_member_task(conn, pool_id, CTD_ADDRESS, PORT, "bench-ctd"),
        ours_member_task(conn, pool_id, CTD_ADDRESS, PORT, "bench-ctd", state="absent"),
    ]
    peer_ctd = [
        peer_member_task(conn, pool_id, CTD_ADDRESS, PORT, "bench-ctd"),
        peer_member_task(conn, pool_id, CTD_ADDRESS, PORT, "bench-ctd", state="absent"),
    ]
    entries = [("ours-ctd", sides["ours"], write_playbook("ours-ctd", ours_ctd))]
    if use_peer:
        entries.append(("peer-ctd", sides["peer"], write_playbook("peer-ctd", peer_ctd)))
    results = interleave(runner, entries, args.repeats, before=absent)
    for key, runs in results.items():
        out[key] = summarize(runs, per=2.0)
    absent(None)
    return out


def scenario_many(ctx, settle, members, peer_members, repeats):
    """Scenario 3: N members into an empty pool: elb_pool_members, elb_member loops, the peer loop. Each run gets a new pool."""
    emu, runner, conn, sides = ctx["emulator"], ctx["runner"], ctx["conn"], ctx["sides"]
    emu.set_settle(settle)
    lb_id = emu.create_loadbalancer(f"bench-s3-{settle}")
    items = loop_items(members)
    peer_items = loop_items(peer_members)
    pools = {}

    def new_pool(key):
        pools[key] = emu.create_pool(lb_id, f"bench-s3-{key}-{runner.sequence + 1}")
        return pools[key]

    def batch_playbook(round_name):
        pool_id = new_pool("batch")
        listed = [{"address": i["address"], "protocol_port": PORT, "subnet_id": SUBNET, "name": i["name"], "weight": 1} for i in items]
        args = {"pool": pool_id, "members": listed, "wait": True, "timeout": 600}
        args.update(conn.ours())
        return write_playbook(f"ours-batch-{settle}-{round_name}", [{"name": "elb_pool_members", "lbaas.elb.elb_pool_members": args}])

    def loop_playbook(wait):
        def make(round_name):
            key = "loop-wait" if wait else "loop"
            pool_id = new_pool(key)
            task = ours_member_task(conn, pool_id, "{{ item.address }}", PORT, "{{ item.name }}", wait=wait, loop=items)
            return write_playbook(f"ours-{key}-{settle}-{round_name}", [task])

        return make

    def peer_playbook(round_name):
        pool_id = new_pool("peer")
        task = peer_member_task(conn, pool_id, "{{ item.address }}", PORT, "{{ item.name }}", loop=peer_items)
        return write_playbook(f"peer-loop-{settle}-{round_name}", [task])

    entries = []
    if ctx["has_batch"]:
        entries.append(("batch", sides["ours"], batch_playbook))
    entries.append(("loop", sides["ours"], loop_playbook(False)))
    if ctx["args"].loop_wait and settle == ctx["args"].settle:
        entries.append(("loop-wait", sides["ours"], loop_playbook(True)))
    if ctx["peer"] is not None:
        entries.append(("peer", sides["peer"], peer_playbook))
    log(f"== 3. {members} members into an empty pool at settle {settle:.1f} s (peer: {peer_members} members), {repeats} interleaved runs each")

    expected = {"batch": members, "loop": members, "loop-wait": members, "peer": peer_members}
    created = {key: [] for key, *_rest in entries}

    results = {key: [] for key, *_rest in entries}
    for round_index in range(repeats):
        for key, side, make in entries:
            playbook = make(f"run{round_index}")
            emu.wait_lb_active(lb_id)
            result = runner.run(side, playbook, f"s3-{settle}-{key}-run{round_index}", want_log=True)
            emu.wait_lb_active(lb_id)
            found = len(emu.members(pools[key]))
            result["members_created"] = found
            created[key].append(found)
            if found != expected[key]:
                result["failed"] = max(result["failed"], 1)
            results[key].append(result)
            log(
                "  {:<12} run{} {:8.2f} s  {:>6} requests  {:>4} 409s  {}/{} members  {}".format(
                    key, round_index, result["wall"], result["requests"], result["conflicts"], found, expected[key], "FAILED" if result["failed"] else "ok"
                )
            )
    out = {"settle": settle, "members": members, "peer_members": peer_members}
    for key, runs in results.items():
        count = expected[key]
        summary = summarize(runs, per=float(count))
        summary["count"] = count
        # Figures for the full member count: the peer's reduced count is scaled linearly.
        scale = members / float(count)
        summary["scaled"] = scale != 1.0
        summary["wall_full"] = summary["wall"] * scale
        summary["requests_full"] = (summary["requests"] or 0) * scale
        summary["conflicts_full"] = (summary["conflicts"] or 0) * scale
        out[key] = summary
    return out


RSS_WRAPPER = """#!{python}
# Written by benchmarks/bench.py. Ansible runs the module with this as ansible_python_interpreter: it
# runs the real interpreter as a child with the same arguments and stdin, then appends the child's
# peak resident set size (getrusage(RUSAGE_CHILDREN).ru_maxrss, KiB on Linux) to a file.
import resource
import subprocess
import sys

code = subprocess.call([{real!r}] + sys.argv[1:])
with open({out!r}, "a") as handle:
    handle.write("%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def scenario_scale(ctx, sizes, repeats):
    """Scenario 4: a no-op elb_member in pools of 10, 1,000 and 10,000 members; time, requests, peak RSS."""
    emu, runner, conn = ctx["emulator"], ctx["runner"], ctx["conn"]
    emu.set_settle(ctx["args"].settle)
    rss_file = WORK / "rss.txt"
    wrapper = WORK / "rss-python"
    project_python = ctx["sides"]["ours"].python
    wrapper.write_text(RSS_WRAPPER.format(python=project_python, real=str(project_python), out=str(rss_file)))
    wrapper.chmod(0o755)
    ours = Side("ours-rss", ctx["sides"]["ours"].playbook_bin, project_python, ctx["sides"]["ours"].collections_path, interpreter=wrapper)
    floor = Side("floor-rss", ctx["sides"]["ours"].playbook_bin, project_python, ctx["sides"]["ours"].collections_path, library=FLOOR_DIR, interpreter=wrapper)
    for side in (ours, floor):
        side.write_inventory()

    entries = [("floor", floor, write_playbook("floor-rss", [{"name": "floor", "bench_floor": {}}]))]
    for size in sizes:
        lb_id = emu.create_loadbalancer(f"bench-s4-{size}")
        pool_id = emu.create_pool(lb_id, f"bench-s4-{size}")
        log(f"== 4. seeding {size} members into pool {pool_id}")
        emu.seed(pool_id, size)
        emu.wait_lb_active(lb_id)
        listed = emu.members(pool_id)
        if len(listed) != size:
            raise BenchError(f"seeded {size} members, the pool lists {len(listed)}")
        target = sorted(listed, key=lambda m: m["id"])[len(listed) // 2]
        args = {
            "pool": pool_id,
            "address": target["address"],
            "protocol_port": target["protocol_port"],
            "subnet_id": target.get("subnet_id") or SUBNET,
            "name": target.get("name", ""),
            "weight": target.get("weight", 1),
            "state": "present",
            "wait": True,
            "timeout": 600,
        }
        args.update(conn.ours())
        entries.append((f"size-{size}", ours, write_playbook(f"ours-noop-{size}", [{"name": "elb_member no-op", "lbaas.elb.elb_member": args}])))
    log(f"== 4. no-op elb_member by pool size {sizes}, {repeats} interleaved runs each (module under the RSS wrapper)")
    results = {key: [] for key, *_rest in entries}
    for round_name, keep in [("warmup", False)] + [(f"run{i}", True) for i in range(repeats)]:
        for key, side, playbook in entries:
            result = runner.run(side, playbook, f"s4-{key}-{round_name}", rss_file=rss_file)
            if keep:
                results[key].append(result)
            log(
                "  {:<12} {:<7} {:7.2f} s  {:>5} requests  {:6.1f} MiB  {}".format(
                    key, round_name, result["wall"], result["requests"], (result["rss_kib"] or 0) / MIB, "FAILED" if result["failed"] else "ok"
                )
            )
    return {key: summarize(runs) for key, runs in results.items()}
