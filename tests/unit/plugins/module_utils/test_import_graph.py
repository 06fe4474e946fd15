# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The import graph of plugins/module_utils: one way, client at the bottom, and drawn as it is in docs/architecture.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
MODULE_UTILS = ROOT / "plugins" / "module_utils"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
PACKAGE = "ansible_collections.lbaas.elb.plugins.module_utils"
DRAWN_LINE = re.compile(r"^(\w+)\s+──>\s+(.+?)(?:\s+lazily:\s+(.+))?$")
# What the client must not know: load balancers, members, auth strategies, settings, the module.
ABOVE_CLIENT = {"auth", "aksk", "settings", "clouds", "loadbalancers", "members", "health", "pools", "batch", "module"}


def imports_of(source):
    """(top-level, lazy) sibling module_utils a file imports; lazy ones are imported inside a function."""
    tree = ast.parse(source)
    top, lazy = set(), set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 1:
            names = {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
        elif node.level == 0 and node.module and node.module.startswith(PACKAGE):
            rest = node.module[len(PACKAGE) :].lstrip(".")
            names = {rest.split(".")[0]} if rest else {alias.name for alias in node.names}
        else:
            continue
        (top if node in tree.body else lazy).update(names)
    return top, lazy


def code_graph():
    graph = {}
    for path in sorted(MODULE_UTILS.glob("*.py")):
        if path.stem != "__init__":
            graph[path.stem] = imports_of(path.read_text())
    assert graph, f"no module_utils under {MODULE_UTILS}"
    return graph


def drawn_graph():
    text = ARCHITECTURE.read_text()
    block = text.split("<!-- import graph -->", 1)[1].split("```", 2)[1]
    graph = {}
    for line in block.strip().splitlines():
        match = DRAWN_LINE.match(line.strip())
        assert match, f"docs/architecture.md: cannot read the import graph line {line!r}"
        name, top, lazy = match.groups()
        top_set = set() if top.strip() == "(nothing)" else {item.strip() for item in top.split(",")}
        lazy_set = {item.strip() for item in lazy.split(",")} if lazy else set()
        graph[name] = (top_set, lazy_set)
    return graph


def reach(graph, start):
    seen, todo = set(), [start]
    while todo:
        for name in graph.get(todo.pop(), ()):
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def top_level(graph):
    return {name: top for name, (top, _lazy) in graph.items()}


def find_cycle(graph):
    """A module that reaches itself, or None."""
    return next((name for name in sorted(graph) if name in reach(graph, name)), None)


def test_the_drawing_in_docs_is_the_code():
    assert drawn_graph() == code_graph()


def test_top_level_imports_go_one_way():
    assert find_cycle(top_level(code_graph())) is None


def test_client_imports_nothing_that_imports_it_back_nor_anything_about_load_balancers_or_auth():
    graph = top_level(code_graph())
    below = reach(graph, "client")
    assert not any("client" in reach(graph, name) | {name} for name in below)
    assert below.isdisjoint(ABOVE_CLIENT)


def test_nothing_imports_the_module_layer():
    graph = code_graph()
    assert [name for name, (top, lazy) in graph.items() if "module" in top | lazy] == []


def test_the_checks_can_fail():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == "a"
    top, lazy = imports_of("from .client import request\ndef f():\n    from .aksk import sign\n")
    assert (top, lazy) == ({"client"}, {"aksk"})
    top, _lazy = imports_of(f"from {PACKAGE}.members import find_member\nfrom {PACKAGE} import errors\n")
    assert top == {"members", "errors"}
    assert DRAWN_LINE.match("client         ──> deadline, errors   lazily: aksk").groups() == ("client", "deadline, errors", "aksk")
