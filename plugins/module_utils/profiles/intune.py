# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Intune device configuration bodies (Microsoft Graph ``deviceConfiguration`` types) from a
:class:`DeviceProfile`. Building them needs no HTTP; :data:`API_VERSION` says where each goes.

Each function returns None when the description has nothing for that body. Property names and
enum values are those of Microsoft's Graph type descriptions:

- ``iosGeneralDeviceConfiguration`` (v1.0): passcode and restrictions;
- ``iosCustomConfiguration`` (v1.0): the passcode policy as a generated .mobileconfig, only when
  Intune's native passcode settings cannot hold it (a minimum length above 14);
- ``iosikEv2VpnConfiguration`` or ``iosVpnConfiguration`` (beta only) with ``enablePerApp``:
  the per-app VPN. Intune binds an app to it only through the app's assignment
  (``vpnConfigurationId``), which takes a native VPN profile, not a custom one;
- ``androidWorkProfileGeneralDeviceConfiguration`` (v1.0): the work profile's own password,
  screen capture and cross-profile copy and paste;
- ``androidDeviceOwnerGeneralDeviceConfiguration`` (beta only): fully managed devices.

Display names end in the platform and enrolment, so each body has its own identity within
``/deviceManagement/deviceConfigurations``; the provider adds its ownership marker.
"""

from __future__ import annotations

import base64
import re
from typing import Any, Mapping

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import Problem
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import apple
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import DeviceProfile, ProfileError

IOS_GENERAL = "#microsoft.graph.iosGeneralDeviceConfiguration"
IOS_CUSTOM = "#microsoft.graph.iosCustomConfiguration"
IOS_VPN = "#microsoft.graph.iosVpnConfiguration"
IOS_IKEV2_VPN = "#microsoft.graph.iosikEv2VpnConfiguration"
ANDROID_WORK_PROFILE = "#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration"
ANDROID_FULLY_MANAGED = "#microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration"
API_VERSION = {IOS_GENERAL: "v1.0", IOS_CUSTOM: "v1.0", IOS_VPN: "beta", IOS_IKEV2_VPN: "beta", ANDROID_WORK_PROFILE: "v1.0",
               ANDROID_FULLY_MANAGED: "beta"}
# Display names are the profile's name and one of these: each body's identity.
IOS_SUFFIX = " - iOS"
CUSTOM_PASSCODE_SUFFIX = " - iOS passcode"
PER_APP_VPN_SUFFIX = " - iOS per-app VPN"
WORK_PROFILE_SUFFIX = " - Android work profile"
FULLY_MANAGED_SUFFIX = " - Android fully managed"
IOS_SUFFIXES = (IOS_SUFFIX, CUSTOM_PASSCODE_SUFFIX, PER_APP_VPN_SUFFIX)
# A vendor's VPN app is Intune's connection type customVpn; its tunnel kind in Graph's words.
_PROVIDER_TYPE = {"packet-tunnel": "packetTunnel", "app-proxy": "appProxy"}

# Intune's passcodeMinimumLength takes 4 to 14, where Apple's minLength goes to 16.
IOS_MAX_PASSCODE_LENGTH = 14

# passcodeRequiredType (requiredPasswordType) uses the description's own words: numeric, alphanumeric.
_IOS_PASSCODE = {
    "min_length": "passcodeMinimumLength",
    "complexity": "passcodeRequiredType",
    "min_complex_chars": "passcodeMinimumCharacterSetCount",
    # Apple's maxInactivity is the auto-lock delay: Intune's "minutes of inactivity until the
    # screen locks". passcodeMinutesOfInactivityBeforeLock is the grace period after locking.
    "auto_lock_minutes": "passcodeMinutesOfInactivityBeforeScreenTimeout",
    "max_failed_attempts": "passcodeSignInFailureCountBeforeWipe",
    "max_age_days": "passcodeExpirationDays",
}
_IOS_RESTRICTIONS = {
    "block_screenshots": "screenCaptureBlocked",
    "managed_open_in_only": "documentsBlockManagedDocumentsInUnmanagedApps",
    "block_cloud_backup": "iCloudBlockBackup",
}
# androidWorkProfileRequiredPasswordType and androidDeviceOwnerRequiredPasswordType; None is
# "a password of any kind", for a description that sets only failed attempts.
_WORK_PROFILE_PASSWORD = {
    None: "required", "numeric": "atLeastNumeric", "numeric_complex": "numericComplex",
    "alphabetic": "atLeastAlphabetic", "alphanumeric": "atLeastAlphanumeric", "complex": "alphanumericWithSymbols",
}
_DEVICE_OWNER_PASSWORD = {
    None: "required", "numeric": "numeric", "numeric_complex": "numericComplex",
    "alphabetic": "alphabetic", "alphanumeric": "alphanumeric", "complex": "alphanumericWithSymbols",
}


def intune_ios_general(profile: DeviceProfile) -> dict[str, Any] | None:
    """``iosGeneralDeviceConfiguration`` (v1.0) for the passcode and restrictions."""
    passcode = profile.passcode if _native_passcode(profile) else None
    if passcode is None and profile.restrictions is None:
        return None
    fields = _fields(profile.restrictions, _IOS_RESTRICTIONS)
    if passcode is not None:
        fields.update(passcodeRequired=True, **_fields(passcode, _IOS_PASSCODE))
    return _body(IOS_GENERAL, profile.name + IOS_SUFFIX, fields)


def intune_ios_custom_passcode(profile: DeviceProfile) -> dict[str, Any] | None:
    """``iosCustomConfiguration`` (v1.0) carrying the passcode policy as a .mobileconfig, for a
    policy Intune's native passcode settings cannot hold. It has its own name, so its UUIDs
    differ from those of the profile's full .mobileconfig."""
    if profile.passcode is None or _native_passcode(profile):
        return None
    name = profile.name + CUSTOM_PASSCODE_SUFFIX
    passcode_only = DeviceProfile(name=name, organization=profile.organization, passcode=profile.passcode)
    return _body(IOS_CUSTOM, name, {
        "payloadName": name,
        "payloadFileName": f"{_file_stem(name)}.mobileconfig",
        "payload": base64.b64encode(apple.render(passcode_only)).decode("ascii"),
    })


def _native_passcode(profile: DeviceProfile) -> bool:
    return profile.passcode is not None and profile.passcode.min_length <= IOS_MAX_PASSCODE_LENGTH


def per_app_vpn_name(profile_name: str) -> str:
    """The display name of a profile's per-app VPN: the object an app assignment binds to."""
    return profile_name + PER_APP_VPN_SUFFIX


def intune_ios_vpn(profile: DeviceProfile) -> dict[str, Any] | None:
    """The per-app VPN as Intune's native VPN profile (beta only).

    Intune chooses the IKEv2 client identifier itself (device FQDN, certificate subject or none),
    so ``local_identifier`` reaches devices only through the .mobileconfig.
    """
    vpn = profile.per_app_vpn
    if vpn is None:
        return None
    if not vpn.on_demand:
        raise ProfileError([Problem("per_app_vpn.on_demand", (
            "per_app_vpn.on_demand: value False cannot be expressed in Intune, whose per-app VPN always connects "
            "when a bound app opens a connection; keep it true, or deploy the .mobileconfig instead"
        ))])
    common = {
        "connectionName": vpn.connection_name,
        "server": {"address": vpn.server, "description": vpn.connection_name, "isDefaultServer": True},
        "enablePerApp": True,
        "enableSplitTunneling": False,  # only the bound apps' traffic enters a per-app tunnel anyway
        "authenticationMethod": "usernameAndPassword",
    }
    if vpn.vpn_type == "ikev2":
        return _body(IOS_IKEV2_VPN, per_app_vpn_name(profile.name), {
            **common, "connectionType": "ikEv2", "clientAuthenticationType": "userAuthentication",
            "enableEAP": True, "remoteIdentifier": vpn.remote_identifier,
        })
    return _body(IOS_VPN, per_app_vpn_name(profile.name), {
        **common, "connectionType": "customVpn", "identifier": vpn.provider_bundle_id,
        "providerType": _PROVIDER_TYPE[vpn.provider_type],
    })


def ios_mobileconfig(profile: DeviceProfile) -> bytes | None:
    """The profile's iOS settings as one .mobileconfig, for review or for an EMM without these
    native types (None without iOS settings). Its file name is :func:`mobileconfig_file_name`."""
    if profile.passcode is None and profile.restrictions is None and profile.per_app_vpn is None:
        return None
    return apple.render(profile)


def mobileconfig_file_name(profile: DeviceProfile) -> str:
    return f"{_file_stem(profile.name)}.mobileconfig"


def intune_work_profile(profile: DeviceProfile) -> dict[str, Any] | None:
    """``androidWorkProfileGeneralDeviceConfiguration`` (v1.0): the work profile's own lock."""
    android = profile.android
    if android is None:
        return None
    password = {
        "workProfileRequirePassword": True,
        "workProfilePasswordRequiredType": _WORK_PROFILE_PASSWORD[android.password_quality],
        "workProfilePasswordMinimumLength": android.password_min_length,
        "workProfilePasswordSignInFailureCountBeforeFactoryReset": android.max_failed_attempts,
    } if android.requires_password else {}
    return _body(ANDROID_WORK_PROFILE, profile.name + WORK_PROFILE_SUFFIX, {
        **password,
        "workProfileBlockScreenCapture": android.block_screen_capture,
        "workProfileBlockCrossProfileCopyPaste": android.block_cross_profile_copy_paste,
    })


def intune_fully_managed(profile: DeviceProfile) -> dict[str, Any] | None:
    """``androidDeviceOwnerGeneralDeviceConfiguration`` (beta only): the device's lock."""
    android = profile.android
    if android is None:
        return None
    password = {
        "passwordRequiredType": _DEVICE_OWNER_PASSWORD[android.password_quality],
        "passwordMinimumLength": android.password_min_length,
        "passwordSignInFailureCountBeforeFactoryReset": android.max_failed_attempts,
    } if android.requires_password else {}
    return _body(ANDROID_FULLY_MANAGED, profile.name + FULLY_MANAGED_SUFFIX, {
        **password,
        "screenCaptureBlocked": android.block_screen_capture,
    })


def _body(odata_type: str, display_name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    # Graph treats an absent optional number as "not configured": leave unset options out.
    return {"@odata.type": odata_type, "displayName": display_name, **{k: v for k, v in fields.items() if v is not None}}


def _fields(section: Any, names: Mapping[str, str]) -> dict[str, Any]:
    """Graph field -> value, for each description option in `names` ({} without the section)."""
    return {graph: getattr(section, option) for option, graph in names.items()} if section is not None else {}


def _file_stem(name: str) -> str:
    """A file name from the profile's name: ASCII letters, digits, '.', '_' and '-'."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "mattermost-profile"
