# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Intune's app configurations as Microsoft Graph returns them and as backup tools store them.

The same readers serve a live tenant (the Intune provider's read-back) and a file, so both see
the same truth:

- ``iosMobileAppConfiguration``: ``settings[]`` ({appConfigKey, appConfigKeyType,
  appConfigKeyValue}) or ``encodedSettingXml``, a base64 plist;
- ``androidManagedStoreAppConfiguration``: ``packageId`` and ``payloadJson``, base64 of the Play
  managedConfiguration JSON (or that JSON as text, or decoded, as some backups keep it; its
  property list alone is read too);
- ``targetedManagedAppConfiguration``: ``customSettings[]`` ({name, value}) delivered through
  Intune's managed-apps (MAM) channel, which the Mattermost app never reads.

A file holds one such object, or several as Graph lists them (``{"value": [...]}``) or as a
plain JSON array.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Mapping

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog, findings, jsondoc
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Entry, Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats import android, plist
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.jsondoc import JsonObject

NAME = "graph"
IOS_CONFIG = "#microsoft.graph.iosMobileAppConfiguration"
ANDROID_CONFIG = "#microsoft.graph.androidManagedStoreAppConfiguration"
MAM_CONFIG = "#microsoft.graph.targetedManagedAppConfiguration"

_KEY_TYPES = {"stringType": "string", "booleanType": "boolean", "integerType": "integer", "realType": "real"}
# Members that tell each type apart when a backup left out "@odata.type".
_MARKERS = ((IOS_CONFIG, ("settings", "encodedSettingXml")), (ANDROID_CONFIG, ("payloadJson", "packageId")),
            (MAM_CONFIG, ("customSettings",)))

MAM_CHANNEL = Finding(
    findings.ERROR, "mam-channel",
    "this is a managed-apps (MAM) app configuration: Intune delivers it only to apps built with the Intune "
    "App SDK's configuration reader, and the Mattermost app never reads it, so none of its keys has any effect",
    hint="move the keys into a managed-devices app configuration policy (iosMobileAppConfiguration or "
         "androidManagedStoreAppConfiguration; mattermost.emm.app_config creates them)",
)


def graph_type(raw: Mapping[str, Any]) -> str | None:
    """The object's Graph type, from "@odata.type" or, when a backup dropped it, from its members."""
    declared = raw.get("@odata.type")
    if declared:
        return declared
    return next((odata_type for odata_type, members in _MARKERS if any(raw.get(m) is not None for m in members)), None)


def is_graph_object(raw) -> bool:
    return isinstance(raw, (dict, JsonObject)) and graph_type(raw) in READERS


def ios_entries(raw: Mapping[str, Any]) -> list[Entry]:
    """The settings of an iosMobileAppConfiguration, whichever way it holds them."""
    part = ParsedDocument(format=NAME)
    read_ios(raw, part)
    return part.entries


def android_entries(raw: Mapping[str, Any]) -> list[Entry]:
    """The properties of an androidManagedStoreAppConfiguration's payload."""
    part = ParsedDocument(format=NAME)
    read_android(raw, part)
    return part.entries


def mam_entries(raw: Mapping[str, Any]) -> list[Entry]:
    """The custom settings of a targetedManagedAppConfiguration."""
    part = ParsedDocument(format=NAME)
    read_mam(raw, part)
    return part.entries


def read_ios(raw: Mapping[str, Any], part: ParsedDocument, location: str = "$") -> None:
    part.platform = "ios"
    settings = raw.get("settings") or []
    if not settings and raw.get("encodedSettingXml"):
        _read_encoded_plist(raw, part, location)
        return
    if not jsondoc.is_array(settings):
        part.findings.append(_grammar("settings must be a list of {appConfigKey, appConfigKeyType, appConfigKeyValue}",
                                      _line(raw, "settings"), f"{location}.settings"))
        return
    for index, item in enumerate(settings):
        where = f"{location}.settings[{index}]"
        if not isinstance(item, (dict, JsonObject)) or not isinstance(item.get("appConfigKey"), str):
            part.findings.append(_grammar("every setting needs a string appConfigKey", _line(raw, "settings"), where))
            continue
        key_type, value = item.get("appConfigKeyType"), item.get("appConfigKeyValue")
        part.entries.append(Entry(
            item.get("appConfigKey"), value if isinstance(value, str) or value is None else str(value),
            value_type=_KEY_TYPES.get(key_type, "string"), line=_line(item, "appConfigKey"),
            variable=value if key_type == "tokenType" else None, location=where,
        ))


def _read_encoded_plist(raw: Mapping[str, Any], part: ParsedDocument, location: str) -> None:
    line, where = _line(raw, "encodedSettingXml"), f"{location}.encodedSettingXml"
    decoded = _b64decode(raw.get("encodedSettingXml"))
    if decoded is None:
        part.findings.append(_grammar("encodedSettingXml is not base64 text", line, where))
        return
    inner = plist.parse(decoded)
    # The plist's own lines mean nothing in this file: findings point at encodedSettingXml.
    part.findings.extend(_nested(finding, line, where, "plist") for finding in inner.findings)
    part.entries.extend(Entry(e.key, e.value, e.value_type, line, e.variable, f"{where} (plist line {e.line})")
                        for e in inner.entries)


def read_android(raw: Mapping[str, Any], part: ParsedDocument, location: str = "$") -> None:
    part.platform = "android"
    package = raw.get("packageId")
    if isinstance(package, str):
        part.app_id = package.removeprefix("app:")
        part.app_id_line = _line(raw, "packageId")
    payload, line, where = raw.get("payloadJson"), _line(raw, "payloadJson"), f"{location}.payloadJson"
    if isinstance(payload, (JsonObject, list)):  # stored decoded: its own lines are the file's
        _read_payload(payload, part, None, where)
        return
    if not payload:
        return
    if not isinstance(payload, str):
        part.findings.append(_grammar("payloadJson must be base64 text of the managed configuration JSON", line, where))
        return
    text = payload if payload.lstrip()[:1] in ("{", "[") else _b64decode(payload)
    if text is None:
        part.findings.append(_grammar("payloadJson is neither base64 text nor JSON", line, where))
        return
    try:
        _read_payload(jsondoc.load(text), part, line, where)
    except jsondoc.JsonError as exc:
        part.findings.append(Finding(findings.ERROR, exc.code, f"payloadJson holds malformed JSON: {exc.message}",
                                     line=line, location=where))


def _read_payload(payload, part: ParsedDocument, line: int | None, location: str) -> None:
    inner = ParsedDocument(format=android.MANAGED_PROPERTIES)
    android.read_managed_properties(payload, inner, line, location)
    if part.app_id is None:
        part.app_id, part.app_id_line = inner.app_id, inner.app_id_line
    part.entries.extend(inner.entries)
    part.findings.extend(inner.findings)


def read_mam(raw: Mapping[str, Any], part: ParsedDocument, location: str = "$") -> None:
    apps = [_app_of(app) for app in raw.get("apps") or () if isinstance(app, (dict, JsonObject))]
    part.app_id = next((app for app in apps if app), None)
    for index, item in enumerate(raw.get("customSettings") or ()):
        if isinstance(item, (dict, JsonObject)) and isinstance(item.get("name"), str):
            value = item.get("value")
            part.entries.append(Entry(item.get("name"), value if isinstance(value, str) else None,
                                      line=_line(item, "name"), location=f"{location}.customSettings[{index}]"))
    # Another app's MAM configuration is its own business: only Mattermost's is a mistake.
    if catalog.is_mattermost(part.app_id, (entry.key for entry in part.entries)):
        part.findings.insert(0, Finding(MAM_CHANNEL.severity, MAM_CHANNEL.code, MAM_CHANNEL.message, hint=MAM_CHANNEL.hint,
                                        line=_line(raw, "@odata.type") or _line(raw, "customSettings"), location=location))


def _app_of(app: Mapping[str, Any]) -> str | None:
    identifier = app.get("mobileAppIdentifier") or {}
    return identifier.get("bundleId") or identifier.get("packageId")


READERS = {IOS_CONFIG: read_ios, ANDROID_CONFIG: read_android, MAM_CONFIG: read_mam}


def read(data, parsed: ParsedDocument) -> None:
    """One part per Graph object of the document: one object, a Graph list or a JSON array."""
    listed = data.get("value") if isinstance(data, JsonObject) and not is_graph_object(data) else None
    if isinstance(data, JsonObject) and listed is None:
        items, base = [data], None
    else:
        items, base = (listed, "$.value") if listed is not None else (data, "$")
    for index, raw in enumerate(items):
        location = f"{base}[{index}]" if base else "$"
        odata_type = graph_type(raw) if isinstance(raw, JsonObject) else None
        if odata_type in READERS:
            part = ParsedDocument(format=NAME, location=location, subject=_subject(raw, odata_type))
            READERS[odata_type](raw, part, location)
            parsed.parts.append(part)
        else:
            parsed.findings.append(_skipped(raw, odata_type, location))


def _skipped(raw, odata_type: str | None, location: str) -> Finding:
    what = f"a {odata_type}" if odata_type else "an object without @odata.type"
    return Finding(
        findings.INFO, "not-app-configuration",
        f"skipped: {what} is not one of the app configurations read "
        f"({', '.join(t.removeprefix('#microsoft.graph.') for t in READERS)})",
        line=_line(raw, "@odata.type"), location=location)


def _subject(raw: Mapping[str, Any], odata_type: str | None) -> str:
    kind = (odata_type or "object").removeprefix("#microsoft.graph.")
    name, identifier = raw.get("displayName"), raw.get("id")
    named = f"{kind} {name!r}" if isinstance(name, str) else kind
    return f"{named} (id {identifier})" if identifier else named


def _line(raw, name: str) -> int | None:
    return raw.line_of(name) if isinstance(raw, JsonObject) else None


def _b64decode(text) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _nested(finding: Finding, line: int | None, location: str, what: str) -> Finding:
    where = f"{location} ({what} line {finding.line})" if finding.line else location
    return Finding(finding.severity, finding.code, finding.message, finding.key, finding.hint, line, location=where)


def _grammar(message: str, line: int | None, location: str) -> Finding:
    return Finding(findings.ERROR, "graph-grammar", message, line=line, location=location)
