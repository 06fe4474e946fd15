# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright (c) 2026, lbaas.elb contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interpreters, virtual environments and the ansible-test pip bootstrap, for tools/matrix.py and tools/requests_checks.py.

Standard library only: it runs with whatever Python 3 starts it, and it never installs into that
Python. Every failure raises ``MatrixError`` with a message that says what to do; nothing is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STANDIN = os.path.join(ROOT, "tools", "get_pip_standin.py")


class MatrixError(Exception):
    """A precondition or a step failed; the message is the whole explanation."""


def log(message: str) -> None:
    print("matrix: %s" % message, flush=True)


def find_python(version: str) -> str:
    """The path of CPython ``version`` ("3.10"): pyenv's, else ``python3.10`` on PATH; MatrixError if neither."""
    tried = []
    if shutil.which("pyenv"):
        # `pyenv prefix 3.10` resolves to the newest installed 3.10.x, whichever pyenv version is global.
        found = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True, check=False)
        candidate = os.path.join(found.stdout.strip(), "bin", "python" + version)
        if found.returncode == 0 and os.access(candidate, os.X_OK):
            return _checked(candidate, version)
        tried.append("`pyenv prefix %s` (%s)" % (version, (found.stderr or found.stdout).strip() or "no such file: %s" % candidate))
    else:
        tried.append("pyenv (not on PATH)")
    candidate = shutil.which("python" + version)
    if candidate:
        return _checked(candidate, version)
    tried.append("python%s on PATH" % version)
    raise MatrixError(
        "Python %s is required but missing: tried %s. Install it (e.g. `pyenv install %s`) and run again; "
        "the matrix never skips a Python." % (version, "; ".join(tried), version)
    )


def _checked(path: str, version: str) -> str:
    real = python_version(path)
    if real.rsplit(".", 1)[0] != version:
        raise MatrixError("%s reports Python %s, not %s" % (path, real, version))
    return path


def python_version(python: str) -> str:
    """The full version ("3.10.13") of an interpreter."""
    out = subprocess.run([python, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise MatrixError("%s does not run: %s" % (python, out.stderr.strip()))
    return out.stdout.strip()


def run(command: list[str], **kwargs) -> None:
    """Run a command; MatrixError (with the command) if it fails."""
    result = subprocess.run(command, check=False, **kwargs)
    if result.returncode != 0:
        raise MatrixError("failed with status %d: %s" % (result.returncode, " ".join(command)))


def pip_install(venv: str, *args: str) -> None:
    # --no-compile, as for the Makefile's venv: only what is imported gets compiled, on first import.
    run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile", *args])


def make_venv(venv: str, base_python: str, stamp: dict, install, without_pip: bool = False) -> bool:
    """Create ``venv`` from ``base_python`` and call ``install(venv)``, unless a venv with the same stamp exists.

    The stamp (a dict: versions, requirement files' hashes) is written last, so a half-built venv is
    rebuilt from scratch next time. Returns True when the venv was (re)built.
    """
    stamp_path = os.path.join(venv, "matrix-stamp.json")
    wanted = json.dumps(stamp, sort_keys=True)
    try:
        with open(stamp_path, encoding="utf-8") as handle:
            if handle.read() == wanted:
                return False
    except OSError:
        pass
    shutil.rmtree(venv, ignore_errors=True)
    started = time.monotonic()
    log("creating %s (Python %s)" % (os.path.relpath(venv, ROOT), python_version(base_python)))
    run([base_python, "-m", "venv", *(["--without-pip"] if without_pip else []), venv])
    install(venv)
    with open(stamp_path, "w", encoding="utf-8") as handle:
        handle.write(wanted)
    log("%s ready in %.0f s" % (os.path.relpath(venv, ROOT), time.monotonic() - started))
    return True


def module_python_venv(python_minor: str, venv: str, packages: list[str] | None = None, requirements: str | None = None) -> str:
    """``venv``: CPython ``python_minor`` with ``packages`` (pins) or what the file ``requirements`` names, and
    their dependencies, but not pip itself, which a target host is not promised. Returns ``venv``."""
    python = find_python(python_minor)
    install_args = packages if packages is not None else ["-r", requirements]

    def install(venv):
        pip_install(venv, *install_args)
        run([os.path.join(venv, "bin", "python"), "-m", "pip", "uninstall", "--quiet", "--yes", "pip", "setuptools"])

    stamp = {"python": python_version(python), "packages": packages if packages is not None else file_digest(requirements)}
    make_venv(venv, python, stamp, install)
    return venv


def file_digest(path: str) -> str:
    """sha256 of a file, or "absent": a stamp ingredient, so that editing a requirements file rebuilds the venv."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except FileNotFoundError:
        return "absent"


def installed(venv: str) -> dict[str, str]:
    """{distribution: version} of everything importable in the venv (pip included, if present)."""
    code = "import importlib.metadata as m, json; print(json.dumps({d.metadata['Name'].lower(): d.version for d in m.distributions()}))"
    out = subprocess.run([os.path.join(venv, "bin", "python"), "-c", code], capture_output=True, text=True, check=True)
    return dict(sorted(json.loads(out.stdout).items()))


def ansible_test_root(venv: str) -> str:
    """The directory of the ansible_test package installed in a venv (it comes with ansible-core)."""
    code = "import os, ansible_test; print(os.path.dirname(ansible_test.__file__))"
    out = subprocess.run([os.path.join(venv, "bin", "python"), "-c", code], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise MatrixError("%s has no ansible_test (is ansible-core installed?): %s" % (venv, out.stderr.strip()))
    return out.stdout.strip()


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def ansible_test_facts(venv: str) -> dict:
    """What this venv's ansible-test expects, read from its own source (it differs between ansible-core lines).

    pip_version: the pip its get_pip bootstrap installs into a new sanity venv (23.1.2 in 2.16/2.17,
    24.2 in 2.18/2.19, 25.2 in 2.20/2.21); cache: where it looks for the bootstrap script before
    downloading it from ci-files.testing.ansible.com; controller/remote: the Pythons it supports.
    """
    root = ansible_test_root(venv)
    requirements = _read(os.path.join(root, "_internal", "python_requirements.py"))
    match = re.search(r"default_packages\s*=\s*dict\(\s*pip\s*=\s*'([0-9.]+)'", requirements)
    if not match:
        raise MatrixError("cannot find the bootstrap pip version in %s/_internal/python_requirements.py: update tools/pythons.py" % root)
    setup = _read(os.path.join(root, "_util", "target", "setup", "requirements.py"))
    # The stand-in is named the way this line's bootstrap looks it up; fail if that ever changes.
    if '\'~/.ansible/test/cache/get_pip_%s.py\' % pip_version.replace(".", "_")' not in setup:
        raise MatrixError("%s/_util/target/setup/requirements.py looks for its pip bootstrap elsewhere: update tools/pythons.py" % root)
    constants = _read(os.path.join(root, "_util", "target", "common", "constants.py"))

    def versions(name):
        found = re.search(r"%s\s*=\s*\(([^)]*)\)" % name, constants)
        if not found:
            raise MatrixError("cannot find %s in %s/_util/target/common/constants.py" % (name, root))
        return re.findall(r"'([0-9.]+)'", found.group(1))

    controller = versions("CONTROLLER_PYTHON_VERSIONS")
    return {"pip_version": match.group(1), "controller": controller, "remote": versions("REMOTE_ONLY_PYTHON_VERSIONS") + controller}


def bootstrap_ansible_test(venv: str, home: str | None = None) -> str:
    """Put the pip bootstrap stand-in, and the pip wheel it installs, where this venv's ansible-test looks.

    ansible-test downloads get-pip-<ver>.py from a host this machine cannot reach; with
    ~/.ansible/test/cache/get_pip_<ver>.py present it uses that file instead. Returns the pip version.
    """
    pip_version = ansible_test_facts(venv)["pip_version"]
    cache = os.path.join(home or os.path.expanduser("~"), ".ansible", "test", "cache")
    os.makedirs(cache, exist_ok=True)
    wheel = os.path.join(cache, "pip-%s-py3-none-any.whl" % pip_version)
    if not os.path.exists(wheel):
        log("downloading the pip %s wheel into %s" % (pip_version, cache))
        run(
            [
                os.path.join(venv, "bin", "python"),
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "-d",
                cache,
                "pip==%s" % pip_version,
            ]
        )
    if not os.path.exists(wheel):
        raise MatrixError("pip download left no %s" % wheel)
    shutil.copyfile(STANDIN, os.path.join(cache, "get_pip_%s.py" % pip_version.replace(".", "_")))
    return pip_version


def counting_interpreter(venv: str) -> tuple[str, str]:
    """(interpreter, launch log): a script that notes each launch, then becomes the venv's Python.

    Given as ansible_python_interpreter, it proves the modules really ran on that venv: an override
    that does not take leaves the log empty and the run fails.
    """
    launches = os.path.join(venv, "launches.log")
    wrapper = os.path.join(venv, "module-python")
    with open(wrapper, "w", encoding="utf-8") as handle:
        handle.write('#!/bin/sh\necho "$$" >>%s\nexec %s "$@"\n' % (shlex.quote(launches), shlex.quote(os.path.join(venv, "bin", "python"))))
    os.chmod(wrapper, 0o700)
    if os.path.exists(launches):
        os.remove(launches)
    return wrapper, launches


def count_launches(launches: str) -> int:
    """How many times the counting interpreter ran."""
    try:
        with open(launches, encoding="utf-8") as handle:
            return len(handle.read().split())
    except FileNotFoundError:
        return 0


def main(argv: list[str]) -> int:
    """`pythons.py bootstrap VENV`: the bootstrap for the ansible-test of any venv (e.g. the project's .venv)."""
    if len(argv) != 2 or argv[0] != "bootstrap":
        print("usage: pythons.py bootstrap VENV", file=sys.stderr)
        return 2
    try:
        version = bootstrap_ansible_test(argv[1])
    except MatrixError as error:
        print("pythons.py: %s" % error, file=sys.stderr)
        return 1
    log("ansible-test of %s bootstraps pip %s from %s" % (argv[1], version, os.path.expanduser("~/.ansible/test/cache")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
