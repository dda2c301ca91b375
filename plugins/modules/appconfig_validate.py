#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: appconfig_validate
short_description: Check a Mattermost app configuration document for what the app will really read
version_added: 1.0.0
description:
  - Validates an AppConfig specfile, an iOS managed app configuration plist, an Android
    managed configuration JSON (Play or Intune) or an Android Management API object, rendered by
    this collection or found in the wild; or a desired configuration as the other modules take it.
  - Also reads the EMMs' own objects as their APIs return them and as backup tools store them,
    alone or as a list, Intune Graph C(iosMobileAppConfiguration) (C(settings) or the base64 plist
    C(encodedSettingXml)), C(androidManagedStoreAppConfiguration) (C(payloadJson) in base64 or
    decoded) and C(targetedManagedAppConfiguration) (an error, since the Mattermost app never reads
    Intune's managed-apps channel); a Jamf Pro mobile device application record in XML or JSON;
    a Workspace ONE assignment-rules body; an Android Management C(Policy). Each finding then
    names the object (display name and id) and where it sits in the document.
  - A document of a shape none of these has is one error listing the formats read, never a guess.
  - Another app's document gets the grammar checks and one info naming its app; an app id that
    misses a Mattermost id by a typo or by case gets a warning naming the right one; iOS-only
    keys in a document for both platforms get an info that Android ignores them.
  - With O(paths), validates many documents at once (paths or globs); the shipped playbook
    C(mattermost.emm.validate_documents) does so and writes JUnit XML and SARIF for CI.
  - Reports findings a person can act on, with the line where the document has one. It catches
    typed booleans the app reads as off, keys that differ in case or spelling from what the app reads
    (C(jailbreakDetection)), timeouts written in seconds, iOS-only keys aimed at Android,
    C(allowOtherServers) locked to no server, bad URLs, deprecated keys, duplicates, malformed or
    hostile XML and violations of the specfile grammar.
  - EMM variables (Intune C({{userprincipalname}}), Jamf C($EMAIL), Workspace ONE C({EmailAddress}),
    specfile C(userVariable) and C(deviceVariable)) are recognised where a value may hold them.
  - Fails when there are errors (or warnings, with O(strict)); never changes anything.
author:
  - Mattermost EMM contributors (@mattermost)
requirements:
  - pydantic >= 2
  - lxml
attributes:
  check_mode:
    support: full
    description: Validation changes nothing, so it runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to show.
  platform:
    platforms: posix
    support: full
    description: Reads O(path) where the module runs.
options:
  path:
    description:
      - A document to validate, read where the module runs.
      - Only a regular file of at most 1 MiB is read (the size is checked before reading), so a
        device such as C(/dev/zero) or a FIFO is refused rather than read.
    type: path
  paths:
    description:
      - Documents to validate, as paths or globs (C(**) matches any depth), relative to O(root).
      - The result lists each document under RV(documents); the task fails if any fails.
    type: list
    elements: str
  root:
    description:
      - The directory that relative O(paths) start from, and that RV(documents[].path) is relative to.
      - By default the directory the module runs in.
    type: path
  content:
    description: A document to validate, given inline.
    type: str
  config:
    description:
      - A desired configuration to validate, as M(mattermost.emm.appconfig_render) takes it.
    type: dict
  format:
    description:
      - The document's format; V(auto) tells it from the content.
      - V(graph), V(jamf), V(workspace_one) and V(amapi_policy) are exports of the EMMs' objects.
    type: str
    choices: [auto, specfile, plist, managed_properties, amapi, graph, jamf, workspace_one, amapi_policy]
    default: auto
  platforms:
    description:
      - The platforms the document is aimed at. By default the format's own (iOS for a plist,
        Android for the JSON formats, both for a specfile or a desired configuration).
    type: list
    elements: str
    choices: [ios, android]
  strict:
    description: Fail on warnings too.
    type: bool
    default: false
  custom_app_ids:
    description:
      - The app ids (bundle ids, package names) of the organisation's own Mattermost builds; a
        document for one of them is checked as a Mattermost document, not as another app's.
    type: list
    elements: str
    default: []
notes:
  - Exactly one of O(path), O(paths), O(content) and O(config) is required.
seealso:
  - module: mattermost.emm.appconfig_render
  - ref: mattermost.emm.appconfig_findings filter <ansible_collections.mattermost.emm.appconfig_findings_filter>
    description: List findings inline.
"""

EXAMPLES = r"""
- name: Validate a specfile exported from the EMM console
  mattermost.emm.appconfig_validate:
    path: /tmp/mattermost-emm/mattermost-appconfig.xml

- name: Check a plist pasted by a colleague, without failing the play
  mattermost.emm.appconfig_validate:
    content: |
      <dict>
        <key>jailbreakDetection</key>
        <true/>
      </dict>
  register: review
  failed_when: false

- name: Show what is wrong with it
  ansible.builtin.debug:
    msg: "{{ review.findings | map(attribute='message') | list }}"
"""

RETURN = r"""
format:
  description: The format validated (detected or given); null for a desired configuration.
  returned: always
  type: str
  sample: plist
app_id:
  description: The app the document configures, where it says.
  returned: always
  type: str
  sample: com.mattermost.rn
findings:
  description: Everything found, most serious first.
  returned: always
  type: list
  elements: dict
  contains:
    severity:
      description: V(error) (the app will not do what was meant), V(warning) or V(info).
      type: str
    code:
      description: A stable identifier of the check, such as C(typed-boolean) or C(misspelled-key).
      type: str
    key:
      description: The configuration key concerned, if any.
      type: str
    message:
      description: What is wrong and what it does.
      type: str
    hint:
      description: How to fix it.
      type: str
    line:
      description: The document line, where known.
      type: int
    subject:
      description: In an export of EMM objects, the object concerned (its type, display name and id).
      type: str
    location:
      description: In an export, where in the document (a JSON path such as C($.value[0].settings[2]), or an XML path).
      type: str
    path:
      description: With O(paths), the document concerned.
      type: str
  sample: [{"severity": "error", "code": "misspelled-key", "key": "jailbreakDetection", "line": 2,
            "message": "jailbreakDetection is not read by the app, so this setting has no effect; the app reads jailbreakProtection",
            "hint": "rename the key to jailbreakProtection"}]
counts:
  description: The number of findings of each severity.
  returned: always
  type: dict
  sample: {"error": 1, "warning": 0, "info": 0}
documents:
  description: With O(paths), each document validated, in path order.
  returned: when O(paths) is given
  type: list
  elements: dict
  contains:
    path:
      description: The document, relative to O(root) when it lies below it.
      type: str
    format:
      description: Its format.
      type: str
    app_id:
      description: The app it configures, where it says.
      type: str
    findings:
      description: Its findings, as in RV(findings).
      type: list
      elements: dict
    counts:
      description: Its number of findings of each severity.
      type: dict
    failed:
      description: Whether it fails (errors, or warnings with O(strict)).
      type: bool
  sample: [{"path": "intune/mattermost-ios.json", "format": "graph", "app_id": null, "failed": false,
            "findings": [], "counts": {"error": 0, "warning": 0, "info": 0}}]
"""

import glob
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import findings, formats
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import Report, validate_config, validate_document
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import DEFAULT_MAX_BYTES
from ansible_collections.mattermost.emm.plugins.module_utils.files import UnreadableDocument, read_document
from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.module_support import checked_module

_SEVERITY_ORDER = {severity: rank for rank, severity in enumerate(findings.SEVERITIES)}


def _sorted(report: Report) -> dict:
    result = report.as_dict()
    result["findings"].sort(key=lambda finding: _SEVERITY_ORDER[finding["severity"]])
    return result


def _summary(found: list[dict]) -> str:
    worst = [f for f in found if f["severity"] != "info"][:5]
    return "; ".join((f"{f['path']}: " if f.get("path") else "") + (f"line {f['line']}: " if f["line"] else "") + f["message"]
                     for f in worst)


def _read(path: str) -> Report | bytes:
    try:
        return read_document(path, DEFAULT_MAX_BYTES)
    except UnreadableDocument as exc:
        return Report([findings.Finding(findings.ERROR, "unreadable", str(exc))])


def validate_one(params: dict) -> dict:
    fmt = None if params["format"] == "auto" else params["format"]
    if params["config"] is not None:
        return _sorted(validate_config(params["config"], params["platforms"] or ("ios", "android")))
    if params["content"] is not None:
        return _sorted(validate_document(params["content"], fmt, params["platforms"], params["custom_app_ids"]))
    document = _read(params["path"])
    if isinstance(document, Report):
        return _sorted(document)
    return _sorted(validate_document(document, fmt, params["platforms"], params["custom_app_ids"]))


def expand(module: AnsibleModule, patterns: list[str], root: str) -> list[str]:
    """Every file the patterns name, each once, sorted; a pattern naming nothing is a warning."""
    found = set()
    for pattern in patterns:
        absolute = pattern if os.path.isabs(pattern) else os.path.join(root, pattern)
        matches = [path for path in glob.glob(absolute, recursive=True) if not os.path.isdir(path)]
        if not matches and not glob.has_magic(pattern):
            matches = [absolute]  # a named file that is missing is reported as unreadable
        if not matches:
            module.warn(f"paths: {pattern!r} matches no file under {root}")
        found.update(matches)
    return sorted(found)


def validate_many(module: AnsibleModule, params: dict) -> dict:
    root = os.path.abspath(params["root"] or os.getcwd())
    documents = []
    for path in expand(module, params["paths"], root):
        relative = os.path.relpath(path, root)
        shown = path if relative.startswith(os.pardir) else relative
        result = validate_one(dict(params, path=path, content=None, config=None))
        result.update(path=shown, failed=_fails(result["counts"], params["strict"]))
        for finding in result["findings"]:
            finding["path"] = shown
        documents.append(result)
    if not documents:
        module.fail_json(msg=f"paths: no document matched {params['paths']} under {root}", documents=[], findings=[],
                         counts=findings.count_dicts([]), format=None, app_id=None)
    every = [finding for document in documents for finding in document["findings"]]
    every.sort(key=lambda finding: _SEVERITY_ORDER[finding["severity"]])
    return {"format": None, "app_id": None, "documents": documents, "findings": every, "counts": findings.count_dicts(every)}


def _fails(counts: dict, strict: bool) -> bool:
    return bool(counts[findings.ERROR] or (strict and counts[findings.WARNING]))


RULES = {
    "path": rules.path(),
    "paths": rules.items("path or glob"),
    "paths[]": rules.text("a path or a glob such as emm/**/*.json", 4096),
    "root": rules.path(),
    "content": rules.by_ansible("the text of one document (bounded like a file)"),
    "config": rules.by_model("a mapping of Mattermost keys, checked as the findings report it"),
    "format": rules.choices(["auto"] + list(formats.READ_FORMATS)),
    "platforms": rules.items("platform (ios, android)"),
    "strict": rules.BOOLEAN,
    "custom_app_ids": rules.items("app identifier", min_items=0),
    "custom_app_ids[]": rules.bundle_id(),
}


def main() -> None:
    module = checked_module(
        argument_spec=dict(
            path=dict(type="path"),
            paths=dict(type="list", elements="str"),
            root=dict(type="path"),
            content=dict(type="str"),
            config=dict(type="dict"),
            format=dict(type="str", default="auto", choices=["auto"] + list(formats.READ_FORMATS)),
            platforms=dict(type="list", elements="str", choices=["ios", "android"]),
            strict=dict(type="bool", default=False),
            custom_app_ids=dict(type="list", elements="str", default=[]),
        ),
        mutually_exclusive=[("path", "paths", "content", "config")],
        required_one_of=[("path", "paths", "content", "config")],
        required_by={"root": "paths"},
        option_rules=RULES,
        supports_check_mode=True,
    )
    params = module.params
    result = validate_many(module, params) if params["paths"] is not None else validate_one(params)
    if _fails(result["counts"], params["strict"]):
        counts = result["counts"]
        module.fail_json(msg=f"{counts['error']} error(s), {counts['warning']} warning(s): {_summary(result['findings'])}", **result)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
