"""Give an emulator the test's distinctive credentials, and print two tokens for its user.

Usage: python secrets_setup.py URL [CA_FILE]
Reads the sentinel values from the SEC_* environment variables (set by runme.sh), adds a user and two
AK/SK credentials to the emulator through PUT /_emulator/config, turns on iam_echo_request_on_error
(a 401 from IAM then repeats the request body, password included), and prints shell assignments
SEC_EXPIRED_TOKEN=... (a token that was expired with POST /_emulator/tokens/expire) and
SEC_VALID_TOKEN=... (issued afterwards). This runs outside the captured ansible-playbook output.
"""

import json
import os
import shlex
import ssl
import sys
import urllib.error
import urllib.request

PROJECT_ID = "0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e"
PROJECT_NAME = "eu-de"
DOMAIN = "demo-domain"


def call(url, method, path, body=None, context=None, expect=(200,)):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as answer:
            status, headers, raw = answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    if status not in expect:
        # Never print the body: it may echo a password.
        raise SystemExit("%s %s answered HTTP %s" % (method, path, status))
    return headers, raw


def token(url, context):
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"name": os.environ["SEC_USERNAME"], "password": os.environ["SEC_PASSWORD"], "domain": {"name": DOMAIN}}},
            },
            "scope": {"project": {"id": PROJECT_ID}},
        }
    }
    headers = call(url, "POST", "/v3/auth/tokens", body, context, expect=(201,))[0]
    return headers["X-Subject-Token"]


def main(url, ca_file=None):
    context = ssl.create_default_context(cafile=ca_file) if ca_file else None
    env = os.environ
    config = {
        "users": [
            {"name": "demo", "password": "demo-password", "domain": DOMAIN, "project_name": PROJECT_NAME, "project_id": PROJECT_ID},
            {"name": env["SEC_USERNAME"], "password": env["SEC_PASSWORD"], "domain": DOMAIN, "project_name": PROJECT_NAME, "project_id": PROJECT_ID},
        ],
        "credentials": [
            {"access": env["SEC_ACCESS_KEY"], "secret": env["SEC_SECRET_KEY"], "project_id": PROJECT_ID},
            {
                "access": env["SEC_TEMP_ACCESS_KEY"],
                "secret": env["SEC_TEMP_SECRET_KEY"],
                "security_token": env["SEC_SECURITY_TOKEN"],
                "project_id": PROJECT_ID,
            },
        ],
        "iam_echo_request_on_error": True,
        "settle_time": 0,
    }
    call(url, "PUT", "/_emulator/config", config, context)
    expired = token(url, context)
    call(url, "POST", "/_emulator/tokens/expire", None, context)
    valid = token(url, context)
    print("SEC_EXPIRED_TOKEN=%s" % shlex.quote(expired))
    print("SEC_VALID_TOKEN=%s" % shlex.quote(valid))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
