# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ElbClient against a real HTTP server on loopback: what ``responses`` cannot show.

One session keeps its connection alive (the client reads each body to the end, so the connection goes back
to the pool), a connection the server closes is replaced, and a body sent slowly cannot hold the task past
its deadline. A header value that HTTP cannot carry fails without being shown.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbError, ElbTimeoutError, ElbTransportError

BODY = json.dumps({"members": []}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the answer says otherwise

    def do_GET(self):  # the name http.server calls
        self.server.peers.append(self.client_address)
        if self.path.startswith("/slow"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _byte in range(1000):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass  # the client gave up and closed the connection, as it should
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        if self.path.startswith("/close"):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin  # the signature of http.server
        pass


@pytest.fixture
def server(monkeypatch):
    # requests reads proxies from the environment: loopback must be reached directly.
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.peers = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def endpoint_of(server):
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_one_session_keeps_the_connection_alive(server):
    client = ElbClient(endpoint_of(server), TokenAuth("tok"), timeout=30, api_timeout=5)
    for _request in range(3):
        assert client.get("/v2.0/lbaas/members") == {"members": []}
    assert len(server.peers) == 3
    assert len(set(server.peers)) == 1, "every request must reuse the kept-alive connection"


def test_a_connection_the_server_closed_is_replaced(server):
    client = ElbClient(endpoint_of(server), TokenAuth("tok"), timeout=30, api_timeout=5)
    client.get("/close/v2.0/lbaas/members")
    client.get("/v2.0/lbaas/members")
    assert len(server.peers) == 2 and len(set(server.peers)) == 2


def test_a_slow_body_does_not_hold_the_task_past_its_deadline(server):
    client = ElbClient(endpoint_of(server), TokenAuth("tok"), timeout=1, api_timeout=1)
    started = time.monotonic()
    with pytest.raises(ElbTimeoutError) as info:
        client.get("/slow")
    # The deadline, plus at most one api_timeout for the read that was waiting when it passed.
    assert time.monotonic() - started < 1 + 1 + 0.5
    assert "the rest of the answer to GET /slow" in info.value.message


@pytest.mark.parametrize("token", ["abc\r\nX-Injected: SENTINEL", "t\u00f6k\u20acn-SENTINEL"], ids=["crlf", "not-latin-1"])
def test_a_header_value_http_cannot_carry_is_reported_without_it(server, token):
    # check_settings refuses such values before a client exists; this is the client's own last line.
    client = ElbClient(endpoint_of(server), TokenAuth(token), timeout=5, api_timeout=5)
    with pytest.raises(ElbError) as info:
        client.get("/v2.0/lbaas/members")
    assert not isinstance(info.value, ElbTransportError)  # not retried
    assert "SENTINEL" not in info.value.message and "X-Injected" not in info.value.message
    assert "was not sent: a header value holds a character that HTTP cannot carry" in info.value.message
    assert server.peers == []
