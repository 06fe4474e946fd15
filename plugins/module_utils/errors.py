# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Typed errors raised by the lbaas.elb API client (no Ansible imports).

Every error carries a complete, human readable ``message`` (also ``str(error)``)
and the structured fields listed in docs/architecture.md.  ``details()`` gives the
extra keys the module returns next to ``msg`` when it fails.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, quote_plus, unquote, unquote_plus

SCRUBBED = "********"
EXCERPT_LENGTH = 200
# The API's own message is kept whole up to this length (after scrubbing), then cut.
API_MESSAGE_LENGTH = 1024
TAG_RE = re.compile(r"<[^>]*>")
SPACE_RE = re.compile(r"\s+")
# \u00e9 and \u00E9 (JSON, JavaScript, PHP), and the one-character escapes of JSON and C-like languages.
UNICODE_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")
CHAR_ESCAPE_RE = re.compile(r"\\([\\/\"'nrtbf])")
CHAR_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}

# ElbApiError.kind values: one classification of an error answer, whatever its envelope.
KIND_NOT_FOUND = "not_found"
KIND_BUSY = "busy"
KIND_DUPLICATE = "duplicate"
KIND_CONFLICT = "conflict"
KIND_UNAUTHORIZED = "unauthorized"
KIND_FORBIDDEN = "forbidden"
KIND_THROTTLED = "throttled"
KIND_SERVER = "server"
KIND_BAD_REQUEST = "bad_request"


def unescape_echo(text):
    """``text`` with the escapes a server may wrap an echoed value in undone: HTML entities, ``\\uXXXX`` in
    either case (Go writes ``\\u0026``, PHP ``\\u00E9``), ``\\/`` (PHP) and the one-character escapes.

    Lossy on purpose: it is used only to find secrets, whatever encoder wrote them."""
    # Imported here: only an error answer is unescaped, and html's entity table is large.
    import html  # pylint: disable=import-outside-toplevel

    text = html.unescape(text)
    text = UNICODE_ESCAPE_RE.sub(lambda match: chr(int(match.group(1), 16)), text)
    text = CHAR_ESCAPE_RE.sub(lambda match: CHAR_ESCAPES.get(match.group(1), match.group(1)), text)
    # Join the surrogate pairs of escaped characters outside the BMP; a lone one becomes U+FFFD.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _secret_patterns(secret):
    """Regular expressions for the forms a secret is echoed in besides the raw value: percent-encoded
    (either hex case, query or form style) and JSON-escaped."""
    forms = {quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    forms.discard(secret)
    return [re.compile(re.escape(form), re.IGNORECASE) for form in forms if form]


def scrub_text(text, secrets):
    """Replace every occurrence of every secret with ``********``.

    The raw value and its percent-encoded and JSON-escaped forms are replaced in ``text``. Then, if a
    secret is still found once the text's escapes are undone (HTML, other JSON encoders, any
    percent-encoding), the decoded text is returned, scrubbed: however a server escaped an echo, it does
    not show.
    """
    if not isinstance(text, str) or not text:
        return text
    # Longest first, so a secret that contains another one is removed whole.
    ordered = sorted({s for s in secrets or () if isinstance(s, str) and s}, key=len, reverse=True)
    if not ordered:
        return text
    for secret in ordered:
        text = text.replace(secret, SCRUBBED)
        for pattern in _secret_patterns(secret):
            text = pattern.sub(SCRUBBED, text)
    for decoded in _decoded_forms(text):
        if decoded != text and any(secret in decoded for secret in ordered):
            scrubbed = decoded
            for secret in ordered:
                scrubbed = scrubbed.replace(secret, SCRUBBED)
            return scrubbed
    return text


def _decoded_forms(text):
    """``text`` decoded each way an echo may have been encoded: the escapes of unescape_echo, and
    percent-encoding with any set of characters left as they are (a query, a Location header): UTF-8,
    with and without ``+`` for a space, and byte by byte as a Latin-1 header value is."""
    unescaped = unescape_echo(text)
    yield unescaped
    for form in (text, unescaped):
        yield unquote(form)
        yield unquote_plus(form)
        yield unquote(form, encoding="latin-1")


def scrub_data(data, secrets):
    """A copy of decoded JSON with every string (keys too) scrubbed; walked without recursion."""
    root = [data]
    stack = [(root, 0, data)]
    while stack:
        parent, key, value = stack.pop()
        if isinstance(value, str):
            parent[key] = scrub_text(value, secrets)
        elif isinstance(value, dict):
            copy = {}
            for item_key, item in value.items():
                new_key = scrub_text(item_key, secrets) if isinstance(item_key, str) else item_key
                copy[new_key] = item
                stack.append((copy, new_key, item))
            parent[key] = copy
        elif isinstance(value, list):
            copy = list(value)
            stack.extend((copy, index, item) for index, item in enumerate(value))
            parent[key] = copy
    return root[0]


def decode_json(text):
    """``json.loads`` that reports a document nested too deeply for the parser as ValueError, like any
    other unusable body, instead of a RecursionError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None


def _cut(text, length):
    return text[:length] + "..." if len(text) > length else text


def excerpt(text, length=EXCERPT_LENGTH, secrets=()):
    """A short single-line excerpt of a body, scrubbed of ``secrets`` BEFORE anything is cut or dropped:
    a JSON body is decoded and its strings scrubbed; then tags are dropped, whitespace collapsed,
    control characters removed, and the text cut to ``length``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = text or ""
    if secrets:
        try:
            text = json.dumps(scrub_data(decode_json(text), secrets), ensure_ascii=False)
        except ValueError:
            text = scrub_text(text, secrets)
    text = TAG_RE.sub(" ", text)
    text = "".join(c for c in text if c.isprintable() or c.isspace())
    text = SPACE_RE.sub(" ", text).strip()
    return _cut(text, length)


def cut_api_message(text):
    """The API's own message (already scrubbed) cut to API_MESSAGE_LENGTH."""
    return _cut(text, API_MESSAGE_LENGTH) if isinstance(text, str) else text


class ElbError(Exception):
    """Base class of every error raised below the Ansible module layer."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message

    def details(self):
        """Extra result keys for fail_json (never secrets)."""
        return {}

    def scrub(self, secrets):
        """Remove the given secret values from every text field, in place; returns self."""
        secrets = [s for s in secrets or () if s]
        if not secrets:
            return self
        for name, value in list(vars(self).items()):
            if isinstance(value, str):
                setattr(self, name, scrub_text(value, secrets))
        self.args = (self.message,)
        return self


class ElbValidationError(ElbError):
    """Bad user input, detected before any HTTP call."""

    def __init__(self, option, value, accepted, message=None):
        self.option = option
        self.value = value
        self.accepted = accepted
        if message is None:
            message = f"Invalid value for option '{option}': {value!r}. Accepted: {accepted}."
        super().__init__(message)

    def details(self):
        return {"option": self.option}


class CloudConfigError(ElbError):
    """A clouds.yaml problem. The message names the file and the cloud, never a value read from a file."""

    def __init__(self, message, path=None, cloud=None):
        self.path = path
        self.cloud = cloud
        super().__init__(message)

    def details(self):
        return {"option": "cloud"}


class ElbLookupError(ElbError):
    """A name given by the user matched no object, or more than one (e.g. a pool name)."""

    def __init__(self, option, value, candidates, message):
        self.option = option
        self.value = value
        self.candidates = list(candidates)
        super().__init__(message)

    def details(self):
        return {"option": self.option, "candidates": self.candidates}


class ElbApiError(ElbError):
    """The API answered with an error status.

    ``api_message`` is the API's own message; ``message`` is the complete text
    (method, path, status, API code and message, request id).
    """

    def __init__(self, *, status, method, path, code, api_message, request_id, kind, hint=None, reason=None):
        self.status = status
        self.method = method
        self.path = path
        self.code = code
        self.api_message = api_message
        self.request_id = request_id
        self.kind = kind
        self.hint = hint
        self.reason = reason
        status_text = f"HTTP {status}"
        if reason:
            status_text += f" {reason}"
        parts = [f"{method} {path} failed: {status_text}"]
        if code:
            parts.append(f"code {code}")
        parts.append(f"message: {api_message or '(none)'}")
        parts.append(f"request id: {request_id or '(none)'}")
        message = ", ".join(parts)
        if hint:
            message += ". " + hint
        super().__init__(message)

    def details(self):
        return {"status": self.status, "error_code": self.code, "request_id": self.request_id}

    def with_hint(self, hint, reason=None):
        """The same error with an explanation appended to its message."""
        return ElbApiError(
            status=self.status,
            method=self.method,
            path=self.path,
            code=self.code,
            api_message=self.api_message,
            request_id=self.request_id,
            kind=self.kind,
            hint=hint,
            reason=reason or self.reason,
        )


class ElbTransportError(ElbError):
    """No HTTP answer: connection refused or reset, timeout, TLS failure.

    ``ambiguous`` is True when the request may have reached the server
    (it must not be blindly re-sent if it is not idempotent).
    ``retryable`` is False for failures that will not go away by themselves (TLS).
    """

    def __init__(self, method, path, reason, ambiguous, retryable=True):
        self.method = method
        self.path = path
        self.reason = reason
        self.ambiguous = ambiguous
        self.retryable = retryable
        super().__init__(f"{method} {path} failed: {reason}")

    def details(self):
        return {"status": None, "error_code": None, "request_id": None}


class ElbResponseError(ElbError):
    """A success status, but a body that is not the JSON we need."""

    def __init__(self, *, status, method, path, problem, content_type=None, excerpt="", request_id=None):
        self.status = status
        self.method = method
        self.path = path
        self.content_type = content_type
        self.excerpt = excerpt
        self.problem = problem
        self.request_id = request_id
        message = (
            f"{method} {path}: HTTP {status} with an unusable body: {problem} (content type {content_type or '(none)'}, request id: {request_id or '(none)'})"
        )
        if excerpt:
            message += f"; body starts with: {excerpt}"
        super().__init__(message)

    def details(self):
        return {"status": self.status, "error_code": None, "request_id": self.request_id}


class ElbTimeoutError(ElbError):
    """The task's ``timeout`` ran out while retrying or waiting."""

    def __init__(self, waiting_for, elapsed, last_answer, *, timeout=None, last_error=None):
        self.waiting_for = waiting_for
        self.elapsed = elapsed
        self.last_answer = last_answer
        self.timeout = timeout
        self.last_error = last_error
        limit = "" if timeout is None else f" (timeout {timeout:g}s)"
        message = f"Timed out after {elapsed:.1f}s{limit} waiting for {waiting_for}. Last answer: {last_answer or '(none)'}"
        super().__init__(message)

    def details(self):
        details = {"status": None, "error_code": None, "request_id": None}
        if isinstance(self.last_error, ElbError):
            details.update((k, v) for k, v in self.last_error.details().items() if k in details)
        return details
