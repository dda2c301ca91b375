# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Request bodies checked against Google's discovery document (../shared/specs/google).

An unknown field, a value of the wrong JSON type or an enum value the document does not list is
Google's 400 INVALID_ARGUMENT, worded as Google words it. Without the document nothing is checked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import invalid

DISCOVERY_FILE = "androidmanagement.v1.discovery.json"
_PACKAGE = "type.googleapis.com/google.android.devicemanagement.v1"


class Discovery:
    def __init__(self, document: dict[str, Any] | None):
        self.document = document
        self._schemas = (document or {}).get("schemas", {})

    def check(self, value: Any, schema_name: str, where: str) -> None:
        """Raises Google's 400 when `value` is not a valid `schema_name` message."""
        if self._schemas:
            self._check(value, {"$ref": schema_name}, where)

    def fields(self, schema_name: str) -> frozenset[str]:
        return frozenset(self._schemas.get(schema_name, {}).get("properties", {}))

    def _check(self, value: Any, schema: dict[str, Any], where: str) -> None:
        if "$ref" in schema:
            name = schema["$ref"]
            if not isinstance(value, dict):
                raise invalid(f"Invalid value at '{where}' ({_PACKAGE}.{name}), {json.dumps(value)}", where)
            properties = self._schemas[name].get("properties", {})
            for key, item in value.items():
                if key not in properties:
                    raise invalid(f'Invalid JSON payload received. Unknown name "{key}" at \'{where}\': Cannot find field.',
                                  where)
                self._check(item, properties[key], f"{where}.{key}" if where else key)
            return
        kind = schema.get("type")
        if value is None or kind == "any":
            return
        if kind == "array":
            if not isinstance(value, list):
                raise invalid(f"Invalid value at '{where}', {json.dumps(value)}: expected a list", where)
            for index, item in enumerate(value):
                self._check(item, schema.get("items", {}), f"{where}[{index}]")
        elif kind == "object":
            if not isinstance(value, dict):
                raise invalid(f"Invalid value at '{where}' (google.protobuf.Struct), {json.dumps(value)}", where)
        elif kind == "string":
            self._string(value, schema, where)
        elif kind == "integer" and not (isinstance(value, int) and not isinstance(value, bool)
                                        or isinstance(value, str) and value.lstrip("-").isdigit()):
            raise invalid(f"Invalid value at '{where}' (TYPE_INT32), {json.dumps(value)}", where)
        elif kind == "boolean" and not isinstance(value, bool):
            raise invalid(f"Invalid value at '{where}' (TYPE_BOOL), {json.dumps(value)}", where)

    @staticmethod
    def _string(value: Any, schema: dict[str, Any], where: str) -> None:
        if schema.get("format") == "int64" and isinstance(value, int) and not isinstance(value, bool):
            return
        if not isinstance(value, str):
            raise invalid(f"Invalid value at '{where}' (TYPE_STRING), {json.dumps(value)}", where)
        if "enum" in schema and value not in schema["enum"]:
            raise invalid(f"Invalid value at '{where}' (type.googleapis.com/enum), \"{value}\"", where)


def discovery_for(folder: Path | None) -> Discovery:
    path = folder / DISCOVERY_FILE if folder else None
    if path is None or not path.is_file():
        return Discovery(None)
    return Discovery(json.loads(path.read_text(encoding="utf-8")))
