"""Neutron's pagination: limit/marker/page_reverse parsing, page selection and the exact link rules (section 4).

Results are in ascending id order unless sort keys say otherwise; an unknown marker yields an empty
page, as with Neutron's emulated paging.
"""

import bisect
from urllib.parse import urlencode

from .errors import bad_request

TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")


def last_value(req, key):
    values = req.query_values(key)
    return values[-1] if values else None


def parse_bool_word(text):
    lowered = text.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise bad_request("Invalid input for operation: '%s' cannot be converted to boolean." % text)


def parse_limit(req, forced_limit):
    """The effective page size, or 0 for "no paging".

    ``forced_limit`` behaves like Neutron's pagination_max_limit: it applies when the client sends no
    limit, limit=0, or a larger one.
    """
    text = last_value(req, "limit")
    limit = 0
    if text is not None:
        try:
            limit = int(text)
        except ValueError:
            limit = -1
        if limit < 0:
            raise bad_request("Limit must be an integer 0 or greater and not '%s'" % text)
    if forced_limit and (limit == 0 or limit > forced_limit):
        limit = forced_limit
    return limit


def parse_page_reverse(req):
    text = last_value(req, "page_reverse")
    return parse_bool_word(text) if text is not None else False


def page_of_sorted_ids(sorted_ids, limit, marker, page_reverse):
    """Slice a page out of an ascending id list with bisect: O(log n + limit)."""
    if marker is None:
        return sorted_ids[-limit:] if page_reverse else sorted_ids[:limit]
    if page_reverse:
        end = bisect.bisect_left(sorted_ids, marker)
        return sorted_ids[max(0, end - limit) : end]
    start = bisect.bisect_right(sorted_ids, marker)
    return sorted_ids[start : start + limit]


def page_of_ordered(ordered, limit, marker_position, page_reverse):
    """Slice a page out of a fully ordered list in which the marker sits at ``marker_position``."""
    if marker_position is None:
        return ordered[-limit:] if page_reverse else ordered[:limit]
    if page_reverse:
        return ordered[max(0, marker_position - limit) : marker_position]
    return ordered[marker_position + 1 : marker_position + 1 + limit]


def _href(req, params):
    query = urlencode(params)
    return "%s%s%s" % (req.host_url(), req.raw_path, "?" + query if query else "")


def pagination_links(req, page_ids, limit, page_reverse):
    """Neutron's get_pagination_links: a full last page still has ``next``; forward pages always have ``previous``."""
    links = []
    if not limit:
        return links
    short_page = len(page_ids) < limit
    if not (short_page and not page_reverse):
        params = [pair for pair in req.query if pair[0] != "marker"]
        if page_ids:
            params.append(("marker", page_ids[-1]))
        params = [pair for pair in params if pair[0] != "page_reverse"]
        links.append({"rel": "next", "href": _href(req, params)})
    if not (short_page and page_reverse):
        params = [pair for pair in req.query if pair[0] != "marker"]
        if page_ids:
            params.append(("marker", page_ids[0]))
        params = [pair for pair in params if pair[0] != "page_reverse"]
        params.append(("page_reverse", "True"))
        links.append({"rel": "previous", "href": _href(req, params)})
    return links
