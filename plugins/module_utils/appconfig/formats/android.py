# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Android managed configurations, in the two JSON shapes the EMMs take.

``managed_properties``: the Play EMM ``managedConfiguration`` object (Intune's ``payloadJson``),
a list of ``{"key", "valueString"}`` properties. ``amapi``: the Android Management API's plain
``ApplicationPolicy.managedConfiguration`` object, ``{"serverUrl": "https://..."}``.
"""

from __future__ import annotations

import json
import re

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import findings
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Entry, Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import encoding

MANAGED_PROPERTIES = "managed_properties"
AMAPI = "amapi"
PLATFORM = "android"
KIND = "androidenterprise#managedConfiguration"

# Value fields of a Play managedProperty and the type the app would receive.
_VALUE_FIELDS = {
    "valueString": "string",
    "valueBool": "boolean",
    "valueInteger": "integer",
    "valueStringArray": "array",
    "valueBundle": "dict",
    "valueBundleArray": "array",
}


def render_managed_properties(settings: dict[str, str], app_id: str) -> str:
    """The Play EMM managedConfiguration JSON: every value a valueString."""
    document = {
        "kind": KIND,
        "productId": f"app:{app_id}",
        "managedProperty": [{"key": key, "valueString": value} for key, value in settings.items()],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_amapi(settings: dict[str, str]) -> str:
    """The Android Management API managedConfiguration object: string values only."""
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


class _Object(list):
    """A JSON object as its (name, value) pairs in document order, duplicates kept."""

    def get(self, name, default=None):
        for key, value in reversed(self):  # the last one wins, as in every JSON reader
            if key == name:
                return value
        return default


# Checked in this order: bool is an int, and a JSON object is read as a list of pairs.
_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "real"), (_Object, "dict"), (list, "array"))


def parse_managed_properties(document: str | bytes) -> ParsedDocument:
    """The properties of a Play EMM managedConfiguration, with their value types and lines."""
    parsed = ParsedDocument(format=MANAGED_PROPERTIES)
    text, data = _load(document, parsed)
    if data is None:
        return parsed
    product = data.get("productId")
    if isinstance(product, str):
        parsed.app_id = product.removeprefix("app:")
    properties = data.get("managedProperty")
    if not isinstance(properties, list) or isinstance(properties, _Object):
        parsed.findings.append(_grammar('"managedProperty" must be a list of {"key", "valueString"} objects'))
        return parsed
    lines = _lines_of(r'"key"\s*:', text)
    for item in properties:
        # Each "key" member takes the next '"key":' of the text; an item without one has no line.
        keys = [name for name, _value in item if name == "key"] if isinstance(item, _Object) else []
        line = lines[0] if keys and lines else None
        del lines[:len(keys)]
        entry = _property_entry(item, line, parsed)
        if entry is not None:
            parsed.entries.append(entry)
    return parsed


def parse_amapi(document: str | bytes) -> ParsedDocument:
    """The members of an AMAPI managedConfiguration object (or of a whole ApplicationPolicy)."""
    parsed = ParsedDocument(format=AMAPI)
    text, data = _load(document, parsed)
    if data is None:
        return parsed
    if isinstance(data.get("managedConfiguration"), _Object):
        parsed.app_id = data.get("packageName")
        data = data.get("managedConfiguration")
    seen: dict[str, int] = {}
    for key, value in data:
        lines = _lines_of(r'"%s"\s*:' % re.escape(json.dumps(key)[1:-1]), text)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        line = lines[occurrence] if occurrence < len(lines) else None
        parsed.entries.append(_json_entry(key, value, line))
    return parsed


def _load(document: str | bytes, parsed: ParsedDocument):
    try:
        text = encoding.text_of(document) if isinstance(document, bytes) else document.lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = exc.object[:int(exc.start)].decode(exc.encoding, "replace").count("\n") + 1
        parsed.findings.append(Finding(
            findings.ERROR, "malformed-json", f"the document is not {exc.encoding.upper()} text ({exc.reason})", line=line,
        ))
        return "", None
    try:
        data = json.loads(text, object_pairs_hook=_Object)
    except json.JSONDecodeError as exc:
        # The line is a field of the finding, not part of its message.
        parsed.findings.append(Finding(
            findings.ERROR, "malformed-json", f"{exc.msg} at column {exc.colno}", line=exc.lineno,
        ))
        return text, None
    if not isinstance(data, _Object):
        parsed.findings.append(_grammar(f"the document must be a JSON object, not {type(data).__name__}"))
        return text, None
    return text, data


def _property_entry(item, line: int | None, parsed: ParsedDocument) -> Entry | None:
    key = item.get("key") if isinstance(item, _Object) else None
    if not isinstance(key, str):
        parsed.findings.append(_grammar('every managedProperty needs a string "key"', line))
        return None
    fields = [name for name, _value in item if name in _VALUE_FIELDS]
    if len(fields) != 1:
        parsed.findings.append(Finding(
            findings.ERROR, "managed-property-grammar",
            f"property {key!r} has {len(fields)} value fields ({', '.join(fields) or 'none'}); exactly one is allowed",
            key=key, line=line, hint='give each property one "valueString"',
        ))
        return None
    if fields[0] == "valueString":
        value = item.get("valueString")
        return Entry(key, value if isinstance(value, str) else None, line=line)
    return _json_entry(key, item.get(fields[0]), line, _VALUE_FIELDS[fields[0]])


def _json_entry(key: str, value, line: int | None, value_type: str | None = None) -> Entry:
    if isinstance(value, str):
        return Entry(key, value, line=line)
    kind = value_type or next((name for cls, name in _JSON_TYPES if isinstance(value, cls)), "null")
    scalar = kind in ("boolean", "integer", "real")
    text = json.dumps(value) if scalar else None
    return Entry(key, text, value_type=kind, line=line)


def _lines_of(pattern: str, text: str) -> list[int]:
    """The line of each match of `pattern`, in order."""
    return [text.count("\n", 0, match.start()) + 1 for match in re.finditer(pattern, text)]


def _grammar(message: str, line: int | None = None) -> Finding:
    return Finding(findings.ERROR, "json-grammar", message, line=line)
