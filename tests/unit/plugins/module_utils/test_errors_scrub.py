# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright (c) 2026, lbaas.elb contributors
from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.errors import SCRUBBED, scrub_text

SECRET = 'Pw "q\\uot€" ß/+&x'


@pytest.mark.parametrize(
    "echoed",
    [
        SECRET,
        quote(SECRET, safe=""),
        quote_plus(SECRET),
        json.dumps(SECRET)[1:-1],
        json.dumps(SECRET, ensure_ascii=False)[1:-1],
    ],
    ids=["raw", "percent", "form", "json-ascii", "json-utf8"],
)
def test_every_echoed_form_of_a_secret_is_scrubbed(echoed):
    text = '401 {"auth": {"password": "%s"}} request id req-1' % echoed
    scrubbed = scrub_text(text, [SECRET])
    assert echoed not in scrubbed
    assert SCRUBBED in scrubbed
    assert scrubbed.endswith("request id req-1")
