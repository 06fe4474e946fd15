"""Batch PUT /pools/{pool_id}/members in the elb, octavia and none dialects."""

import time

from elb_emulator.config import SUBNET_A1, SUBNET_B1
from elb_emulator.demo import DEMO_LB_ID


def _item(address, port=80, **extra):
    item = {"address": address, "protocol_port": port, "subnet_id": SUBNET_A1}
    item.update(extra)
    return item


def _members(api):
    return {(m["address"], m["protocol_port"]): m for m in api.get(api.members_path()).json()["members"]}


def test_elb_add_replace_delete(api):
    response = api.put(api.members_path(), json={"action": "add", "members": [_item("10.0.0.1"), _item("10.0.0.2", weight=3)]})
    assert response.status_code == 202 and response.content == b""
    members = _members(api)
    assert set(members) == {("10.0.0.1", 80), ("10.0.0.2", 80)}
    kept_id = members[("10.0.0.2", 80)]["id"]

    response = api.put(api.members_path(), json={"members": [_item("10.0.0.2", weight=9), _item("10.0.0.3")]})
    assert response.status_code == 202
    members = _members(api)
    assert set(members) == {("10.0.0.2", 80), ("10.0.0.3", 80)}
    assert members[("10.0.0.2", 80)]["id"] == kept_id and members[("10.0.0.2", 80)]["weight"] == 9

    response = api.put(api.members_path(), json={"action": "delete", "members": [{"id": kept_id}]})
    assert response.status_code == 202
    assert set(_members(api)) == {("10.0.0.3", 80)}

    assert api.put(api.members_path(), json={"action": "replace", "members": []}).status_code == 202
    assert _members(api) == {}


def test_elb_batch_is_all_or_nothing(api):
    api.create_member("10.0.0.1")
    bad_value = api.put(api.members_path(), json={"action": "add", "members": [_item("10.0.0.2"), _item("10.0.0.3", protocol_port=0)]})
    assert bad_value.status_code == 400
    duplicate = api.put(api.members_path(), json={"action": "add", "members": [_item("10.0.0.2"), _item("10.0.0.1")]})
    assert duplicate.status_code == 409
    wrong_vpc = api.put(api.members_path(), json={"action": "add", "members": [_item("10.0.0.2"), _item("10.0.0.3", subnet_id=SUBNET_B1)]})
    assert wrong_vpc.status_code == 400
    unknown_id = api.put(api.members_path(), json={"action": "delete", "members": [{"id": "00000000-0000-4000-8000-000000000000"}]})
    assert unknown_id.status_code == 404
    assert set(_members(api)) == {("10.0.0.1", 80)}


def test_elb_batch_limits_and_bad_actions(api):
    too_many = [_item("10.1.%d.%d" % (i // 250, i % 250 + 1)) for i in range(201)]
    assert api.put(api.members_path(), json={"action": "add", "members": too_many}).status_code == 400
    assert api.put(api.members_path(), json={"action": "merge", "members": []}).status_code == 400
    assert api.put(api.members_path(), json={"action": "add"}).status_code == 400
    repeated = api.put(api.members_path(), json={"action": "add", "members": [_item("10.0.0.1"), _item("10.0.0.1")]})
    assert repeated.status_code == 400


def test_batch_opens_one_window_and_respects_busy(api):
    api.config(settle_time=0.3)
    assert api.put(api.members_path(), json={"action": "add", "members": [_item("10.0.0.1"), _item("10.0.0.2")]}).status_code == 202
    busy = api.put(api.members_path(), json={"action": "add", "members": [_item("10.0.0.3")]})
    assert busy.status_code == 409
    assert DEMO_LB_ID in busy.json()["NeutronError"]["message"]
    time.sleep(0.35)
    assert api.put(api.members_path(), json={"action": "add", "members": [_item("10.0.0.3")]}).status_code == 202


def test_octavia_dialect(api):
    api.config(batch_dialect="octavia")
    api.create_member("10.0.0.1", name="old")
    api.create_member("10.0.0.2")
    response = api.put(api.members_path(), json={"members": [_item("10.0.0.1", name="new"), _item("10.0.0.3")]})
    assert response.status_code == 202
    members = _members(api)
    assert set(members) == {("10.0.0.1", 80), ("10.0.0.3", 80)}
    assert members[("10.0.0.1", 80)]["name"] == "new"
    response = api.put(api.members_path() + "?additive_only=true", json={"members": [_item("10.0.0.4")]})
    assert response.status_code == 202
    assert set(_members(api)) == {("10.0.0.1", 80), ("10.0.0.3", 80), ("10.0.0.4", 80)}
    assert api.put(api.members_path(), json={"members": [], "action": "add"}).status_code == 400


def test_none_dialect_is_a_missing_route(api):
    api.config(batch_dialect="none")
    response = api.put(api.members_path(), json={"members": []})
    assert response.status_code == 404
    assert response.json()["error_code"] == "APIGW.0101"
    assert api.counts()["routes"]["PUT <unmatched>"] == 1
