# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Workspace ONE UEM app's assignment rules (``/api/mam/apps/{uuid}/assignment-rules``, v2).

Each rule of ``assignments[]`` carries its own AppConfig in ``application_configuration``:
``{key, value, type}``, where ``type`` 1 is String, the only type the Mattermost app reads.
"""

from __future__ import annotations

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import findings, jsondoc
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Entry, Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.jsondoc import JsonObject

NAME = "workspace_one"
STRING_TYPES = (1, "1", "String", "string")


def is_rules(data) -> bool:
    if not isinstance(data, JsonObject) or not jsondoc.is_array(data.get("assignments")):
        return False
    rules = data.get("assignments")
    return not rules or any(isinstance(rule, JsonObject) and _assigns(rule) for rule in rules)


def _assigns(rule: JsonObject) -> bool:
    return rule.get("distribution") is not None or rule.get("application_configuration") is not None


def read(data: JsonObject, parsed: ParsedDocument) -> None:
    for index, rule in enumerate(data.get("assignments")):
        location = f"$.assignments[{index}]"
        if not isinstance(rule, JsonObject):
            parsed.findings.append(_grammar("an assignment rule must be an object", None, location))
            continue
        part = ParsedDocument(format=NAME, subject=_subject(rule), location=location)
        configuration = rule.get("application_configuration") or []
        for position, item in enumerate(configuration):
            _read_item(item, part, f"{location}.application_configuration[{position}]")
        parsed.parts.append(part)


def _subject(rule: JsonObject) -> str:
    distribution = rule.get("distribution")
    name = distribution.get("name") if isinstance(distribution, JsonObject) else None
    subject = f"assignment rule {name!r}" if isinstance(name, str) else "assignment rule"
    return f"{subject} (priority {rule.get('priority')})" if rule.get("priority") is not None else subject


def _read_item(item, part: ParsedDocument, location: str) -> None:
    if not isinstance(item, JsonObject) or not isinstance(item.get("key"), str):
        part.findings.append(_grammar("every application_configuration item needs a string key", None, location))
        return
    key, value, kind, line = item.get("key"), item.get("value"), item.get("type"), item.line_of("key")
    if kind not in STRING_TYPES:
        # The console then sends the value typed: the app compares strings, so it is judged as typed.
        shown = None if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        part.entries.append(Entry(key, shown, value_type=f"Workspace ONE type {kind} value", line=line, location=location))
        return
    if not isinstance(value, str):
        part.findings.append(_grammar(f"{key}: a String item needs a string value", line, location, key))
        return
    part.entries.append(Entry(key, value, line=line, location=location))


def _grammar(message: str, line, location: str, key: str | None = None) -> Finding:
    return Finding(findings.ERROR, "workspace-one-grammar", message, key=key, line=line, location=location,
                   hint='write each item as {"key": ..., "value": "<string>", "type": 1}')
