# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Check the HTML site that `make docs` built: every module has a page whose Parameters, Examples and
Return Values sections have content, the module index links every page, and galaxy.yml's
``documentation:`` URL ends with the path of that index.

Usage: python docs/site/check_site.py SITE_DIR GALAXY_YML MODULE...
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

NAMESPACE, NAME = "lbaas", "elb"
MODULE_INDEX = "collections/index_module.html"
# section id -> what must occur inside it, and what that means
REQUIRED_SECTIONS = {
    "parameters": (re.compile(r"^parameter-"), "option"),
    "examples": (re.compile(r"^highlight"), "code block"),
    "return-values": (re.compile(r"^return-"), "return value"),
}


class SectionScanner(HTMLParser):
    """Collects, for each <section id=...>, the ids and classes of the elements inside it."""

    def __init__(self):
        super().__init__()
        self.open_sections = []  # the ids of the enclosing sections, None for an anonymous one
        self.inside = {}  # section id -> ids and class names seen inside it

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        names = [attributes.get("id") or ""] + (attributes.get("class") or "").split()
        for section in self.open_sections:
            if section is not None:
                self.inside[section].extend(name for name in names if name)
        if tag == "section":
            section = attributes.get("id")
            self.open_sections.append(section)
            if section is not None:
                self.inside.setdefault(section, [])

    def handle_endtag(self, tag):
        if tag == "section" and self.open_sections:
            self.open_sections.pop()


def module_page_problems(page):
    if not page.is_file():
        return ["no page %s" % page]
    scanner = SectionScanner()
    scanner.feed(page.read_text(encoding="utf-8"))
    problems = []
    for section, (pattern, what) in REQUIRED_SECTIONS.items():
        if section not in scanner.inside:
            problems.append("%s: no section '%s'" % (page, section))
        elif not any(pattern.match(name) for name in scanner.inside[section]):
            problems.append("%s: section '%s' has no %s" % (page, section, what))
    return problems


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    site, galaxy_yml, modules = Path(argv[0]), Path(argv[1]), argv[2:]
    problems = []
    index = site / MODULE_INDEX
    index_html = index.read_text(encoding="utf-8") if index.is_file() else ""
    if not index_html:
        problems.append("no module index %s" % index)
    for module in modules:
        relative = "%s/%s/%s_module.html" % (NAMESPACE, NAME, module)
        problems.extend(module_page_problems(site / "collections" / relative))
        if index_html and 'href="%s' % relative not in index_html:
            problems.append("%s does not link %s" % (index, relative))
    found = re.search(r"^documentation:\s*(\S+)\s*$", galaxy_yml.read_text(encoding="utf-8"), re.MULTILINE)
    if not found or not found.group(1).endswith("/" + MODULE_INDEX):
        problems.append("%s: documentation: should point at the module index, .../%s" % (galaxy_yml, MODULE_INDEX))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print("%s: %d module pages with options, examples and return values, all in %s" % (site, len(modules), MODULE_INDEX))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
