"""IAM: Keystone v3 password tokens, the service catalog, and authentication of ELB requests.

An ELB request carries either ``X-Auth-Token`` or an AK/SK ``Authorization: SDK-HMAC-SHA256 ...``
header (which wins when both are sent).  Every refusal is a gateway-style 401 APIGW.0301, like the
API gateway in front of the real service.
"""

import datetime
import hmac
import secrets
import threading
import uuid

from . import signing
from .config import DOMAIN_ID, DOMAIN_NAME, REGION
from .errors import GatewayError, KeystoneError
from .http_types import decode_json_body, json_response

UNAUTHORIZED_MESSAGE = "The request you have made requires authentication."
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
IAM_PREFIX = "Incorrect IAM authentication information: "


def stable_id(kind, name):
    """Ids derived from names, so a restarted emulator hands out the same user, domain and endpoint ids."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "elb-emulator:%s:%s" % (kind, name)).hex


def _utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def _text(moment):
    return moment.strftime(TIME_FORMAT)


class TokenRecord:
    __slots__ = ("user", "project_id", "project_name", "issued_at", "expires_at")

    def __init__(self, user, project_id, project_name, issued_at, expires_at):
        self.user = user
        self.project_id = project_id
        self.project_name = project_name
        self.issued_at = issued_at
        self.expires_at = expires_at


class TokenStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}

    def issue(self, record):
        token = "MIIemu" + secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = record
        return token

    def lookup(self, token):
        with self._lock:
            return self._tokens.get(token)

    def expire_all(self):
        now = _utc_now()
        with self._lock:
            for record in self._tokens.values():
                record.expires_at = min(record.expires_at, now)
            return len(self._tokens)

    def clear(self):
        with self._lock:
            self._tokens.clear()


def _domain_id(user):
    if user.get("domain_id"):
        return user["domain_id"]
    return DOMAIN_ID if user["domain"] == DOMAIN_NAME else stable_id("domain", user["domain"])


def _user_id(user):
    return user.get("user_id") or stable_id("user", "%s/%s" % (user["domain"], user["name"]))


def _domain_matches(user, domain):
    if not isinstance(domain, dict):
        return False
    if "id" in domain:
        return domain["id"] == _domain_id(user)
    return domain.get("name") == user["domain"]


def _find_user(users, spec):
    if not isinstance(spec, dict):
        return None
    for user in users:
        if "id" in spec and spec["id"] == _user_id(user):
            return user
        if "name" in spec and spec["name"] == user["name"] and _domain_matches(user, spec.get("domain")):
            return user
    return None


def _scoped_project(user, scope):
    """(project_id, project_name) for a project scope, (None, None) for none or a domain scope, (False, False) if refused."""
    refused = (False, False)
    if not isinstance(scope, dict) or "project" not in scope:
        return None, None
    project = scope["project"]
    if not isinstance(project, dict):
        return refused
    if "id" in project:
        if project["id"] != user["project_id"]:
            return refused
    elif project.get("name") != user["project_name"] or ("domain" in project and not _domain_matches(user, project["domain"])):
        return refused
    return user["project_id"], user["project_name"]


def catalog(base, project_id, dedicated=False):
    services = (
        ("elb", "elb", "%s/v1.0/%s" % (base, project_id)),
        # Only the dedicated flavor serves the v3 API that this entry points to.
        ("elbv3", "elbv3", "%s/v3/%s" % (base, project_id)),
        ("load-balancer", "octavia", base),
        ("network", "neutron", base),
        ("identity", "iam", base + "/v3"),
    )
    entries = []
    for service_type, name, url in services:
        if service_type == "elbv3" and not dedicated:
            continue
        endpoints = [
            {"url": url, "region": REGION, "region_id": REGION, "interface": interface, "id": stable_id("endpoint", "%s/%s" % (service_type, interface))}
            for interface in ("public", "internal")
        ]
        entries.append({"type": service_type, "name": name, "id": stable_id("service", service_type), "endpoints": endpoints})
    return entries


def _unauthorized(app, req):
    if app.config["iam_echo_request_on_error"]:
        # Deliberately unsafe, to prove that clients never repeat an error body that echoes their password.
        echoed = req.body.decode("utf-8", errors="replace")
        return KeystoneError(401, "Unauthorized", "%s Request was: %s" % (UNAUTHORIZED_MESSAGE, echoed), {"request_body": echoed})
    return KeystoneError(401, "Unauthorized", UNAUTHORIZED_MESSAGE)


def issue_token(app, req):
    """POST /v3/auth/tokens with the password method; the token comes back in X-Subject-Token."""
    document = decode_json_body(req.body)
    auth = document.get("auth") if isinstance(document, dict) else None
    identity = auth.get("identity") if isinstance(auth, dict) else None
    if not isinstance(identity, dict):
        raise KeystoneError(
            400,
            "Bad Request",
            "Expecting to find identity in auth. The server could not comply with the request "
            "since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
        )
    methods = identity.get("methods")
    password = identity.get("password")
    if not isinstance(methods, list) or "password" not in methods or not isinstance(password, dict):
        raise _unauthorized(app, req)
    user_spec = password.get("user")
    user = _find_user(app.config["users"], user_spec)
    sent = user_spec.get("password") if isinstance(user_spec, dict) else None
    if user is None or not isinstance(sent, str) or not hmac.compare_digest(sent.encode("utf-8"), user["password"].encode("utf-8")):
        raise _unauthorized(app, req)
    project_id, project_name = _scoped_project(user, auth.get("scope"))
    if project_id is False:
        raise _unauthorized(app, req)

    issued = _utc_now()
    expires = issued + datetime.timedelta(seconds=app.config["token_ttl"])
    token = app.tokens.issue(TokenRecord(user["name"], project_id, project_name, issued, expires))
    domain = {"id": _domain_id(user), "name": user["domain"]}
    body = {
        "methods": ["password"],
        "expires_at": _text(expires),
        "issued_at": _text(issued),
        "user": {"domain": domain, "id": _user_id(user), "name": user["name"], "password_expires_at": ""},
    }
    if project_id:
        body["project"] = {"id": project_id, "name": project_name, "domain": domain}
        body["roles"] = [{"id": stable_id("role", "te_admin"), "name": "te_admin"}]
        if (req.query_values("nocatalog") or ["false"])[-1].lower() not in ("true", "1", "yes"):
            body["catalog"] = catalog(req.base_url(), project_id, app.config["flavor"] == "dedicated")
    else:
        body["roles"] = []
    return json_response(201, {"token": body}, headers=[("X-Subject-Token", token)])


def identity_version(_app, req):
    base = req.base_url()
    return json_response(
        200,
        {
            "version": {
                "id": "v3.0",
                "status": "stable",
                "updated": "2013-03-06T00:00:00Z",
                "links": [{"rel": "self", "href": base + "/v3/"}],
                "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}],
            }
        },
    )


def _verify_signed(app, req):
    try:
        access = signing.parse_authorization(req.header("Authorization"))[0]
    except signing.SignatureError as error:
        raise GatewayError(401, IAM_PREFIX + error.reason) from None
    credential = next((c for c in app.config["credentials"] if hmac.compare_digest(c["access"].encode("utf-8"), access.encode("utf-8"))), None)
    if credential is None:
        raise GatewayError(401, IAM_PREFIX + "the access key does not exist")
    expected_token = credential.get("security_token")
    sent_token = req.header("X-Security-Token")
    if (expected_token or sent_token) and not hmac.compare_digest((expected_token or "").encode(), (sent_token or "").encode()):
        raise GatewayError(401, IAM_PREFIX + "the security token is missing or invalid")
    project_header = req.header("X-Project-Id")
    if project_header and project_header != credential["project_id"]:
        raise GatewayError(401, IAM_PREFIX + "X-Project-Id does not match the project of the access key")
    try:
        signing.verify(req.method, req.raw_path, req.query, req.headers.items(), req.body, credential["secret"], req.header("Authorization"))
    except signing.SignatureError as error:
        message = IAM_PREFIX + error.reason
        if error.canonical_request is not None:
            message += ", canonicalRequest: " + error.canonical_request.replace("\n", "|")
        raise GatewayError(401, message) from None
    return credential["project_id"]


def authenticate(app, req):
    """Return the project id the request acts for, or raise a 401 GatewayError."""
    authorization = req.header("Authorization")
    if authorization and authorization.strip().upper().startswith("SDK-HMAC-SHA256"):
        return _verify_signed(app, req)
    token = req.header("X-Auth-Token")
    if not token:
        raise GatewayError(401, IAM_PREFIX + "x-auth-token not found")
    record = app.tokens.lookup(token.strip())
    if record is None:
        raise GatewayError(401, IAM_PREFIX + "the token is invalid")
    if record.expires_at <= _utc_now():
        raise GatewayError(401, IAM_PREFIX + "the token has expired")
    if not record.project_id:
        raise GatewayError(401, IAM_PREFIX + "the token is not scoped to a project")
    return record.project_id
