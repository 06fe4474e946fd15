# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Two versions of lbaas.elb side by side in one run: did a change move the speed figures?

``make bench`` compares the collection with a floor and a peer. Two full runs made hours apart move by
more than a change to the plugins does (the machine's speed varies), so a figure from an old run is no
baseline. This script times the plugins of a git ref against the installed build (``build/collections``)
in the same run, on the same emulator, interleaved, and a second time against the build itself (A/A):
the A/A ratio is the noise of this run, the ref's ratio is read against it.

    .venv/bin/python benchmarks/compare.py REF [-n 7]      # make bench-compare REF=...

The ref's ``plugins/``, ``meta/`` and ``galaxy.yml`` are taken with ``git archive``; nothing is
installed. The playbooks are bench.py's scenarios 1 and 2 for elb_member (no-op, two no-ops, create,
create-then-delete, all ``wait: true``). Output: a markdown table on stdout and in
``benchmarks/work/compare-COMMIT.md``, the raw runs in ``benchmarks/work/compare-COMMIT.json``.
"""

import argparse
import io
import json
import shutil
import subprocess
import sys
import tarfile

from harness import (
    PROJECT_VENV,
    ROOT,
    WORK,
    Emulator,
    Runner,
    Side,
    failed_runs_note,
    figure,
    installed_build,
    interleave,
    log,
    prepare_work,
    ratio_cell,
)
from scenarios import CREATE_ADDRESS, CTD_ADDRESS, NOOP_ADDRESS, PORT, Connection, noop_pool, ours_member_task, write_playbook

ARCHIVED = ("plugins", "meta", "galaxy.yml")


def export_ref(ref, target, drop=()):
    """The ref's plugins, meta and galaxy.yml under ``target/ansible_collections/lbaas/elb``, less the folders
    in ``drop``; returns the commit."""
    commit = subprocess.run(["git", "rev-parse", "--short", ref + "^{commit}"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    archive = subprocess.run(["git", "archive", "--format=tar", commit, *ARCHIVED], cwd=ROOT, capture_output=True, check=True).stdout
    dest = target / "ansible_collections" / "lbaas" / "elb"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    for path in drop:
        shutil.rmtree(dest / path)
    return commit


def playbooks(conn, pool_id, label):
    def member(address, name, state="present"):
        return ours_member_task(conn, pool_id, address, PORT, name, state=state)

    return {
        "noop": write_playbook(f"cmp-{label}-noop", [member(NOOP_ADDRESS, "bench-noop")]),
        "noop2": write_playbook(f"cmp-{label}-noop2", [member(NOOP_ADDRESS, "bench-noop")] * 2),
        "create": write_playbook(f"cmp-{label}-create", [member(CREATE_ADDRESS, "bench-create")]),
        "ctd": write_playbook(f"cmp-{label}-ctd", [member(CTD_ADDRESS, "bench-ctd"), member(CTD_ADDRESS, "bench-ctd", state="absent")]),
    }


# (row, playbook, what is read from each run)
ROWS = (
    ("no-op, whole playbook", "noop", lambda r: r["wall"]),
    ("no-op, the task", "noop", lambda r: r["tasks"][0]),
    ("two no-ops, the second task", "noop2", lambda r: r["tasks"][1]),
    ("create (wait: true), the task", "create", lambda r: r["tasks"][0]),
    ("create-then-delete, per task", "ctd", lambda r: sum(r["tasks"]) / 2.0),
    ("requests per no-op", "noop", lambda r: r["requests"]),
)


def cell(fig, seconds):
    if fig[0] is None:
        return "n/a"
    if seconds:
        return f"{fig[0]:.2f} s ({fig[1]:.2f}-{fig[2]:.2f})"
    return f"{fig[0]:g}"


def report(ref_label, results, repeats):
    lines = [
        f"| {repeats} interleaved runs each: median (min-max) | {ref_label} | HEAD | HEAD again | HEAD / {ref_label} | HEAD again / HEAD (noise) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, key, read in ROWS:
        ref, head, again = (figure(results[f"{side}-{key}"], read) for side in ("ref", "head", "again"))
        seconds = not name.startswith("requests")
        cells = [name, cell(ref, seconds), cell(head, seconds), cell(again, seconds), ratio_cell(head[0], ref[0]), ratio_cell(again[0], head[0])]
        lines.append("| " + " | ".join(cells) + " |")
    lines.extend(failed_runs_note(results))
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("ref", help="the git ref whose plugins are compared with build/collections")
    parser.add_argument("--repeats", "-n", type=int, default=7, help="runs per figure (default 7)")
    parser.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="PATH",
        help="leave this folder of the ref out (repeatable), e.g. plugins/action to time a ref without its action plugins",
    )
    parser.add_argument("--settle", type=float, default=0.2, help="PENDING_UPDATE window in seconds (default 0.2, as make bench)")
    args = parser.parse_args(argv)

    head_path = installed_build()
    if head_path is None:
        return 2
    prepare_work(wipe=False)
    ref_path = WORK / "compare-ref"
    commit = export_ref(args.ref, ref_path, args.drop)
    label = (f"{args.ref} ({commit})" if commit != args.ref else commit) + "".join(f" without {path}" for path in args.drop)
    name = commit + "".join("-no-" + path.replace("/", "-") for path in args.drop)

    python = PROJECT_VENV / "bin" / "python"
    playbook_bin = python.parent / "ansible-playbook"
    sides = {"ref": Side("cmp-ref", playbook_bin, python, ref_path), "head": Side("cmp-head", playbook_bin, python, head_path)}
    sides["again"] = sides["head"]
    for side in sides.values():
        side.write_inventory()

    emulator = Emulator(python, "octavia", args.settle, WORK / "emulator-compare.log")
    try:
        emulator.start()
        lb_id, pool_id = noop_pool(emulator, "bench-compare")
        conn = Connection(emulator.base)

        def absent(_key):
            emulator.ensure_absent(lb_id, pool_id, CREATE_ADDRESS, PORT)
            emulator.ensure_absent(lb_id, pool_id, CTD_ADDRESS, PORT)

        log(f"== {label} against HEAD's build and HEAD's build again, {args.repeats} interleaved runs each")
        results = {}
        runner = Runner(emulator)
        books = {side: playbooks(conn, pool_id, side) for side in sides}
        for key in ("noop", "noop2", "create", "ctd"):
            entries = [(f"{side}-{key}", sides[side], books[side][key]) for side in sides]
            results.update(interleave(runner, entries, args.repeats, before=absent))
    finally:
        emulator.stop()

    table = report(label, results, args.repeats)
    log("")
    log(table)
    command = " ".join(["benchmarks/compare.py", args.ref, *(f"--drop {path}" for path in args.drop), f"-n {args.repeats}"])
    (WORK / f"compare-{name}.md").write_text(f"{command}, settle {args.settle} s\n\n" + table)
    (WORK / f"compare-{name}.json").write_text(json.dumps(results, indent=1, default=str))
    return 1 if any(r["failed"] for runs in results.values() for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
