# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright (c) 2026, lbaas.elb contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/support-matrix.md from the results tools/matrix.py records (one JSON file per line or module Python)."""

from __future__ import annotations

import glob
import json
import os

SUITES = ("sanity", "units", "integration")


def _version_key(version: str) -> tuple:
    return tuple(int(part) for part in version.split("."))


def _minutes(seconds: float) -> str:
    return "%d:%02d" % divmod(int(seconds), 60)


def _cell(result: dict | None, suite: str) -> str:
    if result is None or suite not in result["suites"]:
        return "not run"
    outcome = result["suites"][suite]
    return "%s (%s)" % (outcome["status"], _minutes(outcome["seconds"]))


def _passed(result: dict | None, suites) -> bool:
    return result is not None and all(result["suites"].get(suite, {}).get("status") == "pass" for suite in suites)


def load_results(directory: str) -> dict:
    results = {}
    for path in glob.glob(os.path.join(directory, "*.json")):
        with open(path, encoding="utf-8") as handle:
            results[os.path.basename(path)[: -len(".json")]] = json.load(handle)
    return results


def write_report(path: str, results_dir: str, lines: dict, module_pythons, newest: str, readme: str | None = None) -> bool:
    """Write the tables (and copy them into ``readme``, when given); True when every line and every module
    Python ran all its suites and passed.

    A line whose result is for another ansible-core release than tools/matrix.py names (an old
    result after a pin moved) counts as not run.
    """
    results = load_results(results_dir)
    complete = True
    text = [
        "# Support matrix",
        "",
        "Written by `make matrix` (tools/matrix.py). Each ansible-core line runs in its own venv on the",
        "controller Python shown: `ansible-test sanity` (no ignore files), `ansible-test units",
        "--requirements` and the `elb_member` integration target. Times are minutes:seconds on a",
        "2-core machine shared with other work; the last column is the whole line, venv included.",
        "",
        "| ansible-core | controller Python | sanity | units | elb_member | line | run on | revision |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for line in sorted(lines, key=_version_key):
        core, python = lines[line]
        result = results.get(line)
        if result is not None and result["ansible_core"] != core:
            result = None
        complete = complete and _passed(result, SUITES)
        text.append(
            "| %s | %s | %s | %s | %s | %s | %s | %s |"
            % (
                core,
                result["python"] if result else python,
                _cell(result, "sanity"),
                _cell(result, "units"),
                _cell(result, "integration"),
                _minutes(result["seconds"]) if result else "",
                result["date"] if result else "never",
                result["revision"] if result else "",
            )
        )
    text += [
        "",
        "Module-side Python: ansible-test's `compile` and `import` sanity tests of every module and",
        "module_utils file on that Python, then the `elb_member` target with `ansible_python_interpreter`",
        "set to a venv that holds `requests` (with its dependencies) and nothing else, as a target host or",
        'an execution environment would; ansible-playbook runs on the newest line. "module runs" counts',
        "the module processes that ran on that interpreter.",
        "",
        "| module Python | ansible-core | requests | sanity compile, import | elb_member | module runs | run on | revision |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for python in module_pythons:
        result = results.get("modules-%s" % python)
        complete = complete and _passed(result, ["sanity", "integration"])
        text.append(
            "| %s | %s | %s | %s | %s | %s | %s | %s |"
            % (
                result["python"] if result else python,
                result["ansible_core"] if result else lines[newest][0],
                result["packages"].get("requests", "absent") if result else "",
                _cell(result, "sanity"),
                _cell(result, "integration"),
                result["module_runs"] if result else "",
                result["date"] if result else "never",
                result["revision"] if result else "",
            )
        )
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(text) + "\n")
    print("matrix: wrote %s%s" % (path, "" if complete else " (incomplete: a line or module Python did not pass)"), flush=True)
    if readme:
        update_readme(readme, [row for row in text if row.startswith("|")], os.path.relpath(path, os.path.dirname(readme)))
    return complete


README_START = "<!-- support matrix: written by tools/matrix_report.py -->"
README_END = "<!-- end of support matrix -->"


def update_readme(readme: str, rows: list[str], report: str) -> None:
    """Put the two tables (``rows``: every table row of the report, in order) between the README's markers."""
    with open(readme, encoding="utf-8") as handle:
        current = handle.read()
    if README_START not in current or README_END not in current:
        raise SystemExit("matrix: %s has no %r ... %r section for the tables" % (readme, README_START, README_END))
    header = [index for index, row in enumerate(rows) if row.startswith("|---")]
    controller, modules = rows[: header[1] - 1], rows[header[1] - 1 :]
    block = "\n".join([README_START, "", *controller, "", *modules, "", "Details and how each suite is run: [%s](%s)." % (report, report), README_END])
    before, rest = current.split(README_START, 1)
    after = rest.split(README_END, 1)[1]
    with open(readme, "w", encoding="utf-8") as handle:
        handle.write(before + block + after)
    print("matrix: updated the tables in %s" % readme, flush=True)
