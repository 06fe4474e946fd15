# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Cheap guards on the tree: one source for the version, no private HTTP stack, no interpreter tricks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ansible_collections.lbaas.elb.plugins.module_utils.client import COLLECTION_VERSION, user_agent

ROOT = Path(__file__).resolve().parents[3]
PLUGINS = ROOT / "plugins"
# The acceptance check of the requests issue, as a grep would run it.
FORBIDDEN_TEXT = re.compile(r"http\.client|import gc|gc\.(disable|enable)")
FORBIDDEN_MODULES = ("gc", "http.client")


def plugin_files():
    files = sorted(PLUGINS.rglob("*.py"))
    assert files, f"no Python file under {PLUGINS}"
    return files


def imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_collection_version_matches_galaxy_yml():
    match = re.search(r"^version:\s*['\"]?([^'\"\s]+)", (ROOT / "galaxy.yml").read_text(), re.MULTILINE)
    assert match, "galaxy.yml has no version"
    assert COLLECTION_VERSION == match.group(1)
    assert user_agent().startswith(f"lbaas.elb/{match.group(1)} ")


@pytest.mark.parametrize("path", plugin_files(), ids=lambda path: str(path.relative_to(PLUGINS)))
def test_no_plugin_imports_gc_or_http_client(path):
    forbidden = [name for name in imported_modules(ast.parse(path.read_text())) if name in FORBIDDEN_MODULES]
    assert forbidden == []


def test_the_acceptance_grep_finds_nothing():
    # grep -rnE "http\.client|import gc|gc\.(disable|enable)" plugins/ (comments count too).
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in plugin_files()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FORBIDDEN_TEXT.search(line)
    ]
    assert hits == []


def test_the_import_check_can_fail():
    for source in ("import gc", "from http import client", "import http.client as hc", "from gc import disable"):
        assert any(name in FORBIDDEN_MODULES for name in imported_modules(ast.parse(source))), source


def test_no_action_plugins():
    assert not (PLUGINS / "action").exists()
    assert not (PLUGINS / "plugin_utils" / "action.py").exists()
