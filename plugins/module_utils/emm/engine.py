# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reconcile engine every vendor shares: desired vs actual -> plan -> apply.

A vendor describes its tenant as `Actual` objects in a comparable form and the user's wishes as
`Desired` objects in the same form; it knows its API and nothing of the flow. The engine owns
the flow and every safety rule, once for all vendors:

- identity is a neutral kind, a name and an optional container; two objects with one identity
  are an error listing both ids, never a guess;
- only the fields the collection sets are compared; check mode and diff come from the plan
  alone, so they can never disagree with what `apply` sends;
- only objects the vendor calls owned are ever deleted, and an object it did not create is never
  silently taken over: a same-named one fails the plan, naming it, unless the user adopts it
  (`adopt`), and an adopted object is updated but stays unowned, so it is never deleted later;
- a variant change (an object whose vendor type must change) is delete-then-create, so no
  same-named twin is ever in flight;
- after a lost answer, objects are looked up again, for long enough to see a request the server
  applies late, never blindly created twice, and an object about to be deleted is never taken for
  one just created;
- after any create, same-named twins are looked for: a twin this run made (a late answer, a
  concurrent run of the same play) is deleted, the oldest kept, so the next run converges; a twin
  it did not make is reported with its id;
- listings that lag are waited for, for up to `settle_seconds`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping, Protocol, Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import ApiError, TransportError

OWNER_MARKER = "[managed by mattermost.emm]"
CONFLICT = 409  # a create refused because an object with the name exists

CREATE = "create"
UPDATE = "update"
ASSIGN = "assign"
DELETE = "delete"

# Neutral kinds: what results and diffs call objects, whatever the vendor calls them.
APP = "app"
APP_CONFIG = "app_config"
DEVICE_PROFILE = "device_profile"
APP_PROTECTION = "app_protection"
ASSIGNMENT_FILTER = "assignment_filter"

# How a vendor keeps who gets an object.
ASSIGN_ACTION = "action"  # a write of its own that replaces the whole set
ASSIGN_INLINE = "inline"  # inside the object, written with it
ASSIGN_MEMBERSHIP = "membership"  # the object is an entry of a container that devices follow


class ProviderError(Exception):
    """A problem the user must solve; the message says what and how."""


class DuplicateObjects(ProviderError):
    def __init__(self, kind: str, name: str, ids: Sequence[str]):
        super().__init__(
            f"{len(ids)} {kind} objects are named {name!r} (ids: {', '.join(ids)}); the collection "
            "cannot tell which one it manages: rename or delete the extra ones"
        )
        self.ids = list(ids)


class NotOwned(ProviderError):
    """Objects the collection would change carry its names but were not created by it."""

    def __init__(self, items: Sequence[Actual]):
        listed = ", ".join(f"{item.identity} ({item.id})" for item in items)
        was, it, stays = ("was", "it", "it stays") if len(items) == 1 else ("were", "them", "they stay")
        super().__init__(
            f"{listed} {was} not created by this collection, which changes only what it created: set adopt: true "
            f"to update {it} anyway ({stays} unowned, so state absent never deletes {it}), or rename or delete {it}; "
            "nothing was sent"
        )
        self.ids = [item.id for item in items]


class Unsupported(ProviderError):
    """The vendor cannot do what the module asks; raised before any request."""


# Targets and assignments ----------------------------------------------------------------------

GROUP = "group"
ALL_DEVICES = "all_devices"
ALL_USERS = "all_users"
POLICY = "policy"
# A target of a type the collection does not model (a colleague's, of any kind): its `id` is the
# vendor's whole target object as canonical JSON, so it is compared whole and written back as it was.
OTHER = "other"


def other_target(raw: Mapping[str, Any]) -> Target:
    return Target(OTHER, json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str))


@dataclass(frozen=True)
class Target:
    """Who an assignment reaches: a group (or smart group, device group) by id, everyone, or a
    policy; `exclude` turns it into an exclusion."""

    type: str
    id: str = ""
    exclude: bool = False

    def __str__(self) -> str:
        return f"{'exclude' if self.exclude else 'include'}:{self.id or self.type}"


@dataclass(frozen=True)
class Assignment:
    """One assignment in comparable form: `target` identifies it, `detail` is everything else
    that matters (intent, filter, settings)."""

    target: Target
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"target": str(self.target), **self.detail}

    def canonical(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=True, default=str)


def same_assignments(left: Iterable[Assignment], right: Iterable[Assignment]) -> bool:
    """Equal as sets, whatever the order the vendor lists them in."""
    return sorted(a.canonical() for a in left) == sorted(a.canonical() for a in right)


def merge_assignments(
    existing: Sequence[Assignment], wanted: Sequence[Assignment], purge: bool
) -> tuple[Assignment, ...]:
    """The assignments to write: the wanted ones, plus (unless purging) every existing one whose
    target the user did not name. Vendors replace the whole set, so this is what keeps a
    colleague's assignment alive."""
    named = {assignment.target for assignment in wanted}
    kept = () if purge else tuple(a for a in existing if a.target not in named)
    return kept + tuple(wanted)


# Objects ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Identity:
    kind: str
    name: str
    container: str | None = None

    def __str__(self) -> str:
        inside = f" in {self.container}" if self.container else ""
        return f"{self.kind} {self.name!r}{inside}"


@dataclass(frozen=True)
class Desired:
    """An object the user wants. `assignments` None leaves the object's assignments alone;
    `variant` is the vendor's type for it, which cannot change in place."""

    kind: str
    name: str
    body: Mapping[str, Any]
    assignments: tuple[Assignment, ...] | None = None
    present: bool = True
    variant: str | None = None
    container: str | None = None
    # An object that belongs to an app store by nature (a volume-purchased or managed store app):
    # the collection manages its assignments only, without adopting, changing or deleting it.
    assign_only: bool = False

    @property
    def identity(self) -> Identity:
        return Identity(self.kind, self.name, self.container)


@dataclass(frozen=True)
class Actual:
    """An object the tenant holds, in the same comparable form as `Desired`; `raw` is the
    vendor's own object, for what an update must echo back."""

    kind: str
    name: str
    id: str
    body: Mapping[str, Any]
    assignments: tuple[Assignment, ...] = ()
    owned: bool = False
    variant: str | None = None
    container: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    created: str = field(default="", compare=False)  # sorts in creation order (a timestamp), "" when unknown

    @property
    def identity(self) -> Identity:
        return Identity(self.kind, self.name, self.container)


@dataclass(frozen=True)
class Operation:
    action: str
    kind: str
    name: str
    id: str | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    assignments: tuple[Assignment, ...] | None = None
    variant: str | None = None
    container: str | None = None
    current: Actual | None = field(default=None, compare=False, repr=False)

    @property
    def identity(self) -> Identity:
        return Identity(self.kind, self.name, self.container)

    def describe(self) -> str:
        return f"{self.action} {self.identity}" + (f" ({self.id})" if self.id else "")


@dataclass
class Plan:
    """The operations that converge the tenant, and the id of every object wanted present
    (None for one still to be created)."""

    operations: list[Operation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ids: dict[Identity, str | None] = field(default_factory=dict)
    adopted: list[str] = field(default_factory=list)  # the unowned objects updated with `adopt`

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


# Planning ---------------------------------------------------------------------------------

def plan(desired: Iterable[Desired], actual: Iterable[Actual], *, purge_assignments: bool = False,
         assignments: str = ASSIGN_ACTION, adopt: bool = False) -> Plan:
    """The operations that make `actual` look like `desired`. With `assignments` inline, a change
    of assignments is part of the object's create or update instead of an assign of its own.
    A wanted object that exists unowned fails the plan (`NotOwned`), unless `adopt`."""
    by_identity: dict[Identity, list[Actual]] = {}
    for item in actual:
        by_identity.setdefault(item.identity, []).append(item)
    desired = list(desired)
    currents = {wish.identity: _one(wish, by_identity.get(wish.identity, [])) for wish in desired}
    strangers = [current for wish in desired if wish.present and not wish.assign_only
                 for current in [currents[wish.identity]] if current is not None and not current.owned]
    if strangers and not adopt:
        raise NotOwned(strangers)
    result = Plan(adopted=[f"{item.identity} ({item.id})" for item in strangers])
    for wish in desired:
        current = currents[wish.identity]
        if wish.present:
            if current is not None and not current.owned:
                wish = _unowned(wish)
            operations = _converge(wish, current, purge_assignments)
            if assignments == ASSIGN_INLINE:
                operations = _inline(operations)
            result.operations.extend(operations)
            replaced = any(operation.action == DELETE for operation in operations)
            result.ids[wish.identity] = current.id if current and not replaced else None
        elif current is not None:
            _remove(current, result)
    return result


def _one(wish: Desired, matches: Sequence[Actual]) -> Actual | None:
    if len(matches) > 1:
        raise DuplicateObjects(wish.kind, wish.name, [match.id for match in matches])
    return matches[0] if matches else None


def _unowned(wish: Desired) -> Desired:
    """The wish for an object someone else made: its own fields, never the ownership marker (a
    store's app: no field at all), so that it stays theirs."""
    if wish.assign_only:
        return replace(wish, body={})
    return replace(wish, body={name: value for name, value in wish.body.items()
                               if not (isinstance(value, str) and OWNER_MARKER in value)})


def _converge(wish: Desired, current: Actual | None, purge: bool) -> list[Operation]:
    if current is None:
        operations = [_create(wish)]
        if wish.assignments:
            operations.append(_assign(wish, None, (), wish.assignments))
        return operations
    if wish.variant and current.variant and wish.variant != current.variant:
        return _replace(wish, current, purge)
    operations = []
    # Only the fields the collection sets are compared: the rest belong to the server or the console.
    managed = {name: current.body.get(name) for name in wish.body}
    if managed != dict(wish.body):
        operations.append(Operation(UPDATE, wish.kind, wish.name, current.id, managed, dict(wish.body),
                                    variant=wish.variant, container=wish.container, current=current))
    if wish.assignments is not None:
        merged = merge_assignments(current.assignments, wish.assignments, purge)
        if not same_assignments(merged, current.assignments):
            operations.append(_assign(wish, current, current.assignments, merged))
    return operations


def _create(wish: Desired) -> Operation:
    return Operation(CREATE, wish.kind, wish.name, None, None, dict(wish.body), variant=wish.variant,
                     container=wish.container)


def _replace(wish: Desired, current: Actual, purge: bool) -> list[Operation]:
    """A vendor cannot change an object's type in place (an IKEv2 VPN becoming a vendor's one):
    delete it, then create the new one, keeping the assignments the collection did not make."""
    if not current.owned:
        raise ProviderError(
            f"{current.identity} ({current.id}) is a {current.variant}, not the {wish.variant} wanted, "
            "and was not created by this collection: rename or delete it"
        )
    assignments = (current.assignments if wish.assignments is None
                   else merge_assignments(current.assignments, wish.assignments, purge))
    operations = [_delete(current), _create(wish)]
    if assignments:
        operations.append(_assign(wish, None, (), assignments))
    return operations


def _assign(wish: Desired, current: Actual | None, before: Sequence[Assignment],
            after: Sequence[Assignment]) -> Operation:
    return Operation(
        ASSIGN, wish.kind, wish.name, current.id if current else None,
        {"assignments": _sorted_view(before)}, {"assignments": _sorted_view(after)},
        tuple(after), variant=wish.variant, container=wish.container, current=current,
    )


def _sorted_view(assignments: Sequence[Assignment]) -> list[dict[str, Any]]:
    return [a.as_dict() for a in sorted(assignments, key=Assignment.canonical)]


def _inline(operations: list[Operation]) -> list[Operation]:
    """Folds each assign into the create or update of the same object (or makes it an update)."""
    folded: list[Operation] = []
    for operation in operations:
        if operation.action != ASSIGN:
            folded.append(operation)
            continue
        writes = [op for op in folded if op.action in (CREATE, UPDATE) and op.identity == operation.identity]
        if writes:
            write = writes[-1]
            folded[folded.index(write)] = replace(
                write, assignments=operation.assignments,
                before=None if write.before is None else {**write.before, **operation.before},
                after={**write.after, **operation.after})
        else:
            folded.append(replace(operation, action=UPDATE))
    return folded


def _delete(current: Actual) -> Operation:
    return Operation(DELETE, current.kind, current.name, current.id, dict(current.body), None,
                     variant=current.variant, container=current.container, current=current)


def _remove(current: Actual, result: Plan) -> None:
    if current.owned:
        result.operations.append(_delete(current))
    else:
        result.warnings.append(f"{current.identity} ({current.id}) was not created by this collection; left in place")


# Vendors ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Capabilities:
    """What a vendor can do, declared once, so that the engine refuses the rest before any request."""

    vendor: str
    modules: frozenset[str]
    platforms: tuple[str, ...] = ("ios", "android")  # what a module's platforms option defaults to
    assignments: str = ASSIGN_ACTION
    device_actions: frozenset[str] = frozenset()
    lagging_listings: bool = False
    # module -> why the vendor cannot serve it and what to use instead
    refusals: Mapping[str, str] = field(default_factory=dict)
    targets: str = GROUP  # what objects are assigned to: groups, or policies where a vendor has no groups
    # validation item group (channel, devices) -> why the vendor's API cannot check it
    validation_gaps: Mapping[str, str] = field(default_factory=dict)

    def require(self, module: str) -> None:
        if module not in self.modules:
            reason = self.refusals.get(module, f"{self.vendor} has no equivalent")
            raise Unsupported(f"mattermost.emm.{module} cannot run against {self.vendor}: {reason}; nothing was sent")

    def require_targets(self, spec: Any) -> None:
        """A spec names groups or policies, whichever this vendor assigns to; the other is refused."""
        given = [option for option in ("assignments", "groups") if getattr(spec, option, ())]
        if self.targets == POLICY and given:
            raise Unsupported(f"{given[0]}: {self.vendor} has no groups: {self.refusals.get(GROUP, 'name policies instead')}; "
                              "nothing was sent")
        if self.targets != POLICY and getattr(spec, "policies", ()):
            raise Unsupported(f"policies: {self.vendor} assigns to groups, not policies (policies are the targets of "
                              "vendors that have no groups): name groups instead; nothing was sent")

    def require_device_action(self, action: str) -> None:
        if action not in self.device_actions:
            offered = ", ".join(sorted(self.device_actions)) or "none"
            raise Unsupported(f"{self.vendor} offers no {action!r} device action (it offers: {offered}); "
                              "nothing was sent")


class Tenant(Protocol):
    """A vendor's tenant I/O as the engine drives it."""

    capabilities: Capabilities

    def list(self, kind: str) -> list[Actual]:
        """Every object of a neutral kind, in comparable form (cached until `forget`)."""

    def forget(self, kind: str) -> None:
        """Drops what `list` read of a kind: the next `list` reads the tenant again."""

    def send(self, action: str, operations: Sequence[Operation], created: Mapping[Identity, str],
             work: Plan) -> list[str | None]:
        """Sends one phase of `work` (all its operations of `action`), returning each operation's
        object id. Raises TransportError when an answer was lost after the request left."""


@dataclass(frozen=True)
class Wishes:
    """What a vendor makes of a module's spec: the objects wanted, and notes for the user."""

    desired: list[Desired]
    warnings: list[str] = field(default_factory=list)


class Vendor(Tenant, Protocol):
    """A vendor room's face: its tenant I/O, and its codec from specs to wishes."""

    def desired_apps(self, spec: Any) -> Wishes:
        ...

    def desired_app_configs(self, specs: Sequence[Any], check_mode: bool) -> Wishes:
        ...

    def desired_device_profiles(self, spec: Any) -> Wishes:
        ...

    def desired_app_protection(self, spec: Any) -> Wishes:
        ...

    def select_devices(self, spec: Any) -> list[dict[str, Any]]:
        ...

    def device_action(self, spec: Any, devices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        ...

    def inventory(self, app_ids: Sequence[str]) -> dict[str, Any]:
        ...

    def per_app_vpn_name(self, profile_name: str) -> str | None:
        """The name of the device profile object an app's assignment binds its per-app VPN to,
        None where the vendor binds it another way."""

    def device_states(self, kind: str, object_id: str) -> dict[str, Any] | None:
        """How the devices in scope applied an object: `counts` (state -> devices), `errors` (the
        devices that did not apply it, named) and the vendor's own `summary`; None for a kind
        without device states. Called only for what `Capabilities.validation_gaps` does not rule out."""


@dataclass
class Provider:
    """What modules talk to: one vendor's tenant behind the engine's flow and safety rules."""

    vendor: Vendor
    settle_seconds: float = 10
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    adopt: bool = False  # update same-named objects the collection did not create (they stay unowned)
    # How long the objects of creates whose answer was lost are looked for before they are created
    # again: a server may apply a request well after the client stopped waiting for its answer.
    recovery_seconds: float = 60

    @property
    def capabilities(self) -> Capabilities:
        return self.vendor.capabilities

    # Planning -------------------------------------------------------------------------------

    def plan_apps(self, spec: Any) -> Plan:
        self.capabilities.require(APP)
        self.capabilities.require_targets(spec)
        return self._plan(self.vendor.desired_apps(spec), purge=spec.purge_assignments)

    def plan_app_configs(self, specs: Sequence[Any], purge_assignments: bool = False,
                         check_mode: bool = False) -> Plan:
        self.capabilities.require(APP_CONFIG)
        for spec in specs:
            self.capabilities.require_targets(spec)
        return self._plan(self.vendor.desired_app_configs(specs, check_mode), purge=purge_assignments)

    def plan_device_profiles(self, spec: Any) -> Plan:
        self.capabilities.require(DEVICE_PROFILE)
        self.capabilities.require_targets(spec)
        return self._plan(self.vendor.desired_device_profiles(spec))

    def plan_app_protection(self, spec: Any) -> Plan:
        self.capabilities.require(APP_PROTECTION)
        return self._plan(self.vendor.desired_app_protection(spec))

    def _plan(self, wishes: Wishes, purge: bool = False) -> Plan:
        kinds = sorted({wish.kind for wish in wishes.desired})
        actual = [item for kind in kinds for item in self.vendor.list(kind)]
        result = plan(wishes.desired, actual, purge_assignments=purge, assignments=self.capabilities.assignments,
                      adopt=self.adopt)
        result.warnings.extend(wishes.warnings)
        return result

    # Devices and reading back -----------------------------------------------------------------

    def select_devices(self, spec: Any) -> list[dict[str, Any]]:
        self.capabilities.require("device_action")
        self.capabilities.require_device_action(spec.action)
        return self.vendor.select_devices(spec)

    def device_action(self, spec: Any, devices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        if len(devices) > spec.max_devices:  # the cap holds whoever selected the devices
            raise ProviderError(f"{len(devices)} devices exceed max_devices={spec.max_devices}; nothing was sent")
        return self.vendor.device_action(spec, devices)

    def inventory(self, app_ids: Sequence[str] | None = None) -> dict[str, Any]:
        """Everything the tenant holds of Mattermost's apps (all known app ids by default)."""
        self.capabilities.require("emm_info")
        return self.vendor.inventory() if app_ids is None else self.vendor.inventory(app_ids)

    # Applying -------------------------------------------------------------------------------

    def apply(self, work: Plan) -> list[dict[str, Any]]:
        """Replaced objects are deleted first, then creates (their ids feed what follows),
        updates, assignments and the other deletes."""
        replacing = {op.identity for op in work.operations if op.action == CREATE}
        deleted_ids = {op.id for op in work.operations if op.action == DELETE}
        first = [op for op in work.operations if op.action == DELETE and op.identity in replacing]
        created: dict[Identity, str] = {}
        self.vendor.send(DELETE, first, created, work)
        created.update(self._create([op for op in work.operations if op.action == CREATE], work, deleted_ids))
        for action in (UPDATE, ASSIGN):
            self.vendor.send(action, [op for op in work.operations if op.action == action], created, work)
        self.vendor.send(DELETE, [op for op in work.operations if op.action == DELETE and op not in first], created, work)
        for kind in {op.kind for op in work.operations}:  # what was read before is stale now
            self.vendor.forget(kind)
        return [
            {"action": op.action, "kind": op.kind, "name": op.name, "type": op.variant,
             "id": op.id or created.get(op.identity)}
            for op in work.operations
        ]

    def _create(self, operations: list[Operation], work: Plan, deleted_ids: set) -> dict[Identity, str]:
        if not operations:
            return {}
        lost: set[Identity] = set()
        try:
            ids = self.vendor.send(CREATE, operations, {}, work)
            created = {op.identity: object_id for op, object_id in zip(operations, ids)}
        except TransportError:
            lost = {op.identity for op in operations}
            created = self._recover(operations, work, deleted_ids, max(self.settle_seconds, self.recovery_seconds))
        except ApiError as error:
            if error.status != CONFLICT:
                raise
            # Refused as a duplicate: a concurrent run made it first (and the others of the phase
            # may have been made): take what exists, create what does not.
            created = self._recover(operations, work, deleted_ids, self.settle_seconds)
        found = self._listed(operations, created, deleted_ids, self._listing_wait())
        self._require_listed(found, created)
        return self._without_twins(found, created, lost, work)

    def _listing_wait(self) -> float:
        """How long a new object is waited for in the vendor's listings. Where they lag, a task
        that ended before its objects are listed would leave the next task, or the next run, to
        create them again: wait as long as for a lost answer."""
        return max(self.settle_seconds, self.recovery_seconds) if self.capabilities.lagging_listings else 0

    def _require_listed(self, found: Mapping[Identity, list[Actual]], created: Mapping[Identity, str]) -> None:
        unlisted = [f"{identity} ({object_id})" for identity, object_id in created.items()
                    if not any(item.id == object_id for item in found.get(identity, ()))]
        if unlisted and self.capabilities.lagging_listings:
            raise ProviderError(f"created {', '.join(unlisted)}, but {self.capabilities.vendor} does not list it after "
                                f"{self._listing_wait():g} s: its listings lag, and a run started before they show it "
                                "would create it again; run again once it is listed (the run then converges)")

    def _recover(self, operations: list[Operation], work: Plan, deleted_ids: set, seconds: float) -> dict[Identity, str]:
        """The creates got no answer, or a refusal: some objects may exist now, or within
        `seconds`. Look before creating again, so a lost answer never leaves a duplicate."""
        found = self._listed(operations, {}, deleted_ids, seconds)
        created = {identity: _oldest(items).id for identity, items in found.items()}
        missing = [op for op in operations if op.identity not in created]
        if missing:
            ids = self.vendor.send(CREATE, missing, created, work)
            created.update({op.identity: object_id for op, object_id in zip(missing, ids)})
        return created

    def _listed(self, operations: Sequence[Operation], created: Mapping[Identity, str], deleted_ids: set,
                seconds: float) -> dict[Identity, list[Actual]]:
        """The objects carrying the identities `operations` create, as the tenant lists them,
        waited for (up to `seconds`) until each shows the id it was created with (or, unknown,
        any). An object this plan deletes is never one of them, even when it still carries the name."""
        wanted = {op.identity for op in operations}
        kinds = {identity.kind for identity in wanted}

        def forget() -> None:
            for kind in kinds:
                self.vendor.forget(kind)

        def look() -> dict[Identity, list[Actual]]:
            found: dict[Identity, list[Actual]] = {}
            for item in (item for kind in kinds for item in self.vendor.list(kind)):
                if item.identity in wanted and item.id not in deleted_ids:
                    found.setdefault(item.identity, []).append(item)
            return found

        def complete(found: dict[Identity, list[Actual]]) -> bool:
            return all(any(item.id == created.get(identity) or identity not in created for item in found.get(identity, ()))
                       for identity in wanted)

        forget()  # what was listed while planning predates the creates
        return settle(look, complete, seconds, refresh=forget, sleep=self.sleep, clock=self.clock)

    def _without_twins(self, found: Mapping[Identity, list[Actual]], created: dict[Identity, str],
                       lost: set[Identity], work: Plan) -> dict[Identity, str]:
        """Keeps one object per identity just created: the oldest owned one. A newer twin this run
        made (its own create, or any owned one after a lost answer) is deleted; another is reported."""
        for identity, items in found.items():
            owned = [item for item in items if item.owned]
            if len(items) < 2 or not owned:
                continue
            keeper = _oldest(owned)
            mine = [item for item in owned if item is not keeper and (item.id == created.get(identity) or identity in lost)]
            created[identity] = keeper.id
            if mine:
                self.vendor.send(DELETE, [_delete(item) for item in mine], created, work)
                work.warnings.append(f"{identity}: deleted {', '.join(item.id for item in mine)}, a duplicate this run "
                                     f"created (a late answer or a concurrent run), keeping {keeper.id}")
            others = [item.id for item in items if item is not keeper and item not in mine]
            if others:
                work.warnings.append(f"{identity}: {', '.join(others)} appeared while this run created {keeper.id} and "
                                     "was not made by it; left in place, but the next run fails on the duplicate "
                                     "until one is removed")
        return created


def _oldest(items: Sequence[Actual]) -> Actual:
    return min(items, key=lambda item: (item.created, item.id))


def settle(look: Callable[[], Any], complete: Callable[[Any], bool], seconds: float, *,
           refresh: Callable[[], None] = lambda: None, sleep: Callable[[float], None] = time.sleep,
           clock: Callable[[], float] = time.monotonic) -> Any:
    """`look()`, repeated for up to `seconds` until `complete` (with `refresh()` before each new
    look): a lagging listing shows a new object only after a moment, and it must not be missed
    or created twice."""
    deadline = clock() + seconds
    while True:
        found = look()
        if complete(found) or clock() >= deadline:
            return found
        sleep(1)
        refresh()


# Names ----------------------------------------------------------------------------------

def resolve_names(names: Iterable[str], directory: Iterable[tuple[str, str]], noun: str, vendor: str) -> dict[str, str]:
    """Name -> id for each name, from the tenant's (name, id) pairs: a missing or ambiguous name
    fails, before anything is written, listing what it found."""
    found: dict[str, list[str]] = {}
    for name, object_id in directory:
        found.setdefault(name, []).append(object_id)
    wanted = sorted(set(names))
    missing = [name for name in wanted if name not in found]
    if missing:
        raise ProviderError(f"{vendor} has no {noun} named {', '.join(map(repr, missing))}; create it, or correct "
                            "the name (names are exact)")
    for name in wanted:
        if len(found[name]) > 1:
            raise DuplicateObjects(noun, name, found[name])
    return {name: found[name][0] for name in wanted}


# Device actions ---------------------------------------------------------------------------

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def same_name(value: Any, wanted: str) -> bool:
    """How a device selector compares with a device's serial number, user or name: exactly,
    except that the ASCII letters A-Z and a-z are the same. Unicode case folding is not used:
    it would let strasse-ipad name Straße-ipad, or kser a serial written with the Kelvin sign."""
    return isinstance(value, str) and value.translate(_ASCII_LOWER) == wanted.translate(_ASCII_LOWER)


def choose_devices(spec: Any, candidates: Sequence[dict], matches: Callable[[dict, Any], bool],
                   nouns: tuple[str, str], describe: Callable[[dict], str]) -> list[dict]:
    """The candidates the selectors name, each with `matched_by` (the selectors that named it);
    fails, before anything is sent, when a selector names nothing or the whole exceeds
    max_devices. `nouns`: what one candidate is called, what many are."""
    one, many = nouns
    chosen: dict[str, dict] = {}
    for selector in spec.devices:
        found = [item for item in candidates if matches(item, selector)]
        if not found:
            raise ProviderError(f"no {one} matches {selector.describe()}; nothing was sent")
        for item in found:
            chosen.setdefault(item["id"], dict(item, matched_by=[]))["matched_by"].append(selector.describe())
    if len(chosen) > spec.max_devices:
        listed = ", ".join(describe(item) for item in chosen.values())
        raise ProviderError(f"the selection matches {len(chosen)} {many}, more than max_devices={spec.max_devices} "
                            f"({listed}); nothing was sent: name the devices more precisely or raise max_devices")
    return list(chosen.values())
