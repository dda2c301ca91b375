# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Microsoft Graph over the emulated tenant: URL resolution against the registered kinds, one
generic handler per kind of address (collection, item, bound action) and JSON batching."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .errors import GraphError, bad_request, error_response, method_not_allowed, segment_not_found
from .kinds import KINDS, KINDS_BY_NAME, ODATA_TYPE, Action, Kind, Mark, incompatible_type, type_name
from .odata import QueryOptions, next_link, page_bounds, parse_options, select_fields
from .protocol import Request, Response
from .schema import GraphSchema, NoSchema
from .store import Record, Store, new_record

VERSIONS = ("v1.0", "beta")
MAX_BATCH_REQUESTS = 20
_NAMESPACE = "microsoft.graph."


@dataclass(frozen=True)
class Target:
    """What a Graph URL addresses: a collection, one of its items, or an action on an item."""

    version: str
    kind: Kind
    items: dict[str, Record]
    context: str
    """The collection's OData context path, e.g. "deviceAppManagement/mobileApps('1')/assignments"."""
    record: Record | None = None
    action: str | None = None
    cast: str | None = None


def not_found(kind: Kind, item_id: str) -> GraphError:
    return GraphError(
        404,
        kind.not_found_code,
        f"Resource '{item_id}' does not exist or one of its queried reference-property objects are not present.",
    )


class GraphApi:
    """Serves /v1.0 and /beta. `dispatch` runs a batch's inner requests through the whole
    pipeline (faults, routing, log), as Graph treats each of them as a request of its own."""

    def __init__(
        self,
        store: Store,
        schema: GraphSchema | NoSchema,
        page_size: int,
        listing_delay: float,
        dispatch: Callable[[Request], Response],
    ):
        self._store = store
        self._schema = schema
        self._page_size = page_size
        self._listing_delay = listing_delay
        self._dispatch = dispatch

    def handle(self, request: Request) -> Response:
        version, *segments = request.path.strip("/").split("/")
        if segments == ["$batch"]:
            return self._batch(request, version)
        with self._store.lock:
            target = self._resolve(version, segments)
            return self._serve(target, request)

    # --- resolution ---------------------------------------------------------------------------

    def _resolve(self, version: str, segments: list[str]) -> Target:
        kinds = [kind for kind in KINDS if version in kind.versions]
        kind = next((kind for kind in kinds if tuple(segments[: len(kind.segments)]) == kind.segments), None)
        if kind is None:
            raise segment_not_found(_first_unknown_segment(segments, kinds))
        target = Target(version, kind, self._store.items(kind), kind.path)
        return _resolve_within(target, segments[len(kind.segments) :])

    def _serve(self, target: Target, request: Request) -> Response:
        if target.action:
            handlers = {"POST": self._run_action}
        elif target.cast:
            handlers = {"GET": self._get if target.record else self._list}
        elif target.record:
            handlers = {"GET": self._get, "PATCH": self._update, "DELETE": self._delete}
        else:
            handlers = {"GET": self._list, "POST": self._create}
        handler = handlers.get(request.method)
        if handler is None:
            raise method_not_allowed(request.method)
        return handler(target, request)

    # --- collection and item handlers ---------------------------------------------------------

    def _list(self, target: Target, request: Request) -> Response:
        options = _options_for(target.kind, request)
        records = [
            record
            for record in self._store.listed(target.items)
            if _is_of(record, target.cast) and (options.predicate is None or options.predicate(record.data))
        ]
        start, end, next_offset = page_bounds(len(records), options, self._page_size)
        body: dict[str, Any] = {
            "@odata.context": self._context(request, target),
            "value": [self._render(target, record, options) for record in records[start:end]],
        }
        if next_offset is not None:
            body["@odata.nextLink"] = next_link(request.base_url, request.path, request.query, next_offset)
        return Response(200, body)

    def _get(self, target: Target, request: Request) -> Response:
        if not _is_of(target.record, target.cast):
            raise not_found(target.kind, target.record.data["id"])
        options = _options_for(target.kind, request)
        return Response(200, self._entity_body(request, target, target.record, options))

    def _create(self, target: Target, request: Request) -> Response:
        body = _json_object(request)
        kind = target.kind
        obj_type = kind.creatable_type(_requested_type(body), target.version)
        self._schema.check_entity(body, obj_type, target.version)
        record = new_record(kind, kind.new_object(body, obj_type), self._store.clock() + self._listing_delay)
        target.items[record.data["id"]] = record
        return Response(201, self._entity_body(request, target, record, QueryOptions()))

    def _update(self, target: Target, request: Request) -> Response:
        body = _json_object(request)
        stored_type = type_name(target.record.data[ODATA_TYPE])
        requested = _requested_type(body)
        if requested and requested != stored_type:
            raise incompatible_type(requested, stored_type)
        # Without @odata.type Graph reads a PATCH body as the collection's declared type, so
        # a derived type's property is unknown there: the same 400 a real tenant gives.
        self._schema.check_entity(body, requested or target.kind.entity_type, target.version)
        target.kind.apply_update(target.record.data, body)
        return Response(204)

    def _delete(self, target: Target, request: Request) -> Response:
        del target.items[target.record.data["id"]]
        return Response(204)

    # --- bound actions ------------------------------------------------------------------------

    def _run_action(self, target: Target, request: Request) -> Response:
        action = target.kind.actions[target.action]
        body = _json_object(request, allow_empty=True)
        params = action.params_in(target.version)
        for name, value in body.items():
            if name not in params:
                raise bad_request(
                    f"The parameter '{name}' in the request payload is not a valid parameter "
                    f"for the operation '{target.action}'."
                )
            self._schema.check_value(value, params[name], name, target.version)
        replaced = self._replace_children(target, action, body) if action.replaces else []
        target.record.data.update(action.sets)
        if action.marks:
            self._mark(action.marks, target.record.data["id"], body)
        if not action.returns_items:
            return Response(204)
        child_kind = target.kind.children[action.replaces[1]]
        context = f"{request.base_url}/{target.version}/$metadata#Collection({child_kind.entity_type})"
        values = [self._schema.shape(record.data, child_kind.entity_type, target.version) for record in replaced]
        return Response(200, {"@odata.context": context, "value": values})

    def _replace_children(self, target: Target, action: Action, body: Mapping[str, Any]) -> list[Record]:
        """The action's items become the whole child collection (assign and targetApps replace).

        Like Graph, assign does not resolve target group ids: an unknown group is accepted and
        simply matches nobody."""
        param, child_name = action.replaces
        child_kind = target.kind.children[child_name]
        items = _json_objects(body.get(param) or [], param)
        records = [
            new_record(
                child_kind,
                child_kind.new_object(item, child_kind.creatable_type(_requested_type(item), target.version)),
            )
            for item in items
        ]
        children = target.record.children[child_name]
        children.clear()
        children.update((record.data["id"], record) for record in records)
        return records

    def _mark(self, mark: Mark, owner_id: str, params: Mapping[str, Any]) -> None:
        for record in self._store.items(KINDS_BY_NAME[mark.collection]).values():
            if mark.applies_to(record.data, owner_id, params):
                record.marks.append(mark.name)

    # --- rendering ----------------------------------------------------------------------------

    def _render(self, target: Target, record: Record, options: QueryOptions) -> dict[str, Any]:
        obj = select_fields(self._schema.shape(record.data, target.kind.entity_type, target.version), options.select)
        for nav in options.expand:
            child_type = target.kind.children[nav].entity_type
            obj[nav] = [
                self._schema.shape(child.data, child_type, target.version) for child in record.children[nav].values()
            ]
        return obj

    def _entity_body(self, request: Request, target: Target, record: Record, options: QueryOptions) -> dict[str, Any]:
        return {"@odata.context": f"{self._context(request, target)}/$entity", **self._render(target, record, options)}

    @staticmethod
    def _context(request: Request, target: Target) -> str:
        cast = f"/{target.cast}" if target.cast else ""
        return f"{request.base_url}/{target.version}/$metadata#{target.context}{cast}"

    # --- JSON batching ------------------------------------------------------------------------

    def _batch(self, request: Request, version: str) -> Response:
        if request.method != "POST":
            raise method_not_allowed(request.method)
        items = _batch_items(_json_object(request))
        statuses: dict[str, int] = {}
        responses = []
        for item in items:
            inner = _inner_request(item, version, request)
            failed = [dep for dep in item.get("dependsOn", []) if not 200 <= statuses[dep] < 300]
            if failed:
                response = error_response(
                    GraphError(424, "FailedDependency", f"The request depends on failed request '{failed[0]}'."), inner
                )
            else:
                response = self._dispatch(inner)
            statuses[item["id"]] = response.status
            responses.append(_batch_entry(item["id"], response))
        return Response(200, {"responses": responses})


def _resolve_within(target: Target, rest: Sequence[str]) -> Target:
    """Walks the segments after a collection: item id, then child collection, action or cast."""
    if not rest:
        return target
    head, tail = rest[0], rest[1:]
    if target.record is None:
        if head.startswith(_NAMESPACE) and not tail:
            return replace(target, cast=head)
        record = target.items.get(head)
        if record is None:
            raise not_found(target.kind, head)
        return _resolve_within(replace(target, record=record), tail)
    action = head.removeprefix(_NAMESPACE)
    if action in target.kind.actions and not tail:
        return replace(target, action=action)
    if head in target.kind.children:
        child = Target(
            target.version,
            target.kind.children[head],
            target.record.children[head],
            f"{target.context}('{target.record.data['id']}')/{head}",
        )
        return _resolve_within(child, tail)
    if head.startswith(_NAMESPACE) and not tail:
        return replace(target, cast=head)
    raise segment_not_found(head)


def _first_unknown_segment(segments: list[str], kinds: list[Kind]) -> str:
    for depth, segment in enumerate(segments):
        if not any(kind.segments[: depth + 1] == tuple(segments[: depth + 1]) for kind in kinds):
            return segment
    return segments[-1] if segments else ""


def _options_for(kind: Kind, request: Request) -> QueryOptions:
    options = parse_options(request.query)
    unknown = [nav for nav in options.expand if nav not in kind.children]
    if unknown:
        raise bad_request(f"Could not find a property named '{unknown[0]}' on type '{kind.entity_type}'.")
    return options


def _is_of(record: Record, cast: str | None) -> bool:
    return cast is None or type_name(record.data[ODATA_TYPE]) == cast


def _requested_type(body: Mapping[str, Any]) -> str | None:
    return type_name(str(body[ODATA_TYPE])) if ODATA_TYPE in body else None


_UNREADABLE = (
    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."
)


def _json_object(request: Request, allow_empty: bool = False) -> dict[str, Any]:
    try:
        body = request.json()
    except ValueError:
        raise bad_request(_UNREADABLE) from None
    if body is None and allow_empty:
        return {}
    if not isinstance(body, dict):
        raise bad_request(_UNREADABLE)
    return body


def _json_objects(value: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise bad_request(f"The parameter '{name}' must be an array of objects.")
    return value


def _batch_items(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The batch's requests, after the checks Graph makes before running any of them."""
    items = body.get("requests")
    if not isinstance(items, list) or not items:
        raise bad_request("The batch request must contain a non-empty 'requests' array.")
    if len(items) > MAX_BATCH_REQUESTS:
        raise bad_request(f"The number of batch requests ({len(items)}) exceeds the limit of {MAX_BATCH_REQUESTS}.")
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict) or not all(isinstance(item.get(key), str) for key in ("id", "method", "url")):
            raise bad_request("Each batch request needs string 'id', 'method' and 'url' properties.")
        if item["id"] in seen:
            raise bad_request(f"Batch request id '{item['id']}' is used more than once.")
        depends_on = item.get("dependsOn", [])
        if not isinstance(depends_on, list) or not set(map(str, depends_on)) <= seen:
            raise bad_request(f"Batch request '{item['id']}' depends on a request that does not precede it.")
        if item["url"].startswith(("http://", "https://")) or item["url"].lstrip("/").startswith("$batch"):
            raise bad_request(f"Batch request '{item['id']}' must use a relative URL other than $batch.")
        if "body" in item and not any(name.lower() == "content-type" for name in item.get("headers") or {}):
            raise bad_request(f"Write request id : {item['id']} does not contain Content-Type header or body.")
        seen.add(item["id"])
    return items


def _inner_request(item: Mapping[str, Any], version: str, outer: Request) -> Request:
    path, _mark, query = item["url"].lstrip("/").partition("?")
    return Request(
        method=item["method"].upper(),
        path=f"/{version}/{path}",
        query_string=query,
        headers={name.lower(): str(value) for name, value in (item.get("headers") or {}).items()},
        body=json.dumps(item["body"]).encode() if "body" in item else b"",
        base_url=outer.base_url,
        in_batch=True,
    )


def _batch_entry(item_id: str, response: Response) -> dict[str, Any]:
    headers = dict(response.headers)
    if response.body is not None:
        headers["Content-Type"] = response.content_type
    entry = {"id": item_id, "status": response.status, "headers": headers}
    if response.body is not None:
        entry["body"] = response.body
    return entry
