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

Every run is timed twice: the wall time of the whole ``ansible-playbook`` run (same overhead on both
sides), and each task's time from the callback plugin ``benchmarks/callback_plugins/bench_timer.py``
(task start to its result, without ansible-playbook's start-up), enabled for every run on every side.
Scenarios 1 and 2 report both; 3 and 4 report wall time. Figures are the median of N runs, the compared
runs interleaved (A, B, A, B, ...) after one untimed warm-up each.
HTTP requests come from the emulator's ``/_emulator/counts`` (reset before every run); 409s from
``/_emulator/requests``. The targets are printed with PASS/MISS and never asserted.

Results: a markdown table on stdout, ``benchmarks/results.md`` and ``benchmarks/results.png``; raw
runs in ``benchmarks/work/results.json``, every playbook's output under ``benchmarks/work/logs`` and the
callback's task times under ``benchmarks/work/timers``.

``--plot RESULTS.json PNG`` is the internal entry point that draws the chart with matplotlib; the
bench calls it with the peer venv's Python, where matplotlib lives.
"""

import argparse
import datetime
import hashlib
import ipaddress
import json
import os
import platform
import re
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
WORK = BENCH / "work"
FLOOR_DIR = BENCH / "floor_module"
CALLBACK_DIR = BENCH / "callback_plugins"
PEER_REQUIREMENTS = BENCH / "peer-requirements.txt"
PROJECT_VENV = ROOT / ".venv"
EMULATOR = ROOT / "tests" / "emulator" / "emulator.py"

# Fixed identities of the emulator (tests/emulator, /tmp/emulator_contract.md).
PROJECT_ID = "0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e"
PROJECT_NAME = "eu-de"
REGION = "eu-de"
DOMAIN = "demo-domain"
USERNAME = "demo"
PASSWORD = "demo-password"  # noqa: S105 - the emulator's published demo password
SUBNET = "7d1f3b5a-2c4e-4a6b-8d0f-1a3c5e7b9d20"

# Member addresses come from the benchmarking range (RFC 2544): they are only data in the emulator.
NOOP_ADDRESS = "198.19.0.10"
CREATE_ADDRESS = "198.19.0.20"
CTD_ADDRESS = "198.19.0.30"
LOOP_BASE = ipaddress.ip_address("198.18.0.1")
PORT = 8080

HTTP_TIMEOUT = 60
PLAYBOOK_TIMEOUT = 3600
MIB = 1024.0

TARGETS = {
    "floor": "elb_member no-op <= 1.10x floor",
    "floor_task": "elb_member no-op <= 1.10x floor, per task (bench_timer)",
    "requests": "<= 2 requests per no-op (password auth)",
    "ctd": "create-then-delete (wait: true) >= 3x faster than the peer (whole playbook)",
    "ctd_task": "create-then-delete (wait: true) >= 3x faster than the peer, per task (bench_timer)",
    "batch": "{members} members via elb_pool_members >= 50x faster than the peer loop (wait: true)",
    "scale": "no-op at 10,000 members within 1.2x of 10 members",
}


def log(message):
    print(message, flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# --------------------------------------------------------------------------------------------------
# The emulator: one process for the whole run, driven through its control endpoints and the API
# --------------------------------------------------------------------------------------------------


class BenchError(RuntimeError):
    pass


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

    # --- process -----------------------------------------------------------------------------
    def start(self):
        import requests

        port_file = WORK / "emulator.port"
        if port_file.exists():
            port_file.unlink()
        command = [str(self.python), str(EMULATOR), "--port", "0", "--port-file", str(port_file), "--demo-world", "--settle-time", str(self.settle)]
        if self.flavor:
            command += ["--flavor", self.flavor]
        self._log_file = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=self._log_file, stderr=subprocess.STDOUT, cwd=str(ROOT))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if port_file.exists() and port_file.read_text().strip():
                break
            if self.process.poll() is not None:
                raise BenchError(f"the emulator exited with {self.process.returncode}; see {self.log_path}")
            time.sleep(0.05)
        else:
            self.stop()
            raise BenchError("the emulator did not write its port file within 30 s")
        self.base = f"http://127.0.0.1:{int(port_file.read_text().strip())}"
        self._session = requests.Session()
        # The bench seeds 10,000 members into one pool: lift the emulator's per-pool quota.
        self.put_config({"members_per_pool": 1000000})

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if getattr(self, "_log_file", None):
            self._log_file.close()

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

    def get_config(self):
        return self._control("GET", "/_emulator/config")

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

    def lb_status(self, lb_id):
        _status, body = self.api("GET", f"/loadbalancers/{lb_id}")
        return body["loadbalancer"].get("provisioning_status", "ACTIVE")

    def wait_lb_active(self, lb_id, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.lb_status(lb_id) == "ACTIVE":
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
            if status != 409:
                self.wait_lb_active(lb_id)
                return answer["pool"]["id"]
            self.wait_lb_active(lb_id)
        raise BenchError(f"could not create pool {name}")

    def members(self, pool_id, query=""):
        found, path = [], f"/pools/{pool_id}/members{query}"
        for _attempt in range(100000):
            _status, body = self.api("GET", path)
            found.extend(body.get("members", []))
            following = [link["href"] for link in body.get("members_links", []) if link.get("rel") == "next"]
            if not following or not body.get("members"):
                return found
            href = following[0]
            path = href[href.index("/pools/") :] if "/pools/" in href else None
            if path is None:
                return found
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
            if member is None:
                self.wait_lb_active(lb_id)
                return
            self.wait_lb_active(lb_id)
            status, _body = self.api("DELETE", "/pools/{}/members/{}".format(pool_id, member["id"]), ok=(204, 404, 409))
            if status in (204, 404):
                self.wait_member_settled(pool_id, member["id"], gone=True)
        raise BenchError(f"could not delete member {address}")


# --------------------------------------------------------------------------------------------------
# Playbooks and the two Ansible installations
# --------------------------------------------------------------------------------------------------


class Side:
    """One ansible-playbook + module Python + collection search path."""

    def __init__(self, name, playbook_bin, python, collections_path, *, library=None, interpreter=None):
        self.name = name
        self.playbook_bin = Path(playbook_bin)
        self.python = Path(python)
        self.collections_path = Path(collections_path)
        self.library = library
        self.interpreter = interpreter or python
        self.inventory = WORK / (f"inventory-{name}.ini")

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
# Peer venv
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


# --------------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------------


def scenario_floor_peer(ctx):
    """Scenarios 1 and 2: floor / elb_member / lb_member no-op, create, create-then-delete."""
    emu, runner, conn, args = ctx["emulator"], ctx["runner"], ctx["conn"], ctx["args"]
    lb_id = emu.create_loadbalancer("bench-s12")
    pool_id = emu.create_pool(lb_id, "bench-s12-pool")
    emu.ensure_member(lb_id, pool_id, NOOP_ADDRESS, PORT, "bench-noop")
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


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------


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
    """Two floor tasks + 2 settle windows: no module that imports requests can do create-then-delete with wait: true faster here."""
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
                "The first task of a module in a run also pays for Ansible building that module's AnsiballZ payload (it parses every "
                "module_utils file the module imports); later tasks of the same module reuse it. lbaas.elb's modules run through an action "
                "plugin that keeps the task's worker process from collecting the garbage of that build (plugins/plugin_utils/action.py); "
                "the floor module runs through Ansible's normal action. The second-task ratio compares "
                "the second elb_member task with the floor module's second task.",
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
                "Lower bound for a module that imports requests (the floor does; elb_member, on the standard library alone, does not): "
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
            targets.append((TARGETS["floor"] + " (second measurement: scenario 4's runs, wrapper on both)", f"{fmt(r)}x", verdict(None if bad else r <= 1.10)))
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
        "- Each figure is the median of {} runs (scenario 3: {}). The compared runs are interleaved (A, B, A, B, ...), after one untimed "
        "warm-up run each (scenarios 1, 2, 4).".format(meta["repeats"], meta["long_repeats"]),
        "- Two clocks per run. *Wall* (`wall s`, `whole playbook s`, all of scenarios 3 and 4): the wall time of the whole `ansible-playbook` "
        "run of a one-task playbook (two tasks for create-then-delete, one looped task for the loops), minus nothing: Ansible's start-up and "
        "shut-down are on both sides of every ratio. *Per task* (`task s`, `s/task` in scenarios 1 and 2): the callback plugin "
        "`benchmarks/callback_plugins/bench_timer.py`, enabled for every run on every side (`ANSIBLE_CALLBACK_PLUGINS`, "
        "`ANSIBLE_CALLBACKS_ENABLED=bench_timer`; the project's ansible-core and the peer's both load it), writes each task's time from "
        "the task's start to its result: worker start, module transfer and run, result processing, without ansible-playbook's start-up. "
        "A run's figure is the mean of its tasks; create-then-delete also shows each task's own median, and its per-task target "
        "compares the sums of the two tasks. The raw files are under `benchmarks/work/timers`.",
        "- One emulator process (`tests/emulator/emulator.py --demo-world --flavor {}`) for everything, on 127.0.0.1; load-balancer PENDING_UPDATE window "
        "(`settle_time`) {:.1f} s{}. Both modules log in with a password (one Keystone token per task).".format(
            meta["flavor"], meta["settle"], ", and {:.1f} s for the second pass of scenario 3".format(meta["slow_settle"]) if meta.get("slow_settle") else ""
        ),
        "- The floor task (`benchmarks/floor_module/bench_floor.py`) is found through `ANSIBLE_LIBRARY`; everything else about its run is the same "
        "as for elb_member (same ansible-playbook, Python, ansible.cfg and inventory). Every whole-playbook ratio includes Ansible's own "
        "start-up on both sides, which is most of a no-op task's wall time; the per-task ratios leave it out, but still include the task's "
        "own Ansible overhead (worker, AnsiballZ, interpreter start-up), which the floor task measures.",
        "- The lower bound under scenario 2 is the floor module's time for two tasks in one playbook (a separate interleaved run in "
        "scenario 1) plus one settle window for each write task with `wait: true` "
        "(the load balancer stays PENDING_UPDATE that long after every write): no module that imports `requests` can beat it on this "
        "emulator. elb_member does not import it (HTTP and TLS come from the standard library), so it can come in a little under the bound.",
        "- openstack.cloud.lb_member with `wait: true` polls the member's `provisioning_status`, which only the emulator's `octavia` flavor "
        "returns (with the `elb` flavor it waits until its timeout); so every scenario runs against the `octavia` flavor.",
        "- In that flavor a deleted member stays visible as PENDING_DELETE until the settle window ends, as on a live Octavia "
        "(ELB_API.md section 10). After its DELETE, openstack.cloud.lb_member with `wait: true` reads the member until it is gone, "
        "pausing 2 s between reads; elb_member polls the load balancer until it is ACTIVE, then reads the member once.",
        '- HTTP requests: the emulator\'s `GET /_emulator/counts` `total`, reset with `POST /_emulator/reset {"keep_world": true}` before every run; '
        "409s: the responses with status 409 in `GET /_emulator/requests`. Harness set-up traffic (fixtures, clean-up) happens outside these windows.",
        "- Scenario 3 gives every run a new, empty pool on its own load balancer."
        + (
            " The peer's figures in the {:.1f} s pass come from a reduced member count and are scaled linearly to {} members (marked in the table).".format(
                meta["slow_settle"], meta["members"]
            )
            if meta.get("slow_settle")
            else ""
        ),
        "- Peak memory (scenario 4): the inventory's `ansible_python_interpreter` is a small wrapper (`benchmarks/work/rss-python`) that runs the real "
        "Python as a child with the same arguments and stdin and records `getrusage(RUSAGE_CHILDREN).ru_maxrss`, i.e. the peak RSS of the process "
        "that runs the AnsiballZ payload (the module itself, its imports and its HTTP answers), whatever Ansible's own process uses.",
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
# Chart: matplotlib from the peer venv, or a tiny pure-python PNG writer
# --------------------------------------------------------------------------------------------------


def chart_data(results):
    """Plain numbers for the chart, so the plotting process needs nothing but this dict."""
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


def plot_matplotlib(data, png):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = data["panels"]
    fig, axes = plt.subplots(1, max(len(panels), 1), figsize=(6.2 * max(len(panels), 1), 5.2), squeeze=False)
    ours_color, peer_color, floor_color = "#2b6cb0", "#c05621", "#718096"
    for ax, panel in zip(axes[0], panels):
        if panel["kind"] == "peer":
            groups = panel["groups"]
            x = list(range(len(groups)))
            ax.bar([i - 0.2 for i in x], [g["ours"] for g in groups], 0.4, label="lbaas.elb.elb_member", color=ours_color)
            ax.bar([i + 0.2 for i in x], [g["peer"] or 0 for g in groups], 0.4, label="openstack.cloud.lb_member", color=peer_color)
            for i, g in enumerate(groups):
                ax.annotate("{:.2f}s\n{:g} req".format(g["ours"], round(g["ours_req"], 1)), (i - 0.2, g["ours"]), ha="center", va="bottom", fontsize=8)
                if g["peer"]:
                    ax.annotate("{:.2f}s\n{:g} req".format(g["peer"], round(g["peer_req"], 1)), (i + 0.2, g["peer"]), ha="center", va="bottom", fontsize=8)
            ax.axhline(panel["floor"], color=floor_color, linestyle="--", label="floor (import requests): {:.2f}s".format(panel["floor"]))
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
        elif panel["kind"] == "many":
            labels = sorted(
                {b["label"] for p in panel["passes"] for b in p["bars"]},
                key=["elb_pool_members", "elb_member loop", "elb_member loop, wait", "lb_member loop"].index,
            )
            colors = dict(
                zip(["elb_pool_members", "elb_member loop", "elb_member loop, wait", "lb_member loop"], [ours_color, "#63b3ed", "#90cdf4", peer_color])
            )
            width = 0.8 / max(len(labels), 1)
            for pi, p in enumerate(panel["passes"]):
                for bi, label in enumerate(labels):
                    found_bar = next((b for b in p["bars"] if b["label"] == label), None)
                    if found_bar is None:
                        continue
                    xpos = pi + (bi - (len(labels) - 1) / 2.0) * width
                    ax.bar(xpos, found_bar["value"], width, color=colors[label], hatch="//" if found_bar["scaled"] else None, label=label if pi == 0 else None)
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
        elif panel["kind"] == "scale":
            x = list(range(len(panel["sizes"])))
            ax.bar(x, panel["time"], 0.5, color=ours_color, label="no-op wall time")
            for i, t in enumerate(panel["time"]):
                ax.annotate(f"{t:.2f}s", (i, t), ha="center", va="bottom", fontsize=8)
            if panel["floor"]:
                ax.axhline(panel["floor"], color=floor_color, linestyle="--", label="floor: {:.2f}s".format(panel["floor"]))
            ax.set_xticks(x)
            ax.set_xticklabels([f"{s:,}" for s in panel["sizes"]])
            ax.set_xlabel("members in the pool")
            ax.set_ylabel("seconds per no-op task (median)")
            ax.set_title("elb_member no-op by pool size")
            ax.margins(y=0.2)
            if any(panel["rss"]):
                twin = ax.twinx()
                twin.plot(x, [r or 0 for r in panel["rss"]], "o-", color=peer_color, label="module peak RSS (MiB)")
                twin.set_ylabel("module peak RSS, MiB")
                twin.set_ylim(0, max(r or 0 for r in panel["rss"]) * 1.4)
                twin.legend(fontsize=8, loc="upper right")
            ax.legend(fontsize=8, loc="upper left")
    fig.suptitle("lbaas.elb speed benchmark (emulator, loopback)")
    fig.tight_layout()
    fig.savefig(png, dpi=110)


# A 3x5 pixel font for the fallback chart: each glyph is five rows of three bits.
FONT = {
    "A": "010101111101101", "B": "110101110101110", "C": "011100100100011", "D": "110101101101110", "E": "111100110100111",
    "F": "111100110100100", "G": "011100101101011", "H": "101101111101101", "I": "111010010010111", "J": "001001001101010",
    "K": "101101110101101", "L": "100100100100111", "M": "101111111101101", "N": "110101101101101", "O": "010101101101010",
    "P": "110101110100100", "Q": "010101101110011", "R": "110101110101101", "S": "011100010001110", "T": "111010010010010",
    "U": "101101101101111", "V": "101101101101010", "W": "101101111111101", "X": "101101010101101", "Y": "101101010010010",
    "Z": "111001010100111", "0": "111101101101111", "1": "010110010010111", "2": "110001010100111", "3": "110001010001110",
    "4": "101101111001001", "5": "111100110001110", "6": "011100111101111", "7": "111001010010010", "8": "111101111101111",
    "9": "111101111001110", ".": "000000000000010", "-": "000000111000000", ":": "000010000010000", "/": "001001010100100",
    "(": "010100100100010", ")": "010001001001010", "+": "000010111010000", "*": "000101010101000", ",": "000000000010100",
    "=": "000111000111000", "_": "000000000000111", " ": "000000000000000",
}  # fmt: skip


def write_png_fallback(data, png):
    """Horizontal bars of every measured time, drawn with the 3x5 font above, written with zlib only."""
    rows = []
    for panel in data["panels"]:
        if panel["kind"] == "peer":
            rows.append(("FLOOR NO-OP TASK", panel["floor"], (113, 128, 150)))
            for g in panel["groups"]:
                rows.append(("ELB_MEMBER " + g["label"], g["ours"], (43, 108, 176)))
                if g["peer"]:
                    rows.append(("LB_MEMBER " + g["label"], g["peer"], (192, 86, 33)))
        elif panel["kind"] == "many":
            for p in panel["passes"]:
                for b in p["bars"]:
                    rows.append((f"{p['members']} MEMBERS {p['settle']:.1f}S {b['label']}{' *' if b['scaled'] else ''}", b["value"], (43, 108, 176)))
        elif panel["kind"] == "scale":
            for s, t in zip(panel["sizes"], panel["time"]):
                rows.append((f"NO-OP POOL OF {s}", t, (43, 108, 176)))
    scale_px, label_w, bar_w, row_h = 2, 390, 440, 16
    width, height = label_w + bar_w + 90, 30 + row_h * max(len(rows), 1)
    pixels = [[(255, 255, 255)] * width for row in range(height)]

    def text(x, y, s, color=(0, 0, 0)):
        for ch in s.upper():
            glyph = FONT.get(ch, FONT[" "])
            for gy in range(5):
                for gx in range(3):
                    if glyph[gy * 3 + gx] == "1":
                        for dy in range(scale_px):
                            for dx in range(scale_px):
                                py, px = y + gy * scale_px + dy, x + gx * scale_px + dx
                                if 0 <= py < height and 0 <= px < width:
                                    pixels[py][px] = color
            x += 4 * scale_px

    text(8, 8, "LBAAS.ELB BENCHMARK: SECONDS (LOG SCALE), * = SCALED")
    values = [row[1] for row in rows if row[1]]
    top = max(values) if values else 1.0
    low = min(values) if values else 0.1
    span = max(1e-9, (top / low if low else 10.0))
    import math

    for i, (label, value, color) in enumerate(rows):
        y = 26 + i * row_h
        text(8, y + 3, label[:47])
        if value:
            length = int(bar_w * (0.08 + 0.92 * (math.log(value / low) / math.log(span) if span > 1 else 1.0)))
            for py in range(y + 1, y + row_h - 3):
                for px in range(label_w, label_w + length):
                    pixels[py][px] = color
            text(label_w + length + 4, y + 3, f"{value:.2f}")
    raw = b"".join(b"\x00" + bytes(c for p in row for c in p) for row in pixels)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    Path(png).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def draw_chart(results, png, peer_python):
    data = chart_data(results)
    data_path = WORK / "chart.json"
    data_path.write_text(json.dumps(data))
    if peer_python is not None and Path(peer_python).exists():
        proc = subprocess.run(
            [str(peer_python), str(Path(__file__).resolve()), "--plot", str(data_path), str(png)], capture_output=True, text=True, timeout=600, check=False
        )
        if proc.returncode == 0 and Path(png).exists():
            return "matplotlib"
        log(f"matplotlib chart failed ({proc.stderr.strip().splitlines()[-1:]}); writing the fallback PNG" if proc.stderr else proc.returncode)
    write_png_fallback(data, png)
    return "fallback"


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------


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
    parser.add_argument("--plot", nargs=2, metavar=("CHART_JSON", "PNG"), help=argparse.SUPPRESS)
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


def write_outputs(results, out_dir, peer_python):
    tables, target_table = build_report(results)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    png = out_dir / "results.png"
    how = draw_chart(results, png, peer_python)
    write_results_md(out_dir / "results.md", results, tables, target_table)
    log("")
    log(tables)
    log(target_table)
    return png, how


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.plot:
        plot_matplotlib(json.loads(Path(args.plot[0]).read_text()), args.plot[1])
        return 0
    if args.report_from:
        peer_python = Path(args.peer_venv) / "bin" / "python"
        png, how = write_outputs(json.loads(Path(args.report_from).read_text()), args.output_dir, peer_python if peer_python.exists() else None)
        log(f"wrote {Path(args.output_dir) / 'results.md'} and {png} ({how} chart) from {args.report_from}")
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
    if not EMULATOR.exists():
        log(f"the emulator {EMULATOR} is missing")
        return 2

    if WORK.exists():
        shutil.rmtree(WORK)
    for sub in ("playbooks", "logs", "tmp/local", "tmp/remote", "empty", "no-collections"):
        (WORK / sub).mkdir(parents=True, exist_ok=True)
    (WORK / "ansible.cfg").write_text(ANSIBLE_CFG)

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
        "peer": package_versions(peer_python, ["ansible", "ansible-core", "openstacksdk", "keystoneauth1", "matplotlib"]) if peer_python else {},
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
    emulator.start()
    try:
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
    out_dir = Path(args.output_dir)
    png, how = write_outputs(results, out_dir, peer_python)
    log("wrote {} and {} ({} chart) in {:.0f} s".format(out_dir / "results.md", png, how, meta["elapsed_s"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
