# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared fixtures: a fake clock (no real sleeping), HTTP mocked at requests' boundary with ``responses``, a clean environment."""

from __future__ import annotations

import json

import pytest
import responses
from ansible.module_utils.common import warnings as ansible_warnings

from ansible_collections.lbaas.elb.plugins.module_utils import deadline as deadline_module
from ansible_collections.lbaas.elb.plugins.module_utils.settings import ENV_VARS
from ansible_collections.lbaas.elb.tests.unit.plugins.requests_failures import connect_failure

# Read by clouds.py to choose a cloud and find its files.
CLOUD_ENV_VARS = ("OS_CLOUD", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE")


class FakeTime:
    """Replaces the ``time`` module inside deadline.py: sleeping advances a fake monotonic clock."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class FixedRandom:
    """Full jitter with a fixed factor, so backoff delays are predictable."""

    def __init__(self, factor=0.5):
        self.factor = factor

    def random(self):
        return self.factor


@pytest.fixture
def fake_time(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(deadline_module, "time", fake)
    monkeypatch.setattr(deadline_module, "random", FixedRandom())
    return fake


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    # A developer's own OS_* settings or clouds.yaml must not leak into the tests.
    for names in ENV_VARS.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    for name in CLOUD_ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def fresh_module_warnings(monkeypatch):
    # Ansible keeps a module run's warnings in a module-level dict; in one test process every module run
    # would otherwise report the warnings of all runs before it.
    # An empty one of the same type: a dict since ansible-core 2.19, a list before.
    monkeypatch.setattr(ansible_warnings, "_global_warnings", type(ansible_warnings._global_warnings)())
    monkeypatch.setattr(ansible_warnings, "_global_deprecations", type(ansible_warnings._global_deprecations)())


@pytest.fixture
def http():
    """``responses`` at requests' boundary: any unregistered request fails, every registered answer must be used."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def recorded_calls(mock):
    """The calls made, as (method, url, decoded JSON body or None)."""
    calls = []
    for call in mock.calls:
        body = call.request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        calls.append((call.request.method, call.request.url, json.loads(body) if body else None))
    return calls


@pytest.fixture
def calls(http):
    """``calls()`` returns the calls made so far through the ``http`` mock."""
    return lambda: recorded_calls(http)


@pytest.fixture
def on_connect():
    """``on_connect(error)``: a ``body=`` that fails the way requests fails when ``connect()`` raises ``error``."""
    return connect_failure
