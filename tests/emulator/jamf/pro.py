# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Pro API's mobile device groups (/api/v1/mobile-device-groups...), over the Classic records.

The bare list is unpaged with int ids; the static and smart group searches are paged (`page`,
`page-size`), sorted (`sort`) and filtered with RSQL (`filter`), with string ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..protocol import Request, Response
from .errors import JSON, JamfError
from .resources import MOBILE_DEVICE_GROUPS
from .store import JamfStore

GROUPS_PATH = "/v1/mobile-device-groups"
SEARCHES = {f"{GROUPS_PATH}/static-groups": False, f"{GROUPS_PATH}/smart-groups": True}
"""Each group search -> the `is_smart` value of the groups it finds."""
SEARCH_FIELDS = ("groupId", "groupName", "siteId")
_COMPARISON = re.compile(
    r"\s*(?P<field>\w+)\s*(?P<op>==|!=)\s*(?P<value>\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^;,\"']+?)\s*(?P<sep>[;,]|$)"
)

Predicate = Callable[[Mapping[str, Any]], bool]


class ProApi:
    def __init__(self, store: JamfStore):
        self._store = store

    def handle(self, request: Request, path: str) -> Response:
        """Answers a path under /api (given without that prefix)."""
        path = path.rstrip("/")
        if path != GROUPS_PATH and path not in SEARCHES:
            raise JamfError(404, "Resource not found", code="NOT_FOUND")
        if request.method != "GET":
            raise JamfError(405, "Method not allowed", code="METHOD_NOT_ALLOWED")
        with self._store.lock:
            groups = [record.data for record in self._store.listed(MOBILE_DEVICE_GROUPS)]
        if path == GROUPS_PATH:
            return Response(200, [_group(group) for group in groups], content_type=JSON)
        rows = [_search_row(group) for group in groups if group["is_smart"] == SEARCHES[path]]
        return Response(200, _search(rows, request.query), content_type=JSON)


def _group(group: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": group["id"], "name": group["name"], "isSmartGroup": group["is_smart"]}


def _search_row(group: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "groupId": str(group["id"]),
        "groupName": group["name"],
        "siteId": str(group["site"]["id"]),
        "count": len(group["mobile_devices"]),
    }


def _search(rows: list[dict[str, Any]], query: Mapping[str, str]) -> dict[str, Any]:
    page, page_size = _whole(query, "page", 0, 0), _whole(query, "page-size", 100, 1)
    matches = [row for row in rows if _rsql(query.get("filter", ""))(row)]
    field, _colon, direction = query.get("sort", "groupId:asc").partition(":")
    if field not in SEARCH_FIELDS or direction not in ("asc", "desc", ""):
        raise _invalid("sort", f"Invalid sort criteria: {query.get('sort')}")
    key = (lambda row: int(row[field])) if field != "groupName" else (lambda row: row[field].lower())
    matches.sort(key=key, reverse=direction == "desc")
    return {"totalCount": len(matches), "results": matches[page * page_size : (page + 1) * page_size]}


def _whole(query: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    text = query.get(name, str(default))
    if not text.isdigit() or int(text) < minimum:
        raise _invalid(name, f"Invalid {name}: {text}")
    return int(text)


def _rsql(text: str) -> Predicate:
    """A predicate for an RSQL filter of == / != comparisons joined by ; (and) and , (or); `*` in a
    value is a wildcard, and string comparisons ignore case, as Jamf's do."""
    if not text.strip():
        return lambda row: True
    alternatives: list[list[Predicate]] = [[]]
    position = 0
    while position < len(text):
        match = _COMPARISON.match(text, position)
        if match is None or match["field"] not in SEARCH_FIELDS:
            raise _invalid("filter", f"Invalid RSQL filter: {text}")
        alternatives[-1].append(_comparison(match["field"], match["op"], _unquote(match["value"])))
        if match["sep"] == ",":
            alternatives.append([])
        position = match.end()
    if not alternatives[-1]:
        raise _invalid("filter", f"Invalid RSQL filter: {text}")
    return lambda row: any(all(test(row) for test in tests) for tests in alternatives)


def _comparison(field: str, op: str, value: str) -> Predicate:
    pattern = re.compile(".*".join(re.escape(part) for part in value.split("*")), re.IGNORECASE)
    return lambda row: (pattern.fullmatch(str(row[field])) is not None) == (op == "==")


def _unquote(value: str) -> str:
    if value[:1] in ("'", '"'):
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value.strip()


def _invalid(field: str, message: str) -> JamfError:
    return JamfError(400, message, code="INVALID_FIELD", field=field)
