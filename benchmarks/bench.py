# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Speed benchmark of lbaas.elb against the local ELB emulator, next to a floor and a peer.

Run it with the project's venv after building the collection (``make bench`` does both)::

    .venv/bin/python benchmarks/bench.py            # N=5 repeats, about 45 minutes on 2 cores
    .venv/bin/python benchmarks/bench.py --quick    # N=2, smaller counts, about 10 minutes

What is measured (one emulator process for everything, loopback only):

1. Floor: one task of ``benchmarks/floor_module/bench_floor.py`` (imports requests, exits) against one
   no-op ``lbaas.elb.elb_member`` task.
2. Peer: ``openstack.cloud.lb_member`` (PyPI ``ansible`` + a pinned openstacksdk, in
   ``benchmarks/.venv-peer``, created by this script on first run) against ``elb_member``: no-op,
   create, create-then-delete, all with ``wait: true``.
3. N members (default 100) into an empty pool: one ``elb_pool_members`` task, an ``elb_member`` loop
   and an ``openstack.cloud.lb_member`` loop, at the 0.2 s settle window and again at 2 s (where the
   peer runs a reduced count and its figure is scaled linearly, as the table says).
4. No-op ``elb_member`` in pools of 10, 1,000 and 10,000 members: time, requests, peak RSS.

Every run is timed twice: the wall time of the whole ``ansible-playbook`` run, and each task's time from
the callback plugin ``benchmarks/callback_plugins/bench_timer.py``. Figures are the median of N runs, the
compared runs interleaved (A, B, A, B, ...) after one untimed warm-up each. The targets are printed with
PASS/MISS and never asserted.

Results: a markdown table on stdout, ``benchmarks/results.md`` and ``benchmarks/results.png``; raw
runs in ``benchmarks/work/results.json``, every playbook's output under ``benchmarks/work/logs`` and the
callback's task times under ``benchmarks/work/timers``. ``--report-from`` writes the report again
from a saved results.json.

The parts: harness.py (emulator, Ansible runs, statistics), scenarios.py, report.py (tables, chart).
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

from harness import (
    BENCH,
    FLOOR_DIR,
    PROJECT_VENV,
    ROOT,
    WORK,
    Emulator,
    Runner,
    Side,
    collection_version,
    ensure_peer_venv,
    log,
    machine_info,
    package_versions,
    prepare_work,
)
from report import write_outputs
from scenarios import Connection, scenario_floor_peer, scenario_many, scenario_scale


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", "-n", type=int, default=None, help="runs per figure (default 5; --quick: 2)")
    parser.add_argument("--long-repeats", type=int, default=None, help="runs per figure in scenario 3 (default min(repeats, 3); --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="N=2, 20 members in scenario 3 (5 for the peer at 2 s), one run per scenario-3 figure")
    parser.add_argument("--collections-path", default=str(ROOT / "build" / "collections"), help="where lbaas.elb is installed (default build/collections)")
    parser.add_argument("--peer-venv", default=str(BENCH / ".venv-peer"), help="venv for the peer (created on first run)")
    parser.add_argument("--reinstall-peer", action="store_true", help="pip install the peer requirements again")
    parser.add_argument("--no-peer", action="store_true", help="skip openstack.cloud entirely")
    parser.add_argument("--skip-peer-writes", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--flavor", default="octavia", help="emulator flavor for every scenario (octavia: the peer needs member provisioning_status)")
    parser.add_argument("--settle", type=float, default=0.2, help="PENDING_UPDATE window in seconds (default 0.2)")
    parser.add_argument("--slow-settle", type=float, default=2.0, help="second pass of scenario 3 (default 2.0; 0 skips it)")
    parser.add_argument("--members", type=int, default=None, help="members in scenario 3 (default 100; --quick: 20)")
    parser.add_argument("--peer-members", type=int, default=None, help="peer loop length at the first settle (default: --members)")
    parser.add_argument("--peer-members-slow", type=int, default=None, help="peer loop length at --slow-settle, scaled linearly (default 10; --quick: 5)")
    parser.add_argument("--no-loop-wait", dest="loop_wait", action="store_false", help="skip the elb_member loop with wait: true")
    parser.add_argument("--pool-sizes", default="10,1000,10000", help="scenario 4 pool sizes (default 10,1000,10000)")
    parser.add_argument("--scenarios", default="1,2,3,4", help="which scenarios to run (1 and 2 run together)")
    parser.add_argument("--output-dir", default=str(BENCH), help="where results.md and results.png go (default benchmarks/)")
    parser.add_argument("--report-from", metavar="RESULTS_JSON", help="only write results.md and results.png again from a saved results.json")
    args = parser.parse_args(argv)
    if args.repeats is None:
        args.repeats = 2 if args.quick else 5
    if args.long_repeats is None:
        args.long_repeats = 1 if args.quick else min(args.repeats, 3)
    if args.members is None:
        args.members = 20 if args.quick else 100
    if args.peer_members is None:
        args.peer_members = args.members
    if args.peer_members_slow is None:
        args.peer_members_slow = 5 if args.quick else 10
    args.pool_sizes = [int(s) for s in args.pool_sizes.split(",") if s.strip()]
    args.scenarios = {s.strip() for s in args.scenarios.split(",") if s.strip()}
    if args.repeats < 1 or args.long_repeats < 1 or args.members < 1 or args.peer_members < 1 or args.peer_members_slow < 1:
        parser.error("counts must be >= 1")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.report_from:
        markdown, png = write_outputs(json.loads(Path(args.report_from).read_text()), args.output_dir)
        log(f"wrote {markdown} and {png} from {args.report_from}")
        return 0

    collections_path = Path(args.collections_path).resolve()
    manifest = collections_path / "ansible_collections" / "lbaas" / "elb" / "MANIFEST.json"
    if not manifest.exists():
        log(f"lbaas.elb is not installed under {collections_path}: run `make collection` (or `make bench`) first")
        return 2
    installed_modules = {p.stem for p in (manifest.parent / "plugins" / "modules").glob("*.py")}
    if "elb_member" not in installed_modules:
        log("the installed collection has no elb_member module")
        return 2

    prepare_work(wipe=True)

    project_python = PROJECT_VENV / "bin" / "python"
    if not project_python.exists():
        project_python = Path(sys.executable)
    project_bin = project_python.parent
    peer_python = None
    if not args.no_peer:
        peer_python = ensure_peer_venv(Path(args.peer_venv), args.reinstall_peer)
    sides = {
        "floor": Side("floor", project_bin / "ansible-playbook", project_python, collections_path, library=FLOOR_DIR),
        "ours": Side("ours", project_bin / "ansible-playbook", project_python, collections_path),
    }
    if peer_python is not None:
        sides["peer"] = Side("peer", peer_python.parent / "ansible-playbook", peer_python, WORK / "no-collections")
    for side in sides.values():
        side.write_inventory()

    versions = {
        "project": package_versions(project_python, ["ansible-core", "requests"]),
        "peer": package_versions(peer_python, ["ansible", "ansible-core", "openstacksdk", "keystoneauth1"]) if peer_python else {},
        "lbaas.elb": collection_version(manifest),
        "openstack.cloud": None,
    }
    if peer_python is not None:
        found = list(Path(args.peer_venv).glob("lib/python*/site-packages/ansible_collections/openstack/cloud/MANIFEST.json"))
        versions["openstack.cloud"] = collection_version(found[0]) if found else None

    emulator = Emulator(project_python, args.flavor, args.settle, WORK / "emulator.log")
    notes = []
    if peer_python is not None and args.flavor != "octavia":
        notes.append(
            f"The emulator flavor is {args.flavor}: its members carry no provisioning_status, so openstack.cloud.lb_member with wait: true "
            "waits until its timeout."
        )
    load_start = os.getloadavg()
    results = {}
    started = time.monotonic()
    try:
        emulator.start()
        log(
            "== emulator at {} (flavor {}, settle {:.1f} s); lbaas.elb {} from {}".format(
                emulator.base, args.flavor, args.settle, versions["lbaas.elb"], collections_path
            )
        )
        ctx = {
            "args": args,
            "emulator": emulator,
            "runner": Runner(emulator),
            "conn": Connection(emulator.base),
            "sides": sides,
            "peer": peer_python,
            "has_batch": "elb_pool_members" in installed_modules,
        }
        if not ctx["has_batch"]:
            notes.append("lbaas.elb.elb_pool_members is not in the installed collection yet: scenario 3 has no batch row.")
        if args.scenarios & {"1", "2"}:
            results["s12"] = scenario_floor_peer(ctx)
        if "3" in args.scenarios:
            results["s3"] = scenario_many(ctx, args.settle, args.members, args.peer_members, args.long_repeats)
            if args.slow_settle:
                results["s3slow"] = scenario_many(ctx, args.slow_settle, args.members, args.peer_members_slow, args.long_repeats)
                notes.append(
                    f"At {args.slow_settle:.1f} s settle the peer loop ran {args.peer_members_slow} members; its time, requests and 409s "
                    f"are scaled x{args.members / float(args.peer_members_slow):g} to {args.members} members."
                )
            emulator.set_settle(args.settle)
        if "4" in args.scenarios:
            results["s4"] = scenario_scale(ctx, args.pool_sizes, args.repeats)
    finally:
        emulator.stop()

    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["benchmarks/bench.py", *(sys.argv[1:] if argv is None else argv)]),
        "repeats": args.repeats,
        "long_repeats": args.long_repeats,
        "flavor": args.flavor,
        "settle": args.settle,
        "slow_settle": args.slow_settle,
        "members": args.members,
        "collections_path": os.path.relpath(collections_path, ROOT) if collections_path.is_relative_to(ROOT) else str(collections_path),
        "loadavg_start": load_start,
        "loadavg_end": os.getloadavg(),
        "versions": versions,
        "machine": machine_info(),
        "elapsed_s": round(time.monotonic() - started, 1),
        "notes": notes,
    }
    results["meta"] = meta
    (WORK / "results.json").write_text(json.dumps(results, indent=1, default=str))
    markdown, png = write_outputs(results, args.output_dir)
    log("wrote {} and {} in {:.0f} s".format(markdown, png, meta["elapsed_s"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
