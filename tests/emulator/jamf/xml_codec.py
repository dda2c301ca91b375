# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Classic API objects between XML and the JSON shape Jamf answers with, guided by templates.

A template is a record's default value: dicts nest, `ListOf` marks a list (XML wraps each item in
an element of its own name, JSON lists the items bare), and a scalar gives the type and default.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import JamfError, bad_request, conflict

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


@dataclass(frozen=True)
class ListOf:
    """A list whose XML items are `<{item}>` elements shaped like `fields`."""

    item: str
    fields: Mapping[str, Any]


def defaults(template: Any) -> Any:
    """A fresh record holding the template's defaults."""
    if isinstance(template, ListOf):
        return []
    if isinstance(template, Mapping):
        return {name: defaults(value) for name, value in template.items()}
    return copy.copy(template)


def parse_document(body: bytes) -> ET.Element:
    """The request's XML root. A DOCTYPE is refused before parsing, so no entity is ever expanded."""
    if _DOCTYPE.search(body):
        raise bad_request("DOCTYPE declarations are not allowed")
    try:
        return ET.fromstring(body)
    except ET.ParseError as error:
        raise JamfError(400, f"Error in XML file: {error}") from None


def from_xml(element: ET.Element, template: Any) -> Any:
    """The element's value in JSON shape; elements the template does not know keep their text."""
    if isinstance(template, ListOf):
        return [from_xml(item, template.fields) for item in element]
    if isinstance(template, Mapping) or (template is None and len(element)):
        known = template or {}
        return {child.tag: from_xml(child, known.get(child.tag)) for child in element}
    text = element.text or ""
    if isinstance(template, bool):
        return text.strip().lower() == "true"
    if isinstance(template, int):
        try:
            return int(text.strip() or 0)
        except ValueError:
            raise conflict(f"Problem with field {element.tag}") from None
    return text


def to_xml(tag: str, value: Any, template: Any = None) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, Mapping):
        known = template if isinstance(template, Mapping) else {}
        element.extend(to_xml(name, item, known.get(name)) for name, item in value.items())
    elif isinstance(value, list):
        item_tag, fields = (template.item, template.fields) if isinstance(template, ListOf) else ("item", None)
        element.extend(to_xml(item_tag, item, fields) for item in value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def document(element: ET.Element) -> bytes:
    return (XML_DECLARATION + ET.tostring(element, encoding="unicode")).encode()


def id_document(root: str, object_id: int) -> bytes:
    """What a Classic create or update answers: the object's id under the resource's root."""
    return document(to_xml(root, {"id": object_id}))


def merge(record: dict[str, Any], update: Mapping[str, Any]) -> None:
    """Applies a partial update the way Classic PUT does: only the fields sent change, and a list
    sent replaces the whole list."""
    for name, value in update.items():
        if isinstance(value, Mapping) and isinstance(record.get(name), dict):
            merge(record[name], value)
        else:
            record[name] = value
