#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: app
short_description: Manage the Mattermost app in an EMM's catalog, and who gets it
version_added: 1.0.0
description:
  - Adds the Mattermost iOS app to the EMM catalog, and assigns the iOS and Android apps to
    groups as required, available or uninstall, with the app-level settings the Mattermost
    documentation names (prevent managed backup, removal on unenrollment, per-app VPN).
  - Assignments are read, merged and written back whole (Graph's assign replaces every
    assignment), so assignments the user did not name are kept unless O(purge_assignments).
  - B(Intune.) iOS is an C(iosStoreApp) with the App Store URL, created if the tenant has no
    entry for the bundle id; an existing C(iosVppApp) (needed for User Enrollment) is used as
    it is. Android is the Managed Google Play C(androidManagedStoreApp) (Graph beta), which
    Graph cannot create. Approve Mattermost in Managed Google Play and sync first; the module
    fails with that instruction when the entry is missing. Two entries for the same app id
    are an error listing both ids.
  - B(Android Management.) It has no groups; a device follows one policy, so the app goes into
    the policies O(policies) names, as the Mattermost entry of each (C(installType)
    C(FORCE_INSTALLED) for V(required), C(AVAILABLE) for V(available), C(BLOCKED) for
    V(uninstall)). The entry is changed only with C(modifyPolicyApplications) and an exact
    C(updateMask), and removed only with C(removePolicyApplications), so every other app of
    those policies stays as it is. O(assignments), O(prevent_backup), O(remove_on_unenroll),
    O(removable) and O(vpn_configuration_id) are refused with the reason.
author:
  - Mattermost EMM contributors (@mattermost)
extends_documentation_fragment:
  - mattermost.emm.provider
  - mattermost.emm.ownership
attributes:
  check_mode:
    support: full
    description: Plans everything, sends no write.
  diff_mode:
    support: full
    description: Shows the app entries and their assignments before and after.
options:
  platforms:
    description:
      - The platforms whose app entry to manage.
      - By default every platform the provider serves, V(ios) and V(android), or only V(ios) for
        Jamf Pro, or only V(android) for Android Management.
    type: list
    elements: str
    choices: [ios, android]
  app_id:
    description:
      - The app, V(com.mattermost.rn) or the beta app V(com.mattermost.rnbeta), or with
        O(custom_build=true) the bundle id (iOS) or package name (Android) of the organisation's own
        Mattermost build, such as V(com.example.chat).
    type: str
    default: com.mattermost.rn
  custom_build:
    description:
      - O(app_id) is the organisation's own build of the Mattermost app, signed with its own
        certificate and distributed in-house.
      - B(Intune.) iOS is a line-of-business app (C(iosLobApp)) uploaded from O(ipa); Android is the
        private app published in Managed Google Play under O(app_id), which Graph cannot create
        (publish it and sync first). B(Jamf Pro.) An in-house app record for the build O(hosted_url)
        names. B(Android Management), see the providers guide.
    type: bool
    default: false
  ipa:
    description:
      - The signed C(.ipa) file of the custom iOS build (O(custom_build=true)), uploaded to Intune
        encrypted and in blocks. Its bundle id must be O(app_id); its version and build come from
        its C(Info.plist).
      - The file's SHA-256 digest is kept in the app's notes, so the same file is never uploaded
        twice; a new file becomes a new content version of the same app.
    type: path
  hosted_url:
    description:
      - For B(Jamf Pro), where the organisation hosts the custom iOS build (O(custom_build=true)), as
        Jamf's in-house app I(host externally) takes it (the URL of the build's manifest). The app
        record is an in-house app with that URL, scoped and configured like the App Store app; a
        new URL (a new build) updates the record.
      - Refused by the other providers, which take the build itself (Intune, O(ipa)) or from
        Managed Google Play (Android).
    type: str
  display_name:
    description: The name users see in the company portal (iOS store entry).
    type: str
    default: Mattermost
  app_store_url:
    description: The App Store page of the iOS app.
    type: str
    default: https://apps.apple.com/app/mattermost/id1257222717
  assignments:
    description: Who gets the app.
    type: list
    elements: dict
    default: []
    suboptions:
      group:
        description: The group's display name; it must exist and be unique.
        type: str
      group_id:
        description: The group's id, instead of O(assignments[].group).
        type: str
      exclude:
        description: Exclude the group instead of including it.
        type: bool
        default: false
      intent:
        description:
          - V(required) installs the app (company-owned devices); V(available) offers it in the
            company portal (BYOD); V(uninstall) removes it.
        type: str
        choices: [required, available, uninstall]
        default: required
  policies:
    description:
      - For Android Management, which has no groups, the policies the app goes into, instead of
        O(assignments). Company-owned and personal (work profile) devices follow different policies.
      - With O(state=absent), the policies to remove the Mattermost entry from; empty, every policy
        that holds it.
    type: list
    elements: dict
    default: []
    suboptions:
      policy:
        description:
          - The policy's id, such as V(work-profile), or its full name
            (V(enterprises/LC01abcd23/policies/work-profile)). It must exist.
        type: str
        required: true
      intent:
        description:
          - V(required) installs the app (C(FORCE_INSTALLED)); V(available) offers it in Managed
            Google Play (C(AVAILABLE)); V(uninstall) removes and blocks it (C(BLOCKED)).
        type: str
        choices: [required, available, uninstall]
        default: required
  prevent_backup:
    description:
      - Keep the app's data out of iCloud and iTunes backups (iOS, Graph beta
        C(preventManagedAppBackup)). Unset leaves the tenant's value alone.
    type: bool
  remove_on_unenroll:
    description: Remove the app when the device leaves management (iOS C(uninstallOnDeviceRemoval)).
    type: bool
  removable:
    description: Whether users may remove the app (iOS C(isRemovable)).
    type: bool
  vpn_configuration_id:
    description:
      - The id of the Intune per-app VPN (app tunnel) profile the app uses on iOS, set in each
        iOS include assignment. Take it from the RV(mattermost.emm.device_profile#module:vpn_configuration_id)
        of M(mattermost.emm.device_profile); Intune accepts only a native VPN profile with per-app
        VPN enabled. Set C(useVPN) (and C(timeoutVPN)) in the app configuration to match.
      - Omitted, the assignments keep the VPN they have; an empty string removes it.
    type: str
  purge_assignments:
    description:
      - Remove assignments the app has that O(assignments) does not name (for Android Management, remove
        the Mattermost entry from the policies O(policies) does not name).
    type: bool
    default: false
  state:
    description:
      - V(absent) removes the iOS store entry if the collection created it; Managed Google Play
        and VPP entries are never removed.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: mattermost.emm.app_config
"""

EXAMPLES = r"""
- name: Install Mattermost on company devices, offer it on personal ones
  mattermost.emm.app:
    provider:
      type: intune
      tenant_id: contoso.onmicrosoft.com
      client_id: "{{ intune_client_id }}"
      client_secret: "{{ intune_client_secret }}"
    prevent_backup: true
    remove_on_unenroll: true
    assignments:
      - group: Corporate devices
        intent: required
      - group: BYOD users
        intent: available

- name: Install Mattermost on company-owned Android devices, offer it in the work profile
  mattermost.emm.app:
    provider:
      type: android_management
      enterprise: enterprises/LC01abcd23
      service_account_key: /etc/mattermost-emm/android-management-key.json
    policies:
      - policy: company-owned
        intent: required
      - policy: work-profile
        intent: available
"""

RETURN = r"""
adopted:
  description:
    - The objects updated with O(adopt=true) although the collection did not create them, as
      C(kind 'name' (id)); they stay unowned.
  returned: always
  type: list
  elements: str
  sample: ["app_config 'Mattermost (iOS)' (8f1f...)"]
operations:
  description: What was (or in check mode would be) done, one line per operation.
  returned: always
  type: list
  elements: str
  sample: ["create mobileApps 'ios:com.mattermost.rn'", "assign mobileApps 'ios:com.mattermost.rn'"]
results:
  description: The operations sent, with the ids of the objects (empty in check mode).
  returned: always
  type: list
  elements: dict
objects:
  description:
    - Every object wanted present, with its id, also when nothing changed (null in check mode for
      an object still to be created).
  returned: always
  type: list
  elements: dict
api_requests:
  description: HTTP requests sent, by method; a batch counts once.
  returned: when the provider talks to an API
  type: dict
"""

from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppSpec, parse
from ansible_collections.mattermost.emm.plugins.module_utils.provider_support import (
    ADOPT_OPTION,
    ADOPT_RULE,
    GROUP_TARGET_SPEC,
    PLATFORMS_RULE,
    POLICY_RULE,
    STATE_RULE,
    apply_plan,
    group_rules,
    provider_module,
    run,
    served_platforms,
)


def _is_vpn_id(value, params) -> bool:
    """Intune names the VPN profile by its GUID; the offline provider by the id it gave the profile's file."""
    if value == "" or rules.is_guid(value):
        return True
    return params["provider"]["type"] == "offline" and rules.text().accepts(value, params)


RULES = {
    "platforms": PLATFORMS_RULE,
    "app_id": rules.app_id(),
    "custom_build": rules.BOOLEAN,
    "ipa": rules.existing_file(),
    "hosted_url": rules.https_url(),
    "display_name": rules.text("a name"),
    "app_store_url": rules.https_url_on(["apps.apple.com", "itunes.apple.com"]),
    **group_rules("assignments"),
    "assignments[].intent": rules.choices(["required", "available", "uninstall"]),
    "policies": rules.items("policy", unique_by=lambda target: target.get("policy") if isinstance(target, dict) else None,
                            min_items=0),
    "policies[].policy": POLICY_RULE,
    "policies[].intent": rules.choices(["required", "available", "uninstall"]),
    "prevent_backup": rules.BOOLEAN,
    "remove_on_unenroll": rules.BOOLEAN,
    "removable": rules.BOOLEAN,
    "vpn_configuration_id": rules.Rule(f"{rules.GUID_TEXT}, the id mattermost.emm.device_profile returned (offline), "
                                       "or an empty string (removes the VPN)", _is_vpn_id),
    "purge_assignments": rules.BOOLEAN,
    "state": STATE_RULE,
    "adopt": ADOPT_RULE,
}
SPEC_FIELDS = ("platforms", "app_id", "custom_build", "ipa", "hosted_url", "display_name", "app_store_url", "assignments", "policies", "prevent_backup",
               "remove_on_unenroll", "removable", "vpn_configuration_id", "purge_assignments", "state")


def main() -> None:
    module = provider_module(
        dict(
            platforms=dict(type="list", elements="str", choices=["ios", "android"]),
            app_id=dict(type="str", default="com.mattermost.rn"),
            custom_build=dict(type="bool", default=False),
            ipa=dict(type="path"),
            hosted_url=dict(type="str"),
            display_name=dict(type="str", default="Mattermost"),
            app_store_url=dict(type="str", default="https://apps.apple.com/app/mattermost/id1257222717"),
            assignments=dict(
                type="list", elements="dict", default=[],
                options=dict(GROUP_TARGET_SPEC, intent=dict(type="str", choices=["required", "available", "uninstall"],
                                                            default="required")),
                mutually_exclusive=[("group", "group_id")], required_one_of=[("group", "group_id")],
            ),
            policies=dict(
                type="list", elements="dict", default=[],
                options=dict(policy=dict(type="str", required=True),
                             intent=dict(type="str", choices=["required", "available", "uninstall"], default="required")),
            ),
            prevent_backup=dict(type="bool"),
            remove_on_unenroll=dict(type="bool"),
            removable=dict(type="bool"),
            vpn_configuration_id=dict(type="str"),
            purge_assignments=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            adopt=ADOPT_OPTION,
        ),
        RULES,
    )

    def reconcile(provider) -> dict:
        params = served_platforms(module.params, provider)
        spec = parse(AppSpec, {field: params[field] for field in SPEC_FIELDS})
        return apply_plan(module, provider, provider.plan_apps(spec))

    run(module, reconcile)


if __name__ == "__main__":
    main()
