# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a failed ``requests`` call means for the retry policy (no Ansible imports).

A failure before the request left (connect error or timeout, TLS, proxy) is never ambiguous; one after it
left (read timeout, reset, broken body) is: the server may have acted on it. Errors no retry can mend
(an invalid URL or header, an unreadable header block) are not retried.
"""

from __future__ import annotations

import ipaddress

from .errors import ElbError, ElbTransportError

try:
    from requests import exceptions as requests_errors
except ImportError:
    requests_errors = None  # module.py reports the missing library before anything is sent

TLS_HINT = "If the server uses a private CA, set the ca_cert option to its CA bundle"
# The standard library's errors for a header block no client can read, whatever it retries.
PERMANENT_PROTOCOL_ERRORS = ("LineTooLong",)
PERMANENT_PROTOCOL_MARKERS = ("got more than",)


def _reason(err):
    text = str(err) or type(err).__name__
    return text if len(text) <= 300 else text[:300] + "..."


def _causes(err):
    """``err`` and what it wraps: requests keeps urllib3's error in ``args``, urllib3 its cause in ``reason``."""
    seen, pending = [], [err]
    while pending and len(seen) < 10:
        current = pending.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        pending.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
        # urllib3 keeps a text in ``reason`` at times: only exceptions are followed.
        wrapped = (getattr(current, "reason", None), current.__cause__, current.__context__)
        pending.extend(cause for cause in wrapped if isinstance(cause, BaseException))
    return seen


def _connect_failed(err):
    """True when urllib3 could not open the connection (refused, name resolution, connect timeout)."""
    names = {type(cause).__name__ for cause in _causes(err)}
    return bool(names & {"NewConnectionError", "NameResolutionError", "ConnectTimeoutError"})


def _permanent_protocol_error(err):
    for cause in _causes(err):
        if type(cause).__name__ in PERMANENT_PROTOCOL_ERRORS or any(marker in str(cause) for marker in PERMANENT_PROTOCOL_MARKERS):
            return True
    return False


def transport_error(err, method, path):
    """The ElbError of a requests exception, sorted by whether the request may have reached the server."""
    text = _reason(err)
    if isinstance(err, (requests_errors.InvalidURL, requests_errors.InvalidSchema, requests_errors.MissingSchema)):
        return ElbError(f"{method} {path} was not sent: the URL is not valid ({type(err).__name__})")
    if isinstance(err, (requests_errors.InvalidHeader, UnicodeError)) or not isinstance(err, requests_errors.RequestException):
        # Never the value (the standard library's and requests' texts quote it): it may be a credential.
        return ElbError(f"{method} {path} was not sent: a header value holds a character that HTTP cannot carry (such as CR or LF)")
    if isinstance(err, requests_errors.SSLError):
        return ElbTransportError(method, path, f"TLS error: {text}. {TLS_HINT}", ambiguous=False, retryable=False)
    if isinstance(err, requests_errors.ProxyError):
        # A proxy that refuses the tunnel with a 4xx will refuse it again.
        return ElbTransportError(method, path, f"proxy error: {text}", ambiguous=False, retryable="Tunnel connection failed: 4" not in text)
    if isinstance(err, requests_errors.ConnectTimeout):
        return ElbTransportError(method, path, f"connect timeout: {text}", ambiguous=False)
    if isinstance(err, requests_errors.ReadTimeout):
        return ElbTransportError(method, path, f"read timeout: {text}", ambiguous=True)
    if isinstance(err, requests_errors.ConnectionError):
        if _connect_failed(err):
            return ElbTransportError(method, path, f"connection error: {text}", ambiguous=False)
        if _permanent_protocol_error(err):
            return ElbTransportError(method, path, f"the answer's header block cannot be read: {text}", ambiguous=True, retryable=False)
        return ElbTransportError(method, path, f"connection error: {text}", ambiguous=True)
    return ElbTransportError(method, path, f"connection error: {text}", ambiguous=True)


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_failure(err, method, path):
    """The error of a body that broke off: the request was answered, so it is ambiguous."""
    return ElbTransportError(method, path, f"connection lost while reading the answer: {_reason(err)}", ambiguous=True)
