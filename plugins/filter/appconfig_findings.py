# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The appconfig_findings filter: list what is wrong with a Mattermost app configuration document."""

from __future__ import annotations

DOCUMENTATION = r"""
name: appconfig_findings
short_description: List what is wrong with a Mattermost app configuration document
version_added: 1.0.0
author: Mattermost EMM contributors (@mattermost)
description:
  - Validates a document (a string in any supported format) or a desired configuration (a
    mapping) and returns its findings, without failing.
positional: format
options:
  _input:
    description: A document, or a desired configuration.
    type: raw
    required: true
  format:
    description: The document's format; detected from the content when omitted.
    type: str
    choices: [specfile, plist, managed_properties, amapi, graph, jamf, workspace_one, amapi_policy]
  platforms:
    description: The platforms the document is aimed at; by default the format's own.
    type: list
    elements: str
  custom_app_ids:
    description:
      - The app ids of the organisation's own Mattermost builds; a document for one of them is
        checked as a Mattermost document.
    type: list
    elements: str
seealso:
  - module: mattermost.emm.appconfig_validate
"""

EXAMPLES = r"""
- name: Fail early on errors in a plist kept in the inventory
  ansible.builtin.assert:
    that: ios_plist | mattermost.emm.appconfig_findings | selectattr('severity', 'eq', 'error') | list | length == 0
    fail_msg: "{{ ios_plist | mattermost.emm.appconfig_findings | map(attribute='message') | list }}"
  vars:
    ios_plist: |
      <dict>
        <key>jailbreakProtection</key>
        <string>true</string>
      </dict>
"""

RETURN = r"""
_value:
  description: The findings, each with C(severity), C(code), C(key), C(message), C(hint) and C(line).
  type: list
  elements: dict
"""

from ansible_collections.mattermost.emm.plugins.plugin_utils.appconfig_filters import appconfig_findings


class FilterModule:
    """The appconfig_findings filter."""

    def filters(self):
        return {"appconfig_findings": appconfig_findings}
