# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Android managed configurations, in the two JSON shapes the EMMs take.

``managed_properties``: the Play EMM ``managedConfiguration`` object (Intune's ``payloadJson``),
a list of ``{"key", "valueString"}`` properties. ``amapi``: the Android Management API's plain
``ApplicationPolicy.managedConfiguration`` object, ``{"serverUrl": "https://..."}``.

``amapi_policy``: a whole Android Management ``Policy``, whose ``applications[]`` each carry a
``managedConfiguration`` for their ``packageName``.

Each reader takes the document parsed once by :mod:`jsondoc` (which knows every member's line).
"""

from __future__ import annotations

import json

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import findings, jsondoc
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Entry, Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.jsondoc import JsonObject

MANAGED_PROPERTIES = "managed_properties"
AMAPI = "amapi"
AMAPI_POLICY = "amapi_policy"
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


# Checked in this order: bool is an int, and a JSON object is read as a list of pairs.
_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "real"), (JsonObject, "dict"), (list, "array"), (str, "string"))


def load(document: str | bytes, parsed: ParsedDocument):
    """The document's JSON, or None with the reason added to `parsed`."""
    try:
        return jsondoc.load(document)
    except jsondoc.JsonError as exc:
        parsed.findings.append(Finding(findings.ERROR, exc.code, exc.message, line=exc.line))
        return None


def parse_managed_properties(document: str | bytes) -> ParsedDocument:
    """The properties of a Play EMM managedConfiguration, with their value types and lines."""
    parsed = ParsedDocument(format=MANAGED_PROPERTIES)
    data = load(document, parsed)
    if data is not None:
        read_managed_properties(data, parsed)
    return parsed


def read_managed_properties(data, parsed: ParsedDocument, line: int | None = None, location: str = "$") -> None:
    """Entries of a managedConfiguration object, or of its bare list of properties (as some
    exports hold them). `line` stands for every line when the JSON was nested in a string."""
    if not isinstance(data, list):
        parsed.findings.append(_grammar(f"the document must be a JSON object, not {json_type(data)}", line))
        return
    if isinstance(data, JsonObject):
        product = data.get("productId")
        if isinstance(product, str):
            parsed.app_id = product.removeprefix("app:")
            parsed.app_id_line = line or data.line_of("productId")
        properties, location = data.get("managedProperty"), f"{location}.managedProperty"
    else:
        properties = data
    if not jsondoc.is_array(properties):
        parsed.findings.append(_grammar('"managedProperty" must be a list of {"key", "valueString"} objects', line))
        return
    for index, item in enumerate(properties):
        entry = _property_entry(item, line, parsed, f"{location}[{index}]")
        if entry is not None:
            parsed.entries.append(entry)


def parse_amapi(document: str | bytes) -> ParsedDocument:
    """The members of an AMAPI managedConfiguration object (or of a whole ApplicationPolicy)."""
    parsed = ParsedDocument(format=AMAPI)
    data = load(document, parsed)
    if data is not None:
        read_amapi(data, parsed)
    return parsed


def read_amapi(data, parsed: ParsedDocument, location: str = "$") -> None:
    if not isinstance(data, JsonObject):
        parsed.findings.append(_grammar(f"the document must be a JSON object, not {json_type(data)}"))
        return
    if isinstance(data.get("managedConfiguration"), JsonObject):
        package = data.get("packageName")
        parsed.app_id = package if isinstance(package, str) else None
        parsed.app_id_line = data.line_of("packageName")
        data, location = data.get("managedConfiguration"), f"{location}.managedConfiguration"
    parsed.entries.extend(_json_entry(key, value, line, location=f"{location}.{key}")
                          for (key, value), line in zip(data, data.lines))


def parse_amapi_policy(document: str | bytes) -> ParsedDocument:
    """One part per application of an Android Management Policy."""
    parsed = ParsedDocument(format=AMAPI_POLICY)
    data = load(document, parsed)
    if data is not None:
        read_amapi_policy(data, parsed)
    return parsed


def read_amapi_policy(data, parsed: ParsedDocument) -> None:
    applications = data.get("applications") if isinstance(data, JsonObject) else None
    if not jsondoc.is_array(applications):
        parsed.findings.append(_grammar('a Policy\'s "applications" must be a list of ApplicationPolicy objects'))
        return
    policy = data.get("name")
    for index, application in enumerate(applications):
        location = f"$.applications[{index}]"
        if not isinstance(application, JsonObject):
            parsed.findings.append(_grammar(f"{location} must be an ApplicationPolicy object"))
            continue
        package = application.get("packageName")
        part = ParsedDocument(format=AMAPI_POLICY, app_id=package if isinstance(package, str) else None,
                              subject=_subject(policy, package), location=location, platform=PLATFORM,
                              app_id_line=application.line_of("packageName"))
        configuration = application.get("managedConfiguration")
        if isinstance(configuration, JsonObject):
            read_amapi(application, part, location)
        elif configuration is not None:
            part.findings.append(_grammar("managedConfiguration must be an object of key/value pairs",
                                          application.line_of("managedConfiguration")))
        parsed.parts.append(part)


def _subject(policy, package) -> str:
    app = package if isinstance(package, str) else "an application without packageName"
    return f"{app} in policy {policy!r}" if isinstance(policy, str) else app


def _property_entry(item, line: int | None, parsed: ParsedDocument, location: str) -> Entry | None:
    key = item.get("key") if isinstance(item, JsonObject) else None
    line = line or (item.line_of("key") if isinstance(item, JsonObject) else None)
    if not isinstance(key, str):
        parsed.findings.append(_grammar('every managedProperty needs a string "key"', line, location))
        return None
    fields = [name for name, _value in item if name in _VALUE_FIELDS]
    if len(fields) != 1:
        parsed.findings.append(Finding(
            findings.ERROR, "managed-property-grammar",
            f"property {key!r} has {len(fields)} value fields ({', '.join(fields) or 'none'}); exactly one is allowed",
            key=key, line=line, hint='give each property one "valueString"', location=location,
        ))
        return None
    if fields[0] == "valueString":
        value = item.get("valueString")
        return Entry(key, value if isinstance(value, str) else None, line=line, location=location)
    return _json_entry(key, item.get(fields[0]), line, _VALUE_FIELDS[fields[0]], location)


def _json_entry(key: str, value, line: int | None, value_type: str | None = None, location: str | None = None) -> Entry:
    if isinstance(value, str):
        return Entry(key, value, line=line, location=location)
    kind = value_type or json_type(value)
    scalar = kind in ("boolean", "integer", "real")
    text = json.dumps(value) if scalar else None
    return Entry(key, text, value_type=kind, line=line, location=location)


def json_type(value) -> str:
    return next((name for cls, name in _JSON_TYPES if isinstance(value, cls)), "null")


def _grammar(message: str, line: int | None = None, location: str | None = None) -> Finding:
    return Finding(findings.ERROR, "json-grammar", message, line=line, location=location)
