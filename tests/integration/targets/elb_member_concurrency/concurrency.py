"""Many ansible-playbook processes against one ELB emulator: distinct members and the same-member race.

Used two ways:
- by runme.sh of this target (a small configuration that `make test` can afford), as a command;
- by benchmarks/reliability.py (the full size, with faults), as a library.

Standard library only: it runs with whatever Python ansible-test puts on PATH.
Every playbook run records its task starts and elb_member results (one per loop item) as JSON
lines through callback_plugins/member_results.py, so that `changed` and failures are counted per
task, not from the recap.
"""

import argparse
import glob
import ipaddress
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOK = os.path.join(HERE, "add_members.yml")
CALLBACK_PLUGINS = os.path.join(HERE, "callback_plugins")
BARRIER_TASK = "Wait for the start signal"

DEMO = {
    "pool_id": "3a5c7e9b-0d2f-4b4c-8e6a-1f3b5d7c9e02",
    "loadbalancer_id": "4b6d8f0a-1c3e-4a5b-9c7d-0e2f4a6b8c01",
    "subnet_id": "7d1f3b5a-2c4e-4a6b-8d0f-1a3c5e7b9d20",
    "elb_username": "demo",
    "elb_password": "demo-password",
    "elb_domain": "demo-domain",
    "elb_project": "eu-de",
}
MEMBER_PORT = 80
# Address blocks: process p adds 10.60.p.x, fake host h adds 10.70.h.x, the race uses 10.80.<round>.1.
PROCESS_BLOCK = "10.60.%d.%d"
HOST_BLOCK = "10.70.%d.%d"
RACE_ADDRESS = "10.80.%d.1"
CREATE_ROUTE = "POST /v2.0/lbaas/pools/{pool_id}/members"
RACE_ROUNDS = 3


class EmulatorControl:
    """The emulator's control API (/_emulator/...) and a few reads of the ELB API, over plain urllib."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self._token = None

    def call(self, method, path, body=None, headers=None, expect=(200,)):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=dict(headers or {}))
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, answer_headers, raw = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, raw = error.code, error.headers, error.read()
        if status not in expect:
            raise RuntimeError("%s %s answered %s: %s" % (method, path, status, raw[:500]))
        return answer_headers, (json.loads(raw) if raw else None)

    # -- control API
    def configure(self, **settings):
        return self.call("PUT", "/_emulator/config", settings)[1]

    def set_faults(self, rules, seed):
        return self.call("POST", "/_emulator/faults", {"seed": seed, "replace": True, "rules": rules})[1]

    def add_faults(self, rules):
        """Append rules after those already there (the emulator fires the first matching rule)."""
        return self.call("POST", "/_emulator/faults", {"rules": rules})[1]

    def clear_faults(self):
        return self.call("DELETE", "/_emulator/faults")[1]

    def faults(self):
        return self.call("GET", "/_emulator/faults")[1]

    def counts(self):
        return self.call("GET", "/_emulator/counts")[1]

    def requests(self):
        return self.call("GET", "/_emulator/requests")[1]

    def clear_log(self):
        self.call("POST", "/_emulator/reset", {"keep_world": True})

    # -- ELB API (used with the fault rules removed)
    def token(self):
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {"user": {"name": DEMO["elb_username"], "password": DEMO["elb_password"], "domain": {"name": DEMO["elb_domain"]}}},
                },
                "scope": {"project": {"name": DEMO["elb_project"]}},
            }
        }
        headers = self.call("POST", "/v3/auth/tokens", body, expect=(201,))[0]
        return headers["X-Subject-Token"]

    def members(self, pool_id):
        """Every member of the pool, following members_links when the emulator pages."""
        token = self.token()
        path = "/v2.0/lbaas/pools/%s/members" % pool_id
        found, seen = [], set()
        while path and path not in seen:
            seen.add(path)
            data = self.call("GET", path, headers={"X-Auth-Token": token})[1]
            page = data["members"]
            found.extend(page)
            path = None
            for link in data.get("members_links") or ():
                if link.get("rel") == "next" and page:
                    href = link["href"]
                    path = href[len(self.url) :] if href.startswith(self.url) else href
        return found

    def wait_until_active(self, loadbalancer_id, timeout=60):
        token = self.token()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = self.call("GET", "/v2.0/lbaas/loadbalancers/%s" % loadbalancer_id, headers={"X-Auth-Token": token})[1]
            if data["loadbalancer"].get("provisioning_status") == "ACTIVE":
                return
            time.sleep(0.1)
        raise RuntimeError("load balancer %s did not become ACTIVE within %ss" % (loadbalancer_id, timeout))


def pool_report(members, expected_addresses, port=MEMBER_PORT):
    """Duplicates (members sharing address+port), lost writes (expected but missing) and the count."""
    keys = [(str(ipaddress.ip_address(m["address"])), m["protocol_port"]) for m in members]
    expected = {(str(ipaddress.ip_address(a)), port) for a in expected_addresses}
    present = [k for k in keys if k in expected]
    duplicates = len(present) - len(set(present))
    return {
        "members": len(present),
        "expected": len(expected),
        "duplicates": duplicates,
        "lost": len(expected - set(present)),
    }


class PlaybookRuns:
    """Starts ansible-playbook processes, each in its own session, and collects their recorded results."""

    def __init__(self, emulator_url, workdir, ansible_playbook="ansible-playbook", ansible_args=(), env=None, member_timeout=300):
        self.emulator_url = emulator_url
        self.workdir = workdir
        self.ansible_playbook = ansible_playbook
        self.ansible_args = list(ansible_args)
        self.env = dict(os.environ if env is None else env)
        self.env.update(
            {
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_RETRY_FILES_ENABLED": "0",
                "ANSIBLE_LOCALHOST_WARNING": "0",
                "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_PLUGINS,
                "ANSIBLE_CALLBACKS_ENABLED": "member_results",
            }
        )
        self.member_timeout = member_timeout
        self.processes = []
        self._next_id = 0

    def _extra_vars(self, extra):
        variables = dict(DEMO, emulator_url=self.emulator_url, member_port=MEMBER_PORT, member_timeout=self.member_timeout)
        variables.update(extra)
        return variables

    def start(self, result_dir, extra_vars, inventory=None, forks=None):
        """Start one ansible-playbook; its elb_member results go to result_dir/<run id>.jsonl."""
        run_id = "run%03d" % self._next_id
        self._next_id += 1
        command = [self.ansible_playbook, PLAYBOOK, "-e", json.dumps(self._extra_vars(extra_vars))]
        if inventory:
            command += ["-i", inventory]
        if forks:
            command += ["--forks", str(forks)]
        command += self.ansible_args
        env = dict(self.env, ELB_MEMBER_RESULTS=os.path.join(result_dir, "%s.jsonl" % run_id))
        log = open(os.path.join(self.workdir, "%s.log" % run_id), "wb")  # closed in wait()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.workdir, start_new_session=True)
        self.processes.append((run_id, process, log))
        return run_id

    def wait(self, timeout):
        """Wait for every process started; kill (by process group) those still running at the deadline."""
        deadline = time.monotonic() + timeout
        outcome = {}
        for run_id, process, log in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait()
            log.close()
            outcome[run_id] = process.returncode
        self.processes = []
        return outcome

    def log_tail(self, run_id, lines=40):
        """The last `lines` lines of a run's output (all of it with lines=None)."""
        with open(os.path.join(self.workdir, "%s.log" % run_id), encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:] if lines else handle.readlines())


def recorded_events(result_dir, event):
    """The events of one kind ("start" or "result") recorded by the member_results callback, by run."""
    events = {}
    for path in sorted(glob.glob(os.path.join(result_dir, "*.jsonl"))):
        run_id = os.path.basename(path)[: -len(".jsonl")]
        with open(path, encoding="utf-8") as handle:
            events[run_id] = [record for record in map(json.loads, handle) if record["event"] == event]
    return events


def recorded_results(result_dir):
    """Every elb_member result recorded in result_dir (one per task, loop items counted one by one)."""
    return [record for records in recorded_events(result_dir, "result").values() for record in records]


def write_inventory(path, hosts, members_per_host):
    """Fake hosts, all run locally with the controller's Python, each with its own member addresses."""
    inventory = {"all": {"hosts": {}}}
    addresses = []
    for host in range(hosts):
        mine = [HOST_BLOCK % (host, m + 1) for m in range(members_per_host)]
        addresses.extend(mine)
        inventory["all"]["hosts"]["fake-%02d" % (host + 1)] = {
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            "member_addresses": mine,
        }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(inventory, handle, indent=1)
    return addresses


def summarize(results, returncodes, runs):
    failed = [r for r in results if r.get("failed")]
    summary = {
        "tasks": len(results),
        "changed": sum(1 for r in results if r.get("changed")),
        "failed": len(failed),
        "failure_messages": sorted({str(r.get("msg")) for r in failed}),
        "processes": len(returncodes),
        "processes_failed": sorted(run_id for run_id, code in returncodes.items() if code != 0),
        "tracebacks": sum(1 for run_id in returncodes if "Traceback" in runs.log_tail(run_id, lines=None)),
    }
    summary["process_logs"] = {run_id: runs.log_tail(run_id) for run_id in summary["processes_failed"][:3]}
    return summary


def check_pool(control, summary):
    """Add the pool report (count, duplicates, lost writes) of the phase's expected members to its summary."""
    summary["pool"] = pool_report(control.members(DEMO["pool_id"]), summary["expected_addresses"])
    return summary


def add_distinct(control, runs, processes, members_per_process, hosts, members_per_host, forks, timeout, read_pool=True):
    """`processes` parallel playbooks on localhost plus one playbook over `hosts` fake hosts with `forks`.

    read_pool=False leaves the pool report to check_pool(), for a caller that first removes faults.
    """
    result_dir = tempfile.mkdtemp(prefix="distinct-", dir=runs.workdir)
    expected = []
    for process in range(processes):
        mine = [PROCESS_BLOCK % (process, m + 1) for m in range(members_per_process)]
        expected.extend(mine)
        runs.start(result_dir, {"member_addresses": mine})
    if hosts:
        inventory = os.path.join(runs.workdir, "fake_hosts.json")
        expected.extend(write_inventory(inventory, hosts, members_per_host))
        runs.start(result_dir, {"target_hosts": "all"}, inventory=inventory, forks=forks)
    started = time.monotonic()
    returncodes = runs.wait(timeout)
    summary = summarize(recorded_results(result_dir), returncodes, runs)
    summary["seconds"] = time.monotonic() - started
    summary["expected_tasks"] = len(expected)
    summary["expected_addresses"] = expected
    return check_pool(control, summary) if read_pool else summary


def race(control, runs, racers, round_number, timeout, create_delay=0, read_pool=True):
    """`racers` processes add the SAME member, released together once all wait at the barrier.

    With create_delay, the emulator holds every create that long before it handles it (a slow API),
    so that the racers' lookups and creates overlap even when CPU contention spreads them out.
    read_pool=False leaves the pool report to check_pool(), for a caller that first removes faults.
    """
    result_dir = tempfile.mkdtemp(prefix="race-", dir=runs.workdir)
    barrier = tempfile.mkdtemp(prefix="barrier-", dir=runs.workdir)
    address = RACE_ADDRESS % round_number
    for _racer in range(racers):
        runs.start(result_dir, {"member_addresses": [address], "barrier_dir": barrier})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = [run_id for run_id, starts in recorded_events(result_dir, "start").items() if any(s["task"] == BARRIER_TASK for s in starts)]
        if len(waiting) >= racers or all(started[1].poll() is not None for started in runs.processes):
            break
        time.sleep(0.1)
    creates_before = control.counts()["routes"].get(CREATE_ROUTE, 0)
    if create_delay:
        # Appended: with fault rules already set, a create is held only when no other fault fires.
        control.add_faults([{"route": CREATE_ROUTE, "kind": "delay", "delay": create_delay}])
    with open(os.path.join(barrier, "go"), "w", encoding="utf-8") as handle:
        handle.write("go\n")
    started = time.monotonic()
    returncodes = runs.wait(max(1, deadline - time.monotonic()))
    summary = summarize(recorded_results(result_dir), returncodes, runs)
    summary["seconds"] = time.monotonic() - started
    summary["expected_tasks"] = racers
    summary["address"] = address
    summary["expected_addresses"] = [address]
    summary["creates_sent"] = control.counts()["routes"].get(CREATE_ROUTE, 0) - creates_before
    return check_pool(control, summary) if read_pool else summary


def problems(summary, expect_changed=None):
    """What went wrong in one phase, as sentences (empty when nothing did).

    expect_changed: how many tasks must report changed: true (None: not checked).
    """
    found = []
    if summary["failed"] or summary["processes_failed"]:
        found.append("%d task(s) failed, processes %s: %s" % (summary["failed"], summary["processes_failed"], summary["failure_messages"][:5]))
    if summary["tasks"] != summary["expected_tasks"]:
        found.append("%d task results recorded, %d expected" % (summary["tasks"], summary["expected_tasks"]))
    if summary["tracebacks"]:
        found.append("%d process output(s) contain a Python traceback" % summary["tracebacks"])
    pool = summary["pool"]
    if pool["duplicates"]:
        found.append("%d duplicate member(s)" % pool["duplicates"])
    if pool["lost"]:
        found.append("%d lost write(s): expected members missing" % pool["lost"])
    if pool["members"] != pool["expected"]:
        found.append("the pool has %d of the members, %d expected" % (pool["members"], pool["expected"]))
    if expect_changed is not None and summary["changed"] != expect_changed:
        found.append("%d task(s) reported changed: true, %d expected" % (summary["changed"], expect_changed))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the emulator's base URL")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--members-per-process", type=int, default=10)
    parser.add_argument("--hosts", type=int, default=10, help="fake hosts in the forks playbook")
    parser.add_argument("--members-per-host", type=int, default=10)
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--race-processes", type=int, default=20)
    parser.add_argument("--race-create-delay", type=float, default=2.0, help="seconds the emulator holds each create in the race")
    parser.add_argument("--settle-time", type=float, default=0.2)
    parser.add_argument("--timeout", type=float, default=170, help="seconds for each phase")
    parser.add_argument("ansible_args", nargs="*", help="passed to every ansible-playbook (after --)")
    args = parser.parse_args(argv)

    control = EmulatorControl(args.url)
    control.clear_faults()
    control.configure(settle_time=args.settle_time)
    workdir = tempfile.mkdtemp(prefix="elb-concurrency-")
    runs = PlaybookRuns(args.url, workdir, ansible_args=args.ansible_args)
    failures = []
    try:
        distinct = add_distinct(control, runs, args.processes, args.members_per_process, args.hosts, args.members_per_host, args.forks, args.timeout)
        print(
            "distinct members: %d processes x %d + %d hosts (forks %d) x %d: %d tasks, %d changed, %d failed, "
            "pool %d/%d, duplicates %d, lost %d, %.1fs (settle time %.2fs)"
            % (
                args.processes,
                args.members_per_process,
                args.hosts,
                args.forks,
                args.members_per_host,
                distinct["tasks"],
                distinct["changed"],
                distinct["failed"],
                distinct["pool"]["members"],
                distinct["pool"]["expected"],
                distinct["pool"]["duplicates"],
                distinct["pool"]["lost"],
                distinct["seconds"],
                args.settle_time,
            )
        )
        failures += ["distinct: " + p for p in problems(distinct, expect_changed=distinct["expected_tasks"])]
        # A round in which the racers happened not to overlap proves nothing either way; run another
        # (a new address each time) before calling the race untested.
        for round_number in range(RACE_ROUNDS):
            control.wait_until_active(DEMO["loadbalancer_id"])
            raced = race(control, runs, args.race_processes, round_number, args.timeout, args.race_create_delay)
            control.clear_faults()
            print(
                "same-member race, round %d: %d processes (creates held %.1fs): %d changed, %d failed, %d creates reached the API, %d member(s) at %s, %.1fs"
                % (
                    round_number + 1,
                    args.race_processes,
                    args.race_create_delay,
                    raced["changed"],
                    raced["failed"],
                    raced["creates_sent"],
                    raced["pool"]["members"],
                    raced["address"],
                    raced["seconds"],
                )
            )
            failures += ["race round %d: %s" % (round_number + 1, p) for p in problems(raced, expect_changed=1)]
            if raced["creates_sent"] >= 2:
                break
        else:
            failures.append("race: in %d rounds at most 1 create reached the API, so the racers never overlapped" % RACE_ROUNDS)
        for summary in (distinct, raced):
            for run_id, tail in summary["process_logs"].items():
                print("--- last lines of %s" % run_id)
                print(tail)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for failure in failures:
        print("FAILED " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
