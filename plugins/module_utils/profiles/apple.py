# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Apple configuration profiles (.mobileconfig) from a :class:`DeviceProfile`, and back.

:func:`render` writes an XML plist whose ``PayloadContent`` holds only the payloads the
description asks for, following Apple's Configuration Profile Reference:

- ``com.apple.mobiledevice.passwordpolicy``: forcePIN, minLength, requireAlphanumeric,
  minComplexChars, maxInactivity (minutes), maxFailedAttempts, maxPINAgeInDays;
- ``com.apple.applicationaccess``: allowScreenShot, allowOpenFromManagedToUnmanaged,
  allowCloudBackup;
- ``com.apple.vpn.managed.applayer``: a per-app VPN (IKEv2, or a vendor's VPN app) with its
  ``VPNUUID`` and ``OnDemandMatchAppEnabled``.

iOS has no key in the VPN payload that names the apps: the MDM binds an app to a per-app VPN
by setting the app's ``VPNUUID`` attribute (InstallApplication ``Attributes`` or the Settings
command's ``ApplicationAttributes``; in Intune, the app assignment's VPN). :func:`app_attributes`
gives those attributes. The payload's ``PayloadDescription`` names the apps, for people and so
that :func:`parse` reads the same description back.

Set ``useVPN`` ("true") and ``timeoutVPN`` (milliseconds) in the Mattermost app configuration
to match the per-app VPN: with them the app waits for the tunnel instead of failing its first
requests while an on-demand connection comes up.

Every ``PayloadUUID``, ``PayloadIdentifier`` and the ``VPNUUID`` is derived from the profile's
name, so rendering twice gives the same bytes and a device replaces, rather than duplicates,
a profile it already has. Reading goes through :func:`xmlsafe.parse_xml` only.
"""

from __future__ import annotations

import base64
import binascii
import plistlib
import re
import uuid
from typing import Any, Callable, NamedTuple

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import Problem
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import XmlError, parse_xml
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import (
    DeviceProfile,
    Passcode,
    PerAppVpn,
    ProfileError,
    Restrictions,
)

CONFIGURATION = "Configuration"
PASSCODE = "com.apple.mobiledevice.passwordpolicy"
RESTRICTIONS = "com.apple.applicationaccess"
PER_APP_VPN = "com.apple.vpn.managed.applayer"

# Never change: devices and MDMs know installed profiles by the identifiers derived from it.
NAMESPACE = uuid.UUID("e45d1bf7-35dd-4ebc-9b3e-b4e0abc78eb7")
IDENTIFIER_PREFIX = "com.mattermost.emm"
_VPN_UUID_PURPOSE = "VPNUUID"

_DESCRIPTION = "Device settings that the Mattermost app relies on."
_APPS_SENTENCE = re.compile(r"Per-app VPN for (?P<apps>[^\s,]+(?:, [^\s,]+)*)\. ")


def derived_uuid(name: str, purpose: str) -> str:
    """A UUID that depends only on the profile's name and what it identifies."""
    # Names cannot hold control characters, so NUL keeps (name, purpose) pairs apart.
    return str(uuid.uuid5(NAMESPACE, f"{name}\x00{purpose}")).upper()


def vpn_uuid(profile: DeviceProfile) -> str:
    """The per-app VPN's ``VPNUUID``: the value each bound app's ``VPNUUID`` attribute must carry."""
    return derived_uuid(profile.name, _VPN_UUID_PURPOSE)


def app_attributes(profile: DeviceProfile) -> dict[str, dict[str, str]]:
    """Per bundle id, the managed app attributes that bind the app to the per-app VPN ({} without one)."""
    if profile.per_app_vpn is None:
        return {}
    return {app: {"VPNUUID": vpn_uuid(profile)} for app in profile.per_app_vpn.app_bundle_ids}


def render(profile: DeviceProfile) -> bytes:
    """The profile as a .mobileconfig (XML plist, keys sorted), byte for byte the same every time."""
    return plistlib.dumps(document(profile), fmt=plistlib.FMT_XML, sort_keys=True)


def document(profile: DeviceProfile) -> dict[str, Any]:
    """The .mobileconfig's top-level dictionary, before it is written as a plist."""
    payloads = []
    for payload_type, section, write in _SECTIONS:
        settings = getattr(profile, section)
        if settings is not None:
            payloads.append(_payload(profile, payload_type, write(settings, profile)))
    return {
        **_identity(profile.name, CONFIGURATION),
        "PayloadContent": payloads,
        "PayloadDescription": _DESCRIPTION,
        "PayloadDisplayName": profile.name,
        "PayloadOrganization": profile.organization,
    }


def parse(data: bytes) -> DeviceProfile:
    """The description a .mobileconfig was rendered from; ProfileError for anything else.

    Apple's and MDMs' own bookkeeping keys (``Payload...``) are ignored, so a profile that an MDM
    re-identified reads back the same; any other key the description cannot hold is a problem.
    An Apple profile has no place for the ``android`` section: it reads back as None.
    """
    top = read_plist(data)
    reader = _Reader()
    problems = reader.problems
    if top.get("PayloadType") != CONFIGURATION:
        problems.append(Problem(None, f"PayloadType is {top.get('PayloadType')!r}, not {CONFIGURATION!r}: not a configuration profile"))
    raw: dict[str, Any] = reader.options(top, "profile", _PROFILE_KEYS)
    for payload in reader.value(top, "PayloadContent", list, "profile") or []:
        if not isinstance(payload, dict):
            problems.append(Problem(None, "PayloadContent: every payload must be a <dict>"))
            continue
        section, read = _READERS.get(payload.get("PayloadType"), (None, None))
        if read is None:
            problems.append(Problem(None, f"payload type {payload.get('PayloadType')!r} is not one a device profile describes"))
        elif section in raw:
            problems.append(Problem(section, f"{section}: the profile holds more than one {payload['PayloadType']} payload"))
        else:
            raw[section] = read(reader, payload)
    if problems:
        raise ProfileError(problems)
    return DeviceProfile.from_input(raw)


# Writing ------------------------------------------------------------------------------------

class _Key(NamedTuple):
    """One plist key and the description option it carries."""

    plist: str
    kind: type
    option: str
    write: Callable[[Any], Any] = lambda value: value
    read: Callable[[Any], Any] = lambda value: value


def _negate(value: bool) -> bool:
    return not value


_PROFILE_KEYS = (_Key("PayloadDisplayName", str, "name"), _Key("PayloadOrganization", str, "organization"))
_PASSCODE_KEYS = (
    _Key("minLength", int, "min_length"),
    _Key("requireAlphanumeric", bool, "complexity",
         write=lambda complexity: complexity == "alphanumeric", read=lambda letters: "alphanumeric" if letters else "numeric"),
    _Key("minComplexChars", int, "min_complex_chars"),
    _Key("maxInactivity", int, "auto_lock_minutes"),
    _Key("maxFailedAttempts", int, "max_failed_attempts"),
    _Key("maxPINAgeInDays", int, "max_age_days"),
)
_RESTRICTION_KEYS = (
    _Key("allowScreenShot", bool, "block_screenshots", _negate, _negate),
    _Key("allowOpenFromManagedToUnmanaged", bool, "managed_open_in_only", _negate, _negate),
    _Key("allowCloudBackup", bool, "block_cloud_backup", _negate, _negate),
)
_FORCE_PIN = {"forcePIN": True}  # the description always requires a passcode
# IKEv2 with EAP only: the server proves itself with its certificate, the user signs in.
_IKEV2_EAP = {"AuthenticationMethod": "None", "ExtendedAuthEnabled": 1}


def _identity(name: str, payload_type: str) -> dict[str, Any]:
    payload_uuid = derived_uuid(name, payload_type)
    kind = payload_type.rsplit(".", 1)[-1].lower()
    return {
        "PayloadIdentifier": f"{IDENTIFIER_PREFIX}.{kind}.{payload_uuid}",
        "PayloadType": payload_type,
        "PayloadUUID": payload_uuid,
        "PayloadVersion": 1,
    }


def _payload(profile: DeviceProfile, payload_type: str, keys: dict[str, Any]) -> dict[str, Any]:
    return {**_identity(profile.name, payload_type), "PayloadDisplayName": _DISPLAY_NAMES[payload_type], **keys}


def _write_keys(section: Any, keys: tuple[_Key, ...]) -> dict[str, Any]:
    values = ((key, getattr(section, key.option)) for key in keys)
    return {key.plist: key.write(value) for key, value in values if value is not None}


def _write_passcode(passcode: Passcode, profile: DeviceProfile) -> dict[str, Any]:
    return {**_FORCE_PIN, **_write_keys(passcode, _PASSCODE_KEYS)}


def _write_restrictions(restrictions: Restrictions, profile: DeviceProfile) -> dict[str, Any]:
    return _write_keys(restrictions, _RESTRICTION_KEYS)


def _write_vpn(vpn: PerAppVpn, profile: DeviceProfile) -> dict[str, Any]:
    keys = {
        "PayloadDescription": _apps_sentence(vpn.app_bundle_ids),
        "UserDefinedName": vpn.connection_name,
        "VPNUUID": vpn_uuid(profile),
        "OnDemandMatchAppEnabled": int(vpn.on_demand),  # an <integer> 0 or 1 in Apple's schema
    }
    if vpn.vpn_type == "ikev2":
        tunnel = {"RemoteAddress": vpn.server, "RemoteIdentifier": vpn.remote_identifier, "LocalIdentifier": vpn.local_identifier}
        return {**keys, "VPNType": "IKEv2", "IKEv2": {**tunnel, **_IKEV2_EAP}}
    tunnel = {"RemoteAddress": vpn.server, "ProviderType": vpn.provider_type}
    return {**keys, "VPNType": "VPN", "VPNSubType": vpn.provider_bundle_id, "VPN": tunnel}


def _apps_sentence(apps: tuple[str, ...]) -> str:
    return (
        f"Per-app VPN for {', '.join(apps)}. An app uses it once its MDM sets the app's VPNUUID attribute "
        "to this payload's VPNUUID."
    )


_DISPLAY_NAMES = {PASSCODE: "Passcode", RESTRICTIONS: "Restrictions", PER_APP_VPN: "Per-app VPN"}
_SECTIONS = (
    (PASSCODE, "passcode", _write_passcode),
    (RESTRICTIONS, "restrictions", _write_restrictions),
    (PER_APP_VPN, "per_app_vpn", _write_vpn),
)


# Reading ------------------------------------------------------------------------------------

def read_plist(data: bytes) -> dict[str, Any]:
    """The top-level dictionary of any .mobileconfig (an MDM's copy too), decoded; ProfileError
    when it is not a readable plist holding one <dict>."""
    try:
        root = parse_xml(data).getroot()
    except XmlError as exc:
        raise ProfileError([Problem(None, f"not a readable configuration profile: {exc}")]) from None
    children = _elements(root)
    if root.tag != "plist" or len(children) != 1 or children[0].tag != "dict":
        raise ProfileError([Problem(None, f"line {root.sourceline}: a configuration profile is a <plist> holding one <dict>")])
    try:
        return _decode(children[0])
    except ValueError as exc:
        raise ProfileError([Problem(None, str(exc))]) from None


def _elements(element) -> list:
    return [child for child in element if isinstance(child.tag, str)]  # comments are not content


def _decode(element) -> Any:
    tag, text = element.tag, element.text or ""
    if tag == "dict":
        return _decode_dict(element)
    if tag == "array":
        return [_decode(child) for child in _elements(element)]
    if tag in ("true", "false"):
        return tag == "true"
    try:
        return _SCALARS[tag](text)
    except KeyError:
        raise ValueError(f"line {element.sourceline}: <{tag}> is not a plist value") from None
    except (ValueError, binascii.Error):
        raise ValueError(f"line {element.sourceline}: {text.strip()!r} is not a valid <{tag}>") from None


def _decode_dict(element) -> dict[str, Any]:
    children = _elements(element)
    keys, values = children[0::2], children[1::2]
    if len(keys) != len(values) or any(key.tag != "key" for key in keys):
        raise ValueError(f"line {element.sourceline}: a <dict> must alternate <key> and value elements")
    return {key.text or "": _decode(value) for key, value in zip(keys, values)}


_SCALARS: dict[str, Callable[[str], Any]] = {
    "string": str,
    "integer": int,
    "real": float,
    "date": str,
    "data": lambda text: base64.b64decode("".join(text.split()), validate=True),
}


def _is_a(value: Any, kind: type) -> bool:
    """isinstance, except that <true/> is no <integer> (Python counts a bool as an int)."""
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


_KIND_NAMES = {str: "a <string>", int: "an <integer>", bool: "<true/> or <false/>", list: "an <array>", dict: "a <dict>"}


class _Reader:
    """Typed access to decoded payloads, collecting one problem per fault."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def value(self, payload: dict[str, Any], key: str, kind: type, where: str) -> Any:
        """payload[key] when present and of `kind` (bool is not an int here), else None."""
        value = payload.get(key)
        if value is not None and not _is_a(value, kind):
            self.problems.append(Problem(where, f"{where}: {key} must be {_KIND_NAMES[kind]}, found {value!r}"))
            return None
        return value

    def options(self, payload: dict[str, Any], where: str, keys: tuple[_Key, ...]) -> dict[str, Any]:
        """The description options that `keys` map from `payload`."""
        values = ((key, self.value(payload, key.plist, key.kind, where)) for key in keys)
        return {key.option: key.read(value) for key, value in values if value is not None}

    def refuse_unknown(self, payload: dict[str, Any], where: str, known: set[str]) -> None:
        for key in payload:
            if key not in known and not key.startswith("Payload"):
                self.problems.append(Problem(where, f"{where}: key {key!r} is not one a device profile describes"))

    def expect(self, payload: dict[str, Any], where: str, fixed: dict[str, Any]) -> None:
        for key, wanted in fixed.items():
            if payload.get(key) != wanted:
                self.problems.append(Problem(where, f"{where}: {key} must be {wanted!r}, found {payload.get(key)!r}"))


def _read_passcode(reader: _Reader, payload: dict[str, Any]) -> dict[str, Any]:
    reader.refuse_unknown(payload, "passcode", {key.plist for key in _PASSCODE_KEYS} | set(_FORCE_PIN))
    reader.expect(payload, "passcode", _FORCE_PIN)
    return reader.options(payload, "passcode", _PASSCODE_KEYS)


def _read_restrictions(reader: _Reader, payload: dict[str, Any]) -> dict[str, Any]:
    reader.refuse_unknown(payload, "restrictions", {key.plist for key in _RESTRICTION_KEYS})
    return reader.options(payload, "restrictions", _RESTRICTION_KEYS)


def _read_vpn(reader: _Reader, payload: dict[str, Any]) -> dict[str, Any]:
    where = "per_app_vpn"
    vpn_type = reader.value(payload, "VPNType", str, where)
    tunnel_key = {"IKEv2": "IKEv2", "VPN": "VPN"}.get(vpn_type or "")
    reader.refuse_unknown(payload, where, {"UserDefinedName", "VPNUUID", "OnDemandMatchAppEnabled", "VPNType", "VPNSubType", "IKEv2", "VPN"})
    if tunnel_key is None:
        reader.problems.append(Problem(f"{where}.vpn_type", f"{where}: VPNType {vpn_type!r} is not IKEv2 or VPN (a vendor's VPN app)"))
        return {}
    tunnel = reader.value(payload, tunnel_key, dict, where) or {}
    on_demand = payload.get("OnDemandMatchAppEnabled", 0)  # Apple's schema says 0/1; some tools write booleans
    if on_demand not in (0, 1):
        reader.problems.append(Problem(f"{where}.on_demand", f"{where}: OnDemandMatchAppEnabled must be 0 or 1, found {on_demand!r}"))
    raw = {
        "connection_name": reader.value(payload, "UserDefinedName", str, where),
        "server": reader.value(tunnel, "RemoteAddress", str, where),
        "on_demand": bool(on_demand),
        "app_bundle_ids": _apps_from(payload.get("PayloadDescription")),
        **(_read_ikev2(reader, tunnel) if tunnel_key == "IKEv2" else _read_vendor_vpn(reader, payload, tunnel)),
    }
    return {option: value for option, value in raw.items() if value is not None}


def _read_ikev2(reader: _Reader, tunnel: dict[str, Any]) -> dict[str, Any]:
    where = "per_app_vpn"
    reader.refuse_unknown(tunnel, f"{where} IKEv2", {"RemoteAddress", "RemoteIdentifier", "LocalIdentifier", *_IKEV2_EAP})
    reader.expect(tunnel, f"{where} IKEv2", _IKEV2_EAP)
    return {
        "vpn_type": "ikev2",
        "remote_identifier": reader.value(tunnel, "RemoteIdentifier", str, where),
        "local_identifier": reader.value(tunnel, "LocalIdentifier", str, where),
    }


def _read_vendor_vpn(reader: _Reader, payload: dict[str, Any], tunnel: dict[str, Any]) -> dict[str, Any]:
    where = "per_app_vpn"
    reader.refuse_unknown(tunnel, f"{where} VPN", {"RemoteAddress", "ProviderType"})
    return {
        "vpn_type": "ssl",
        "provider_bundle_id": reader.value(payload, "VPNSubType", str, where),
        # Absent, Apple's per-app VPN default is app-proxy.
        "provider_type": reader.value(tunnel, "ProviderType", str, where) or "app-proxy",
    }


def _apps_from(description: Any) -> tuple[str, ...] | None:
    """The apps named by :func:`_apps_sentence`; None (the default app) when another tool wrote it."""
    found = _APPS_SENTENCE.match(description) if isinstance(description, str) else None
    return tuple(found.group("apps").split(", ")) if found else None


_READERS = {
    PASSCODE: ("passcode", _read_passcode),
    RESTRICTIONS: ("restrictions", _read_restrictions),
    PER_APP_VPN: ("per_app_vpn", _read_vpn),
}
