# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ElbClient.paginate: next links followed on the same list only, credentials never sent elsewhere, a page cap."""

from __future__ import annotations

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils import client as client_module
from ansible_collections.lbaas.elb.plugins.module_utils.auth import TokenAuth
from ansible_collections.lbaas.elb.plugins.module_utils.client import ElbClient
from ansible_collections.lbaas.elb.plugins.module_utils.errors import ElbError, ElbResponseError

ENDPOINT = "https://elb.example.test"
POOL = "5b6d0f4c-2f0e-4c53-9d2d-6a3f1c2b7e11"
MEMBERS_URL = ENDPOINT + f"/v2.0/lbaas/pools/{POOL}/members"
MEMBERS_PATH = f"/v2.0/lbaas/pools/{POOL}/members"


@pytest.fixture
def client(fake_time):
    return ElbClient(ENDPOINT, TokenAuth("tok"), timeout=60)


def member(n):
    return {"id": f"00000000-0000-4000-8000-{n:012d}", "address": f"10.0.0.{n}", "protocol_port": 80}


def test_pagination_follows_absolute_and_relative_next_links(client, http, calls):
    page2 = MEMBERS_URL + "?limit=1&marker=" + member(1)["id"]
    page3 = MEMBERS_URL + "?limit=1&marker=" + member(2)["id"]
    http.get(MEMBERS_URL + "?limit=1", json={"members": [member(1)], "members_links": [{"rel": "next", "href": page2}]})
    http.get(
        page2,
        json={
            "members": [member(2)],
            "members_links": [{"rel": "previous", "href": "ignored"}, {"rel": "next", "href": "members?limit=1&marker=" + member(2)["id"]}],
        },
    )
    http.get(page3, json={"members": [member(3)], "members_links": []})
    items = list(client.paginate(MEMBERS_PATH, {"limit": 1}, "members"))
    assert items == [member(1), member(2), member(3)]
    assert [url for method, url, body in calls()] == [MEMBERS_URL + "?limit=1", page2, page3]


def test_pagination_stops_on_an_empty_page(client, http, calls):
    page2 = MEMBERS_URL + "?limit=1&marker=" + member(1)["id"]
    http.get(MEMBERS_URL, json={"members": [member(1)], "members_links": [{"rel": "next", "href": page2}]})
    http.get(page2, json={"members": [], "members_links": [{"rel": "next", "href": page2 + "x"}]})
    assert list(client.paginate(MEMBERS_PATH, None, "members")) == [member(1)]
    assert len(calls()) == 2


def test_pagination_stops_when_a_link_repeats(client, http, calls):
    http.get(MEMBERS_URL, json={"members": [member(1)], "members_links": [{"rel": "next", "href": MEMBERS_URL}]})
    assert list(client.paginate(MEMBERS_PATH, None, "members")) == [member(1)]
    assert len(calls()) == 1


def test_pagination_never_sends_credentials_to_another_host(client, http, calls):
    http.get(
        MEMBERS_URL,
        json={"members": [member(1)], "members_links": [{"rel": "next", "href": f"http://internal-octavia:9876/v2.0/lbaas/pools/{POOL}/members?marker=m"}]},
    )
    http.get(MEMBERS_URL + "?marker=m", json={"members": [], "members_links": []})
    list(client.paginate(MEMBERS_PATH, None, "members"))
    assert [url for method, url, body in calls()] == [MEMBERS_URL, MEMBERS_URL + "?marker=m"]
    assert all(call.request.url.startswith(ENDPOINT + "/") for call in http.calls)


def test_pagination_requires_the_list(client, http):
    http.get(MEMBERS_URL, json={"member": []})
    with pytest.raises(ElbResponseError) as info:
        list(client.paginate(MEMBERS_PATH, None, "members"))
    assert "'members' list" in info.value.message


@pytest.mark.parametrize(
    "href",
    [
        ENDPOINT + "/v2.0/lbaas/loadbalancers?marker=x",
        "../../loadbalancers?marker=x",
        f"/v2.0/lbaas/pools/{POOL}/members/../../../loadbalancers",
        f"https://elsewhere.test/v2.0/lbaas/pools/{POOL}/members/extra",
    ],
    ids=["absolute-other-list", "relative-up", "dot-segments", "other-host-other-path"],
)
def test_a_next_link_to_another_path_is_an_error(client, http, calls, href):
    http.get(MEMBERS_URL, json={"members": [member(1)], "members_links": [{"rel": "next", "href": href}]})
    with pytest.raises(ElbResponseError) as info:
        list(client.paginate(MEMBERS_PATH, None, "members"))
    assert f"its next link leaves the list {MEMBERS_PATH}" in info.value.message
    assert len(calls()) == 1


def test_a_server_that_keeps_inventing_next_links_stops_at_the_page_cap(client, http, calls, monkeypatch):
    monkeypatch.setattr(client_module, "MAX_PAGES", 5)
    for page in range(5):
        http.get(
            MEMBERS_URL + ("" if page == 0 else f"?marker=m{page}"),
            json={"members": [member(page + 1)], "members_links": [{"rel": "next", "href": f"members?marker=m{page + 1}"}]},
        )
    with pytest.raises(ElbError) as info:
        list(client.paginate(MEMBERS_PATH, None, "members"))
    assert info.value.message == f"GET {MEMBERS_PATH}: the API gave a next link on each of 5 pages; stopped there (a list this long is not plausible)"
    assert len(calls()) == 5


def test_a_next_link_that_is_not_a_url_is_a_clear_error(client, http, calls):
    http.get(MEMBERS_URL, json={"members": [member(1)], "members_links": [{"rel": "next", "href": "http://[broken/members"}]})
    with pytest.raises(ElbResponseError) as info:
        list(client.paginate(MEMBERS_PATH, None, "members"))
    assert f"GET {MEMBERS_PATH}" in info.value.message
    assert len(calls()) == 1
