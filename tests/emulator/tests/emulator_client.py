"""Test-side helpers: a small HTTP client for the emulator and Keystone request bodies."""

import requests

from elb_emulator.config import DEMO_PASSWORD, DEMO_USER, DOMAIN_NAME, PROJECT_ID, SUBNET_A1
from elb_emulator.demo import DEMO_POOL_ID


def password_body(user=DEMO_USER, password=DEMO_PASSWORD, domain=None, scope=None):
    body = {
        "auth": {"identity": {"methods": ["password"], "password": {"user": {"name": user, "password": password, "domain": domain or {"name": DOMAIN_NAME}}}}}
    }
    body["auth"]["scope"] = scope if scope is not None else {"project": {"id": PROJECT_ID}}
    return body


class Api:
    """A small client for the tests: base URL, a token, and the member paths of the demo pool."""

    def __init__(self, base, session=None):
        self.base = base
        self.session = session or requests.Session()
        self.token = None

    def login(self, **kwargs):
        response = self.session.post(self.base + "/v3/auth/tokens", json=password_body(**kwargs), timeout=10)
        assert response.status_code == 201, response.text
        self.token = response.headers["X-Subject-Token"]
        return response

    def request(self, method, path, **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token and "X-Auth-Token" not in headers:
            headers["X-Auth-Token"] = self.token
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.base + path, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def config(self, **values):
        response = self.session.put(self.base + "/_emulator/config", json=values, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def members_path(self, pool_id=DEMO_POOL_ID):
        return "/v2.0/lbaas/pools/%s/members" % pool_id

    def create_member(self, address, protocol_port=80, subnet_id=SUBNET_A1, pool_id=DEMO_POOL_ID, **extra):
        body = {"address": address, "protocol_port": protocol_port, "subnet_id": subnet_id}
        body.update(extra)
        return self.post(self.members_path(pool_id), json={"member": body})

    def seed(self, count, pool_id=DEMO_POOL_ID, **extra):
        body = {"pool_id": pool_id, "count": count}
        body.update(extra)
        response = self.session.post(self.base + "/_emulator/seed", json=body, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()

    def health(self, method="PUT", **document):
        """PUT (or DELETE) /_emulator/health with ``document`` as the body; returns the response."""
        return self.session.request(method, self.base + "/_emulator/health", json=document or None, timeout=10)

    def counts(self):
        return self.session.get(self.base + "/_emulator/counts", timeout=10).json()

    def log(self):
        return self.session.get(self.base + "/_emulator/requests", timeout=10).json()


def sign_request(prepared, access, secret, sdk_date, extra_signed=()):
    """An independent SDK-HMAC-SHA256 signer for a requests.PreparedRequest (mirrors the Huawei SDK)."""
    # Imported here so the helpers above stay usable without the signing details.
    import hashlib  # pylint: disable=import-outside-toplevel
    import hmac  # pylint: disable=import-outside-toplevel
    from urllib.parse import quote, unquote, urlsplit, parse_qsl  # pylint: disable=import-outside-toplevel

    parts = urlsplit(prepared.url)
    prepared.headers["X-Sdk-Date"] = sdk_date
    prepared.headers["Host"] = parts.netloc
    path = "/".join(quote(unquote(segment), safe="~") for segment in parts.path.split("/"))
    if not path.endswith("/"):
        path += "/"
    pairs = sorted(parse_qsl(parts.query, keep_blank_values=True))
    query = "&".join("%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in pairs)
    signed = sorted({"host", "x-sdk-date"} | {name.lower() for name in extra_signed})
    lowered = {name.lower(): value for name, value in prepared.headers.items()}
    headers = "".join("%s:%s\n" % (name, lowered[name].strip()) for name in signed)
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    canonical = "\n".join((prepared.method, path, query, headers, ";".join(signed), hashlib.sha256(body).hexdigest()))
    to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (sdk_date, hashlib.sha256(canonical.encode()).hexdigest())
    signature = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    prepared.headers["Authorization"] = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (access, ";".join(signed), signature)
    return prepared


def raw_request(base, method, target, headers=None, body=None):
    """Send ``target`` byte for byte (requests would normalise ``%2e`` into ``.``); returns (status, headers, body)."""
    import http.client  # pylint: disable=import-outside-toplevel
    from urllib.parse import urlsplit  # pylint: disable=import-outside-toplevel

    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()
