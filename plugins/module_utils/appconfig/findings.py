# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Findings: what validation reports, and the parsed shape every format reduces to."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Finding:
    """One thing a person should know about a document or configuration."""

    severity: str
    code: str
    message: str
    key: str | None = None
    hint: str | None = None
    line: int | None = None
    # In a document holding several configurations (an export of an EMM's objects): the object
    # concerned (its display name and id) and where in the document it sits.
    subject: str | None = None
    location: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Entry:
    """One key/value pair as a document states it.

    `value_type` is how the document types the value: "string" is what the app reads; anything
    else ("boolean", "integer", "real", "date", "data", "array", "dict", "null") is a typed value.
    `variable` is set when the value is an EMM variable resolved at delivery.
    """

    key: str
    value: str | None
    value_type: str = "string"
    line: int | None = None
    variable: str | None = None
    # Where in the document, for exports that nest configurations; not part of what the entry says.
    location: str | None = field(default=None, compare=False)


@dataclass
class ParsedDocument:
    """What a format parser makes of a document: its entries and any format-level findings.

    A document that holds several configurations (a Graph list, a policy with several apps, a set
    of assignment rules) has one ParsedDocument per configuration in `parts`, each naming its
    `subject` and `location`; `platform` is set where the object says which app reads it, and
    `app_id_line` where the document says which app it configures.
    """

    format: str
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    app_id: str | None = None
    version: int | None = None
    subject: str | None = None
    location: str | None = None
    platform: str | None = None
    app_id_line: int | None = None
    parts: list[ParsedDocument] = field(default_factory=list)

    def settings(self) -> dict[str, str]:
        """The string entries as the app would read them (the last of duplicates wins)."""
        return {entry.key: entry.value for entry in self.entries if entry.value is not None}


def comparable_settings(entries: Iterable[Entry]) -> dict[str, str]:
    """Entries as key -> value, to compare with the settings wanted: a typed value stays visibly
    unlike the string the app needs ("<boolean>true"), so it is seen and corrected."""
    return {entry.key: entry.value if entry.value_type == "string" else f"<{entry.value_type}>{entry.value or ''}"
            for entry in entries}


def count(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each severity."""
    return _tally(finding.severity for finding in findings)


def count_dicts(findings: list[dict]) -> dict[str, int]:
    """How many findings (as dicts, as modules return them) of each severity."""
    return _tally(finding["severity"] for finding in findings)


def _tally(severities: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for severity in severities:
        counts[severity] += 1
    return counts
