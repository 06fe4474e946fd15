"""The command line: the listening line, --port-file, options and files, TLS, clean stop on SIGTERM."""

import datetime
import ipaddress
import json
import os
import signal
import subprocess
import sys

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from emulator_client import Api
from elb_emulator.config import PROJECT_ID
from elb_emulator.demo import DEMO_LB_ID
from elb_emulator.v3_resources import DEMO_V3_POOL_ID

EMULATOR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "emulator.py")


class Process:
    def __init__(self, *args):
        # Lives across the test and is stopped by the fixture, so no ``with`` block.
        command = [sys.executable, EMULATOR] + list(args)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # pylint: disable=consider-using-with
        self.line = self.process.stdout.readline().strip()
        assert self.line.startswith("elb-emulator listening on "), self.process.stderr.read()
        self.base = self.line.rsplit(" ", 1)[1]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(10)
        self.process.stdout.close()
        self.process.stderr.close()
        return code


@pytest.fixture(name="started")
def fixture_started():
    processes = []

    def start(*args):
        process = Process(*args)
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.stop()


def test_listening_line_port_file_demo_world_and_sigterm(started, tmp_path):
    port_file = tmp_path / "port"
    process = started("--port", "0", "--port-file", str(port_file), "--demo-world", "--settle-time", "0", "--health-delay", "1.5")
    port = int(port_file.read_text())
    assert process.base == "http://127.0.0.1:%d" % port
    api = Api(process.base)
    api.login()
    assert api.get("/v2.0/lbaas/loadbalancers/" + DEMO_LB_ID).json()["loadbalancer"]["name"] == "demo-lb"
    config = api.session.get(process.base + "/_emulator/config").json()
    assert (config["settle_time"], config["health_delay"]) == (0, 1.5)
    assert api.session.get(process.base + "/_emulator/health").json()["status"] == "ok"
    assert process.stop() == 0
    assert not port_file.exists()


def test_config_faults_and_flavor_files(started, tmp_path):
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps({"members_per_pool": 7, "error_style": "elb"}))
    faults_file = tmp_path / "faults.json"
    faults_file.write_text(json.dumps({"rules": [{"route": "GET /", "kind": "status", "status": 503, "count": 1}]}))
    process = started(
        "--config",
        str(config_file),
        "--faults",
        str(faults_file),
        "--seed",
        "7",
        "--flavor",
        "octavia",
        "--batch-dialect",
        "none",
        "--token-ttl",
        "60",
        "--quiet",
    )
    config = requests.get(process.base + "/_emulator/config", timeout=5).json()
    assert config["members_per_pool"] == 7
    # The command line wins over the file: --flavor octavia resets the error style of the preset.
    assert (config["flavor"], config["error_style"], config["batch_dialect"], config["token_ttl"]) == ("octavia", "octavia", "none", 60)
    faults = requests.get(process.base + "/_emulator/faults", timeout=5).json()
    assert faults["seed"] == 7 and faults["rules"][0]["remaining"] == 1
    assert requests.get(process.base + "/", timeout=5).status_code == 503
    assert requests.get(process.base + "/", timeout=5).status_code == 200


def test_dedicated_flavor_serves_v3(started):
    process = started("--flavor", "dedicated", "--demo-world", "--health-delay", "0")
    api = Api(process.base)
    api.login()
    response = api.get("/v3/%s/elb/pools/%s/members" % (PROJECT_ID, DEMO_V3_POOL_ID))
    assert response.status_code == 200 and response.json()["page_info"] == {"current_count": 0}


def test_bad_options_fail_fast(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"settle_time": "slow"}))
    result = subprocess.run([sys.executable, EMULATOR, "--config", str(bad)], capture_output=True, text=True, timeout=20, check=False)
    assert result.returncode == 2 and "settle_time" in result.stderr


def _certificate(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / "cert.pem"
    key_path = directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def test_tls(started, tmp_path):
    cert, key = _certificate(tmp_path)
    process = started("--tls-cert", cert, "--tls-key", key, "--demo-world")
    assert process.base.startswith("https://127.0.0.1:")
    with requests.Session() as session:
        session.trust_env = False  # REQUESTS_CA_BUNDLE would override session.verify
        session.verify = cert
        api = Api(process.base, session)
        token = api.login().json()["token"]
        assert token["catalog"][0]["endpoints"][0]["url"].startswith(process.base)
        assert api.get("/v2.0/lbaas/loadbalancers").status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(process.base + "/", timeout=5)
    # A failed handshake does not hurt the server.
    assert requests.get(process.base + "/", timeout=5, verify=cert).status_code == 200
