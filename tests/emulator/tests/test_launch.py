# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""tests/emulator/launch.py: the Python API and the command line start, report and always stop the emulator."""

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

import launch

LAUNCH = launch.__file__
DEMO_POOL = "/v2.0/lbaas/pools/3a5c7e9b-0d2f-4b4c-8e6a-1f3b5d7c9e02"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A stopped child that nobody has reaped yet is a zombie: gone for our purposes.
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _refused(url):
    try:
        requests.get(url + "/_emulator/health", timeout=5)
    except requests.ConnectionError:
        return True
    return False


def _wait_gone(pid, seconds=10):
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


def test_context_manager_starts_passes_options_and_stops(tmp_path):
    log = tmp_path / "emulator.log"
    with launch.EmulatorProcess("--demo-world", "--settle-time", 0.7, "--flavor", "octavia", log_path=str(log)) as emulator:
        assert emulator.url == "http://127.0.0.1:%d" % emulator.port
        config = requests.get(emulator.url + "/_emulator/config", timeout=5).json()
        assert (config["settle_time"], config["flavor"]) == (0.7, "octavia")
        pid = emulator.pid
    assert _wait_gone(pid)
    assert _refused(emulator.url)
    assert "elb-emulator listening on %s" % emulator.url in log.read_text()


def test_log_is_appended_not_replaced(tmp_path):
    log = tmp_path / "emulator.log"
    log.write_text("earlier emulator\n")
    with launch.EmulatorProcess(log_path=str(log)):
        pass
    assert log.read_text().startswith("earlier emulator\nelb-emulator listening on ")


def test_a_failed_start_raises_with_the_log_and_leaves_nothing_running():
    emulator = launch.EmulatorProcess("--settle-time", "slow")
    with pytest.raises(launch.EmulatorStartError, match=r"exited with status 2(.|\n)*--settle-time: invalid float value: 'slow'"):
        emulator.start()
    assert emulator.process is None


def test_a_silent_emulator_times_out_and_is_killed(tmp_path, monkeypatch):
    pid_file = tmp_path / "pid"
    silent = tmp_path / "silent.py"
    silent.write_text("import os, time\nopen(%r, 'w').write(str(os.getpid()))\nprint('starting', flush=True)\ntime.sleep(60)\n" % str(pid_file))
    monkeypatch.setattr(launch, "EMULATOR", str(silent))
    emulator = launch.EmulatorProcess(start_timeout=1)
    with pytest.raises(launch.EmulatorStartError, match=r"no port file within 1 s(.|\n)*starting"):
        emulator.start()
    assert _wait_gone(int(pid_file.read_text()))


def test_the_launcher_picks_the_port():
    with pytest.raises(ValueError, match="--port"):
        launch.EmulatorProcess("--port", "8080")
    with pytest.raises(ValueError, match="--port-file"):
        launch.EmulatorProcess("--port-file=/tmp/port")


@pytest.mark.parametrize(
    ("args", "url"),
    [
        ((), "http://127.0.0.1:8443"),
        (("--tls-cert", "c.pem", "--tls-key", "k.pem"), "https://127.0.0.1:8443"),
        (("--tls-cert=c.pem", "--host", "::1"), "https://[::1]:8443"),
    ],
)
def test_url_follows_scheme_and_host_options(args, url):
    emulator = launch.EmulatorProcess(*args)
    assert emulator.url is None
    emulator.port = 8443
    assert emulator.url == url


def _cli(*args, **kwargs):
    return subprocess.run([sys.executable, LAUNCH, *args], capture_output=True, text=True, timeout=60, check=False, **kwargs)


def test_cli_runs_the_command_with_the_demo_settings_and_its_status(tmp_path):
    seen = tmp_path / "seen"
    script = (
        "import os, sys, urllib.request\n"
        "url = os.environ['ELB_EMULATOR_URL']\n"
        "names = ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_USER_DOMAIN_NAME', 'OS_PROJECT_NAME']\n"
        "status = urllib.request.urlopen(url + '/_emulator/health').status\n"
        "open(sys.argv[1], 'w').write(' '.join([url, str(status)] + [os.environ[n] for n in names]))\n"
        "sys.exit(3)\n"
    )
    result = _cli("--demo-world", "--", sys.executable, "-c", script, str(seen))
    assert result.returncode == 3, result.stderr
    url, status, auth_url, *demo = seen.read_text().split()
    assert (status, auth_url, demo) == ("200", url + "/v3", ["demo", "demo-password", "demo-domain", "eu-de"])
    assert "ELB emulator running on %s" % url in result.stdout
    assert _refused(url)


def test_cli_command_sees_the_demo_world_only_when_asked(tmp_path):
    script = (
        "import json, os, sys, urllib.request\n"
        "url = os.environ['ELB_EMULATOR_URL']\n"
        "body = json.dumps({'pool_id': sys.argv[1].rsplit('/', 1)[-1], 'count': 1}).encode()\n"
        "request = urllib.request.Request(url + '/_emulator/seed', data=body, method='POST')\n"
        "try:\n"
        "    urllib.request.urlopen(request)\n"
        "except urllib.error.HTTPError as error:\n"
        "    sys.exit(error.code // 100)\n"
    )
    assert _cli("--demo-world", "--", sys.executable, "-c", script, DEMO_POOL).returncode == 0
    assert _cli("--", sys.executable, "-c", script, DEMO_POOL).returncode == 4


def test_cli_exit_codes_of_its_own_failures():
    failed = _cli("--settle-time", "slow", "--", "true")
    assert failed.returncode == 125 and "invalid float value" in failed.stderr
    assert _cli("--", "/nonexistent/command").returncode == 127
    assert _cli("--demo-world").returncode == 2  # neither a command nor --background
    assert _cli("--background", "--demo-world").returncode == 2  # --background without --log-file


def test_cli_forwards_sigterm_to_the_command_and_stops_the_emulator(tmp_path):
    seen = tmp_path / "url"
    script = "import os, sys, time\nopen(sys.argv[1], 'w').write(os.environ['ELB_EMULATOR_URL'])\ntime.sleep(60)\n"
    launcher = subprocess.Popen([sys.executable, LAUNCH, "--", sys.executable, "-c", script, str(seen)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (seen.exists() and seen.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
    assert _refused(seen.read_text())


def test_cli_background_leaves_the_emulator_running(tmp_path):
    log = tmp_path / "emulator.log"
    result = _cli("--background", "--log-file", str(log), "--demo-world")
    assert result.returncode == 0, result.stderr
    url, pid = result.stdout.split()
    pid = int(pid)
    try:
        assert requests.get(url + "/_emulator/health", timeout=5).json()["status"] == "ok"
        assert "elb-emulator listening on " + url in log.read_text()
    finally:
        os.kill(pid, signal.SIGTERM)
    assert _wait_gone(pid)
