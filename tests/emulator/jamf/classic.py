# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Classic API (/JSSResource): lists, lookups, XML writes and MDM commands, with Jamf's quirks.

Writes are XML; reads answer JSON when the client accepts it and XML otherwise. Creates and
updates answer 201 with the object's id; PUT changes only what it sends; every error is an HTML
status page.
"""

from __future__ import annotations

import copy
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import utc_now_text
from ..protocol import Request, Response
from . import profiles
from .errors import JSON, JamfError, bad_request, conflict, not_found
from .resources import (
    APPLICATIONS,
    CONFIGURATION_PROFILES,
    MOBILE_DEVICE_GROUPS,
    MOBILE_DEVICES,
    RESOURCES_BY_PATH,
    SCOPED_GROUP_LISTS,
    Resource,
)
from .spec import ClassicSpec, NoSpec
from .store import JamfRecord, JamfStore
from .xml_codec import ListOf, defaults, document, from_xml, id_document, merge, parse_document, to_xml

XML = "text/xml;charset=UTF-8"
COMMANDS_PATH = "mobiledevicecommands"
MDM_COMMANDS = frozenset(
    {
        "BlankPush",
        "ClearPasscode",
        "ClearRestrictionsPassword",
        "DeviceLocation",
        "DeviceLock",
        "DeviceName",
        "DisableLostMode",
        "EnableLostMode",
        "EraseDevice",
        "PlayLostModeSound",
        "RestartDevice",
        "Settings",
        "ShutDownDevice",
        "UnmanageDevice",
        "UpdateInventory",
    }
)


def wants_json(request: Request) -> bool:
    return "application/json" in (request.header("accept") or "")


class ClassicApi:
    """Serves the paths under /JSSResource/ (given without that prefix)."""

    def __init__(self, store: JamfStore, spec: ClassicSpec | NoSpec, listing_delay: float):
        self._store = store
        self._spec = spec
        self._listing_delay = listing_delay

    def handle(self, request: Request, path: str) -> Response:
        head, *rest = path.strip("/").split("/")
        with self._store.lock:
            if head == COMMANDS_PATH:
                return self._command(request, rest)
            resource = RESOURCES_BY_PATH.get(head)
            if resource is None:
                raise not_found()
            if not rest:
                return self._list(request, resource)
            return self._item(request, resource, rest)

    # --- collections and items ----------------------------------------------------------------

    def _list(self, request: Request, resource: Resource) -> Response:
        if request.method != "GET":
            raise _method_not_allowed()
        rows = [resource.list_row(record.data) for record in self._store.listed(resource)]
        if wants_json(request):
            return Response(200, {resource.list_key: rows}, content_type=JSON)
        listing = ET.Element(resource.list_key)
        ET.SubElement(listing, "size").text = str(len(rows))
        listing.extend(to_xml(resource.root, row) for row in rows)
        return Response(200, document(listing), content_type=XML)

    def _item(self, request: Request, resource: Resource, rest: list[str]) -> Response:
        if len(rest) not in (2, 4) or rest[0] not in resource.lookups or (len(rest) == 4 and rest[2] != "subset"):
            raise not_found()
        key, value = rest[0], rest[1]
        if request.method == "POST" and key == "id" and len(rest) == 2:
            return self._create(request, resource)
        record = self._find(resource, key, value)
        if len(rest) == 4:
            if request.method != "GET":
                raise _method_not_allowed()
            return self._get(request, resource, record, _subset_keys(resource, rest[3]))
        handlers: dict[str, Callable[[Request, Resource, JamfRecord], Response]] = {"GET": self._get}
        if resource.writable:
            handlers.update(PUT=self._update, DELETE=self._delete)
        handler = handlers.get(request.method)
        if handler is None:
            raise _method_not_allowed()
        return handler(request, resource, record)

    def _find(self, resource: Resource, key: str, value: str) -> JamfRecord:
        records = self._store.records(resource)
        if key == "id":
            record = records.get(int(value)) if value.isdigit() else None
        else:
            field = resource.lookups[key]
            record = next((record for record in records.values() if resource.fields(record.data)[field] == value), None)
        if record is None:
            raise not_found()
        return record

    def _get(
        self, request: Request, resource: Resource, record: JamfRecord, keys: tuple[str, ...] | None = None
    ) -> Response:
        data = {key: value for key, value in record.data.items() if keys is None or key in keys}
        if wants_json(request):
            return Response(200, {resource.root: data}, content_type=JSON)
        return Response(200, document(to_xml(resource.root, data, resource.template)), content_type=XML)

    def _create(self, request: Request, resource: Resource) -> Response:
        if not resource.writable:
            raise _method_not_allowed()
        body = self._write_body(request, resource)
        data = defaults(resource.template)
        merge(data, body)
        self._settle(resource, data, body, None)
        record = self._store.add(resource, data, self._listing_delay)
        _track_profile_generation(resource, record)
        return Response(201, id_document(resource.root, resource.id_of(record.data)), content_type=XML)

    def _update(self, request: Request, resource: Resource, record: JamfRecord) -> Response:
        body = self._write_body(request, resource)
        data = copy.deepcopy(record.data)
        merge(data, body)
        resource.fields(data)["id"] = resource.id_of(record.data)  # the URL names the object, not the body
        self._settle(resource, data, body, record)
        record.data = data
        _track_profile_generation(resource, record)
        return Response(201, id_document(resource.root, resource.id_of(record.data)), content_type=XML)

    def _delete(self, request: Request, resource: Resource, record: JamfRecord) -> Response:
        object_id = resource.id_of(record.data)
        del self._store.records(resource)[object_id]
        if resource.delete_answers_400:
            raise bad_request("Unable to delete the object")
        return Response(200, id_document(resource.root, object_id), content_type=XML)

    # --- writes -------------------------------------------------------------------------------

    def _write_body(self, request: Request, resource: Resource) -> dict[str, Any]:
        if "xml" not in (request.header("content-type") or ""):
            raise JamfError(415, "Error: Classic API writes take XML (Content-Type: text/xml or application/xml)")
        element = parse_document(request.body)
        if element.tag != resource.root:
            raise bad_request(f"The XML root element must be <{resource.root}>")
        self._spec.check(element, resource.schema, resource.template)
        body = from_xml(element, resource.template)
        if "scope" in body:
            self._resolve_scope_groups(body["scope"])
        return body

    def _resolve_scope_groups(self, scope: dict[str, Any]) -> None:
        """Each group a scope names (by id, or by name) becomes {id, name} of an existing group."""
        for path in SCOPED_GROUP_LISTS:
            *parents, name = path
            holder = scope
            for parent in parents:
                holder = holder.get(parent) or {}
            if name in holder:
                holder[name] = [self._group_reference(item) for item in holder[name]]

    def _group_reference(self, item: Mapping[str, Any]) -> dict[str, Any]:
        groups = self._store.records(MOBILE_DEVICE_GROUPS).values()
        wanted_id, wanted_name = item.get("id") or 0, item.get("name") or ""
        group = next(
            (
                group.data
                for group in groups
                if group.data["id"] == wanted_id or (not wanted_id and group.data["name"] == wanted_name)
            ),
            None,
        )
        if group is None:
            raise conflict("Problem with mobile device group in scope")
        return {"id": group["id"], "name": group["name"]}

    def _settle(
        self, resource: Resource, data: dict[str, Any], body: Mapping[str, Any], previous: JamfRecord | None
    ) -> None:
        """Checks the written object and sets what the server derives."""
        fields = resource.fields(data)
        if not str(fields.get("name", "")).strip():
            raise conflict("Problem with field name")
        if any(
            resource.fields(other.data)["name"] == fields["name"]
            for other in self._store.records(resource).values()
            if other is not previous
        ):
            raise conflict("Duplicate name")
        if resource is APPLICATIONS:
            _settle_application(data)
        elif resource is CONFIGURATION_PROFILES:
            _settle_profile(data, body, previous)

    # --- MDM commands -------------------------------------------------------------------------

    def _command(self, request: Request, rest: list[str]) -> Response:
        if len(rest) != 4 or rest[0] != "command" or rest[2] != "id":
            raise not_found()
        if request.method != "POST":
            raise _method_not_allowed()
        command, id_list = rest[1], rest[3]
        if command not in MDM_COMMANDS:
            raise bad_request(f"Invalid command {command}")
        devices = [self._find(MOBILE_DEVICES, "id", device_id.strip()) for device_id in id_list.split(",")]
        device_ids = [MOBILE_DEVICES.id_of(device.data) for device in devices]
        command_uuid = str(uuid.uuid4())
        self._store.commands.append(
            {"uuid": command_uuid, "command": command, "mobile_device_ids": device_ids, "time": utc_now_text()}
        )
        if command == "UnmanageDevice":
            for device in devices:
                device.data["general"]["managed"] = False
        answer = {
            "uuid": command_uuid,
            "command": command,
            "mobile_devices": [{"id": i, "status": None} for i in device_ids],
        }
        shape = {"mobile_devices": ListOf("mobile_device", {})}
        return Response(201, document(to_xml("mobile_device_command", answer, shape)), content_type=XML)


def _method_not_allowed() -> JamfError:
    return JamfError(405, "The method specified in the request is not allowed for the resource")


def _subset_keys(resource: Resource, names: str) -> tuple[str, ...]:
    """The record keys a subset list such as "General&Scope&AppConfiguration" asks for."""
    wanted = [name.strip().lower() for name in names.split("&") if name.strip()]
    unknown = [name for name in wanted if name not in resource.subsets]
    if unknown or not wanted:
        raise bad_request(f"Unknown subset {names}")
    return tuple(resource.subsets[name] for name in wanted)


def _settle_application(data: dict[str, Any]) -> None:
    general = data["general"]
    store_url = general["itunes_store_url"]
    hosted = "" if store_url else general["external_url"]  # an in-house app hosted externally keeps its URL
    general.update(
        display_name=general["name"],
        internal_app=not store_url,
        host_externally=bool(store_url or hosted),
        external_url=store_url or hosted,
        itunes_country_region="US" if store_url else "",
    )
    preferences = data["app_configuration"]["preferences"]
    data["app_configuration"]["preferences"] = preferences.removesuffix("\n")


def _settle_profile(data: dict[str, Any], body: Mapping[str, Any], previous: JamfRecord | None) -> None:
    general = data["general"]
    sent = body.get("general", {})
    previous_uuid = previous.data["general"]["uuid"] if previous else ""
    general["uuid"] = previous_uuid  # the server owns it; only the payloads' PayloadUUID can change it
    if "payloads" in sent:
        plist = profiles.decode_payloads(sent["payloads"])
        sent_uuid = plist.get("PayloadUUID")
        general["uuid"] = (sent_uuid if previous and sent_uuid else previous_uuid) or profiles.new_payload_uuid()
        general["payloads"] = profiles.render_payloads(plist, general["uuid"], general["name"])
    elif general["payloads"] and previous and general["name"] != previous.data["general"]["name"]:
        general["payloads"] = profiles.rename_payloads(general["payloads"], general["name"])
    elif not general["uuid"]:
        general["uuid"] = profiles.new_payload_uuid()


def _track_profile_generation(resource: Resource, record: JamfRecord) -> None:
    if resource is CONFIGURATION_PROFILES:
        profile_uuid = record.data["general"]["uuid"]
        if not record.payload_uuids or record.payload_uuids[-1] != profile_uuid:
            record.payload_uuids.append(profile_uuid)
