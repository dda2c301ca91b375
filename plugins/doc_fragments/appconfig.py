# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The desired Mattermost configuration, documented once for every module that takes it."""

    DOCUMENTATION = r"""
options:
  config:
    description:
      - The managed configuration keys the Mattermost app should read, written naturally in YAML.
      - Switches (V(inAppPinCode), V(blurApplicationScreen), V(jailbreakProtection),
        V(copyAndPasteProtection), V(allowOtherServers), V(useVPN)) take V(true) or V(false) and are
        sent as the strings C("true") and C("false"), the only values the app understands.
      - V(timeout) and V(timeoutVPN) are whole numbers of B(milliseconds).
      - V(serverUrl) is an absolute C(https://) URL; V(serverName), V(username) and V(vendor) are
        text, and may hold EMM variables such as C({{userprincipalname}}) (Intune), C($EMAIL) (Jamf)
        or C({EmailAddress}) (Workspace ONE).
      - V(useVPN) and V(timeoutVPN) are read by the iOS app only; V(inAppSessionAuth) has had no
        effect since app 2.18.0.
      - Unknown keys are an error with the likely fix. Mattermost's documentation names the
        jailbreak key C(jailbreakDetection); the app reads only V(jailbreakProtection).
    type: dict
    required: true
  platforms:
    description: The platforms whose app the configuration is for.
    type: list
    elements: str
    choices: [ios, android]
    default: [ios, android]
  app_id:
    description:
      - The app's bundle id and package name; V(com.mattermost.rnbeta) is the beta app.
      - With O(custom_build=true), the bundle id or package name of the organisation's own
        Mattermost build, such as V(com.example.chat).
    type: str
    default: com.mattermost.rn
  custom_build:
    description: O(app_id) is the organisation's own build of the Mattermost app, which reads the same keys.
    type: bool
    default: false
"""
