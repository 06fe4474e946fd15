# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared fixtures: a fake clock (no real sleeping), HTTP mocked at http.client's boundary, a clean environment."""

from __future__ import annotations

import email.message
import json
import socket
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils import client as client_module
from ansible_collections.lbaas.elb.plugins.module_utils import transport as transport_module
from ansible_collections.lbaas.elb.plugins.module_utils.auth import CLOUD_ENV_VARS, ENV_VARS


class FakeTime:
    """Replaces the ``time`` module inside client.py: sleeping advances a fake monotonic clock."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class FixedRandom:
    """Full jitter with a fixed factor, so backoff delays are predictable."""

    def __init__(self, factor=0.5):
        self.factor = factor

    def random(self):
        return self.factor


@pytest.fixture
def fake_time(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(client_module, "time", fake)
    monkeypatch.setattr(client_module, "random", FixedRandom())
    return fake


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    # A developer's own OS_* settings or clouds.yaml must not leak into the tests.
    for names in ENV_VARS.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    for name in CLOUD_ENV_VARS:
        monkeypatch.delenv(name, raising=False)


class OnConnect:
    """Register ``body=OnConnect(error)``: ``connect()`` raises ``error``, so the request never left."""

    def __init__(self, error):
        self.error = error


class Headers(dict):
    """The headers of a recorded request, looked up without regard to case (as HTTP does)."""

    def __getitem__(self, name):
        for key, value in self.items():
            if key.lower() == name.lower():
                return value
        raise KeyError(name)

    def __contains__(self, name):
        return any(key.lower() == str(name).lower() for key in self)


class Recorded:
    def __init__(self, method, url, headers, body):
        self.method = method
        self.url = url
        self.headers = Headers(headers)
        self.body = body


class Call:
    def __init__(self, request):
        self.request = request


class Canned:
    """One registered answer (or failure) for a method and URL."""

    def __init__(self, method, url, *, status=200, json=None, body=None, headers=None, content_type=None):
        self.method = method
        self.url = url
        self.status = status
        self.error = body if isinstance(body, (BaseException, OnConnect)) else None
        message = email.message.Message()
        if self.error is not None:
            data = b""
        elif json is not None:
            data = _json_dumps(json)
            message["Content-Type"] = content_type or "application/json"
        else:
            data = body if isinstance(body, bytes) else (body or "").encode("utf-8")
            message["Content-Type"] = content_type or "text/plain"
        for name, value in (headers or {}).items():
            message[name] = value
        self.body = data
        self.headers = message
        self.called = False

    def matches(self, method, url):
        if method != self.method:
            return False
        want, got = urlsplit(self.url), urlsplit(url)
        if (want.scheme, want.netloc, want.path) != (got.scheme, got.netloc, got.path):
            return False
        # As ``responses`` does: a registered URL with a query must match it exactly, one without ignores it.
        return not want.query or sorted(parse_qsl(want.query, keep_blank_values=True)) == sorted(parse_qsl(got.query, keep_blank_values=True))


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _json_dumps(data):
    return json.dumps(data).encode("utf-8")


class FakeResponse:
    def __init__(self, canned):
        self.status = canned.status
        self.reason = HTTPStatus(canned.status).phrase
        self.headers = canned.headers
        self.will_close = False
        self._body = canned.body

    def read(self, size):
        chunk, self._body = self._body[:size], self._body[size:]
        return chunk


class FakeHttp:
    """Stands in for http.client: answers registered per method and URL, in order; records every request.

    The API follows ``responses``: ``get/post/put/delete(url, json=, body=, status=, headers=,
    content_type=)``; ``body`` may be an exception, raised after the request was sent (or, wrapped in
    OnConnect, by ``connect()``). An unregistered request fails the test, and so does an unused answer.
    """

    def __init__(self):
        self.registered = []
        self.calls = []
        self.connections = []

    def add(self, method, url, **kwargs):
        self.registered.append(Canned(method, url, **kwargs))

    def get(self, url, **kwargs):
        self.add("GET", url, **kwargs)

    def post(self, url, **kwargs):
        self.add("POST", url, **kwargs)

    def put(self, url, **kwargs):
        self.add("PUT", url, **kwargs)

    def delete(self, url, **kwargs):
        self.add("DELETE", url, **kwargs)

    def find(self, method, url):
        found = [canned for canned in self.registered if not isinstance(canned.error, OnConnect) and canned.matches(method, url)]
        if not found:
            raise AssertionError(f"unexpected request {method} {url}; registered: {[(c.method, c.url) for c in self.registered]}")
        canned = found[0]
        if len(found) > 1:
            # As ``responses`` does: several answers for one request are given once each, in order, and
            # the last one stays; an answer already given makes way for the next one that matches.
            self.registered.remove(canned)
            if canned.called:
                canned = found[1]
                if len(found) > 2:
                    self.registered.remove(canned)
        canned.called = True
        return canned

    def connection_class(self, scheme):
        fake = self

        class FakeConnection:
            def __init__(self, host, port=None, timeout=None, context=None):
                self.scheme, self.host, self.port, self.timeout, self.context = scheme, host, port, timeout, context
                self.tunnel = None
                self.sock = None
                self.peer = None
                self.pending = None
                fake.connections.append(self)

            def set_tunnel(self, host, port=None, headers=None):
                self.tunnel = (host, port, headers)

            def origin(self):
                host, port = (self.tunnel[0], self.tunnel[1]) if self.tunnel else (self.host, self.port)
                default = 443 if self.scheme == "https" else 80
                return f"{self.scheme}://{host}" + ("" if port in (None, default) else f":{port}")

            def connect(self):
                for canned in fake.registered:
                    if isinstance(canned.error, OnConnect) and _origin(canned.url) == self.origin():
                        fake.registered.remove(canned)
                        raise canned.error.error
                self.sock, self.peer = socket.socketpair()

            def request(self, method, target, body=None, headers=None):
                url = target if target.startswith("http") else self.origin() + target
                fake.calls.append(Call(Recorded(method, url, headers or {}, body)))
                canned = fake.find(method, url)
                self.pending = canned

            def getresponse(self):
                canned, self.pending = self.pending, None
                if canned.error is not None:
                    raise canned.error
                return FakeResponse(canned)

            def close(self):
                for end in (self.sock, self.peer):
                    if end is not None:
                        end.close()
                self.sock = self.peer = None

        return FakeConnection

    def check_all_used(self):
        unused = [(c.method, c.url) for c in self.registered if not c.called]
        assert not unused, f"registered but never requested: {unused}"

    def close(self):
        for conn in self.connections:
            conn.close()


@pytest.fixture
def http(monkeypatch):
    """http.client replaced by FakeHttp: any unregistered request fails, every registered one must be called."""
    fake = FakeHttp()
    monkeypatch.setattr(transport_module, "HTTPConnection", fake.connection_class("http"))
    monkeypatch.setattr(transport_module, "HTTPSConnection", fake.connection_class("https"))
    try:
        yield fake
        fake.check_all_used()
    finally:
        fake.close()


def recorded_calls(mock):
    """The calls made, as (method, url, decoded JSON body or None)."""
    calls = []
    for call in mock.calls:
        body = call.request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        calls.append((call.request.method, call.request.url, json.loads(body) if body else None))
    return calls


@pytest.fixture
def calls(http):
    """``calls()`` returns the calls made so far through the ``http`` mock."""
    return lambda: recorded_calls(http)


@pytest.fixture
def on_connect():
    """``on_connect(error)``: a ``body=`` that makes ``connect()`` raise ``error`` (the request never left)."""
    return OnConnect
