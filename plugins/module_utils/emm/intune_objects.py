# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Intune's objects for Mattermost, without HTTP: what the user's specs become in Graph's
shapes, and Graph's answers in the comparable form the reconcile engine needs.

Comparison is semantic: settings and payloads are decoded (base64 `payloadJson`, plist
`encodedSettingXml`, by the same readers that validate exported files), lists are sorted, server-owned fields are left out, and a value of another
type than string is kept visibly different (``<booleanType>true``) so it is corrected.
"""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any, Callable, Iterable, Mapping, Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import (
    ERROR,
    WARNING,
    Finding,
    comparable_settings,
)
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats import android, graph
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import check_entries
from ansible_collections.mattermost.emm.plugins.module_utils.emm import engine
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import OWNER_MARKER, Actual, Assignment, Desired, Target
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import BYOD, COMPANY_OWNED, AppConfigSpec, AppSpec
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import intune as profile_bodies

# The engine's neutral kinds, each one Graph collection.
APPS = engine.APP
CONFIGS = engine.APP_CONFIG
FILTERS = engine.ASSIGNMENT_FILTER
DEVICE_CONFIGS = engine.DEVICE_PROFILE
IOS_PROTECTIONS = engine.APP_PROTECTION
COLLECTION = {
    APPS: "/deviceAppManagement/mobileApps",
    CONFIGS: "/deviceAppManagement/mobileAppConfigurations",
    FILTERS: "/deviceManagement/assignmentFilters",
    DEVICE_CONFIGS: "/deviceManagement/deviceConfigurations",
    IOS_PROTECTIONS: "/deviceAppManagement/iosManagedAppProtections",
}
MAM_COLLECTION = "/deviceAppManagement/targetedManagedAppConfigurations"
ASSIGNABLE = (APPS, CONFIGS, DEVICE_CONFIGS, IOS_PROTECTIONS)
# App protection policies name their apps through the targetApps action, not a property.
TARGETS_APPS = (IOS_PROTECTIONS,)
EXPAND = {IOS_PROTECTIONS: "apps,assignments"}
_ASSIGN_FIELD = {APPS: "mobileAppAssignments", CONFIGS: "assignments", DEVICE_CONFIGS: "assignments",
                 IOS_PROTECTIONS: "assignments"}
_ASSIGNMENT_TYPE = {
    APPS: "#microsoft.graph.mobileAppAssignment",
    CONFIGS: "#microsoft.graph.managedDeviceMobileAppConfigurationAssignment",
    DEVICE_CONFIGS: "#microsoft.graph.deviceConfigurationAssignment",
    IOS_PROTECTIONS: "#microsoft.graph.targetedManagedAppPolicyAssignment",
}
# What Graph owns on a policy: never compared, never sent.
_SERVER_FIELDS = frozenset({"id", "createdDateTime", "lastModifiedDateTime", "version", "assignments", "apps",
                            "isAssigned", "deployedAppCount", "@odata.context", "@odata.etag"})

IOS_STORE_APP = "#microsoft.graph.iosStoreApp"
IOS_VPP_APP = "#microsoft.graph.iosVppApp"
ANDROID_STORE_APP = "#microsoft.graph.androidManagedStoreApp"
IOS_CONFIG = "#microsoft.graph.iosMobileAppConfiguration"
ANDROID_CONFIG = "#microsoft.graph.androidManagedStoreAppConfiguration"
FILTER_TYPE = "#microsoft.graph.deviceAndAppManagementAssignmentFilter"
IOS_LOB_APP = "#microsoft.graph.iosLobApp"  # a custom build uploaded from its .ipa (intune_lob.py)
_APP_PLATFORM = {IOS_STORE_APP: catalog.IOS, IOS_VPP_APP: catalog.IOS, IOS_LOB_APP: catalog.IOS,
                 ANDROID_STORE_APP: catalog.ANDROID}
_SETTINGS_TYPE = {IOS_STORE_APP: "#microsoft.graph.iosStoreAppAssignmentSettings",
                  IOS_VPP_APP: "#microsoft.graph.iosVppAppAssignmentSettings",
                  IOS_LOB_APP: "#microsoft.graph.iosLobAppAssignmentSettings"}

_GROUP_TARGET = "#microsoft.graph.groupAssignmentTarget"
_EXCLUDE_TARGET = "#microsoft.graph.exclusionGroupAssignmentTarget"
_ALL_TARGETS = {"#microsoft.graph.allLicensedUsersAssignmentTarget": engine.ALL_USERS,
                "#microsoft.graph.allDevicesAssignmentTarget": engine.ALL_DEVICES}

# One owned filter splits iOS assignments by ownership: include it for BYOD, exclude it for
# company-owned devices (iOS app configuration has no enrollment-type field).
PERSONAL_IOS_FILTER = "Mattermost - personal iOS devices"
_PERSONAL_RULE = '(device.deviceOwnership -eq "Personal")'
_NEW = "new:"

ANDROID_APP_MISSING = (
    "the tenant has no Managed Google Play entry for {app_id}: approve the app in Managed Google Play "
    "and sync it in Intune (Apps > Android > Managed Google Play); Graph cannot create such apps"
)
_PROFILE = {frozenset({COMPANY_OWNED}): "androidDeviceOwner", frozenset({BYOD}): "androidWorkProfile",
            frozenset({BYOD, COMPANY_OWNED}): "default"}


def _wish(kind: str, name: str, body: Mapping[str, Any], assignments: tuple[Assignment, ...] | None = None,
          present: bool = True) -> Desired:
    """A wanted Graph object; its @odata.type cannot change in place."""
    return Desired(kind, name, body, assignments, present, variant=body.get("@odata.type"))


# The Mattermost apps ------------------------------------------------------------------------

def app_identifier(raw: Mapping[str, Any]) -> str | None:
    return raw.get("bundleId") or raw.get("packageId") or raw.get("appIdentifier")


def mattermost_apps(raws: Iterable[Mapping[str, Any]], app_id: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {catalog.IOS: [], catalog.ANDROID: []}
    for raw in raws:
        platform = _APP_PLATFORM.get(raw.get("@odata.type"))
        if platform and app_identifier(raw) == app_id:
            found[platform].append(dict(raw))
    return found


def _app_name(platform: str, app_id: str) -> str:
    return f"{platform}:{app_id}"


def desired_apps(spec: AppSpec, apps: Mapping[str, list[dict]], groups: Mapping[str, str]) -> list[Desired]:
    wishes = []
    for platform in spec.platforms:
        existing = apps[platform][0] if len(apps[platform]) == 1 else None
        name = _app_name(platform, spec.app_id)
        if spec.state == "absent":
            wishes.append(Desired(APPS, name, {}, present=False))
            continue
        store_owned = existing is not None and existing.get("@odata.type") != IOS_STORE_APP
        # A VPP or Managed Google Play entry: it and its metadata belong to Apple or Google.
        body = actual(APPS, existing).body if store_owned else _store_app_body(spec)
        settings_type = _SETTINGS_TYPE.get(body["@odata.type"])
        current = {a.target: a for a in (actual(APPS, existing).assignments if existing else ())}
        assignments = tuple(_app_assignment(spec, target, groups, settings_type, current) for target in spec.assignments)
        wishes.append(replace(_wish(APPS, name, body, assignments), assign_only=store_owned))
    return wishes


def _store_app_body(spec: AppSpec) -> dict[str, Any]:
    return {
        "@odata.type": IOS_STORE_APP,
        "displayName": spec.display_name,
        "description": f"The Mattermost mobile app. {OWNER_MARKER}",
        "publisher": "Mattermost, Inc.",
        "appStoreUrl": spec.app_store_url,
        "bundleId": spec.app_id,
    }


def _app_assignment(spec: AppSpec, target, groups, settings_type: str | None, current) -> Assignment:
    key = group_target(target, groups)
    # Assign replaces the settings too: keep the tenant's, changing only what the user sets (Graph
    # also fills in fields the module has no option for, such as VPP useDeviceLicensing).
    settings = current[key].detail.get("settings", {}) if key in current else {}
    if settings_type and not target.exclude:
        wanted = {
            "uninstallOnDeviceRemoval": spec.remove_on_unenroll,
            "isRemovable": spec.removable,
            "vpnConfigurationId": spec.vpn_configuration_id,
            "preventManagedAppBackup": spec.prevent_backup,
        }
        chosen = {name: value for name, value in wanted.items() if value is not None}
        settings = {**settings, **chosen, "@odata.type": settings_type}
        if spec.vpn_configuration_id == "":  # unbind: assign replaces the settings, so leaving it out clears it
            del settings["vpnConfigurationId"]
        settings = _clean_settings(settings)
    return Assignment(key, _without_empty({"intent": target.intent, "settings": settings}))


def group_target(target, groups: Mapping[str, str]) -> Target:
    return Target(engine.GROUP, target.group_id or groups[target.group], target.exclude)


# App configurations -------------------------------------------------------------------------

def config_name(spec_name: str, platform: str) -> str:
    return f"{spec_name} ({'iOS' if platform == catalog.IOS else 'Android'})"


def needs_filter(spec: AppConfigSpec) -> bool:
    return catalog.IOS in spec.config.platforms and len(spec.enrollment) == 1


def desired_filters(specs: Sequence[AppConfigSpec], filters: Sequence[Mapping[str, Any]]) -> list[Desired]:
    if not any(needs_filter(spec) for spec in specs):
        return []
    body = {
        "@odata.type": FILTER_TYPE,
        "displayName": PERSONAL_IOS_FILTER,
        "description": f"Personal iOS devices, for Mattermost's app configuration. {OWNER_MARKER}",
        "platform": "iOS",
        "rule": _PERSONAL_RULE,
    }
    return [_wish(FILTERS, PERSONAL_IOS_FILTER, body)]


def _filter_ref(filters: Sequence[Mapping[str, Any]]) -> str:
    matches = [raw["id"] for raw in filters if raw.get("displayName") == PERSONAL_IOS_FILTER]
    return matches[0] if len(matches) == 1 else _NEW + PERSONAL_IOS_FILTER


def desired_configs(spec: AppConfigSpec, apps: Mapping[str, list[dict]] | None, groups: Mapping[str, str],
                    filters: Sequence[Mapping[str, Any]]) -> list[Desired]:
    if spec.state == "absent":
        return [Desired(CONFIGS, config_name(spec.name, p), {}, present=False) for p in catalog.PLATFORMS]
    wishes = []
    for platform in spec.config.platforms:
        targeted = sorted(raw["id"] for raw in apps[platform])
        body = (_ios_config_body if platform == catalog.IOS else _android_config_body)(spec, targeted)
        wishes.append(_wish(CONFIGS, config_name(spec.name, platform), body,
                            _config_assignments(spec, platform, groups, filters)))
    return wishes


def _description(spec: AppConfigSpec) -> str:
    # Sorted: pydantic leaves the default enrollment as written, and the description is compared.
    scenarios = " and ".join(e.replace("_", "-") for e in sorted(spec.enrollment))
    return f"Mattermost app configuration for {scenarios} devices. {OWNER_MARKER}"


# What the Intune App SDK inside the iOS app needs when an app protection policy also targets
# managed devices: the user and device, filled in by Intune's own variables.
INTUNE_MAM_SETTINGS = {
    "IntuneMAMUPN": "{{userprincipalname}}",
    "IntuneMAMOID": "{{userid}}",
    "IntuneMAMDeviceID": "{{deviceid}}",
}


def _ios_config_body(spec: AppConfigSpec, targeted: list[str]) -> dict[str, Any]:
    settings = spec.config.for_platform(catalog.IOS)
    return {
        "@odata.type": IOS_CONFIG,
        "displayName": config_name(spec.name, catalog.IOS),
        "description": _description(spec),
        "targetedMobileApps": targeted,
        "settings": {**settings, **INTUNE_MAM_SETTINGS} if spec.intune_app_protection else settings,
    }


def _android_config_body(spec: AppConfigSpec, targeted: list[str]) -> dict[str, Any]:
    return {
        "@odata.type": ANDROID_CONFIG,
        "displayName": config_name(spec.name, catalog.ANDROID),
        "description": _description(spec),
        "targetedMobileApps": targeted,
        "packageId": f"app:{spec.config.app_id}",
        "profileApplicability": _PROFILE[frozenset(spec.enrollment)],
        "payload": spec.config.for_platform(catalog.ANDROID),
    }


def _config_assignments(spec: AppConfigSpec, platform: str, groups, filters) -> tuple[Assignment, ...]:
    detail: dict[str, Any] = {}
    if platform == catalog.IOS and needs_filter(spec):
        detail = {"filter": _filter_ref(filters), "filterType": "include" if BYOD in spec.enrollment else "exclude"}
    return tuple(
        Assignment(group_target(target, groups), {} if target.exclude else detail) for target in spec.groups
    )


# Graph answers -> comparable form ---------------------------------------------------------

def actual(kind: str, raw: Mapping[str, Any]) -> Actual:
    odata_type = raw.get("@odata.type")
    body: dict[str, Any] = {"@odata.type": odata_type, "displayName": raw.get("displayName")}
    if kind == APPS:
        name = _app_name(_APP_PLATFORM.get(odata_type, odata_type), app_identifier(raw))
        if odata_type == IOS_STORE_APP:
            body.update({field: raw.get(field) or "" for field in ("description", "publisher", "appStoreUrl", "bundleId")})
    elif kind in (DEVICE_CONFIGS, IOS_PROTECTIONS):
        name = raw.get("displayName")
        body = _policy_fields(kind, raw)
    else:
        name = raw.get("displayName")
        body["description"] = raw.get("description") or ""
        body.update(_config_fields(raw) if kind == CONFIGS else {"platform": raw.get("platform"), "rule": raw.get("rule")})
    assignments = tuple(_assignment(kind, item) for item in raw.get("assignments") or ())
    return Actual(kind, name, raw["id"], body, assignments, _owned(kind, raw), variant=odata_type, raw=raw,
                  created=raw.get("createdDateTime") or "")


def _owned(kind: str, raw: Mapping[str, Any]) -> bool:
    """The marker in the description, on an object the collection can create (a store app, or a
    custom build's line-of-business app): a VPP or Managed Google Play app is Apple's or Google's,
    whatever its description says."""
    creatable = kind != APPS or raw.get("@odata.type") in (IOS_STORE_APP, IOS_LOB_APP)
    return OWNER_MARKER in (raw.get("description") or "") and creatable


def _config_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    odata_type = raw.get("@odata.type")
    fields: dict[str, Any] = {"targetedMobileApps": sorted(raw.get("targetedMobileApps") or ())}
    if odata_type == IOS_CONFIG:
        fields["settings"] = comparable_settings(graph.ios_entries(raw))
    elif odata_type == ANDROID_CONFIG:
        fields.update(packageId=raw.get("packageId"), profileApplicability=raw.get("profileApplicability"),
                      payload=comparable_settings(graph.android_entries(raw)))
    return fields


def _policy_fields(kind: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A policy as Graph returns it, less what the server owns; the engine compares only the
    fields the collection sets."""
    body = {name: value for name, value in raw.items() if name not in _SERVER_FIELDS}
    body["description"] = raw.get("description") or ""
    if kind in TARGETS_APPS:
        body["apps"] = sorted(_protected_app(app) for app in raw.get("apps") or ())
    return body


def _protected_app(app: Mapping[str, Any]) -> str:
    identifier = app.get("mobileAppIdentifier") or {}
    return identifier.get("bundleId") or identifier.get("packageId") or ""


def target_apps_payload(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body of a targetApps action: the bundle ids the policy protects."""
    return {"apps": [
        {"@odata.type": "#microsoft.graph.managedMobileApp",
         "mobileAppIdentifier": {"@odata.type": "#microsoft.graph.iosMobileAppIdentifier", "bundleId": bundle_id}}
        for bundle_id in body["apps"]
    ]}


def _assignment(kind: str, raw: Mapping[str, Any]) -> Assignment:
    target = raw.get("target") or {}
    odata_type = target.get("@odata.type")
    detail: dict[str, Any] = {}
    if odata_type in _ALL_TARGETS:
        key = Target(_ALL_TARGETS[odata_type])
    elif odata_type in (_GROUP_TARGET, _EXCLUDE_TARGET) and target.get("groupId"):
        key = Target(engine.GROUP, target["groupId"], odata_type == _EXCLUDE_TARGET)
    else:  # a target the collection never makes, kept whole (its filter included)
        key = engine.other_target(target)
    filter_type = target.get("deviceAndAppManagementAssignmentFilterType")
    if key.type != engine.OTHER and filter_type and filter_type != "none":
        detail.update(filter=target.get("deviceAndAppManagementAssignmentFilterId"), filterType=filter_type)
    if kind == APPS:
        detail["intent"] = raw.get("intent")
        detail["settings"] = _clean_settings(raw.get("settings") or {})
    return Assignment(key, _without_empty(detail))


def _clean_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Settings without the nulls Graph fills in; nothing at all when only the type is left."""
    cleaned = {name: value for name, value in settings.items() if value is not None}
    return cleaned if set(cleaned) - {"@odata.type"} else {}


def _without_empty(detail: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in detail.items() if value not in (None, {}, "")}


# Comparable form -> Graph bodies ----------------------------------------------------------

def payload(kind: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """The Graph request body for a create or an update."""
    result = dict(body)
    result.pop("apps", None)  # sent through targetApps
    odata_type = result.get("@odata.type")
    if odata_type == IOS_CONFIG:
        result["settings"] = [
            {"appConfigKey": key, "appConfigKeyType": "stringType", "appConfigKeyValue": value}
            for key, value in result["settings"].items()
        ]
    if odata_type == ANDROID_CONFIG:
        app_id = result["packageId"].removeprefix("app:")
        document = android.render_managed_properties(result.pop("payload"), app_id)
        result["payloadJson"] = base64.b64encode(document.encode()).decode()
    if odata_type == IOS_STORE_APP:
        # Required when creating; not compared, since Apple's catalog owns them.
        result.setdefault("applicableDeviceType", {"iPad": True, "iPhoneAndIPod": True})
        result.setdefault("minimumSupportedOperatingSystem", {"v15_0": True})
    return result


def assign_payload(kind: str, assignments: Sequence[Assignment], new_filter_id: Callable[[str], str | None]) -> dict:
    """The body of an /assign action: the whole set, since assign replaces it."""
    return {_ASSIGN_FIELD[kind]: [_assignment_body(kind, a, new_filter_id) for a in assignments]}


def _assignment_body(kind: str, assignment: Assignment, new_filter_id) -> dict[str, Any]:
    wanted = assignment.target
    all_type = next((t for t, name in _ALL_TARGETS.items() if name == wanted.type), None)
    if wanted.type == engine.OTHER:
        target = json.loads(wanted.id)
    elif all_type:
        target = {"@odata.type": all_type}
    else:
        target = {"@odata.type": _EXCLUDE_TARGET if wanted.exclude else _GROUP_TARGET, "groupId": wanted.id}
    detail = dict(assignment.detail)
    if "filter" in detail:
        filter_id = detail.pop("filter")
        if filter_id.startswith(_NEW):
            filter_id = new_filter_id(filter_id[len(_NEW):])
        target.update(deviceAndAppManagementAssignmentFilterId=filter_id,
                      deviceAndAppManagementAssignmentFilterType=detail.pop("filterType"))
    return {"@odata.type": _ASSIGNMENT_TYPE[kind], "target": target, **detail}


# Device profiles and app protection ---------------------------------------------------------

IOS_PROTECTION = "#microsoft.graph.iosManagedAppProtection"


def _policy_assignments(spec, groups: Mapping[str, str]) -> tuple[Assignment, ...]:
    return tuple(Assignment(group_target(target, groups)) for target in spec.groups)


# Every Intune body a profile description can have, and whether the spec's platforms and
# enrollment call for it.
_PROFILE_BODIES = (
    (profile_bodies.IOS_SUFFIX, profile_bodies.intune_ios_general, lambda spec: catalog.IOS in spec.platforms),
    (profile_bodies.CUSTOM_PASSCODE_SUFFIX, profile_bodies.intune_ios_custom_passcode,
     lambda spec: catalog.IOS in spec.platforms),
    (profile_bodies.PER_APP_VPN_SUFFIX, profile_bodies.intune_ios_vpn, lambda spec: catalog.IOS in spec.platforms),
    (profile_bodies.WORK_PROFILE_SUFFIX, profile_bodies.intune_work_profile,
     lambda spec: catalog.ANDROID in spec.platforms and BYOD in spec.enrollment),
    (profile_bodies.FULLY_MANAGED_SUFFIX, profile_bodies.intune_fully_managed,
     lambda spec: catalog.ANDROID in spec.platforms and COMPANY_OWNED in spec.enrollment),
)


def desired_device_profiles(spec, groups: Mapping[str, str]) -> list[Desired]:
    """The Intune device configurations of one profile description, each a native Intune type.
    A body the description no longer calls for (a section, platform or enrollment dropped) is
    wanted absent, so the one created earlier is removed rather than left assigned."""
    description = f"Device settings the Mattermost app relies on. {OWNER_MARKER}"
    wishes = []
    for suffix, build, applies in _PROFILE_BODIES:
        body = build(spec.profile) if spec.state == "present" and applies(spec) else None
        if body is None:
            wishes.append(Desired(DEVICE_CONFIGS, spec.profile.name + suffix, {}, present=False))
        else:
            wishes.append(_wish(DEVICE_CONFIGS, body["displayName"], {**body, "description": description},
                                _policy_assignments(spec, groups)))
    return wishes


def protection_name(spec, app_id: str) -> str:
    return spec.name if app_id == catalog.APP_ID else f"{spec.name} (beta)"


def desired_protections(spec, groups: Mapping[str, str]) -> list[Desired]:
    """One iOS app protection policy per app id: the beta app is a different app to Intune."""
    return [
        _wish(IOS_PROTECTIONS, protection_name(spec, app_id), _protection_body(spec, app_id),
              _policy_assignments(spec, groups), present=spec.state == "present")
        for app_id in spec.app_ids
    ]


# Graph's "block" on too many PIN attempts locks the app until the user resets the PIN.
_PIN_RETRIES_ACTION = {"reset_pin": "block", "wipe": "wipe"}


def _protection_body(spec, app_id: str) -> dict[str, Any]:
    """Options left unset are left out, so the engine neither compares nor overwrites them."""
    offline_block = spec.offline_block_minutes
    body = {
        "@odata.type": IOS_PROTECTION,
        "displayName": protection_name(spec, app_id),
        "description": f"App protection for the Mattermost iOS app. {OWNER_MARKER}",
        "dataBackupBlocked": spec.prevent_backup,
        "appDataEncryptionType": spec.encryption,
        "pinRequired": spec.pin_required,
        "minimumPinLength": spec.minimum_pin_length,
        "maximumPinRetries": spec.max_pin_retries,
        "appActionIfMaximumPinRetriesExceeded": _PIN_RETRIES_ACTION[spec.max_pin_retries_action],
        "allowedOutboundClipboardSharingLevel": spec.clipboard,
        "periodOfflineBeforeAccessCheck": _duration_from_minutes(offline_block) if offline_block else None,
        "periodOfflineBeforeWipeIsEnforced": f"P{spec.offline_wipe_days}D",
        "minimumWipeOsVersion": spec.minimum_os_version_wipe,
        "minimumRequiredOsVersion": spec.minimum_os_version,
        "minimumWarningOsVersion": spec.minimum_os_version_warning,
        "minimumWipeAppVersion": spec.minimum_app_version_wipe,
        "minimumRequiredAppVersion": spec.minimum_app_version,
        "minimumWarningAppVersion": spec.minimum_app_version_warning,
        "appActionIfUnableToAuthenticateUser": spec.disabled_account_action,
        **_jailbreak_check(spec.jailbroken_action),
        "apps": [app_id],
    }
    return {name: value for name, value in body.items() if value is not None}


def _duration_from_minutes(minutes: int) -> str:
    """An ISO 8601 duration in the form Graph reads back (720 minutes is PT12H, 1440 is P1D), so a
    second run finds the same text: PT720M would be answered as PT12H and look changed."""
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    time = "".join(f"{count}{unit}" for count, unit in ((hours, "H"), (minutes, "M")) if count)
    return "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")


def _jailbreak_check(action: str | None) -> dict[str, Any]:
    """Intune's jailbreak check is deviceComplianceRequired; its action applies only with it on."""
    if action is None:
        return {}
    return {"deviceComplianceRequired": True, "appActionIfDeviceComplianceRequired": action}


# Managed devices ----------------------------------------------------------------------------

DEVICES = "/deviceManagement/managedDevices"
DEVICE_FIELDS = "id,deviceName,serialNumber,userPrincipalName,operatingSystem,managementState"
# The Graph property each selector compares with (engine.same_name; ids are compared exactly).
_DEVICE_PROPERTY = {"serial_number": "serialNumber", "user": "userPrincipalName", "device_name": "deviceName"}


def device_matches(device: Mapping[str, Any], selector) -> bool:
    if selector.id:
        return device.get("id") == selector.id
    name, wanted = next((name, value) for name, value in selector if value)
    return engine.same_name(device.get(_DEVICE_PROPERTY[name]), wanted)


def device_summary(device: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": device.get("id"), "name": device.get("deviceName"), "serial_number": device.get("serialNumber"),
            "user": device.get("userPrincipalName"), "os": device.get("operatingSystem"), "matched_by": device.get("matched_by")}


def describe_device(device: Mapping[str, Any]) -> str:
    return f"{device.get('deviceName')} ({device.get('id')}, serial {device.get('serialNumber')}, {device.get('userPrincipalName')})"


def device_action_body(spec) -> dict[str, Any] | None:
    if spec.action == "wipe":
        return {"keepEnrollmentData": spec.keep_enrollment_data, "keepUserData": spec.keep_user_data}
    return None  # retire takes no body


# Intune app protection registrations (selective wipe) ----------------------------------------

REGISTRATIONS = "/deviceAppManagement/managedAppRegistrations"
USERS = "/users"
WIPE_BY_DEVICE_TAG = "wipeManagedAppRegistrationsByDeviceTag"


def registration_app_id(registration: Mapping[str, Any]) -> str | None:
    identifier = registration.get("appIdentifier") or {}
    return identifier.get("bundleId") or identifier.get("packageId")


def registration_matches(registration: Mapping[str, Any], selector, user_ids: Iterable[str]) -> bool:
    """`user_ids`: the Entra ids the selector's user stands for (the id itself, or the UPN's users)."""
    if selector.id:
        return registration.get("id") == selector.id
    if selector.device_name:
        return engine.same_name(registration.get("deviceName"), selector.device_name)
    return any(engine.same_name(registration.get("userId"), user_id) for user_id in user_ids)


def registration_summary(registration: Mapping[str, Any], others: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """`others`: the registrations of other apps the same wipe request reaches (same user and device tag)."""
    identifier = registration.get("appIdentifier") or {}
    return {"id": registration.get("id"), "name": registration.get("deviceName"),
            "device_tag": registration.get("deviceTag"), "user_id": registration.get("userId"),
            "os": "Android" if "packageId" in identifier else "iOS", "os_version": registration.get("platformVersion"),
            "app_id": registration_app_id(registration),
            "also_wipes": sorted({registration_app_id(other) or "" for other in others}),
            "matched_by": registration.get("matched_by")}


def describe_registration(registration: Mapping[str, Any]) -> str:
    return (f"{registration.get('deviceName')} ({registration.get('id')}, {registration_app_id(registration)}, "
            f"user {registration.get('userId')}, device tag {registration.get('deviceTag')})")


def wipe_target(registration: Mapping[str, Any]) -> tuple[str, str]:
    """What Intune's selective wipe names: a user and a device tag."""
    return registration.get("userId") or "", registration.get("deviceTag") or ""


# Audit (emm_info) ---------------------------------------------------------------------------

def carries_mattermost_keys(raw: Mapping[str, Any]) -> bool:
    names = [item.get("appConfigKey") for item in raw.get("settings") or ()]
    names += [item.get("name") for item in raw.get("customSettings") or ()]
    return any(name and (catalog.lookup(name) or catalog.correction(name)) for name in names)


def targets_mattermost(raw: Mapping[str, Any], app_ids: Sequence[str]) -> bool:
    for app in raw.get("apps") or ():
        identifier = app.get("mobileAppIdentifier") or {}
        if (identifier.get("bundleId") or identifier.get("packageId")) in app_ids:
            return True
    return False


def describe_app(raw: Mapping[str, Any]) -> dict[str, Any]:
    item = actual(APPS, raw)
    return {"id": item.id, "type": raw.get("@odata.type"), "display_name": raw.get("displayName"),
            "app_id": app_identifier(raw), "owned": item.owned,
            "assignments": [a.as_dict() for a in item.assignments]}


def audit_apps(raws: Iterable[Mapping[str, Any]], device_configs: Iterable[Mapping[str, Any]],
               configurations: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """App entries with findings on their per-app VPN binding (iOS): the profile each assignment
    names, whether that profile reaches the assignment's group, and whether an iOS app
    configuration for the app makes it wait for the tunnel."""
    profiles = {profile.get("id"): profile for profile in device_configs}
    return [_audit_app(raw, profiles, configurations) for raw in raws]


def _audit_app(raw: Mapping[str, Any], profiles: Mapping[str, Mapping[str, Any]],
               configurations: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    described = describe_app(raw)
    bound: dict[str, list[Target]] = {}  # VPN profile id -> the app's targets that name it
    for assignment in actual(APPS, raw).assignments:
        vpn_id = (assignment.detail.get("settings") or {}).get("vpnConfigurationId")
        if vpn_id:
            bound.setdefault(vpn_id, []).append(assignment.target)
    found = [finding for vpn_id in sorted(bound) for finding in _vpn_findings(vpn_id, profiles.get(vpn_id), bound[vpn_id])]
    awaited = any(_waits_for_vpn(config) for config in configurations
                  if raw.get("id") in (config.get("targetedMobileApps") or ()))
    if bound and not awaited:
        found.append(Finding(WARNING, "vpn-not-awaited", (
            'the app is bound to a per-app VPN, but no iOS app configuration for it sets useVPN to "true": '
            "its first requests can fail while the tunnel comes up"), key="useVPN", hint='set useVPN to "true" and timeoutVPN'))
    described["findings"] = [finding.as_dict() for finding in found]
    return described


def _vpn_findings(vpn_id: str, profile: Mapping[str, Any] | None, app_targets: Sequence[Target]) -> list[Finding]:
    if profile is None:
        return [Finding(ERROR, "vpn-profile-missing", (
            f"the app's assignment names the VPN profile {vpn_id}, which the tenant does not have: the app gets no tunnel"),
            hint="bind it to a per-app VPN profile (mattermost.emm.device_profile returns its id) or remove the binding")]
    name = f"{profile.get('displayName')!r} ({vpn_id})"
    if profile.get("@odata.type") not in _PER_APP_VPN_TYPES or not profile.get("enablePerApp"):
        return [Finding(ERROR, "vpn-not-per-app", (
            f"the app's assignment names {name}, which is not an iOS VPN profile with per-app VPN on: "
            "Intune ties an app only to such a profile"),
            hint="bind the app to a per-app VPN profile (mattermost.emm.device_profile per_app_vpn)")]
    reached = {assignment.target for assignment in actual(DEVICE_CONFIGS, profile).assignments}
    missed = [target for target in app_targets if not target.exclude and target not in reached]
    if missed and not any(target.type in _ALL_TARGETS.values() for target in reached):
        return [Finding(WARNING, "vpn-profile-not-assigned", (
            f"the app's assignments to {', '.join(target.id for target in missed)} use the per-app VPN "
            f"{name}, which is not assigned to those groups: their devices get the app without the tunnel"),
            hint="assign the VPN profile to the same groups as the app")]
    return []


def _waits_for_vpn(config: Mapping[str, Any]) -> bool:
    return config.get("@odata.type") == IOS_CONFIG and any(
        entry.key == "useVPN" and entry.value == "true" and entry.value_type == "string" for entry in graph.ios_entries(config))


def audit_configuration(raw: Mapping[str, Any]) -> dict[str, Any]:
    item = actual(CONFIGS, raw)
    odata_type = raw.get("@odata.type")
    platform = catalog.IOS if odata_type == IOS_CONFIG else catalog.ANDROID
    entries = graph.ios_entries(raw) if odata_type == IOS_CONFIG else graph.android_entries(raw)
    return {"id": item.id, "type": odata_type, "display_name": item.name, "owned": item.owned,
            "settings": comparable_settings(entries), "assignments": [a.as_dict() for a in item.assignments],
            "findings": [f.as_dict() for f in check_entries(entries, (platform,))]}


def audit_mam_configuration(raw: Mapping[str, Any]) -> dict[str, Any]:
    entries = graph.mam_entries(raw)
    return {"id": raw.get("id"), "type": raw.get("@odata.type"), "display_name": raw.get("displayName"),
            "settings": comparable_settings(entries),
            "findings": [f.as_dict() for f in [graph.MAM_CHANNEL] + check_entries(entries, catalog.PLATFORMS)]}


_GRAPH_TYPE_PREFIX = "#microsoft.graph."
# Native iOS VPN types; with enablePerApp they tunnel only the apps bound to them.
_PER_APP_VPN_TYPES = frozenset({profile_bodies.IOS_VPN, profile_bodies.IOS_IKEV2_VPN})
_PROTECTION_SETTINGS = ("dataBackupBlocked", "appDataEncryptionType", "pinRequired",
                        "allowedOutboundClipboardSharingLevel", "minimumRequiredOsVersion")


def owned_device_profiles(raws: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The collection's own device configurations: the tenant's others are not Mattermost's business."""
    items = (actual(DEVICE_CONFIGS, raw) for raw in raws)
    return [_describe_device_profile(item) for item in items if item.owned]


def _describe_device_profile(item: Actual) -> dict[str, Any]:
    odata_type = item.body.get("@odata.type") or ""
    return {"id": item.id, "display_name": item.name, "type": odata_type.removeprefix(_GRAPH_TYPE_PREFIX),
            "assignments": [a.as_dict() for a in item.assignments],
            "per_app_vpn": odata_type in _PER_APP_VPN_TYPES and bool(item.body.get("enablePerApp"))}


def audit_app_protections(raws: Iterable[Mapping[str, Any]], app_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Every iOS app protection policy on a Mattermost app, whoever made it, with findings."""
    policies = [_describe_protection(raw) for raw in raws if targets_mattermost(raw, app_ids)]
    for policy in policies:
        policy["findings"] = [_several_policies(app_id, policies) for app_id in policy["app_ids"]
                              if app_id in app_ids and len(_protecting(app_id, policies)) > 1]
    return policies


def _describe_protection(raw: Mapping[str, Any]) -> dict[str, Any]:
    item = actual(IOS_PROTECTIONS, raw)
    return {"id": item.id, "display_name": item.name, "app_ids": item.body["apps"], "owned": item.owned,
            "assignments": [a.as_dict() for a in item.assignments],
            "settings": {name: raw.get(name) for name in _PROTECTION_SETTINGS}}


def _protecting(app_id: str, policies: Sequence[Mapping[str, Any]]) -> list[str]:
    return [policy["display_name"] for policy in policies if app_id in policy["app_ids"]]


def _several_policies(app_id: str, policies: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    names = _protecting(app_id, policies)
    # Intune merges them per user, keeping the most restrictive value of each setting.
    return {
        "severity": "warning", "code": "several-protection-policies", "key": None, "line": None,
        "message": f"{len(names)} app protection policies target {app_id} ({', '.join(map(repr, names))}): a user "
                   "in the groups of more than one gets the most restrictive value of each setting among them",
        "hint": "keep one policy per app id, or assign them to groups that do not overlap",
    }


# Device states -------------------------------------------------------------------------------

# The summary Graph keeps beside the per-device statuses of each kind.
DEVICE_STATUS_SUMMARY = {CONFIGS: "deviceStatusSummary", DEVICE_CONFIGS: "deviceStatusOverview"}
# Per-device statuses (ComplianceStatus) that mean the device did not apply the object.
FAILING_DEVICE_STATES = ("error", "conflict", "nonCompliant")
_SUMMARY_COUNTS = ("successCount", "pendingCount", "failedCount", "errorCount", "conflictCount", "notApplicableCount")


def device_states(statuses: Iterable[Mapping[str, Any]], summary: Any) -> dict[str, Any]:
    """Per-device statuses as counts per state and the failing devices by name, with the summary's counts."""
    counts: dict[str, int] = {}
    errors = []
    for status in statuses:
        state = status.get("status") or "unknown"
        counts[state] = counts.get(state, 0) + 1
        if state in FAILING_DEVICE_STATES:
            who = status.get("userPrincipalName") or status.get("userName")
            errors.append(f"{status.get('deviceDisplayName') or status.get('id')} ({state}{', ' + who if who else ''})")
    totals = {name: summary.get(name) for name in _SUMMARY_COUNTS if isinstance(summary, Mapping) and summary.get(name)}
    return {"counts": counts, "errors": errors, "summary": totals}
