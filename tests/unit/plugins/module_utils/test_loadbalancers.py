# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Load balancers: waiting for ACTIVE (the polling schedule), waiting out a busy answer, a pool's load balancers."""

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbError, ElbTimeoutError
from ansible_collections.lbaas.elb.plugins.module_utils.loadbalancers import (
    load_balancer_in_message,
    pool_load_balancer_ids,
    wait_for_load_balancer,
    wait_for_pool_load_balancers,
    wait_until_not_busy,
)

ENDPOINT = "https://elb.example.test"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
POOL2 = "6c7e1a5d-3a1f-4d64-8e3e-7b4a2d3c8f22"
LB_ID = "2c1d0e9f-8a7b-4c6d-9e5f-0a1b2c3d4e5f"
MEMBER_ID = "7f3b5c1e-9a4d-4c2b-8e6f-1a2b3c4d5e6f"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
MEMBER_URL = MEMBERS_URL + "/" + MEMBER_ID
MEMBER_PATH = f"/v2.0/lbaas/pools/{POOL}/members/{MEMBER_ID}"
POOL_URL = ENDPOINT + "/v2.0/lbaas/pools/" + POOL
LB_URL = ENDPOINT + "/v2.0/lbaas/loadbalancers/" + LB_ID
PENDING = {"loadbalancer": {"id": LB_ID, "provisioning_status": "PENDING_UPDATE"}}
ACTIVE = {"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}}
BUSY = {"NeutronError": {"type": "StateInvalid", "message": f"Invalid state PENDING_UPDATE of loadbalancer resource {LB_ID}", "detail": ""}}


def busy_waiting_client(timeout=60):
    """A client as ElbModule builds it: a busy answer is waited out on the load balancer it names."""
    return ElbClient(ENDPOINT, TokenAuth("tok"), timeout=timeout, busy_waiter=wait_until_not_busy)


@pytest.fixture
def client(fake_time):
    return busy_waiting_client()


def test_load_balancer_id_in_busy_messages():
    assert load_balancer_in_message(f"Invalid state PENDING_UPDATE of loadbalancer resource {LB_ID}") == LB_ID
    assert load_balancer_in_message(f"Load Balancer {LB_ID} is immutable and cannot be updated.") == LB_ID
    assert load_balancer_in_message(f"Pool {POOL} is immutable and cannot be updated.") is None
    assert load_balancer_in_message(None) is None


def test_busy_write_waits_for_the_named_load_balancer_then_retries(client, http, calls, fake_time):
    http.put(MEMBER_URL, status=409, json=BUSY)
    http.get(LB_URL, json=PENDING)
    http.get(LB_URL, json=ACTIVE)
    http.put(MEMBER_URL, json={"member": {"id": MEMBER_ID, "weight": 5}})
    response = client.request("PUT", MEMBER_PATH, body={"member": {"weight": 5}})
    assert response.json_object("member")["weight"] == 5
    assert calls() == [
        ("PUT", MEMBER_URL, {"member": {"weight": 5}}),
        ("GET", LB_URL, None),
        ("GET", LB_URL, None),
        ("PUT", MEMBER_URL, {"member": {"weight": 5}}),
    ]
    assert fake_time.sleeps == pytest.approx([0.05, 0.075])


def test_a_bare_client_backs_off_on_a_busy_answer_without_reading_the_load_balancer(http, calls, fake_time):
    client = ElbClient(ENDPOINT, TokenAuth("tok"), timeout=60)
    http.put(MEMBER_URL, status=409, json=BUSY)
    http.put(MEMBER_URL, json={"member": {"id": MEMBER_ID}})
    client.request("PUT", MEMBER_PATH, body={"member": {"weight": 5}})
    assert [method for method, _url, _body in calls()] == ["PUT", "PUT"]
    assert fake_time.sleeps == [pytest.approx(0.1)]


def test_polling_grows_by_half_capped_at_half_a_second_then_two_seconds(fake_time, http):
    # 40 answers of PENDING_UPDATE, then ACTIVE: the pauses between them are the schedule.
    for _attempt in range(40):
        http.get(LB_URL, json=PENDING)
    http.get(LB_URL, json=ACTIVE)
    client = busy_waiting_client(timeout=600)
    assert wait_for_load_balancer(client, LB_ID)["provisioning_status"] == "ACTIVE"
    sleeps = fake_time.sleeps
    assert len(sleeps) == 40
    assert sleeps[:4] == pytest.approx([0.05, 0.075, 0.1125, 0.16875])
    # Never more than 0.5 s apart during the first 10 s of waiting, 2 s after that.
    elapsed = 0.0
    for pause in sleeps:
        assert pause <= (0.5 if elapsed < 10 else 2.0) + 1e-9
        elapsed += pause
    assert sleeps[-1] == pytest.approx(2.0)
    # A 0.2 s window is seen settled less than 0.05 s after it ends (0.05 + 0.075 + 0.1125 = 0.2375).
    assert sum(sleeps[:3]) < 0.25


def test_load_balancer_in_error_stops_the_wait(client, http, calls):
    http.get(LB_URL, json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ERROR"}})
    with pytest.raises(ElbError) as info:
        wait_for_load_balancer(client, LB_ID)
    assert f"load balancer {LB_ID} is in provisioning_status ERROR" in info.value.message
    assert len(calls()) == 1


def test_busy_without_load_balancer_id_backs_off(client, http, calls, fake_time):
    http.delete(MEMBER_URL, status=409, json={"faultcode": "Client", "faultstring": f"Pool {POOL} is immutable and cannot be updated.", "debuginfo": None})
    http.delete(MEMBER_URL, status=204)
    assert client.request("DELETE", MEMBER_PATH, expected=(204,)).status == 204
    assert [method for method, url, body in calls()] == ["DELETE", "DELETE"]
    assert fake_time.sleeps == [pytest.approx(0.1)]


def test_busy_timeout_reports_the_load_balancer_state(fake_time, http):
    client = busy_waiting_client(timeout=1)
    http.put(MEMBER_URL, status=409, json={"faultcode": "Client", "faultstring": f"Load Balancer {LB_ID} is immutable and cannot be updated."})
    http.get(LB_URL, json=PENDING)
    with pytest.raises(ElbTimeoutError) as info:
        client.request("PUT", MEMBER_PATH, body={"member": {"weight": 2}})
    assert f"load balancer {LB_ID} to become ACTIVE" in info.value.message
    assert "provisioning_status PENDING_UPDATE" in info.value.last_answer


@pytest.mark.parametrize(
    "pool, expected",
    [
        ({"loadbalancers": [{"id": POOL2}, {"id": "../x"}]}, [POOL2]),
        ({"loadbalancers": [], "loadbalancer_id": POOL2}, [POOL2]),
        ({"loadbalancers": [{"id": POOL2 + "\n"}]}, []),
        ({}, []),
    ],
)
def test_pool_load_balancer_ids(client, http, calls, pool, expected):
    http.get(POOL_URL, json={"pool": pool})
    assert pool_load_balancer_ids(client, POOL) == expected
    assert len(calls()) == 1


def test_wait_for_pool_load_balancers_reads_the_pool_then_each_load_balancer(client, http, calls):
    http.get(POOL_URL, json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(LB_URL, json=ACTIVE)
    wait_for_pool_load_balancers(client, POOL, "the member change")
    assert calls() == [("GET", POOL_URL, None), ("GET", LB_URL, None)]
