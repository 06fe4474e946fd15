"""The HTTP layer: a threading HTTP/1.1 server, request pipeline, fault application and response writing.

Pipeline for one request: read the body (413 above 1 MiB), match the raw path, count it, pick a fault,
authenticate, run the handler, render any error in the configured style, write the response.
``/_emulator/`` requests skip counting, faults and authentication.  Nothing here logs headers or
bodies: they carry tokens, passwords and signatures.
"""

import io
import logging
import socket
import ssl
import struct
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .control import handle_control, is_control_path
from .errors import ApiError, GatewayError, KeystoneError, internal_error, loadbalancer_busy
from .http_types import Request, Response, json_response
from .iam import authenticate

LOG = logging.getLogger("elb_emulator")
MAX_BODY = 1024 * 1024
HUGE_CHUNK = 64 * 1024
UNKNOWN_LB_ID = "00000000-0000-0000-0000-000000000000"


class BodyTooLarge(Exception):
    """The declared or streamed body is above MAX_BODY."""


class BadBody(Exception):
    """The request framing (Content-Length or chunked encoding) is unusable."""


class _Abort:
    """Marker result: drop the connection without answering."""


ABORT = _Abort()


def split_target(target):
    """(raw path, raw query) of the request target, exactly as received."""
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        return parts.path or "/", parts.query
    path, query = (target.split("?", 1) + [""])[:2]
    return path.split("#", 1)[0], query.split("#", 1)[0]


def _query_dict(req):
    query = {}
    for key, value in req.query:
        query.setdefault(key, []).append(value)
    return query


def render_exception(app, req, error):
    if isinstance(error, ApiError):
        if req.route is not None and req.route.is_v3:
            return json_response(error.status, error.render_v3(req.request_id))
        return json_response(error.status, error.render(app.config["error_style"]))
    if isinstance(error, GatewayError):
        return json_response(error.status, error.render(req.request_id), headers=error.headers)
    if isinstance(error, KeystoneError):
        return json_response(error.status, error.render())
    raise TypeError(error)


def dispatch(app, req, route, params):
    """Authenticate and run the handler; every error becomes a response, and the server keeps serving."""
    try:
        if route is None:
            raise GatewayError(404)
        req.route = route
        req.params = params
        if route.auth:
            req.project_id = authenticate(app, req)
        return route.handler(app, req)
    except (ApiError, GatewayError, KeystoneError) as error:
        return render_exception(app, req, error)
    except Exception:  # pylint: disable=broad-except
        LOG.exception("unexpected error while handling %s %s", req.method, route.key if route else req.raw_path)
        return render_exception(app, req, internal_error())


def _busy_lb_id(app, params):
    _world, pool = app.find_pool(params.get("pool_id", ""))
    if pool is not None:
        return pool.loadbalancer_id
    return params.get("loadbalancer_id", UNKNOWN_LB_ID)


def _huge_stream(size):
    """A syntactically valid JSON document of exactly ``size`` bytes, produced chunk by chunk."""
    head = b'{"members": ['
    item = b'{"id": "00000000-0000-0000-0000-000000000000", "name": "huge", "address": "10.0.0.1", "protocol_port": 80}'
    tail = b"]}"
    room = size - len(head) - len(tail)
    count = max(0, (room + 2) // (len(item) + 2))
    padding = room - (count * len(item) + max(0, count - 1) * 2)
    yield head
    buffer = []
    buffered = 0
    for index in range(count):
        buffer.append((b", " if index else b"") + item)
        buffered += len(buffer[-1])
        if buffered >= HUGE_CHUNK:
            yield b"".join(buffer)
            buffer, buffered = [], 0
    if buffer:
        yield b"".join(buffer)
    while padding > 0:
        step = min(padding, HUGE_CHUNK)
        yield b" " * step
        padding -= step
    yield tail


def fault_response(app, req, fault, params):
    """The answer a fault gives before processing; None means "process the request" (delay, lost_response)."""
    kind = fault.kind
    if kind == "status":
        return render_exception(app, req, GatewayError(fault.status))
    if kind == "throttle":
        retry_after = fault.retry_after
        text = "%d" % retry_after if float(retry_after).is_integer() else "%g" % retry_after
        return render_exception(app, req, GatewayError(429, headers=[("Retry-After", text)]))
    if kind == "reset":
        return ABORT
    if kind == "busy":
        return render_exception(app, req, loadbalancer_busy(_busy_lb_id(app, params)))
    if kind == "raw":
        return Response(fault.status, fault.body.encode("utf-8"), content_type=fault.content_type or None)
    if kind == "huge":
        return Response(200, stream=_huge_stream(fault.size), length=fault.size)
    if kind == "delay":
        time.sleep(fault.delay)
    return None


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "elb-emulator/1.0"
    sys_version = ""
    # Idle keep-alive connections are dropped after this; a ``delay`` fault sleeps server-side and is unaffected.
    timeout = 300
    # Buffered writes send headers and a small body in one segment (no Nagle/delayed-ACK stalls).
    wbufsize = 64 * 1024

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            # Before the stream files exist, so a failed handshake leaves nothing half set up.
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """BaseHTTPRequestHandler's own lines (malformed request lines) go to the debug log only."""
        LOG.debug("%s %s", self.address_string(), format % args)

    def log_request(self, code="-", size="-"):
        """Per-request lines are written by _log_line, which never includes the query, headers or body."""

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _read_chunked(self):
        chunks = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise BadBody("bad chunk size") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                raise BodyTooLarge()
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            size = int(length)
        except ValueError:
            raise BadBody("bad Content-Length") from None
        if size < 0:
            raise BadBody("bad Content-Length")
        if size > MAX_BODY:
            raise BodyTooLarge()
        return self.rfile.read(size) if size else b""

    def _handle(self):
        app = self.server.app
        started = time.monotonic()
        request_id = "req-" + str(uuid.uuid4())
        raw_path, raw_query = split_target(self.path)
        method = self.command
        try:
            body = self._read_body()
            framing_error = None
        except BodyTooLarge:
            body, framing_error = b"", GatewayError(413)
        except BadBody as error:
            body, framing_error = b"", GatewayError(400, "Bad request: %s" % error, "APIGW.0201")
        req = Request(method, raw_path, raw_query, self.headers, body, self.server.scheme, self.server.server_address[:2])
        req.request_id = request_id

        if is_control_path(raw_path):
            if framing_error is not None:
                self.close_connection = True
                response = json_response(framing_error.status, {"error": framing_error.message})
            else:
                response = handle_control(app, req)
            self._send(response, request_id)
            return

        route, params = app.router.match(method, raw_path)
        if route is not None and not route.served(app.config):
            route, params = None, {}
        # Known before any fault is applied, so a fault on a v3 route answers in the v3 envelope.
        req.route = route
        route_key = route.key if route is not None else "%s <unmatched>" % method
        app.recorder.count(method, route_key)
        entry = {
            # Wall-clock arrival time, so tests can measure the spacing of polls.
            "time": round(time.time(), 6),
            "method": method,
            "raw_path": raw_path,
            "path": req.path,
            "query": _query_dict(req),
            "raw_query": raw_query,
            "route": route_key,
            "status": None,
            "fault": None,
        }
        try:
            if framing_error is not None:
                # The unread body would corrupt the next request on this connection.
                self.close_connection = True
                response = render_exception(app, req, framing_error)
            else:
                response = self._process(app, req, route, params, route_key, entry)
            if response is ABORT:
                self._abort_connection()
                return
            entry["status"] = response.status
            self._send(response, request_id)
        finally:
            app.recorder.log(entry)
            self._log_line(method, raw_path, entry["status"], entry["fault"], started)

    def _process(self, app, req, route, params, route_key, entry):
        fault = app.faults.choose(route_key)
        if fault is None:
            return dispatch(app, req, route, params)
        entry["fault"] = fault.kind
        response = fault_response(app, req, fault, params)
        if response is not None:
            return response
        response = dispatch(app, req, route, params)
        if fault.kind == "lost_response":
            # The write is committed; only the answer is lost.
            entry["status"] = response.status
            return ABORT
        return response

    def _send(self, response, request_id):
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        if response.status not in (204, 304) and response.status >= 200:
            self.send_header("Content-Length", str(response.length))
        self.send_header("X-Request-Id", request_id)
        if self.server.app.config["flavor"] == "octavia":
            self.send_header("x-openstack-request-id", request_id)
        for name, value in response.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD" or response.status in (204, 304):
            return
        if response.stream is not None:
            for chunk in response.stream:
                self.wfile.write(chunk)
        elif response.body:
            self.wfile.write(response.body)

    def _abort_connection(self):
        """Close with SO_LINGER 0 so the client sees a reset rather than an orderly end of stream."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        for stream in (self.rfile, self.wfile):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        try:
            self.connection.close()
        except OSError:
            pass
        # handle_one_request flushes wfile after the method returns.
        self.wfile = io.BytesIO()

    def _log_line(self, method, raw_path, status, fault, started):
        if self.server.log_requests:
            shown = "dropped" if status is None else status
            LOG.info("%s %s %s%s %.1fms", method, raw_path, shown, " (%s)" % fault if fault else "", (time.monotonic() - started) * 1000)


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app, tls_context=None, log_requests=False):
        self.app = app
        self.scheme = "https" if tls_context is not None else "http"
        self.log_requests = log_requests
        super().__init__(address, RequestHandler)
        if tls_context is not None:
            # The handshake runs in the handler thread (setup), so a slow client cannot block accept().
            self.socket = tls_context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    @property
    def port(self):
        return self.server_address[1]

    @property
    def base_url(self):
        host = self.server_address[0]
        return "%s://%s:%d" % (self.scheme, "[%s]" % host if ":" in host else host, self.server_address[1])

    def handle_error(self, request, client_address):
        """Resets, TLS failures and clients that vanish are routine under fault injection: debug level only."""
        LOG.debug("connection from %s ended with an error", client_address, exc_info=True)


def make_tls_context(cert_file, key_file):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    return context


def serve_in_background(app, host="127.0.0.1", port=0, tls_context=None, log_requests=False):
    """Start a server on a daemon thread; returns (server, thread). Stop with server.shutdown(); server.server_close()."""
    server = EmulatorServer((host, port), app, tls_context, log_requests)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="elb-emulator", daemon=True)
    thread.start()
    return server, thread
