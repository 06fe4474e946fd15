# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A small HTTP proxy on 127.0.0.1 for proxy.yml: CONNECT tunnels and absolute-form plain HTTP.

Usage: proxy.py PORT_FILE LOG_FILE USER PASSWORD

It demands Basic proxy credentials (407 otherwise), forwards only to 127.0.0.1, and appends one JSON
line per request to LOG_FILE: {"method", "target", "authorized"}; never the credentials themselves.
"""

from __future__ import annotations

import base64
import json
import os
import select
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    expected = ""
    log_path = ""
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def _authorized(self):
        return self.headers.get("Proxy-Authorization", "") == self.expected

    def _record(self, authorized):
        with self.lock, open(self.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"method": self.command, "target": self.path, "authorized": authorized}) + "\n")

    def _refuse(self, status, reason):
        self.send_response(status, reason)
        self.send_header("Proxy-Authenticate", 'Basic realm="test"')
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def do_CONNECT(self):
        authorized = self._authorized()
        self._record(authorized)
        if not authorized:
            self._refuse(407, "Proxy Authentication Required")
            return
        host, _sep, port = self.path.rpartition(":")
        if host != "127.0.0.1":
            self._refuse(403, "Forbidden")
            return
        upstream = socket.create_connection((host, int(port)), timeout=30)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self._pump(self.connection, upstream)
        self.close_connection = True

    @staticmethod
    def _pump(client, upstream):
        sockets = [client, upstream]
        try:
            while True:
                readable, _w, _x = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()

    def _forward(self):
        authorized = self._authorized()
        self._record(authorized)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if not authorized:
            self._refuse(407, "Proxy Authentication Required")
            return
        target = urlsplit(self.path)
        if target.scheme != "http" or target.hostname != "127.0.0.1":
            self._refuse(403, "Forbidden")
            return
        upstream = socket.create_connection((target.hostname, target.port or 80), timeout=30)
        try:
            path = (target.path or "/") + ("?" + target.query if target.query else "")
            lines = [f"{self.command} {path} HTTP/1.1"]
            for name, value in self.headers.items():
                if name.lower() not in ("proxy-authorization", "proxy-connection", "connection"):
                    lines.append(f"{name}: {value}")
            lines.append("Connection: close")
            upstream.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            answer = b""
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                answer += data
        finally:
            upstream.close()
        # The upstream answer ends with its connection: pass it on saying so, and close ours too.
        head, _sep, rest = answer.partition(b"\r\n\r\n")
        lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
        self.wfile.write(b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + rest)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _forward


def main():
    port_file, log_path, user, password = sys.argv[1:5]
    ProxyHandler.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    ProxyHandler.log_path = log_path
    server = ThreadingHTTPServer(("127.0.0.1", 0), ProxyHandler)
    server.daemon_threads = True
    with open(port_file + ".tmp", "w", encoding="utf-8") as handle:
        handle.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
