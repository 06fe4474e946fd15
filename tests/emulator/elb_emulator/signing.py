"""Verification of AK/SK ``SDK-HMAC-SHA256`` signatures (ELB_API.md section 7).

The canonical request is rebuilt from what arrived: each path segment percent-encoded with the
unreserved set and a trailing ``/``; query keys sorted (values of one key sorted too); the signed
headers as ``name:trimmed value`` lines; the hex SHA-256 of the body, or ``X-Sdk-Content-Sha256``.
"""

import datetime
import hashlib
import hmac
import re
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
MAX_CLOCK_SKEW = datetime.timedelta(minutes=15)

_AUTHORIZATION = re.compile(r"^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$")


class SignatureError(Exception):
    """Why a signed request was refused; ``canonical_request`` is set when the signature itself mismatched."""

    def __init__(self, reason, canonical=None):
        super().__init__(reason)
        self.reason = reason
        self.canonical_request = canonical


def escape(text):
    """Percent-encode everything but ``A-Z a-z 0-9 - _ . ~``, with uppercase hex."""
    return quote(text, safe="~")


def canonical_uri(raw_path):
    segments = [escape(unquote(segment, errors="replace")) for segment in raw_path.split("/")]
    uri = "/".join(segments)
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs):
    grouped = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    parts = []
    for key in sorted(grouped):
        for value in sorted(grouped[key]):
            parts.append("%s=%s" % (escape(key), escape(value)))
    return "&".join(parts)


def canonical_headers(header_items, signed_headers):
    """``header_items`` are (name, value) pairs as received; a header that was signed but not sent adds no line."""
    values = {}
    for name, value in header_items:
        values.setdefault(name.lower(), []).append(value)
    lines = []
    for name in signed_headers:
        for value in sorted(values.get(name, [])):
            lines.append("%s:%s" % (name, value.strip()))
    return "\n".join(lines) + "\n"


def canonical_request(method, raw_path, query_pairs, header_items, signed_headers, payload_hash):
    return "\n".join(
        (
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(query_pairs),
            canonical_headers(header_items, signed_headers),
            ";".join(signed_headers),
            payload_hash,
        )
    )


def string_to_sign(sdk_date, canonical):
    return "%s\n%s\n%s" % (ALGORITHM, sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def signature(secret, text):
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(access, signed_headers, sig):
    return "%s Access=%s, SignedHeaders=%s, Signature=%s" % (ALGORITHM, access, ";".join(signed_headers), sig)


def parse_authorization(value):
    """Return (access, [signed headers], signature) or raise SignatureError (also for the legacy Credential= form)."""
    match = _AUTHORIZATION.match(value or "")
    if not match:
        raise SignatureError("the Authorization header is not in the SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=... form")
    signed = [name.strip().lower() for name in match.group(2).split(";") if name.strip()]
    return match.group(1), signed, match.group(3).lower()


def body_hash(body, header_value=None):
    if header_value:
        return header_value.strip()
    return hashlib.sha256(body or b"").hexdigest()


def check_date(sdk_date, now=None):
    if not sdk_date:
        raise SignatureError("the X-Sdk-Date header is missing")
    try:
        moment = datetime.datetime.strptime(sdk_date.strip(), DATE_FORMAT).replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise SignatureError("the X-Sdk-Date header is not in YYYYMMDDTHHMMSSZ format") from None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if abs(now - moment) > MAX_CLOCK_SKEW:
        raise SignatureError("the request has expired: X-Sdk-Date %s is more than 15 minutes away from the server time" % sdk_date.strip())


def verify(method, raw_path, query_pairs, header_items, body, secret, authorization, now=None):
    """Check one request against ``secret``; raise SignatureError on any mismatch."""
    signed_headers, sent_signature = parse_authorization(authorization)[1:]
    headers = {name.lower(): value for name, value in header_items}
    check_date(headers.get("x-sdk-date"), now)
    canonical = canonical_request(method, raw_path, query_pairs, header_items, signed_headers, body_hash(body, headers.get("x-sdk-content-sha256")))
    expected = signature(secret, string_to_sign(headers["x-sdk-date"].strip(), canonical))
    if not hmac.compare_digest(expected, sent_signature):
        raise SignatureError("verify aksk signature fail", canonical)
