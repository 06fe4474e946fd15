# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One HTTP answer of the API, and the translation of its error envelopes into typed errors (no Ansible
imports, no I/O: the body has been read already).

The API answers errors in five envelopes (ELB_API.md sections 6, 8, 10; ELB_API_V3.md section 6):
Neutron ``{"NeutronError": {type, message, detail}}``, ELB ``{"error": {code, message}}`` (and Keystone's
``{"error": {code, title, message}}``), the API gateway's and v3's ``{error_code, error_msg, request_id}``,
Octavia's ``{faultcode, faultstring}`` and Octavia's pecan ``{code, title, description}``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .errors import (
    ElbApiError,
    ElbResponseError,
    KIND_BAD_REQUEST,
    KIND_BUSY,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    KIND_FORBIDDEN,
    KIND_NOT_FOUND,
    KIND_SERVER,
    KIND_THROTTLED,
    KIND_UNAUTHORIZED,
    cut_api_message,
    decode_json,
    excerpt,
    scrub_text,
)

BUSY_CODES = ("StateInvalid",)
BUSY_MARKERS = ("immutable", "invalid state", "pending_")
DUPLICATE_CODES = ("MemberExists",)
DUPLICATE_MARKERS = ("already present", "already using", "already exists", "already in use")
V3_CONFLICT_CODE = "ELB.8907"
THROTTLE_CODES = ("APIGW.0308", "APIG.0308")
REQUEST_ID_HEADERS = ("X-Request-Id", "X-Openstack-Request-Id", "X-Compute-Request-Id")


def _text(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return str(value)


def parse_error_body(data):
    """Return ``(code, message, request_id)`` from any of the API's error envelopes (None for each
    part that is not there)."""
    if not isinstance(data, dict):
        return None, None, None
    neutron = data.get("NeutronError")
    if isinstance(neutron, dict):
        message = _text(neutron.get("message"))
        detail = _text(neutron.get("detail"))
        if detail and detail != message:
            message = f"{message} ({detail})" if message else detail
        return _text(neutron.get("type")), message, None
    error = data.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        if not isinstance(code, str) and error.get("title"):
            code = error.get("title")
        return _text(code), _text(error.get("message")), _text(error.get("request_id"))
    if "error_code" in data or "error_msg" in data:
        return _text(data.get("error_code")), _text(data.get("error_msg")), _text(data.get("request_id"))
    if "faultstring" in data or "faultcode" in data:
        return _text(data.get("faultcode")), _text(data.get("faultstring")), None
    if "description" in data or "title" in data:
        return _text(data.get("title")), _text(data.get("description")), _text(data.get("request_id"))
    for key in ("message", "detail", "msg"):
        if isinstance(data.get(key), str):
            return _text(data.get("code")), _text(data[key]), _text(data.get("request_id"))
    return None, None, None


def classify_error(status, code, message):
    """The ``kind`` of an error answer (errors.KIND_*), whatever its envelope."""
    text = (message or "").lower()
    if code in THROTTLE_CODES or status == 429:
        return KIND_THROTTLED
    if status == 404:
        return KIND_NOT_FOUND
    if status == 409:
        if code in DUPLICATE_CODES or any(marker in text for marker in DUPLICATE_MARKERS):
            return KIND_DUPLICATE
        if code in BUSY_CODES or any(marker in text for marker in BUSY_MARKERS):
            return KIND_BUSY
        # v3's data conflict: the address and port are in use in the pool (ELB_API_V3.md section 6).
        if code == V3_CONFLICT_CODE:
            return KIND_DUPLICATE
        return KIND_CONFLICT
    if status == 401:
        return KIND_UNAUTHORIZED
    if status == 403:
        return KIND_FORBIDDEN
    if status >= 500:
        return KIND_SERVER
    return KIND_BAD_REQUEST


def display_path(url):
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


class ElbResponse:
    """One HTTP answer: status, headers and the (size-capped) body.

    ``secrets`` are scrubbed from anything taken from the body into an error, before it is cut.
    """

    def __init__(self, method, url, status, headers, body, *, reason=None, secrets=()):
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.reason = reason
        self.secrets = secrets
        self.error = None  # an expected ElbApiError, returned as data

    @property
    def path(self):
        return display_path(self.url)

    @property
    def content_type(self):
        return self.headers.get("Content-Type")

    @property
    def request_id(self):
        for name in REQUEST_ID_HEADERS:
            value = self.headers.get(name)
            if value:
                return value
        return None

    def _decoded(self):
        return decode_json(self.body.decode("utf-8"))

    def json(self):
        """The decoded JSON body, or None when there is no body."""
        if not self.body:
            return None
        try:
            return self._decoded()
        except (ValueError, UnicodeDecodeError) as err:
            # json's own texts give a position, never the body (a UnicodeDecodeError's would show a byte).
            reason = str(err) if isinstance(err, ValueError) and not isinstance(err, UnicodeDecodeError) else err.__class__.__name__
            raise self.unusable(f"the body is not usable JSON ({reason})", self.excerpt()) from None

    def json_object(self, key=None):
        """The JSON body as a dict (or its ``key`` entry, which must be a dict); anything else is an error."""
        data = self.json()
        if data is None:
            raise self.unusable("the body is empty, a JSON object was expected")
        if not isinstance(data, dict) or (key is not None and not isinstance(data.get(key), dict)):
            wanted = "a JSON object" if key is None else f"a JSON object with a '{key}' object"
            raise self.unusable(f"{wanted} was expected", self.excerpt())
        return data if key is None else data[key]

    def json_list(self, key):
        """The ``key`` list of the JSON object body; anything else is an error."""
        items = self.json_object().get(key)
        if not isinstance(items, list):
            raise self.unusable(f"a JSON object with a '{key}' list was expected", self.excerpt())
        return items

    def excerpt(self):
        return excerpt(self.body, secrets=self.secrets)

    def unusable(self, problem, body_excerpt=""):
        """An ElbResponseError about this answer."""
        return ElbResponseError(
            status=self.status,
            method=self.method,
            path=self.path,
            problem=problem,
            content_type=self.content_type,
            excerpt=body_excerpt,
            request_id=self.request_id,
        )

    def to_error(self, hide_body=False):
        """The ElbApiError of an error answer. With ``hide_body`` (IAM's /auth/tokens, whose request
        carried the password) nothing of the body but its code and request id is used."""
        data = None
        if self.body:
            try:
                data = self._decoded()
            except (ValueError, UnicodeDecodeError):
                data = None
        code, message, body_request_id = parse_error_body(data)
        kind = classify_error(self.status, code, message)
        if hide_body:
            message = "(not shown: the answer of an authentication request)" if self.body else None
        elif message is None and self.body:
            message = self.excerpt()
        else:
            message = cut_api_message(scrub_text(message, self.secrets))
        return ElbApiError(
            status=self.status,
            method=self.method,
            path=self.path,
            code=scrub_text(code, self.secrets),
            api_message=message,
            request_id=self.request_id or body_request_id,
            kind=kind,
            reason=self.reason,
        )

    def describe(self):
        return f"HTTP {self.status} from {self.method} {self.path}"
