#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: appconfig_render
short_description: Render a Mattermost mobile app configuration into the documents EMMs import
version_added: 1.0.0
description:
  - Validates one desired configuration of the Mattermost mobile app (the managed app
    configuration keys it reads) and writes it to files in every format an EMM takes, for
    review, for Git, or for manual import.
  - Values are normalised to what the app reads. The app compares every key to a string, so
    V(true) for C(inAppPinCode) is written as the string C("true"), never as a typed boolean.
  - A file is written only when its content differs. Keys one platform does not read (C(useVPN),
    C(timeoutVPN) on Android) are left out of that platform's documents and reported in RV(findings).
  - Nothing is written when the configuration has errors; the module fails naming the key, the
    value and what is allowed.
author:
  - Mattermost EMM contributors (@mattermost)
requirements:
  - pydantic >= 2
  - lxml
extends_documentation_fragment:
  - ansible.builtin.files
  - mattermost.emm.appconfig
attributes:
  check_mode:
    support: full
    description: Reports which files would change and writes nothing.
  diff_mode:
    support: full
    description: Shows the before and after text of every file that changes.
  platform:
    platforms: posix
    support: full
    description: Writes files where the module runs, usually the controller or localhost.
options:
  formats:
    description:
      - The documents to write.
      - V(specfile) is the AppConfig community XML for Workspace ONE, Ivanti and Jamf's generator,
        written to C(<name>-appconfig.xml).
      - V(plist) is the iOS managed app configuration for Intune or Jamf, written to C(<name>-ios.plist).
      - V(managed_properties) is the Android managed configuration JSON of Managed Google Play and
        Intune, written to C(<name>-android-managed-properties.json).
      - V(amapi) is the Android Management API C(managedConfiguration) object, written to
        C(<name>-android-amapi.json).
      - By default every format whose platform is in O(platforms).
    type: list
    elements: str
    choices: [specfile, plist, managed_properties, amapi]
  dest:
    description: The directory to write into; created when missing.
    type: path
    required: true
  name:
    description: The file name prefix.
    type: str
    default: mattermost
  version:
    description:
      - The specfile C(version), from 1 to 99999. EMMs use it to tell revisions apart, so raise it with every change
        you import by hand.
    type: int
    default: 1
  plist_style:
    description:
      - V(fragment) writes the C(<dict>) that Intune and Jamf consoles take; V(full) writes a
        complete plist document.
    type: str
    choices: [fragment, full]
    default: fragment
  backup:
    description: Keep a timestamped copy of each file before it is overwritten.
    type: bool
    default: false
seealso:
  - module: mattermost.emm.appconfig_validate
  - ref: mattermost.emm.appconfig_render filter <ansible_collections.mattermost.emm.appconfig_render_filter>
    description: Render inline in a template.
"""

EXAMPLES = r"""
- name: Render the Mattermost app configuration for review
  mattermost.emm.appconfig_render:
    dest: /tmp/mattermost-emm
    config:
      serverUrl: https://chat.example.com
      serverName: Example Chat
      allowOtherServers: false
      inAppPinCode: true
      jailbreakProtection: true
      username: "{{ '{{userprincipalname}}' }}"
      timeout: 30000

- name: Only the iOS plist, as a complete document
  mattermost.emm.appconfig_render:
    dest: /tmp/mattermost-emm
    platforms: [ios]
    formats: [plist]
    plist_style: full
    config:
      serverUrl: https://chat.example.com
      useVPN: true
      timeoutVPN: 30000
"""

RETURN = r"""
files:
  description: One entry per document.
  returned: always
  type: list
  elements: dict
  contains:
    format:
      description: The document format.
      type: str
      sample: specfile
    path:
      description: The file's path.
      type: str
      sample: /tmp/mattermost-emm/mattermost-appconfig.xml
    changed:
      description: Whether the file was (or in check mode would be) written.
      type: bool
    backup_file:
      description: The backup copy, when O(backup) made one.
      type: str
      returned: when a backup was made
settings:
  description: The configuration as the app reads it, every value a string.
  returned: always
  type: dict
  sample: {"serverUrl": "https://chat.example.com", "inAppPinCode": "true", "timeout": "30000"}
findings:
  description: Warnings and notes about the configuration (errors make the module fail).
  returned: always
  type: list
  elements: dict
  sample: [{"severity": "info", "code": "platform-key-omitted", "key": "useVPN",
            "message": "useVPN is left out of the amapi document: the android app does not read it",
            "hint": null, "line": null}]
"""

import os

from ansible_collections.mattermost.emm.plugins.module_utils.files import ensure_directory, sync_file

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import formats
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_config
from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.module_support import checked_module

MAX_SPECFILE_VERSION = 99999  # the grammar's five digits
FILE_NAMES = {
    "specfile": "{name}-appconfig.xml",
    "plist": "{name}-ios.plist",
    "managed_properties": "{name}-android-managed-properties.json",
    "amapi": "{name}-android-amapi.json",
}


def default_formats(platforms: list[str]) -> list[str]:
    return [fmt for fmt in formats.FORMATS if formats.PLATFORM[fmt] in (None, *platforms)]


RULES = {
    "config": rules.by_model("a mapping of the Mattermost keys in docs/docsite/rst/appconfig_keys.rst, each checked by the "
                             "appconfig model, whose errors fail the module with its findings"),
    "platforms": rules.items("platform (ios, android)"),
    "app_id": rules.app_id(),
    "custom_build": rules.BOOLEAN,
    "formats": rules.items("format (specfile, plist, managed_properties, amapi)", min_items=0),
    "dest": rules.path(),
    "name": rules.file_stem(),
    "version": rules.integer(1, MAX_SPECFILE_VERSION, " (the specfile grammar's five digits)"),
    "plist_style": rules.choices(["fragment", "full"]),
    "backup": rules.BOOLEAN,
    **rules.FILE_ATTRIBUTES,
}


def main() -> None:
    module = checked_module(
        argument_spec=dict(
            config=dict(type="dict", required=True),
            platforms=dict(type="list", elements="str", choices=["ios", "android"], default=["ios", "android"]),
            app_id=dict(type="str", default="com.mattermost.rn"),
            custom_build=dict(type="bool", default=False),
            formats=dict(type="list", elements="str", choices=list(FILE_NAMES)),
            dest=dict(type="path", required=True),
            name=dict(type="str", default="mattermost"),
            version=dict(type="int", default=1),
            plist_style=dict(type="str", choices=["fragment", "full"], default="fragment"),
            backup=dict(type="bool", default=False),
        ),
        option_rules=RULES,
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params

    report = validate_config(params["config"], params["platforms"], params["app_id"], params["custom_build"])
    findings = [finding.as_dict() for finding in report.findings]
    if report.failed():
        errors = [f["message"] for f in findings if f["severity"] == "error"]
        module.fail_json(msg="invalid Mattermost configuration: " + "; ".join(errors), findings=findings)
    config = report.config

    try:
        documents = [
            (fmt, formats.render(config, fmt, version=params["version"], full_plist=params["plist_style"] == "full"))
            for fmt in params["formats"] or default_formats(params["platforms"])
        ]
    except ValueError as exc:
        module.fail_json(msg=str(exc), findings=findings)

    changed = ensure_directory(module, params["dest"])
    files, diffs = [], []
    for fmt, rendered in documents:
        path = os.path.join(params["dest"], FILE_NAMES[fmt].format(name=params["name"]))
        result, diff = sync_file(module, path, rendered.text, params["backup"])
        findings.extend(finding.as_dict() for finding in rendered.findings)
        files.append(dict(result, format=fmt))
        if diff:
            diffs.append(diff)
        changed = changed or result["changed"]

    module.exit_json(changed=changed, files=files, settings=config.settings, findings=findings, diff=diffs)


if __name__ == "__main__":
    main()
