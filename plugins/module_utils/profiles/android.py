# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Android Enterprise settings from a :class:`DeviceProfile`, as policy fragments.

Field names and values are those of Android Enterprise's own policy (the Android Management
API ``Policy``: ``passwordPolicies[]`` with ``passwordScope``, ``passwordMinimumLength``,
``passwordQuality``, ``maximumFailedPasswordsForWipe``; ``screenCaptureDisabled``;
``crossProfilePolicies.crossProfileCopyPaste``), so a fragment merges into such a policy as it
is and maps one to one onto other vendors' fields. Only what the description enforces is set:
everything else keeps the platform's default.

Work profile and fully managed devices differ in the password's scope (the work profile's
own lock, or the device's) and in cross-profile copy and paste, which only a work profile has.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import AndroidPolicy, DeviceProfile

WORK_PROFILE_SCOPE = "SCOPE_PROFILE"
DEVICE_SCOPE = "SCOPE_DEVICE"

# None: a password of any kind, for a description that sets only failed attempts.
PASSWORD_QUALITY = {
    None: "SOMETHING",
    "numeric": "NUMERIC",
    "numeric_complex": "NUMERIC_COMPLEX",
    "alphabetic": "ALPHABETIC",
    "alphanumeric": "ALPHANUMERIC",
    "complex": "COMPLEX",
}
# Android's default already blocks pasting work data into personal apps; say so explicitly.
NO_COPY_TO_PERSONAL = "COPY_FROM_WORK_TO_PERSONAL_DISALLOWED"


def work_profile_settings(profile: DeviceProfile) -> dict[str, Any]:
    """The policy fragment for a work profile (personally owned devices); {} without Android settings."""
    settings = _settings(profile.android, WORK_PROFILE_SCOPE)
    if profile.android is not None and profile.android.block_cross_profile_copy_paste:
        settings["crossProfilePolicies"] = {"crossProfileCopyPaste": NO_COPY_TO_PERSONAL}
    return settings


def fully_managed_settings(profile: DeviceProfile) -> dict[str, Any]:
    """The policy fragment for a fully managed (company-owned) device; {} without Android settings."""
    return _settings(profile.android, DEVICE_SCOPE)


def _settings(android: AndroidPolicy | None, scope: str) -> dict[str, Any]:
    if android is None:
        return {}
    settings: dict[str, Any] = {}
    if android.requires_password:
        settings["passwordPolicies"] = [_password_policy(android, scope)]
    if android.block_screen_capture:
        settings["screenCaptureDisabled"] = True
    return settings


def _password_policy(android: AndroidPolicy, scope: str) -> dict[str, Any]:
    policy = {
        "passwordScope": scope,
        "passwordQuality": PASSWORD_QUALITY[android.password_quality],
        "passwordMinimumLength": android.password_min_length,
        "maximumFailedPasswordsForWipe": android.max_failed_attempts,
    }
    return {name: value for name, value in policy.items() if value is not None}
