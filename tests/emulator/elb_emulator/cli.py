"""Command line: parse options, build the emulator, serve until SIGTERM or SIGINT."""

import argparse
import json
import logging
import os
import signal
import sys
import tempfile
import threading

from .app import Emulator
from .config import BATCH_DIALECTS, FLAVORS, ConfigError, default_config, merged_config
from .errors import ERROR_STYLES
from .faults import FaultSpecError
from .server import EmulatorServer, make_tls_context


def build_parser():
    parser = argparse.ArgumentParser(prog="emulator.py", description="ELB v2.0 (Neutron-LBaaS / Octavia), dedicated ELB v3 and IAM emulator on loopback.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default 0)")
    parser.add_argument("--port-file", help="write the chosen port here (atomically) once listening")
    parser.add_argument("--settle-time", type=float, help="seconds a load balancer stays PENDING_UPDATE after each member write (default 0.2)")
    parser.add_argument("--health-delay", type=float, help="seconds a new or re-enabled member of a monitored pool stays OFFLINE (default 0.3)")
    parser.add_argument("--error-style", choices=ERROR_STYLES, help="error envelope (default neutron; octavia with --flavor octavia)")
    parser.add_argument("--flavor", choices=FLAVORS, help="preset: octavia sets octavia errors and batch dialect; dedicated adds the v3 API (default elb)")
    parser.add_argument("--batch-dialect", choices=BATCH_DIALECTS, help="PUT /pools/{id}/members dialect (default elb)")
    parser.add_argument("--demo-world", action="store_true", help="create demo-lb and demo-pool (fixed ids, see README.md)")
    parser.add_argument("--config", help="JSON file with the same keys as PUT /_emulator/config")
    parser.add_argument("--faults", help="JSON file with the same document as POST /_emulator/faults")
    parser.add_argument("--seed", type=int, help="seed of the fault injector's random source")
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS (needs --tls-key)")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--token-ttl", type=float, help="token lifetime in seconds (default 86400)")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines (the default)")
    parser.add_argument("--log-requests", action="store_true", help="log one line per request: method, path, status, time")
    return parser


def _load_json(parser, path, what):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        parser.error("cannot read %s %s: %s" % (what, path, error))
    return None


def build_config(parser, args):
    """Defaults, then the --config file, then explicit options: the command line wins."""
    config = default_config()
    try:
        if args.config:
            config = merged_config(config, _load_json(parser, args.config, "config file"))
        explicit = {}
        for option, key in (
            ("flavor", "flavor"),
            ("error_style", "error_style"),
            ("batch_dialect", "batch_dialect"),
            ("settle_time", "settle_time"),
            ("health_delay", "health_delay"),
            ("token_ttl", "token_ttl"),
        ):
            if getattr(args, option) is not None:
                explicit[key] = getattr(args, option)
        return merged_config(config, explicit)
    except ConfigError as error:
        parser.error(str(error))
    return None


def write_port_file(path, port):
    """Write then rename, so a watcher never reads a half-written file."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".port-", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write("%d\n" % port)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.log_requests and not args.quiet else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    config = build_config(parser, args)
    faults = _load_json(parser, args.faults, "faults file") if args.faults else None
    try:
        app = Emulator(config, demo_world=args.demo_world, seed=args.seed, faults=faults)
    except FaultSpecError as error:
        parser.error("faults file: %s" % error)
    tls_context = make_tls_context(args.tls_cert, args.tls_key) if args.tls_cert else None
    server = EmulatorServer((args.host, args.port), app, tls_context, log_requests=args.log_requests and not args.quiet)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="elb-emulator", daemon=True)
    thread.start()
    if args.port_file:
        write_port_file(args.port_file, server.port)
    print("elb-emulator listening on %s" % server.base_url, flush=True)
    try:
        # A lock wait without timeout is interrupted by signals on POSIX, so the handler runs at once.
        stop.wait()
    finally:
        server.shutdown()
        server.server_close()
        if args.port_file and os.path.exists(args.port_file):
            os.unlink(args.port_file)
    return 0
