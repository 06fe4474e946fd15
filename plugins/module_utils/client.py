# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Client of the ELB v2.0 API (no Ansible imports).

ElbClient owns the HTTP transport (transport.py: the standard library's http.client, no third-party
package), the task deadline, the retry policy, pagination and the translation of every error
envelope into typed errors.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from urllib.parse import quote, urlencode, urljoin, urlsplit, urlunsplit

from .errors import (
    ElbApiError,
    ElbError,
    ElbResponseError,
    ElbTimeoutError,
    ElbTransportError,
    KIND_BAD_REQUEST,
    KIND_BUSY,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    KIND_FORBIDDEN,
    KIND_NOT_FOUND,
    KIND_SERVER,
    KIND_THROTTLED,
    KIND_UNAUTHORIZED,
    excerpt,
)

from .transport import HttpTransport

COLLECTION_VERSION = "0.1.0"

API_PREFIX = "/v2.0/lbaas"
MAX_BODY_BYTES = 10 * 1024 * 1024

RETRY_STATUSES = (500, 502, 503, 504)
IDEMPOTENT_METHODS = ("GET", "HEAD", "PUT", "DELETE")
WRITE_METHODS = ("POST", "PUT", "DELETE")
BACKOFF_BASE = 0.2
BACKOFF_CAP = 5.0
# Below this much time left, another attempt is not worth making: the deadline has come.
LAST_TRY_MINIMUM = 0.1
# Polling a pending load balancer: 0.05 s, growing by half each time (0.05, 0.075, 0.11, 0.17, ...), at
# most 0.5 s apart while the wait is young (ELB and Octavia settle most member writes within seconds),
# and at most 2 s apart after POLL_EARLY_SECONDS, so a long wait costs one GET per 2 s.
POLL_FIRST = 0.05
POLL_GROWTH = 1.5
POLL_EARLY_CAP = 0.5
POLL_EARLY_SECONDS = 10.0
POLL_CAP = 2.0

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# "Invalid state PENDING_UPDATE of loadbalancer resource <id>" (Neutron) and
# "Load Balancer <id> is immutable and cannot be updated." (Octavia).
LOADBALANCER_IN_MESSAGE_RES = (re.compile(rf"load\s*balancer(?:\s+resource)?\s+({UUID_PATTERN})", re.IGNORECASE),)
BUSY_CODES = ("StateInvalid",)
BUSY_MARKERS = ("immutable", "invalid state", "pending_")
DUPLICATE_CODES = ("MemberExists",)
DUPLICATE_MARKERS = ("already present", "already using", "already exists")
THROTTLE_CODES = ("APIGW.0308", "APIG.0308")
REQUEST_ID_HEADERS = ("X-Request-Id", "X-Openstack-Request-Id", "X-Compute-Request-Id")


def user_agent():
    return "lbaas.elb/{} Python/{}.{}.{}".format(COLLECTION_VERSION, *sys.version_info[:3])


def api_path(*segments):
    """``/v2.0/lbaas`` followed by each segment percent-quoted (``/``, ``?``, ``%`` and ``.`` stay inert)."""
    quoted = []
    for segment in segments:
        text = str(segment)
        if text in ("", ".", ".."):
            raise ValueError(f"refusing to build a URL path with the segment {text!r}")
        quoted.append(quote(text, safe=""))
    return "/".join([API_PREFIX, *quoted])


def _text(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return str(value)


def parse_error_body(data, raw=b""):
    """Return ``(code, message, request_id)`` from any of the API's error envelopes."""
    if isinstance(data, dict):
        neutron = data.get("NeutronError")
        if isinstance(neutron, dict):
            message = _text(neutron.get("message"))
            detail = _text(neutron.get("detail"))
            if detail and detail != message:
                message = f"{message} ({detail})" if message else detail
            return _text(neutron.get("type")), message, None
        error = data.get("error")
        if isinstance(error, dict):
            # ELB {"error": {"code": "ELB.xxxx", "message"}} and Keystone {"error": {"code": 401, "title", "message"}}.
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
    text = excerpt(raw)
    return None, text or None, None


def classify_error(status, code, message):
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
        return KIND_CONFLICT
    if status == 401:
        return KIND_UNAUTHORIZED
    if status == 403:
        return KIND_FORBIDDEN
    if status >= 500:
        return KIND_SERVER
    return KIND_BAD_REQUEST


def load_balancer_in_message(message):
    """The load balancer id named by a 'busy' message, or None."""
    for pattern in LOADBALANCER_IN_MESSAGE_RES:
        match = pattern.search(message or "")
        if match:
            return match.group(1)
    return None


def display_path(url):
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def poll_delay(previous, waited):
    """The pause after ``previous``, once a poll has waited ``waited`` seconds."""
    cap = POLL_EARLY_CAP if waited < POLL_EARLY_SECONDS else POLL_CAP
    return min(cap, previous * POLL_GROWTH)


class Deadline:
    """The single time budget of a task (the module's ``timeout``)."""

    def __init__(self, timeout, clock=None):
        self.timeout = timeout
        self.clock = clock or time.monotonic
        self.start = self.clock()

    def elapsed(self):
        return self.clock() - self.start

    def remaining(self):
        return self.timeout - self.elapsed()


class ElbResponse:
    """One HTTP answer: status, headers and the (size-capped) body."""

    def __init__(self, method, url, status, headers, body, *, reason=None):
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.reason = reason
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

    def json(self):
        """The decoded JSON body, or None when there is no body."""
        if not self.body:
            return None
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise self.unusable("the body is not valid JSON", excerpt(self.body)) from None

    def json_object(self, key=None):
        """The JSON body as a dict (or its ``key`` entry, which must be a dict); anything else is an error."""
        data = self.json()
        if data is None:
            raise self.unusable("the body is empty, a JSON object was expected")
        if not isinstance(data, dict) or (key is not None and not isinstance(data.get(key), dict)):
            wanted = "a JSON object" if key is None else f"a JSON object with a '{key}' object"
            raise self.unusable(f"{wanted} was expected", excerpt(self.body))
        return data if key is None else data[key]

    def json_list(self, key):
        """The ``key`` list of the JSON object body; anything else is an error."""
        items = self.json_object().get(key)
        if not isinstance(items, list):
            raise self.unusable(f"a JSON object with a '{key}' list was expected", excerpt(self.body))
        return items

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

    def to_error(self):
        data = None
        if self.body:
            try:
                data = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                data = None
        code, message, body_request_id = parse_error_body(data, self.body)
        return ElbApiError(
            status=self.status,
            method=self.method,
            path=self.path,
            code=code,
            api_message=message,
            request_id=self.request_id or body_request_id,
            kind=classify_error(self.status, code, message),
            reason=self.reason,
        )

    def describe(self):
        return f"HTTP {self.status} from {self.method} {self.path}"


class ElbClient:
    """Client of the ELB v2.0 API.

    ``endpoint`` is the base URL (no version); when None it is asked from ``auth``
    (service catalog or URL template) on the first request.  ``timeout`` (or a
    ready ``deadline``) bounds the whole task, ``api_timeout`` one HTTP request.
    """

    def __init__(
        self,
        endpoint,
        auth,
        *,
        verify=True,
        api_timeout=30,
        timeout=180,
        deadline=None,
        user_agent_string=None,
        sleep=None,
        clock=None,
        rng=None,
    ):
        self._endpoint = endpoint.rstrip("/") if endpoint else None
        self.auth = auth
        self.api_timeout = api_timeout
        self.deadline = deadline or Deadline(timeout, clock)
        self.transport = HttpTransport(verify=verify, max_body=MAX_BODY_BYTES)
        self.default_headers = {"User-Agent": user_agent_string or user_agent(), "Accept": "application/json"}
        self.sleep = sleep or time.sleep
        self.random = rng or random.random
        self.stats = {"requests": 0, "retries": 0}

    # -- endpoint and URLs ---------------------------------------------------------------------------------------

    @property
    def endpoint(self):
        if self._endpoint is None:
            self._endpoint = self.auth.discover_endpoint(self).rstrip("/")
        return self._endpoint

    def url(self, path, params=None):
        """Absolute URL for an API path (or an absolute URL) plus an optional query."""
        url = path if path.startswith(("http://", "https://")) else self.endpoint + path
        if params:
            query = urlencode([(k, v) for k, v in params.items() if v is not None])
            url += ("&" if "?" in url else "?") + query
        return url

    def _same_origin(self, url):
        """Never send credentials to a host other than the endpoint's: keep only path and query of a foreign URL."""
        target, base = urlsplit(url), urlsplit(self.endpoint)
        if (target.scheme, target.netloc) == (base.scheme, base.netloc):
            return url
        return urlunsplit((base.scheme, base.netloc, target.path, target.query, ""))

    @property
    def secrets(self):
        return self.auth.secrets() if self.auth is not None else []

    # -- requests ------------------------------------------------------------------------------------------------

    def request(self, method, path, *, params=None, body=None, expected=(200,), accept=(), idempotent=None, authenticate=True, headers=None, retry_busy=True):
        """Send one API call with the retry policy; return an ElbResponse.

        ``expected``: success statuses.  ``accept``: error kinds returned as data
        (``response.error``) instead of raised.  Errors are scrubbed of secrets.
        """
        try:
            return self._request(
                method,
                path,
                params=params,
                body=body,
                expected=expected,
                accept=accept,
                idempotent=idempotent,
                authenticate=authenticate,
                headers=headers,
                retry_busy=retry_busy,
            )
        except ElbError as err:
            raise err.scrub(self.secrets) from None

    def get(self, path, params=None, key=None):
        return self.request("GET", path, params=params).json_object(key)

    def _request(self, method, path, *, params, body, expected, accept, idempotent, authenticate, headers, retry_busy):
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        url = self.url(path, params)
        payload = None if body is None else json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")
        attempt = 0
        busy_attempt = 0
        reauthenticated = False
        while True:
            attempt += 1
            try:
                response = self._send(method, url, payload, headers, authenticate)
            except ElbTransportError as err:
                if err.retryable and (idempotent or not err.ambiguous):
                    self.backoff(attempt, f"{method} {display_path(url)} to succeed", err)
                    continue
                raise
            if response.status in expected:
                return response
            if method == "DELETE" and response.status == 404 and attempt > 1:
                # An earlier attempt whose answer was lost did the deletion.
                return response
            if 300 <= response.status < 400:
                raise response.unusable("unexpected redirect (set the endpoint option to the final URL)", response.headers.get("Location", ""))
            error = response.to_error()
            if error.kind in accept:
                response.error = error
                return response
            if error.kind == KIND_UNAUTHORIZED and authenticate:
                if self.auth.renewable and not reauthenticated:
                    reauthenticated = True
                    self.auth.invalidate()
                    self.stats["retries"] += 1
                    continue
                error = self._unauthorized(error)
            if error.kind == KIND_THROTTLED:
                self.backoff(attempt, f"{method} {response.path} to be accepted (throttled)", error, retry_after=self._retry_after(response))
                continue
            if error.kind == KIND_SERVER and response.status in RETRY_STATUSES and idempotent:
                self.backoff(attempt, f"{method} {response.path} to succeed", error)
                continue
            if error.kind == KIND_BUSY and method in WRITE_METHODS and retry_busy:
                busy_attempt += 1
                self._wait_until_not_busy(method, response.path, error, busy_attempt)
                continue
            raise error

    def _unauthorized(self, error):
        hint = getattr(self.auth, "unauthorized_hint", None)
        return error.with_hint(hint) if hint else error

    def _send(self, method, url, payload, extra_headers, authenticate):
        path = display_path(url)
        headers = dict(extra_headers or {})
        if payload is not None:
            headers.setdefault("Content-Type", "application/json")
        if authenticate:
            headers.update(self.auth.sign(self, method, url, headers, payload or b""))
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise ElbTimeoutError(f"{method} {path}", self.deadline.elapsed(), "(no request sent)", timeout=self.deadline.timeout)
        timeout = max(0.5, min(self.api_timeout, remaining))
        self.stats["requests"] += 1
        status, reason, response_headers, body = self.transport.send(method, url, payload, {**self.default_headers, **headers}, timeout, path)
        return ElbResponse(method, url, status, response_headers, body, reason=reason)

    @staticmethod
    def _retry_after(response):
        value = response.headers.get("Retry-After")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            # Rarely needed (an HTTP-date Retry-After): imported lazily to keep module start-up light.
            from datetime import datetime, timezone  # pylint: disable=import-outside-toplevel
            from email.utils import parsedate_to_datetime  # pylint: disable=import-outside-toplevel

            when = parsedate_to_datetime(value)
            return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError, IndexError):
            return None

    # -- waiting -------------------------------------------------------------------------------------------------

    def backoff(self, attempt, waiting_for, last, retry_after=None):
        """Sleep before retry number ``attempt`` (exponential, full jitter; at least ``retry_after``),
        or raise ElbTimeoutError when the deadline would pass first."""
        delay = self.random() * min(BACKOFF_CAP, BACKOFF_BASE * (2 ** min(attempt - 1, 16)))
        remaining = self.deadline.remaining()
        if retry_after is not None:
            # The server asked for this pause: retrying sooner would only meet the same answer.
            if retry_after >= remaining:
                raise self.timeout_error(waiting_for, last)
            delay = max(delay, retry_after)
        self.stats["retries"] += 1
        self._sleep_within(delay, waiting_for, last)

    def timeout_error(self, waiting_for, last):
        if isinstance(last, ElbError):
            answer = last.message
        elif isinstance(last, ElbResponse):
            answer = last.describe()
        else:
            answer = last
        return ElbTimeoutError(
            waiting_for, self.deadline.elapsed(), answer, timeout=self.deadline.timeout, last_error=last if isinstance(last, ElbError) else None
        )

    def poll(self, check, waiting_for, *, first_delay=POLL_FIRST, check_first=True, last=None):
        """Call ``check()`` -> ``(done, value, last_answer)`` until done; returns value.

        Sleeps ``first_delay``, growing by POLL_GROWTH, between checks (see ``poll_delay``), never past
        the deadline. ``last`` is the answer reported if the deadline passes before the first check.
        """
        started = time.monotonic()
        delay = first_delay
        check_now = check_first
        while True:
            if check_now:
                done, value, last = check()
                if done:
                    return value
            check_now = True
            self._sleep_within(delay, waiting_for, last)
            delay = poll_delay(delay, time.monotonic() - started)

    def _sleep_within(self, delay, waiting_for, last):
        # Use the whole budget: when the next pause would cross the deadline, shorten it and try
        # once more, unless too little time is left for that try to mean anything.
        # (A shortened pause leaves exactly LAST_TRY_MINIMUM; the margin makes that the last try.)
        remaining = self.deadline.remaining()
        if remaining <= LAST_TRY_MINIMUM * 1.5:
            raise self.timeout_error(waiting_for, last)
        self.sleep(min(delay, remaining - LAST_TRY_MINIMUM))

    def wait_for_load_balancer(self, lb_id, waiting_for=None, *, check_first=True, first_delay=POLL_FIRST, last=None):
        """Poll GET /loadbalancers/{id} until provisioning_status is ACTIVE; returns the load balancer."""
        waiting_for = waiting_for or f"load balancer {lb_id} to become ACTIVE"
        path = api_path("loadbalancers", lb_id)

        def check():
            response = self.request("GET", path)
            lb = response.json_object("loadbalancer")
            status = lb.get("provisioning_status")
            if status == "ERROR":
                raise ElbError(f"load balancer {lb_id} is in provisioning_status ERROR (while waiting for {waiting_for})")
            return status in (None, "ACTIVE"), lb, f"{response.describe()}: provisioning_status {status}"

        return self.poll(check, waiting_for, first_delay=first_delay, check_first=check_first, last=last)

    def _wait_until_not_busy(self, method, path, error, busy_attempt):
        waiting_for = f"{method} {path} to be accepted (the API answered busy)"
        lb_id = load_balancer_in_message(error.api_message)
        if lb_id is None:
            self.backoff(busy_attempt, waiting_for, error)
            return
        # A growing pause before the first poll, so that a load balancer which reports ACTIVE while the
        # API still answers busy is not hammered.
        first = min(POLL_EARLY_CAP, POLL_FIRST * (2 ** (busy_attempt - 1)))
        self.stats["retries"] += 1
        self.wait_for_load_balancer(
            lb_id,
            waiting_for=f"load balancer {lb_id} to become ACTIVE, to retry {method} {path} after: {error.message}",
            check_first=False,
            first_delay=first,
            last=error,
        )

    # -- pagination ----------------------------------------------------------------------------------------------

    def paginate(self, path, params, key):
        """Yield the items of a list, following ``<key>_links`` rel=next until there is none or a page is empty."""
        url = self.url(path, params)
        seen = {url}
        while True:
            response = self.request("GET", url)
            data = response.json_object()
            items = response.json_list(key)
            yield from items
            href = next_link(data.get(key + "_links"))
            if not items or not href:
                return
            url = self._same_origin(urljoin(response.url, href))
            if url in seen:
                return
            seen.add(url)


def next_link(links):
    if not isinstance(links, list):
        return None
    for link in links:
        if isinstance(link, dict) and link.get("rel") == "next" and isinstance(link.get("href"), str) and link["href"]:
            return link["href"]
    return None
