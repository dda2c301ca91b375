# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""iOS managed app configuration: the plist ``<dict>`` pasted into Intune or Jamf, or a whole plist."""

from __future__ import annotations

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import findings
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Entry, Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats.xmltext import escape
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import XmlError, parse_xml

NAME = "plist"
PLATFORM = "ios"

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
    '<plist version="1.0">\n'
)

# Plist value elements the app would receive as something other than a string.
_TYPED = {"true": "boolean", "false": "boolean", "integer": "integer", "real": "real", "date": "date",
          "data": "data", "array": "array", "dict": "dict"}


def render(settings: dict[str, str], *, full: bool = False) -> str:
    """The settings as a plist dict fragment, or as a complete plist document when `full`."""
    pairs = "".join(f"\t<key>{escape(k)}</key>\n\t<string>{escape(v)}</string>\n" for k, v in settings.items())
    body = f"<dict>\n{pairs}</dict>\n"
    return f"{_HEADER}{body}</plist>\n" if full else body


def parse(document: str | bytes) -> ParsedDocument:
    """The key/value pairs of a plist fragment or document, with their types and lines."""
    parsed = ParsedDocument(format=NAME)
    try:
        root = parse_xml(document).getroot()
    except XmlError as exc:
        # exc.message, not str(exc): the line is a field of its own, not part of the message.
        parsed.findings.append(Finding(findings.ERROR, exc.code, exc.message, line=exc.line))
        return parsed
    top = _top_dict(root, parsed)
    if top is not None:
        parsed.entries = _entries(top, parsed)
    return parsed


def _top_dict(root, parsed: ParsedDocument):
    if root.tag == "dict":
        return root
    children = [child for child in root if isinstance(child.tag, str)]  # comments are not content
    if root.tag == "plist" and len(children) == 1 and children[0].tag == "dict":
        return children[0]
    parsed.findings.append(Finding(
        findings.ERROR, "plist-grammar",
        f"expected a <dict>, or a <plist> holding one <dict>; found <{root.tag}>",
        line=root.sourceline, hint="managed app configuration is a dictionary of <key>/<string> pairs",
    ))
    return None


def _entries(top, parsed: ParsedDocument) -> list[Entry]:
    entries = []
    children = iter([child for child in top if isinstance(child.tag, str)])
    for key_element in children:
        if key_element.tag != "key":
            parsed.findings.append(_grammar(key_element, f"expected <key>, found <{key_element.tag}>"))
            break
        value_element = next(children, None)
        if value_element is None or value_element.tag == "key":  # a <key> is never a value
            parsed.findings.append(_grammar(key_element, f"<key>{key_element.text or ''}</key> has no value after it"))
            break
        entries.append(_entry(key_element.text or "", value_element, key_element.sourceline))
    return entries


def _entry(name: str, value_element, line: int) -> Entry:
    tag = value_element.tag
    if tag == "string":
        return Entry(name, value_element.text or "", line=line)
    text = tag if tag in ("true", "false") else (value_element.text or "").strip()
    scalar = tag not in ("array", "dict")
    return Entry(name, text if scalar else None, value_type=_TYPED.get(tag, tag), line=line)


def _grammar(element, message: str) -> Finding:
    return Finding(findings.ERROR, "plist-grammar", message, line=element.sourceline)
