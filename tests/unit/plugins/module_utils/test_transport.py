# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HttpTransport: proxies from the environment, TLS settings, errors that name the proxy but not its password."""

from __future__ import annotations

import base64
import ssl

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbError, ElbTransportError
from ansible_collections.lbaas.elb.plugins.module_utils.transport import HttpTransport, Origin

HTTPS_ENDPOINT = "https://elb.example.test"
HTTP_ENDPOINT = "http://elb.example.test:8080"
PATH = "/v2.0/lbaas/pools/p1/members"
PROXY_PASSWORD = "pr0xy-s3cret"


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)


def client(endpoint):
    return ElbClient(endpoint, TokenAuth("tok"), timeout=60)


def test_direct_connection_without_proxy_settings(http):
    http.get(HTTPS_ENDPOINT + PATH, json={})
    client(HTTPS_ENDPOINT).get(PATH)
    conn = http.connections[0]
    assert (conn.scheme, conn.host, conn.port, conn.tunnel) == ("https", "elb.example.test", 443, None)


def test_https_goes_through_a_connect_tunnel_with_proxy_credentials(http, monkeypatch):
    monkeypatch.setenv("https_proxy", f"http://ops:{PROXY_PASSWORD}@proxy.example.test:3128")
    http.get(HTTPS_ENDPOINT + PATH, json={})
    client(HTTPS_ENDPOINT).get(PATH)
    conn = http.connections[0]
    assert (conn.scheme, conn.host, conn.port) == ("https", "proxy.example.test", 3128)
    host, port, headers = conn.tunnel
    assert (host, port) == ("elb.example.test", 443)
    assert headers == {"Proxy-Authorization": "Basic " + base64.b64encode(f"ops:{PROXY_PASSWORD}".encode()).decode()}
    # The tunnel carries the credentials to the proxy; the API request itself never does.
    assert "Proxy-Authorization" not in http.calls[0].request.headers


def test_plain_http_through_a_proxy_sends_the_absolute_url(http, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "proxy.example.test:3128")
    http.get(HTTP_ENDPOINT + PATH, json={})
    client(HTTP_ENDPOINT).get(PATH)
    conn = http.connections[0]
    assert (conn.scheme, conn.host, conn.port, conn.tunnel) == ("http", "proxy.example.test", 3128, None)
    assert http.calls[0].request.url == HTTP_ENDPOINT + PATH


@pytest.mark.parametrize("no_proxy", ["elb.example.test", ".example.test", "*", "other.test,elb.example.test"])
def test_no_proxy_bypasses_the_proxy(http, monkeypatch, no_proxy):
    monkeypatch.setenv("https_proxy", "http://proxy.example.test:3128")
    monkeypatch.setenv("no_proxy", no_proxy)
    http.get(HTTPS_ENDPOINT + PATH, json={})
    client(HTTPS_ENDPOINT).get(PATH)
    assert http.connections[0].host == "elb.example.test"


def test_refused_tunnel_names_the_proxy_but_not_its_password(http, monkeypatch, on_connect):
    monkeypatch.setenv("https_proxy", f"http://ops:{PROXY_PASSWORD}@proxy.example.test:3128")
    http.get(HTTPS_ENDPOINT + PATH, body=on_connect(OSError("Tunnel connection failed: 407 Proxy Authentication Required")))
    with pytest.raises(ElbTransportError) as info:
        client(HTTPS_ENDPOINT).get(PATH)
    assert "proxy.example.test:3128" in info.value.message and "407" in info.value.message
    assert PROXY_PASSWORD not in str(info.value) and "ops:" not in str(info.value)
    assert info.value.retryable is False and info.value.ambiguous is False


def test_a_proxy_that_is_not_http_is_refused_clearly(monkeypatch):
    monkeypatch.setenv("https_proxy", f"socks5://ops:{PROXY_PASSWORD}@proxy.example.test:1080")
    with pytest.raises(ElbError) as info:
        Origin(HTTPS_ENDPOINT + PATH)
    assert "https_proxy" in str(info.value) and "http://" in str(info.value)
    assert PROXY_PASSWORD not in str(info.value)


def test_tls_is_verified_by_default():
    context = HttpTransport().ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname is True


def test_validate_certs_false_turns_verification_off():
    context = HttpTransport(verify=False).ssl_context()
    assert context.verify_mode == ssl.CERT_NONE and context.check_hostname is False


def test_unreadable_ca_bundle_is_a_clear_error(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    with pytest.raises(ElbError) as info:
        HttpTransport(verify=str(bundle)).ssl_context()
    assert str(bundle) in str(info.value)


def test_requests_ca_bundle_is_honoured_when_no_ca_cert_is_set(tmp_path, monkeypatch):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    # Proved by the file being read: its content is not a certificate.
    with pytest.raises(ElbError) as info:
        HttpTransport().ssl_context()
    assert str(bundle) in str(info.value)
