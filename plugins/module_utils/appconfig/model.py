# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One desired Mattermost configuration, normalised to exactly what the app reads.

People write YAML naturally (``inAppPinCode: true``, ``timeout: 15000``); the app compares
strings, so every value is stored as the string the app expects (``"true"``, ``"15000"``).
Shape errors (unknown keys, values of the wrong kind) are raised here; judgement calls
(a suspiciously short timeout, a plain-http URL) are findings of the validator.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Mapping, NamedTuple


from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.third_party import (
    BaseModel,
    ConfigDict,
    PydanticCustomError,
    ValidationError,
    field_validator,
)

Platform = Literal["ios", "android"]


# Characters no XML document (specfile, plist) can carry.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# A whole number as the app parses it: ASCII digits only (str.isdigit() also takes "²" and "１").
_DIGITS = re.compile("[0-9]+")


class Problem(NamedTuple):
    """One fault in user input: the option or key it concerns, and a sentence about it."""

    key: str | None
    message: str


class ConfigError(ValueError):
    """A desired configuration that cannot be rendered."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def _unknown_key_message(name: str) -> str:
    fix = catalog.correction(name)
    if fix and fix[1] == "misspelled":
        return f"key {name!r} is not read by the Mattermost app; the app reads {fix[0]!r}"
    if fix:
        return f"unknown key {name!r}; did you mean {fix[0]!r}?"
    return f"unknown key {name!r}; known keys: {', '.join(catalog.BY_NAME)}"


def normalise_value(key: catalog.Key, value: Any) -> str:
    """The string the app reads for `value`, or ValueError naming the key, value and what is allowed."""
    if key.kind == catalog.SWITCH:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and value.strip().lower() in catalog.SWITCH_VALUES:
            return value.strip().lower()
    elif key.kind == catalog.MILLISECONDS:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return str(value)
        if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
            return str(int(value))
    elif isinstance(value, str):
        if _XML_INVALID.search(value):
            raise ValueError(
                f"key {key.name!r}: value {value!r} contains control characters that no "
                "configuration document can carry"
            )
        return value
    elif key.kind == catalog.TEXT and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"key {key.name!r}: value {value!r} is not allowed; expected {key.allowed_text()}")


class AppConfig(BaseModel):
    """What one organisation wants the Mattermost app to read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    settings: dict[str, str]
    platforms: tuple[Platform, ...] = catalog.PLATFORMS
    # The app is the organisation's own Mattermost build, under its own app id (checked before app_id).
    custom_build: bool = False
    app_id: str = catalog.APP_ID

    @field_validator("settings", mode="before")
    @classmethod
    def _normalise_settings(cls, raw: Any) -> dict[str, str]:
        if not isinstance(raw, Mapping):
            raise ValueError(f"config must be a mapping of key to value, got {type(raw).__name__}")
        problems = []
        settings = {}
        for name, value in raw.items():
            key = catalog.lookup(str(name))
            if key is None:
                problems.append(Problem(str(name), _unknown_key_message(str(name))))
                continue
            try:
                settings[key.name] = normalise_value(key, value)
            except ValueError as exc:
                problems.append(Problem(key.name, str(exc)))
        if problems:
            summary = "; ".join(problem.message for problem in problems)
            raise PydanticCustomError("config_keys", "{summary}", {"summary": summary, "problems": problems})
        return {key.name: settings[key.name] for key in catalog.KEYS if key.name in settings}

    @field_validator("platforms", mode="after")
    @classmethod
    def _distinct_platforms(cls, platforms: tuple[str, ...]) -> tuple[str, ...]:
        if not platforms:
            raise ValueError(f"at least one platform is needed; allowed: {', '.join(catalog.PLATFORMS)}")
        return tuple(p for p in catalog.PLATFORMS if p in platforms)

    @field_validator("app_id", mode="after")
    @classmethod
    def _mattermost_app(cls, app_id: str, info: Any) -> str:
        if not catalog.is_known_app_id(app_id, bool(info.data.get("custom_build"))):
            message = f"app_id {app_id!r} is not allowed; allowed: {catalog.CUSTOM_BUILD_EXPLAINED}"
            raise PydanticCustomError("app_id", "{message}", {"message": message})
        return app_id

    @classmethod
    def from_input(
        cls,
        config: Any,
        platforms: Any = catalog.PLATFORMS,
        app_id: Any = catalog.APP_ID,
        custom_build: bool = False,
    ) -> AppConfig:
        """Build from user input, raising ConfigError with readable problems."""
        try:
            return cls(settings=config, platforms=platforms, app_id=app_id, custom_build=custom_build)
        except ValidationError as exc:
            raise ConfigError([problem for error in exc.errors() for problem in _describe(error)]) from None

    def for_platform(self, platform: str) -> dict[str, str]:
        """The settings the app reads on one platform (platform-only keys left out)."""
        return {
            name: value
            for name, value in self.settings.items()
            if platform in catalog.BY_NAME[name].platforms
        }


def _describe(error: Mapping[str, Any]) -> list[Problem]:
    """One pydantic error as problems naming the option, the value and what is allowed."""
    if error["type"] == "config_keys":
        return list(error["ctx"]["problems"])
    if error["type"] == "app_id":
        return [Problem("app_id", error["msg"])]
    option = {"settings": "config"}.get(str(error["loc"][0]), str(error["loc"][0]))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "literal_error":
        return [Problem(option, f"{option}: value {error['input']!r} is not allowed; {message.lower()}")]
    return [Problem(option, f"{option}: {message} (got {error['input']!r})")]
