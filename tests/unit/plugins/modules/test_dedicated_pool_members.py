# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""elb_pool_members with elb_type: dedicated: v3 batch-add, batch-update, batch-delete, and the fallback."""

from __future__ import annotations

from ansible_collections.lbaas.elb.plugins.modules import elb_pool_members
from ansible_collections.lbaas.elb.tests.unit.plugins.modules.test_dedicated import BASE, FULL_LIST_URL, LB_ID, MEMBERS_URL, POOL, SUBNET, page, run
from ansible_collections.lbaas.elb.tests.unit.plugins.modules.test_dedicated import member as v3_member

GATEWAY_404 = {"error_msg": "API not found", "error_code": "APIGW.0101", "request_id": "r"}


def member(number, **changes):
    return v3_member(id=f"00000000-0000-4000-8000-{number:012d}", address=f"10.0.{number // 256}.{number % 256}", **changes)


def item(number, **attributes):
    return dict({"address": f"10.0.{number // 256}.{number % 256}", "protocol_port": 80, "subnet_id": SUBNET}, **attributes)


def body(number):
    return {"address": f"10.0.{number // 256}.{number % 256}", "protocol_port": 80, "subnet_cidr_id": SUBNET}


def settle(http):
    http.get(f"{BASE}/pools/{POOL}", json={"pool": {"id": POOL, "loadbalancers": [{"id": LB_ID}]}})
    http.get(f"{BASE}/loadbalancers/{LB_ID}", json={"loadbalancer": {"id": LB_ID, "provisioning_status": "ACTIVE"}})


def test_batch_add_update_delete_in_chunks_of_200(http, calls, fake_time, capsys):
    current = [member(n) for n in range(1000, 1003)] + [member(900, weight=3)]
    http.get(FULL_LIST_URL, json=page(*current))
    http.post(MEMBERS_URL + "/batch-add", json={"members": [dict(member(n), ret_status="successful") for n in range(1, 201)]})
    http.post(MEMBERS_URL + "/batch-add", json={"members": [dict(member(n), ret_status="successful") for n in range(201, 251)]})
    http.post(MEMBERS_URL + "/batch-update", json={"members": [member(900, weight=5)]})
    http.post(
        MEMBERS_URL + "/batch-delete",
        json={
            "members": [
                {"id": member(1000)["id"], "ret_status": "not found"},
                {"id": member(1001)["id"], "ret_status": "successful"},
                {"id": member(1002)["id"], "ret_status": "successful"},
            ]
        },
    )
    settle(http)
    http.get(FULL_LIST_URL, json=page(*[member(n) for n in range(1, 251)], member(900, weight=5)))
    result = run(elb_pool_members, capsys, purge=True, members=[item(n) for n in range(1, 251)] + [item(900, weight=5)])
    assert result["rc"] == 0
    assert result["strategy_used"] == "batch_v3"
    assert len(result["created"]) == 250 and len(result["updated"]) == 1 and len(result["removed"]) == 3
    sent = calls()
    assert [(url.rsplit("/", 1)[-1], body and len(body["members"])) for method, url, body in sent if method == "POST"] == [
        ("batch-add", 200),
        ("batch-add", 50),
        ("batch-update", 1),
        ("batch-delete", 3),
    ]
    assert sent[1][2]["members"][0] == body(1)
    assert sent[3][2] == {"members": [{"id": member(900)["id"], "weight": 5}]}
    assert sent[4][2]["members"][0] == {"id": member(1000)["id"]}


def test_existed_is_adopted_and_updated_when_it_differs(http, calls, fake_time, capsys):
    http.get(FULL_LIST_URL, json=page())
    http.post(MEMBERS_URL + "/batch-add", json={"members": [dict(member(1, weight=1), ret_status="existed")]})
    http.put(MEMBERS_URL + "/" + member(1)["id"], json={"member": member(1, weight=4)})
    settle(http)
    http.get(FULL_LIST_URL, json=page(member(1, weight=4)))
    result = run(elb_pool_members, capsys, members=[item(1, weight=4)])
    assert result["changed"] is True
    assert calls()[2] == ("PUT", MEMBERS_URL + "/" + member(1)["id"], {"member": {"weight": 4}})


def test_without_batch_endpoints_auto_falls_back_to_one_call_per_member(http, calls, fake_time, capsys):
    http.get(FULL_LIST_URL, json=page(member(9)))
    http.post(MEMBERS_URL + "/batch-add", status=404, json=GATEWAY_404)
    http.post(MEMBERS_URL, status=201, json={"member": member(1)})
    http.delete(MEMBERS_URL + "/" + member(9)["id"], status=204)
    settle(http)
    http.get(FULL_LIST_URL, json=page(member(1)))
    result = run(elb_pool_members, capsys, purge=True, members=[item(1)])
    assert result["strategy_used"] == "per_member"
    assert [(method, url.rsplit("/", 1)[-1]) for method, url, _body in calls()][:4] == [
        ("GET", "members?limit=2000"),
        ("POST", "batch-add"),
        ("POST", "members"),
        ("DELETE", member(9)["id"]),
    ]


def test_batch_v3_strategy_without_the_endpoints_fails_with_a_hint(http, calls, fake_time, capsys):
    http.get(FULL_LIST_URL, json=page())
    http.post(MEMBERS_URL + "/batch-add", status=404, json=GATEWAY_404)
    result = run(elb_pool_members, capsys, strategy="batch_v3", members=[item(1)])
    assert result["rc"] == 1
    assert "no v3 batch member endpoints" in result["msg"]
    assert "0 of 1 member changes were made" in result["msg"]


def test_quota_on_the_second_batch_add_reports_the_first(http, calls, fake_time, capsys):
    http.get(FULL_LIST_URL, json=page())
    http.post(MEMBERS_URL + "/batch-add", json={"members": [dict(member(n), ret_status="successful") for n in range(1, 201)]})
    quota = {"error_code": "ELB.2001", "error_msg": "the total amount of members exceeds the system setting", "request_id": "r"}
    http.post(MEMBERS_URL + "/batch-add", status=403, json=quota)
    result = run(elb_pool_members, capsys, members=[item(n) for n in range(1, 301)])
    assert result["rc"] == 1 and result["changed"] is True
    assert len(result["created"]) == 200
    assert "200 of 300 member changes were made" in result["msg"]
