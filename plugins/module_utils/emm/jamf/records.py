# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jamf Pro's Classic API records in the engine's comparable form, and the Classic XML that writes them.

Pure: no HTTP. Jamf answers reads in JSON (with ``Accept: application/json``) and takes writes in
XML only. Two records matter:

- the mobile device application (App Store app): ``general`` (what the app module sets), ``scope``
  (who gets it: mobile device groups and their exclusions, inside the record) and
  ``app_configuration/preferences`` (the app's one AppConfig, a plist ``<dict>`` as text);
- the mobile device configuration profile: ``general`` with ``payloads`` (the .mobileconfig as
  text) and ``scope``.

The app record is two neutral kinds: APP (its ``general`` fields) and APP_CONFIG (its preferences);
both are named by the bundle id, since Jamf keeps one record per app. Fields the server derives
for an App Store app (``host_externally``, ``internal_app``, ``external_url``,
``itunes_country_region``, ``display_name``) are never put in its wanted body, so the engine never
compares them; an in-house build the organisation hosts sets ``host_externally`` and
``external_url`` itself.
"""

from __future__ import annotations

import plistlib
from typing import Any, Iterable, Mapping, Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import comparable_settings
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats import plist
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import check_entries
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import XmlError, parse_xml
from ansible_collections.mattermost.emm.plugins.module_utils.emm import engine
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    APP,
    APP_CONFIG,
    DEVICE_PROFILE,
    OWNER_MARKER,
    Actual,
    Assignment,
    Operation,
    ProviderError,
    Target,
)
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import apple
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import ProfileError
from ansible_collections.mattermost.emm.plugins.module_utils.third_party import etree

APPS_PATH = "/JSSResource/mobiledeviceapplications"
PROFILES_PATH = "/JSSResource/mobiledeviceconfigurationprofiles"
DEVICES_PATH = "/JSSResource/mobiledevices"
COMMANDS_PATH = "/JSSResource/mobiledevicecommands/command"
GROUPS_PATH = "/api/v1/mobile-device-groups"
GROUP_MEMBERS_PATH = "/JSSResource/mobiledevicegroups"
# What a device's last inventory reported installed, and who the device is.
DEVICE_SUBSETS = "General&Location&Applications&ConfigurationProfiles"

APP_ROOT = "mobile_device_application"
PROFILE_ROOT = "configuration_profile"
# The collection path, the record's root element and the key of the Classic list answer.
RESOURCES = {
    APP: (APPS_PATH, APP_ROOT, "mobile_device_applications"),
    APP_CONFIG: (APPS_PATH, APP_ROOT, "mobile_device_applications"),
    DEVICE_PROFILE: (PROFILES_PATH, PROFILE_ROOT, "configuration_profiles"),
}

DEVICE_GROUP = "device_group"
INSTALL_AUTOMATICALLY = "Install Automatically/Prompt Users to Install"
SELF_SERVICE = "Make Available in Self Service"
DEPLOYMENT_TYPES = {"required": INSTALL_AUTOMATICALLY, "available": SELF_SERVICE}
PROFILE_DEPLOYMENT = "Install Automatically"
# Only devices newly in scope get a changed profile pushed; those that have it get it on their next check-in.
REDEPLOY_ON_UPDATE = "Newly Assigned"

APP_DESCRIPTION = f"The Mattermost mobile app. {OWNER_MARKER}"
PROFILE_DESCRIPTION = f"Device settings the Mattermost app relies on. {OWNER_MARKER}"

# Top-level profile keys Jamf rewrites (UUID, identifier) or injects (the rest) when it stores a profile.
JAMF_REWRITES = frozenset({"PayloadUUID", "PayloadIdentifier", "PayloadOrganization", "PayloadDisplayName",
                           "PayloadEnabled"})
ECHOED = ("PayloadUUID", "PayloadIdentifier")
UNREADABLE = "<unreadable>"
# Characters that Jamf's second decoding of a profile's payloads turns into broken XML.
_TRAP_CHARACTERS = ("&", "<")


# Wanted bodies ------------------------------------------------------------------------------

class Payloads(dict):
    """A .mobileconfig in comparable form: the decoded plist less the keys Jamf rewrites (what the
    engine compares and shows), with the whole `document` kept for sending."""

    def __init__(self, document: Mapping[str, Any]):
        super().__init__(masked(document))
        self.document = dict(document)


def masked(document: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in JAMF_REWRITES}


def scope(targets: Iterable[Any], group_ids: Mapping[str, str]) -> tuple[Assignment, ...]:
    """GroupTargets as the engine's assignments: a device group (included or excluded) each."""
    return tuple(Assignment(Target(DEVICE_GROUP, target.group_id or group_ids[target.group], target.exclude))
                 for target in targets)


def app_body(spec: Any) -> dict[str, Any]:
    """The app record's `general` fields the collection sets; options left unset are left out, so
    they are neither compared nor overwritten."""
    intents = {target.intent for target in spec.assignments if not target.exclude}
    hosted = getattr(spec, "hosted_url", None)
    body = {
        "name": spec.display_name,
        "bundle_id": spec.app_id,
        # An in-house build hosted by the organisation, or the App Store app.
        **({"itunes_store_url": "", "host_externally": True, "external_url": hosted} if hosted
           else {"itunes_store_url": spec.app_store_url}),
        "deployment_type": DEPLOYMENT_TYPES[intents.pop()] if intents else None,
        "deploy_as_managed_app": True,
        "take_over_management": True,
        "prevent_backup_of_app_data": spec.prevent_backup,
        "remove_app_when_mdm_profile_is_removed": spec.remove_on_unenroll,
        "description": APP_DESCRIPTION,
    }
    return {name: value for name, value in body.items() if value is not None}


def profile_body(document: Mapping[str, Any]) -> dict[str, Any]:
    refuse_escaping_trap(document)
    return {"description": PROFILE_DESCRIPTION, "deployment_method": PROFILE_DEPLOYMENT, "payloads": Payloads(document)}


def refuse_escaping_trap(document: Mapping[str, Any]) -> None:
    """Jamf decodes a profile's payloads once more after reading the XML, so a value holding "&" or
    "<" reaches its database as broken XML (409 "Unable to update the database") or, escaped once
    more, does not read back as sent. Such values are refused before anything is sent."""
    for where, text in _strings(document, ""):
        if any(character in text for character in _TRAP_CHARACTERS):
            raise ProviderError(
                f"device profile value {where} = {text!r} holds '&' or '<', which Jamf Pro cannot store in a "
                "configuration profile (it decodes the payloads a second time and refuses them or changes them); "
                "nothing was sent: remove the character from the value"
            )


def _strings(value: Any, where: str) -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{where}.{key}" if where else key
            yield from _strings(key, path)
            yield from _strings(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


# Jamf's answers -> comparable form ----------------------------------------------------------

def app_actual(kind: str, raw: Mapping[str, Any]) -> Actual:
    """An app record as APP (its general fields) or APP_CONFIG (its preferences)."""
    general = raw.get("general") or {}
    if kind == APP_CONFIG:
        body: dict[str, Any] = {"preferences": preferences((raw.get("app_configuration") or {}).get("preferences"))}
    else:
        body = {name: general.get(name) for name in _APP_FIELDS}
        body["description"] = general.get("description") or ""
    return Actual(kind, general.get("bundle_id") or "", str(general.get("id")), body, assignments(raw.get("scope")),
                  owned=_owned(general), raw=raw, created=_creation_order(general))


_APP_FIELDS = ("name", "bundle_id", "itunes_store_url", "host_externally", "external_url", "deployment_type",
               "deploy_as_managed_app", "take_over_management", "prevent_backup_of_app_data",
               "remove_app_when_mdm_profile_is_removed")


def profile_actual(raw: Mapping[str, Any]) -> Actual:
    general = raw.get("general") or {}
    body = {
        "description": general.get("description") or "",
        "deployment_method": general.get("deployment_method"),
        "payloads": masked(profile_document(general.get("payloads"))),
    }
    return Actual(DEVICE_PROFILE, general.get("name") or "", str(general.get("id")), body,
                  assignments(raw.get("scope")), owned=_owned(general), raw=raw, created=_creation_order(general))


def _creation_order(general: Mapping[str, Any]) -> str:
    """Jamf numbers its records in the order they were made."""
    return str(general.get("id") or "").zfill(20)


def _owned(general: Mapping[str, Any]) -> bool:
    return OWNER_MARKER in (general.get("description") or "")


def profile_document(payloads: str | None) -> dict[str, Any]:
    """A profile's payloads decoded; an unreadable one is kept as its reason, so it compares unequal."""
    if not payloads:
        return {}
    try:
        return apple.read_plist(payloads.encode("utf-8"))
    except ProfileError as exc:
        return {UNREADABLE: str(exc)}


def preferences(document: str | None) -> dict[str, str]:
    """An AppConfig plist as key -> value. A typed value keeps its type in sight ("<boolean>true"),
    so that it compares unequal to the string the app needs and gets corrected."""
    if not document or not document.strip():
        return {}
    parsed = plist.parse(document)
    if parsed.findings:
        return {UNREADABLE: "; ".join(finding.message for finding in parsed.findings)}
    return comparable_settings(parsed.entries)


def assignments(raw_scope: Mapping[str, Any] | None) -> tuple[Assignment, ...]:
    """A Classic scope as assignments: all devices, the device groups and the excluded device groups."""
    raw_scope = raw_scope or {}
    found = [Assignment(Target(engine.ALL_DEVICES))] if raw_scope.get("all_mobile_devices") else []
    found += [Assignment(Target(DEVICE_GROUP, str(group["id"]))) for group in raw_scope.get("mobile_device_groups") or ()]
    excluded = (raw_scope.get("exclusions") or {}).get("mobile_device_groups") or ()
    found += [Assignment(Target(DEVICE_GROUP, str(group["id"]), exclude=True)) for group in excluded]
    return tuple(found)


def group_names(raw_scope: Mapping[str, Any] | None) -> dict[str, str]:
    """Group id -> name, as the record's scope lists them."""
    raw_scope = raw_scope or {}
    listed = [*(raw_scope.get("mobile_device_groups") or ()),
              *((raw_scope.get("exclusions") or {}).get("mobile_device_groups") or ())]
    return {str(group["id"]): group.get("name") for group in listed}


def created_id(answer: Any) -> str:
    """The id in Jamf's 201 answer to a create, ``<mobile_device_application><id>7</id>...``."""
    try:
        found = parse_xml(answer).getroot().findtext("id") if isinstance(answer, str) else None
    except XmlError:
        found = None
    if not found:
        raise ProviderError(f"Jamf Pro's answer to a create holds no id: {str(answer)[:200]!r}")
    return found.strip()


# Comparable form -> Classic XML -------------------------------------------------------------

def write_xml(op: Operation) -> bytes:
    """The Classic XML of a create or update. A create sends everything; an update only what
    changed: the general fields that differ, the scope when the assignments change and, for
    APP_CONFIG, only the preferences, so the rest of the record stays as it is."""
    root = etree.Element(RESOURCES[op.kind][1])
    preferences = _preferences_written(op)
    if preferences is not None:
        _text(etree.SubElement(root, "app_configuration"), "preferences", preferences)
    general = _general_written(op)
    if general:
        element = etree.SubElement(root, "general")
        for name, value in general.items():
            _text(element, name, value)
        if "payloads" in general:
            _text(element, "redeploy_on_update", REDEPLOY_ON_UPDATE)
    if op.assignments is not None:
        root.append(scope_xml(op.assignments))
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def stored_record(op: Operation, object_id: str, previous: Mapping[str, Any]) -> dict[str, Any]:
    """The record as Jamf Pro answers for it once `op` is written over `previous` (a partial PUT
    keeps what it does not send): the offline provider's tenant."""
    record = {name: dict(value) for name, value in previous.items()}
    record["general"] = {**record.get("general", {}), **_general_written(op), "id": object_id}
    preferences = _preferences_written(op)
    if preferences is not None:
        record["app_configuration"] = {"preferences": preferences}
    if op.assignments is not None:
        record["scope"] = scope_record(op.assignments)
    return record


def _preferences_written(op: Operation) -> str | None:
    """An APP_CONFIG write's preferences as plist text; None when it writes none."""
    fields = _changed_fields(op)
    if op.kind != APP_CONFIG or "preferences" not in fields:
        return None
    return plist.render(fields["preferences"]) if fields["preferences"] else ""


def _general_written(op: Operation) -> dict[str, Any]:
    """The `general` fields a write sends (a profile's payloads as .mobileconfig text)."""
    if op.kind == APP_CONFIG:
        return {}
    fields = _changed_fields(op)
    if not fields:
        return {}
    general = {"name": op.name} if op.kind == DEVICE_PROFILE and op.action == engine.CREATE else {}  # its identity
    general.update((name, _payloads_text(op, value) if name == "payloads" else value) for name, value in fields.items())
    return general


def _changed_fields(op: Operation) -> dict[str, Any]:
    after = {name: value for name, value in (op.after or {}).items() if name != "assignments"}
    if op.action == engine.CREATE or op.before is None:
        return after
    return {name: value for name, value in after.items() if op.before.get(name) != value}


def _payloads_text(op: Operation, payloads: Payloads) -> str:
    """The .mobileconfig to send: on an update, with Jamf's own top-level UUID and identifier, so
    that devices replace the profile they have instead of installing a second one."""
    document = dict(payloads.document)
    if op.current is not None:
        current = profile_document((op.current.raw.get("general") or {}).get("payloads"))
        document.update({key: current[key] for key in ECHOED if key in current})
    return plistlib.dumps(document, fmt=plistlib.FMT_XML, sort_keys=True).decode("utf-8")


def scope_xml(wanted: Sequence[Assignment]) -> Any:
    """A `<scope>` naming the groups: Jamf replaces each list sent and keeps the lists not sent
    (buildings, departments, single devices, users)."""
    element = etree.Element("scope")
    _text(element, "all_mobile_devices", any(a.target.type == engine.ALL_DEVICES for a in wanted))
    _groups(element, [a.target for a in wanted if a.target.type == DEVICE_GROUP and not a.target.exclude])
    _groups(etree.SubElement(element, "exclusions"),
            [a.target for a in wanted if a.target.type == DEVICE_GROUP and a.target.exclude])
    return element


def scope_record(wanted: Sequence[Assignment]) -> dict[str, Any]:
    """A scope as Jamf Pro's JSON answers hold it."""
    def groups(exclude: bool) -> list[dict[str, str]]:
        return [{"id": a.target.id} for a in sorted(wanted, key=lambda a: a.target.id)
                if a.target.type == DEVICE_GROUP and a.target.exclude == exclude]
    return {"all_mobile_devices": any(a.target.type == engine.ALL_DEVICES for a in wanted),
            "mobile_device_groups": groups(False), "exclusions": {"mobile_device_groups": groups(True)}}


def _groups(parent: Any, targets: Sequence[Target]) -> None:
    groups = etree.SubElement(parent, "mobile_device_groups")
    for target in sorted(targets, key=lambda item: item.id):
        _text(etree.SubElement(groups, "mobile_device_group"), "id", target.id)


def _text(parent: Any, tag: str, value: Any) -> None:
    etree.SubElement(parent, tag).text = ("true" if value else "false") if isinstance(value, bool) else str(value)


# Devices ------------------------------------------------------------------------------------

COMMANDS = {"wipe": "EraseDevice", "retire": "UnmanageDevice"}
# The field of a Classic mobile device list entry each selector compares with (engine.same_name).
_DEVICE_FIELD = {"serial_number": "serial_number", "user": "username", "device_name": "name"}


def device_matches(device: Mapping[str, Any], selector: Any) -> bool:
    if selector.id:
        return str(device.get("id")) == selector.id
    name, wanted = next((name, value) for name, value in selector if value)
    return engine.same_name(device.get(_DEVICE_FIELD[name]), wanted)


def device_summary(device: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": str(device.get("id")), "name": device.get("name"), "serial_number": device.get("serial_number"),
            "user": device.get("username"), "os": device.get("model"), "matched_by": device.get("matched_by")}


def describe_device(device: Mapping[str, Any]) -> str:
    return f"{device.get('name')} ({device.get('id')}, serial {device.get('serial_number')}, {device.get('username')})"


# Reading back -------------------------------------------------------------------------------

def describe_app(raw: Mapping[str, Any]) -> dict[str, Any]:
    item = app_actual(APP, raw)
    return {"id": item.id, "type": APP_ROOT, "display_name": item.body["name"], "app_id": item.name,
            "owned": item.owned, "deployment_type": item.body["deployment_type"],
            "assignments": [a.as_dict() for a in item.assignments], "findings": []}


def audit_configuration(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The app record's AppConfig with the findings of the validator, as the iOS app reads it."""
    item = app_actual(APP_CONFIG, raw)
    parsed = plist.parse(_preferences_text(raw))
    found = parsed.findings + check_entries(parsed.entries, (catalog.IOS,))
    return {"id": item.id, "type": "app_configuration", "display_name": (raw.get("general") or {}).get("name"),
            "app_id": item.name, "owned": item.owned, "settings": comparable_settings(parsed.entries),
            "assignments": [a.as_dict() for a in item.assignments], "findings": [f.as_dict() for f in found]}


def has_configuration(raw: Mapping[str, Any]) -> bool:
    return bool(_preferences_text(raw).strip())


def _preferences_text(raw: Mapping[str, Any]) -> str:
    return (raw.get("app_configuration") or {}).get("preferences") or ""


def describe_profile(raw: Mapping[str, Any]) -> dict[str, Any]:
    item = profile_actual(raw)
    payload_types = {payload.get("PayloadType") for payload in item.body["payloads"].get("PayloadContent") or ()
                     if isinstance(payload, Mapping)}
    return {"id": item.id, "display_name": item.name, "type": PROFILE_ROOT, "owned": item.owned,
            "assignments": [a.as_dict() for a in item.assignments], "per_app_vpn": apple.PER_APP_VPN in payload_types}


# Devices' states (validation) ---------------------------------------------------------------

INSTALLED = "installed"
NOT_INSTALLED = "not installed"


def scoped_device_ids(raw_scope: Mapping[str, Any] | None, members: Mapping[str, Sequence[str]],
                      every_device: Sequence[str]) -> list[str]:
    """The ids of the devices a record's scope reaches: all devices or the devices and groups it
    names (`members`: group id -> device ids), less the excluded devices and groups."""
    raw_scope = raw_scope or {}
    exclusions = raw_scope.get("exclusions") or {}
    included = _scope_ids(raw_scope, members) | (set(every_device) if raw_scope.get("all_mobile_devices") else set())
    return sorted(included - _scope_ids(exclusions, members), key=int)


def _scope_ids(part: Mapping[str, Any], members: Mapping[str, Sequence[str]]) -> set[str]:
    ids = {str(device["id"]) for device in part.get("mobile_devices") or ()}
    return ids.union(*(members[str(group["id"])] for group in part.get("mobile_device_groups") or ()))


def installation_states(kind: str, raw: Mapping[str, Any], devices: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """How many devices in scope reported the app or the profile installed in their last inventory;
    Jamf keeps no pending or error state there, so a device without it is named."""
    installed = [device for device in devices if _has_installed(kind, raw.get("general") or {}, device)]
    missing = [device for device in devices if device not in installed]
    return {"counts": {INSTALLED: len(installed), NOT_INSTALLED: len(missing)},
            "errors": [_device_label(device) for device in missing], "summary": {}}


def _has_installed(kind: str, general: Mapping[str, Any], device: Mapping[str, Any]) -> bool:
    if kind == engine.DEVICE_PROFILE:
        uuid, name = general.get("uuid"), general.get("name")
        return any(profile.get("uuid") == uuid if uuid else profile.get("display_name") == name
                   for profile in device.get("configuration_profiles") or ())
    return any(app.get("identifier") == general.get("bundle_id") for app in device.get("applications") or ())


def _device_label(device: Mapping[str, Any]) -> str:
    general, location = device.get("general") or {}, device.get("location") or {}
    user = location.get("username")
    return f"{general.get('name') or general.get('id')} ({NOT_INSTALLED}{', ' + user if user else ''})"
