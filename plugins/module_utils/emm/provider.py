# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reconcile engine every provider shares: desired vs actual -> plan -> apply.

A provider describes the tenant as `Actual` objects in a comparable form and the user's wishes
as `Desired` objects in the same form. `plan()` compares them and yields operations; check mode
and diff come from the plan alone, so they can never disagree with what `apply` would send.

Ownership: an object is found by its identity (kind + display name). Two objects with the same
identity are an error listing both ids, never a guess. Only objects carrying the collection's
ownership marker are ever deleted; an owned object whose Graph type must change is replaced
(deleted and created again), since Graph cannot change a type in place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Protocol, Sequence

OWNER_MARKER = "[managed by mattermost.emm]"
ODATA_TYPE = "@odata.type"

CREATE = "create"
UPDATE = "update"
ASSIGN = "assign"
DELETE = "delete"


class ProviderError(Exception):
    """A problem the user must solve; the message says what and how."""


class DuplicateObjects(ProviderError):
    def __init__(self, kind: str, name: str, ids: Sequence[str]):
        super().__init__(
            f"{len(ids)} {kind} objects are named {name!r} (ids: {', '.join(ids)}); the collection "
            "cannot tell which one it manages: rename or delete the extra ones"
        )
        self.ids = list(ids)


@dataclass(frozen=True)
class Assignment:
    """One assignment in comparable form: `target` identifies it (e.g. "include:<group id>"),
    `detail` is everything else that matters (intent, filter, settings)."""

    target: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, **self.detail}

    def canonical(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=True, default=str)


def same_assignments(left: Iterable[Assignment], right: Iterable[Assignment]) -> bool:
    """Equal as sets, whatever the order Graph lists them in."""
    return sorted(a.canonical() for a in left) == sorted(a.canonical() for a in right)


@dataclass(frozen=True)
class Desired:
    """An object the user wants. `assignments` None leaves the object's assignments alone."""

    kind: str
    name: str
    body: Mapping[str, Any]
    assignments: tuple[Assignment, ...] | None = None
    present: bool = True


@dataclass(frozen=True)
class Actual:
    """An object the tenant holds, in the same comparable form as `Desired`."""

    kind: str
    name: str
    id: str
    body: Mapping[str, Any]
    assignments: tuple[Assignment, ...] = ()
    owned: bool = False


@dataclass(frozen=True)
class Operation:
    action: str
    kind: str
    name: str
    id: str | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    assignments: tuple[Assignment, ...] | None = None

    def describe(self) -> str:
        return f"{self.action} {self.kind} {self.name!r}" + (f" ({self.id})" if self.id else "")


@dataclass
class Plan:
    """The operations that converge the tenant, and the id of every object wanted present
    (None for one still to be created)."""

    operations: list[Operation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ids: dict[tuple[str, str], str | None] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.operations)

    def diff(self) -> dict[str, str]:
        """Before and after of every object the plan touches, as stable JSON text."""
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for operation in self.operations:
            label = f"{operation.kind}/{operation.name}"
            if operation.action == ASSIGN:
                if operation.id is not None:  # an object still to be created has no "before"
                    before.setdefault(label, {})["assignments"] = _assignments_view(operation.before)
                after.setdefault(label, {})["assignments"] = _assignments_view(operation.after)
            else:
                _merge_view(before, label, operation.before)
                _merge_view(after, label, operation.after)
        return {"before": _json(before), "after": _json(after)}

    def summary(self) -> list[str]:
        return [operation.describe() for operation in self.operations]


def _assignments_view(value: Mapping[str, Any] | None) -> list:
    return list((value or {}).get("assignments", []))


def _merge_view(view: dict, label: str, body: Mapping[str, Any] | None) -> None:
    if body is not None:
        view[label] = {**dict(body), **view.get(label, {})}


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, default=str) + "\n"


def plan(desired: Iterable[Desired], actual: Iterable[Actual], *, purge_assignments: bool = False) -> Plan:
    """The operations that make `actual` look like `desired`."""
    by_identity: dict[tuple[str, str], list[Actual]] = {}
    for item in actual:
        by_identity.setdefault((item.kind, item.name), []).append(item)
    result = Plan()
    for wish in desired:
        matches = by_identity.get((wish.kind, wish.name), [])
        if len(matches) > 1:
            raise DuplicateObjects(wish.kind, wish.name, [match.id for match in matches])
        current = matches[0] if matches else None
        if wish.present:
            operations = _converge(wish, current, purge_assignments)
            result.operations.extend(operations)
            replaced = any(operation.action == DELETE for operation in operations)
            result.ids[(wish.kind, wish.name)] = current.id if current and not replaced else None
        elif current is not None:
            _remove(current, result)
    return result


def _converge(wish: Desired, current: Actual | None, purge: bool) -> list[Operation]:
    if current is None:
        operations = [Operation(CREATE, wish.kind, wish.name, None, None, dict(wish.body))]
        if wish.assignments:
            operations.append(_assign(wish, None, (), wish.assignments))
        return operations
    if _type_changes(wish, current):
        return _replace(wish, current, purge)
    operations = []
    # Only the fields the collection sets are compared: the rest belong to the server or the console.
    managed = {name: current.body.get(name) for name in wish.body}
    if managed != dict(wish.body):
        operations.append(Operation(UPDATE, wish.kind, wish.name, current.id, managed, dict(wish.body)))
    if wish.assignments is not None:
        merged = merge_assignments(current.assignments, wish.assignments, purge)
        if not same_assignments(merged, current.assignments):
            operations.append(_assign(wish, current.id, current.assignments, merged))
    return operations


def _type_changes(wish: Desired, current: Actual) -> bool:
    wanted, found = wish.body.get(ODATA_TYPE), current.body.get(ODATA_TYPE)
    return wanted is not None and found is not None and wanted != found


def _replace(wish: Desired, current: Actual, purge: bool) -> list[Operation]:
    """Graph cannot change an object's type in place (an IKEv2 VPN becoming a vendor's one):
    delete it and create the new one, keeping the assignments the collection did not make."""
    if not current.owned:
        raise ProviderError(
            f"{current.kind} {current.name!r} ({current.id}) is a {current.body[ODATA_TYPE]}, not the "
            f"{wish.body[ODATA_TYPE]} wanted, and was not created by this collection: rename or delete it"
        )
    assignments = (current.assignments if wish.assignments is None
                   else merge_assignments(current.assignments, wish.assignments, purge))
    operations = [
        Operation(DELETE, current.kind, current.name, current.id, dict(current.body), None),
        Operation(CREATE, wish.kind, wish.name, None, None, dict(wish.body)),
    ]
    if assignments:
        operations.append(_assign(wish, None, (), assignments))
    return operations


def _assign(wish: Desired, object_id: str | None, before: Sequence[Assignment], after: Sequence[Assignment]) -> Operation:
    return Operation(
        ASSIGN, wish.kind, wish.name, object_id,
        {"assignments": [a.as_dict() for a in sorted(before, key=Assignment.canonical)]},
        {"assignments": [a.as_dict() for a in sorted(after, key=Assignment.canonical)]},
        tuple(after),
    )


def _remove(current: Actual, result: Plan) -> None:
    if current.owned:
        result.operations.append(Operation(DELETE, current.kind, current.name, current.id, dict(current.body), None))
    else:
        result.warnings.append(
            f"{current.kind} {current.name!r} ({current.id}) was not created by this collection; left in place"
        )


def merge_assignments(
    existing: Sequence[Assignment], wanted: Sequence[Assignment], purge: bool
) -> tuple[Assignment, ...]:
    """The assignments to write: the wanted ones, plus (unless purging) every existing one whose
    target the user did not name. Graph's assign replaces the whole set, so this is what keeps
    a colleague's assignment alive."""
    named = {assignment.target for assignment in wanted}
    kept = () if purge else tuple(a for a in existing if a.target not in named)
    return kept + tuple(wanted)


class Provider(Protocol):
    """What a vendor implementation offers the modules; each vendor has its own file."""

    def plan_apps(self, spec: Any) -> Plan: ...

    def plan_app_configs(self, specs: Sequence[Any], purge_assignments: bool = False, check_mode: bool = False) -> Plan: ...

    def plan_device_profiles(self, spec: Any) -> Plan: ...

    def plan_app_protection(self, spec: Any) -> Plan: ...

    def apply(self, plan: Plan) -> list[dict[str, Any]]: ...

    def select_devices(self, spec: Any) -> list[dict[str, Any]]: ...

    def device_action(self, spec: Any, devices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]: ...

    def inventory(self, app_ids: Sequence[str]) -> dict[str, Any]: ...
