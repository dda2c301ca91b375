# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Classic API write bodies checked against Jamf's Classic API description.

The description gives no request bodies, so a body is checked against the schema of the record it
writes (`components/schemas/{name}`): every element must be a property there, at every depth. Names
the emulator's own template knows pass too, which covers the description's spelling slips (it has
`redeploy_Dayss_before_certificate_expires` where servers write `redeploy_Days_...`).
"""

from __future__ import annotations

import json
import logging
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import bad_request
from .xml_codec import ListOf

LOG = logging.getLogger(__name__)
CLASSIC_DESCRIPTION = "jamf-classic-api.openapi.json"


class ClassicSpec:
    def __init__(self, schemas: Mapping[str, Any]):
        self._schemas = schemas

    def check(self, element: ET.Element, schema_name: str, template: Mapping[str, Any]) -> None:
        """Raises Jamf's 400 naming the first element neither the description nor the template knows."""
        self._check(element, self._schemas.get(schema_name, {}), template, element.tag)

    def _check(self, element: ET.Element, schema: Mapping[str, Any], template: Any, where: str) -> None:
        schema = self._resolve(schema)
        if "items" in schema or isinstance(template, ListOf):
            item_schema = self._resolve(schema.get("items", {})).get("properties", {})
            item_template = template.fields if isinstance(template, ListOf) else None
            for item in element:
                self._check(item, item_schema.get(item.tag, {}), item_template, f"{where}/{item.tag}")
            return
        properties = schema.get("properties", {})
        known = template if isinstance(template, Mapping) else {}
        for child in element:
            path = f"{where}/{child.tag}"
            if child.tag not in properties and child.tag not in known:
                raise bad_request(f"Unrecognized element {path}")
            self._check(child, properties.get(child.tag, {}), known.get(child.tag), path)

    def _resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in schema:
            schema = self._schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema


class NoSpec:
    """Accepts every body (the description is absent)."""

    def check(self, element: ET.Element, schema_name: str, template: Mapping[str, Any]) -> None:
        return None


def classic_spec_for(specs: Path | None) -> ClassicSpec | NoSpec:
    path = specs / CLASSIC_DESCRIPTION if specs else None
    if path is None or not path.is_file():
        LOG.warning("Jamf Classic API description not found at %s; request bodies are not checked", path or specs)
        return NoSpec()
    return ClassicSpec(_load_schemas(path))


@lru_cache(maxsize=None)
def _load_schemas(path: Path) -> Mapping[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))["components"]["schemas"]
