# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validation tests: one test per configuration item, desired against what the EMM holds.

Reads only. A vendor's own codec says what is wanted (the `Wishes` the reconciling modules plan
from) and its tenant I/O what is held (`list`), so every vendor on the engine's seam is checked
the same way, with the same item names: ``<kind> '<object>' <field>``, an AppConfig key being
``<kind> '<object>' key <name>`` and an assignment ``<kind> '<object>' assignment <target>``.
What a vendor cannot check comes from its `Capabilities` (`refusals`, `validation_gaps`), never
from its name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_model
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import Actual, Assignment, Desired, ProviderError, Wishes
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import SpecError

PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"

# Item groups: what a test is about, the same for every vendor.
DOCUMENT = "document"
CHANNEL = "channel"
DEVICES = "devices"

# Fields that are the object's identity or the collection's bookkeeping, not configuration.
_IDENTITY_FIELDS = frozenset({"@odata.type", "displayName", "description"})
# A typed value as the comparable form keeps it ("<boolean>true"): what the app reads as unset.
_TYPED_PREFIX = "<"


@dataclass
class Item:
    """One validation test: an item of the configuration, what is wanted and what is held."""

    name: str
    group: str
    status: str
    desired: Any = None
    actual: Any = None
    message: str = ""
    output: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "group": self.group, "status": self.status, "desired": self.desired,
                "actual": self.actual, "message": self.message, "output": self.output}


@dataclass
class Outcome:
    """Every test of one tenant, in the order they were made."""

    tenant: str
    provider: str
    items: list[Item] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"tests": len(self.items), PASSED: 0, FAILED: 0, SKIPPED: 0}
        for item in self.items:
            counts[item.status] += 1
        return counts

    @property
    def failed(self) -> list[Item]:
        return [item for item in self.items if item.status == FAILED]


def show(value: Any) -> str:
    """A value as a reader compares it: strings quoted, typed values named."""
    if value is None:
        return "absent"
    if isinstance(value, str) and value.startswith(_TYPED_PREFIX) and ">" in value:
        kind, _sep, text = value[1:].partition(">")
        return f"a typed {kind} {text!r}"
    if isinstance(value, str):
        return repr(value)
    return json.dumps(value, sort_keys=True, default=str)


def _mismatch(name: str, desired: Any, actual: Any) -> str:
    message = f"{name}: desired {show(desired)}, the EMM holds {show(actual)}"
    if isinstance(actual, str) and actual.startswith(_TYPED_PREFIX) and isinstance(desired, str):
        message += "; the app compares every key to a string, so a typed value fails open"
    return message


# Objects against the tenant -----------------------------------------------------------------

def check_wishes(wishes: Wishes, listing: Callable[[str], list[Actual]],
                 labels: Mapping[str, str] | None = None) -> tuple[list[Item], list[Actual]]:
    """The tests of the objects a module would reconcile: each present, its type, each field the
    collection sets (a mapping field key by key) and each assignment the inventory names. Also
    returns the objects found, for the device checks."""
    labels = labels or {}
    items: list[Item] = []
    found: list[Actual] = []
    held: dict[str, list[Actual]] = {}
    for wish in wishes.desired:
        if wish.kind not in held:
            held[wish.kind] = listing(wish.kind)
        matches = [item for item in held[wish.kind] if item.identity == wish.identity]
        items.extend(_check_object(wish.kind, wish, matches, labels))
        if wish.present and len(matches) == 1:
            found.append(matches[0])
    return items, found


def _object_name(group: str, wish: Desired) -> str:
    inside = f" in {wish.container}" if wish.container else ""
    return f"{group} {wish.name!r}{inside}"


def _check_object(group: str, wish: Desired, matches: Sequence[Actual], labels: Mapping[str, str]) -> list[Item]:
    name = _object_name(group, wish)
    if not wish.present:
        status = PASSED if not matches else FAILED
        return [Item(f"{name} absent", group, status, "absent", "present" if matches else "absent",
                     "" if status == PASSED else f"{name}: wanted absent, the EMM holds it ({matches[0].id})")]
    if not matches:
        return [Item(f"{name} present", group, FAILED, "present", "absent", f"{name}: not in the EMM")]
    if len(matches) > 1:
        ids = ", ".join(match.id for match in matches)
        return [Item(f"{name} present", group, FAILED, "one object", f"{len(matches)} objects ({ids})",
                     f"{name}: {len(matches)} objects have this name ({ids}); the collection cannot tell which it manages")]
    current = matches[0]
    items = [Item(f"{name} present", group, PASSED, "present", f"present ({current.id})")]
    if wish.variant and current.variant and wish.variant != current.variant:
        items.append(Item(f"{name} type", group, FAILED, wish.variant, current.variant,
                          _mismatch(f"{name} type", wish.variant, current.variant)))
    for field_name, desired in wish.body.items():
        if field_name in _IDENTITY_FIELDS:
            continue
        actual = current.body.get(field_name)
        if isinstance(desired, Mapping) and (isinstance(actual, Mapping) or actual is None):
            items.extend(_check_keys(f"{name} {'key' if catalog.reads_any(desired) else field_name}", group,
                                     desired, actual or {}))
        else:
            items.append(_compare(f"{name} {field_name}", group, desired, actual))
    if wish.assignments is not None:
        items.extend(_check_assignments(name, group, wish.assignments, current.assignments, labels))
    return items


def _compare(name: str, group: str, desired: Any, actual: Any) -> Item:
    if _same(desired, actual):
        return Item(name, group, PASSED, desired, actual)
    return Item(name, group, FAILED, desired, actual, _mismatch(name, desired, actual))


def _same(desired: Any, actual: Any) -> bool:
    if isinstance(desired, (list, tuple)) and isinstance(actual, (list, tuple)):
        return sorted(map(_canonical, desired)) == sorted(map(_canonical, actual))
    return desired == actual


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _check_keys(prefix: str, group: str, desired: Mapping[str, Any], actual: Mapping[str, Any]) -> list[Item]:
    """Each key wanted, and each key held that the inventory does not set (a console edit)."""
    items = [_compare(f"{prefix} {key}", group, value, actual.get(key)) for key, value in desired.items()]
    for key in sorted(set(actual) - set(desired)):
        items.append(Item(f"{prefix} {key}", group, FAILED, None, actual[key],
                          f"{prefix} {key}: not in the inventory, the EMM holds {show(actual[key])}"))
    return items


def _target_label(assignment: Assignment, labels: Mapping[str, str]) -> str:
    target = assignment.target
    mode = "exclude" if target.exclude else "include"
    if target.id:
        return f"{mode} {labels.get(target.id, target.id)}"
    return f"{mode} {target.type}"


def _check_assignments(name: str, group: str, wanted: Sequence[Assignment], held: Sequence[Assignment],
                       labels: Mapping[str, str]) -> list[Item]:
    by_target = {assignment.target: assignment for assignment in held}
    items = []
    for assignment in wanted:
        label = f"{name} assignment {_target_label(assignment, labels)}"
        current = by_target.get(assignment.target)
        desired = dict(assignment.detail) or "assigned"
        if current is None:
            items.append(Item(label, group, FAILED, desired, None, f"{label}: not assigned in the EMM"))
            continue
        actual = dict(current.detail) or "assigned"
        items.append(_compare(label, group, desired, actual))
    return items


# What a vendor cannot check ------------------------------------------------------------------

def not_checked(name: str, group: str, reason: str) -> Item:
    return Item(name, group, SKIPPED, message=reason)


# The app's channel ------------------------------------------------------------------------

def check_channel(managed_app_configurations: Iterable[Mapping[str, Any]]) -> list[Item]:
    """A Mattermost key in a channel the app does not read (Intune's managed-apps configuration)
    is a failing test; none is one passing test."""
    items = []
    for config in managed_app_configurations:
        name = f"{CHANNEL} {config.get('display_name') or config.get('id')!r}"
        keys = sorted(config.get("settings") or {}) if isinstance(config.get("settings"), Mapping) else []
        items.append(Item(name, CHANNEL, FAILED, "no Mattermost key in a channel the app does not read",
                          f"a managed-apps configuration ({config.get('id')})" + (f" with {', '.join(keys)}" if keys else ""),
                          f"{name}: a managed-apps (MAM) app configuration carries Mattermost keys; the app never reads "
                          "this channel, so these keys do nothing: move them into the managed-devices app configuration"))
    if not items:
        items.append(Item(f"{CHANNEL} managed-apps configuration", CHANNEL, PASSED,
                          "no Mattermost key in a channel the app does not read", "none"))
    return items


# Devices ----------------------------------------------------------------------------------

def check_devices(group: str, object_name: str, states: Mapping[str, Any], container: str | None = None) -> Item:
    """Whether the devices in scope applied an object (in `container`, an Android Management
    policy): `states` holds `counts` (state -> number) and `errors` (the devices in error or
    conflict, by name)."""
    counts = {state: number for state, number in (states.get("counts") or {}).items() if number}
    failing = list(states.get("errors") or ())
    name = f"{DEVICES} {group} {object_name!r}" + (f" in {container}" if container else "")
    summary = ", ".join(f"{number} {state}" for state, number in sorted(counts.items())) or "no device reported"
    if failing:
        return Item(name, DEVICES, FAILED, "every device applied it", summary,
                    f"{name}: {len(failing)} device(s) failed to apply it: {', '.join(failing)} ({summary})")
    return Item(name, DEVICES, PASSED, "every device applied it", summary, output=summary)


# The documents themselves (before anything is pushed) ------------------------------------

def check_documents(specs: Iterable[Any]) -> list[Item]:
    """Each configuration's documents validate, and each key says what it does on each platform."""
    items = []
    for spec in specs:
        if spec.state != "present":
            continue
        report = validate_model(spec.config)
        problems = [finding for finding in report.findings if finding.severity == "error"]
        name = f"{DOCUMENT} {spec.name!r}"
        if problems:
            items.append(Item(f"{name} validates", DOCUMENT, FAILED, "no error", "; ".join(f.message for f in problems),
                              f"{name}: " + "; ".join(f.message for f in problems)))
        else:
            notes = "; ".join(f"{f.severity}: {f.message}" for f in report.findings)
            items.append(Item(f"{name} validates", DOCUMENT, PASSED, "no error", "no error", output=notes))
        for platform in spec.config.platforms:
            for key, value in spec.config.for_platform(platform).items():
                described = catalog.lookup(key)
                what = f"{described.title}: {described.description}" if described else ""
                items.append(Item(f"{name} {platform} key {key}", DOCUMENT, PASSED, value, value,
                                  output=f"on {platform}, {key}={value!r}. {what}".strip()))
    return items


# One tenant's whole run ------------------------------------------------------------------

@dataclass
class Request:
    """What the inventory describes, as the reconciling modules' specs."""

    app: Any = None
    app_vpn_profile: str | None = None
    app_configs: Sequence[Any] = ()
    device_profiles: Sequence[Any] = ()
    app_protections: Sequence[Any] = ()
    documents: bool = True
    devices: bool = True


def gap(capabilities: Any, group: str, kind: str | None = None) -> str | None:
    """Why a vendor cannot check an item group (for one kind of object), None when it can."""
    gaps = capabilities.validation_gaps
    return gaps.get(f"{group}:{kind}") or gaps.get(group) if kind else gaps.get(group)


def validate(provider: Any, request: Request, tenant: str) -> Outcome:
    """Every test of one tenant; reads only (the vendor's planning reads, its listings, the audit
    of its channels and the devices' statuses)."""
    vendor = provider.vendor
    capabilities = provider.capabilities
    outcome = Outcome(tenant, capabilities.vendor)
    if request.documents:
        outcome.items.extend(check_documents(request.app_configs))
    targets = [target for spec in _all_specs(request) for target in _targets(spec)]
    labels = _labels(vendor, targets)
    found: list[Actual] = []
    app = request.app
    if app is not None and request.app_vpn_profile and app.vpn_configuration_id is None:
        app = _bound_to_vpn(provider, app, request.app_vpn_profile, outcome)
    work = (
        ("app", [app] if app is not None else [], vendor.desired_apps),
        ("app_config", [list(request.app_configs)] if request.app_configs else [],
         lambda specs: vendor.desired_app_configs(specs, True)),
        ("device_profile", request.device_profiles, vendor.desired_device_profiles),
        ("app_protection", request.app_protections, vendor.desired_app_protection),
    )
    for module, specs, wishes_of in work:
        if not specs:
            continue
        if module not in capabilities.modules:
            reason = capabilities.refusals.get(module, f"{capabilities.vendor} has no equivalent")
            for spec in specs:
                outcome.items.append(not_checked(f"{module} {_spec_name(spec)!r}", module, reason))
            continue
        for spec in specs:
            try:
                checked, objects = check_wishes(wishes_of(spec), vendor.list, labels)
            except (ProviderError, SpecError) as exc:
                name = f"{module} {_spec_name(spec)!r} can be planned"
                outcome.items.append(Item(name, module, FAILED, "every name it uses resolves", str(exc), f"{name}: {exc}"))
                continue
            outcome.items.extend(checked)
            found.extend(objects)
    outcome.items.extend(_channel(provider, request))
    if request.devices:
        outcome.items.extend(_devices(provider, found))
    return outcome


def _labels(vendor: Any, targets: Sequence[Any]) -> dict[str, str]:
    """Group id -> the name the inventory gives it, for readable item names (ids where a name is unknown)."""
    if not targets:
        return {}
    try:
        return {group_id: name for name, group_id in vendor.group_ids(targets).items()}
    except ProviderError:
        return {}  # the spec whose group is missing fails, naming it


def _all_specs(request: Request) -> list[Any]:
    app = [request.app] if request.app is not None else []
    return app + [*request.app_configs, *request.device_profiles, *request.app_protections]


def _targets(spec: Any) -> list[Any]:
    return [target for target in (getattr(spec, "assignments", ()) or getattr(spec, "groups", ()) or ()) if target.group]


def _spec_name(spec: Any) -> str:
    if isinstance(spec, list):
        return ", ".join(_spec_name(item) for item in spec)
    profile = getattr(spec, "profile", None)
    return getattr(profile, "name", None) or getattr(spec, "name", None) or getattr(spec, "display_name", "")


def _bound_to_vpn(provider: Any, app: Any, profile: str, outcome: Outcome) -> Any:
    """The app as the site binds it: to the id of the per-app VPN profile the inventory names."""
    object_name = provider.vendor.per_app_vpn_name(profile)
    if object_name is None:
        return app
    matches = [item for item in provider.vendor.list("device_profile") if item.name == object_name]
    if len(matches) != 1:
        outcome.items.append(Item(f"app per-app VPN {object_name!r}", "app", FAILED, "one VPN profile",
                                  f"{len(matches)} objects", f"app per-app VPN: the profile {object_name!r} the app is "
                                  f"bound to is {'missing' if not matches else 'there more than once'} in the EMM"))
        return app
    return app.model_copy(update={"vpn_configuration_id": matches[0].id})


def _channel(provider: Any, request: Request) -> list[Item]:
    reason = gap(provider.capabilities, CHANNEL)
    if reason:
        return [not_checked(f"{CHANNEL} managed-apps configuration", CHANNEL, reason)]
    app_ids = sorted({spec.config.app_id for spec in request.app_configs} | (
        {request.app.app_id} if request.app is not None else set())) or list(catalog.APP_IDS)
    return check_channel(provider.inventory(app_ids).get("managed_app_configurations") or ())


def _devices(provider: Any, found: Sequence[Actual]) -> list[Item]:
    capabilities = provider.capabilities
    items = []
    for kinds in sorted({item.kind for item in found}):
        reason = gap(capabilities, DEVICES, kinds)
        if reason:
            items.append(not_checked(f"{DEVICES} {kinds}", DEVICES, reason))
    for item in found:
        if gap(capabilities, DEVICES, item.kind):
            continue
        states = provider.vendor.device_states(item.kind, item.id)
        if states is not None:
            items.append(check_devices(item.kind, item.name, states, item.container))
    return items
