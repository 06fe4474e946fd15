"""The request and response values passed between the HTTP layer and the resource handlers."""

import json
from urllib.parse import unquote


class Request:
    """One parsed inbound request; handlers never touch the socket."""

    def __init__(self, method, raw_path, raw_query, headers, body, scheme, server_address):
        self.method = method
        self.raw_path = raw_path
        self.raw_query = raw_query
        self.headers = headers
        self.body = body
        self.scheme = scheme
        self.server_address = server_address
        self.query = parse_query(raw_query)
        self.route = None
        self.params = {}
        self.request_id = None
        self.project_id = None

    @property
    def path(self):
        return unquote(self.raw_path, errors="replace")

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def query_values(self, key):
        return [value for name, value in self.query if name == key]

    def host_url(self):
        """Scheme and authority the client used, for the absolute hrefs Neutron puts in links."""
        host = self.headers.get("Host") or "%s:%d" % self.server_address
        return "%s://%s" % (self.scheme, host)

    def base_url(self):
        """The emulator's own address, used in the IAM catalog whatever Host the client sent."""
        host, port = self.server_address
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % (self.scheme, host, port)


class Response:
    """What a handler answers; ``stream`` (an iterable of bytes) replaces ``body`` for huge bodies."""

    def __init__(self, status, body=b"", content_type="application/json", headers=None, stream=None, length=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers or [])
        self.stream = stream
        self.length = length if length is not None else len(body)


def json_response(status, payload, headers=None):
    body = json.dumps(payload, separators=(", ", ": ")).encode("utf-8")
    return Response(status, body, headers=headers)


def empty_response(status):
    return Response(status, b"", content_type=None)


def parse_query(raw_query):
    """Split a raw query into decoded (key, value) pairs, keeping order and repeats."""
    pairs = []
    if not raw_query:
        return pairs
    for part in raw_query.split("&"):
        if not part:
            continue
        key, value = (part.split("=", 1) + [""])[:2]
        pairs.append((unquote(key.replace("+", " "), errors="replace"), unquote(value.replace("+", " "), errors="replace")))
    return pairs


def decode_json_body(body):
    """Return the decoded JSON document, or None when the body is empty or not JSON."""
    if not body:
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
