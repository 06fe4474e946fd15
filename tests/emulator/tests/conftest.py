"""A real emulator on 127.0.0.1:<free port> in this process, reset before every test.

The session server starts with settle_time 0 so ordinary tests are not slowed by the settle window;
a reset restores that start-up configuration.  Tests of the window set it explicitly.
"""

import os
import sys

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# pylint: disable=wrong-import-position
from emulator_client import Api
from elb_emulator.app import Emulator
from elb_emulator.config import default_config, merged_config
from elb_emulator.server import serve_in_background


@pytest.fixture(scope="session", name="emulator")
def fixture_emulator():
    config = merged_config(default_config(), {"settle_time": 0})
    app = Emulator(config, demo_world=True, seed=1)
    server, thread = serve_in_background(app)
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="session", name="base_url")
def fixture_base_url(emulator):
    return emulator.base_url


@pytest.fixture(autouse=True, name="clean")
def fixture_clean(base_url):
    response = requests.post(base_url + "/_emulator/reset", timeout=10)
    assert response.status_code == 200


@pytest.fixture(name="anon")
def fixture_anon(base_url):
    """A client without a token."""
    with requests.Session() as session:
        yield Api(base_url, session)


@pytest.fixture(name="api")
def fixture_api(base_url):
    """A client logged in as the demo user, scoped to the demo project."""
    with requests.Session() as session:
        client = Api(base_url, session)
        client.login()
        yield client
