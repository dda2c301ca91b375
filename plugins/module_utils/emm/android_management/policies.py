# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Android Management policies in the engine's comparable form, the user's wishes for them, and
the requests that change them. Pure: no HTTP.

Android Management has no groups: a device follows one policy, so every neutral object is an
entry of a policy (its container), named by the user:

- APP is the Mattermost entry's ``installType`` (required = FORCE_INSTALLED, available =
  AVAILABLE, uninstall = BLOCKED), changed with ``modifyPolicyApplications`` and the mask
  ``installType``, removed with ``removePolicyApplications``; no other app is ever sent;
- APP_CONFIG is that entry's ``managedConfiguration`` (every value a string), changed with the
  mask ``managedConfiguration``;
- DEVICE_PROFILE is the policy fields the collection generates (``passwordPolicies``,
  ``screenCaptureDisabled``, ``crossProfilePolicies.crossProfileCopyPaste``), patched with a mask
  naming exactly those fields.

Ownership is the package: an entry of a Mattermost package is the collection's to manage.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import comparable_settings
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats import android as android_format
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import check_entries
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    APP,
    APP_CONFIG,
    DELETE,
    DEVICE_PROFILE,
    Actual,
    Desired,
    Operation,
    ProviderError,
    Wishes,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    BYOD,
    AppConfigSpec,
    AppSpec,
    DeviceProfileSpec,
)
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import android

VENDOR = "Android Management"
INSTALL_TYPES = {"required": "FORCE_INSTALLED", "available": "AVAILABLE", "uninstall": "BLOCKED"}
INTENTS = {install_type: intent for intent, install_type in INSTALL_TYPES.items()}
PROFILE_FIELDS = ("passwordPolicies", "screenCaptureDisabled", "crossProfilePolicies.crossProfileCopyPaste")
ANDROID_ONLY = f"{VENDOR} manages Android devices only: set platforms to [android] for this tenant"
NO_GROUPS = ("a device follows one policy, so name the policies the devices follow with policies: [...] instead "
             "(company-owned and personal devices are simply different policies)")


def policy_name(enterprise: str, name: str) -> str:
    """A policy's full resource name from its id or full name."""
    return name if name.startswith("enterprises/") else f"{enterprise}/policies/{name}"


def entry_id(policy: str, package: str) -> str:
    return f"{policy}/applications/{package}"


# Reading --------------------------------------------------------------------------------------

def mattermost_entries(policy: Mapping[str, Any], packages: Iterable[str] = catalog.APP_IDS) -> list[dict[str, Any]]:
    wanted = set(packages)
    return [app for app in policy.get("applications") or () if isinstance(app, dict) and app.get("packageName") in wanted]


def app_actuals(policies: Iterable[Mapping[str, Any]], packages: Iterable[str] = catalog.APP_IDS) -> list[Actual]:
    packages = tuple(packages)
    return [Actual(APP, app["packageName"], entry_id(policy["name"], app["packageName"]),
                   {"installType": app.get("installType", "INSTALL_TYPE_UNSPECIFIED")}, owned=True,
                   container=policy["name"], raw=app)
            for policy in policies for app in mattermost_entries(policy, packages)]


def config_actuals(policies: Iterable[Mapping[str, Any]], packages: Iterable[str] = catalog.APP_IDS) -> list[Actual]:
    """The Mattermost entries (`packages`: Mattermost's apps and custom builds) that carry a managed
    configuration (an entry without one has none to compare)."""
    packages = tuple(packages)
    return [Actual(APP_CONFIG, app["packageName"], entry_id(policy["name"], app["packageName"]),
                   {"managedConfiguration": app["managedConfiguration"]}, owned=True, container=policy["name"], raw=app)
            for policy in policies for app in mattermost_entries(policy, packages) if app.get("managedConfiguration")]


def profile_fields(policy: Mapping[str, Any]) -> dict[str, Any]:
    """The fields the collection manages that the policy sets, flattened to their mask paths."""
    found = {}
    for path in PROFILE_FIELDS:
        value: Any = policy
        for key in path.split("."):
            value = value.get(key) if isinstance(value, Mapping) else None
        if value is not None:
            found[path] = value
    return found


def profile_actuals(policies: Iterable[Mapping[str, Any]], names: Iterable[str]) -> list[Actual]:
    """Each named profile in each policy that sets any field the collection manages."""
    return [Actual(DEVICE_PROFILE, name, policy["name"], fields, owned=True, container=policy["name"], raw=policy)
            for policy in policies for fields in [profile_fields(policy)] if fields for name in names]


# Wishes ---------------------------------------------------------------------------------------

def check_app(spec: AppSpec) -> None:
    """What the spec asks that Android Management has not, refused before any request."""
    if catalog.IOS in spec.platforms:
        raise ProviderError(f"app {spec.app_id}: {ANDROID_ONLY}; nothing was sent")
    _refuse_app_options(spec)


def app_wishes(spec: AppSpec, enterprise: str, holding: Sequence[str]) -> Wishes:
    """The Mattermost entry in each named policy (`check_app` passed); `holding` are the policies that hold it now."""
    named = [policy_name(enterprise, target.policy) for target in spec.policies]
    if spec.state == "absent":
        gone = named or list(holding)
        return Wishes([Desired(APP, spec.app_id, {}, present=False, container=policy) for policy in gone])
    if not named:
        raise ProviderError(f"app {spec.app_id}: {VENDOR} needs the policies the app goes into: {NO_GROUPS}")
    intents = {}
    for target in spec.policies:
        name = policy_name(enterprise, target.policy)
        if intents.setdefault(name, target.intent) != target.intent:
            raise ProviderError(f"app {spec.app_id}: policy {name} is named twice with different intents")
    desired = [Desired(APP, spec.app_id, {"installType": INSTALL_TYPES[intent]}, container=name)
               for name, intent in intents.items()]
    if spec.purge_assignments:
        desired += [Desired(APP, spec.app_id, {}, present=False, container=policy) for policy in holding
                    if policy not in intents]
    return Wishes(desired)


def _refuse_app_options(spec: AppSpec) -> None:
    refused = {
        "prevent_backup": "the work profile keeps the app's data from personal backups; Android Management has no "
                          "per-app backup setting",
        "remove_on_unenroll": "Android removes every work app with the work profile or the device's management",
        "removable": "a FORCE_INSTALLED app (intent required) cannot be removed by the user; there is no other setting",
        "vpn_configuration_id": "Android Management sets an always-on VPN for the whole policy, not per app",
        "hosted_url": "a private Android build is published in Managed Google Play and named by its package",
    }
    for option, reason in refused.items():
        if getattr(spec, option) is not None:
            raise ProviderError(f"app {spec.app_id}: {option} has no {VENDOR} equivalent ({reason}); leave it out; "
                                "nothing was sent")


def config_wishes(specs: Sequence[AppConfigSpec], enterprise: str, holding: Mapping[str, Sequence[str]],
                  properties: Mapping[str, Sequence[Mapping[str, Any]]], check_mode: bool) -> Wishes:
    """The managedConfiguration of the Mattermost entry in each named policy. `holding`: package ->
    the policies holding its entry; `properties`: package -> its managedProperties from Google Play."""
    notes: list[str] = []
    wanted: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    desired: list[Desired] = []
    for spec in specs:
        app_id = spec.config.app_id
        if catalog.IOS in spec.config.platforms and catalog.ANDROID not in spec.config.platforms:
            raise ProviderError(f"app_config {spec.name!r}: {ANDROID_ONLY}")
        if spec.intune_app_protection:
            raise ProviderError(f"app_config {spec.name!r}: intune_app_protection adds Intune's own keys, which mean "
                                f"nothing in {VENDOR}: leave it out")
        named = [policy_name(enterprise, name) for name in spec.policies]
        if spec.state == "absent":
            desired += [Desired(APP_CONFIG, app_id, {}, present=False, container=policy)
                        for policy in named or holding.get(app_id, ())]
            continue
        if not named:
            raise ProviderError(f"app_config {spec.name!r}: {VENDOR} needs the policies whose Mattermost entry carries "
                                f"this configuration: {NO_GROUPS}")
        if len(spec.enrollment) == 1:
            notes.append(f"app_config {spec.name!r}: {VENDOR} cannot limit a configuration to {spec.enrollment[0]} "
                         "devices; the policies named decide which devices get it")
        settings = spec.config.for_platform(catalog.ANDROID)
        check_properties(spec.name, app_id, settings, properties.get(app_id, ()))
        for policy in named:
            seen = wanted.setdefault((app_id, policy), (spec.name, settings))
            if seen[1] != settings:
                raise ProviderError(f"app_config entries {seen[0]!r} and {spec.name!r} give {app_id} in {policy} different "
                                    "configurations, but a policy's app entry holds one: merge them or name other policies")
            if seen[0] != spec.name:
                continue
            if policy not in holding.get(app_id, ()):
                if not check_mode:
                    raise ProviderError(f"policy {policy} has no {app_id} entry, and its configuration lives in that "
                                        "entry: add the app to the policy first with mattermost.emm.app")
                notes.append(f"check mode: policy {policy} has no {app_id} entry yet; its configuration is planned "
                             "as if it had one")
            desired.append(Desired(APP_CONFIG, app_id, {"managedConfiguration": settings}, container=policy))
    return Wishes(desired, notes)


def check_properties(name: str, app_id: str, settings: Mapping[str, str], properties: Sequence[Mapping[str, Any]]) -> None:
    """Every key must be a managed property the app declares, of a type that takes a string."""
    declared = {prop.get("key"): prop for prop in properties}
    for key, value in settings.items():
        if key not in declared:
            raise ProviderError(f"app_config {name!r}: {app_id} declares no managed property {key!r} on Google Play "
                                f"(it declares {', '.join(sorted(map(str, declared))) or 'none'}); nothing was sent")
        kind = declared[key].get("type")
        if kind not in ("STRING", "HIDDEN", "CHOICE") or not isinstance(value, str):
            raise ProviderError(f"app_config {name!r}: {app_id}'s managed property {key!r} is of type {kind}, but the "
                                f"Mattermost app reads its value {value!r} as a string; nothing was sent")


def profile_wishes(spec: DeviceProfileSpec, enterprise: str) -> Wishes:
    """The Android settings of the profile as fields of each named policy."""
    profile = spec.profile.name
    named = [policy_name(enterprise, name) for name in spec.policies]
    if not named:  # also for state absent: the settings are fields of policies, which nothing else names
        raise ProviderError(f"device profile {profile!r}: {VENDOR} needs the policies that carry these settings: {NO_GROUPS}")
    if spec.state == "absent":
        return Wishes([Desired(DEVICE_PROFILE, profile, {}, present=False, container=policy) for policy in named])
    if catalog.IOS in spec.platforms:
        raise ProviderError(f"device profile {profile!r}: {ANDROID_ONLY}")
    if len(spec.enrollment) != 1:
        raise ProviderError(f"device profile {profile!r}: a policy serves either work profiles (enrollment [byod]) or "
                            "company-owned devices (enrollment [company_owned]), and their password scope differs: give "
                            "one enrollment and the policies of that kind (one task per kind)")
    settings = (android.work_profile_settings(spec.profile) if spec.enrollment[0] == BYOD
                else android.fully_managed_settings(spec.profile))
    notes = []
    if spec.profile.passcode is not None or spec.profile.restrictions is not None or spec.profile.per_app_vpn is not None:
        notes.append(f"device profile {profile!r}: its Apple sections are not used by {VENDOR}")
    body = flatten(settings)
    if not body:
        notes.append(f"device profile {profile!r}: it has no android settings, so no policy field is set")
        return Wishes([], notes)
    return Wishes([Desired(DEVICE_PROFILE, profile, body, container=policy) for policy in named], notes)


def flatten(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Policy fields as {mask path: value} for the fields the collection manages."""
    return profile_fields(settings)


# Requests -------------------------------------------------------------------------------------

def application_change(op: Operation) -> dict[str, Any]:
    """One change of modifyPolicyApplications: only the Mattermost entry, with an exact mask."""
    field = "installType" if op.kind == APP else "managedConfiguration"
    application: dict[str, Any] = {"packageName": op.name}
    if op.action != DELETE:
        application[field] = dict(op.after or {})[field]
    return {"application": application, "updateMask": field}


def profile_patch(op: Operation) -> tuple[str, dict[str, Any]]:
    """The updateMask (exactly the fields changed; for a removal, the fields the policy sets) and body."""
    fields = dict(op.after or {}) if op.action != DELETE else {}
    paths = sorted(fields) if op.action != DELETE else sorted(dict(op.before or {}))
    body: dict[str, Any] = {}
    for path, value in fields.items():
        target = body
        keys = path.split(".")
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    return ",".join(paths), body


# Reading back ---------------------------------------------------------------------------------

def describe_entry(policy: Mapping[str, Any], app: Mapping[str, Any]) -> dict[str, Any]:
    install_type = app.get("installType", "INSTALL_TYPE_UNSPECIFIED")
    return {"id": entry_id(policy["name"], app["packageName"]), "type": "applicationPolicy", "app_id": app["packageName"],
            "display_name": app["packageName"], "policy": policy["name"], "policy_version": policy.get("version"),
            "owned": True, "install_type": install_type, "intent": INTENTS.get(install_type), "findings": []}


def audit_configuration(policy: Mapping[str, Any], app: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's managed configuration with the validator's findings, as the Android app reads it."""
    parsed = android_format.parse_amapi(json.dumps(app.get("managedConfiguration") or {}))
    found = parsed.findings + check_entries(parsed.entries, (catalog.ANDROID,))
    return {**describe_entry(policy, app), "type": "managedConfiguration",
            "settings": comparable_settings(parsed.entries), "findings": [finding.as_dict() for finding in found]}


def device_state(device: Mapping[str, Any], policies: Mapping[str, Mapping[str, Any]],
                 packages: Iterable[str] = catalog.APP_IDS) -> dict[str, Any]:
    """Whether a device runs the current version of its policy, and what it says is wrong with Mattermost."""
    policy = policies.get(device.get("policyName", ""), {})
    applied, wanted = version(device.get("appliedPolicyVersion")), version(policy.get("version"))
    on_its_policy = device.get("appliedPolicyName") == device.get("policyName")
    current = on_its_policy and applied is not None and wanted is not None and applied >= wanted
    wanted_packages = set(packages)
    return {
        "id": device.get("name"), "policy": device.get("policyName"), "policy_version": wanted,
        "applied_policy": device.get("appliedPolicyName"), "applied_policy_version": applied,
        "current": current, "ownership": device.get("ownership"), "management_mode": device.get("managementMode"),
        "state": device.get("state"), "serial_number": (device.get("hardwareInfo") or {}).get("serialNumber"),
        "user": device.get("userName"),
        "non_compliance": [detail for detail in device.get("nonComplianceDetails") or ()
                           if detail.get("packageName") in wanted_packages],
    }


def policy_device_states(devices: Iterable[Mapping[str, Any]], policies: Mapping[str, Mapping[str, Any]], policy: str,
                         settings: Iterable[str] = (), packages: Iterable[str] = catalog.APP_IDS) -> dict[str, Any]:
    """How the devices that follow `policy` run it, in the validation's terms: `counts` of devices
    on its current version and behind it (still syncing, not an error), and as `errors` the devices
    that report Mattermost (`packages`), or one of the policy fields `settings`, non-compliant."""
    counts = {"current": 0, "behind": 0}
    errors = []
    wanted_packages, wanted_settings = set(packages), {path.split(".")[0] for path in settings}
    for device in devices:
        if device.get("policyName") != policy:
            continue
        state = device_state(device, policies, wanted_packages)
        counts["current" if state["current"] else "behind"] += 1
        reasons = sorted({detail.get("nonComplianceReason") or "NON_COMPLIANT"
                          for detail in device.get("nonComplianceDetails") or ()
                          if detail.get("packageName") in wanted_packages or detail.get("settingName") in wanted_settings})
        if reasons:
            errors.append(f"{device.get('name')} ({', '.join(reasons)})")
    return {"counts": counts, "errors": errors}


def version(value: Any) -> int | None:
    """An int64 version, which the API writes as a JSON string."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
