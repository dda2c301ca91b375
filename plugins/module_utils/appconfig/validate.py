# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validation: what the Mattermost app will really make of a document or a desired configuration.

Documents in every format reduce to entries (key, value, type, line); one set of checks then
judges them, so a typed boolean is caught the same way in a plist, a specfile or Play JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog, findings, formats
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import ERROR, INFO, WARNING, Entry, Finding, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import AppConfig, ConfigError
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.variables import find_variable

# Below this a timeout was almost certainly written in seconds.
MIN_SENSIBLE_MILLISECONDS = 1000


@dataclass
class Report:
    """The findings about one document or configuration."""

    findings: list[Finding] = field(default_factory=list)
    format: str | None = None
    app_id: str | None = None
    config: AppConfig | None = None  # the normalised configuration, when one was validated

    @property
    def counts(self) -> dict[str, int]:
        return findings.count(self.findings)

    def failed(self, strict: bool = False) -> bool:
        """Errors fail; with `strict`, warnings fail too."""
        counts = self.counts
        return bool(counts[ERROR] or (strict and counts[WARNING]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "app_id": self.app_id,
            "findings": [finding.as_dict() for finding in self.findings],
            "counts": self.counts,
        }


def validate_document(document: str | bytes, fmt: str | None = None, platforms: Any = None,
                      custom_app_ids: Any = ()) -> Report:
    """Findings about a document in any format read (detected when `fmt` is None).

    Every configuration in it is judged on its own, and all findings come at once: a grammar error
    in one place never hides a warning elsewhere. A document for one of `custom_app_ids` (the
    organisation's own Mattermost builds) is checked as a Mattermost document."""
    try:
        parsed = formats.parse(document, fmt)
    except ValueError as exc:
        return Report([Finding(ERROR, "unknown-format", str(exc))])
    report = Report(list(parsed.findings), parsed.format, parsed.app_id)
    if not parsed.parts:
        report.findings.extend(_judge(parsed, parsed.format, platforms, custom_app_ids))
        return report
    for part in parsed.parts:
        report.findings.extend(_stamped(part, part.findings + _judge(part, parsed.format, platforms, custom_app_ids)))
    app_ids = {part.app_id for part in parsed.parts}
    report.app_id = app_ids.pop() if len(app_ids) == 1 else None
    return report


def _judge(part: ParsedDocument, fmt: str, platforms: Any, custom_app_ids: Any = ()) -> list[Finding]:
    """The checks of one configuration, for whichever app it is."""
    targets = tuple(platforms) if platforms else _platforms_of(fmt, part.platform)
    result = []
    app_id = part.app_id
    if app_id is not None and app_id not in catalog.APP_IDS and app_id not in tuple(custom_app_ids or ()):
        meant = catalog.meant_app_id(app_id)
        if meant is None:
            return [Finding(INFO, "other-app",
                            f"the document configures {app_id!r}, not the Mattermost app; only its grammar was checked",
                            line=part.app_id_line)]
        result.append(Finding(WARNING, "app-id-near-miss",
                              f"the document configures {app_id!r}, which is not a Mattermost app id: the Mattermost app "
                              "never receives this configuration", hint=f"did you mean {meant!r}?", line=part.app_id_line))
    elif app_id is None and fmt in formats.EXPORTS and part.entries and not catalog.reads_any(e.key for e in part.entries):
        return [Finding(INFO, "other-app", "none of its keys is one the Mattermost app reads: it configures another "
                                           "app; only its grammar was checked")]
    result.extend(check_entries(part.entries, targets))
    result.extend(_platform_notes(part.entries, targets))
    return result


def _platform_notes(entries: list[Entry], platforms: tuple[str, ...]) -> list[Finding]:
    """An info for each key that some of the platforms a document serves ignore."""
    if len(platforms) < 2:
        return []
    result, seen = [], set()
    for entry in entries:
        key = catalog.lookup(entry.key)
        ignoring = [p for p in platforms if key is not None and p not in key.platforms]
        if ignoring and key.platforms and entry.key not in seen:
            seen.add(entry.key)
            result.append(Finding(
                INFO, "platform-only-key",
                f"{key.name} is read only by the {' and '.join(map(_SHOWN.get, key.platforms))} app; "
                f"{' and '.join(map(_SHOWN.get, ignoring))} ignores it",
                key=key.name, line=entry.line))
    return result


_SHOWN = {catalog.IOS: "iOS", catalog.ANDROID: "Android"}


def _stamped(part: ParsedDocument, found: list[Finding]) -> list[Finding]:
    """Findings with the object they concern and where in the document, for exports."""
    locations = {(entry.key, entry.line): entry.location for entry in part.entries}
    return [replace(finding, subject=part.subject,
                    location=finding.location or locations.get((finding.key, finding.line)) or part.location)
            for finding in found]


def validate_config(config: Any, platforms: Any = catalog.PLATFORMS, app_id: Any = catalog.APP_ID,
                    custom_build: bool = False) -> Report:
    """Findings about a desired configuration, as a user writes it."""
    try:
        model = AppConfig.from_input(config, platforms, app_id, custom_build)
    except ConfigError as exc:
        return Report([Finding(ERROR, "invalid-config", p.message, key=p.key) for p in exc.problems])
    return validate_model(model)


def validate_model(model: AppConfig) -> Report:
    """Findings about a configuration already built (and so already shape-checked)."""
    if not model.settings:
        return Report([Finding(ERROR, "empty-config", "config is empty; set at least one key, such as serverUrl")])
    entries = [Entry(name, value) for name, value in model.settings.items()]
    return Report(check_entries(entries, model.platforms), app_id=model.app_id, config=model)


def _platforms_of(fmt: str, platform: str | None = None) -> tuple[str, ...]:
    platform = platform or formats.PLATFORM.get(fmt)
    return (platform,) if platform else catalog.PLATFORMS


def check_entries(entries: list[Entry], platforms: tuple[str, ...]) -> list[Finding]:
    """Every key-level and cross-key check, for entries from any source."""
    result: list[Finding] = []
    first_line: dict[str, int | None] = {}
    for entry in entries:
        if entry.key in first_line:
            result.append(Finding(
                ERROR, "duplicate-key", f"{entry.key} is set more than once (first on line {first_line[entry.key]})",
                key=entry.key, line=entry.line, hint="keep one value; EMMs and the app disagree on which one wins",
            ))
            continue
        first_line[entry.key] = entry.line
        key = catalog.lookup(entry.key)
        if key is None:
            result.extend(_unknown_key(entry))
        else:
            result.extend(_known_key(key, entry, platforms))
    result.extend(_cross_checks({e.key: e for e in entries}))
    return result


_KNOWN_KEYS = "known keys: " + ", ".join(catalog.BY_NAME)


def _unknown_key(entry: Entry) -> list[Finding]:
    if entry.key in catalog.INTUNE_SDK_KEYS:
        return [Finding(INFO, "intune-sdk-key", f"{entry.key} is read by the Intune App SDK, not by Mattermost's settings",
                        key=entry.key, line=entry.line)]
    fix = catalog.correction(entry.key)
    if fix is None:
        return [Finding(WARNING, "unknown-key", f"{entry.key} is not a key the Mattermost app reads; it is ignored",
                        key=entry.key, line=entry.line, hint=_KNOWN_KEYS)]
    right, why = fix
    if why == "misspelled":
        return [Finding(ERROR, "misspelled-key",
                        f"{entry.key} is not read by the app, so this setting has no effect; the app reads {right}",
                        key=entry.key, line=entry.line, hint=f"rename the key to {right}")]
    if why == "case":
        return [Finding(ERROR, "wrong-case-key",
                        f"{entry.key} differs from {right} only in case; keys are case-sensitive, so it is ignored",
                        key=entry.key, line=entry.line, hint=f"rename the key to {right}")]
    return [Finding(WARNING, "unknown-key", f"{entry.key} is not a key the Mattermost app reads; it is ignored",
                    key=entry.key, line=entry.line, hint=f"did you mean {right}?")]


def _known_key(key: catalog.Key, entry: Entry, platforms: tuple[str, ...]) -> list[Finding]:
    result = []
    if key.deprecated:
        result.append(Finding(WARNING, "deprecated-key", f"{key.name} has had no effect since app {key.until}",
                              key=key.name, line=entry.line, hint="remove it"))
    if not set(key.platforms) & set(platforms):
        only = " and ".join(key.platforms)
        result.append(Finding(WARNING, "platform-unsupported",
                              f"{key.name} is read only by the {only} app; on {', '.join(platforms)} it does nothing",
                              key=key.name, line=entry.line))
    result.extend(_value_checks(key, entry))
    return result


def _value_checks(key: catalog.Key, entry: Entry) -> list[Finding]:
    if entry.value_type != "string":
        return [_typed_value(key, entry)]
    variable = entry.variable or (find_variable(entry.value) if entry.value else None)
    if variable is not None:
        if key.kind == catalog.SWITCH:
            return [Finding(WARNING, "variable-in-switch",
                            f"{key.name} holds the EMM variable {variable}; it must resolve to exactly \"true\" or \"false\"",
                            key=key.name, line=entry.line)]
        return []
    if entry.value is None:
        return []
    return {
        catalog.SWITCH: _switch_value,
        catalog.MILLISECONDS: _milliseconds_value,
        catalog.URL: _url_value,
        catalog.TEXT: _text_value,
    }[key.kind](key, entry)


def _typed_value(key: catalog.Key, entry: Entry) -> Finding:
    if key.kind == catalog.SWITCH:
        meaning = "allowed" if key.name == "allowOtherServers" else "off"
        shown = "" if entry.value is None else f" ({entry.value})"
        return Finding(
            ERROR, "typed-boolean" if entry.value_type == "boolean" else "typed-value",
            f"{key.name} is {_a(entry.value_type)}{shown}; the app compares it to the string \"true\", "
            f"so it reads as {meaning}",
            key=key.name, line=entry.line, hint=f'send the string "{entry.value if entry.value in catalog.SWITCH_VALUES else "true"}"',
        )
    return Finding(
        WARNING, "typed-value",
        f"{key.name} is {_a(entry.value_type)}; the app reads string values (Android declares every key as a string)",
        key=key.name, line=entry.line, hint="send the value as a string",
    )


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _switch_value(key: catalog.Key, entry: Entry) -> list[Finding]:
    if entry.value in catalog.SWITCH_VALUES:
        return []
    effect = "restricts nothing" if key.name == "allowOtherServers" else "leaves it off"
    lowered = entry.value.strip().lower()
    if lowered in catalog.SWITCH_VALUES:
        return [Finding(ERROR, "wrong-case-value",
                        f"{key.name} is {entry.value!r}; the app compares to exactly {lowered!r}, so this {effect}",
                        key=key.name, line=entry.line, hint=f'write "{lowered}"')]
    return [Finding(ERROR, "invalid-value", f"{key.name} is {entry.value!r}, which the app reads as no value and {effect}",
                    key=key.name, line=entry.line, hint=f"allowed: {key.allowed_text()}")]


def _milliseconds_value(key: catalog.Key, entry: Entry) -> list[Finding]:
    if not (entry.value.isascii() and entry.value.isdigit()):
        return [Finding(ERROR, "invalid-value", f"{key.name} is {entry.value!r}, not a whole number of milliseconds",
                        key=key.name, line=entry.line, hint=f"allowed: {key.allowed_text()}, e.g. \"30000\"")]
    if int(entry.value) < MIN_SENSIBLE_MILLISECONDS:
        return [Finding(WARNING, "short-timeout",
                        f"{key.name} is {entry.value} milliseconds; values are milliseconds, not seconds",
                        key=key.name, line=entry.line, hint=f"did you mean \"{int(entry.value) * 1000}\"?")]
    return []


def _url_value(key: catalog.Key, entry: Entry) -> list[Finding]:
    if not entry.value.strip():
        return _text_value(key, entry)
    try:
        parts = urlsplit(entry.value.strip())
    except ValueError:  # e.g. an unbalanced "[" of an IPv6 address
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return [Finding(ERROR, "invalid-url", f"{key.name} is {entry.value!r}, not an absolute URL starting with https:// (or http://)",
                        key=key.name, line=entry.line, hint="write the full address, e.g. https://chat.example.com")]
    if parts.scheme == "http":
        return [Finding(WARNING, "insecure-url", f"{key.name} uses plain http; credentials and messages travel unencrypted",
                        key=key.name, line=entry.line, hint="use https://")]
    return []


def _text_value(key: catalog.Key, entry: Entry) -> list[Finding]:
    if entry.value.strip():
        return []
    return [Finding(WARNING, "empty-value", f"{key.name} is empty", key=key.name, line=entry.line,
                    hint="remove the key or give it a value")]


def _cross_checks(by_key: dict[str, Entry]) -> list[Finding]:
    result = []
    allow = by_key.get("allowOtherServers")
    server = by_key.get("serverUrl")
    # Only the string "false" locks; a typed false already has its own finding and locks nothing.
    locks = allow is not None and allow.value_type == "string" and allow.value == "false"
    if locks and (server is None or not server.value):
        result.append(Finding(WARNING, "lock-without-server",
                              'allowOtherServers is "false" but serverUrl is not set, so the app is locked to nothing',
                              key="allowOtherServers", line=allow.line, hint="set serverUrl"))
    if server is not None and server.value and "serverName" not in by_key:
        result.append(Finding(INFO, "server-name-missing",
                              "serverUrl is set without serverName; the app asks the user to name the server",
                              key="serverName", line=server.line, hint="set serverName to connect without a prompt"))
    return result
