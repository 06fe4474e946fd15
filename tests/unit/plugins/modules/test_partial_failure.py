# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A run that fails part-way says what it did: changed, the members written, and how many of how many."""

from __future__ import annotations

from ansible_collections.lbaas.elb.tests.unit.plugins.modules import test_elb_member as single
from ansible_collections.lbaas.elb.tests.unit.plugins.modules import test_elb_pool_members as pool
from ansible_collections.lbaas.elb.tests.unit.plugins.requests_failures import remote_disconnected

OVER_QUOTA = {"NeutronError": {"type": "OverQuota", "message": "Quota exceeded for resources: ['member'].", "detail": ""}}
SERVER_ERROR = {"NeutronError": {"type": "HTTPInternalServerError", "message": "Internal error", "detail": ""}}


def refs(numbers):
    return [{"address": pool.member(n)["address"], "protocol_port": 80} for n in numbers]


def test_quota_on_the_third_chunk_reports_the_400_created(http, calls, fake_time, capsys):
    http.get(pool.MEMBERS_URL, json=pool.listing())
    http.put(pool.ADDITIVE_URL, status=202)
    pool.register_settle(http)
    http.put(pool.ADDITIVE_URL, status=202)
    http.get(pool.LB_URL, json={"loadbalancer": {"id": pool.LB_ID, "provisioning_status": "ACTIVE"}})
    http.put(pool.ADDITIVE_URL, status=403, json=OVER_QUOTA)
    result = pool.run_module(capsys, members=[pool.item(n) for n in range(1, 701)])
    assert result["rc"] == 1 and result["failed"] is True
    assert result["changed"] is True
    assert result["created"] == refs(range(1, 401))
    assert result["updated"] == result["removed"] == []
    assert result["status"] == 403
    assert "Quota exceeded" in result["msg"]
    assert "400 of 700 member changes were made before this failure (created 400, updated 0, removed 0)" in result["msg"]
    assert [(method, body and len(body["members"])) for method, _url, body in calls() if method == "PUT"] == [("PUT", 200)] * 3


def test_a_failure_before_any_write_reports_nothing_done(http, calls, fake_time, capsys):
    http.get(pool.MEMBERS_URL, json=pool.listing())
    http.put(pool.ADDITIVE_URL, status=403, json=OVER_QUOTA)
    result = pool.run_module(capsys, members=[pool.item(1)])
    assert result["rc"] == 1
    assert result["changed"] is False
    assert result["created"] == []
    assert "0 of 1 member changes were made" in result["msg"]


def test_deadline_between_batches_reports_what_was_written(http, calls, fake_time, capsys):
    http.get(pool.MEMBERS_URL, json=pool.listing(pool.member(900)))
    http.put(pool.ADDITIVE_URL, status=202)
    http.get(pool.POOL_URL, json={"pool": {"id": pool.POOL, "loadbalancers": [{"id": pool.LB_ID}]}})
    # The load balancer stays busy until the task's deadline.
    for _poll in range(40):
        http.get(pool.LB_URL, json={"loadbalancer": {"id": pool.LB_ID, "provisioning_status": "PENDING_UPDATE"}})
    http.assert_all_requests_are_fired = False
    result = pool.run_module(capsys, timeout=5, purge=True, members=[pool.item(n) for n in range(1, 3)])
    assert result["rc"] == 1
    assert result["changed"] is True
    assert result["created"] == refs([1, 2])
    assert "Timed out" in result["msg"]
    assert "2 of 3 member changes were made before this failure (created 2, updated 0, removed 0)" in result["msg"]


def test_a_lost_answer_is_counted_once_the_pool_is_read_again(http, calls, fake_time, capsys):
    http.get(pool.MEMBERS_URL, json=pool.listing())
    http.put(pool.ADDITIVE_URL, body=remote_disconnected())
    # The lost add happened.
    http.get(pool.MEMBERS_URL, json=pool.listing(pool.member(1)))
    http.put(pool.ADDITIVE_URL, status=403, json=OVER_QUOTA)
    pool.register_settle(http)
    result = pool.run_module(capsys, members=[pool.item(1), pool.item(2)])
    assert result["changed"] is True
    assert result["created"] == refs([1])
    assert "1 of 2 member changes were made" in result["msg"]


def test_per_member_failure_lists_the_members_done(http, calls, fake_time, capsys):
    http.get(pool.MEMBERS_URL, json=pool.listing(pool.member(1, weight=3), pool.member(2)))
    http.put(pool.MEMBERS_URL + "/" + pool.member_id(1), json={"member": pool.member(1, weight=5)})
    pool.register_settle(http)
    http.delete(pool.MEMBERS_URL + "/" + pool.member_id(2), status=403, json={"NeutronError": {"type": "Forbidden", "message": "no", "detail": ""}})
    result = pool.run_module(capsys, strategy="per_member", purge=True, members=[pool.item(1, weight=5)])
    assert result["changed"] is True
    assert result["updated"] == [{"id": pool.member_id(1), **refs([1])[0]}]
    assert result["removed"] == []
    assert "1 of 2 member changes were made before this failure (created 0, updated 1, removed 0)" in result["msg"]


def test_elb_member_adopted_after_a_lost_answer_then_failed_update_reports_the_create(http, calls, fake_time, capsys):
    http.get(single.LIST_URL, json=single.EMPTY_LIST)
    http.post(single.MEMBERS_URL, body=remote_disconnected())
    http.get(single.LIST_URL, json={"members": [single.existing_member(weight=1)], "members_links": []})
    http.put(single.MEMBER_URL, status=500, json=SERVER_ERROR)
    http.put(single.MEMBER_URL, status=400, json={"NeutronError": {"type": "HTTPBadRequest", "message": "bad weight", "detail": ""}})
    result = single.run_module(capsys, subnet_id=single.SUBNET, weight=7)
    assert result["rc"] == 1
    assert result["changed"] is True
    assert result["member"] == single.existing_member(weight=1)
    assert "Before this failure the member was created (1 of 1 change made)" in result["msg"]
