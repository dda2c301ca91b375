# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulated tenant: every collection's objects in memory, behind one re-entrant lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .kinds import KINDS_BY_NAME, ODATA_TYPE, Kind, type_name

MARKS = "_emulatorMarks"
"""Where state shows the marks actions left on an object (see kinds.Mark); never in Graph's answers."""


@dataclass
class Record:
    """One stored object, its child collections (assignments, apps) and when listings show it."""

    data: dict[str, Any]
    kind: Kind
    """The collection that holds it."""
    visible_from: float = 0.0
    children: dict[str, dict[str, Record]] = field(default_factory=dict)
    marks: list[str] = field(default_factory=list)

    def computed(self) -> dict[str, Any]:
        """What Intune derives from the child collections (isAssigned, ...)."""
        return self.kind.computed_values(self.children)


def new_record(kind: Kind, data: dict[str, Any], visible_from: float = 0.0) -> Record:
    return Record(data, kind, visible_from, {name: {} for name in kind.children})


class Store:
    """All collections of one emulated tenant. Callers hold `lock` across read-modify-write."""

    def __init__(self, kinds: Mapping[str, Kind] = KINDS_BY_NAME, clock: Callable[[], float] = time.monotonic):
        self.lock = threading.RLock()
        self.clock = clock
        self._kinds = {name: kind for name, kind in kinds.items() if not kind.union_of}
        self._collections: dict[str, dict[str, Record]] = {}
        self.reset()

    def reset(self) -> None:
        """An empty tenant, but for the objects every tenant has (the Default scope tag)."""
        with self.lock:
            self._collections = {name: {} for name in self._kinds}
            self.seed({name: kind.builtin for name, kind in self._kinds.items() if kind.builtin})

    def items(self, kind: Kind) -> dict[str, Record]:
        """The collection's records by id; a union's is a fresh view, so it takes no writes."""
        if kind.union_of:
            return {key: record for name in kind.union_of for key, record in self._collections[name].items()}
        return self._collections[kind.name]

    def listed(self, items: Mapping[str, Record]) -> list[Record]:
        """The records a listing shows now: new ones stay hidden until their listing delay ends."""
        now = self.clock()
        return [record for record in items.values() if record.visible_from <= now]

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        with self.lock:
            return {
                name: [_with_children(record) for record in self._collections[name].values()] for name in self._kinds
            }

    def seed(self, collections: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        """Adds objects as they would be on a tenant (server fields kept when given, else made up).

        Child collections ride inline under their navigation name, as `dump` writes them.
        Raises ValueError for an unknown collection or an abstract one's object without a type.
        """
        unknown = sorted(set(collections) - set(self._kinds))
        if unknown:
            raise ValueError(f"unknown collections {unknown}; known: {sorted(self._kinds)}")
        with self.lock:
            seeded = {}
            for name, objects in collections.items():
                kind = self._kinds[name]
                records = [_seed_record(kind, obj) for obj in objects]
                self._collections[name].update((record.data["id"], record) for record in records)
                seeded[name] = [_with_children(record) for record in records]
            return seeded


def _seed_record(kind: Kind, obj: Mapping[str, Any]) -> Record:
    if not isinstance(obj, Mapping):
        raise ValueError(f"{kind.name}: each object must be a JSON object")
    fields = {key: value for key, value in obj.items() if key not in kind.children and key != MARKS}
    record = new_record(kind, kind.new_object(fields, _seed_type(kind, fields), keep_server_fields=True))
    record.marks.extend(obj.get(MARKS) or ())
    for nav, child_kind in kind.children.items():
        for child in obj.get(nav) or ():
            child_record = _seed_record(child_kind, child)
            record.children[nav][child_record.data["id"]] = child_record
    return record


def _seed_type(kind: Kind, obj: Mapping[str, Any]) -> str:
    if ODATA_TYPE in obj:
        return type_name(obj[ODATA_TYPE])
    if kind.derived_types:
        raise ValueError(f"{kind.name}: '{ODATA_TYPE}' is required (the collection's type is abstract)")
    return kind.entity_type


def _with_children(record: Record) -> dict[str, Any]:
    children = {nav: [child.data for child in items.values()] for nav, items in record.children.items()}
    return {**record.data, **children, **({MARKS: list(record.marks)} if record.marks else {})}
