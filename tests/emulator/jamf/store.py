# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulated Jamf Pro server's objects in memory, behind one re-entrant lock.

Records are kept in the JSON shape the Classic API answers with; ids are whole numbers from 1 per
collection, as on a fresh server. Sent MDM commands are kept too, for tests to assert on.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .resources import RESOURCES, Resource
from .xml_codec import defaults, merge

PREFIX = "jamf/"
COMMANDS = "mobile_device_commands"
PAYLOAD_UUIDS = "_emulatorPayloadUuids"
"""Where state shows every top-level PayloadUUID a profile has had: devices keep one profile per UUID."""


@dataclass
class JamfRecord:
    data: dict[str, Any]
    visible_from: float = 0.0
    payload_uuids: list[str] = field(default_factory=list)

    def shown(self) -> dict[str, Any]:
        """The record as state shows it."""
        return {**self.data, PAYLOAD_UUIDS: list(self.payload_uuids)} if self.payload_uuids else self.data


class JamfStore:
    """Every Classic collection plus the command history. Callers hold `lock` across read-modify-write."""

    def __init__(self, resources: Iterable[Resource] = RESOURCES, clock: Callable[[], float] = time.monotonic):
        self.lock = threading.RLock()
        self.clock = clock
        self._resources = {resource.collection: resource for resource in resources}
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self._records: dict[str, dict[int, JamfRecord]] = {name: {} for name in self._resources}
            self._ids = {name: itertools.count(1) for name in self._resources}
            self.commands: list[dict[str, Any]] = []

    def records(self, resource: Resource) -> dict[int, JamfRecord]:
        return self._records[resource.collection]

    def listed(self, resource: Resource) -> Iterator[JamfRecord]:
        """The records a list shows now: new ones stay hidden until their listing delay ends."""
        now = self.clock()
        return (record for record in self.records(resource).values() if record.visible_from <= now)

    def add(self, resource: Resource, data: dict[str, Any], listing_delay: float = 0.0) -> JamfRecord:
        """Stores `data` under a new id (written into it) and returns its record."""
        object_id = next(self._ids[resource.collection])
        resource.fields(data)["id"] = object_id
        record = JamfRecord(data, self.clock() + listing_delay)
        self.records(resource)[object_id] = record
        return record

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        with self.lock:
            collections = {
                PREFIX + name: [record.shown() for record in records.values()]
                for name, records in self._records.items()
            }
            return {**collections, PREFIX + COMMANDS: list(self.commands)}

    def seed(self, collections: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        """Adds objects given in the JSON shape (the record's defaults fill what is missing; a flat
        object is read as the record's `general` part) and past commands, as `dump` writes them.
        Raises ValueError for an unknown name."""
        names = {name: name.removeprefix(PREFIX) for name in collections}
        unknown = sorted(name for name, local in names.items() if local not in self._resources and local != COMMANDS)
        if unknown:
            known = sorted(PREFIX + name for name in (*self._resources, COMMANDS))
            raise ValueError(f"unknown Jamf collections {unknown}; known: {known}")
        with self.lock:
            seeded = {}
            for name, objects in collections.items():
                if names[name] == COMMANDS:
                    self.commands.extend(dict(command) for command in objects)
                    seeded[name] = list(self.commands)
                else:
                    resource = self._resources[names[name]]
                    seeded[name] = [self._seed_one(resource, obj).shown() for obj in objects]
            return seeded

    def _seed_one(self, resource: Resource, obj: Mapping[str, Any]) -> JamfRecord:
        if not isinstance(obj, Mapping):
            raise ValueError(f"{resource.collection}: each object must be a JSON object")
        data = defaults(resource.template)
        given = {key: value for key, value in obj.items() if key != PAYLOAD_UUIDS}
        nested = "general" not in resource.template or any(key in resource.template for key in given)
        merge(data, given if nested else {"general": given})
        fields = resource.fields(data)
        wanted_id = fields.get("id") or 0
        if wanted_id:
            record = self.records(resource)[wanted_id] = JamfRecord(data)
            self._ids[resource.collection] = itertools.count(max(self.records(resource)) + 1)
        else:
            record = self.add(resource, data)
        record.payload_uuids.extend(obj.get(PAYLOAD_UUIDS) or ())
        return record
