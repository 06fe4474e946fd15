# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""An API server on 127.0.0.1 that misbehaves on purpose, for echo.yml.

Usage: hostile_server.py PORT_FILE

The first path segment picks the misbehaviour, so one process serves every scenario: a module gets
``endpoint: http://127.0.0.1:PORT/<mode>`` (and ``auth_url: .../<mode>/v3``). The segment may carry a
label after a dot (``echo-go.password``): the same mode, counted apart in the log. Modes:

  echo-go, echo-go-api, echo-php  a 401 JSON body that quotes the request's credential the way Go's
                                  encoding/json or PHP's json_encode escape it (an unknown envelope,
                                  and for echo-go-api the API gateway's)
  echo-html, echo-html-raw        a 401 HTML page quoting the credential in HTML entities, or raw
  straddle-text, straddle-json    a 401 whose credential starts 190 characters in, across the
  straddle-api                    200-character excerpt cut (text/plain, an unknown JSON envelope),
                                  or across the 1024-character cut of the API's own message
  iam-echo                        IAM answers 401 and echoes the whole token request, password included
  drip                            a 503 whose body arrives one byte per second
  redirect                        a 302 to another host and path
  redirect-token                  the same, with the credential in the Location's query, percent-encoded
                                  as Python's quote() does by default (``/`` left as it is)
  nested                          a 200 of JSON nested 100,000 levels deep
  huge                            a 200 of 11 MiB, delimited by closing the connection
  next-away                       a member list whose next link leaves the list's path
  next-forever                    a member list that invents a new next link on every page
  anything else                   404 (local-only: the requests that must never be sent)

The "credential" is the X-Auth-Token of the request, or, when that is a token this server issued, the
password it was issued for. Any mode but iam-echo issues a token to POST .../v3/auth/tokens.
GET /_log answers {SEGMENT: {"count": N, "requests": ["METHOD PATH", ...]}} for each first path
segment seen (paths only: the log never holds a credential).
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

CUT_AT = 190
API_CUT_AT = 1015
DRIP_BYTES = 40
NESTING = 100_000
HUGE_BYTES = 11 * 1024 * 1024
LOG_SHOWN = 50
MEMBERS_RE = re.compile(r"^/[^/]+/v2\.0/lbaas/pools/[^/]+/members$")

# What every handler thread shares: the request log (first path segment -> "METHOD PATH" lines), and each
# issued token with the password it was issued for.
LOCK = threading.Lock()
LOG = {}
ISSUED = {}


def go_json(data):
    """JSON as Go's encoding/json writes it: <, > and & as \\u003c, \\u003e, \\u0026 (and, here, any
    non-ASCII character as a lowercase \\u escape)."""
    text = json.dumps(data)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def php_json(data):
    """JSON as PHP's json_encode writes it by default: / as \\/, and \\u escapes in uppercase hex."""
    text = json.dumps(data).replace("/", "\\/")
    return re.sub(r"\\u([0-9a-f]{4})", lambda match: "\\u" + match.group(1).upper(), text)


def padding(length):
    """Plain words, single-spaced, exactly ``length`` characters, ending with one space (an excerpt that
    collapses whitespace keeps every character where it was)."""
    words = ("The request was refused by the upstream authentication service. " * (length // 20 + 2))[: length - 1]
    return words.rstrip().ljust(length - 1, ".") + " "


class HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: with Nagle's algorithm on, each answer would wait for
    # the client's delayed ACK (about 40 ms), and the thousand pages of next-forever would take a minute.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    # -- plumbing ----------------------------------------------------------------------------------------------

    def _answer(self, status, body, content_type="application/json", headers=()):
        data = body.encode("utf-8") if isinstance(body, str) else body
        with LOCK:
            request_id = f"req-{self.mode}-{len(LOG.get(self.mode, ())):04d}"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-Id", request_id)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _record(self):
        with LOCK:
            LOG.setdefault(self.mode, []).append(f"{self.command} {self.path_only}")

    def _credential(self):
        token = self.headers.get("X-Auth-Token", "")
        with LOCK:
            return ISSUED.get(token, token)

    def _handle(self):
        parts = urlsplit(self.path)
        self.path_only = parts.path
        self.mode = parts.path.strip("/").split("/", 1)[0]
        self.kind = self.mode.split(".", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        self.request_body = self.rfile.read(length) if length else b""
        if self.mode == "_log":
            with LOCK:
                seen = {mode: {"count": len(requests), "requests": requests[:LOG_SHOWN]} for mode, requests in LOG.items()}
            self._answer(200, json.dumps(seen))
            return
        self._record()
        try:
            if parts.path.endswith("/v3/auth/tokens") and self.command == "POST":
                self._iam()
            else:
                handler = getattr(self, "mode_" + self.kind.replace("-", "_"), None)
                if handler is None:
                    self._answer(404, json.dumps({"error_code": "NOT_FOUND", "error_msg": "no such mode"}))
                else:
                    handler(parts)
        except OSError:
            # The client hung up on a slow or long answer: that is the point of those modes.
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    # -- IAM ----------------------------------------------------------------------------------------------------

    def _iam(self):
        try:
            request = json.loads(self.request_body)
        except ValueError:
            request = {}
        if self.kind == "iam-echo":
            # Some identity services quote the request in their error: the password goes with it.
            message = "Rejected request: " + php_json(request)
            envelope = {"error": {"code": 401, "title": "Unauthorized", "message": message}}
            self._answer(401, php_json(envelope))
            return
        try:
            password = request["auth"]["identity"]["password"]["user"]["password"]
        except (KeyError, TypeError):
            password = ""
        with LOCK:
            token = f"Tok-ISSUED-SENTINEL-{len(ISSUED) + 1:04d}"
            ISSUED[token] = password
        body = {"token": {"expires_at": "2099-01-01T00:00:00.000000Z", "catalog": [], "project": {"id": "0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e"}}}
        self._answer(201, json.dumps(body), headers=[("X-Subject-Token", token)])

    # -- echoes of the credential -------------------------------------------------------------------------------

    def mode_echo_go(self, _parts):
        body = {"errors": [{"code": "credential_rejected", "detail_text": f'the credential "{self._credential()}" is not valid'}]}
        self._answer(401, go_json(body))

    def mode_echo_go_api(self, _parts):
        message = f'Incorrect IAM authentication information: credential "{self._credential()}" rejected'
        self._answer(401, go_json({"error_code": "APIGW.0301", "error_msg": message, "request_id": "req-go-api"}))

    def mode_echo_php(self, _parts):
        body = {"status": "error", "reason": f'the credential "{self._credential()}" is not valid'}
        self._answer(401, php_json(body))

    def mode_echo_html(self, _parts):
        quoted = html.escape(self._credential()).encode("ascii", "xmlcharrefreplace").decode("ascii")
        page = (
            "<html><head><title>401 Unauthorized</title></head><body><h1>Unauthorized</h1>"
            f"<p>The credential <code>{quoted}</code> was rejected.</p></body></html>"
        )
        self._answer(401, page, "text/html; charset=utf-8")

    def mode_echo_html_raw(self, _parts):
        page = f"<html><body><h1>401 Unauthorized</h1><p>Bad token: {self._credential()}</p></body></html>"
        self._answer(401, page, "text/html; charset=utf-8")

    def mode_straddle_text(self, _parts):
        self._answer(401, padding(CUT_AT) + self._credential() + " was not accepted", "text/plain; charset=utf-8")

    def mode_straddle_json(self, _parts):
        prefix = '{"trace": "'
        body = {"trace": padding(CUT_AT - len(prefix)) + self._credential() + " was not accepted"}
        self._answer(401, json.dumps(body))

    def mode_straddle_api(self, _parts):
        message = padding(API_CUT_AT) + self._credential() + " was not accepted"
        self._answer(401, json.dumps({"error_code": "APIGW.0301", "error_msg": message, "request_id": "req-straddle-api"}))

    # -- answers that are slow, misleading or too big -----------------------------------------------------------

    def mode_drip(self, _parts):
        body = json.dumps({"error": {"code": "busy", "message": "x" * DRIP_BYTES}}).encode("ascii")[:DRIP_BYTES]
        self.close_connection = True
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for index in range(len(body)):
            self.wfile.write(body[index : index + 1])
            self.wfile.flush()
            time.sleep(1)

    def mode_redirect(self, parts):
        port = self.server.server_address[1]
        self.close_connection = True
        target = f"http://localhost:{port}/redirected/{parts.path.split('/', 2)[2]}"
        self._answer(302, "", headers=[("Location", target)])

    def mode_redirect_token(self, parts):
        port = self.server.server_address[1]
        self.close_connection = True
        target = f"http://localhost:{port}/redirected/{parts.path.split('/', 2)[2]}?sso_token={quote(self._credential())}"
        self._answer(302, "", headers=[("Location", target)])

    def mode_redirected(self, _parts):
        self._answer(200, json.dumps({"members": []}))

    def mode_nested(self, _parts):
        self._answer(200, "[" * NESTING + "]" * NESTING)

    def mode_huge(self, _parts):
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b'{"members": [')
        block = b" " * 65536
        for _block in range(HUGE_BYTES // len(block)):
            self.wfile.write(block)
        self.wfile.write(b"]}")

    def _member_page(self, page, href):
        member = {"id": f"00000000-0000-4000-8000-{page:012d}", "address": "10.99.0.1", "protocol_port": 1, "name": "", "weight": 1}
        self._answer(200, json.dumps({"members": [member], "members_links": [{"rel": "next", "href": href}]}))

    def mode_next_away(self, parts):
        if not MEMBERS_RE.match(parts.path) or self.command != "GET":
            # Where a client that follows the link ends up: nothing here, so it would go on to create.
            status = 200 if self.command == "GET" else 500
            self._answer(status, json.dumps({"members": []} if status == 200 else {"error_code": "E", "error_msg": "no"}))
            return
        self._member_page(0, parts.path.replace("/lbaas/pools/", "/lbaas/elsewhere/", 1) + "?marker=1")

    def mode_next_forever(self, parts):
        if self.command != "GET":
            self._answer(500, json.dumps({"error_code": "E", "error_msg": "no"}))
            return
        page = int(parse_qs(parts.query).get("marker", ["0"])[0])
        self._member_page(page, f"{parts.path}?marker={page + 1}")


def main():
    port_file = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileHandler)
    server.daemon_threads = True
    with open(port_file + ".tmp", "w", encoding="utf-8") as handle:
        handle.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
