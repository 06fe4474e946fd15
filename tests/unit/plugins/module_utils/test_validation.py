# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbValidationError
from ansible_collections.lbaas.elb.plugins.module_utils.validation import (
    normalize_address,
    normalize_endpoint,
    parse_pool_reference,
    validate_member_filters,
    validate_member_options,
    validate_pool_members_options,
)

POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
SUBNET = "0d5e2b2a-8b4d-4f8e-9e53-3c6c2e6f2b90"


def params(**changes):
    values = {
        "pool": POOL,
        "address": "10.0.0.5",
        "protocol_port": 80,
        "subnet_id": SUBNET,
        "name": None,
        "weight": None,
        "admin_state_up": True,
        "state": "present",
        "timeout": 180,
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    "option, value, accepted",
    [
        ("pool", "../loadbalancers/x", "pool id"),
        ("pool", "a?b=c", "pool name"),
        ("pool", "%2e%2e", "pool name"),
        ("pool", "a/b", "pool name"),
        ("pool", "a b", "pool name"),
        ("pool", "", "pool name"),
        ("pool", ".", "not '.' or '..'"),
        ("pool", "\u0440ool", "pool name"),
        ("address", "300.1.1.1", "IPv4 or IPv6"),
        ("address", "::1::2", "IPv4 or IPv6"),
        ("address", " 10.0.0.1", "IPv4 or IPv6"),
        ("address", "fe80::1%25eth0", "zone index"),
        ("address", "10.0.0.1/32", "IPv4 or IPv6"),
        ("address", "a" * 65, "at most 64"),
        ("protocol_port", 0, "from 1 to 65535"),
        ("protocol_port", 70000, "from 1 to 65535"),
        ("protocol_port", True, "from 1 to 65535"),
        ("weight", -1, "from 0 to 256"),
        ("weight", 300, "from 0 to 256"),
        ("name", "n" * 256, "at most 255"),
        ("subnet_id", "not-a-uuid", "UUID"),
        ("subnet_id", SUBNET + "/..", "UUID"),
        # Whole values only: a pattern that ``$`` would end before a trailing newline must not match.
        ("subnet_id", SUBNET + "\n", "UUID"),
        ("pool", POOL + "\n", "pool id"),
        ("pool", "web-pool\n", "pool name"),
        ("address", "10.0.0.1\n", "IPv4 or IPv6"),
    ],
)
def test_bad_member_options(option, value, accepted):
    with pytest.raises(ElbValidationError) as info:
        validate_member_options(params(**{option: value}))
    error = info.value
    assert (error.option, error.value) == (option, value)
    assert f"'{option}'" in error.message
    assert repr(value) in error.message
    assert accepted in error.message


def test_good_member_options_are_normalized():
    desired = validate_member_options(params(address="2001:DB8:0::1", name="web", weight=0, pool="web-pool.v2"))
    assert desired == {
        "pool_kind": "name",
        "pool": "web-pool.v2",
        "address": "2001:db8::1",
        "protocol_port": 80,
        "subnet_id": SUBNET,
        "state": "present",
        "attributes": {"name": "web", "weight": 0, "admin_state_up": True},
    }


def test_unset_attributes_are_not_compared():
    desired = validate_member_options(params(admin_state_up=None, subnet_id=None))
    assert desired["attributes"] == {}
    assert desired["subnet_id"] is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("192.168.44.11", "192.168.44.11"),
        ("2001:0DB8:0000::0001", "2001:db8::1"),
        ("::FFFF:10.0.0.1", None),
    ],
)
def test_addresses_are_compressed(value, expected):
    normalized = normalize_address("address", value)
    if expected is not None:
        assert normalized == expected
    assert normalized == normalized.lower()


def test_pool_reference_kinds():
    assert parse_pool_reference("pool", POOL) == ("id", POOL)
    assert parse_pool_reference("pool", POOL.upper()) == ("id", POOL.upper())
    assert parse_pool_reference("pool", "my_pool-1.a") == ("name", "my_pool-1.a")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://elb.eu-de.otc.t-systems.com", "https://elb.eu-de.otc.t-systems.com"),
        ("https://elb.eu-de.otc.t-systems.com/", "https://elb.eu-de.otc.t-systems.com"),
        ("https://elb.eu-de.otc.t-systems.com/v1.0/0a1b2c3d4e5f", "https://elb.eu-de.otc.t-systems.com"),
        ("https://elb.eu-de.otc.t-systems.com/v2.0", "https://elb.eu-de.otc.t-systems.com"),
        ("https://elb.eu-de.otc.t-systems.com/v2.0/", "https://elb.eu-de.otc.t-systems.com"),
        ("http://127.0.0.1:9876/v2", "http://127.0.0.1:9876"),
        ("http://cloud.test/load-balancer/v2", "http://cloud.test/load-balancer"),
        ("http://cloud.test/load-balancer", "http://cloud.test/load-balancer"),
    ],
)
def test_endpoint_is_cut_back_to_its_base(value, expected):
    assert normalize_endpoint("endpoint", value) == expected


@pytest.mark.parametrize(
    "value", ["elb.example.test", "ftp://elb.example.test", "https://", "https://h/?x=1", "https://user:pw@h", "https://h:99999", "https://h/ x"]
)
def test_bad_endpoints(value):
    with pytest.raises(ElbValidationError) as info:
        normalize_endpoint("endpoint", value)
    assert "endpoint" in info.value.message


@pytest.mark.parametrize(
    "value, shown",
    [
        ("http://:pw-SENTINEL@elb.example.test", "http://********@elb.example.test"),
        ("https://user:pw-SENTINEL@elb.example.test:8443/v2.0", "https://********@elb.example.test:8443/v2.0"),
        ("https://pw-SENTINEL@elb.example.test", "https://********@elb.example.test"),
        ("https://@elb.example.test", "https://********@elb.example.test"),
        ("https://a@pw-SENTINEL@elb.example.test", "https://********@elb.example.test"),
        ("https://user:pw-SENTINEL@[2001:db8::1]:443/", "https://********@[2001:db8::1]:443/"),
    ],
)
def test_any_at_sign_in_the_host_part_is_refused_and_redacted(value, shown):
    with pytest.raises(ElbValidationError) as info:
        normalize_endpoint("endpoint", value)
    assert "SENTINEL" not in info.value.message and "SENTINEL" not in str(info.value.value)
    assert repr(shown) in info.value.message
    assert "credentials go in the auth options" in info.value.message


def test_an_at_sign_after_the_host_is_not_userinfo():
    assert normalize_endpoint("endpoint", "https://elb.example.test/tenant@x") == "https://elb.example.test/tenant@x"


# -- elb_pool_members and elb_member_info ----------------------------------------------------------------------------


def pool_params(members, **changes):
    values = {"pool": POOL, "members": members, "purge": False, "strategy": "auto", "wait": True, "timeout": 600}
    values.update(changes)
    return values


def test_pool_members_are_normalized_and_named_by_index():
    options = validate_pool_members_options(
        pool_params(
            [
                {"address": "2001:DB8:0::1", "protocol_port": 443, "subnet_id": SUBNET, "name": None, "weight": None, "admin_state_up": None},
                {"address": "10.0.0.2", "protocol_port": 80, "subnet_id": None, "name": "b", "weight": 0, "admin_state_up": False},
            ],
            pool="web-pool",
            purge=True,
        )
    )
    assert options == {
        "pool_kind": "name",
        "pool": "web-pool",
        "purge": True,
        "members": [
            {
                "option": "members[0]",
                "pool": "web-pool",
                "address": "2001:db8::1",
                "protocol_port": 443,
                "subnet_id": SUBNET,
                "state": "present",
                "attributes": {},
            },
            {
                "option": "members[1]",
                "pool": "web-pool",
                "address": "10.0.0.2",
                "protocol_port": 80,
                "subnet_id": None,
                "state": "present",
                "attributes": {"name": "b", "weight": 0, "admin_state_up": False},
            },
        ],
    }


@pytest.mark.parametrize(
    "item, option, accepted",
    [
        ({"protocol_port": 80}, "members[1].address", "is required"),
        ({"address": "10.0.0.9"}, "members[1].protocol_port", "is required"),
        ({"address": "10.0.0.9", "protocol_port": 80, "weight": 257}, "members[1].weight", "from 0 to 256"),
        ({"address": "10.0.0.9", "protocol_port": 80, "subnet_id": "x"}, "members[1].subnet_id", "UUID"),
        ({"address": "10.0.0.9", "protocol_port": 80, "subnet_id": SUBNET + "\n"}, "members[1].subnet_id", "UUID"),
        ({"address": "10.0.0.9/32", "protocol_port": 80}, "members[1].address", "IPv4 or IPv6"),
    ],
)
def test_bad_pool_member_items_name_the_item(item, option, accepted):
    with pytest.raises(ElbValidationError) as info:
        validate_pool_members_options(pool_params([{"address": "10.0.0.1", "protocol_port": 80}, item]))
    assert info.value.option == option
    assert f"'{option}'" in info.value.message
    assert accepted in info.value.message


def test_repeated_pool_member_is_an_error():
    with pytest.raises(ElbValidationError) as info:
        validate_pool_members_options(
            pool_params(
                [{"address": "10.0.0.1", "protocol_port": 80}, {"address": "10.0.0.2", "protocol_port": 80}, {"address": "10.0.0.2", "protocol_port": 80}]
            )
        )
    assert info.value.option == "members[2]"
    assert "repeats the member 10.0.0.2:80 of members[1]" in info.value.message


def test_same_address_on_another_port_is_another_member():
    options = validate_pool_members_options(pool_params([{"address": "10.0.0.1", "protocol_port": 80}, {"address": "10.0.0.1", "protocol_port": 81}]))
    assert len(options["members"]) == 2


def test_an_empty_member_list_is_valid():
    assert validate_pool_members_options(pool_params([], purge=True))["members"] == []


def test_member_filters_keep_only_what_is_set():
    query = validate_member_filters({"pool": POOL, "address": "2001:DB8::5", "protocol_port": None, "subnet_id": SUBNET.upper(), "admin_state_up": False})
    assert query == {"pool_kind": "id", "pool": POOL, "filters": {"address": "2001:db8::5", "subnet_id": SUBNET, "admin_state_up": False}}


@pytest.mark.parametrize(
    "option, value",
    [
        ("address", "x"),
        ("protocol_port", 0),
        ("weight", -1),
        ("subnet_id", "x"),
        ("subnet_id", SUBNET + "\n"),
        ("name", "n" * 256),
        ("pool", "a/b"),
        ("pool", POOL + "\n"),
    ],
)
def test_bad_member_filters(option, value):
    with pytest.raises(ElbValidationError) as info:
        validate_member_filters({"pool": POOL, option: value})
    assert info.value.option == option
