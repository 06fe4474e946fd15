"""Reliability figures of lbaas.elb.elb_member under concurrency and injected faults.

Starts its own emulator (through tests/emulator/launch.py, demo world) and runs real
ansible-playbook processes against it:

1. distinct members: --processes parallel playbooks (each adds --members-per-process members) plus
   one playbook over --forks fake hosts with `forks` set to the same number (each host adds
   --members-per-host members), all into ONE pool, with --fault-rate seeded transient faults on every
   route (HTTP 500/502/503/504, 429 throttling, connection reset, lost response, 409 busy);
2. the same-member race: --race-processes playbooks add the SAME member at the same moment,
   without faults;
3. the same race again, with the faults.

All three run twice: against shared ELB (API v2.0) and against dedicated load balancers (API v3,
the emulator's dedicated flavor, elb_member with elb_type: dedicated), each with its own emulator.

It prints one table per family and exits non-zero on any task failure, duplicate member, lost write, or a race
that did not end with exactly one `changed: true`.

Usage: .venv/bin/python benchmarks/reliability.py [--small] [options]   (`make reliability`)
The collection is taken from ANSIBLE_COLLECTIONS_PATH, else build/collections (`make collection`).
"""

import argparse
import contextlib
import functools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration", "targets", "elb_member_concurrency"))
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))

import concurrency  # the driver of the elb_member_concurrency target
from launch import EmulatorProcess

IAM_TOKENS = "POST /v3/auth/tokens"
# Transient faults a real cloud API gives, on every route. `busy` (409 StateInvalid) only on member
# writes: IAM and reads never answer it.
TRANSIENT = [
    {"kind": "status", "status": 500},
    {"kind": "status", "status": 502},
    {"kind": "status", "status": 503},
    {"kind": "status", "status": 504},
    {"kind": "throttle", "retry_after": 1},
    {"kind": "reset"},
    {"kind": "lost_response"},
]
FAULT_KINDS = ["status:500", "status:502", "status:503", "status:504", "throttle", "reset", "lost_response", "busy"]
PROJECT_ID = "0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e"
V3_BASE = "/v3/%s/elb" % PROJECT_ID
# What differs between the two runs. The concurrency driver (elb_member_concurrency) knows the shared
# world only: for the dedicated run its pool, playbook and create route are swapped (world_patched).
WORLDS = {
    "shared": {
        "title": "shared ELB (API v2.0)",
        "emulator_args": (),
        "members_route": "/v2.0/lbaas/pools/{pool_id}/members",
        "loadbalancers_route": "GET /v2.0/lbaas/loadbalancers/",
        "demo": {},
    },
    "dedicated": {
        "title": "dedicated ELB (API v3)",
        "emulator_args": ("--flavor", "dedicated"),
        "members_route": "/v3/{project_id}/elb/pools/{pool_id}/members",
        "loadbalancers_route": "GET /v3/{project_id}/elb/loadbalancers/",
        "demo": {"pool_id": "8f0b2d4e-6a8c-4e0f-9b2d-4f6a8c0e2f07", "loadbalancer_id": "7e9a1c3d-5f7b-4d9e-8a1c-3e5f7a9b1d05"},
    },
}
SMALL = {"processes": 3, "members_per_process": 4, "forks": 8, "members_per_host": 3, "race_processes": 10}


def write_routes(world):
    """The emulator's route templates of member create, update and delete in ``world``."""
    members = world["members_route"]
    return ["POST " + members, "PUT " + members + "/{member_id}", "DELETE " + members + "/{member_id}"]


def fault_rules(rate, world):
    """Rules that fault each request with probability `rate`, spread evenly over the kinds.

    The emulator tries the rules matching a request in order and fires the first whose draw
    succeeds, so with k rules of probability p a request is faulted with 1 - (1 - p)^k.
    """
    rules = []
    groups = [(["GET *", IAM_TOKENS], TRANSIENT), (write_routes(world), [*TRANSIENT, {"kind": "busy"}])]
    for routes, kinds in groups:
        probability = 1 - (1 - rate) ** (1.0 / len(kinds))
        for route in routes:
            rules.extend(dict(kind, route=route, probability=round(probability, 6)) for kind in kinds)
    return rules


def versions(ansible_playbook):
    found = {"python": platform.python_version()}
    first = subprocess.run([ansible_playbook, "--version"], capture_output=True, text=True, check=False).stdout.splitlines()
    found["ansible-core"] = first[0].split("core")[-1].strip(" []") if first else "unknown"
    try:
        import requests

        found["requests"] = requests.__version__
    except ImportError:
        found["requests"] = "not installed"
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        found["lbaas.elb"] = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("version:")), "unknown")
    return found


class DedicatedControl(concurrency.EmulatorControl):
    """The driver's emulator reads, on the v3 paths (page_info markers, project id in the path)."""

    def members(self, pool_id):
        token = self.token()
        found, marker = [], None
        for _page in range(1000):
            query = "?limit=2000" + ("&marker=%s" % marker if marker else "")
            data = self.call("GET", "%s/pools/%s/members%s" % (V3_BASE, pool_id, query), headers={"X-Auth-Token": token})[1]
            found.extend(data["members"])
            marker = (data.get("page_info") or {}).get("next_marker")
            if not marker or not data["members"]:
                break
        return found

    def wait_until_active(self, loadbalancer_id, timeout=60):
        token = self.token()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = self.call("GET", "%s/loadbalancers/%s" % (V3_BASE, loadbalancer_id), headers={"X-Auth-Token": token})[1]
            if data["loadbalancer"].get("provisioning_status") == "ACTIVE":
                return
            time.sleep(0.1)
        raise RuntimeError("load balancer %s did not become ACTIVE within %ss" % (loadbalancer_id, timeout))


@contextlib.contextmanager
def world_patched(world_name, workdir):
    """The concurrency driver pointed at ``world_name``'s pool, create route and playbook, restored afterwards.

    The dedicated playbook is the driver's add_members.yml with ``elb_type: dedicated`` added to its
    module_defaults, written into the work directory."""
    world = WORLDS[world_name]
    saved = (dict(concurrency.DEMO), concurrency.PLAYBOOK, concurrency.CREATE_ROUTE)
    try:
        concurrency.DEMO.update(world["demo"])
        concurrency.CREATE_ROUTE = write_routes(world)[0]
        if world_name == "dedicated":
            with open(saved[1], encoding="utf-8") as handle:
                text = handle.read()
            marker = "    group/lbaas.elb.elb:\n"
            if marker not in text:
                raise SystemExit("cannot add elb_type to %s: its module_defaults changed" % saved[1])
            concurrency.PLAYBOOK = os.path.join(workdir, "add_members_dedicated.yml")
            with open(concurrency.PLAYBOOK, "w", encoding="utf-8") as handle:
                handle.write(text.replace(marker, marker + "      elb_type: dedicated\n", 1))
        yield world
    finally:
        concurrency.DEMO.clear()
        concurrency.DEMO.update(saved[0])
        concurrency.PLAYBOOK, concurrency.CREATE_ROUTE = saved[1], saved[2]


class Phase:
    """Counts and request log of one phase, read from the emulator around it."""

    def __init__(self, control, world):
        self.world = world
        self.control = control
        self.total_before = control.counts()["total"]
        self.log_before = max([entry["seq"] for entry in control.requests()[-1:]] + [0])

    def finish(self, summary, minimum):
        counts = self.control.counts()
        log = [entry for entry in self.control.requests() if entry["seq"] > self.log_before]
        faults = self.control.faults()
        injected = dict.fromkeys(FAULT_KINDS, 0)
        for rule in faults["rules"]:
            if rule["fired"] and rule["kind"] != "delay":
                key = "%s:%s" % (rule["kind"], rule["status"]) if rule["kind"] in ("status", "raw") else rule["kind"]
                injected[key] = injected.get(key, 0) + rule["fired"]
        summary["injected"] = injected
        summary["requests"] = counts["total"] - self.total_before
        summary["minimum"] = minimum
        summary["settle_409"] = sum(1 for entry in log if entry["status"] == 409 and entry["fault"] in (None, "delay"))
        summary["lb_polls"] = sum(1 for entry in log if entry["route"].startswith(self.world["loadbalancers_route"]))
        return summary


def run(args, world_name):
    collections = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(ROOT, "build", "collections")
    if not any(os.path.isdir(os.path.join(path, "ansible_collections", "lbaas", "elb")) for path in collections.split(os.pathsep)):
        raise SystemExit("lbaas.elb is not installed in %s: run `make collection` or set ANSIBLE_COLLECTIONS_PATH" % collections)
    local_playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    ansible_playbook = local_playbook if os.path.exists(local_playbook) else shutil.which("ansible-playbook")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")

    workdir = tempfile.mkdtemp(prefix="elb-reliability-%s-" % world_name)
    world = WORLDS[world_name]
    emulator = EmulatorProcess(
        "--demo-world", "--settle-time", args.settle_time, "--seed", args.seed, *world["emulator_args"], log_path=os.path.join(workdir, "emulator.log")
    )
    try:
        with world_patched(world_name, workdir):
            return _run_phases(args, emulator, world, workdir, ansible_playbook, env)
    finally:
        emulator.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _run_phases(args, emulator, world, workdir, ansible_playbook, env):
    results = []
    url = emulator.start().url
    control = (DedicatedControl if world["emulator_args"] else concurrency.EmulatorControl)(url)
    runs = concurrency.PlaybookRuns(url, workdir, ansible_playbook=ansible_playbook, env=env, member_timeout=args.member_timeout)
    rules = fault_rules(args.fault_rate, world)

    # 1. distinct members, with faults
    phase = Phase(control, world)
    control.set_faults(rules, args.seed)
    distinct = concurrency.add_distinct(
        control, runs, args.processes, args.members_per_process, args.forks, args.members_per_host, args.forks, args.timeout, read_pool=False
    )
    distinct = phase.finish(distinct, 3 * distinct["expected_tasks"])
    control.clear_faults()
    concurrency.check_pool(control, distinct)
    distinct["title"] = "distinct + faults"
    results.append(distinct)
    control.wait_until_active(concurrency.DEMO["loadbalancer_id"])

    # 2. and 3. the same-member race, without and with faults
    for round_number, with_faults in ((1, False), (2, True)):
        phase = Phase(control, world)
        if with_faults:
            control.set_faults(rules, args.seed + round_number)
        raced = concurrency.race(control, runs, args.race_processes, round_number, args.timeout, args.race_create_delay, read_pool=False)
        raced = phase.finish(raced, 2 * args.race_processes + 1)
        control.clear_faults()
        concurrency.check_pool(control, raced)
        raced["title"] = "race + faults" if with_faults else "race, no faults"
        results.append(raced)
        control.wait_until_active(concurrency.DEMO["loadbalancer_id"])

    # Whole pool: no (address, port) twice, whatever the phase.
    members = control.members(concurrency.DEMO["pool_id"])
    keys = [(m["address"], m["protocol_port"]) for m in members]
    pool_duplicates = len(keys) - len(set(keys))
    return results, pool_duplicates, len(members), ansible_playbook


def injected_count(kind, result):
    return result["injected"].get(kind, 0)


def print_table(args, world_name, results, pool_duplicates, pool_size, ansible_playbook):
    found = versions(ansible_playbook)
    print("lbaas.elb reliability, %s: %s" % (WORLDS[world_name]["title"], ", ".join("%s %s" % item for item in found.items())))
    print(
        "emulator settle time %.2fs, fault rate %.0f%% per request (seed %d), %d CPU(s); "
        "distinct phase: %d processes x %d members + %d fake hosts (forks %d) x %d members; "
        "races: %d processes, creates held %.1fs by the emulator so that racers overlap"
        % (
            args.settle_time,
            100 * args.fault_rate,
            args.seed,
            os.cpu_count() or 0,
            args.processes,
            args.members_per_process,
            args.forks,
            args.forks,
            args.members_per_host,
            args.race_processes,
            args.race_create_delay,
        )
    )
    rows = [
        ("ansible-playbook processes", lambda r: r["processes"]),
        ("tasks run", lambda r: r["tasks"]),
        ("faults injected", lambda r: sum(r["injected"].values())),
    ]
    rows += [("  %s" % kind, functools.partial(injected_count, kind)) for kind in FAULT_KINDS]
    rows += [
        ("requests the emulator saw", lambda r: r["requests"]),
        ("fault-free minimum", lambda r: r["minimum"]),
        ("retries (requests beyond it)", lambda r: r["requests"] - r["minimum"]),
        ("  of which 409 from settle window", lambda r: r["settle_409"]),
        ("  of which load balancer polls", lambda r: r["lb_polls"]),
        ("creates that reached the API", lambda r: "-" if "creates_sent" not in r else r["creates_sent"]),
        ("task failures", lambda r: r["failed"]),
        ("duplicate members", lambda r: r["pool"]["duplicates"]),
        ("lost writes", lambda r: r["pool"]["lost"]),
        ("members / expected", lambda r: "%d / %d" % (r["pool"]["members"], r["pool"]["expected"])),
        ("tasks with changed: true", lambda r: r["changed"]),
        ("wall time (s)", lambda r: "%.1f" % r["seconds"]),
    ]
    width = max(len(row[0]) for row in rows) + 2
    print("")
    print("%-*s" % (width, "") + "".join("%18s" % r["title"] for r in results))
    for label, value in rows:
        print("%-*s" % (width, label) + "".join("%18s" % value(r) for r in results))
    print("")
    print(
        "retries = requests the emulator counted in the phase - the fault-free minimum: 3 per task in the distinct "
        "phase (IAM token, member lookup, create), 2 per racer + 1 in a race (token and lookup each, one create). "
        "They include busy-waits caused by the settle window and by contention, not only fault retries."
    )
    print("whole pool: %d members, %d (address, port) pairs present more than once" % (pool_size, pool_duplicates))


def run_family(args, world_name):
    """Run the three phases against one family's emulator, print its table; returns the problems found."""
    results, pool_duplicates, pool_size, ansible_playbook = run(args, world_name)
    print_table(args, world_name, results, pool_duplicates, pool_size, ansible_playbook)
    # A race with faults may honestly report more than one changed: true: a racer whose create failed
    # ambiguously (5xx, reset) and then finds the member cannot know it was not its own create.
    expected_changed = {"distinct + faults": results[0]["expected_tasks"], "race, no faults": 1, "race + faults": None}
    label = WORLDS[world_name]["title"]
    problems = ["%s, %s: %s" % (label, r["title"], p) for r in results for p in concurrency.problems(r, expected_changed[r["title"]])]
    if pool_duplicates:
        problems.append("%s, whole pool: %d duplicate member(s)" % (label, pool_duplicates))
    for result in results:
        for run_id, tail in result["process_logs"].items():
            print("--- %s, %s, last lines of %s" % (label, result["title"], run_id))
            print(tail)
    print("")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=10, help="parallel ansible-playbook processes (default 10)")
    parser.add_argument("--members-per-process", type=int, default=10, help="members each process adds (default 10)")
    parser.add_argument("--forks", type=int, default=20, help="fake hosts, and forks, of the one forks playbook (default 20)")
    parser.add_argument("--members-per-host", type=int, default=5, help="members each fake host adds (default 5)")
    parser.add_argument("--fault-rate", type=float, default=0.30, help="probability that a request is faulted (default 0.30)")
    parser.add_argument("--seed", type=int, default=20260101, help="seed of the emulator's fault draws")
    parser.add_argument("--settle-time", type=float, default=0.2, help="seconds a load balancer is busy after each write (default 0.2)")
    parser.add_argument("--race-processes", type=int, default=20, help="processes adding the same member (default 20)")
    parser.add_argument(
        "--race-create-delay",
        type=float,
        default=2.0,
        help="seconds the emulator holds each create during a race, so that racers overlap (default 2; 0: off)",
    )
    parser.add_argument("--member-timeout", type=int, default=900, help="the elb_member `timeout` option (default 900)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for each phase (default 1800)")
    parser.add_argument("--small", action="store_true", help="the configuration `make test` can afford: %s" % SMALL)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (playbook output, emulator log)")
    parser.add_argument("--family", choices=["both", *WORLDS], default="both", help="shared ELB (v2.0), dedicated (v3), or both one after the other (default)")
    args = parser.parse_args(argv)
    if args.small:
        for key, value in SMALL.items():
            setattr(args, key, value)
    if not 0 <= args.fault_rate < 1:
        parser.error("--fault-rate must be at least 0 and below 1")

    started = time.monotonic()
    problems = []
    for world_name in WORLDS if args.family == "both" else [args.family]:
        problems.extend(run_family(args, world_name))
    for problem in problems:
        print("FAILED " + problem)
    print("total %.0fs: %s" % (time.monotonic() - started, "FAILED" if problems else "no failure, no duplicate, no lost write"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
