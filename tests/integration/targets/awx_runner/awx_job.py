# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""AWX's part of the awx_runner target, for runme.sh.

    layout  lay out a job's private data directory the way AWX does before it starts ansible-runner
    check   judge a finished job from ansible-runner's own artifacts, as AWX reads them
    slices  the job slices together: every backend handled by exactly one slice
    pool    read the pool through the emulator's API: the members the jobs left
    docs    docs/awx.md shows the credential type and the project playbook that the jobs use

Each command exits non-zero with a message on the first failed expectation.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import urllib.request
from pathlib import Path

import yaml
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

# The emulator's demo world (tests/emulator/README.md).
DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"
DEMO_DOMAIN = "demo-domain"
DEMO_PROJECT_NAME = "eu-de"
DEMO_PROJECT_ID = "0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e"
DEMO_ACCESS_KEY = "DEMOACCESSKEY0000001"
DEMO_SECRET_KEY = "demo-secret-key-0000000000000001"
DEMO_POOL_ID = "3a5c7e9b-0d2f-4b4c-8e6a-1f3b5d7c9e02"
DEMO_SUBNET_ID = "7d1f3b5a-2c4e-4a6b-8d0f-1a3c5e7b9d20"
MEMBER_PORT = 8080
PLAYBOOK = "pool_members.yml"

# Every value that must never reach the artifacts. Tokens are random: the emulator's all start with
# MIIemu, so any token it issued is found by its shape.
SECRET_VALUES = (DEMO_PASSWORD, DEMO_SECRET_KEY)
TOKEN_PATTERN = re.compile(r"MIIemu[A-Za-z0-9_-]{16,}")
FAILURE_EVENTS = ("runner_on_failed", "runner_on_unreachable", "runner_on_async_failed", "runner_item_on_failed")
MEMBER_ACTION = "lbaas.elb.elb_member"
AUTH_ACTION = "lbaas.elb.elb_auth"


class JobCheckError(Exception):
    """An expectation the job or the pool did not meet."""


# -- layout -------------------------------------------------------------------------------------------


def private_file(directory, content):
    """Write a credential file as AWX does: a fresh name in env/, readable by its owner only."""
    handle, path = tempfile.mkstemp(dir=directory)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(content)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return path


def openstack_credential(env_dir, emulator):
    """AWX's built-in OpenStack credential: a clouds.yaml with the single cloud "devstack"."""
    cloud = {
        "auth": {
            "auth_url": emulator + "/v3",
            "username": DEMO_USER,
            "password": DEMO_PASSWORD,
            "project_name": DEMO_PROJECT_NAME,
            "domain_name": DEMO_DOMAIN,
        },
        "verify": True,
        "region_name": "eu-de",
    }
    path = private_file(env_dir, yaml.safe_dump({"clouds": {"devstack": cloud}}, default_flow_style=False))
    return {"OS_CLIENT_CONFIG_FILE": path}, {}


def custom_credential(env_dir, injectors, inputs):
    """A custom credential type: its file templates first, then env and extra_vars, all rendered in
    a sandbox with the credential's inputs, and ``tower.filename`` naming the files written."""
    sandbox = ImmutableSandboxedEnvironment()
    files = {}
    for key, template in (injectors.get("file") or {}).items():
        files[key] = private_file(env_dir, sandbox.from_string(template).render(**inputs))
    if "template" in files:
        filename = files["template"]
    else:
        filename = {key.split(".", 1)[1]: path for key, path in files.items()}
    namespace = dict(inputs, tower={"filename": filename})
    envvars = {name: sandbox.from_string(value).render(**namespace) for name, value in (injectors.get("env") or {}).items()}
    extravars = {name: sandbox.from_string(value).render(**namespace) for name, value in (injectors.get("extra_vars") or {}).items()}
    return envvars, extravars


def aksk_credential(env_dir, emulator, docs):
    inputs = {
        "access_key": DEMO_ACCESS_KEY,
        "secret_key": DEMO_SECRET_KEY,
        "project_id": DEMO_PROJECT_ID,
        "region_name": "eu-de",
        "endpoint": emulator,
    }
    injectors = yaml.safe_load((docs / "aksk_credential_injectors.yml").read_text(encoding="utf-8"))
    return custom_credential(env_dir, injectors, inputs)


def inventory_script(hosts, first_address):
    """AWX hands the inventory over as an executable script that prints it as JSON."""
    start = ipaddress.ip_address(first_address)
    hostvars = {"backend-%02d" % (index + 1): {"ansible_host": str(start + index)} for index in range(hosts)}
    hostvars["localhost"] = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    data = {
        "all": {"children": ["backends", "ungrouped"]},
        "backends": {"hosts": sorted(name for name in hostvars if name != "localhost")},
        "ungrouped": {"hosts": ["localhost"]},
        "_meta": {"hostvars": hostvars},
    }
    return "#!/bin/sh\ncat <<'INVENTORY'\n%s\nINVENTORY\n" % json.dumps(data, indent=1, sort_keys=True)


def layout(args):
    pdd = Path(args.pdd)
    if pdd.exists():
        raise JobCheckError("%s exists: every job gets a new private data directory" % pdd)
    env_dir = pdd / "env"
    env_dir.mkdir(parents=True, mode=0o700)
    shutil.copytree(args.project, pdd / "project", ignore=shutil.ignore_patterns(".git"))
    shutil.copytree(args.collections, pdd / "requirements_collections")
    if args.credential == "openstack":
        credential_env, credential_vars = openstack_credential(env_dir, args.emulator)
    else:
        credential_env, credential_vars = aksk_credential(env_dir, args.emulator, Path(args.docs))

    envvars = {
        # What a project sync installed, and nothing else: the collection ansible-test staged must not
        # be found by the job (ANSIBLE_COLLECTIONS_PATH from the calling environment is replaced).
        "ANSIBLE_COLLECTIONS_PATH": str(pdd / "requirements_collections"),
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "JOB_ID": str(args.job_id),
        "PROJECT_REVISION": args.revision,
    }
    envvars.update(credential_env)
    extravars = {
        "awx_job_id": args.job_id,
        "awx_job_template_name": "lbaas.elb pool members",
        "awx_project_revision": args.revision,
        "elb_pool": DEMO_POOL_ID,
        "elb_member_port": MEMBER_PORT,
        "elb_subnet_id": DEMO_SUBNET_ID,
    }
    extravars.update(credential_vars)
    (env_dir / "envvars").write_text(yaml.safe_dump(envvars), encoding="utf-8")
    (env_dir / "extravars").write_text(yaml.safe_dump(extravars), encoding="utf-8")
    (env_dir / "passwords").write_text("{}\n", encoding="utf-8")
    (env_dir / "settings").write_text(yaml.safe_dump({"job_timeout": 300, "pexpect_timeout": 5}), encoding="utf-8")
    (env_dir / "cmdline").write_text(args.cmdline, encoding="utf-8")
    inventory = pdd / "inventory" / "hosts"
    inventory.parent.mkdir()
    inventory.write_text(inventory_script(args.hosts, args.first_address), encoding="utf-8")
    inventory.chmod(0o700)


# -- check --------------------------------------------------------------------------------------------


def load_job(pdd):
    """The single job of a private data directory: (artifact dir, status, rc, events by counter)."""
    if not (Path(pdd) / "artifacts").is_dir():
        raise JobCheckError("%s: no artifacts/: ansible-runner did not start the job" % pdd)
    idents = sorted((Path(pdd) / "artifacts").iterdir())
    if len(idents) != 1:
        raise JobCheckError("%s: expected one job in artifacts/, found %s" % (pdd, [path.name for path in idents]))
    artifacts = idents[0]
    events = [json.loads(path.read_text(encoding="utf-8")) for path in (artifacts / "job_events").glob("*.json")]
    events.sort(key=lambda event: event["counter"])
    status = (artifacts / "status").read_text(encoding="utf-8").strip()
    return_code = (artifacts / "rc").read_text(encoding="utf-8").strip()
    return artifacts, status, return_code, events


def stdout_tail(artifacts, lines=40):
    text = (artifacts / "stdout").read_text(encoding="utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


def task_events(events, name, action):
    return [event for event in events if event["event"] == name and event["event_data"].get("resolved_action") == action]


def secret_hits(root):
    """Where a secret value or an emulator token occurs in the files under root: [(file, what)]."""
    hits = []
    for path in sorted(Path(root).rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        hits.extend((str(path), "secret value %s..." % value[:6]) for value in SECRET_VALUES if value in text)
        hits.extend((str(path), "token %s..." % match[:10]) for match in TOKEN_PATTERN.findall(text))
    return hits


def check_provenance(artifacts, module_root):
    """At -vvv Ansible names the file of every module it runs: each lbaas.elb one must come from module_root."""
    used = re.findall(r"Using module file (\S+)", (artifacts / "stdout").read_text(encoding="utf-8", errors="replace"))
    ours = sorted({path for path in used if "/lbaas/elb/" in path})
    if not ours:
        raise JobCheckError("%s: no 'Using module file' line for lbaas.elb: the job did not run at -vvv" % artifacts)
    strangers = [path for path in ours if not path.startswith(module_root.rstrip("/") + "/")]
    if strangers:
        raise JobCheckError("%s: modules run from outside %s: %s" % (artifacts, module_root, strangers))
    return ours


def check(args):
    artifacts, status, return_code, events = load_job(args.pdd)
    if status != "successful" or return_code != "0":
        raise JobCheckError("%s: status %s, rc %s; the end of its stdout:\n%s" % (artifacts, status, return_code, stdout_tail(artifacts)))
    failures = [event for event in events if event["event"] in FAILURE_EVENTS]
    if failures:
        raise JobCheckError("%s: %d failure events, the first: %s" % (artifacts, len(failures), json.dumps(failures[0]["event_data"])[:2000]))

    auth = task_events(events, "runner_on_ok", AUTH_ACTION)
    if len(auth) != 1 or "censored" not in auth[0]["event_data"]["res"]:
        raise JobCheckError("%s: expected one elb_auth result, censored by no_log; got %s" % (artifacts, [event["event_data"]["res"] for event in auth]))

    members = task_events(events, "runner_on_ok", MEMBER_ACTION)
    hosts = [event["event_data"]["host"] for event in members]
    if len(hosts) != args.hosts or len(set(hosts)) != args.hosts:
        raise JobCheckError("%s: expected %d elb_member results, one per host; got hosts %s" % (artifacts, args.hosts, hosts))
    expected = args.changed == "yes"
    changed = {event["event_data"]["host"]: event["event_data"]["res"].get("changed") for event in members}
    wrong = {host: value for host, value in changed.items() if value is not expected}
    if wrong:
        raise JobCheckError("%s: elb_member must report changed=%s on every host; these did not: %s" % (artifacts, expected, wrong))

    provenance = check_provenance(artifacts, args.module_root) if args.verbose else []

    # The search must be able to find what it looks for: the job's own credential file holds a secret.
    if not secret_hits(Path(args.pdd) / "env"):
        raise JobCheckError("%s: the secrets search finds nothing in env/, where the credential is: it is broken" % args.pdd)
    hits = secret_hits(artifacts.parent)
    if hits:
        raise JobCheckError("%s: secrets in the artifacts:\n%s" % (artifacts.parent, "\n".join("  %s: %s" % hit for hit in hits)))

    files = sum(1 for path in artifacts.parent.rglob("*") if path.is_file())
    print(
        "    %s: %s, %d elb_member results changed=%s, %d events, no secret in %d files%s"
        % (artifacts.name, status, len(members), expected, len(events), files, ", modules from %s" % provenance[0].split("/plugins/")[0] if provenance else "")
    )


def slices(args):
    """Every backend handled by exactly one slice, and the slices ran side by side."""
    seen = {}
    windows = []
    for pdd in args.pdd:
        _artifacts, _status, _rc, events = load_job(pdd)
        members = task_events(events, "runner_on_ok", MEMBER_ACTION)
        for event in members:
            seen.setdefault(event["event_data"]["host"], []).append(pdd)
        windows.append((min(event["created"] for event in members), max(event["created"] for event in members)))
    twice = {host: where for host, where in seen.items() if len(where) > 1}
    if twice or len(seen) != args.hosts:
        raise JobCheckError("expected %d backends, each in one slice; got %d, in more than one: %s" % (args.hosts, len(seen), twice))
    overlap = max(start for start, _end in windows) < min(end for _start, end in windows)
    print("    %d backends, each in exactly one of %d slices; member tasks overlapped in time: %s" % (len(seen), len(args.pdd), overlap))


# -- pool ---------------------------------------------------------------------------------------------


def emulator_token(url):
    body = {
        "auth": {
            "identity": {"methods": ["password"], "password": {"user": {"name": DEMO_USER, "password": DEMO_PASSWORD, "domain": {"name": DEMO_DOMAIN}}}},
            "scope": {"project": {"name": DEMO_PROJECT_NAME}},
        }
    }
    request = urllib.request.Request(url + "/v3/auth/tokens?nocatalog=true", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-Subject-Token"]


def pool_members(url):
    token = emulator_token(url)
    members = []
    next_url = "%s/v2.0/lbaas/pools/%s/members" % (url, DEMO_POOL_ID)
    while next_url:
        request = urllib.request.Request(next_url, headers={"X-Auth-Token": token})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = json.load(response)
        members.extend(page["members"])
        links = [link["href"] for link in page.get("members_links", []) if link.get("rel") == "next"]
        next_url = links[0] if links else None
    return members


def pool(args):
    members = pool_members(args.url)
    start = ipaddress.ip_address(args.first_address)
    expected = [str(start + index) for index in range(args.members)]
    found = sorted((member["address"] for member in members), key=ipaddress.ip_address)
    keys = [(member["address"], member["protocol_port"]) for member in members]
    if found != expected or len(set(keys)) != len(keys) or {member["protocol_port"] for member in members} != {MEMBER_PORT}:
        raise JobCheckError("the pool should hold exactly %s port %d, once each; it holds %s" % (expected, MEMBER_PORT, keys))
    print("    the pool holds %d members, %s to %s, no duplicates" % (len(members), expected[0], expected[-1]))


# -- docs ---------------------------------------------------------------------------------------------


def docs(args):
    """docs/awx.md shows, unchanged, the files the jobs use; the injectors use exactly the declared inputs."""
    root = Path(args.collection_root)
    page = (root / "docs" / "awx.md").read_text(encoding="utf-8")
    shown = {
        "docs/awx/aksk_credential_inputs.yml": root / "docs" / "awx" / "aksk_credential_inputs.yml",
        "docs/awx/aksk_credential_injectors.yml": root / "docs" / "awx" / "aksk_credential_injectors.yml",
        "the project playbook": Path(args.project) / PLAYBOOK,
    }
    for what, path in shown.items():
        if "```yaml\n%s```" % path.read_text(encoding="utf-8") not in page:
            raise JobCheckError("docs/awx.md does not show %s (%s) as it is, in a YAML block of its own" % (what, path))

    inputs = yaml.safe_load(shown["docs/awx/aksk_credential_inputs.yml"].read_text(encoding="utf-8"))
    injectors = yaml.safe_load(shown["docs/awx/aksk_credential_injectors.yml"].read_text(encoding="utf-8"))
    declared = {field["id"] for field in inputs["fields"]}
    sandbox = ImmutableSandboxedEnvironment()
    templates = list((injectors.get("file") or {}).values()) + list((injectors.get("env") or {}).values())
    used = set().union(*(meta.find_undeclared_variables(sandbox.parse(template)) for template in templates)) - {"tower"}
    if used != declared or not set(inputs["required"]) <= declared:
        raise JobCheckError("the injectors use %s, the inputs declare %s and require %s" % (sorted(used), sorted(declared), inputs["required"]))
    secret_fields = {field["id"] for field in inputs["fields"] if field.get("secret")}
    in_env = set().union(*(meta.find_undeclared_variables(sandbox.parse(value)) for value in (injectors.get("env") or {}).values()))
    if secret_fields & in_env:
        # ansible-runner writes the job's whole environment to artifacts/<job>/command.
        raise JobCheckError("secret fields %s are injected into the environment" % sorted(secret_fields & in_env))
    print("    docs/awx.md shows the credential type and %s unchanged; the injectors use the %d declared inputs" % (PLAYBOOK, len(declared)))


# -- main ---------------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    sub = commands.add_parser("layout")
    sub.add_argument("pdd")
    sub.add_argument("--project", required=True, help="the synced project checkout")
    sub.add_argument("--collections", required=True, help="what the project sync installed")
    sub.add_argument("--credential", choices=("openstack", "aksk"), required=True)
    sub.add_argument("--docs", required=True, help="docs/awx of the collection under test")
    sub.add_argument("--emulator", required=True)
    sub.add_argument("--hosts", type=int, required=True)
    sub.add_argument("--first-address", required=True)
    sub.add_argument("--job-id", type=int, required=True)
    sub.add_argument("--revision", required=True)
    sub.add_argument("--cmdline", default="", help="ansible-playbook options (verbosity, --limit) as AWX passes them")

    sub = commands.add_parser("check")
    sub.add_argument("pdd")
    sub.add_argument("--changed", choices=("yes", "no"), required=True)
    sub.add_argument("--hosts", type=int, required=True)
    sub.add_argument("--module-root", required=True, help="where the job's lbaas.elb modules must come from")
    sub.add_argument("--verbose", action="store_true", help="the job ran at -vvv: check where its modules came from")

    sub = commands.add_parser("slices")
    sub.add_argument("pdd", nargs="+")
    sub.add_argument("--hosts", type=int, required=True)

    sub = commands.add_parser("pool")
    sub.add_argument("url")
    sub.add_argument("--members", type=int, required=True)
    sub.add_argument("--first-address", required=True)

    sub = commands.add_parser("docs")
    sub.add_argument("collection_root")
    sub.add_argument("--project", required=True)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        {"layout": layout, "check": check, "slices": slices, "pool": pool, "docs": docs}[args.command](args)
    except JobCheckError as err:
        print("FAILED %s: %s" % (args.command, err), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
