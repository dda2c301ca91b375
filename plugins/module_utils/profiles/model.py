# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One device profile: the device settings the Mattermost app's security depends on.

The description is platform-neutral where the platforms agree (passcode, screenshots) and
keeps each platform's own limits where they do not: Apple's passcode policy ranges, Android's
password qualities. A switch left ``false`` means "not enforced": the platform's default stays.
Bad input raises :class:`ProfileError`, whose problems name the option, the value and what
is allowed.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, ClassVar, Literal, Mapping, Optional, Tuple, get_args

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.catalog import APP_ID
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import Problem
from ansible_collections.mattermost.emm.plugins.module_utils.third_party import (
    BaseModel,
    ConfigDict,
    PydanticCustomError,
    ValidationError,
    field_validator,
    model_validator,
)

Complexity = Literal["numeric", "alphanumeric"]
AutoLockMinutes = Literal[1, 2, 3, 4, 5, 10, 15]  # iPhone offers 1-5, iPad 2, 5, 10 and 15
VpnType = Literal["ikev2", "ssl"]
ProviderType = Literal["packet-tunnel", "app-proxy"]
PasswordQuality = Literal["numeric", "numeric_complex", "alphabetic", "alphanumeric", "complex"]

# Labels end up in plists, Graph bodies and consoles: one line of printable text. (XML cannot
# carry most control characters, and it turns a carriage return into a line feed.)
_NOT_LABEL = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_BUNDLE_ID = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class ProfileError(ValueError):
    """A device profile description that cannot be rendered or read."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def _is_bundle_id(text: str) -> bool:
    """Whether `text` is an app identifier such as ``com.mattermost.rn``."""
    return bool(_BUNDLE_ID.fullmatch(text))


def _rule(option: str, message: str) -> PydanticCustomError:
    """A broken rule across options, reported against `option` (a dotted path)."""
    return PydanticCustomError("profile_rule", "{message}", {"option": option, "message": f"{option}: {message}"})


def _is_host(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        labels = text.removesuffix(".").split(".")
        return len(text) <= 253 and all(_HOST_LABEL.fullmatch(label) for label in labels)


class _Section(BaseModel):
    """Shared rules: immutable, no unknown options, numbers within ``ranges``, one-line labels."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    ranges: ClassVar[dict[str, tuple[int, int]]] = {}

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_numbers(cls, value: Any, info) -> Any:
        # Python counts True as 1, so `min_length: true` would otherwise pass as 1.
        annotation = cls.model_fields[info.field_name].annotation
        if isinstance(value, bool) and bool not in (annotation, *get_args(annotation)):
            raise ValueError("expected a number or text, not a boolean")
        return value

    @field_validator("*")
    @classmethod
    def _within_limits(cls, value: Any, info) -> Any:
        bounds = cls.ranges.get(info.field_name)
        if bounds and value is not None and not bounds[0] <= value <= bounds[1]:
            raise ValueError(f"expected a whole number from {bounds[0]} to {bounds[1]}")
        if isinstance(value, str) and (not value.strip() or _NOT_LABEL.search(value)):
            raise ValueError("expected one line of text, not blank and without control characters")
        return value


class Passcode(_Section):
    """Apple's passcode policy (com.apple.mobiledevice.passwordpolicy); a passcode is always required."""

    ranges: ClassVar[dict[str, tuple[int, int]]] = {
        "min_length": (4, 16), "min_complex_chars": (0, 4), "max_failed_attempts": (2, 11), "max_age_days": (1, 730),
    }

    min_length: int = 6
    complexity: Complexity = "numeric"
    min_complex_chars: Optional[int] = None
    auto_lock_minutes: Optional[AutoLockMinutes] = None
    max_failed_attempts: Optional[int] = None  # iOS wipes the device after this many
    max_age_days: Optional[int] = None

    @model_validator(mode="after")
    def _complex_chars_need_letters(self) -> Passcode:
        if self.min_complex_chars and self.complexity != "alphanumeric":
            raise _rule(
                "passcode.min_complex_chars",
                f"value {self.min_complex_chars} needs complexity 'alphanumeric' (got {self.complexity!r}); "
                "a numeric passcode has no symbols",
            )
        return self


class Restrictions(_Section):
    """Device restrictions (com.apple.applicationaccess) that keep Mattermost's data in place."""

    block_screenshots: bool = False
    managed_open_in_only: bool = False  # documents from managed apps open only in managed apps
    block_cloud_backup: bool = False  # supervised devices only, since iOS 13


class PerAppVpn(_Section):
    """An iOS per-app VPN that the Mattermost app is bound to.

    ``ikev2`` uses the built-in IKEv2 client with EAP (the user signs in); ``ssl`` uses a vendor's
    VPN app, named by ``provider_bundle_id``.
    """

    connection_name: str
    server: str
    vpn_type: VpnType
    app_bundle_ids: Tuple[str, ...] = (APP_ID,)
    on_demand: bool = True
    local_identifier: Optional[str] = None  # IKEv2: required by Apple
    remote_identifier: Optional[str] = None  # IKEv2: defaults to the server
    provider_bundle_id: Optional[str] = None  # ssl: the vendor VPN app (VPNSubType)
    provider_type: Optional[ProviderType] = None  # ssl: defaults to packet-tunnel

    @field_validator("server")
    @classmethod
    def _host(cls, server: str) -> str:
        if not _is_host(server):
            raise ValueError("expected a host name or IP address, without scheme, port or path")
        return server

    @field_validator("app_bundle_ids")
    @classmethod
    def _apps(cls, apps: tuple[str, ...]) -> tuple[str, ...]:
        if not apps:
            raise ValueError(f"expected at least one app, such as {APP_ID!r}")
        for app in apps:
            if not _is_bundle_id(app):
                raise ValueError(f"{app!r} is not an app identifier such as {APP_ID!r}")
        if len(set(apps)) != len(apps):
            raise ValueError("each app may appear once")
        return apps

    @field_validator("provider_bundle_id")
    @classmethod
    def _provider(cls, provider: Optional[str]) -> Optional[str]:
        if provider is not None and not _is_bundle_id(provider):
            raise ValueError("expected the VPN app's bundle identifier, such as 'com.example.vpn'")
        return provider

    @model_validator(mode="before")
    @classmethod
    def _type_defaults(cls, raw: Any) -> Any:
        # Settled here, so that a rendered profile reads back as the very same description.
        if not isinstance(raw, Mapping):
            return raw
        if raw.get("vpn_type") == "ikev2" and raw.get("remote_identifier") is None:
            return {**raw, "remote_identifier": raw.get("server")}
        if raw.get("vpn_type") == "ssl" and raw.get("provider_type") is None:
            return {**raw, "provider_type": "packet-tunnel"}
        return raw

    @model_validator(mode="after")
    def _options_of_the_vpn_type(self) -> PerAppVpn:
        own = _VPN_OPTIONS[self.vpn_type]
        for name in (name for names in _VPN_OPTIONS.values() for name in names if name not in own):
            if getattr(self, name) is not None:
                raise _rule(f"per_app_vpn.{name}", f"not used with vpn_type {self.vpn_type!r}, which takes {' and '.join(own)}")
        for name in own:
            if getattr(self, name) is None:
                raise _rule(f"per_app_vpn.{name}", f"required with vpn_type {self.vpn_type!r}")
        return self


_VPN_OPTIONS = {"ikev2": ("local_identifier", "remote_identifier"), "ssl": ("provider_bundle_id", "provider_type")}


class AndroidPolicy(_Section):
    """Android Enterprise settings, for work profiles and fully managed devices alike."""

    # Intune takes 4..11 failed attempts on fully managed devices (1..16 in work profiles).
    ranges: ClassVar[dict[str, tuple[int, int]]] = {"password_min_length": (4, 16), "max_failed_attempts": (4, 11)}

    password_min_length: Optional[int] = None
    password_quality: Optional[PasswordQuality] = None
    block_screen_capture: bool = False
    block_cross_profile_copy_paste: bool = False  # work profile to personal apps
    max_failed_attempts: Optional[int] = None  # wipes the work profile, or the fully managed device

    @model_validator(mode="after")
    def _length_needs_quality(self) -> AndroidPolicy:
        if self.password_min_length is not None and self.password_quality is None:
            raise _rule(
                "android.password_quality",
                f"required with password_min_length; Android enforces a minimum length only with one of "
                f"{', '.join(get_args(PasswordQuality))}",
            )
        return self

    @property
    def requires_password(self) -> bool:
        return any(value is not None for value in (self.password_min_length, self.password_quality, self.max_failed_attempts))


class DeviceProfile(_Section):
    """The device settings for Mattermost in one organisation; `name` is the profile's identity."""

    name: str
    organization: str = "Mattermost"
    passcode: Optional[Passcode] = None
    restrictions: Optional[Restrictions] = None
    per_app_vpn: Optional[PerAppVpn] = None
    android: Optional[AndroidPolicy] = None

    @classmethod
    def from_input(cls, raw: Any) -> DeviceProfile:
        """Build from user input, raising ProfileError with one readable problem per fault."""
        if not isinstance(raw, Mapping):
            raise ProfileError([Problem(None, f"a device profile must be a mapping of options, got {type(raw).__name__}")])
        try:
            return cls.model_validate(dict(raw))
        except ValidationError as exc:
            raise ProfileError([_describe(error) for error in exc.errors()]) from None


def _describe(error: Mapping[str, Any]) -> Problem:
    """One pydantic error as a problem naming the option, the value and what is allowed."""
    path = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "profile_rule":
        return Problem(error["ctx"]["option"], message)
    if error["type"] == "missing":
        return Problem(path, f"{path}: required")
    if error["type"] == "extra_forbidden":
        return Problem(path, f"{path}: unknown option; allowed: {', '.join(_options_at(error['loc'][:-1]))}")
    message = message.replace("Input should be", "expected")
    return Problem(path, f"{path}: value {error['input']!r} is not allowed; {message}")


def _options_at(location: tuple) -> list[str]:
    model: type[BaseModel] = DeviceProfile
    for name in location:
        annotation = model.model_fields[name].annotation
        model = next(arg for arg in (annotation, *get_args(annotation)) if isinstance(arg, type) and issubclass(arg, BaseModel))
    return list(model.model_fields)
