# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The exceptions ``requests`` raises for each way an HTTP exchange fails, built the way its adapter builds
them (urllib3's error wrapped in requests' own), for ``responses``' ``body=``.

Whether a failure happened before the request left or after is what the retry contract turns on, so each
builder says which side of that line it stands for.
"""

from __future__ import annotations

import io
import socket
import ssl
from http import client as http_client

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError, ProtocolError, ReadTimeoutError


def connect_failure(error):
    """What requests raises when ``connect()`` fails with ``error``: the request never left."""
    if isinstance(error, ssl.SSLError):
        return requests.exceptions.SSLError(MaxRetryError(None, "/", reason=error))
    if isinstance(error, (socket.timeout, TimeoutError)):
        return requests.exceptions.ConnectTimeout(MaxRetryError(None, "/", reason=ConnectTimeoutError(None, f"connect timed out: {error}")))
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/", reason=NewConnectionError(None, f"Failed to establish a new connection: {error}")))


def connect_refused():
    return connect_failure(ConnectionRefusedError(111, "Connection refused"))


def connect_timeout():
    return connect_failure(socket.timeout("timed out"))


def tls_failure():
    return connect_failure(ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"))


def _aborted(cause):
    # urllib3 wraps what http.client raises while the answer is awaited; requests wraps that again.
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", cause))


def reset():
    """The connection was reset after the request was sent."""
    return _aborted(ConnectionResetError(104, "Connection reset by peer"))


def remote_disconnected():
    """The server closed the connection after the request was sent, without an answer."""
    return _aborted(http_client.RemoteDisconnected("Remote end closed connection without response"))


def read_timeout():
    """No answer within the read timeout: the request was sent."""
    return requests.exceptions.ReadTimeout(ReadTimeoutError(None, "/", "Read timed out. (read timeout=30)"))


def chunked_encoding_error():
    return requests.exceptions.ChunkedEncodingError(ProtocolError("Response ended prematurely"))


def line_too_long():
    """An answer whose header line is longer than http.client reads: no retry will make it shorter."""
    return _aborted(http_client.LineTooLong("header line"))


def too_many_headers():
    return _aborted(http_client.HTTPException("got more than 100 headers"))


class BreaksAfter(io.RawIOBase):
    """A body that gives ``data``, then fails with ``error`` (the connection broke while the body was read)."""

    def __init__(self, data, error):
        super().__init__()
        self.data = data
        self.error = error

    def readable(self):
        return True

    def readinto(self, buffer):
        if not self.data:
            raise self.error
        size = min(len(buffer), len(self.data))
        buffer[:size] = self.data[:size]
        self.data = self.data[size:]
        return size


def body_breaking_after(data, error=None):
    """A ``body=`` for responses that breaks off after ``data`` (by default with a reset)."""
    return io.BufferedReader(BreaksAfter(data, error or ConnectionResetError(104, "Connection reset by peer")))
