# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The document formats an EMM takes, behind one render/parse/detect interface."""

from __future__ import annotations

import re
from typing import NamedTuple

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog, encoding, findings
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats import android, plist, specfile
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import AppConfig

SPECFILE = specfile.NAME
PLIST = plist.NAME
MANAGED_PROPERTIES = android.MANAGED_PROPERTIES
AMAPI = android.AMAPI
FORMATS = (SPECFILE, PLIST, MANAGED_PROPERTIES, AMAPI)

# The platform whose app reads each format; None: the format serves both.
PLATFORM = {SPECFILE: None, PLIST: catalog.IOS, MANAGED_PROPERTIES: catalog.ANDROID, AMAPI: catalog.ANDROID}

_PARSERS = {
    SPECFILE: specfile.parse,
    PLIST: plist.parse,
    MANAGED_PROPERTIES: android.parse_managed_properties,
    AMAPI: android.parse_amapi,
}

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
    """Parse `document` in format `fmt`, or in the format detected from its content."""
    fmt = fmt or detect(document)
    if fmt not in _PARSERS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    return _PARSERS[fmt](document)


def detect(document: str | bytes) -> str:
    """The format of a document, from its first element or its JSON shape."""
    text = encoding.text_of(document, "replace") if isinstance(document, bytes) else document
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        root = _FIRST_ELEMENT.search(_PROLOGUE.sub("", head))
        if root and root.group(1) == "managedAppConfiguration":
            return SPECFILE
        if root and root.group(1) in ("plist", "dict"):
            return PLIST
    elif head.startswith("{"):
        if '"managedProperty"' in text or android.KIND in text:
            return MANAGED_PROPERTIES
        return AMAPI
    raise ValueError(
        "cannot tell the document's format from its content; name it as one of: " + ", ".join(FORMATS)
    )
