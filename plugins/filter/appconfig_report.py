# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The appconfig_report filter: document validation results as JUnit XML or SARIF for CI."""

from __future__ import annotations

DOCUMENTATION = r"""
name: appconfig_report
short_description: Turn appconfig_validate results into JUnit XML or SARIF
version_added: 1.0.0
author: Mattermost EMM contributors (@mattermost)
description:
  - Takes the registered result of M(mattermost.emm.appconfig_validate) run with
    O(mattermost.emm.appconfig_validate#module:paths) and returns a JUnit XML report (one test
    case per document, failed when the document fails) or a SARIF 2.1.0 log (one result per
    finding, at its line where the format gives one) as text, for CI test views and code scanning.
positional: kind
options:
  _input:
    description: The registered result of M(mattermost.emm.appconfig_validate).
    type: dict
    required: true
  kind:
    description: The report to write.
    type: str
    choices: [junit, sarif]
    default: junit
  strict:
    description: Fail a document's test case on warnings too.
    type: bool
    default: false
seealso:
  - module: mattermost.emm.appconfig_validate
"""

EXAMPLES = r"""
- name: Validate the exports kept in the repository
  mattermost.emm.appconfig_validate:
    paths: ["emm/**/*.json", "emm/**/*.xml"]
    root: "{{ playbook_dir }}"
  register: validation
  failed_when: false

- name: Write SARIF for code scanning
  ansible.builtin.copy:
    content: "{{ validation | mattermost.emm.appconfig_report('sarif') }}"
    dest: "{{ playbook_dir }}/appconfig.sarif"
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The report, as the text of an XML or JSON document.
  type: str
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.mattermost.emm.plugins.module_utils import reports

SUITE = "mattermost.emm AppConfig validation"
INFORMATION_URI = "https://github.com/mattermost/mattermost-emm-ansible"


def _documents(result) -> list[Mapping]:
    if not isinstance(result, Mapping) or "findings" not in result:
        raise AnsibleFilterError("appconfig_report: expected the registered result of mattermost.emm.appconfig_validate")
    return result.get("documents") or [dict(result, path=result.get("path") or "document")]


def _describe(finding: Mapping) -> str:
    where = ", ".join(str(part) for part in (finding.get("subject"), finding.get("location")) if part)
    text = (f"line {finding['line']}: " if finding.get("line") else "") + f"[{finding['severity']}] {finding['code']}: {finding['message']}"
    return text + (f" (hint: {finding['hint']})" if finding.get("hint") else "") + (f" [{where}]" if where else "")


def _case(document: Mapping, strict: bool) -> reports.TestCase:
    counts = document.get("counts") or {}
    failing = ("error", "warning") if strict else ("error",)
    failed = [f for f in document["findings"] if f["severity"] in failing]
    case = reports.TestCase(name=str(document["path"]), classname=f"appconfig.{document.get('format') or 'unknown'}",
                            output="\n".join(_describe(f) for f in document["findings"]))
    if failed:
        case.failures.append((f"{counts.get('error', 0)} error(s), {counts.get('warning', 0)} warning(s)",
                              "\n".join(_describe(f) for f in failed)))
    return case


def _result(document: Mapping, finding: Mapping) -> reports.Result:
    subject = f"{finding['subject']}: " if finding.get("subject") else ""
    hint = f" ({finding['hint']})" if finding.get("hint") else ""
    return reports.Result(rule=finding["code"], severity=finding["severity"], message=subject + finding["message"] + hint,
                          uri=str(document["path"]), line=finding.get("line"), logical_location=finding.get("location"))


def appconfig_report(result, kind="junit", strict=False):
    """The validation result as a JUnit XML or SARIF document."""
    documents = _documents(result)
    if kind == "junit":
        return reports.junit_xml(SUITE, [_case(document, bool(strict)) for document in documents])
    if kind == "sarif":
        results = [_result(document, finding) for document in documents for finding in document["findings"]]
        rules = {item.rule: item.rule.replace("-", " ") for item in results}
        return reports.sarif("mattermost.emm appconfig_validate", INFORMATION_URI, rules, results)
    raise AnsibleFilterError(f"appconfig_report: kind {kind!r} is not one of junit, sarif")


class FilterModule:
    """The appconfig_report filter."""

    def filters(self):
        return {"appconfig_report": appconfig_report}
