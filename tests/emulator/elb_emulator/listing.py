"""List requests: Neutron filter semantics, ``fields=``, sorting, and pagination of one collection (section 4).

Repeating a filter key means OR, different keys mean AND; values are converted to the field's type
and addresses compare as ipaddress objects.  Unknown filter keys are ignored, as neutron-lbaas did.
"""

import ipaddress

from .errors import bad_request
from .pagination import last_value, page_of_ordered, page_of_sorted_ids, pagination_links, parse_bool_word, parse_limit, parse_page_reverse

RESERVED_KEYS = frozenset(("fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse"))
_NO_MATCH = object()


class Field:
    """A filterable and sortable attribute: ``kind`` is str, int, bool or ip."""

    __slots__ = ("kind", "getter")

    def __init__(self, kind, getter):
        self.kind = kind
        self.getter = getter


def attribute(kind, name):
    return Field(kind, lambda item: getattr(item, name))


class Collection:
    """What list_collection needs to know about one collection of one request."""

    def __init__(self, name, fields, items, lookup, render, sorted_ids=None, narrow=None):
        self.name = name
        self.fields = fields
        self.items = items
        self.lookup = lookup
        self.render = render
        self.sorted_ids = sorted_ids
        self.narrow = narrow


def _convert(kind, text):
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise bad_request("Invalid input for operation: '%s' is not an integer." % text) from None
    if kind == "bool":
        return parse_bool_word(text)
    if kind == "ip":
        try:
            return ipaddress.ip_address(text.strip())
        except ValueError:
            return _NO_MATCH
    return text


def parse_filters(req, fields):
    """{field: set of converted values}; Neutron drops empty values, so ``?name=`` filters nothing."""
    filters = {}
    for key, value in req.query:
        if key in RESERVED_KEYS or key not in fields or value == "":
            continue
        filters.setdefault(key, set()).add(_convert(fields[key].kind, value))
    return filters


def parse_fields(req):
    selected = []
    for value in req.query_values("fields"):
        selected.extend(part.strip() for part in value.split(",") if part.strip())
    return selected


def parse_sorts(req, fields):
    keys = req.query_values("sort_key")
    dirs = req.query_values("sort_dir")
    if len(keys) != len(dirs):
        raise bad_request("The number of sort_keys and sort_dirs must be same")
    absent = [key for key in keys if key not in fields]
    if absent:
        raise bad_request("%s is invalid attribute for sort_keys" % absent)
    invalid = [direction for direction in dirs if direction not in ("asc", "desc")]
    if invalid:
        raise bad_request("%s is invalid value for sort_dirs, valid value is 'asc' and 'desc'" % invalid)
    return list(zip(keys, dirs))


def _matches(item, filters, fields):
    for key, wanted in filters.items():
        if fields[key].getter(item) not in wanted:
            return False
    return True


def _sort_value(kind, value):
    if value is None:
        return (0, 0)
    if kind == "ip":
        return (1, (value.version, int(value)))
    return (1, value)


def _ordered(items, sorts, fields):
    ordered = list(items)
    # Stable sorts from the least to the most significant key; id breaks ties like Neutron's paginate.
    for key, direction in reversed(list(sorts) + [("id", "asc")]):
        field = fields[key]
        ordered.sort(key=lambda item, f=field: _sort_value(f.kind, f.getter(item)), reverse=direction == "desc")
    return ordered


def _select(collection, filters, sorts, limit, marker, page_reverse):
    fields = collection.fields
    if not filters and not sorts and collection.sorted_ids is not None:
        ids = collection.sorted_ids()
        if not limit:
            return [collection.lookup(item_id) for item_id in ids]
        if marker is not None and collection.lookup(marker) is None:
            return []
        return [collection.lookup(item_id) for item_id in page_of_sorted_ids(ids, limit, marker, page_reverse)]

    candidates = None
    if "id" in filters:
        candidates = [item for item in (collection.lookup(item_id) for item_id in filters["id"]) if item is not None]
    elif filters and collection.narrow is not None:
        candidates = collection.narrow(filters)
    if candidates is None:
        candidates = collection.items()
    matched = [item for item in candidates if _matches(item, filters, fields)]
    if not limit:
        return _ordered(matched, sorts, fields)
    marker_position = None
    if marker is not None:
        marker_item = collection.lookup(marker)
        if marker_item is None:
            return []
        if not any(item is marker_item for item in matched):
            matched.append(marker_item)
        ordered = _ordered(matched, sorts, fields)
        marker_position = next(i for i, item in enumerate(ordered) if item is marker_item)
    else:
        ordered = _ordered(matched, sorts, fields)
    return page_of_ordered(ordered, limit, marker_position, page_reverse)


def list_collection(app, req, collection):
    """Answer a list request: ``{name: [...]}`` plus ``name_links`` when paginated (always, for Octavia)."""
    config = app.config
    filters = {} if config["ignore_filters"] else parse_filters(req, collection.fields)
    selected = parse_fields(req)
    sorts = parse_sorts(req, collection.fields)
    limit = parse_limit(req, config["default_limit"])
    page_reverse = parse_page_reverse(req) if limit else False
    marker = last_value(req, "marker") if limit else None

    page = _select(collection, filters, sorts, limit, marker, page_reverse)
    rendered = [collection.render(item) for item in page]
    if selected:
        rendered = [{key: value for key, value in item.items() if key in selected} for item in rendered]
    payload = {collection.name: rendered}
    if limit or config["flavor"] == "octavia":
        payload[collection.name + "_links"] = pagination_links(req, [item.id for item in page], limit, page_reverse)
    return payload
