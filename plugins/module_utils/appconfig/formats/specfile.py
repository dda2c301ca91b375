# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The AppConfig community specfile: what Workspace ONE, Ivanti and Jamf's generator import.

Every Mattermost key is declared as a ``<string>`` (the app compares strings), its desired value
as the ``defaultValue``, and a ``presentation`` labels each field from the catalog.
"""

from __future__ import annotations

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog, findings
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Entry, Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats.specfile_schema import schema_errors
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats.xmltext import escape
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import XmlError, parse_xml
from ansible_collections.mattermost.emm.plugins.module_utils.third_party import etree

NAME = "specfile"
LOCALE = "en-US"


def render(settings: dict[str, str], app_id: str, version: int = 1) -> str:
    """A specfile declaring `settings` for `app_id`; bump `version` with every change."""
    keys = "".join(_key_element(name, value) for name, value in settings.items())
    fields = "".join(_field_element(catalog.BY_NAME[name]) for name in settings)
    presentation = f'  <presentation defaultLocale="{LOCALE}">\n{fields}  </presentation>\n' if fields else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<managedAppConfiguration>\n"
        f"  <version>{version}</version>\n"
        f"  <bundleId>{escape(app_id)}</bundleId>\n"
        f"  <dict>\n{keys}  </dict>\n"
        f"{presentation}"
        "</managedAppConfiguration>\n"
    )


def _key_element(name: str, value: str) -> str:
    key = catalog.BY_NAME[name]
    constraint = ""
    if key.kind == catalog.SWITCH:
        options = "".join(f"<value>{v}</value>" for v in catalog.SWITCH_VALUES)
        constraint = f'      <constraint nullable="false"><values>{options}</values></constraint>\n'
    elif key.kind == catalog.MILLISECONDS:
        constraint = '      <constraint pattern="[0-9]+"/>\n'
    return (
        f'    <string keyName="{name}">\n'
        f"      <defaultValue><value>{escape(value)}</value></defaultValue>\n"
        f"{constraint}"
        "    </string>\n"
    )


def _field_element(key: catalog.Key) -> str:
    options = ""
    if key.kind == catalog.SWITCH:
        options = "".join(
            f'<option value="{v}">{_language(label)}</option>' for v, label in (("true", "On"), ("false", "Off"))
        )
        options = f"      <options>{options}</options>\n"
    return (
        f'    <field keyName="{key.name}" type="{"select" if options else "input"}">\n'
        f"      <label>{_language(key.title)}</label>\n"
        f"      <description>{_language(key.description)}</description>\n"
        f"{options}"
        "    </field>\n"
    )


def _language(text: str) -> str:
    return f'<language value="{LOCALE}">{escape(text)}</language>'


def parse(document: str | bytes) -> ParsedDocument:
    """The declared keys and default values of a specfile, with grammar findings and lines."""
    parsed = ParsedDocument(format=NAME)
    try:
        tree = parse_xml(document)
    except XmlError as exc:
        # exc.message, not str(exc): the line is a field of its own, not part of the message.
        parsed.findings.append(Finding(findings.ERROR, exc.code, exc.message, line=exc.line))
        return parsed
    root = tree.getroot()
    parsed.findings.extend(
        Finding(findings.ERROR, "specfile-grammar", message, line=line,
                hint="the AppConfig specfile grammar: managedAppConfiguration > version, bundleId, dict, presentation")
        for line, message in schema_errors(tree)
    )
    if root.tag != "managedAppConfiguration":
        return parsed
    parsed.app_id = _child_text(root, "bundleId")
    bundle = root.find("bundleId")
    parsed.app_id_line = bundle.sourceline if bundle is not None else None
    version = _child_text(root, "version")
    parsed.version = int(version) if version and version.isascii() and version.isdigit() else None
    key_dict = root.find("dict")
    if key_dict is not None:
        parsed.entries = [_entry(element) for element in key_dict if isinstance(element.tag, str)]
    return parsed


def _child_text(element, tag: str) -> str | None:
    child = element.find(tag)
    return child.text.strip() if child is not None and child.text else None


def _entry(element) -> Entry:
    name, value_type, line = element.get("keyName", ""), element.tag, element.sourceline
    # The first element under defaultValue, comments skipped (iterchildren filters in C: this is hot).
    first = next((value for default in element.iterchildren("defaultValue")
                  for value in default.iterchildren(etree.Element)), None)
    if first is None or value_type.endswith("Array"):
        return Entry(name, None, value_type=value_type, line=line)
    if first.tag in ("userVariable", "deviceVariable"):
        variable = first.get("value") or (first.text or "").strip()  # the grammar names it in @value
        return Entry(name, None, value_type=value_type, line=line, variable=variable)
    return Entry(name, first.text or "", value_type=value_type, line=line)
