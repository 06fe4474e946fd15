# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright (c) 2026, lbaas.elb contributors
"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

ansible-test fetches get-pip.py from a host this machine cannot reach, then runs it in every
virtual environment it makes. `tools/pythons.py bootstrap VENV` (make ansible-test-bootstrap, and
tools/matrix.py for each ansible-core line) copies this file to ~/.ansible/test/cache/get_pip_<ver>.py
with the pip wheel beside it, so the bootstrap installs pip from that wheel instead. <ver> is the pip
that VENV's ansible-test wants: 23.1.2 for ansible-core 2.16 and 2.17, 24.2 for 2.18 and 2.19, 25.2
for 2.20 and 2.21. The arguments are the ones ansible-test gives get-pip.py: the packages to install
(2.16 and 2.17 add setuptools and wheel pins) and, from 2.18 on, --no-setuptools and --no-wheel.
"""

from __future__ import annotations

import os
import runpy
import shutil
import sys
import tempfile
import zipfile

IGNORED = {"--no-setuptools", "--no-wheel"}


def unpacked(wheel: str) -> str:
    """The wheel's files in a directory beside it, unpacked once: pip run from there gets its bytecode
    cached, where run from the zip it would compile all of itself again in every new venv (ansible-test
    makes one per sanity test). Safe when several bootstraps start at once: the first rename wins."""
    target = wheel[: -len(".whl")]
    if not os.path.isdir(target):
        scratch = tempfile.mkdtemp(prefix=os.path.basename(target) + ".", dir=os.path.dirname(wheel))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(scratch)
        try:
            os.rename(scratch, target)
        except OSError:
            shutil.rmtree(scratch)  # another bootstrap unpacked it first
    return target


def main() -> None:
    here, name = os.path.split(os.path.abspath(__file__))
    # get_pip_24_2.py is the bootstrap for pip 24.2: use that wheel, not whichever is newest.
    version = ".".join(name[len("get_pip_") : -len(".py")].split("_"))
    wheel = os.path.join(here, "pip-%s-py3-none-any.whl" % version)
    if not os.path.exists(wheel):
        sys.exit("get_pip stand-in: %s is missing; run 'tools/pythons.py bootstrap VENV'" % wheel)
    sys.path.insert(0, unpacked(wheel))
    # pip itself from the wheel file, not from the package index (setuptools and wheel, which 2.16 and
    # 2.17 also ask for, still come from the index).
    args = [wheel if arg == "pip==%s" % version else arg for arg in sys.argv[1:] if arg not in IGNORED]
    # --no-compile: the new venv's pip compiles what it imports when ansible-test first runs it.
    sys.argv = ["pip", "install", "--upgrade", "--force-reinstall", "--no-compile"] + args
    runpy.run_module("pip", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
