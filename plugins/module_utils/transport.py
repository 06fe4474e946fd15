# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP/1.1 for ElbClient on the standard library alone (no Ansible imports, no third-party package).

One kept-alive connection per origin, TLS verified by default, the ``https_proxy``/``http_proxy``/
``no_proxy`` environment honoured, redirects never followed, and every failure sorted by whether the
request can have reached the server (``ambiguous``), which the retry policy needs.
"""

from __future__ import annotations

import base64
import http.client
import os
import select
import socket
import ssl
from urllib.parse import unquote, urlsplit
from urllib.request import getproxies_environment, proxy_bypass_environment

from .errors import ElbError, ElbResponseError, ElbTransportError, excerpt

READ_CHUNK = 64 * 1024
TLS_HINT = "If the server uses a private CA, set the ca_cert option to its CA bundle"
# Honoured when no CA bundle is configured, as the requests library does, for setups that relied on it.
CA_BUNDLE_ENV = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")

# Indirection points of the unit tests (tests/unit/plugins/conftest.py replaces both).
HTTPConnection = http.client.HTTPConnection
HTTPSConnection = http.client.HTTPSConnection


def _reason(err):
    return excerpt(str(err) or type(err).__name__, 300)


def _dropped(sock):
    """True when a kept-alive connection can no longer be used: the server closed it, or sent
    something unasked (an idle connection has nothing to read)."""
    if sock is None:
        return True
    try:
        readable, _w, _x = select.select([sock], [], [], 0)
    except (OSError, ValueError, TypeError):
        return True
    return bool(readable)


class Origin:
    """Where a URL's requests go: the server itself, or an HTTP proxy (CONNECT tunnel for https)."""

    def __init__(self, url):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ElbError(f"cannot send a request to {parts.scheme}://{parts.hostname or ''}: only http and https URLs are supported")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if self.scheme == "https" else 80)
        self.proxy = None  # (host, port, Proxy-Authorization value or None)
        proxy_url = self._proxy_url()
        if proxy_url:
            proxy = urlsplit(proxy_url if "://" in proxy_url else "http://" + proxy_url)
            if proxy.scheme != "http" or not proxy.hostname:
                raise ElbError(f"the {self.scheme}_proxy environment variable must be an http:// proxy URL (host {proxy.hostname or '?'})")
            credentials = None
            if proxy.username is not None:
                pair = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}".encode()
                credentials = "Basic " + base64.b64encode(pair).decode("ascii")
            self.proxy = (proxy.hostname, proxy.port or 80, credentials)

    def _proxy_url(self):
        proxies = getproxies_environment()
        if not proxies or proxy_bypass_environment(f"{self.host}:{self.port}", proxies):
            return None
        return proxies.get(self.scheme) or proxies.get("all")

    @property
    def key(self):
        return (self.scheme, self.host, self.port)

    def describe_proxy(self):
        return f" (through the proxy {self.proxy[0]}:{self.proxy[1]})" if self.proxy else ""


class HttpTransport:
    """Sends one request and returns ``(status, reason, headers, body)``; raises ElbTransportError."""

    def __init__(self, verify=True, max_body=None):
        self.verify = verify
        self.max_body = max_body
        self._context = None
        self._connections = {}

    # -- connections ---------------------------------------------------------------------------------------------

    def ssl_context(self):
        if self._context is None:
            if self.verify is False:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            else:
                cafile = self.verify if isinstance(self.verify, str) else next((os.environ[n] for n in CA_BUNDLE_ENV if os.environ.get(n)), None)
                try:
                    context = ssl.create_default_context(cafile=cafile)
                except (OSError, ssl.SSLError) as err:
                    raise ElbError(f"cannot load the CA bundle {cafile}: {_reason(err)}") from None
            self._context = context
        return self._context

    def _new_connection(self, origin, timeout):
        if origin.proxy:
            proxy_host, proxy_port, credentials = origin.proxy
            if origin.scheme == "https":
                conn = HTTPSConnection(proxy_host, proxy_port, timeout=timeout, context=self.ssl_context())
                conn.set_tunnel(origin.host, origin.port, headers={"Proxy-Authorization": credentials} if credentials else None)
                return conn
            return HTTPConnection(proxy_host, proxy_port, timeout=timeout)
        if origin.scheme == "https":
            return HTTPSConnection(origin.host, origin.port, timeout=timeout, context=self.ssl_context())
        return HTTPConnection(origin.host, origin.port, timeout=timeout)

    def _connection(self, origin, timeout, method, path):
        """A connected connection for ``origin``: the kept-alive one if the server still holds it open."""
        conn = self._connections.pop(origin.key, None)
        if conn is not None and not _dropped(conn.sock):
            conn.sock.settimeout(timeout)
            return conn
        if conn is not None:
            conn.close()
        conn = self._new_connection(origin, timeout)
        try:
            conn.connect()
        except OSError as err:
            conn.close()
            raise self._connect_failure(err, method, path, origin.describe_proxy()) from None
        return conn

    @staticmethod
    def _connect_failure(err, method, path, via):
        """The error of a failed connect(): the request never left, so it is never ambiguous."""
        text = _reason(err)
        if isinstance(err, ssl.SSLError):
            return ElbTransportError(method, path, f"TLS error{via}: {text}. {TLS_HINT}", ambiguous=False, retryable=False)
        if isinstance(err, (socket.timeout, TimeoutError)):
            return ElbTransportError(method, path, f"connect timeout{via}: {text}", ambiguous=False)
        # http.client reports a refused CONNECT as "Tunnel connection failed: <status> <reason>".
        retryable = not text.startswith("Tunnel connection failed: 4")
        return ElbTransportError(method, path, f"connection error{via}: {text}", ambiguous=False, retryable=retryable)

    # -- one request ---------------------------------------------------------------------------------------------

    def send(self, method, url, body, headers, timeout, path):
        origin = Origin(url)
        headers = dict(headers)
        target = url
        if origin.proxy and origin.scheme == "http":
            # A plain-HTTP proxy takes the absolute URL; the tunnel of https needs only the path.
            if origin.proxy[2]:
                headers["Proxy-Authorization"] = origin.proxy[2]
        else:
            parts = urlsplit(url)
            target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        conn = self._connection(origin, timeout, method, path)
        try:
            conn.request(method, target, body=body, headers=headers)
            raw = conn.getresponse()
        except (socket.timeout, TimeoutError) as err:
            conn.close()
            raise ElbTransportError(method, path, f"read timeout after {timeout:.1f}s: {_reason(err)}", ambiguous=True) from None
        except (OSError, http.client.HTTPException) as err:
            conn.close()
            raise ElbTransportError(method, path, f"connection error: {_reason(err)}", ambiguous=True) from None
        try:
            data = self._read_body(raw, method, path)
        except BaseException:
            conn.close()
            raise
        if raw.will_close:
            conn.close()
        else:
            self._connections[origin.key] = conn
        return raw.status, raw.reason, raw.headers, data

    def _read_body(self, raw, method, path):
        chunks = []
        size = 0
        try:
            while True:
                chunk = raw.read(READ_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if self.max_body is not None and size > self.max_body:
                    raise ElbResponseError(
                        status=raw.status,
                        method=method,
                        path=path,
                        problem=f"the body is larger than {self.max_body} bytes",
                        content_type=raw.headers.get("Content-Type"),
                    )
                chunks.append(chunk)
        except (OSError, http.client.HTTPException) as err:
            raise ElbTransportError(method, path, f"connection lost while reading the answer: {_reason(err)}", ambiguous=True) from None
        return b"".join(chunks)
