# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Intune device configuration bodies (Microsoft Graph ``deviceConfiguration`` types) from a
:class:`DeviceProfile`. Building them needs no HTTP; :data:`API_VERSION` says where each goes.

Each function returns None when the description has nothing for that body. Property names and
enum values are those of Microsoft's Graph type descriptions:

- ``iosGeneralDeviceConfiguration`` (v1.0): passcode and restrictions;
- ``iosCustomConfiguration`` (v1.0): what has no native v1.0 field, the per-app VPN, as a
  .mobileconfig (the native ``iosVpnConfiguration`` is beta only). Bind the Mattermost app to it
  in the app's assignment (its VPN setting), which gives the app the payload's VPNUUID;
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
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import DeviceProfile, Passcode, ProfileError

IOS_GENERAL = "#microsoft.graph.iosGeneralDeviceConfiguration"
IOS_CUSTOM = "#microsoft.graph.iosCustomConfiguration"
ANDROID_WORK_PROFILE = "#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration"
ANDROID_FULLY_MANAGED = "#microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration"
API_VERSION = {IOS_GENERAL: "v1.0", IOS_CUSTOM: "v1.0", ANDROID_WORK_PROFILE: "v1.0", ANDROID_FULLY_MANAGED: "beta"}

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
    if profile.passcode is None and profile.restrictions is None:
        return None
    fields = _fields(profile.restrictions, _IOS_RESTRICTIONS)
    if profile.passcode is not None:
        _check_ios_length(profile.passcode)
        fields.update(passcodeRequired=True, **_fields(profile.passcode, _IOS_PASSCODE))
    return _body(IOS_GENERAL, f"{profile.name} - iOS", fields)


def intune_ios_custom(profile: DeviceProfile) -> dict[str, Any] | None:
    """``iosCustomConfiguration`` (v1.0) carrying the per-app VPN as a .mobileconfig."""
    if profile.per_app_vpn is None:
        return None
    # Same name, so the same VPNUUID as the full .mobileconfig; the rest goes natively.
    vpn_only = profile.model_copy(update={"passcode": None, "restrictions": None, "android": None})
    return _body(IOS_CUSTOM, f"{profile.name} - iOS per-app VPN", {
        "payloadName": profile.name,
        "payloadFileName": f"{_file_stem(profile.name)}.mobileconfig",
        "payload": base64.b64encode(apple.render(vpn_only)).decode("ascii"),
    })


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
    return _body(ANDROID_WORK_PROFILE, f"{profile.name} - Android work profile", {
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
    return _body(ANDROID_FULLY_MANAGED, f"{profile.name} - Android fully managed", {
        **password,
        "screenCaptureBlocked": android.block_screen_capture,
    })


def _body(odata_type: str, display_name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    # Graph treats an absent optional number as "not configured": leave unset options out.
    return {"@odata.type": odata_type, "displayName": display_name, **{k: v for k, v in fields.items() if v is not None}}


def _fields(section: Any, names: Mapping[str, str]) -> dict[str, Any]:
    """Graph field -> value, for each description option in `names` ({} without the section)."""
    return {graph: getattr(section, option) for option, graph in names.items()} if section is not None else {}


def _check_ios_length(passcode: Passcode) -> None:
    if passcode.min_length > IOS_MAX_PASSCODE_LENGTH:
        raise ProfileError([Problem("passcode.min_length", (
            f"passcode.min_length: value {passcode.min_length} is more than Intune's iOS device restrictions take "
            f"(passcodeMinimumLength: 4 to {IOS_MAX_PASSCODE_LENGTH}); lower it, or deploy the .mobileconfig instead"
        ))])


def _file_stem(name: str) -> str:
    """A file name from the profile's name: ASCII letters, digits, '.', '_' and '-'."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "mattermost-profile"
