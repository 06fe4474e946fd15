# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ElbClient: HTTP through one ``requests.Session`` per task, the retry policy, the task's deadline and
pagination (no Ansible imports; nothing about load balancers or how a request is authenticated).

The retry policy (docs/architecture.md): a failure before the request left (connect error or timeout,
TLS) is never ambiguous; one after it left (read timeout, reset, broken chunked body) is, and only an
idempotent request is re-sent after it. 5xx answers to idempotent requests and throttling are retried
with backoff; a busy load balancer is waited out by ``busy_waiter`` (loadbalancers.py); everything within
one deadline. urllib3's own retries stay off: this policy is the only one.
"""

from __future__ import annotations

import json
import sys
import traceback
from urllib.parse import quote, urlencode, urljoin, urlsplit, urlunsplit

from .errors import (
    ElbApiError,
    ElbError,
    ElbResponseError,
    ElbTimeoutError,
    ElbTransportError,
    KIND_BUSY,
    KIND_SERVER,
    KIND_THROTTLED,
    KIND_UNAUTHORIZED,
    excerpt,
)
from .deadline import Deadline
from .http_failures import is_loopback, read_failure, transport_error
from .response import ElbResponse, display_path

try:
    import requests
    from requests import exceptions as requests_errors
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

# The release in galaxy.yml (a unit test keeps the two equal); sent in the User-Agent.
COLLECTION_VERSION = "0.2.0"

API_PREFIX = "/v2.0/lbaas"
MAX_BODY_BYTES = 10 * 1024 * 1024
READ_CHUNK = 64 * 1024
# A list that keeps giving next links past this many pages is a broken (or hostile) server.
MAX_PAGES = 1000

RETRY_STATUSES = (500, 502, 503, 504)
IDEMPOTENT_METHODS = ("GET", "HEAD", "PUT", "DELETE")
WRITE_METHODS = ("POST", "PUT", "DELETE")


def user_agent():
    versions = "lbaas.elb/{} python-requests/{} Python/{}.{}.{}"
    return versions.format(COLLECTION_VERSION, getattr(requests, "__version__", "?"), *sys.version_info[:3])


def api_path(*segments, prefix=API_PREFIX):
    """``prefix`` followed by each segment percent-quoted (``/``, ``?``, ``%`` and ``.`` stay inert)."""
    quoted = []
    for segment in segments:
        text = str(segment)
        if text in ("", ".", ".."):
            raise ValueError(f"refusing to build a URL path with the segment {text!r}")
        quoted.append(quote(text, safe=""))
    return "/".join([prefix, *quoted])


def _no_auth(request):
    # Passed as the ``auth`` of unauthenticated requests, so that requests never adds .netrc credentials.
    return request


class ElbClient:
    """Client of the ELB API.

    ``endpoint`` is the base URL (no version); when None it is asked from ``auth`` (service catalog or
    URL template). ``timeout`` (or a ready ``deadline``) bounds the whole task, ``api_timeout`` one HTTP
    request. ``extra_secrets``: more values to scrub from errors (the module's no_log values).
    ``busy_waiter(client, method, path, error, attempt)`` waits out a busy load balancer before a write is
    sent again; without one, a busy answer is retried with backoff. ``family`` (families.py) gives the
    API paths and fields of the load balancer family spoken; the client only asks it for the path prefix.
    """

    def __init__(self, endpoint, auth, *, verify=True, api_timeout=30, timeout=180, deadline=None, extra_secrets=(), busy_waiter=None, family=None):
        self._endpoint = endpoint.rstrip("/") if endpoint else None
        self.auth = auth
        self.api_timeout = api_timeout
        self.deadline = deadline or Deadline(timeout)
        self.session = requests.Session()
        self.session.verify = verify
        self.session.headers.update({"User-Agent": user_agent(), "Accept": "application/json"})
        self.extra_secrets = extra_secrets
        self.busy_waiter = busy_waiter
        self.family = family
        self.warnings = []
        self._cleartext_origins = set()

    # -- endpoint and URLs ---------------------------------------------------------------------------------------

    @property
    def endpoint(self):
        if self._endpoint is None:
            if self.auth.needs_token:
                self.authenticate()
            self._endpoint = self.auth.discover_endpoint().rstrip("/")
        return self._endpoint

    def api_path(self, *segments):
        """The path of an API resource in the family spoken (``/v2.0/lbaas/...`` without one)."""
        prefix = self.family.prefix(self) if self.family is not None else API_PREFIX
        return api_path(*segments, prefix=prefix)

    def project_id(self):
        """The project the credentials act for: the password token's scope, else the configured project id."""
        if self.auth.needs_token:
            self.authenticate()
        return self.auth.scope_project_id()

    def url(self, path, params=None):
        """Absolute URL for an API path (or an absolute URL) plus an optional query."""
        url = path if path.startswith(("http://", "https://")) else self.endpoint + path
        if params:
            query = urlencode([(k, v) for k, v in params.items() if v is not None], doseq=True)
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
        return list(self.auth.secrets() if self.auth is not None else ()) + [s for s in self.extra_secrets if s]

    def _warn_cleartext(self, url):
        parts = urlsplit(url)
        host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname
        origin = f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
        if parts.scheme != "http" or is_loopback(parts.hostname or "") or origin in self._cleartext_origins:
            return
        self._cleartext_origins.add(origin)
        self.warnings.append(f"Credentials are sent without TLS to {origin}: anybody on the network path can read them; use an https:// URL")

    # -- requests ------------------------------------------------------------------------------------------------

    def authenticate(self):
        """Get a token from IAM for the auth object (password auth); returns the token."""
        spec = self.auth.token_request()
        self._warn_cleartext(spec["url"])
        try:
            response = self.request(
                "POST", spec["url"], body=spec["body"], expected=(201,), authenticate=False, idempotent=True, headers=spec["headers"], retry_busy=False
            )
        except ElbApiError as err:
            raise err.with_hint(self.auth.rejected_hint) from None
        return self.auth.accept_token(response)

    def request(self, method, path, *, params=None, body=None, expected=(200,), accept=(), idempotent=None, authenticate=True, headers=None, retry_busy=True):
        """Send one API call with the retry policy; return an ElbResponse.

        ``expected``: success statuses.  ``accept``: error kinds returned as data
        (``response.error``) instead of raised.  Errors are scrubbed of secrets.
        """
        try:
            return self._request(method, path, params, body, expected, accept, idempotent, authenticate, headers, retry_busy)
        except ElbError as err:
            raise err.scrub(self.secrets) from None

    def get(self, path, params=None, key=None):
        return self.request("GET", path, params=params).json_object(key)

    def _request(self, method, path, params, body, expected, accept, idempotent, authenticate, headers, retry_busy):
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        url = self.url(path, params)
        payload = None if body is None else json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")
        attempt = busy_attempt = 0
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
                location = excerpt(response.headers.get("Location", ""), secrets=self.secrets) or "(no Location header)"
                raise response.unusable(f"unexpected redirect to {location} (set the endpoint option to the final URL)")
            # The answer to a token request never reaches a message beyond its code: its request held the password.
            error = response.to_error(hide_body=not authenticate and payload is not None)
            if error.kind in accept:
                response.error = error
                return response
            if error.kind == KIND_UNAUTHORIZED and authenticate:
                if self.auth.renewable and not reauthenticated:
                    reauthenticated = True
                    self.auth.invalidate()
                    continue
                if self.auth.unauthorized_hint:
                    error = error.with_hint(self.auth.unauthorized_hint)
            if error.kind == KIND_THROTTLED:
                self.backoff(attempt, f"{method} {response.path} to be accepted (throttled)", error, retry_after=self._retry_after(response))
                continue
            if error.kind == KIND_SERVER and response.status in RETRY_STATUSES and idempotent:
                self.backoff(attempt, f"{method} {response.path} to succeed", error)
                continue
            if error.kind == KIND_BUSY and method in WRITE_METHODS and retry_busy:
                busy_attempt += 1
                if self.busy_waiter is None:
                    self.backoff(busy_attempt, f"{method} {response.path} to be accepted (the API answered busy)", error)
                else:
                    self.busy_waiter(self, method, response.path, error, busy_attempt)
                continue
            raise error

    def _send(self, method, url, payload, extra_headers, authenticate):
        path = display_path(url)
        if authenticate:
            if self.auth.needs_token:
                self.authenticate()
            self._warn_cleartext(url)
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise ElbTimeoutError(f"{method} {path}", self.deadline.elapsed(), "(no request sent)", timeout=self.deadline.timeout)
        headers = dict(extra_headers or {})
        if payload is not None:
            headers.setdefault("Content-Type", "application/json")
        try:
            answer = self.session.request(
                method,
                url,
                data=payload,
                headers=headers,
                auth=self.auth if authenticate else _no_auth,
                timeout=max(0.5, min(self.api_timeout, remaining)),
                allow_redirects=False,
                stream=True,
            )
        except (requests_errors.RequestException, UnicodeError, ValueError) as err:
            raise transport_error(err, method, path) from None
        try:
            body = self._read_body(answer, method, path)
        except BaseException:
            answer.close()
            raise
        return ElbResponse(method, url, answer.status_code, answer.headers, body, reason=answer.reason, secrets=self.secrets)

    def _read_body(self, answer, method, path):
        """The whole body, read in pieces as they arrive, so that the deadline holds against a server that
        sends it slowly: each piece waits at most one api_timeout, and none is read after the deadline."""
        stream = answer.raw
        read = getattr(stream, "read1", None) or stream.read
        chunks = []
        size = 0
        while True:
            if self.deadline.remaining() <= 0:
                raise self.timeout_error(f"the rest of the answer to {method} {path}", f"HTTP {answer.status_code}, {size} bytes of the body so far")
            try:
                chunk = read(READ_CHUNK, decode_content=True)
            except Exception as err:  # urllib3's and the socket's errors alike: see read_failure
                raise read_failure(err, method, path) from None
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise ElbResponseError(
                    status=answer.status_code,
                    method=method,
                    path=path,
                    problem=f"the body is larger than {MAX_BODY_BYTES} bytes",
                    content_type=answer.headers.get("Content-Type"),
                )
            chunks.append(chunk)
        # Read to the end: the connection goes back to the session's pool for the next request.
        answer.raw.release_conn()
        return b"".join(chunks)

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

    # -- waiting (the deadline's, here for the callers' convenience) -----------------------------------------------

    def backoff(self, attempt, waiting_for, last, retry_after=None):
        self.deadline.backoff(attempt, waiting_for, last, retry_after)

    def poll(self, check, waiting_for, **kwargs):
        return self.deadline.poll(check, waiting_for, **kwargs)

    def timeout_error(self, waiting_for, last):
        return self.deadline.timeout_error(waiting_for, last)

    # -- pagination ----------------------------------------------------------------------------------------------

    def paginate(self, path, params, key, pages=None):
        """Yield the items of a list, following ``<key>_links`` rel=next (v2.0) or ``page_info.next_marker`` (v3)
        until there is none or a page is empty.

        A next link must name the same list (same path, on the endpoint's host), and at most MAX_PAGES
        pages are read. Each page's decoded object is appended to ``pages`` when given (what the server
        sends besides the items tells which API family it is, families.py)."""
        url = self.url(path, params)
        list_path = urlsplit(url).path
        seen = {url}
        for _page in range(MAX_PAGES):
            response = self.request("GET", url)
            data = response.json_object()
            items = response.json_list(key)
            if pages is not None:
                pages.append(data)
            yield from items
            href = next_link(data.get(key + "_links"))
            marker = next_marker(data.get("page_info"))
            if not items or not (href or marker):
                return
            if href:
                try:
                    url = self._same_origin(urljoin(response.url, href))
                except ValueError:
                    raise response.unusable("its next link is not a valid URL", excerpt(href, secrets=self.secrets)) from None
            else:
                # v3 (ELB_API_V3.md section 4): the same query with the marker of the next page.
                url = self.url(path, dict(params or {}, marker=marker))
            if urlsplit(url).path != list_path:
                raise response.unusable(f"its next link leaves the list {list_path}", excerpt(href, secrets=self.secrets))
            if url in seen:
                return
            seen.add(url)
        raise ElbError(f"GET {list_path}: the API gave a next link on each of {MAX_PAGES} pages; stopped there (a list this long is not plausible)")


def next_marker(page_info):
    """v3's ``page_info.next_marker``, or None when there is no next page."""
    marker = page_info.get("next_marker") if isinstance(page_info, dict) else None
    return marker if isinstance(marker, str) and marker else None


def next_link(links):
    if not isinstance(links, list):
        return None
    for link in links:
        if isinstance(link, dict) and link.get("rel") == "next" and isinstance(link.get("href"), str) and link["href"]:
            return link["href"]
    return None
