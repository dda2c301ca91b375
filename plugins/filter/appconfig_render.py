# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The appconfig_render filter: render a Mattermost app configuration as one EMM document."""

from __future__ import annotations

DOCUMENTATION = r"""
name: appconfig_render
short_description: Render a Mattermost app configuration as one EMM document
version_added: 1.0.0
author: Mattermost EMM contributors (@mattermost)
description:
  - Validates a desired configuration of the Mattermost mobile app and returns it as one
    document, every value as the string the app reads.
  - Fails naming the key, the value and what is allowed when the configuration is invalid.
positional: format
options:
  _input:
    description: The desired configuration, as M(mattermost.emm.appconfig_render) takes it in O(mattermost.emm.appconfig_render#module:config).
    type: dict
    required: true
  format:
    description: The document format.
    type: str
    choices: [specfile, plist, managed_properties, amapi]
    default: plist
  platforms:
    description: The platforms the configuration is for.
    type: list
    elements: str
    default: [ios, android]
  app_id:
    description:
      - The app's bundle id, V(com.mattermost.rn) or V(com.mattermost.rnbeta), or with O(custom_build=true)
        that of the organisation's own Mattermost build.
    type: str
    default: com.mattermost.rn
  custom_build:
    description: O(app_id) is the organisation's own build of the Mattermost app.
    type: bool
    default: false
  version:
    description: The specfile version.
    type: int
    default: 1
  full:
    description: For V(plist), a complete plist document instead of the C(<dict>) fragment.
    type: bool
    default: false
seealso:
  - module: mattermost.emm.appconfig_render
"""

EXAMPLES = r"""
- name: Paste-ready plist for the Intune console
  ansible.builtin.debug:
    msg: "{{ {'serverUrl': 'https://chat.example.com', 'inAppPinCode': true} | mattermost.emm.appconfig_render('plist') }}"

- name: Android Management API managedConfiguration as a mapping
  ansible.builtin.set_fact:
    managed_configuration: "{{ mattermost_config | mattermost.emm.appconfig_render('amapi', platforms=['android']) | from_json }}"
  vars:
    mattermost_config:
      serverUrl: https://chat.example.com
"""

RETURN = r"""
_value:
  description: The rendered document.
  type: str
"""

from ansible_collections.mattermost.emm.plugins.plugin_utils.appconfig_filters import appconfig_render


class FilterModule:
    """The appconfig_render filter."""

    def filters(self):
        return {"appconfig_render": appconfig_render}
