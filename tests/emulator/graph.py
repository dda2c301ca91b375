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
from .lob import LobContent
from .odata import QueryOptions, next_link, page_bounds, parse_options, select_fields
from .protocol import PLAIN_TEXT, Request, Response
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
    count: bool = False
    """The collection's /$count segment."""


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
        lob: LobContent,
    ):
        self._store = store
        self._lob = lob
        self._schema = schema
        self._page_size = page_size
        self._listing_delay = listing_delay
        self._dispatch = dispatch

    def handle(self, request: Request) -> Response:
        version, *segments = (_full_name(segment) for segment in request.path.strip("/").split("/"))
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
        return self._resolve_within(target, segments[len(kind.segments) :])

    def _resolve_within(self, target: Target, rest: Sequence[str]) -> Target:
        """Walks the segments after a collection: a cast, the item id, then a cast, a child
        collection or an action. A cast's type must be the object's or one of its bases."""
        if not rest:
            return target
        head, tail = rest[0], rest[1:]
        if head.startswith(_NAMESPACE) and (target.record is None or tail or head not in _ACTION_NAMES):
            if target.record is not None and not self._is_of(target.record, head, target.version):
                raise not_found(target.kind, target.record.data["id"])
            return self._resolve_within(replace(target, cast=head), tail)
        if target.record is None:
            return self._resolve_item(target, head, tail)
        action = head.removeprefix(_NAMESPACE)
        if action in target.kind.actions and not tail:
            return replace(target, action=action, cast=None)
        if head in target.kind.children:
            child = Target(
                target.version,
                target.kind.children[head],
                target.record.children[head],
                f"{target.context}('{target.record.data['id']}')/{head}",
            )
            return self._resolve_within(child, tail)
        raise segment_not_found(head)

    def _resolve_item(self, target: Target, head: str, tail: Sequence[str]) -> Target:
        if head == "$count" and not tail:
            return replace(target, count=True)
        record = target.items.get(head)
        if record is None or not self._is_of(record, target.cast, target.version):
            raise not_found(target.kind, head)
        if target.kind.union_of:  # served by the collection that holds it
            target = replace(target, kind=record.kind, items=self._store.items(record.kind))
        return self._resolve_within(replace(target, record=record, cast=None), tail)

    def _is_of(self, record: Record, cast: str | None, version: str) -> bool:
        return cast is None or self._schema.is_of(type_name(record.data[ODATA_TYPE]), cast, version)

    def _serve(self, target: Target, request: Request) -> Response:
        if target.action:
            handlers = {"POST": self._run_action}
        elif target.count:
            handlers = {"GET": self._count}
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
        options = self._options_for(target, request)
        records = self._selected(target, options, request)
        start, end, next_offset = page_bounds(len(records), options, self._page_size)
        body: dict[str, Any] = {"@odata.context": self._context(request, target)}
        if options.count:
            body["@odata.count"] = len(records)
        body["value"] = [self._render(target, record, options) for record in records[start:end]]
        if next_offset is not None:
            body["@odata.nextLink"] = next_link(request.base_url, request.path, request.query, next_offset)
        return Response(200, body)

    def _count(self, target: Target, request: Request) -> Response:
        options = self._options_for(target, request, raw_count=True)
        return Response(200, str(len(self._selected(target, options, request))).encode(), content_type=PLAIN_TEXT)

    def _selected(self, target: Target, options: QueryOptions, request: Request) -> list[Record]:
        """The listed records of the collection (or its cast) that the options keep, in their order."""
        records = [
            record for record in self._store.listed(target.items) if self._is_of(record, target.cast, target.version)
        ]
        for record in records:
            self._lob.read(target.kind.name, record, request)
        if not options.selects_records:
            return records
        views = [self._queried_view(target, record) for record in records]
        return [records[index] for index in options.arrange(views)]

    def _queried_view(self, target: Target, record: Record) -> dict[str, Any]:
        """What $filter, $search and $orderby see of a record: the object as Graph shows it
        (computed and defaulted properties included) and its child collections (for any())."""
        children = {nav: [child.data for child in items.values()] for nav, items in record.children.items()}
        return {**self._shown(target, record), **children}

    def _shown(self, target: Target, record: Record) -> dict[str, Any]:
        """The object as Graph answers it: computed properties included, shaped by its type."""
        return self._schema.shape({**record.data, **record.computed()}, target.kind.entity_type, target.version)

    def _get(self, target: Target, request: Request) -> Response:
        self._lob.read(target.kind.name, target.record, request)
        options = self._options_for(target, request)
        return Response(200, self._entity_body(request, target, target.record, options))

    def _create(self, target: Target, request: Request) -> Response:
        body = _json_object(request)
        requested = _requested_type(body)
        kind = _member_for(target.kind, requested) if target.kind.union_of else target.kind
        obj_type = kind.creatable_type(requested, target.version)
        self._schema.check_entity(body, obj_type, target.version)
        record = new_record(kind, kind.new_object(body, obj_type), self._store.clock() + self._listing_delay)
        items = self._store.items(kind) if target.kind.union_of else target.items
        record.data["id"] = self._lob.new_id(kind.name, items) or record.data["id"]
        items[record.data["id"]] = record
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
        self._lob.updated(target.record, body)
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
        if self._lob.action(target.kind.name, target.action, target.record, body):
            return Response(204)
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
        obj = select_fields(self._shown(target, record), options.select)
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
        statuses: dict[str, int] = {}  # ids as strings: Graph takes JSON numbers as well
        responses = []
        for item in items:
            inner = _inner_request(item, version, request)
            failed = [dep for dep in map(str, item.get("dependsOn", [])) if not 200 <= statuses[dep] < 300]
            if failed:
                response = error_response(
                    GraphError(424, "FailedDependency", f"The request depends on failed request '{failed[0]}'."), inner
                )
            else:
                response = self._dispatch(inner)
            statuses[str(item["id"])] = response.status
            responses.append(_batch_entry(str(item["id"]), response))
        return Response(200, {"responses": responses})

    # --- query options ------------------------------------------------------------------------

    def _options_for(self, target: Target, request: Request, raw_count: bool = False) -> QueryOptions:
        kind = target.kind
        if kind.directory and not _eventual(request):
            _refuse_advanced_query(request.query, raw_count)
        options = parse_options(
            request.query, lambda name, wanted: self._schema.is_of(name, wanted, target.version)
        )
        unknown = [nav for nav in options.expand if nav not in kind.children]
        if unknown:
            raise bad_request(f"Could not find a property named '{unknown[0]}' on type '{kind.entity_type}'.")
        return options


_ACTION_NAMES = frozenset(f"{_NAMESPACE}{name}" for kind in KINDS for name in kind.actions)


def _member_for(union: Kind, requested: str | None) -> Kind:
    """The collection of a union that creates objects of the requested type."""
    for name in union.union_of:
        member = KINDS_BY_NAME[name]
        if requested and (requested == member.entity_type or requested in member.derived_types):
            return member
    raise bad_request(
        f"Cannot create an instance of the abstract type '{union.entity_type}'; "
        f"set '{ODATA_TYPE}' to one of its derived types."
    )


def _eventual(request: Request) -> bool:
    return (request.header("consistencylevel") or "").strip().lower() == "eventual"


def _refuse_advanced_query(query: Mapping[str, str], raw_count: bool) -> None:
    """The directory's answers to $count and $search without ConsistencyLevel: eventual."""
    if raw_count:
        raise GraphError(
            400,
            "Request_UnsupportedQuery",
            "Raw count (/$count) is not supported because the 'ConsistencyLevel:eventual' header is missing. "
            "Refer to https://aka.ms/graph-docs/advanced-queries for more information",
        )
    if "$search" in query:
        raise GraphError(
            400,
            "Request_UnsupportedQuery",
            "Request with $search query parameter only works through MSGraph with a special request header: "
            "'ConsistencyLevel: eventual'",
        )
    if query.get("$count", "").lower() == "true":
        raise GraphError(400, "Request_BadRequest", "$count is not currently supported.")


def _full_name(segment: str) -> str:
    """Graph's metadata gives microsoft.graph the alias "graph": graph.iosStoreApp is microsoft.graph.iosStoreApp."""
    return f"microsoft.{segment}" if segment.startswith("graph.") else segment


def _first_unknown_segment(segments: list[str], kinds: list[Kind]) -> str:
    for depth, segment in enumerate(segments):
        if not any(kind.segments[: depth + 1] == tuple(segments[: depth + 1]) for kind in kinds):
            return segment
    return segments[-1] if segments else ""


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
        if not isinstance(item, dict) or not _is_batch_id(item.get("id")):
            raise bad_request("Each batch request needs an 'id', a string or a number.")
        if not all(isinstance(item.get(key), str) for key in ("method", "url")):
            raise bad_request(f"Batch request '{item['id']}' needs string 'method' and 'url' properties.")
        if str(item["id"]) in seen:
            raise bad_request(f"Batch request id '{item['id']}' is used more than once.")
        depends_on = item.get("dependsOn", [])
        if not isinstance(depends_on, list) or not all(map(_is_batch_id, depends_on)) or not set(map(str, depends_on)) <= seen:
            raise bad_request(f"Batch request '{item['id']}' depends on a request that does not precede it.")
        if item["url"].startswith(("http://", "https://")) or item["url"].lstrip("/").startswith("$batch"):
            raise bad_request(f"Batch request '{item['id']}' must use a relative URL other than $batch.")
        if "body" in item and not any(name.lower() == "content-type" for name in item.get("headers") or {}):
            raise bad_request(f"Write request id : {item['id']} does not contain Content-Type header or body.")
        seen.add(str(item["id"]))
    return items


def _is_batch_id(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


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
