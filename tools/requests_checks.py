# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright (c) 2026, lbaas.elb contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The modules against the Python packages of the host that runs them: no requests, and the oldest requests we claim.

    tools/requests_checks.py no-requests       [--python 3.9] [--ansible-bin DIR] [--collections DIR]
    tools/requests_checks.py requests-oldest   [--pins "requests==X ..."] [--python 3.9] [--ansible-bin DIR] [--collections DIR]

Both run examples/add_member.yml (the installed collection, ansible-playbook from the project's
venv) against the emulator, with ``ansible_python_interpreter`` set to a venv of their own:

- no-requests: a venv with no package at all (not even pip). The task must fail with Ansible's
  missing_required_lib message naming requests and that interpreter, and nothing else may fail.
- requests-oldest: a venv with the lowest version of every package requirements.txt names with
  ``>=`` (requests, and urllib3 if it is there), plus their other dependencies. The example runs
  twice: changed, then ok; and the collection's client must give up on a body sent one byte at a
  time by its deadline (that depends on urllib3's version, and no example run shows it).

The emulator is started by tests/emulator/launch.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

from pythons import (
    ROOT,
    MatrixError,
    count_launches,
    counting_interpreter,
    find_python,
    installed,
    log,
    make_venv,
    module_python_venv,
    python_version,
)

BUILD = os.path.join(ROOT, ".build", "matrix", "modules")
EXAMPLE = os.path.join(ROOT, "examples", "add_member.yml")
TASK = "Server 192.168.44.11 port 88 is a member of the demo pool"


def with_emulator(command: list[str], python: str) -> list[str]:
    """``command`` run under a fresh emulator (demo world) with the OS_* settings pointing at it."""
    return [python, os.path.join(ROOT, "tests", "emulator", "launch.py"), "--demo-world", "--", *command]


def playbook_env(collections: str) -> dict:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("ANSIBLE_", "OS_"))}
    env.update(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    return env


def run_example(args, interpreter: str, runs: int) -> list[tuple[int, str]]:
    """Run the example ``runs`` times under one emulator; [(status, output)] per run."""
    playbook = [os.path.join(args.ansible_bin, "ansible-playbook"), EXAMPLE, "-e", "ansible_python_interpreter=%s" % interpreter]
    # One emulator for every run, so that the second run sees what the first one wrote: the runs
    # are separated by a marker line and each one's status is printed after it.
    script = 'for run in $(seq %d); do echo "@@run $run"; "$@"; echo "@@status $?"; done' % runs
    command = with_emulator(["bash", "-c", script, "runs", *playbook], os.path.join(args.ansible_bin, "python"))
    log("$ %s" % " ".join(command))
    result = subprocess.run(command, cwd=ROOT, env=playbook_env(args.collections), capture_output=True, text=True, check=False)
    sys.stdout.write(result.stdout + result.stderr)
    chunks = re.findall(r"^@@run \d+\n(.*?)^@@status (\d+)$", result.stdout, re.MULTILINE | re.DOTALL)
    if result.returncode != 0 or len(chunks) != runs:
        raise MatrixError("the emulator or the runs did not complete (status %d, %d of %d runs)" % (result.returncode, len(chunks), runs))
    return [(int(status), output) for output, status in chunks]


def recap(output: str) -> dict:
    found = re.search(r"^localhost\s*:\s*(.*)$", output, re.MULTILINE)
    if not found:
        raise MatrixError("no PLAY RECAP for localhost in the output")
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", found.group(1))}


def failures(output: str) -> list[tuple[str, dict]]:
    """[(task name, result)] of every failed task, from the default callback's ``fatal: ... => {json}``."""
    found = []
    task = None
    decoder = json.JSONDecoder()
    for line in output.splitlines():
        heading = re.match(r"TASK \[(.*)\] \**$", line)
        if heading:
            task = heading.group(1)
        elif line.startswith("fatal: [localhost]: FAILED! => "):
            found.append((task, decoder.raw_decode(line.split(" => ", 1)[1])[0]))
    return found


# The deadline against a server that sends the body one byte at a time (issue 11, 3.3): what an
# example run cannot show, and what depends on the library versions (urllib3 before 2.2 has no read1,
# and its read(n) waits for all n bytes). The client of the installed collection, in the venv under
# test. 300 bytes, 0.1 s apart: a broken deadline holds the call for 30 s; a working one, 1 s plus at
# most one api_timeout.
SLOW_BODY_PROBE = """
import sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbTimeoutError

class Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "300")
        self.end_headers()
        try:
            for _ in range(300):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
client = ElbClient("http://127.0.0.1:%d" % server.server_address[1], TokenAuth("probe"), timeout=1, api_timeout=1)
started = time.monotonic()
try:
    client.get("/v2.0/lbaas/pools")
except ElbTimeoutError:
    print("%.1f" % (time.monotonic() - started))
else:
    sys.exit("the slow body was read to the end")
"""
SLOW_BODY_LIMIT = 5.0


def slow_body_seconds(python: str, collections: str) -> float:
    """How long the installed collection's client took to give up on a body sent one byte at a time."""
    env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower() and not name.startswith("PYTHON")}
    env["PYTHONPATH"] = collections
    result = subprocess.run([python, "-c", SLOW_BODY_PROBE], env=env, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise MatrixError(
            "the slow-body probe failed (if the client's API changed, update SLOW_BODY_PROBE): %s" % (result.stderr or result.stdout).strip()[-2000:]
        )
    return float(result.stdout.strip())


def no_requests(args) -> None:
    python = find_python(args.python)
    venv = os.path.join(BUILD, "no-requests-%s" % args.python)
    make_venv(venv, python, {"python": python_version(python), "packages": "none"}, lambda venv: None, without_pip=True)
    packages = installed(venv)
    if packages:
        raise MatrixError("%s must hold no package at all, it has %s" % (venv, packages))
    interpreter = os.path.join(venv, "bin", "python")
    log("the modules run on %s (Python %s, no package installed)" % (interpreter, python_version(interpreter)))
    [(status, output)] = run_example(args, interpreter, 1)
    failed = failures(output)
    # missing_required_lib: "Failed to import the required Python library (requests) on <host>'s
    # Python <sys.executable>. Please read the module documentation ..."
    expected = re.compile(r"^Failed to import the required Python library \(requests\) on \S+'s Python %s\. " % re.escape(interpreter))
    problems = []
    if status == 0:
        problems.append("ansible-playbook succeeded")
    failed_tasks = [task for task, _result in failed]
    if failed_tasks != [TASK]:
        problems.append("expected exactly the task %r to fail, failed: %r" % (TASK, failed_tasks))
    elif not expected.match(failed[0][1].get("msg", "")):
        problems.append("the message is not missing_required_lib naming requests and %s: %r" % (interpreter, failed[0][1].get("msg")))
    if problems:
        raise MatrixError("no-requests: " + "; ".join(problems))
    log("no-requests: pass: %s" % failed[0][1]["msg"].split(". ")[0])


def requirement_floors() -> list[str]:
    """``name==X`` for every ``name>=X`` in requirements.txt: the oldest of everything the collection claims."""
    floors = []
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as handle:
        for raw in handle:
            found = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)", raw.split("#", 1)[0].strip())
            if found:
                floors.append("%s==%s" % found.groups())
    if not any(pin.lower().startswith("requests==") for pin in floors):
        raise MatrixError("requirements.txt names no lowest requests version (a line `requests>=X`): give --pins")
    return floors


def requests_oldest(args) -> None:
    pins = args.pins.split() if args.pins else requirement_floors()
    version = next((pin.split("==", 1)[1] for pin in pins if pin.lower().startswith("requests==")), None)
    if version is None:
        raise MatrixError("--pins must pin requests (requests==X)")
    name = "oldest-%s-py%s" % ("-".join(pin.replace("==", "-") for pin in pins), args.python)
    venv = module_python_venv(args.python, os.path.join(BUILD, name), packages=pins)
    packages = installed(venv)
    wrong = [pin for pin in pins if packages.get(pin.split("==")[0].lower()) != pin.split("==")[1]]
    if wrong:
        raise MatrixError("%s does not hold %s: %s" % (venv, ", ".join(wrong), packages))
    interpreter, launches = counting_interpreter(venv)
    log("the modules run on Python %s with %s" % (python_version(os.path.join(venv, "bin", "python")), packages))
    runs = run_example(args, interpreter, 2)
    problems = []
    for number, ((status, output), changed) in enumerate(zip(runs, (1, 0)), 1):
        counts = recap(output)
        if status != 0 or counts.get("failed") != 0 or counts.get("changed") != changed:
            problems.append("run %d: status %d, %s (expected changed=%d, failed=0)" % (number, status, counts, changed))
    if count_launches(launches) == 0:
        problems.append("no module ran on %s" % interpreter)
    seconds = slow_body_seconds(os.path.join(venv, "bin", "python"), args.collections)
    log("a body sent one byte at a time: the client gave up after %.1f s (timeout 1 s, api_timeout 1 s)" % seconds)
    if seconds > SLOW_BODY_LIMIT:
        problems.append("a slow body held the client for %.1f s, past its 1 s deadline plus one 1 s api_timeout" % seconds)
    if problems:
        raise MatrixError("requests-oldest (%s): %s" % (" ".join(pins), "; ".join(problems)))
    log("requests-oldest: pass with %s on Python %s: changed, then ok (%d module runs)" % (" ".join(pins), args.python, count_launches(launches)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="requests_checks.py", description=__doc__.split("\n\n", maxsplit=1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("no-requests", "requests-oldest"):
        each = sub.add_parser(name)
        each.add_argument("--python", default="3.9", help="the module-side Python (default %(default)s, the oldest claimed)")
        each.add_argument("--ansible-bin", default=os.path.join(ROOT, ".venv", "bin"), help="where ansible-playbook is (default: .venv/bin)")
        each.add_argument("--collections", default=os.path.join(ROOT, "build", "collections"), help="ANSIBLE_COLLECTIONS_PATH (default: build/collections)")
        if name == "requests-oldest":
            each.add_argument("--pins", help='what to install instead of the floors in requirements.txt, e.g. "requests==2.31.0 urllib3==2.2.0"')
    args = parser.parse_args(argv)
    try:
        (no_requests if args.command == "no-requests" else requests_oldest)(args)
    except MatrixError as error:
        print("%s: FAIL: %s" % (args.command, error), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
