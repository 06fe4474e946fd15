# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one way to start the ELB emulator as a process: a Python API and a command line.

Python::

    from launch import EmulatorProcess

    with EmulatorProcess("--demo-world", "--settle-time", "0.2", log_path="emulator.log") as emulator:
        print(emulator.url)   # http://127.0.0.1:NNNNN

Command line::

    python tests/emulator/launch.py [LAUNCHER OPTIONS] [EMULATOR OPTIONS...] -- COMMAND [ARGS...]
    python tests/emulator/launch.py --background --log-file FILE [EMULATOR OPTIONS...]

The emulator options go to ``emulator.py`` unchanged; the launcher adds ``--port 0 --port-file ...`` and
nothing else (no ``--demo-world`` unless you pass it). With a command, the command runs with
``ELB_EMULATOR_URL`` and the demo user's ``OS_*`` settings in its environment, the emulator is stopped
whatever the outcome, and the exit status is the command's (125: the emulator did not start, 126/127:
the command could not be run). With ``--background`` the emulator keeps running after the launcher
exits, which prints one line ``URL PID`` for a shell script to read; the script stops it with
``kill PID``.

Standard library only, like the emulator: it runs with whatever Python is at hand.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from elb_emulator.config import DEMO_PASSWORD, DEMO_USER, DOMAIN_NAME, PROJECT_NAME

EMULATOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "emulator.py")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
# The demo user exists in every emulator; --demo-world adds demo-lb and demo-pool.
DEMO_ENV = {
    "OS_USERNAME": DEMO_USER,
    "OS_PASSWORD": DEMO_PASSWORD,
    "OS_USER_DOMAIN_NAME": DOMAIN_NAME,
    "OS_PROJECT_NAME": PROJECT_NAME,
}
LAUNCHER_ERROR = 125


class EmulatorStartError(RuntimeError):
    """The emulator exited, or wrote no port file in time; the message ends with its log."""


def _option(args, name):
    """The value of ``--name VALUE`` or ``--name=VALUE`` in an argument list (the last one wins), or None."""
    found = None
    for index, arg in enumerate(args):
        if arg == name and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith(name + "="):
            found = arg[len(name) + 1 :]
    return found


def _read_tail(path, limit=4000):
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - limit))
            return handle.read().decode("utf-8", "replace")
    except OSError as error:
        return "(cannot read %s: %s)" % (path, error)


class EmulatorProcess:
    """``tests/emulator/emulator.py`` on a free port: started by start() or ``with``, stopped by stop().

    ``log_path``: the emulator's output is appended there (default: a file in a private temporary
    directory, removed by stop()). ``python``: the interpreter (default: this one).
    """

    def __init__(self, *emulator_args, python=None, log_path=None, start_timeout=START_TIMEOUT, cwd=None):
        # Numbers are welcome (``"--settle-time", 0.2``): everything becomes a command-line word.
        self.emulator_args = [str(arg) for arg in emulator_args]
        for reserved in ("--port", "--port-file"):
            if _option(self.emulator_args, reserved) is not None:
                raise ValueError("the launcher picks %s itself" % reserved)
        self.python = python or sys.executable
        self.start_timeout = start_timeout
        self.cwd = cwd
        self.process = None
        self.port = None
        self._workdir = None
        self._log_path = log_path
        self._log = None

    @property
    def log_path(self):
        return self._log_path

    @property
    def pid(self):
        return self.process.pid if self.process is not None else None

    @property
    def url(self):
        if self.port is None:
            return None
        scheme = "https" if _option(self.emulator_args, "--tls-cert") else "http"
        host = _option(self.emulator_args, "--host") or "127.0.0.1"
        return "%s://%s:%d" % (scheme, "[%s]" % host if ":" in host else host, self.port)

    def start(self):
        self._workdir = tempfile.mkdtemp(prefix="elb-emulator-")
        if self._log_path is None:
            self._log_path = os.path.join(self._workdir, "emulator.log")
        port_file = os.path.join(self._workdir, "port")
        command = [self.python, EMULATOR, "--port", "0", "--port-file", port_file, *self.emulator_args]
        # Held open while the emulator runs (not a with block): closed by stop() or detach().
        self._log = open(self._log_path, "ab")
        try:
            # No stdin: a command run next to the emulator keeps the terminal to itself.
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, cwd=self.cwd)
        except OSError as error:
            self.stop()
            raise EmulatorStartError("cannot run %s: %s" % (self.python, error)) from error
        deadline = time.monotonic() + self.start_timeout
        while True:
            port = self._read_port(port_file)
            if port is not None:
                self.port = port
                return self
            if self.process.poll() is not None:
                problem = "the emulator exited with status %d" % self.process.returncode
                break
            if time.monotonic() > deadline:
                problem = "the emulator wrote no port file within %g s" % self.start_timeout
                break
            time.sleep(0.05)
        log_path = self._log_path
        self._log.flush()
        tail = _read_tail(log_path)
        self.stop()
        raise EmulatorStartError("%s (%s); its log %s ends with:\n%s" % (problem, " ".join(command), log_path, tail))

    @staticmethod
    def _read_port(port_file):
        # The emulator writes the file to a temporary name and renames it: it is never half written.
        try:
            with open(port_file, encoding="ascii") as handle:
                text = handle.read().strip()
        except OSError:
            return None
        return int(text) if text else None

    def detach(self):
        """Leave the emulator running on its own (``--background``): the caller owns its PID from now on."""
        self.process = None
        self._close()

    def stop(self):
        """SIGTERM, then SIGKILL if it has not stopped within STOP_TIMEOUT seconds; returns its exit status."""
        code = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=STOP_TIMEOUT)
            code = self.process.returncode
            self.process = None
        self._close()
        return code

    def _close(self):
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._workdir is not None:
            if self._log_path is not None and os.path.dirname(self._log_path) == self._workdir:
                self._log_path = None
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def emulator_env(url, base=None):
    """``base`` (default: os.environ) plus ELB_EMULATOR_URL and the demo user's OS_* settings."""
    env = dict(os.environ if base is None else base)
    env.update(DEMO_ENV)
    env["ELB_EMULATOR_URL"] = url
    env["OS_AUTH_URL"] = url + "/v3"
    return env


def build_parser():
    parser = argparse.ArgumentParser(
        prog="launch.py",
        # Unknown options go to the emulator: an abbreviation must not be taken for a launcher option.
        allow_abbrev=False,
        usage="%(prog)s [LAUNCHER OPTIONS] [EMULATOR OPTIONS...] -- COMMAND [ARGS...]\n       %(prog)s --background --log-file FILE [EMULATOR OPTIONS...]",
        description="Start the ELB emulator on a free loopback port, run COMMAND against it, stop it. "
        "EMULATOR OPTIONS are passed to emulator.py unchanged (see tests/emulator/README.md); the launcher adds no --demo-world.",
    )
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs the emulator (default: this one)")
    parser.add_argument("--log-file", help="append the emulator's output here (default: a temporary file, shown if it fails to start)")
    parser.add_argument("--start-timeout", type=float, default=START_TIMEOUT, help="seconds to wait for the port (default %(default)g)")
    parser.add_argument("--background", action="store_true", help="leave the emulator running, print 'URL PID' and exit (needs --log-file)")
    return parser


def split_argv(argv):
    """(launcher and emulator arguments, command): the command is everything after the first ``--``."""
    if "--" in argv:
        index = argv.index("--")
        return argv[:index], argv[index + 1 :]
    return argv, []


def _run_command(command, env):
    try:
        child = subprocess.Popen(command, env=env)
    except FileNotFoundError as error:
        print("launch.py: %s" % error, file=sys.stderr)
        return 127
    except OSError as error:
        print("launch.py: %s" % error, file=sys.stderr)
        return 126

    def forward(signum, _frame):
        child.send_signal(signum)

    # A TERM or INT meant for the launcher goes to the command; the emulator is stopped once the command ends.
    previous = {signum: signal.signal(signum, forward) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 128 - code if code < 0 else code


def main(argv=None):
    parser = build_parser()
    own, command = split_argv(sys.argv[1:] if argv is None else list(argv))
    args, emulator_args = parser.parse_known_args(own)
    if args.background and command:
        parser.error("--background takes no command")
    if args.background and not args.log_file:
        parser.error("--background needs --log-file: nobody is left to show a temporary log")
    if not args.background and not command:
        parser.error("give a command after --, or --background")
    try:
        emulator = EmulatorProcess(*emulator_args, python=args.python, log_path=args.log_file, start_timeout=args.start_timeout)
        emulator.start()
    except (EmulatorStartError, ValueError) as error:
        print("launch.py: %s" % error, file=sys.stderr)
        return LAUNCHER_ERROR
    if args.background:
        url, pid = emulator.url, emulator.pid
        emulator.detach()
        print("%s %d" % (url, pid), flush=True)
        return 0
    try:
        print("ELB emulator running on %s (demo user %r, project %r)" % (emulator.url, DEMO_USER, PROJECT_NAME), flush=True)
        return _run_command(command, emulator_env(emulator.url))
    finally:
        emulator.stop()


if __name__ == "__main__":
    sys.exit(main())
