"""Member lists: filters (OR within a key, AND across keys), fields, sorting, and Neutron's pagination links."""

import time
from urllib.parse import parse_qsl, urlsplit

import pytest


@pytest.fixture(name="five")
def fixture_five(api):
    """Five seeded members; returns their ids in ascending order (the list order)."""
    api.seed(5, start="10.0.1.1")
    return sorted(member["id"] for member in api.get(api.members_path()).json()["members"])


def _page(api, query):
    response = api.get(api.members_path() + query)
    assert response.status_code == 200, response.text
    body = response.json()
    links = {link["rel"]: link["href"] for link in body.get("members_links", [])}
    return [member["id"] for member in body["members"]], links, body


def _query(href):
    return dict(parse_qsl(urlsplit(href).query))


def test_no_limit_returns_everything_without_links(api, five):
    ids, body = _page(api, "")[0::2]
    assert ids == five
    assert "members_links" not in body


def test_first_page_has_next_and_previous(api, five):
    ids, links = _page(api, "?limit=2")[:2]
    assert ids == five[:2]
    assert _query(links["next"]) == {"limit": "2", "marker": five[1]}
    assert _query(links["previous"]) == {"limit": "2", "marker": five[0], "page_reverse": "True"}
    assert links["next"].startswith(api.base + api.members_path() + "?")


def test_short_last_page_has_no_next(api, five):
    ids, links = _page(api, "?limit=2&marker=" + five[3])[:2]
    assert ids == five[4:]
    assert set(links) == {"previous"}


def test_full_last_page_still_has_next_and_the_page_after_is_empty(api, five):
    ids, links = _page(api, "?limit=1&marker=" + five[3])[:2]
    assert ids == [five[4]]
    assert "next" in links
    after, after_links = _page(api, "?" + urlsplit(links["next"]).query)[:2]
    assert after == []
    assert set(after_links) == {"previous"}
    assert "marker" not in _query(after_links["previous"])


def test_following_next_links_walks_every_member_once(api, five):
    seen = []
    query = "?limit=2"
    for _attempt in range(10):
        ids, links = _page(api, query)[:2]
        seen.extend(ids)
        if "next" not in links:
            break
        query = "?" + urlsplit(links["next"]).query
    assert seen == five


def test_page_reverse(api, five):
    ids, links = _page(api, "?limit=2&page_reverse=True&marker=" + five[4])[:2]
    assert ids == five[2:4]
    assert _query(links["next"]) == {"limit": "2", "marker": five[3]}
    assert _query(links["previous"])["marker"] == five[2]
    ids, links = _page(api, "?limit=2&page_reverse=true&marker=" + five[1])[:2]
    assert ids == five[:1]
    assert set(links) == {"next"}
    ids = _page(api, "?limit=2&page_reverse=True")[0]
    assert ids == five[3:]


def test_unknown_marker_gives_an_empty_page(api, five):
    ids, links = _page(api, "?limit=2&marker=00000000-0000-4000-8000-000000000000")[:2]
    assert ids == [] and set(links) == {"previous"}
    assert five


@pytest.mark.parametrize("limit", ["-1", "abc", "1.5"])
def test_bad_limit_is_400(api, limit):
    response = api.get(api.members_path() + "?limit=" + limit)
    assert response.status_code == 400
    assert response.json()["NeutronError"]["message"] == "Limit must be an integer 0 or greater and not '%s'" % limit


def test_limit_zero_means_no_paging(api, five):
    ids, body = _page(api, "?limit=0")[0::2]
    assert ids == five and "members_links" not in body


def test_links_use_the_host_header(api, five):
    response = api.get(api.members_path() + "?limit=1", headers={"Host": "elb.eu-de.example.test"})
    hrefs = [link["href"] for link in response.json()["members_links"]]
    assert all(href.startswith("http://elb.eu-de.example.test/v2.0/lbaas/pools/") for href in hrefs)
    assert five


def test_default_limit_forces_paging(api, five):
    api.config(default_limit=2)
    ids, links = _page(api, "")[:2]
    assert ids == five[:2] and "next" in links
    seen = list(ids)
    while "next" in links:
        ids, links = _page(api, "?" + urlsplit(links["next"]).query)[:2]
        seen.extend(ids)
    assert seen == five


def test_octavia_flavor_always_has_links(api):
    api.config(flavor="octavia")
    assert api.get(api.members_path()).json() == {"members": [], "members_links": []}


@pytest.fixture(name="mixed")
def fixture_mixed(api):
    api.config(allow_admin_state_down=True)
    made = {}
    for key, address, port, name, weight, up in (
        ("m1", "10.0.0.1", 80, "a", 1, True),
        ("m2", "10.0.0.2", 80, "b", 5, True),
        ("m3", "10.0.0.1", 81, "a", 5, True),
        ("m4", "2001:db8::1", 80, "c", 9, False),
    ):
        made[key] = api.create_member(address, port, name=name, weight=weight, admin_state_up=up).json()["member"]["id"]
    return made


@pytest.mark.parametrize(
    "query, expected",
    [
        ("address=10.0.0.1", {"m1", "m3"}),
        ("address=10.0.0.1&protocol_port=81", {"m3"}),
        ("address=10.0.0.1&address=10.0.0.2", {"m1", "m2", "m3"}),
        ("address=10.0.0.1&address=10.0.0.2&protocol_port=80", {"m1", "m2"}),
        ("protocol_port=80&weight=5", {"m2"}),
        ("name=a", {"m1", "m3"}),
        ("admin_state_up=true", {"m1", "m2", "m3"}),
        ("admin_state_up=False", {"m4"}),
        ("address=2001:DB8:0:0::1", {"m4"}),
        ("address=not-an-ip", set()),
        ("name=", {"m1", "m2", "m3", "m4"}),
        ("no_such_filter=1", {"m1", "m2", "m3", "m4"}),
    ],
)
def test_filters(api, mixed, query, expected):
    names = {value: key for key, value in mixed.items()}
    ids = _page(api, "?" + query)[0]
    assert {names[member_id] for member_id in ids} == expected


def test_bad_filter_values_are_400(api, mixed):
    assert api.get(api.members_path() + "?protocol_port=http").status_code == 400
    assert api.get(api.members_path() + "?admin_state_up=maybe").status_code == 400
    assert mixed


def test_fields_selects_columns(api, mixed):
    members = api.get(api.members_path() + "?fields=id&fields=address").json()["members"]
    assert len(members) == 4 and all(set(member) == {"id", "address"} for member in members)
    assert mixed


def test_sorting(api, mixed):
    ids = _page(api, "?sort_key=weight&sort_dir=desc&sort_key=name&sort_dir=asc")[0]
    names = {value: key for key, value in mixed.items()}
    assert [names[i] for i in ids][:1] == ["m4"]
    assert [names[i] for i in ids][1:3] == ["m3", "m2"]
    assert api.get(api.members_path() + "?sort_key=weight").status_code == 400
    assert api.get(api.members_path() + "?sort_key=weight&sort_dir=up").status_code == 400
    assert api.get(api.members_path() + "?sort_key=color&sort_dir=asc").status_code == 400


def test_sorted_pagination(api, mixed):
    first, links = _page(api, "?sort_key=weight&sort_dir=desc&limit=2")[:2]
    second = _page(api, "?" + urlsplit(links["next"]).query)[0]
    assert len(set(first + second)) == 4
    assert mixed


def test_ignore_filters_returns_everything(api, mixed):
    api.config(ignore_filters=True)
    ids = _page(api, "?address=10.0.0.1&protocol_port=81")[0]
    assert len(ids) == 4
    assert mixed


def test_seed_speed_and_big_pool_lookups(api):
    api.config(members_per_pool=100000)
    started = time.monotonic()
    result = api.seed(10000, start="10.10.0.1", protocol_port=8080)
    assert time.monotonic() - started < 2.0
    assert result["created"] == 10000 and result["last_address"] == "10.10.39.16"
    started = time.monotonic()
    ids = _page(api, "?address=10.10.20.1&protocol_port=8080")[0]
    assert len(ids) == 1
    ids, links = _page(api, "?limit=100")[:2]
    assert len(ids) == 100
    ids2 = _page(api, "?" + urlsplit(links["next"]).query)[0]
    assert len(ids2) == 100 and ids2[0] > ids[-1]
    assert time.monotonic() - started < 1.0
    assert api.create_member("10.10.20.1", 8080).status_code == 409
