"""Octavia's member extras (monitor_address, monitor_port, backup, tags) and integer strings on update.

The ``octavia`` flavor accepts and returns them like Octavia 19; the ``elb`` flavor knows none of them.
"""

import pytest

EXTRAS = ("monitor_address", "monitor_port", "backup", "tags")


def _extras(member):
    return {key: member[key] for key in EXTRAS}


def test_defaults_everywhere(api):
    api.config(flavor="octavia")
    member = api.create_member("10.0.0.1").json()["member"]
    defaults = {"monitor_address": None, "monitor_port": None, "backup": False, "tags": []}
    assert _extras(member) == defaults
    assert _extras(api.get(api.members_path() + "/" + member["id"]).json()["member"]) == defaults
    assert _extras(api.get(api.members_path()).json()["members"][0]) == defaults
    assert _extras(api.get("/v2/lbaas/members").json()["members"][0]) == defaults


def test_create_update_show_list(api):
    api.config(flavor="octavia")
    created = api.create_member("10.0.0.1", monitor_address="2001:DB8::0:1", monitor_port="9000", backup=True, tags=["blue", "web"])
    assert created.status_code == 201, created.text
    member = created.json()["member"]
    wanted = {"monitor_address": "2001:db8::1", "monitor_port": 9000, "backup": True, "tags": ["blue", "web"]}
    assert _extras(member) == wanted
    path = api.members_path() + "/" + member["id"]
    assert _extras(api.get(path).json()["member"]) == wanted
    assert [item["id"] for item in api.get(api.members_path() + "?backup=true&monitor_port=9000").json()["members"]] == [member["id"]]
    assert api.get(api.members_path() + "?monitor_address=2001:db8:0::1").json()["members"][0]["id"] == member["id"]
    assert api.get(api.members_path() + "?backup=false").json()["members"] == []

    updated = api.put(path, json={"member": {"monitor_port": 9100, "backup": False, "tags": ["green"]}})
    assert updated.status_code == 200, updated.text
    assert _extras(updated.json()["member"]) == {"monitor_address": "2001:db8::1", "monitor_port": 9100, "backup": False, "tags": ["green"]}
    # Absent keys stay as they are; null unsets the monitor address and port.
    api.put(path, json={"member": {"weight": "7"}})
    unset = api.put(path, json={"member": {"monitor_address": None, "monitor_port": None}}).json()["member"]
    assert _extras(unset) == {"monitor_address": None, "monitor_port": None, "backup": False, "tags": ["green"]}
    assert unset["weight"] == 7
    assert api.get(api.members_path()).json()["members"][0]["tags"] == ["green"]


def test_octavia_batch_carries_extras(api):
    api.config(flavor="octavia")
    item = {"address": "10.0.0.1", "protocol_port": 80, "monitor_port": 9000, "tags": ["a"], "backup": True}
    assert api.put(api.members_path(), json={"members": [item]}).status_code == 202
    member = api.get(api.members_path()).json()["members"][0]
    assert _extras(member) == {"monitor_address": None, "monitor_port": 9000, "backup": True, "tags": ["a"]}


@pytest.mark.parametrize(
    "changes, attribute",
    [
        ({"monitor_port": 0}, "monitor_port"),
        ({"monitor_port": 65536}, "monitor_port"),
        ({"monitor_port": "90.5"}, "monitor_port"),
        ({"monitor_port": True}, "monitor_port"),
        ({"monitor_address": "not-an-ip"}, "monitor_address"),
        ({"monitor_address": 10}, "monitor_address"),
        ({"backup": "yes"}, "backup"),
        ({"tags": "web"}, "tags"),
        ({"tags": [1]}, "tags"),
        ({"tags": ["x" * 256]}, "tags"),
    ],
)
def test_octavia_validation(api, changes, attribute):
    api.config(flavor="octavia")
    created = api.create_member("10.0.0.1", **changes)
    assert created.status_code == 400
    assert created.json()["faultstring"].startswith("Invalid input for field/attribute %s." % attribute)
    member_id = api.create_member("10.0.0.2").json()["member"]["id"]
    updated = api.put(api.members_path() + "/" + member_id, json={"member": changes})
    assert updated.status_code == 400
    assert updated.json()["faultstring"].startswith("Invalid input for field/attribute %s." % attribute)


@pytest.mark.parametrize("attribute, value", [("monitor_address", "10.0.0.9"), ("monitor_port", 9000), ("backup", False), ("tags", [])])
def test_elb_flavor_refuses_octavia_extras(api, attribute, value):
    created = api.create_member("10.0.0.1", **{attribute: value})
    assert created.status_code == 400
    assert created.json()["NeutronError"]["message"] == "Unrecognized attribute(s) '%s'" % attribute
    member = api.create_member("10.0.0.2").json()["member"]
    assert not set(EXTRAS) & set(member)
    updated = api.put(api.members_path() + "/" + member["id"], json={"member": {attribute: value}})
    assert updated.status_code == 400
    assert updated.json()["NeutronError"]["message"] == "Unrecognized attribute(s) '%s'" % attribute
    batch = api.put(api.members_path(), json={"members": [{"address": "10.0.0.3", "protocol_port": 80, "subnet_id": member["subnet_id"], attribute: value}]})
    assert batch.status_code == 400


@pytest.mark.parametrize("weight, status", [("7", 200), (" 8 ", 200), ("+9", 200), ("7.0", 400), (7.0, 400), (True, 400), ("", 400)])
def test_update_weight_integer_strings(api, weight, status):
    member_id = api.create_member("10.0.0.1").json()["member"]["id"]
    response = api.put(api.members_path() + "/" + member_id, json={"member": {"weight": weight}})
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["member"]["weight"] == int(weight)
