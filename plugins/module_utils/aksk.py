# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The SDK-HMAC-SHA256 request signer of Open Telekom Cloud and Huawei Cloud AK/SK auth: pure functions
(no Ansible imports, no I/O).  ELB_API.md section 7 describes the algorithm and its test vectors."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, quote, unquote, urlsplit

SDK_ALGORITHM = "SDK-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
SDK_DATE_HEADER = "X-Sdk-Date"


def sdk_escape(value):
    """Percent-encode everything except A-Z a-z 0-9 - _ . ~ (uppercase hex), like the SDK signer."""
    return quote(value, safe="~")


def canonical_uri(path):
    """Each path segment (decoded, then re-encoded); a trailing ``/`` is always present."""
    uri = "/".join(sdk_escape(unquote(segment)) for segment in (path or "/").split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query):
    pairs = {}
    for key, value in parse_qsl(query or "", keep_blank_values=True):
        pairs.setdefault(key, []).append(value)
    return "&".join(f"{sdk_escape(key)}={sdk_escape(value)}" for key in sorted(pairs) for value in sorted(pairs[key]))


def canonical_request(method, path, query, headers, body):
    """The canonical request of SDK-HMAC-SHA256; ``headers`` are exactly the headers to sign."""
    names = sorted(name.lower() for name in headers)
    values = {name.lower(): str(value).strip() for name, value in headers.items()}
    content_hash = values.get("x-sdk-content-sha256") or hashlib.sha256(body or b"").hexdigest()
    return "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            "".join(f"{name}:{values[name]}\n" for name in names),
            ";".join(names),
            content_hash,
        ]
    )


def string_to_sign(canonical, sdk_date):
    return "{}\n{}\n{}".format(SDK_ALGORITHM, sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def sdk_signature(secret_key, text):
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(access_key, secret_key, *, method, path, query, headers, body):
    """The ``Authorization`` value for a request; ``headers`` must include X-Sdk-Date and are all signed."""
    sdk_date = next(value for name, value in headers.items() if name.lower() == SDK_DATE_HEADER.lower())
    canonical = canonical_request(method, path, query, headers, body)
    signature = sdk_signature(secret_key, string_to_sign(canonical, sdk_date))
    signed = ";".join(sorted(name.lower() for name in headers))
    return f"{SDK_ALGORITHM} Access={access_key}, SignedHeaders={signed}, Signature={signature}"


def host_header(url):
    """The Host header as HTTP clients send it: hostname, and the port only when it is not the default."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default = 443 if parts.scheme == "https" else 80
    if parts.port and parts.port != default:
        host += f":{parts.port}"
    return host
