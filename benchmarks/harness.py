# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The benchmark's machinery: the emulator, the Ansible installations, timed runs and their statistics.

Nothing here knows a scenario; benchmarks/scenarios.py composes these parts, benchmarks/report.py
turns their results into tables and a chart.
"""

import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
WORK = BENCH / "work"
FLOOR_DIR = BENCH / "floor_module"
CALLBACK_DIR = BENCH / "callback_plugins"
PEER_REQUIREMENTS = BENCH / "peer-requirements.txt"
PROJECT_VENV = ROOT / ".venv"

sys.path.insert(0, str(ROOT / "tests" / "emulator"))
from elb_emulator import config as emulator_config
from launch import EmulatorProcess

# The emulator's fixed identities (tests/emulator/README.md, "Fixed ids").
USERNAME, PASSWORD, DOMAIN = emulator_config.DEMO_USER, emulator_config.DEMO_PASSWORD, emulator_config.DOMAIN_NAME
PROJECT_ID, PROJECT_NAME, REGION = emulator_config.PROJECT_ID, emulator_config.PROJECT_NAME, emulator_config.REGION
SUBNET = emulator_config.SUBNET_A1
PORT = 8080

HTTP_TIMEOUT = 60
PLAYBOOK_TIMEOUT = 3600
MIB = 1024.0


def log(message):
    print(message, flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class BenchError(RuntimeError):
    pass


# --------------------------------------------------------------------------------------------------
# The emulator: one process for the whole run, driven through its control endpoints and the API
# --------------------------------------------------------------------------------------------------


class Emulator:
    def __init__(self, python, flavor, settle, log_path):
        self.python = python
        self.flavor = flavor
        self.settle = settle
        self.log_path = log_path
        self.process = None
        self.base = None
        self._session = None
        self._token = None

    def start(self):
        options = ["--demo-world", "--settle-time", self.settle] + (["--flavor", self.flavor] if self.flavor else [])
        self.process = EmulatorProcess(*options, python=str(self.python), log_path=str(self.log_path), cwd=str(ROOT))
        self.base = self.process.start().url
        self._session = requests.Session()
        # The bench seeds 10,000 members into one pool: lift the emulator's per-pool quota.
        self.put_config({"members_per_pool": 1000000})

    def stop(self):
        if self.process is not None:
            self.process.stop()
        if self._session is not None:
            self._session.close()

    # --- control endpoints (never counted) ----------------------------------------------------
    def _control(self, method, path, body=None):
        response = self._session.request(method, self.base + path, json=body, timeout=HTTP_TIMEOUT)
        if response.status_code >= 400:
            raise BenchError(f"{method} {path} -> {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def reset_counts(self):
        self._control("POST", "/_emulator/reset", {"keep_world": True})

    def counts(self):
        return self._control("GET", "/_emulator/counts")

    def requests_log(self):
        answer = self._control("GET", "/_emulator/requests")
        if isinstance(answer, dict):
            answer = answer.get("requests", answer.get("entries", []))
        return answer or []

    def put_config(self, update):
        return self._control("PUT", "/_emulator/config", update)

    def set_settle(self, seconds):
        self.put_config({"settle_time": seconds})
        self.settle = seconds

    def seed(self, pool_id, count):
        return self._control("POST", "/_emulator/seed", {"pool_id": pool_id, "count": count, "subnet_id": SUBNET, "protocol_port": PORT})

    # --- the API, as the harness's own client (outside the measured windows) -------------------
    def token(self):
        if self._token is None:
            body = {
                "auth": {
                    "identity": {"methods": ["password"], "password": {"user": {"name": USERNAME, "password": PASSWORD, "domain": {"name": DOMAIN}}}},
                    "scope": {"project": {"id": PROJECT_ID}},
                }
            }
            response = self._session.post(self.base + "/v3/auth/tokens?nocatalog=true", json=body, timeout=HTTP_TIMEOUT)
            if response.status_code != 201:
                raise BenchError(f"harness login failed: {response.status_code} {response.text[:300]}")
            self._token = response.headers["X-Subject-Token"]
        return self._token

    def api(self, method, path, body=None, ok=(200, 201, 202, 204)):
        response = self._session.request(method, self.base + "/v2.0/lbaas" + path, json=body, headers={"X-Auth-Token": self.token()}, timeout=HTTP_TIMEOUT)
        if response.status_code not in ok:
            raise BenchError(f"{method} {path} -> {response.status_code} {response.text[:300]}")
        try:
            return response.status_code, response.json() if response.content else None
        except ValueError:
            return response.status_code, None

    def wait_lb_active(self, lb_id, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _status, body = self.api("GET", f"/loadbalancers/{lb_id}")
            if body["loadbalancer"].get("provisioning_status", "ACTIVE") == "ACTIVE":
                return
            time.sleep(0.05)
        raise BenchError(f"load balancer {lb_id} did not become ACTIVE within {timeout} s")

    def create_loadbalancer(self, name):
        _status, body = self.api("POST", "/loadbalancers", {"loadbalancer": {"name": name, "vip_subnet_id": SUBNET}})
        lb_id = body["loadbalancer"]["id"]
        self.wait_lb_active(lb_id)
        return lb_id

    def create_pool(self, lb_id, name):
        body = {"pool": {"name": name, "loadbalancer_id": lb_id, "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}
        for _attempt in range(600):
            status, answer = self.api("POST", "/pools", body, ok=(200, 201, 409))
            self.wait_lb_active(lb_id)
            if status != 409:
                return answer["pool"]["id"]
        raise BenchError(f"could not create pool {name}")

    def members(self, pool_id, query=""):
        found, path = [], f"/pools/{pool_id}/members{query}"
        while path is not None:
            _status, body = self.api("GET", path)
            found.extend(body.get("members", []))
            following = [link["href"] for link in body.get("members_links", []) if link.get("rel") == "next"]
            if not following or not body.get("members"):
                return found
            href = following[0]
            path = href[href.index("/pools/") :] if "/pools/" in href else None
        return found

    def find_member(self, pool_id, address, port):
        for member in self.members(pool_id, f"?address={address}&protocol_port={port}"):
            if member.get("address") == address and member.get("protocol_port") == port:
                return member
        return None

    def wait_member_settled(self, pool_id, member_id, gone, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.api("GET", f"/pools/{pool_id}/members/{member_id}", ok=(200, 404))
            if gone and status == 404:
                return
            if not gone and status == 200 and body["member"].get("provisioning_status", "ACTIVE") == "ACTIVE":
                return
            time.sleep(0.05)
        raise BenchError(f"member {member_id} did not settle within {timeout} s")

    def ensure_member(self, lb_id, pool_id, address, port, name):
        """The member exists and everything is ACTIVE (the no-op fixture)."""
        member = self.find_member(pool_id, address, port)
        if member is None:
            body = {"member": {"address": address, "protocol_port": port, "subnet_id": SUBNET, "name": name, "weight": 1}}
            for _attempt in range(600):
                self.wait_lb_active(lb_id)
                status, answer = self.api("POST", f"/pools/{pool_id}/members", body, ok=(201, 409))
                if status == 201:
                    member = answer["member"]
                    break
            else:
                raise BenchError(f"could not create the fixture member {address}")
        self.wait_member_settled(pool_id, member["id"], gone=False)
        self.wait_lb_active(lb_id)
        return member

    def ensure_absent(self, lb_id, pool_id, address, port):
        """The member is gone and the load balancer is ACTIVE (before a create is measured)."""
        for _attempt in range(600):
            member = self.find_member(pool_id, address, port)
            self.wait_lb_active(lb_id)
            if member is None:
                return
            status, _body = self.api("DELETE", "/pools/{}/members/{}".format(pool_id, member["id"]), ok=(204, 404, 409))
            if status in (204, 404):
                self.wait_member_settled(pool_id, member["id"], gone=True)
        raise BenchError(f"could not delete member {address}")


# --------------------------------------------------------------------------------------------------
# The Ansible installations and one timed ansible-playbook run
# --------------------------------------------------------------------------------------------------


class Side:
    """One ansible-playbook + module Python + collection search path."""

    def __init__(self, name, playbook_bin, python, collections_path, *, library=None, interpreter=None, extra_env=None):
        self.name = name
        self.playbook_bin = Path(playbook_bin)
        self.python = Path(python)
        self.collections_path = Path(collections_path)
        self.library = library
        self.interpreter = interpreter or python
        self.inventory = WORK / (f"inventory-{name}.ini")
        self.extra_env = dict(extra_env or {})

    def write_inventory(self):
        self.inventory.write_text(f"localhost ansible_connection=local ansible_python_interpreter={self.interpreter}\n")

    def env(self, timer_file=None):
        """The run's environment; ``timer_file`` is where the bench_timer callback writes the task durations."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "OS_", "ELB_")) and k != "BENCH_TIMER_FILE"}
        env.update(
            {
                "ANSIBLE_CONFIG": str(WORK / "ansible.cfg"),
                # benchmarks/callback_plugins/bench_timer.py, for every run on every side (both ansible-core installations load it).
                "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACK_DIR),
                "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
                "ANSIBLE_COLLECTIONS_PATH": str(self.collections_path),
                "ANSIBLE_LIBRARY": str(self.library or (WORK / "empty")),
                "ANSIBLE_LOCAL_TEMP": str(WORK / "tmp" / "local"),
                "ANSIBLE_REMOTE_TEMP": str(WORK / "tmp" / "remote"),
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_FORCE_COLOR": "0",
                "ANSIBLE_PYTHON_INTERPRETER": str(self.interpreter),
            }
        )
        env.update(self.extra_env)
        if timer_file is not None:
            env["BENCH_TIMER_FILE"] = str(timer_file)
        return env


ANSIBLE_CFG = """\
# Written by benchmarks/bench.py: the same settings for both sides of every comparison.
[defaults]
retry_files_enabled = false
stdout_callback = default
host_key_checking = false
forks = 1
interpreter_python = auto_silent
deprecation_warnings = false
"""


def prepare_work(wipe):
    """benchmarks/work with the sub-folders every run uses and the shared ansible.cfg; ``wipe`` first removes
    what an earlier run left there (bench.py does, compare.py keeps it)."""
    if wipe and WORK.exists():
        shutil.rmtree(WORK)
    for sub in ("playbooks", "logs", "tmp/local", "tmp/remote", "empty", "no-collections"):
        (WORK / sub).mkdir(parents=True, exist_ok=True)
    (WORK / "ansible.cfg").write_text(ANSIBLE_CFG)


def read_task_times(path):
    """The bench_timer callback's file: seconds of each task in playbook order, or None if it is missing or unreadable."""
    try:
        entries = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(entries, list):
        return None
    return [float(e["seconds"]) for e in entries if isinstance(e, dict) and isinstance(e.get("seconds"), (int, float))]


RECAP = re.compile(r"^\S+\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


class Runner:
    def __init__(self, emulator):
        self.emulator = emulator
        self.sequence = 0

    def run(self, side, playbook, label, want_log=False, rss_file=None):
        """One measured ansible-playbook run: wall time, per-task times (bench_timer), recap, requests, 409s, peak RSS."""
        self.sequence += 1
        if rss_file is not None and rss_file.exists():
            rss_file.unlink()
        timer_file = WORK / "timers" / f"{self.sequence:04d}-{label}.json"
        timer_file.parent.mkdir(parents=True, exist_ok=True)
        if timer_file.exists():
            timer_file.unlink()
        self.emulator.reset_counts()
        command = [str(side.playbook_bin), "-i", str(side.inventory), str(playbook)]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                command,
                env=side.env(timer_file),
                cwd=str(WORK),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=PLAYBOOK_TIMEOUT,
                check=False,
            )
            output, returncode = proc.stdout, proc.returncode
        except subprocess.TimeoutExpired as error:
            output, returncode = (error.stdout or b"").decode() if isinstance(error.stdout, bytes) else (error.stdout or ""), -1
        wall = time.perf_counter() - start
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
        tasks = read_task_times(timer_file)
        counts = self.emulator.counts()
        entries = self.emulator.requests_log() if want_log else []
        log_path = WORK / "logs" / (f"{self.sequence:04d}-{label}.log")
        log_path.write_text(
            "$ {}\n# wall {:.3f} s, tasks {} s, rc {}, requests {}\n{}".format(
                " ".join(command), wall, "n/a" if tasks is None else [round(t, 3) for t in tasks], returncode, json.dumps(counts), output
            )
        )
        recap = RECAP.search(output or "")
        ok, changed, failed = (int(recap.group(1)), int(recap.group(2)), int(recap.group(4)) + int(recap.group(3))) if recap else (0, 0, 1)
        rss_kib = None
        if rss_file is not None and rss_file.exists():
            values = [int(v) for v in rss_file.read_text().split() if v.strip().isdigit()]
            rss_kib = max(values) if values else None
        result = {
            "label": label,
            "side": side.name,
            "wall": wall,
            "tasks": tasks,
            "timer": str(timer_file.relative_to(ROOT)),
            "cpu": cpu,
            "rc": returncode,
            "ok": ok,
            "changed": changed,
            "failed": failed if returncode == 0 else max(failed, 1),
            "requests": counts.get("total"),
            "writes": counts.get("writes"),
            "routes": counts.get("routes", {}),
            "conflicts": sum(1 for e in entries if e.get("status") == 409) if want_log else None,
            "rss_kib": rss_kib,
            "log": str(log_path.relative_to(ROOT)),
        }
        if result["failed"]:
            tail = "\n".join((output or "").strip().splitlines()[-6:])
            log("    ! {} failed (rc {}), see {}\n      {}".format(label, returncode, result["log"], tail.replace("\n", "\n      ")))
        return result


# --------------------------------------------------------------------------------------------------
# Repeats and statistics
# --------------------------------------------------------------------------------------------------


def summarize(runs, per=1.0):
    """Medians over repeated runs; ``per`` divides time and requests (tasks per playbook, loop scaling).

    ``task_time``: median over runs of the run's mean task duration (bench_timer); ``task_times``: the median of each
    task position (e.g. [create, delete]); ``task_sum``: median over runs of the sum of the run's task durations. They are
    not divided by ``per``: a loop task's entry is the whole loop.
    """
    walls = [r["wall"] for r in runs]
    timed = [r["tasks"] for r in runs if r.get("tasks")]
    width = max((len(t) for t in timed), default=0)
    return {
        "n": len(runs),
        "wall": median(walls),
        "task_time": median([sum(t) / len(t) for t in timed]),
        "task_times": [median([t[i] for t in timed if len(t) > i]) for i in range(width)],
        "task_sum": median([sum(t) for t in timed]),
        "wall_min": min(walls) if walls else None,
        "wall_max": max(walls) if walls else None,
        "per": per,
        "time": median(walls) / per if walls else None,
        "cpu": median([r.get("cpu") for r in runs]),
        "requests": median([r["requests"] for r in runs]),
        "requests_per": (median([r["requests"] for r in runs]) or 0) / per,
        "conflicts": median([r["conflicts"] for r in runs]),
        "rss_mib": (median([r["rss_kib"] for r in runs]) or 0) / MIB if any(r["rss_kib"] for r in runs) else None,
        "failed_runs": sum(1 for r in runs if r["failed"]),
        "changed": median([r["changed"] for r in runs]),
        "runs": runs,
    }


def figure(runs, read):
    """(median, min, max) of ``read(run)`` over the runs that passed and have task times; Nones if there are none."""
    values = [read(r) for r in runs if not r["failed"] and r.get("tasks")]
    return (median(values), min(values), max(values)) if values else (None, None, None)


def ratio_cell(value, base):
    return f"{value / base:.2f}x" if value and base else "n/a"


def failed_runs_note(results):
    """The lines that end a table when some runs failed: which figures lost how many runs."""
    failed = {key: sum(1 for r in runs if r["failed"]) for key, runs in results.items() if any(r["failed"] for r in runs)}
    if not failed:
        return []
    return ["", "Failed runs (left out of the figures): " + ", ".join(f"{key} {count}" for key, count in sorted(failed.items()))]


def installed_build():
    """build/collections, where `make collection` installs lbaas.elb; None, after saying so, if it is not there."""
    path = ROOT / "build" / "collections"
    if not (path / "ansible_collections" / "lbaas" / "elb" / "MANIFEST.json").exists():
        log("lbaas.elb is not installed under build/collections: run `make collection` first")
        return None
    return path


def fmt_tasks(tasks):
    return "n/a" if not tasks else "+".join(f"{t:.2f}" for t in tasks) + " s"


def interleave(runner, entries, repeats, warmup=True, before=None):
    """entries: list of (key, side, playbook). Returns key -> list of run results.

    One untimed warm-up run each, then A, B, A, B... ``before(key)`` prepares the world (untimed).
    """
    results = {key: [] for key, *_rest in entries}
    rounds = ([("warmup", False)] if warmup else []) + [(f"run{i}", True) for i in range(repeats)]
    for round_name, keep in rounds:
        for key, side, playbook in entries:
            playbook_path = playbook(round_name) if callable(playbook) else playbook
            if before is not None:
                before(key)
            result = runner.run(side, playbook_path, f"{key}-{round_name}", want_log=True)
            if keep:
                results[key].append(result)
            log(
                "  {:<28} {:<7} {:7.2f} s  tasks {:<16} {:>5} requests  {} 409s  {}".format(
                    key,
                    round_name,
                    result["wall"],
                    fmt_tasks(result["tasks"]),
                    result["requests"],
                    result["conflicts"],
                    "FAILED" if result["failed"] else "ok",
                )
            )
    return results


# --------------------------------------------------------------------------------------------------
# The peer's venv and what the report says about the installations and the machine
# --------------------------------------------------------------------------------------------------


def ensure_peer_venv(venv, reinstall=False):
    python = venv / "bin" / "python"
    stamp = venv / ".bench-requirements.sha256"
    wanted = hashlib.sha256(PEER_REQUIREMENTS.read_bytes()).hexdigest()
    if not reinstall and python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return python
    log(f"== preparing the peer venv {venv} (pip install -r {PEER_REQUIREMENTS.relative_to(ROOT)})")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=600)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(PEER_REQUIREMENTS)],
        check=True,
        timeout=3600,
    )
    stamp.write_text(wanted + "\n")
    return python


def package_versions(python, names):
    code = (
        "import json, importlib.metadata as m\n"
        "out = {}\n"
        f"for n in {list(names)!r}:\n"
        "    try:\n"
        "        out[n] = m.version(n)\n"
        "    except Exception:\n"
        "        out[n] = None\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=120, check=False)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        return dict.fromkeys(names)


def collection_version(manifest):
    try:
        return json.loads(Path(manifest).read_text())["collection_info"]["version"]
    except (OSError, ValueError, KeyError):
        return None


def machine_info():
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
