# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the user asks of an EMM, in vendor-neutral terms, validated before anything is sent."""

from __future__ import annotations

import re
from typing import Any, Literal, Optional


from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import AppConfig, ConfigError
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import DeviceProfile, ProfileError
from ansible_collections.mattermost.emm.plugins.module_utils.third_party import (
    BaseModel,
    ConfigDict,
    ValidationError,
    field_validator,
    model_validator,
)

Platform = Literal["ios", "android"]
Enrollment = Literal["company_owned", "byod", "unenrolled"]
COMPANY_OWNED = "company_owned"
BYOD = "byod"
UNENROLLED = "unenrolled"

NOT_ENROLLED_EXPLAINED = (
    "AppConfig keys cannot reach the Mattermost app on devices that are not enrolled: the app reads "
    "only the operating system's managed configuration (iOS managed app configuration, Android managed "
    "configurations), which only enrolled devices receive. Intune's managed-apps (MAM) app configuration "
    "is delivered only to apps that read it through the Intune App SDK, and Mattermost does not. Protect "
    "unenrolled iOS devices with an app protection policy instead"
)


class SpecError(ValueError):
    """Input that cannot be planned; the message names the field, the value and what is allowed."""


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GroupTarget(_Spec):
    """A group an object is assigned to (or excluded from), by display name or id."""

    group: Optional[str] = None
    group_id: Optional[str] = None
    exclude: bool = False

    @model_validator(mode="after")
    def _one_reference(self) -> GroupTarget:
        if (self.group is None) == (self.group_id is None):
            raise ValueError("give exactly one of group (a display name) and group_id")
        return self


class AppAssignment(GroupTarget):
    intent: Literal["required", "available", "uninstall"] = "required"


class PolicyTarget(_Spec):
    """An Android Management policy the app goes into, and how (Android Management has no groups)."""

    policy: str
    intent: Literal["required", "available", "uninstall"] = "required"


class AppSpec(_Spec):
    """The Mattermost app in the EMM catalog and who gets it."""

    platforms: tuple[Platform, ...] = catalog.PLATFORMS
    app_id: str = catalog.APP_ID
    custom_build: bool = False
    ipa: Optional[str] = None
    hosted_url: Optional[str] = None
    display_name: str = "Mattermost"
    app_store_url: str = "https://apps.apple.com/app/mattermost/id1257222717"
    assignments: tuple[AppAssignment, ...] = ()
    policies: tuple[PolicyTarget, ...] = ()
    prevent_backup: Optional[bool] = None
    remove_on_unenroll: Optional[bool] = None
    removable: Optional[bool] = None
    vpn_configuration_id: Optional[str] = None
    purge_assignments: bool = False
    state: Literal["present", "absent"] = "present"

    @model_validator(mode="after")
    def _mattermost_app(self) -> AppSpec:
        if not catalog.is_known_app_id(self.app_id, self.custom_build):
            raise ValueError(f"app_id {self.app_id!r} is not allowed; allowed: {catalog.CUSTOM_BUILD_EXPLAINED}")
        if self.ipa is not None and not self.custom_build:
            raise ValueError("ipa uploads the organisation's own build: set custom_build: true and app_id to the "
                             "build's bundle id (Mattermost's own apps come from the App Store)")
        if self.hosted_url is not None and not self.custom_build:
            raise ValueError("hosted_url is where the organisation hosts its own build: set custom_build: true and "
                             "app_id to the build's bundle id (Mattermost's own apps come from the App Store)")
        return self


class AppConfigSpec(_Spec):
    """One AppConfig policy: a name, the keys, the enrollment scenarios and the groups."""

    name: str
    config: AppConfig
    enrollment: tuple[Enrollment, ...] = (COMPANY_OWNED, BYOD)
    groups: tuple[GroupTarget, ...] = ()
    policies: tuple[str, ...] = ()
    state: Literal["present", "absent"] = "present"
    intune_app_protection: bool = False

    @field_validator("enrollment")
    @classmethod
    def _enrolled_only(cls, enrollment: tuple[str, ...]) -> tuple[str, ...]:
        if UNENROLLED in enrollment:
            raise ValueError(NOT_ENROLLED_EXPLAINED)
        if not enrollment:
            raise ValueError("enrollment needs company_owned, byod, or both")
        return tuple(sorted(set(enrollment)))

    @classmethod
    def from_input(cls, item: dict[str, Any], defaults: dict[str, Any]) -> AppConfigSpec:
        """Build from one module entry; `defaults` fill what the entry leaves out."""
        merged = {**defaults, **{k: v for k, v in item.items() if v is not None}}
        if merged.get("state", "present") == "present" and not merged.get("config"):
            raise SpecError(f"{merged.get('name')}: config is required with state present")
        try:
            config = AppConfig.from_input(merged.pop("config", None) or {}, merged.pop("platforms", catalog.PLATFORMS),
                                          merged.pop("app_id", catalog.APP_ID), merged.pop("custom_build", False))
        except ConfigError as exc:
            raise SpecError(f"{merged.get('name', 'app_config')}: {exc}") from None
        return parse(cls, {**merged, "config": config})


def parse(model: type[_Spec], data: dict[str, Any]) -> Any:
    """Build a spec, turning pydantic's errors into one readable SpecError."""
    try:
        return model(**data)
    except ValidationError as exc:
        raise SpecError("; ".join(_describe(error) for error in exc.errors())) from None


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "value"
    message = error["msg"].removeprefix("Value error, ")
    shown = error.get("input")
    if isinstance(shown, (dict, list, tuple)) or shown is None:
        return f"{where}: {message}"
    return f"{where}: {message} (got {shown!r})"


SELECTORS = ("id", "serial_number", "user", "device_name")
SELECTIVE_WIPE = "selective_wipe"


class DeviceSelector(_Spec):
    """One way to name devices (or, for a selective wipe, app registrations): exactly one selector."""

    id: Optional[str] = None
    serial_number: Optional[str] = None
    user: Optional[str] = None
    device_name: Optional[str] = None

    @model_validator(mode="after")
    def _one_way(self) -> DeviceSelector:
        given = [name for name in SELECTORS if getattr(self, name)]
        if len(given) != 1:
            raise ValueError(f"name a device by exactly one of {', '.join(SELECTORS)} (got {', '.join(given) or 'none'})")
        return self

    def describe(self) -> str:
        return next(f"{name} {value!r}" for name, value in self if value)


class DeviceActionSpec(_Spec):
    """A remote action on explicitly named devices; never implied, bounded by max_devices."""

    action: Literal["wipe", "retire", "selective_wipe"]
    devices: tuple[DeviceSelector, ...]
    max_devices: int = 1
    keep_enrollment_data: bool = False
    keep_user_data: bool = False

    @field_validator("devices")
    @classmethod
    def _explicit(cls, devices: tuple[DeviceSelector, ...]) -> tuple[DeviceSelector, ...]:
        if not devices:
            raise ValueError(f"name the devices to act on (by {', '.join(SELECTORS)}); nothing is ever implied")
        return devices

    @field_validator("max_devices")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError(f"max_devices must be at least 1, got {value}")
        return value

    @model_validator(mode="after")
    def _registrations_have_no_serial_number(self) -> DeviceActionSpec:
        if self.action == SELECTIVE_WIPE and any(selector.serial_number for selector in self.devices):
            raise ValueError("selective_wipe acts on Intune app protection registrations, which carry no serial number; "
                             "name them by id (the registration id), user or device_name")
        return self


ANDROID_PROTECTS_NOTHING = (
    "the Mattermost Android app does not embed the Intune App SDK, so an Android app protection policy "
    "would protect nothing for it; protect Android with a work profile (mattermost.emm.device_profile with "
    "enrollment byod) and the app's own keys instead"
)


class DeviceProfileSpec(_Spec):
    """The device profiles Mattermost's security settings depend on, and who gets them."""

    profile: DeviceProfile
    platforms: tuple[Platform, ...] = catalog.PLATFORMS
    enrollment: tuple[Enrollment, ...] = (BYOD, COMPANY_OWNED)
    groups: tuple[GroupTarget, ...] = ()
    policies: tuple[str, ...] = ()
    state: Literal["present", "absent"] = "present"

    @field_validator("enrollment")
    @classmethod
    def _enrolled_only(cls, enrollment: tuple[str, ...]) -> tuple[str, ...]:
        if UNENROLLED in enrollment:
            raise ValueError("device profiles reach only enrolled devices; unenrolled devices get app protection")
        return tuple(sorted(set(enrollment)))

    @classmethod
    def from_input(cls, profile: dict[str, Any], **fields: Any) -> DeviceProfileSpec:
        try:
            description = DeviceProfile.from_input(profile)
        except ProfileError as exc:
            raise SpecError(str(exc)) from None
        return parse(cls, {**fields, "profile": description})


RemediationAction = Literal["block", "wipe"]
_MINUTES_PER_DAY = 24 * 60
# Intune's version format: major.minor, optionally .build and .revision.
_DOTTED_VERSION = re.compile(r"[0-9]+(\.[0-9]+){1,3}")
# Conditional launch by version, from the oldest threshold (wipe) to the newest (warn); each
# threshold must be at or below the next one.
_VERSION_LADDERS = (
    ("minimum_os_version_wipe", "minimum_os_version", "minimum_os_version_warning"),
    ("minimum_app_version_wipe", "minimum_app_version", "minimum_app_version_warning"),
)


class AppProtectionSpec(_Spec):
    """An Intune app protection policy for the Mattermost iOS app (one per app id)."""

    name: str
    app_ids: tuple[str, ...] = (catalog.APP_ID,)
    custom_build: bool = False
    platforms: tuple[Platform, ...] = (catalog.IOS,)
    prevent_backup: bool = True
    encryption: Literal["useDeviceSettings", "afterDeviceRestart", "whenDeviceLockedExceptOpenFiles",
                        "whenDeviceLocked"] = "whenDeviceLocked"
    pin_required: bool = True
    minimum_pin_length: int = 6
    max_pin_retries: int = 5
    max_pin_retries_action: Literal["reset_pin", "wipe"] = "reset_pin"
    clipboard: Literal["allApps", "managedAppsWithPasteIn", "managedApps", "blocked"] = "managedAppsWithPasteIn"
    minimum_os_version: Optional[str] = None
    minimum_os_version_warning: Optional[str] = None
    minimum_os_version_wipe: Optional[str] = None
    minimum_app_version: Optional[str] = None
    minimum_app_version_warning: Optional[str] = None
    minimum_app_version_wipe: Optional[str] = None
    offline_block_minutes: Optional[int] = None
    offline_wipe_days: int = 90
    jailbroken_action: Optional[RemediationAction] = None
    disabled_account_action: Optional[RemediationAction] = None
    groups: tuple[GroupTarget, ...] = ()
    state: Literal["present", "absent"] = "present"

    @field_validator("platforms")
    @classmethod
    def _ios_only(cls, platforms: tuple[str, ...]) -> tuple[str, ...]:
        if catalog.ANDROID in platforms:
            raise ValueError(ANDROID_PROTECTS_NOTHING)
        return platforms

    @model_validator(mode="after")
    def _mattermost_apps(self) -> AppProtectionSpec:
        refused = [app_id for app_id in self.app_ids if not catalog.is_known_app_id(app_id, self.custom_build)]
        if refused:
            raise ValueError(f"app_ids {refused[0]!r} is not allowed; allowed: {catalog.CUSTOM_BUILD_EXPLAINED}")
        return self

    @field_validator("minimum_pin_length", "max_pin_retries", "offline_wipe_days", "offline_block_minutes")
    @classmethod
    def _positive(cls, value: Optional[int]) -> Optional[int]:
        if value is not None and value < 1:
            raise ValueError(f"must be at least 1, got {value}")
        return value

    @field_validator(*(name for names in _VERSION_LADDERS for name in names))
    @classmethod
    def _dotted_version(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not _DOTTED_VERSION.fullmatch(value):
            raise ValueError("must be a version such as 16.4 or 2.20.1: 2 to 4 numbers separated by dots")
        return value

    @model_validator(mode="after")
    def _versions_in_order(self) -> AppProtectionSpec:
        for ladder in _VERSION_LADDERS:
            given = [(name, getattr(self, name)) for name in ladder if getattr(self, name) is not None]
            for (lower, low), (higher, high) in zip(given, given[1:]):
                if _version_key(low) > _version_key(high):
                    raise ValueError(f"{lower} {low!r} is above {higher} {high!r}; allowed: {' <= '.join(ladder)}")
        return self

    @model_validator(mode="after")
    def _offline_block_before_wipe(self) -> AppProtectionSpec:
        wipe_minutes = self.offline_wipe_days * _MINUTES_PER_DAY
        if self.offline_block_minutes is not None and self.offline_block_minutes >= wipe_minutes:
            raise ValueError(f"offline_block_minutes {self.offline_block_minutes} must be less than offline_wipe_days "
                             f"in minutes ({self.offline_wipe_days} days = {wipe_minutes} minutes): access is blocked "
                             "before the data is wiped")
        return self


def _version_key(version: str) -> tuple[int, ...]:
    """Compares numerically and ignores trailing zeros: 16.4 == 16.4.0 < 16.10."""
    numbers = [int(part) for part in version.split(".")]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)
