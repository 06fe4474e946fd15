# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The benchmark's report: markdown tables, the targets (printed, never asserted) and a matplotlib chart."""

from pathlib import Path

import matplotlib

# No display: the chart is only ever written to a file.
matplotlib.use("Agg")
import matplotlib.pyplot as plt

from harness import log

TARGETS = {
    "floor": "elb_member no-op <= 1.10x floor (whole playbook)",
    "floor_task": "elb_member no-op <= 1.10x floor, per task: the run's first task (bench_timer)",
    "requests": "<= 2 requests per no-op (password auth)",
    "floor_rss": "elb_member no-op <= 1.10x floor (whole playbook; second measurement: scenario 4's runs, RSS wrapper on both)",
    "peer_noop": "openstack.cloud.lb_member no-op >= 1.25x slower than elb_member (whole playbook)",
    "peer_noop_task": "openstack.cloud.lb_member no-op >= 1.25x slower than elb_member, per task (bench_timer)",
    "ctd": "create-then-delete (wait: true) >= 3x faster than the peer (whole playbook)",
    "ctd_task": "create-then-delete (wait: true) >= 3x faster than the peer, per task (bench_timer)",
    "batch": "{members} members via elb_pool_members >= 50x faster than the peer loop (wait: true)",
    "scale": "no-op at 10,000 members within 1.2x of 10 members",
}


def fmt(value, digits=2, suffix=""):
    if value is None:
        return "n/a"
    return ("%." + str(digits) + "f%s") % (value, suffix)


def ratio(a, b):
    if a is None or b is None or not b:
        return None
    return a / b


def verdict(ok):
    if ok is None:
        return "n/a"
    return "PASS" if ok else "MISS"


def failed_note(summary):
    if summary is None:
        return ""
    return f" ({summary['failed_runs']}/{summary['n']} runs FAILED)" if summary["failed_runs"] else ""


def task_at(summary, index):
    """Median seconds of the task at ``index`` (bench_timer), or None (no summary, an old results.json, a missing file)."""
    times = (summary or {}).get("task_times") or []
    return times[index] if index < len(times) else None


def ctd_lower_bound(results):
    """Two floor tasks + 2 settle windows: no module that imports requests does create-then-delete with wait: true faster here."""
    s12 = results.get("s12") or {}
    floor = (s12.get("floor2") or {}).get("task_sum")
    if floor is None or not s12.get("ours-ctd"):
        return None
    settle = s12["settle"]
    bound = floor + 2 * settle
    peer_sum = (s12.get("peer-ctd") or {}).get("task_sum")
    return {
        "floor": floor,
        "settle": settle,
        "bound": bound,
        "peer_sum": peer_sum,
        "best": ratio(peer_sum, bound),
        "ours_sum": s12["ours-ctd"].get("task_sum"),
    }


def build_report(results):
    lines = []
    targets = []
    s12 = results.get("s12")
    if s12:
        floor, ours = s12.get("floor"), s12.get("ours-noop")
        lines += [
            "### 1. Floor: one task of a module that only imports requests, against a no-op elb_member task",
            "",
            "| run | wall s (median) | min-max s | vs floor | task s (median) | task vs floor | CPU s (median) | HTTP requests |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for title, s in (("floor module (imports requests, exits)", floor), ("elb_member no-op (wait: true)", ours)):
            task_ratio = ratio(s.get("task_time"), floor.get("task_time"))
            lines.append(
                "| {} | {}{} | {}-{} | {}x | {} | {} | {} | {} |".format(
                    title,
                    fmt(s["wall"], 3),
                    failed_note(s),
                    fmt(s["wall_min"], 3),
                    fmt(s["wall_max"], 3),
                    fmt(ratio(s["wall"], floor["wall"])),
                    fmt(s.get("task_time"), 3),
                    "n/a" if task_ratio is None else f"{fmt(task_ratio)}x",
                    fmt(s["cpu"], 3),
                    fmt(s["requests"], 0),
                )
            )
        floor2 = s12.get("floor2")
        if floor2 and floor2.get("task_times"):
            lines.append(
                "| floor module, two tasks in one playbook (for the bound in 2.) | {} | {}-{} | | {} + {} | | {} | 0 |".format(
                    fmt(floor2["wall"], 3),
                    fmt(floor2["wall_min"], 3),
                    fmt(floor2["wall_max"], 3),
                    fmt(task_at(floor2, 0), 3),
                    fmt(task_at(floor2, 1), 3),
                    fmt(floor2["cpu"], 3),
                )
            )
        noop2 = s12.get("ours-noop2")
        if noop2 and noop2.get("task_times") and floor2 and floor2.get("task_times"):
            second = task_at(noop2, 1)
            lines.append(
                "| elb_member no-op, two tasks in one playbook | {} | {}-{} | | {} + {} | second task {}x | {} | {} |".format(
                    fmt(noop2["wall"], 3),
                    fmt(noop2["wall_min"], 3),
                    fmt(noop2["wall_max"], 3),
                    fmt(task_at(noop2, 0), 3),
                    fmt(second, 3),
                    fmt(ratio(second, task_at(floor2, 1))),
                    fmt(noop2["cpu"], 3),
                    fmt(noop2["requests_per"], 0),
                )
            )
            lines += [
                "",
                "The first task of a module in a run also pays for building the module's AnsiballZ payload; later tasks reuse it. "
                "The second-task ratio compares the second elb_member task with the floor module's second task.",
            ]
        lines.append("")
        r = ratio(ours["wall"], floor["wall"])
        targets.append((TARGETS["floor"], f"{fmt(r)}x", verdict(None if r is None or ours["failed_runs"] else r <= 1.10)))
        r = ratio(ours.get("task_time"), floor.get("task_time"))
        targets.append((TARGETS["floor_task"], "n/a" if r is None else f"{fmt(r)}x", verdict(None if r is None or ours["failed_runs"] else r <= 1.10)))
        bad = ours["requests"] is None or ours["failed_runs"]
        targets.append((TARGETS["requests"], fmt(ours["requests"], 0), verdict(None if bad else ours["requests"] <= 2)))
        lines += [
            "### 2. Peer: openstack.cloud.lb_member against elb_member, same emulator, wait: true on both",
            "",
            "Seconds per task from the bench_timer callback (task start to its result, without ansible-playbook's start-up); "
            "the last column is the wall time of the whole `ansible-playbook` run.",
            "",
            "| operation | elb_member s/task | lb_member s/task | peer / ours | elb_member requests/task | lb_member requests/task "
            "| whole playbook s, ours / peer |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for key, title in (("noop", "no-op"), ("create", "create"), ("ctd", "create-then-delete (2 tasks), mean per task")):
            o, p = s12.get("ours-" + key), s12.get("peer-" + key)
            if o is None:
                continue
            r = ratio(p.get("task_time"), o.get("task_time")) if p else None
            lines.append(
                "| {} | {}{} | {}{} | {} | {} | {} | {} / {} |".format(
                    title,
                    fmt(o.get("task_time"), 3),
                    failed_note(o),
                    fmt(p.get("task_time"), 3) if p else "n/a",
                    failed_note(p),
                    "n/a" if r is None else f"{fmt(r)}x",
                    fmt(o["requests_per"], 1),
                    fmt(p["requests_per"], 1) if p else "n/a",
                    fmt(o["wall"], 3),
                    fmt(p["wall"], 3) if p else "n/a",
                )
            )
            if key == "ctd":
                for index, part in ((0, "create"), (1, "delete")):
                    ot, pt = task_at(o, index), task_at(p, index)
                    r = ratio(pt, ot)
                    lines.append(
                        "| create-then-delete: the {} task | {} | {} | {} | | | |".format(part, fmt(ot, 3), fmt(pt, 3), "n/a" if r is None else f"{fmt(r)}x")
                    )
        lines.append("")
        o, p = s12.get("ours-noop"), s12.get("peer-noop")
        if o and p:
            bad = o["failed_runs"] or p["failed_runs"]
            r = ratio(p["wall"], o["wall"])
            targets.append((TARGETS["peer_noop"], f"{fmt(r)}x", verdict(None if r is None or bad else r >= 1.25)))
            r = ratio(p.get("task_time"), o.get("task_time"))
            targets.append((TARGETS["peer_noop_task"], "n/a" if r is None else f"{fmt(r)}x", verdict(None if r is None or bad else r >= 1.25)))
        o, p = s12.get("ours-ctd"), s12.get("peer-ctd")
        if o and p:
            bad = o["failed_runs"] or p["failed_runs"]
            r = ratio(p["wall"], o["wall"])
            targets.append((TARGETS["ctd"], f"{fmt(r)}x", verdict(None if r is None or bad else r >= 3)))
            r = ratio(p.get("task_sum"), o.get("task_sum"))
            targets.append((TARGETS["ctd_task"], "n/a" if r is None else f"{fmt(r)}x", verdict(None if r is None or bad else r >= 3)))
        bound = ctd_lower_bound(results)
        if bound:
            text = (
                "Lower bound for a module that imports requests, as the floor module and elb_member do: "
                "the floor's time for two tasks in one playbook + one settle window per write task. "
                "For create-then-delete that is {} s + 2 x {} s = {} s".format(fmt(bound["floor"], 3), fmt(bound["settle"], 1), fmt(bound["bound"], 3))
            )
            if bound["peer_sum"] is not None:
                text += "; against the peer's measured {} s for the two tasks, the best ratio such a module could reach is {}x".format(
                    fmt(bound["peer_sum"], 3), fmt(bound["best"])
                )
            if bound["ours_sum"] is not None:
                text += " (elb_member: {} s, {}x the bound)".format(fmt(bound["ours_sum"], 3), fmt(ratio(bound["ours_sum"], bound["bound"])))
            lines += [text + ".", ""]
    for key in ("s3", "s3slow"):
        s3 = results.get(key)
        if not s3:
            continue
        members = s3["members"]
        batch, peer = s3.get("batch"), s3.get("peer")
        lines += [
            f"### 3. {members} members into an empty pool, settle window {s3['settle']:.1f} s",
            "",
            f"| way | members run | wall s for {members} (median) | s/member | HTTP requests | 409s met | vs elb_pool_members | peer loop / this |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        titles = (
            ("batch", "lbaas.elb.elb_pool_members, one task (wait: true)"),
            ("loop", "lbaas.elb.elb_member loop (wait: false, the default)"),
            ("loop-wait", "lbaas.elb.elb_member loop (wait: true)"),
            ("peer", "openstack.cloud.lb_member loop (wait: true)"),
        )
        for k, title in titles:
            s = s3.get(k)
            if not s:
                continue
            scaled = " (scaled x{:g} from {})".format(members / float(s["count"]), s["count"]) if s["scaled"] else ""
            lines.append(
                "| {} | {}{} | {}{} | {} | {}{} | {}{} | {} | {} |".format(
                    title,
                    s["count"],
                    failed_note(s),
                    fmt(s["wall_full"], 1),
                    scaled,
                    fmt(s["time"], 3),
                    fmt(s["requests_full"], 0),
                    " *" if s["scaled"] else "",
                    fmt(s["conflicts_full"], 0),
                    " *" if s["scaled"] else "",
                    "{}x".format(fmt(ratio(s["wall_full"], batch["wall_full"]), 1)) if batch else "n/a",
                    "{}x".format(fmt(ratio(peer["wall_full"], s["wall_full"]), 1)) if peer else "n/a",
                )
            )
        if peer and peer["scaled"]:
            lines += ["", "\\* scaled linearly from the {} members actually run.".format(peer["count"])]
        if peer:
            if batch:
                r = ratio(peer["wall_full"], batch["wall_full"])
                bad = batch["failed_runs"] or peer["failed_runs"]
                measured, result = f"{fmt(r, 1)}x", verdict(None if r is None or bad else r >= 50)
            else:
                measured, result = "no elb_pool_members yet", "n/a"
            note = " at {:.1f} s settle{}".format(s3["settle"], ", peer scaled from {}".format(peer["count"]) if peer["scaled"] else "")
            targets.append((TARGETS["batch"].format(members=members) + note, measured, result))
        lines.append("")
    s4 = results.get("s4")
    if s4:
        sizes = sorted(int(k.split("-")[1]) for k in s4 if k.startswith("size-"))
        base = s4.get(f"size-{sizes[0]}") if sizes else None
        lines += [
            "### 4. No-op elb_member by pool size (module under the RSS wrapper)",
            "",
            "| pool size | wall s (median) | vs {} members | CPU s (median) | HTTP requests | module peak RSS MiB |".format(sizes[0] if sizes else "?"),
            "|---:|---:|---:|---:|---:|---:|",
        ]
        if s4.get("floor"):
            f = s4["floor"]
            lines.append(
                "| floor module, for scale | {} | | {} | {} | {} |".format(fmt(f["wall"], 3), fmt(f["cpu"], 3), fmt(f["requests"], 0), fmt(f["rss_mib"], 1))
            )
        for size in sizes:
            s = s4[f"size-{size}"]
            lines.append(
                "| {:,} | {}{} | {}x | {} | {} | {} |".format(
                    size, fmt(s["wall"], 3), failed_note(s), fmt(ratio(s["wall"], base["wall"])), fmt(s["cpu"], 3), fmt(s["requests"], 0), fmt(s["rss_mib"], 1)
                )
            )
        if s4.get("floor") and base:
            r = ratio(base["wall"], s4["floor"]["wall"])
            bad = r is None or base["failed_runs"] or s4["floor"]["failed_runs"]
            targets.append((TARGETS["floor_rss"], f"{fmt(r)}x", verdict(None if bad else r <= 1.10)))
        if sizes and sizes[-1] != sizes[0]:
            top = s4[f"size-{sizes[-1]}"]
            r = ratio(top["wall"], base["wall"])
            title = f"no-op at {sizes[-1]:,} members within 1.2x of {sizes[0]} members"
            targets.append((title, f"{fmt(r)}x", verdict(None if r is None or top["failed_runs"] else r <= 1.2)))
        lines.append("")
    target_lines = ["### Targets (printed, never asserted)", "", "| target | measured | result |", "|---|---:|---|"]
    target_lines += ["| {} | {} | {} |".format(*t) for t in targets]
    return "\n".join(lines), "\n".join([*target_lines, ""])


def write_results_md(path, results, tables, target_table):
    meta = results["meta"]
    v = meta["versions"]
    lines = [
        "# lbaas.elb speed benchmark",
        "",
        "Written by `benchmarks/bench.py` (`make bench`) on {}; command: `{}`.".format(meta["date"], meta["command"]),
        "",
        target_table,
        tables,
        "## How it was measured",
        "",
        "- Each figure is the median of {} runs (scenario 3: {}), the compared runs interleaved (A, B, A, B, ...) after one untimed "
        "warm-up run each (scenarios 1, 2, 4).".format(meta["repeats"], meta["long_repeats"]),
        "- *Wall* (`wall s`, `whole playbook s`, scenarios 3 and 4): the whole `ansible-playbook` run, Ansible's start-up included on both "
        "sides. *Per task* (`task s`, `s/task`, scenarios 1 and 2): each task's start to its result, written by the callback "
        "`benchmarks/callback_plugins/bench_timer.py`, which every run on every side loads; a run's figure is the mean of its tasks, and "
        "the create-then-delete target compares the sums of its two tasks. Raw files: `benchmarks/work/timers`.",
        "- One emulator, started by `tests/emulator/launch.py` with `--demo-world --flavor {}`, on 127.0.0.1; settle window (`settle_time`) {:.1f} s{}. "
        "Both modules log in with a password (one token per task).".format(
            meta["flavor"], meta["settle"], ", {:.1f} s in the second pass of scenario 3".format(meta["slow_settle"]) if meta.get("slow_settle") else ""
        ),
        "- The floor task (`benchmarks/floor_module/bench_floor.py`, imports requests and exits) runs through the same ansible-playbook, "
        "Python, ansible.cfg and inventory as elb_member, found through `ANSIBLE_LIBRARY`.",
        "- The lower bound under scenario 2: the floor's two-task playbook (scenario 1) plus one settle window per write task with `wait: true`.",
        "- Every scenario uses the `octavia` flavor: openstack.cloud.lb_member with `wait: true` polls the member's `provisioning_status`, "
        "which only that flavor returns. There a deleted member reads PENDING_DELETE until the settle window ends; the peer re-reads it every 2 s until it "
        "is gone, elb_member waits for the load balancer to be ACTIVE and reads the member once.",
        "- HTTP requests: the emulator's `/_emulator/counts` total, reset before every run; 409s: from `/_emulator/requests`. The "
        "harness's own set-up requests fall outside these windows.",
        "- Scenario 3 gives every run a new, empty pool."
        + (
            " In the {:.1f} s pass the peer runs fewer members, scaled linearly to {} (marked in the table).".format(meta["slow_settle"], meta["members"])
            if meta.get("slow_settle")
            else ""
        ),
        "- Peak memory (scenario 4): the inventory's `ansible_python_interpreter` is a wrapper (`benchmarks/work/rss-python`) that runs the "
        "real Python as a child and records its `ru_maxrss`: the peak RSS of the process that runs the module.",
        "",
        "## Versions and machine",
        "",
        "| what | version |",
        "|---|---|",
        "| lbaas.elb (under test, from `{}`) | {} |".format(meta["collections_path"], v.get("lbaas.elb")),
        "| ansible-core, project venv | {} |".format(v["project"].get("ansible-core")),
        "| requests, project venv | {} |".format(v["project"].get("requests")),
        "| peer: ansible (PyPI) | {} |".format(v["peer"].get("ansible")),
        "| peer: ansible-core | {} |".format(v["peer"].get("ansible-core")),
        "| peer: openstack.cloud collection | {} |".format(v.get("openstack.cloud")),
        "| peer: openstacksdk | {} |".format(v["peer"].get("openstacksdk")),
        "| peer: keystoneauth1 | {} |".format(v["peer"].get("keystoneauth1")),
        "| machine | {} CPUs ({}), Python {}, {} |".format(
            meta["machine"]["nproc"], meta["machine"]["cpu"], meta["machine"]["python"], meta["machine"]["platform"]
        ),
        "| load average (1, 5, 15 min) at start / end | {} / {} |".format(
            " ".join(f"{x:.2f}" for x in meta["loadavg_start"]), " ".join(f"{x:.2f}" for x in meta["loadavg_end"])
        ),
        "",
        "openstacksdk is pinned to 4.14.0: openstack.cloud 2.5.0 reads `openstack.version.__version__`, which later releases no longer import "
        "(4.15.0, 4.21.0 and 4.22.0 fail every task with `module 'openstack' has no attribute 'version'`).",
        "",
    ]
    if meta.get("notes"):
        lines += ["## Notes", ""] + ["- " + n for n in meta["notes"]] + [""]
    if Path(path).parent.joinpath("results.png").exists():
        lines += ["![results](results.png)", ""]
    Path(path).write_text("\n".join(lines))


# --------------------------------------------------------------------------------------------------
# Chart
# --------------------------------------------------------------------------------------------------


def chart_data(results):
    """The chart's numbers, one panel per scenario that ran."""
    data = {"panels": []}
    s12 = results.get("s12")
    if s12:
        groups = []
        # Per-task times (bench_timer) when every figure has them; whole-playbook wall time for an old results.json.
        summaries = [s for s in (s12.get(k) for k in ("floor", "ours-noop", "peer-noop", "ours-create", "peer-create", "ours-ctd", "peer-ctd")) if s]
        per_task = all(s.get("task_time") is not None for s in summaries)
        field = "task_time" if per_task else "time"
        for key, title in (("noop", "no-op"), ("create", "create"), ("ctd", "create+delete\n(mean per task)")):
            o, p = s12.get("ours-" + key), s12.get("peer-" + key)
            if o:
                groups.append(
                    {
                        "label": title,
                        "ours": o[field],
                        "peer": p[field] if p else None,
                        "ours_req": o["requests_per"],
                        "peer_req": p["requests_per"] if p else None,
                    }
                )
        data["panels"].append({"kind": "peer", "floor": s12["floor"][field], "groups": groups, "per_task": per_task})
    many = []
    for key in ("s3", "s3slow"):
        s3 = results.get(key)
        if s3:
            bars = []
            for k, label in (("batch", "elb_pool_members"), ("loop", "elb_member loop"), ("loop-wait", "elb_member loop, wait"), ("peer", "lb_member loop")):
                if s3.get(k):
                    bars.append({"label": label, "value": s3[k]["wall_full"], "scaled": s3[k]["scaled"], "conflicts": s3[k]["conflicts_full"]})
            many.append({"settle": s3["settle"], "members": s3["members"], "bars": bars})
    if many:
        data["panels"].append({"kind": "many", "passes": many})
    s4 = results.get("s4")
    if s4:
        sizes = sorted(int(k.split("-")[1]) for k in s4 if k.startswith("size-"))
        data["panels"].append(
            {
                "kind": "scale",
                "sizes": sizes,
                "time": [s4[f"size-{s}"]["wall"] for s in sizes],
                "rss": [s4[f"size-{s}"]["rss_mib"] for s in sizes],
                "floor": s4["floor"]["wall"] if s4.get("floor") else None,
            }
        )
    return data


OURS_COLOR, PEER_COLOR, FLOOR_COLOR = "#2b6cb0", "#c05621", "#718096"
MANY_COLORS = {"elb_pool_members": OURS_COLOR, "elb_member loop": "#63b3ed", "elb_member loop, wait": "#90cdf4", "lb_member loop": PEER_COLOR}


def plot_peer(ax, panel):
    groups = panel["groups"]
    x = list(range(len(groups)))
    ax.bar([i - 0.2 for i in x], [g["ours"] for g in groups], 0.4, label="lbaas.elb.elb_member", color=OURS_COLOR)
    ax.bar([i + 0.2 for i in x], [g["peer"] or 0 for g in groups], 0.4, label="openstack.cloud.lb_member", color=PEER_COLOR)
    for i, g in enumerate(groups):
        ax.annotate("{:.2f}s\n{:g} req".format(g["ours"], round(g["ours_req"], 1)), (i - 0.2, g["ours"]), ha="center", va="bottom", fontsize=8)
        if g["peer"]:
            ax.annotate("{:.2f}s\n{:g} req".format(g["peer"], round(g["peer_req"], 1)), (i + 0.2, g["peer"]), ha="center", va="bottom", fontsize=8)
    ax.axhline(panel["floor"], color=FLOOR_COLOR, linestyle="--", label="floor (import requests): {:.2f}s".format(panel["floor"]))
    ax.set_xticks(x)
    ax.set_xticklabels([g["label"] for g in groups])
    if panel.get("per_task"):
        ax.set_ylabel("seconds per task, task start to result (median)")
        ax.set_title("One task, wait: true (bench_timer callback)")
    else:
        ax.set_ylabel("seconds per task, whole playbook (median)")
        ax.set_title("One task, wait: true")
    ax.legend(fontsize=8, loc="upper left")
    ax.margins(y=0.2)


def plot_many(ax, panel):
    labels = sorted({b["label"] for p in panel["passes"] for b in p["bars"]}, key=list(MANY_COLORS).index)
    width = 0.8 / max(len(labels), 1)
    for pi, p in enumerate(panel["passes"]):
        for bi, label in enumerate(labels):
            found_bar = next((b for b in p["bars"] if b["label"] == label), None)
            if found_bar is None:
                continue
            xpos = pi + (bi - (len(labels) - 1) / 2.0) * width
            ax.bar(xpos, found_bar["value"], width, color=MANY_COLORS[label], hatch="//" if found_bar["scaled"] else None, label=label if pi == 0 else None)
            ax.annotate(
                "{:.1f}s{}".format(found_bar["value"], "*" if found_bar["scaled"] else ""),
                (xpos, found_bar["value"]),
                ha="center",
                va="bottom",
                fontsize=7,
            )
    ax.set_yscale("log")
    ax.set_xticks(list(range(len(panel["passes"]))))
    ax.set_xticklabels(["settle {:.1f} s".format(p["settle"]) for p in panel["passes"]])
    ax.set_ylabel(f"seconds for {panel['passes'][0]['members']} members (median, log scale)")
    ax.set_title(f"{panel['passes'][0]['members']} members into an empty pool (* scaled from fewer)")
    ax.legend(fontsize=8, loc="upper left")
    ax.margins(y=0.25)


def plot_scale(ax, panel):
    x = list(range(len(panel["sizes"])))
    ax.bar(x, panel["time"], 0.5, color=OURS_COLOR, label="no-op wall time")
    for i, t in enumerate(panel["time"]):
        ax.annotate(f"{t:.2f}s", (i, t), ha="center", va="bottom", fontsize=8)
    if panel["floor"]:
        ax.axhline(panel["floor"], color=FLOOR_COLOR, linestyle="--", label="floor: {:.2f}s".format(panel["floor"]))
    ax.set_xticks(x)
    ax.set_xticklabels([f"{s:,}" for s in panel["sizes"]])
    ax.set_xlabel("members in the pool")
    ax.set_ylabel("seconds per no-op task (median)")
    ax.set_title("elb_member no-op by pool size")
    ax.margins(y=0.2)
    if any(panel["rss"]):
        twin = ax.twinx()
        twin.plot(x, [r or 0 for r in panel["rss"]], "o-", color=PEER_COLOR, label="module peak RSS (MiB)")
        twin.set_ylabel("module peak RSS, MiB")
        twin.set_ylim(0, max(r or 0 for r in panel["rss"]) * 1.4)
        twin.legend(fontsize=8, loc="upper right")
    ax.legend(fontsize=8, loc="upper left")


def draw_chart(results, png):
    panels = chart_data(results)["panels"]
    fig, axes = plt.subplots(1, max(len(panels), 1), figsize=(6.2 * max(len(panels), 1), 5.2), squeeze=False)
    plotters = {"peer": plot_peer, "many": plot_many, "scale": plot_scale}
    for ax, panel in zip(axes[0], panels):
        plotters[panel["kind"]](ax, panel)
    fig.suptitle("lbaas.elb speed benchmark (emulator, loopback)")
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    plt.close(fig)


def write_outputs(results, out_dir):
    """results.md and results.png in ``out_dir``; the tables on stdout too. Returns the two paths."""
    tables, target_table = build_report(results)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    png, markdown = out_dir / "results.png", out_dir / "results.md"
    draw_chart(results, png)
    write_results_md(markdown, results, tables, target_table)
    log("")
    log(tables)
    log(target_table)
    return markdown, png
