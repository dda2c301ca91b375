# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The built documentation site, as headless Chromium renders it.

`make docs` builds the site into build/docs/html and then runs these tests. Every module, filter
and role the collection documents (as ansible-doc lists them) and every guide of
docs/docsite/extra-docs.yml must have its page, with its title and its own text: the options and
return values of the plugin, the sections of the guide, the keys of the app's catalog.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import html

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from tests.docs.chromium import dump_doms, find_chromium

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "build" / "docs" / "html"
GUIDES = REPO / "docs" / "docsite" / "rst"
COLLECTION = "mattermost.emm"
ANSIBLE_DOC = Path(sys.executable).with_name("ansible-doc")


def ansible_doc(plugin_type: str) -> dict:
    """Every plugin of one type the collection documents, with its documentation."""
    def run(*args: str) -> dict:
        done = subprocess.run([str(ANSIBLE_DOC), "-t", plugin_type, "--json", *args],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout)
    return run(*run("-l", COLLECTION))


def guide_names() -> list[str]:
    extra_docs = yaml.safe_load((REPO / "docs" / "docsite" / "extra-docs.yml").read_text(encoding="utf-8"))
    return [name for section in extra_docs["sections"] for name in section["toctree"]]


def guide_headings(name: str) -> list[str]:
    """The title and section titles of a guide's source, as its page shows them."""
    lines = (GUIDES / f"{name}.rst").read_text(encoding="utf-8").splitlines()
    titles = [title for title, underline in zip(lines, lines[1:])
              if title.strip() and re.fullmatch(r"([=\-^~])\1+", underline) and len(underline) >= len(title)]
    return [title.replace("``", "") for title in titles]


# The theme's heading anchors are icon-font glyphs (Unicode private use area).
ICONS = re.compile("[\ue000-\uf8ff]")


def plain(text: str) -> str:
    """Text as a reader sees it: whitespace, typographic quotes and icons aside."""
    text = ICONS.sub("", text).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


class Page:
    """One rendered page: its headings, its text, its option and return value names, its links."""

    def __init__(self, dom: str):
        self.tree = html.fromstring(dom)
        self.title = plain(self.tree.xpath("string(//h1)"))
        self.text = plain(self.tree.xpath("string(//div[@role='main'])"))
        self.headings = [plain(h.text_content()) for h in self.tree.xpath("//div[@role='main']//*[self::h1 or self::h2 or self::h3]")]
        self.links = set(self.tree.xpath("//a/@href"))

    def names(self, kind: str) -> set[str]:
        """The names of the documented parameters or return values (kind: parameter, return)."""
        titles = self.tree.xpath(f"//*[contains(@class, 'ansible-option-title')][contains(@id, '-{kind}-')]/strong")
        return {plain(title.text_content()) for title in titles}

    def table(self, first_header: str) -> list[list[str]]:
        """The body rows of the table whose first column header is first_header."""
        for table in self.tree.xpath("//div[@role='main']//table"):
            headers = [plain(cell.text_content()) for cell in table.xpath(".//thead//th")]
            if headers and headers[0] == first_header:
                return [[plain(cell.text_content()) for cell in row.xpath("./td")] for row in table.xpath(".//tbody/tr")]
        raise AssertionError(f"no table with a {first_header!r} column")


PLUGINS = {plugin_type: ansible_doc(plugin_type) for plugin_type in ("module", "filter", "role")}
PLUGIN_PAGES = {f"{name.split('.')[-1]}_{plugin_type}.html": (plugin_type, name)
                for plugin_type, plugins in PLUGINS.items() for name in plugins}
ROLE_PAGES = sorted(page for page, (plugin_type, _name) in PLUGIN_PAGES.items() if plugin_type == "role")
GUIDE_PAGES = {f"docsite/{name}.html": name for name in guide_names()}


@pytest.fixture(scope="module")
def pages() -> dict[str, Page]:
    """Every page the tests read, rendered once."""
    browser = find_chromium()
    if browser is None:
        message = "Chromium is not installed (Debian: apt-get install chromium); the docs site is not checked"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no documentation site in {SITE}: build it with `make docs`")
    wanted = ["index.html", *PLUGIN_PAGES, *GUIDE_PAGES]
    missing = [name for name in wanted if not (SITE / name).is_file()]
    assert not missing, f"pages missing from the site: {missing}"
    doms = dump_doms(browser, [SITE / name for name in wanted])
    return {name: Page(doms[SITE / name]) for name in wanted}


def test_the_collection_documents_something():
    assert PLUGINS["module"] and PLUGINS["filter"] and PLUGINS["role"] and GUIDE_PAGES


def test_the_index_links_every_plugin_role_and_guide(pages):
    index = pages["index.html"]
    assert index.title == "Mattermost.Emm"
    assert set(PLUGIN_PAGES) | set(GUIDE_PAGES) <= index.links


@pytest.mark.parametrize("page_name", sorted(set(PLUGIN_PAGES) - set(ROLE_PAGES)))
def test_plugin_page(pages, page_name):
    plugin_type, name = PLUGIN_PAGES[page_name]
    plugin = PLUGINS[plugin_type][name]
    page = pages[page_name]
    assert page.title == plain(f"{name} {plugin_type} – {plugin['doc']['short_description']}")
    shown = {"Input" if option == "_input" else option for option in plugin["doc"].get("options", {})}
    assert shown <= page.names("parameter")
    if plugin_type == "module":
        assert set(plugin["return"] or {}) <= page.names("return")
    first_example = re.search(r"^- name: (.+)$", plugin["examples"], re.MULTILINE)
    assert first_example and plain(first_example.group(1)) in page.text


@pytest.mark.parametrize("page_name", ROLE_PAGES)
def test_role_page(pages, page_name):
    name = PLUGIN_PAGES[page_name][1]
    entry_points = PLUGINS["role"][name]["entry_points"]
    page = pages[page_name]
    assert page.title == plain(f"{name} role – {entry_points['main']['short_description']}")
    for entry_point, spec in entry_points.items():
        assert plain(f"Entry point {entry_point} – {spec['short_description']}") in page.headings
    options = {option for spec in entry_points.values() for option in spec.get("options", {})}
    assert options and options <= page.names("parameter")


@pytest.mark.parametrize("page_name", sorted(GUIDE_PAGES))
def test_guide_page(pages, page_name):
    page = pages[page_name]
    title, *sections = guide_headings(GUIDE_PAGES[page_name])
    assert page.title == plain(title)
    assert [heading for heading in page.headings if heading in sections] == sections


def test_keys_guide_says_what_the_catalog_says(pages):
    rows = pages["docsite/appconfig_keys.html"].table("key")
    shown = {row[0]: tuple(row[2:]) for row in rows}  # key, what the app does, default, iOS, Android

    def expected(key: catalog.Key) -> tuple[str, str, str]:
        if key.deprecated:
            return "—", "—", "—"
        default = f'"{key.default}"' if key.default is not None else "none"
        return default, *("yes" if platform in key.platforms else "no" for platform in catalog.PLATFORMS)

    assert shown == {key.name: expected(key) for key in catalog.KEYS}
