# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Jamf Pro mobile device application record, as the Classic API answers it in XML or JSON.

Its AppConfig is ``app_configuration/preferences``: the plist ``<dict>`` as text (escaped once or
in CDATA in XML, a string in JSON), read by the iOS app named in ``general/bundle_id``.
"""

from __future__ import annotations

from typing import Any, Mapping

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import findings
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Entry, Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats import plist
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.jsondoc import JsonObject
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import XmlError, parse_xml

NAME = "jamf"
ROOT = "mobile_device_application"
PLATFORM = "ios"


def preferences_text(record: Mapping[str, Any]) -> str:
    """The record's AppConfig plist text ("" when it has none)."""
    return (record.get("app_configuration") or {}).get("preferences") or ""


def is_record(data) -> bool:
    """A Classic record in JSON, wrapped in its root name or bare."""
    if not isinstance(data, JsonObject):
        return False
    record = data.get(ROOT)
    return isinstance(record, JsonObject) or (data.get("general") is not None and data.get("app_configuration") is not None)


def read_json(data: JsonObject, parsed: ParsedDocument) -> None:
    wrapped = data.get(ROOT)
    record, location = (wrapped, f"$.{ROOT}") if isinstance(wrapped, JsonObject) else (data, "$")
    general = record.get("general")
    general = general if isinstance(general, JsonObject) else JsonObject()
    part = _part(general.get("name"), general.get("id"), general.get("bundle_id"), location)
    part.app_id_line = general.line_of("bundle_id")
    configuration = record.get("app_configuration")
    text = configuration.get("preferences") if isinstance(configuration, JsonObject) else None
    line = configuration.line_of("preferences") if isinstance(configuration, JsonObject) else None
    # A plist inside a JSON string has no lines of the file's own: every finding points at the member.
    _read_preferences(text, part, lambda inner_line: line, f"{location}.app_configuration.preferences")
    parsed.parts.append(part)


def parse_xml_record(document: str | bytes) -> ParsedDocument:
    parsed = ParsedDocument(format=NAME)
    try:
        root = parse_xml(document).getroot()
    except XmlError as exc:
        parsed.findings.append(Finding(findings.ERROR, exc.code, exc.message, line=exc.line))
        return parsed
    if root.tag != ROOT:
        parsed.findings.append(Finding(findings.ERROR, "jamf-grammar", f"expected <{ROOT}>, found <{root.tag}>",
                                       line=root.sourceline))
        return parsed
    part = _part(root.findtext("general/name"), root.findtext("general/id"), root.findtext("general/bundle_id"), f"/{ROOT}")
    bundle = root.find("general/bundle_id")
    part.app_id_line = bundle.sourceline if bundle is not None else None
    element = root.find("app_configuration/preferences")
    # The plist text sits in this file as it is (escaped or CDATA), so its lines are the file's.
    first = element.sourceline if element is not None else None
    _read_preferences(element.text if element is not None else None, part,
                      lambda inner_line: first + inner_line - 1 if first and inner_line else first,
                      f"/{ROOT}/app_configuration/preferences")
    parsed.parts.append(part)
    return parsed


def _part(name, identifier, bundle_id, location: str) -> ParsedDocument:
    subject = f"mobile device application {name!r}" if name else "mobile device application"
    subject += f" (id {identifier})" if identifier not in (None, "") else ""
    return ParsedDocument(format=NAME, app_id=bundle_id.strip() if isinstance(bundle_id, str) and bundle_id.strip() else None,
                          subject=subject, location=location, platform=PLATFORM)


def _read_preferences(text, part: ParsedDocument, file_line, location: str) -> None:
    if not isinstance(text, str) or not text.strip():
        part.findings.append(Finding(findings.INFO, "no-configuration",
                                     "the record carries no AppConfig (app_configuration/preferences is empty)",
                                     location=location))
        return
    inner = plist.parse(text)
    for finding in inner.findings:
        part.findings.append(Finding(finding.severity, finding.code, finding.message, finding.key, finding.hint,
                                     file_line(finding.line), location=location))
    part.entries.extend(Entry(e.key, e.value, e.value_type, file_line(e.line), e.variable, location)
                        for e in inner.entries)
