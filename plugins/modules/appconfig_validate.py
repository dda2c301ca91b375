#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: appconfig_validate
short_description: Check a Mattermost app configuration document for what the app will really read
version_added: 0.1.0
description:
  - Validates an AppConfig specfile, an iOS managed app configuration plist, an Android
    managed configuration JSON (Play or Intune) or an Android Management API object, rendered by
    this collection or found in the wild; or a desired configuration as the other modules take it.
  - Reports findings a person can act on, with the line where the document has one. It catches
    typed booleans the app reads as off, keys that differ in case or spelling from what the app reads
    (C(jailbreakDetection)), timeouts written in seconds, iOS-only keys aimed at Android,
    C(allowOtherServers) locked to no server, bad URLs, deprecated keys, duplicates, malformed or
    hostile XML and violations of the specfile grammar.
  - EMM variables (Intune C({{userprincipalname}}), Jamf C($EMAIL), Workspace ONE C({EmailAddress}),
    specfile C(userVariable) and C(deviceVariable)) are recognised where a value may hold them.
  - A specfile for another app gets the grammar checks only.
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
    description: A document to validate, read where the module runs.
    type: path
  content:
    description: A document to validate, given inline.
    type: str
  config:
    description:
      - A desired configuration to validate, as M(mattermost.emm.appconfig_render) takes it.
    type: dict
  format:
    description: The document's format; V(auto) tells it from the content.
    type: str
    choices: [auto, specfile, plist, managed_properties, amapi]
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
notes:
  - Exactly one of O(path), O(content) and O(config) is required.
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
  sample: [{"severity": "error", "code": "misspelled-key", "key": "jailbreakDetection", "line": 2,
            "message": "jailbreakDetection is not read by the app, so this setting has no effect; the app reads jailbreakProtection",
            "hint": "rename the key to jailbreakProtection"}]
counts:
  description: The number of findings of each severity.
  returned: always
  type: dict
  sample: {"error": 1, "warning": 0, "info": 0}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_config, validate_document
from ansible_collections.mattermost.emm.plugins.module_utils.module_support import require_libraries

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def read_document(module: AnsibleModule) -> bytes:
    try:
        with open(module.params["path"], "rb") as handle:
            return handle.read()
    except OSError as exc:
        module.fail_json(msg=f"cannot read {module.params['path']}: {exc.strerror}")


def main() -> None:
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path"),
            content=dict(type="str"),
            config=dict(type="dict"),
            format=dict(type="str", default="auto", choices=["auto", "specfile", "plist", "managed_properties", "amapi"]),
            platforms=dict(type="list", elements="str", choices=["ios", "android"]),
            strict=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("path", "content", "config")],
        required_one_of=[("path", "content", "config")],
        supports_check_mode=True,
    )
    require_libraries(module)
    params = module.params

    if params["config"] is not None:
        report = validate_config(params["config"], params["platforms"] or ("ios", "android"))
    else:
        document = read_document(module) if params["path"] else params["content"]
        fmt = None if params["format"] == "auto" else params["format"]
        report = validate_document(document, fmt, params["platforms"])

    result = report.as_dict()
    result["findings"].sort(key=lambda finding: _SEVERITY_ORDER[finding["severity"]])
    if report.failed(params["strict"]):
        worst = [f for f in result["findings"] if f["severity"] != "info"][:5]
        summary = "; ".join((f"line {f['line']}: " if f["line"] else "") + f["message"] for f in worst)
        module.fail_json(msg=f"{result['counts']['error']} error(s), {result['counts']['warning']} warning(s): {summary}", **result)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
