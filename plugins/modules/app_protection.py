#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: app_protection
short_description: Manage Intune app protection policies for the Mattermost iOS app
version_added: 1.0.0
description:
  - Creates, updates and assigns an Intune app protection policy (C(iosManagedAppProtection))
    targeted at the Mattermost app, with its data-protection settings and conditional launch.
  - One policy per app id; the beta app V(com.mattermost.rnbeta) is a different app to Intune and
    gets its own policy, named C(<name> (beta)).
  - B(iOS only.) Only the Mattermost iOS app embeds the Intune App SDK. The Android app does not,
    so an Android policy would protect nothing; asking for V(android) fails and says so.
  - B(Precedence.) When the app configuration sets C(inAppPinCode), C(jailbreakProtection) or
    C(blurApplicationScreen) to C("true"), the app's own check takes over from the matching
    protection here and from the Mattermost server's mobile security settings.
  - B(Conditional launch.) A conditional-launch option without a default is left out of the policy
    when unset, so Intune keeps the value it has (its own default on a new policy).
  - B(Managed devices.) When this policy also targets enrolled (managed) iOS devices, the app
    configuration must carry C(IntuneMAMUPN), C(IntuneMAMOID) and C(IntuneMAMDeviceID); set
    O(mattermost.emm.app_config#module:intune_app_protection) in M(mattermost.emm.app_config) to
    add them.
author:
  - Mattermost EMM contributors (@mattermost)
extends_documentation_fragment:
  - mattermost.emm.provider
  - mattermost.emm.ownership
  - mattermost.emm.groups
attributes:
  check_mode:
    support: full
    description: Plans everything, sends no write.
  diff_mode:
    support: full
    description: Shows each policy, its apps and its assignments before and after.
options:
  name:
    description: The policy's display name.
    type: str
    required: true
  app_ids:
    description:
      - The apps to protect, one policy each, V(com.mattermost.rn) and V(com.mattermost.rnbeta), or
        with O(custom_build=true) the bundle id of the organisation's own build.
    type: list
    elements: str
    default: [com.mattermost.rn]
  custom_build:
    description:
      - O(app_ids) may name the organisation's own Mattermost build. App protection reaches it only
        when the build embeds the Intune App SDK, as Mattermost's own iOS app does.
    type: bool
    default: false
  platforms:
    description: Only V(ios) is accepted; V(android) fails with the reason.
    type: list
    elements: str
    choices: [ios, android]
    default: [ios]
  prevent_backup:
    description: Keep the app's data out of iCloud and iTunes backups (C(dataBackupBlocked)).
    type: bool
    default: true
  encryption:
    description: When the app's data is encrypted (C(appDataEncryptionType)).
    type: str
    choices: [useDeviceSettings, afterDeviceRestart, whenDeviceLockedExceptOpenFiles, whenDeviceLocked]
    default: whenDeviceLocked
  pin_required:
    description: Require an app PIN.
    type: bool
    default: true
  minimum_pin_length:
    description: The shortest app PIN.
    type: int
    default: 6
  max_pin_retries:
    description: Conditional launch; wrong PIN attempts before O(max_pin_retries_action) (C(maximumPinRetries)).
    type: int
    default: 5
  max_pin_retries_action:
    description:
      - Conditional launch; what follows O(max_pin_retries) wrong PINs
        (C(appActionIfMaximumPinRetriesExceeded)).
      - V(reset_pin) locks the app until the user resets the PIN (Graph C(block)); V(wipe) wipes the
        app's company data.
    type: str
    choices: [reset_pin, wipe]
    default: reset_pin
  clipboard:
    description: What may be pasted out of the app (C(allowedOutboundClipboardSharingLevel)).
    type: str
    choices: [allApps, managedAppsWithPasteIn, managedApps, blocked]
    default: managedAppsWithPasteIn
  minimum_os_version:
    description:
      - Conditional launch; the oldest iOS version allowed, such as V(17.0); older versions are
        blocked (C(minimumRequiredOsVersion)).
      - Every version option takes 2 to 4 numbers separated by dots, compared numerically, and
        needs O(minimum_os_version_wipe) <= O(minimum_os_version) <= O(minimum_os_version_warning)
        among those set (the same for the app versions).
    type: str
  minimum_os_version_warning:
    description: Conditional launch; iOS versions older than this show a warning and keep access
      (C(minimumWarningOsVersion)).
    type: str
  minimum_os_version_wipe:
    description: Conditional launch; on iOS versions up to and including this one the app's company
      data is wiped (C(minimumWipeOsVersion)).
    type: str
  minimum_app_version:
    description: Conditional launch; the oldest Mattermost app version allowed, such as V(2.20.1); older
      versions are blocked (C(minimumRequiredAppVersion)).
    type: str
  minimum_app_version_warning:
    description: Conditional launch; app versions older than this show a warning and keep access
      (C(minimumWarningAppVersion)).
    type: str
  minimum_app_version_wipe:
    description: Conditional launch; on app versions up to and including this one the app's company
      data is wiped (C(minimumWipeAppVersion)).
    type: str
  offline_block_minutes:
    description:
      - Conditional launch; minutes offline before the app blocks access until it can check in again
        (C(periodOfflineBeforeAccessCheck), sent as an ISO 8601 duration such as C(PT12H)).
      - Must be less than O(offline_wipe_days) in minutes. Intune's default is 720.
    type: int
  offline_wipe_days:
    description: Conditional launch; days offline before the app's data is wiped
      (C(periodOfflineBeforeWipeIsEnforced)).
    type: int
    default: 90
  jailbroken_action:
    description:
      - Conditional launch; on a jailbroken device, V(block) access or V(wipe) the app's company data.
        Sets C(deviceComplianceRequired) to C(true) and C(appActionIfDeviceComplianceRequired).
      - The app configuration's C(jailbreakProtection) is the app's own check; see B(Precedence).
    type: str
    choices: [block, wipe]
  disabled_account_action:
    description: Conditional launch; when the user's account is deleted or disabled in Microsoft Entra
      ID, V(block) access or V(wipe) the app's company data (C(appActionIfUnableToAuthenticateUser)).
    type: str
    choices: [block, wipe]
  state:
    description: V(absent) removes the policies, if the collection created them.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: mattermost.emm.app_config
  - module: mattermost.emm.device_profile
"""

EXAMPLES = r"""
- name: Protect Mattermost on iOS devices that are not enrolled
  mattermost.emm.app_protection:
    provider:
      type: offline
      dest: /tmp/mattermost-intune
    name: Mattermost iOS protection
    app_ids: [com.mattermost.rn, com.mattermost.rnbeta]
    minimum_os_version: "17.0"
    clipboard: managedApps
    groups:
      - group: All Mattermost users

- name: Conditional launch - warn, then block, then wipe outdated iOS and app versions
  mattermost.emm.app_protection:
    provider:
      type: offline
      dest: /tmp/mattermost-intune
    name: Mattermost iOS protection
    max_pin_retries: 5
    max_pin_retries_action: wipe
    minimum_os_version_wipe: "16.0"
    minimum_os_version: "17.0"
    minimum_os_version_warning: "17.4"
    minimum_app_version: "2.20.0"
    minimum_app_version_warning: "2.22.0"
    offline_block_minutes: 720
    offline_wipe_days: 30
    jailbroken_action: wipe
    disabled_account_action: block
    groups:
      - group: All Mattermost users
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
  sample: ["create iosManagedAppProtections 'Mattermost iOS protection'"]
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
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppProtectionSpec, parse
from ansible_collections.mattermost.emm.plugins.module_utils.provider_support import (
    ADOPT_OPTION,
    ADOPT_RULE,
    GROUPS_OPTION,
    NAME_RULE,
    PLATFORMS_RULE,
    STATE_RULE,
    apply_plan,
    group_rules,
    provider_module,
    run,
)

VERSION = rules.by_model("2 to 4 numbers separated by dots, such as 16.4, in the order wipe <= block <= warning")
ACTION = rules.choices(["block", "wipe"])
RULES = {
    "name": NAME_RULE,
    "app_ids": rules.items("app id (com.mattermost.rn, com.mattermost.rnbeta, or a custom build's)"),
    "app_ids[]": rules.app_id(),
    "custom_build": rules.BOOLEAN,
    "platforms": PLATFORMS_RULE,
    "prevent_backup": rules.BOOLEAN,
    "encryption": rules.choices(["useDeviceSettings", "afterDeviceRestart", "whenDeviceLockedExceptOpenFiles", "whenDeviceLocked"]),
    "pin_required": rules.BOOLEAN,
    # The collection's bounds, those of device passcodes; more than 99 retries would be no limit at all.
    "minimum_pin_length": rules.integer(4, 16),
    "max_pin_retries": rules.integer(1, 99),
    "max_pin_retries_action": rules.choices(["reset_pin", "wipe"]),
    "clipboard": rules.choices(["allApps", "managedAppsWithPasteIn", "managedApps", "blocked"]),
    **{f"minimum_{what}_version{level}": VERSION for what in ("os", "app") for level in ("", "_warning", "_wipe")},
    "offline_block_minutes": rules.integer(1, 525600, " (minutes; the model also wants it below offline_wipe_days)"),
    "offline_wipe_days": rules.integer(1, 365),
    "jailbroken_action": ACTION,
    "disabled_account_action": ACTION,
    **group_rules(),
    "state": STATE_RULE,
    "adopt": ADOPT_RULE,
}

SPEC_FIELDS = ("name", "app_ids", "custom_build", "platforms", "prevent_backup", "encryption", "pin_required", "minimum_pin_length",
               "max_pin_retries", "max_pin_retries_action", "clipboard", "minimum_os_version",
               "minimum_os_version_warning", "minimum_os_version_wipe", "minimum_app_version",
               "minimum_app_version_warning", "minimum_app_version_wipe", "offline_block_minutes",
               "offline_wipe_days", "jailbroken_action", "disabled_account_action", "groups", "state")


def main() -> None:
    module = provider_module(
        dict(
            name=dict(type="str", required=True),
            app_ids=dict(type="list", elements="str", default=["com.mattermost.rn"]),
            custom_build=dict(type="bool", default=False),
            platforms=dict(type="list", elements="str", choices=["ios", "android"], default=["ios"]),
            prevent_backup=dict(type="bool", default=True),
            encryption=dict(type="str", default="whenDeviceLocked",
                            choices=["useDeviceSettings", "afterDeviceRestart", "whenDeviceLockedExceptOpenFiles",
                                     "whenDeviceLocked"]),
            pin_required=dict(type="bool", default=True),
            minimum_pin_length=dict(type="int", default=6),
            max_pin_retries=dict(type="int", default=5),
            max_pin_retries_action=dict(type="str", choices=["reset_pin", "wipe"], default="reset_pin"),
            clipboard=dict(type="str", default="managedAppsWithPasteIn",
                           choices=["allApps", "managedAppsWithPasteIn", "managedApps", "blocked"]),
            minimum_os_version=dict(type="str"),
            minimum_os_version_warning=dict(type="str"),
            minimum_os_version_wipe=dict(type="str"),
            minimum_app_version=dict(type="str"),
            minimum_app_version_warning=dict(type="str"),
            minimum_app_version_wipe=dict(type="str"),
            offline_block_minutes=dict(type="int"),
            offline_wipe_days=dict(type="int", default=90),
            jailbroken_action=dict(type="str", choices=["block", "wipe"]),
            disabled_account_action=dict(type="str", choices=["block", "wipe"]),
            groups=GROUPS_OPTION,
            state=dict(type="str", choices=["present", "absent"], default="present"),
            adopt=ADOPT_OPTION,
        ),
        RULES,
    )

    def reconcile(provider) -> dict:
        spec = parse(AppProtectionSpec, {field: module.params[field] for field in SPEC_FIELDS})
        return apply_plan(module, provider, provider.plan_app_protection(spec))

    run(module, reconcile)


if __name__ == "__main__":
    main()
