# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Appended by `make docs` (mk/docs.mk) to the conf.py that `antsibull-docs sphinx-init` writes.

The site is built offline: intersphinx, which would download the object inventories of
docs.ansible.com and docs.python.org, is left out. The generated pages refer to a few labels of the
Ansible documentation; they are linked to their published pages here, and any other unresolved
reference stays a warning (an error, with sphinx-build -W).
"""

from docutils import nodes

extensions = ["sphinx.ext.autodoc", "sphinx_antsibull_ext"]
intersphinx_mapping = {}

ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/devel/"
# label -> (page and anchor under ANSIBLE_DOCS, the title a reference without one of its own shows)
ANSIBLE_LABELS = {
    "action_plugins": ("plugins/action.html#action-plugins", "Action plugins"),
    "common_return_values": ("reference_appendices/common_return_values.html#common-return-values", "Return Values"),
    "ansible_configuration_settings": ("reference_appendices/config.html#ansible-configuration-settings", "Ansible Configuration Settings"),
}


def link_ansible_label(_app, _env, node, contnode):
    """A ``:ref:`` to one of ANSIBLE_LABELS becomes a link to docs.ansible.com; anything else is left alone."""
    if node.get("refdomain") != "std" or node.get("reftype") != "ref" or node.get("reftarget") not in ANSIBLE_LABELS:
        return None
    path, title = ANSIBLE_LABELS[node["reftarget"]]
    reference = nodes.reference("", "", internal=False, refuri=ANSIBLE_DOCS + path)
    reference += contnode if node.get("refexplicit") else nodes.inline(title, title)
    return reference


def setup(app):
    app.connect("missing-reference", link_ansible_label)
