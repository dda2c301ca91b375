# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reports for CI: JUnit XML (test result views) and SARIF 2.1.0 (code-scanning annotations).

Both writers know nothing of what was checked: callers describe test cases and results, so any
check of the collection (document validation, a tenant's validation tests) reports the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats.xmltext import escape

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
# SARIF's levels for the collection's severities.
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


@dataclass
class TestCase:
    """One JUnit test case: failed when it has failures, skipped when it says why."""

    name: str
    classname: str
    failures: list[tuple[str, str]] = field(default_factory=list)  # (message, details)
    output: str = ""
    skipped: str | None = None
    seconds: float = 0.0


def junit_xml(suite: str, cases: list[TestCase]) -> str:
    """One <testsuite> inside <testsuites>, with the counts CI views read."""
    failures = sum(1 for case in cases if case.failures)
    skipped = sum(1 for case in cases if case.skipped is not None and not case.failures)
    seconds = sum(case.seconds for case in cases)
    counts = f'tests="{len(cases)}" failures="{failures}" errors="0" skipped="{skipped}" time="{seconds:.3f}"'
    body = "".join(_testcase(case) for case in cases)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="{escape(suite)}" {counts}>\n'
        f'  <testsuite name="{escape(suite)}" {counts}>\n{body}  </testsuite>\n'
        "</testsuites>\n"
    )


def _testcase(case: TestCase) -> str:
    inner = "".join(
        f'      <failure message="{escape(message)}" type="failure">{escape(details)}</failure>\n'
        for message, details in case.failures
    )
    if case.skipped is not None and not case.failures:
        inner += f'      <skipped message="{escape(case.skipped)}"/>\n'
    if case.output:
        inner += f"      <system-out>{escape(case.output)}</system-out>\n"
    opening = f'    <testcase name="{escape(case.name)}" classname="{escape(case.classname)}" time="{case.seconds:.3f}"'
    return f"{opening}>\n{inner}    </testcase>\n" if inner else f"{opening}/>\n"


@dataclass
class Result:
    """One SARIF result: a rule's finding at a place in a file."""

    rule: str
    severity: str  # error, warning or info
    message: str
    uri: str
    line: int | None = None
    logical_location: str | None = None


def sarif(tool: str, information_uri: str, rules: dict[str, str], results: list[Result]) -> str:
    """A SARIF 2.1.0 log of one run; `rules` maps each rule id to its short description.

    Paths are relative to the repository root (uriBaseId %SRCROOT%), as code-scanning views want."""
    rule_ids = sorted(rules)
    index = {rule: position for position, rule in enumerate(rule_ids)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": tool,
                "informationUri": information_uri,
                "rules": [{"id": rule, "shortDescription": {"text": rules[rule]}} for rule in rule_ids],
            }},
            "results": [_result(result, index[result.rule]) for result in results],
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _result(result: Result, rule_index: int) -> dict:
    physical = {"artifactLocation": {"uri": result.uri, "uriBaseId": "%SRCROOT%"}}
    if result.line:
        physical["region"] = {"startLine": result.line}
    location = {"physicalLocation": physical}
    if result.logical_location:
        location["logicalLocations"] = [{"fullyQualifiedName": result.logical_location}]
    return {
        "ruleId": result.rule,
        "ruleIndex": rule_index,
        "level": SARIF_LEVELS[result.severity],
        "message": {"text": result.message},
        "locations": [location],
    }
