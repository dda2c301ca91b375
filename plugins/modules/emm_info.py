#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: emm_info
short_description: Audit what an EMM holds for the Mattermost app
version_added: 1.0.0
description:
  - Reads back the Mattermost app entries, every app configuration that targets them or carries
    Mattermost keys, their assignments and the groups they name, and validates every
    configuration it finds.
  - Reports what users get wrong in consoles, with the same findings as
    M(mattermost.emm.appconfig_validate) (typed booleans the app reads as off, misspelled keys
    such as C(jailbreakDetection), timeouts in seconds), and, as an error C(mam-channel), every
    managed-apps (MAM) app configuration carrying Mattermost keys, a channel the app never reads.
  - Lists the device profiles (Intune device configurations) the collection owns, those whose
    description carries its ownership marker, with their assignments and whether one is a
    per-app VPN. The tenant's other device profiles are not listed, since they do not concern
    Mattermost.
  - Lists every iOS app protection policy that protects a Mattermost app, whoever made it, with its
    main settings, and warns (C(several-protection-policies)) when more than one policy protects the
    same app id, since Intune then gives a user in the groups of several the most restrictive value
    of each setting among them.
  - B(Android Management.) RV(apps) and RV(app_configurations) are the Mattermost entries of the
    enterprise's policies, audited as the Android app reads them; RV(device_profiles) has each
    policy's fields that the collection sets. RV(policies) gives each policy's version and how
    many of its devices still run an older one, and RV(devices) each device with whether it
    applied the current version of its policy (C(appliedPolicyName) and C(appliedPolicyVersion),
    compared as integers) and the non-compliance details about the Mattermost app.
  - Changes nothing.
author:
  - Mattermost EMM contributors (@mattermost)
extends_documentation_fragment:
  - mattermost.emm.provider
attributes:
  check_mode:
    support: full
    description: Reads only.
  diff_mode:
    support: none
    description: Nothing changes.
options:
  app_ids:
    description: The app ids to look for.
    type: list
    elements: str
    default: [com.mattermost.rn, com.mattermost.rnbeta]
seealso:
  - module: mattermost.emm.app_config
  - module: mattermost.emm.appconfig_validate
"""

EXAMPLES = r"""
- name: Audit the tenant
  mattermost.emm.emm_info:
    provider:
      type: intune
      tenant_id: contoso.onmicrosoft.com
      client_id: "{{ intune_client_id }}"
      client_secret: "{{ intune_client_secret }}"
  register: audit

- name: Fail on any configuration the app would misread
  ansible.builtin.assert:
    that: audit.errors == 0
    fail_msg: "{{ (audit.apps + audit.app_configurations + audit.managed_app_configurations + audit.app_protections)
                  | map(attribute='findings') | flatten | selectattr('severity', 'eq', 'error') | map(attribute='message') }}"
"""

RETURN = r"""
apps:
  description:
    - The Mattermost app entries, with their assignments and findings on the iOS app's per-app VPN
      binding. C(vpn-profile-missing) (error) when an assignment names a VPN profile the tenant does
      not have, C(vpn-not-per-app) (error) when it is not an iOS VPN profile with per-app VPN on,
      C(vpn-profile-not-assigned) (warning) when the VPN profile is not assigned to the groups the
      app's assignments bind it for, C(vpn-not-awaited) (warning) when no iOS app configuration for
      the app sets C(useVPN) to C("true").
  returned: always
  type: list
  elements: dict
  sample: [{"id": "2d5f...", "type": "#microsoft.graph.iosStoreApp", "display_name": "Mattermost",
            "app_id": "com.mattermost.rn", "owned": true,
            "assignments": [{"target": "include:0a1b...", "intent": "required",
                             "settings": {"@odata.type": "#microsoft.graph.iosStoreAppAssignmentSettings",
                                          "vpnConfigurationId": "5c2e..."}}],
            "findings": []}]
app_configurations:
  description: Managed-devices app configurations for Mattermost, decoded, with findings.
  returned: always
  type: list
  elements: dict
managed_app_configurations:
  description: Managed-apps (MAM) app configurations carrying Mattermost keys; the app never reads them.
  returned: always
  type: list
  elements: dict
device_profiles:
  description:
    - The device profiles (Intune device configurations) the collection owns; the tenant's other
      device profiles are not listed.
    - The display name of each group an assignment names is in RV(groups).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The Intune id.
      type: str
    display_name:
      description: The name shown in the Intune console.
      type: str
    type:
      description: The Graph type, without C(#microsoft.graph.).
      type: str
    assignments:
      description: Each assignment, its C(target) being C(include:<group id>) or C(exclude:<group id>).
      type: list
      elements: dict
    per_app_vpn:
      description:
        - Whether it is a native iOS VPN profile (C(iosVpnConfiguration), C(iosikEv2VpnConfiguration))
          with per-app VPN on (C(enablePerApp)).
      type: bool
  sample: [{"id": "5c2e...", "display_name": "Mattermost device security - iOS", "type": "iosGeneralDeviceConfiguration",
            "assignments": [{"target": "include:0a1b..."}], "per_app_vpn": false}]
app_protections:
  description:
    - Every iOS app protection policy that protects a Mattermost app, owned by the collection or not.
    - The display name of each group an assignment names is in RV(groups).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The Intune id.
      type: str
    display_name:
      description: The name shown in the Intune console.
      type: str
    app_ids:
      description: The bundle ids of every app the policy protects, Mattermost's and others.
      type: list
      elements: str
    owned:
      description: Whether the collection owns it (its description carries the ownership marker).
      type: bool
    assignments:
      description: Each assignment, its C(target) being C(include:<group id>) or C(exclude:<group id>).
      type: list
      elements: dict
    settings:
      description:
        - C(dataBackupBlocked), C(appDataEncryptionType), C(pinRequired),
          C(allowedOutboundClipboardSharingLevel) and C(minimumRequiredOsVersion), as Graph gives them.
      type: dict
    findings:
      description:
        - A warning C(several-protection-policies) for each Mattermost app id that another listed policy
          also protects.
      type: list
      elements: dict
  sample: [{"id": "9f41...", "display_name": "Mattermost iOS protection", "app_ids": ["com.mattermost.rn"],
            "owned": true, "assignments": [{"target": "include:0a1b..."}],
            "settings": {"dataBackupBlocked": true, "appDataEncryptionType": "whenDeviceLocked", "pinRequired": true,
                         "allowedOutboundClipboardSharingLevel": "managedAppsWithPasteIn",
                         "minimumRequiredOsVersion": "17.0"},
            "findings": [{"severity": "warning", "code": "several-protection-policies", "key": null, "line": null,
                          "message": "2 app protection policies target com.mattermost.rn ('Mattermost iOS protection',
                                      'Contoso iOS apps'): a user in the groups of more than one gets the most
                                      restrictive value of each setting among them",
                          "hint": "keep one policy per app id, or assign them to groups that do not overlap"}]}]
groups:
  description: The display name of every group id the assignments name.
  returned: always
  type: dict
  sample: {"0a1b...": "Corporate devices"}
policies:
  description: Android Management's policies, each with its version and its devices.
  returned: with Android Management
  type: list
  elements: dict
  contains:
    name:
      description: The policy's resource name.
      type: str
    version:
      description: The policy's current version.
      type: int
    devices:
      description: How many devices follow the policy.
      type: int
    devices_behind:
      description: How many of them have not yet applied its current version.
      type: int
  sample: [{"name": "enterprises/LC01abcd23/policies/work-profile", "version": 7, "devices": 120, "devices_behind": 3}]
devices:
  description: Android Management's devices, each with whether it runs the current version of its policy.
  returned: with Android Management
  type: list
  elements: dict
  contains:
    id:
      description: The device's resource name.
      type: str
    policy:
      description: The policy the device follows.
      type: str
    policy_version:
      description: That policy's current version.
      type: int
    applied_policy:
      description: The policy the device last applied.
      type: str
    applied_policy_version:
      description: The version of it the device applied.
      type: int
    current:
      description: Whether the device applied the current version of its own policy.
      type: bool
    non_compliance:
      description: The device's C(nonComplianceDetails) about the Mattermost app, as Google gives them.
      type: list
      elements: dict
  sample: [{"id": "enterprises/LC01abcd23/devices/3a1f", "policy": "enterprises/LC01abcd23/policies/work-profile",
            "policy_version": 7, "applied_policy": "enterprises/LC01abcd23/policies/work-profile",
            "applied_policy_version": 6, "current": false, "ownership": "PERSONALLY_OWNED",
            "management_mode": "PROFILE_OWNER", "state": "ACTIVE", "serial_number": "R58N90ABCD", "user": "alex",
            "non_compliance": []}]
errors:
  description: The number of error findings over the apps, the configurations and the app protection policies.
  returned: always
  type: int
"""

from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.provider_support import provider_module, run

RULES = {"app_ids": rules.items("app identifier such as com.mattermost.rn"), "app_ids[]": rules.bundle_id()}


def main() -> None:
    module = provider_module(
        dict(app_ids=dict(type="list", elements="str", default=["com.mattermost.rn", "com.mattermost.rnbeta"])),
        RULES,
    )

    def audit(provider) -> dict:
        found = provider.inventory(tuple(module.params["app_ids"]))
        audited = found["apps"] + found["app_configurations"] + found["managed_app_configurations"] + found["app_protections"]
        errors = sum(1 for item in audited for finding in item["findings"] if finding["severity"] == "error")
        return dict(found, changed=False, errors=errors)

    run(module, audit)


if __name__ == "__main__":
    main()
