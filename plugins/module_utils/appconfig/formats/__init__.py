# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The document formats an EMM takes, behind one render/parse/detect interface.

Four formats are rendered (specfile, plist, managed_properties, amapi); those and the exports of
the EMMs' own objects (graph, jamf, workspace_one, amapi_policy) are read. A JSON document is
parsed once and its shape decides its format; a shape none of them has is refused, never guessed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog, encoding, findings, jsondoc
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats import android, graph, jamf, plist, specfile, workspace_one
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.jsondoc import JsonObject
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import AppConfig

SPECFILE = specfile.NAME
PLIST = plist.NAME
MANAGED_PROPERTIES = android.MANAGED_PROPERTIES
AMAPI = android.AMAPI
AMAPI_POLICY = android.AMAPI_POLICY
GRAPH = graph.NAME
JAMF = jamf.NAME
WORKSPACE_ONE = workspace_one.NAME
# What the collection renders, and everything it reads.
FORMATS = (SPECFILE, PLIST, MANAGED_PROPERTIES, AMAPI)
READ_FORMATS = FORMATS + (GRAPH, JAMF, WORKSPACE_ONE, AMAPI_POLICY)
# Exports of an EMM's objects: one or several configurations, each naming its object.
EXPORTS = (GRAPH, JAMF, WORKSPACE_ONE, AMAPI_POLICY)

# The platform whose app reads each format; None: the format serves both (or each object says).
PLATFORM = {SPECFILE: None, PLIST: catalog.IOS, MANAGED_PROPERTIES: catalog.ANDROID, AMAPI: catalog.ANDROID,
            GRAPH: None, JAMF: catalog.IOS, WORKSPACE_ONE: None, AMAPI_POLICY: catalog.ANDROID}

_DESCRIPTIONS = {
    SPECFILE: "an AppConfig specfile (<managedAppConfiguration>)",
    PLIST: "an iOS plist <dict> or <plist>",
    MANAGED_PROPERTIES: 'Play managedConfiguration JSON ("managedProperty")',
    AMAPI: "an Android Management managedConfiguration object or ApplicationPolicy",
    GRAPH: "Intune Graph iosMobileAppConfiguration, androidManagedStoreAppConfiguration or "
           'targetedManagedAppConfiguration objects, alone, as {"value": [...]} or as a JSON array',
    JAMF: "a Jamf Pro mobile_device_application record (XML or JSON)",
    WORKSPACE_ONE: 'a Workspace ONE assignment-rules body ("assignments")',
    AMAPI_POLICY: 'an Android Management Policy ("applications")',
}
FORMATS_READ_TEXT = "; ".join(f"{name}: {text}" for name, text in _DESCRIPTIONS.items())

_XML_PARSERS = {SPECFILE: specfile.parse, PLIST: plist.parse, JAMF: jamf.parse_xml_record}
_JSON_READERS = {
    MANAGED_PROPERTIES: android.read_managed_properties,
    AMAPI: android.read_amapi,
    AMAPI_POLICY: android.read_amapi_policy,
    GRAPH: graph.read,
    JAMF: jamf.read_json,
    WORKSPACE_ONE: workspace_one.read,
}
_XML_ROOTS = {"managedAppConfiguration": SPECFILE, "plist": PLIST, "dict": PLIST, jamf.ROOT: JAMF}

_FIRST_ELEMENT = re.compile(r"<([A-Za-z_][\w.-]*)")
_PROLOGUE = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.S)


class Rendered(NamedTuple):
    text: str
    findings: list[Finding]


def render(config: AppConfig, fmt: str, *, version: int = 1, full_plist: bool = False) -> Rendered:
    """`config` in one format, with a finding for each key the format's platform does not read."""
    platform = PLATFORM[fmt]
    if platform is not None and platform not in config.platforms:
        raise ValueError(
            f"format {fmt!r} is read by the {platform} app, but platforms is {list(config.platforms)}; "
            f"add {platform!r} to platforms or drop the format"
        )
    settings = config.for_platform(platform) if platform else _for_any(config)
    notes = [
        Finding(findings.INFO, "platform-key-omitted",
                f"{key} is left out of the {fmt} document: the {platform} app does not read it", key=key)
        for key in config.settings if key not in settings
    ]
    if fmt == SPECFILE:
        text = specfile.render(settings, config.app_id, version)
    elif fmt == PLIST:
        text = plist.render(settings, full=full_plist)
    elif fmt == MANAGED_PROPERTIES:
        text = android.render_managed_properties(settings, config.app_id)
    else:
        text = android.render_amapi(settings)
    return Rendered(text, notes)


def _for_any(config: AppConfig) -> dict[str, str]:
    return {
        name: value for name, value in config.settings.items()
        if set(catalog.BY_NAME[name].platforms) & set(config.platforms)
    }


def parse(document: str | bytes, fmt: str | None = None) -> ParsedDocument:
    """Parse `document` in format `fmt`, or in the format its content shows.

    Raises ValueError for an unknown `fmt` and for content of no format read."""
    if fmt is not None and fmt not in READ_FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(READ_FORMATS)}")
    head = _head(document)
    if head.startswith(("{", "[", '"')) and fmt in (None,) + tuple(_JSON_READERS):
        return _parse_json(document, fmt)
    fmt = fmt or _xml_format(head)
    return _XML_PARSERS[fmt](document) if fmt in _XML_PARSERS else _parse_json(document, fmt)


def detect(document: str | bytes) -> str:
    """The format of a document, from its root element or its JSON shape."""
    return parse(document).format


def _head(document: str | bytes) -> str:
    text = encoding.text_of(document[:4096], "replace") if isinstance(document, bytes) else document[:4096]
    return text.lstrip("\ufeff \t\r\n")


def _xml_format(head: str) -> str:
    if head.startswith("<"):
        root = _FIRST_ELEMENT.search(_PROLOGUE.sub("", head))
        if root and root.group(1) in _XML_ROOTS:
            return _XML_ROOTS[root.group(1)]
        raise ValueError(_unknown(f"an XML document with the root <{root.group(1)}>" if root else "an XML document"))
    raise ValueError(_unknown("a document that is neither XML nor JSON"))


def _parse_json(document: str | bytes, fmt: str | None) -> ParsedDocument:
    try:
        data = jsondoc.load(document)
    except jsondoc.JsonError as exc:
        return ParsedDocument(format=fmt or "json", findings=[Finding(findings.ERROR, exc.code, exc.message, line=exc.line)])
    fmt = fmt or _json_format(data)
    parsed = ParsedDocument(format=fmt)
    fits = _FITS.get(fmt)
    if fits is None or fits(data):
        _JSON_READERS[fmt](data, parsed)
    else:
        parsed.findings.append(Finding(findings.ERROR, "json-grammar", f"the document is not {_DESCRIPTIONS[fmt]}"))
    return parsed


def _is_graph(data) -> bool:
    if jsondoc.is_array(data):
        return bool(data) and all(graph.is_graph_object(item) for item in data)
    return graph.is_graph_object(data) or (isinstance(data, JsonObject) and _is_graph_list(data))


def _is_policy(data) -> bool:
    return isinstance(data, JsonObject) and jsondoc.is_array(data.get("applications"))


# Shapes of the formats whose readers need one (the Android readers report any shape themselves).
_FITS = {GRAPH: _is_graph, JAMF: jamf.is_record, WORKSPACE_ONE: workspace_one.is_rules, AMAPI_POLICY: _is_policy}


def _json_format(data) -> str:
    """The format of parsed JSON, from members that only that format has."""
    if _is_graph(data):
        return GRAPH
    if jsondoc.is_array(data):
        raise ValueError(_unknown("a JSON array that is not a list of Graph app configurations"))
    if not isinstance(data, JsonObject):
        raise ValueError(_unknown(f"a JSON {android.json_type(data)}"))
    if data.get("@odata.type"):
        raise ValueError(_unknown(f"a Graph {data.get('@odata.type')}, which is not an app configuration"))
    for fmt, fits in ((MANAGED_PROPERTIES, _is_managed_properties), (JAMF, jamf.is_record),
                      (WORKSPACE_ONE, workspace_one.is_rules), (AMAPI_POLICY, _is_policy), (AMAPI, _is_amapi)):
        if fits(data):
            return fmt
    names = ", ".join(data.names()[:8]) or "no members"
    raise ValueError(_unknown(f"a JSON object with {names}") + "; a managedConfiguration object of another app's keys "
                     "is read with format amapi")


def _is_graph_list(data: JsonObject) -> bool:
    listed = data.get("value")
    return jsondoc.is_array(listed) and bool(listed) and any(graph.is_graph_object(item) for item in listed)


def _is_managed_properties(data: JsonObject) -> bool:
    return data.get("managedProperty") is not None or data.get("kind") == android.KIND


def _is_amapi(data: JsonObject) -> bool:
    """A managedConfiguration (or an ApplicationPolicy holding one): flat key/value pairs, or
    nested values beside a key the Mattermost app reads (or a near miss of one)."""
    if isinstance(data.get("managedConfiguration"), JsonObject):
        return True
    if all(not isinstance(value, list) for _name, value in data):  # a JsonObject is a list too
        return True
    return any(catalog.lookup(name) or name in catalog.INTUNE_SDK_KEYS or catalog.correction(name)
               for name in data.names()[:100])


def _unknown(what: str) -> str:
    return (f"cannot read {what}: it is none of the formats read, {', '.join(READ_FORMATS)} ({FORMATS_READ_TEXT}); "
            "name the format if the document is one of them")
