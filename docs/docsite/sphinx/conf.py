# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sphinx settings for the collection's documentation site (`make docs`).

antsibull-docs writes the pages (plugins, roles, the guides of docs/docsite/rst); Sphinx renders
them with the theme of Ansible's own documentation. The build never touches the network: there
is no intersphinx, and the few labels of Ansible's documentation the generated pages refer to
become plain links to it.
"""

project = "mattermost.emm"
project_copyright = "2026 Mattermost EMM contributors"
html_title = "mattermost.emm documentation"
html_short_title = "mattermost.emm"

extensions = ["sphinx_antsibull_ext"]

html_theme = "sphinx_ansible_theme"
html_show_sphinx = False
html_copy_source = False
html_use_index = False
pygments_style = "ansible"
highlight_language = "YAML+Jinja"

default_role = "any"
nitpicky = True

ANSIBLE_DOCS = "https://docs.ansible.com/ansible/latest/"
# Labels of Ansible's documentation used by antsibull-docs' generated pages.
ANSIBLE_LABELS = {
    "common_return_values": ("reference_appendices/common_return_values.html", "Return Values"),
    "ansible_configuration_settings": ("reference_appendices/config.html", "Ansible Configuration Settings"),
}


def link_to_ansible_docs(app, env, node, contnode):  # pylint: disable=unused-argument
    """Resolve a reference to one of Ansible's documentation labels with a link to its page."""
    # Imported here: the module must load where Sphinx is not installed (ansible-test sanity).
    from docutils import nodes  # pylint: disable=import-outside-toplevel

    if node.get("refdomain") != "std" or node.get("reftarget") not in ANSIBLE_LABELS:
        return None
    page, title = ANSIBLE_LABELS[node["reftarget"]]
    link = nodes.reference("", "", internal=False, refuri=ANSIBLE_DOCS + page)
    link += contnode if contnode.astext() else nodes.Text(title)
    return link


def setup(app):
    app.connect("missing-reference", link_to_ansible_docs)
