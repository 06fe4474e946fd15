"""Error values and the wire envelopes they are rendered into (ELB_API.md section 6, 8 and 10).

Resource handlers raise ``ApiError`` with the wording of every style at once; the configured
``error_style`` picks the envelope when the response is written.  Gateway and Keystone errors have a
fixed shape whatever the style, like the real API gateway and IAM in front of the service.
"""

ERROR_STYLES = ("neutron", "elb", "octavia")

# ELB codes where section 6 has none that fits; README.md lists these choices.
ELB_BACKEND = "ELB.9899"
ELB_BODY_NULL = "ELB.0002"
ELB_REQUIRED = "ELB.9805"
ELB_MEMBER_MISSING = "ELB.2012"
ELB_MEMBER_QUOTA = "ELB.2001"
ELB_TENANT_MISMATCH = "ELB.9808"

# Dedicated (v3) codes by status, where an error has no code of its own (ELB_API_V3.md section 6).
V3_CODES = {400: "ELB.8902", 403: "ELB.8903", 404: "ELB.8904", 409: "ELB.8907", 500: "ELB.8906"}

GATEWAY_TEXTS = {
    401: ("APIGW.0301", "Incorrect IAM authentication information"),
    404: ("APIGW.0101", "The API does not exist or has not been published in the environment"),
    413: ("APIGW.0202", "The request body is too large"),
    429: ("APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:60,time:1 minute"),
    500: ("APIGW.9999", "System error"),
    502: ("APIGW.0205", "The backend is unavailable"),
    503: ("APIGW.0205", "The backend is unavailable"),
    504: ("APIGW.0206", "The backend timed out"),
}


class ApiError(Exception):
    """An error of the ELB service itself, rendered in the configured error style."""

    def __init__(self, status, neutron_type, message, elb_code=ELB_BACKEND, octavia_message=None, octavia_body=None, v3_code=None):
        super().__init__(message)
        self.status = status
        self.neutron_type = neutron_type
        self.message = message
        self.elb_code = elb_code
        self.octavia_message = octavia_message or message
        self.octavia_body = octavia_body
        self.v3_code = v3_code

    def render_v3(self, request_id):
        """The dedicated (v3) envelope (ELB_API_V3.md section 6), whatever the configured style."""
        code = self.v3_code or (self.elb_code if self.elb_code == ELB_MEMBER_QUOTA else V3_CODES.get(self.status, V3_CODES[500]))
        return {"error_code": code, "error_msg": self.message, "request_id": request_id}

    def render(self, style):
        if style == "elb":
            return {"error": {"message": self.message, "code": self.elb_code}}
        if style == "octavia":
            if self.octavia_body is not None:
                return self.octavia_body
            faultcode = "Server" if self.status >= 500 else "Client"
            return {"faultcode": faultcode, "faultstring": self.octavia_message, "debuginfo": None}
        return {"NeutronError": {"type": self.neutron_type, "message": self.message, "detail": ""}}


class GatewayError(Exception):
    """An answer of the API gateway in front of the service: always ``{error_msg, error_code, request_id}``."""

    def __init__(self, status, message=None, code=None, headers=None):
        default_code, default_message = GATEWAY_TEXTS.get(status, ("APIGW.0201", "Bad request"))
        super().__init__(message or default_message)
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.headers = list(headers or [])

    def render(self, request_id):
        return {"error_msg": self.message, "error_code": self.code, "request_id": request_id}


class KeystoneError(Exception):
    """An IAM (Keystone v3) error: ``{"error": {code, message, title}}``."""

    def __init__(self, status, title, message, extra=None):
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message
        self.extra = dict(extra or {})

    def render(self):
        error = {"code": self.status, "message": self.message, "title": self.title}
        error.update(self.extra)
        return {"error": error}


def bad_request(message, elb_code=ELB_BACKEND, octavia_message=None):
    return ApiError(400, "HTTPBadRequest", message, elb_code, octavia_message)


def body_null(resource):
    return ApiError(
        400,
        "HTTPBadRequest",
        "%s is null,request is invalid." % resource.capitalize(),
        ELB_BODY_NULL,
        "Invalid input for field/attribute %s. Value: 'None'. Mandatory field missing." % resource,
    )


def unrecognized(resource, keys):
    joined = ", ".join(sorted(keys))
    return ApiError(
        400,
        "HTTPBadRequest",
        "Unrecognized attribute(s) '%s'" % joined,
        ELB_BACKEND,
        "Unknown attribute for argument %s_.%s: %s" % (resource, resource, joined),
    )


def required_missing(resource, attribute):
    return ApiError(
        400,
        "HTTPBadRequest",
        "RequestBody %s[%s] is null, this is a required parameter." % (resource, attribute),
        ELB_REQUIRED,
        "Invalid input for field/attribute %s. Value: 'Unset'. Mandatory field missing." % attribute,
    )


def read_only(attribute):
    return ApiError(
        400,
        "HTTPBadRequest",
        "Cannot update read-only attribute %s" % attribute,
        ELB_BACKEND,
        "Invalid input for field/attribute %s. Value: 'read-only'. Cannot update read-only attribute %s" % (attribute, attribute),
    )


def tenant_mismatch():
    return ApiError(
        400,
        "HTTPBadRequest",
        "Tenant_id in token mismatches with tenant_id in url.",
        ELB_TENANT_MISMATCH,
        "Policy does not allow this request to be performed.",
    )


def subnet_not_found(subnet_id):
    return ApiError(404, "SubnetNotFound", "Subnet %s could not be found" % subnet_id, ELB_BACKEND, "Subnet %s not found." % subnet_id)


def loadbalancer_not_found(lb_id):
    return ApiError(404, "EntityNotFound", "loadbalancer %s could not be found" % lb_id, ELB_BACKEND, "Load Balancer %s not found." % lb_id)


def pool_not_found(pool_id, in_url=False):
    """Octavia answers an unknown pool *in the URL* with its fifth envelope shape (section 10)."""
    octavia_body = None
    if in_url:
        octavia_body = {"code": 404, "title": "Bad Request", "description": "Pool %s not found." % pool_id}
    return ApiError(404, "EntityNotFound", "pool %s could not be found" % pool_id, ELB_BACKEND, "Pool %s not found." % pool_id, octavia_body)


def member_not_found(member_id):
    return ApiError(404, "EntityNotFound", "member %s could not be found" % member_id, ELB_MEMBER_MISSING, "Member %s not found." % member_id)


def loadbalancer_busy(lb_id, state="PENDING_UPDATE"):
    return ApiError(
        409,
        "StateInvalid",
        "Invalid state %s of loadbalancer resource %s" % (state, lb_id),
        ELB_BACKEND,
        "Load Balancer %s is immutable and cannot be updated." % lb_id,
    )


def member_exists(address, port, pool_id):
    return ApiError(
        409,
        "MemberExists",
        "Member with address %s and protocol_port %s already present in pool %s" % (address, port, pool_id),
        ELB_BACKEND,
        "Another member on this pool is already using ip %s on protocol_port %s" % (address, port),
    )


def vpc_mismatch(member_vpc, subnet_id, lb_vpc, lb_id):
    message = "Vpc %s of member's subnet_cidr %s and vpc %s of loadbalancer %s mismatch" % (member_vpc, subnet_id, lb_vpc, lb_id)
    return ApiError(400, "HTTPBadRequest", message, ELB_BACKEND)


def member_quota_exceeded():
    return ApiError(
        403,
        "OverQuota",
        "Create member failed, the total amount of members exceeds the system setting.",
        ELB_MEMBER_QUOTA,
        "Quota has been met for resources: Member",
    )


def entity_in_use(child_kind, child_id, parent_kind, parent_label, parent_id):
    return ApiError(
        409,
        "EntityInUse",
        "%s %s is using this %s" % (child_kind, child_id, parent_kind),
        ELB_BACKEND,
        "Cannot delete %s %s - it has children" % (parent_label, parent_id),
    )


def internal_error():
    return ApiError(
        500, "HTTPInternalServerError", "Request Failed: internal server error while processing your request.", ELB_BACKEND, "Internal Server Error"
    )
