#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: device_profile
short_description: Generate and assign the device profiles the Mattermost app's security relies on
version_added: 1.0.0
description:
  - Generates, from one validated description, the device-wide settings Mattermost's mobile
    security depends on (passcode, restrictions, the per-app VPN or app tunnel), creates or
    updates them in the EMM and assigns them to groups.
  - B(Intune.) iOS passcode and restrictions go into an C(iosGeneralDeviceConfiguration) named
    C(<name> - iOS); a passcode longer than Intune's native settings take (14) goes instead into
    an C(iosCustomConfiguration) named C(<name> - iOS passcode) carrying a generated
    .mobileconfig. The per-app VPN goes into Intune's native per-app VPN profile named
    C(<name> - iOS per-app VPN) (C(iosikEv2VpnConfiguration) for V(ikev2), C(iosVpnConfiguration)
    with connection type C(customVpn) for V(ssl); Graph beta, C(enablePerApp)), because Intune binds
    an app only to a native VPN profile. Android settings go into an
    C(androidWorkProfileGeneralDeviceConfiguration) (V(byod)) and an
    C(androidDeviceOwnerGeneralDeviceConfiguration) (V(company_owned), Graph beta).
  - A body the description no longer calls for (a section, platform or enrollment dropped) is
    removed, if the collection created it. One whose Graph type changes (C(vpn_type) V(ikev2) to
    V(ssl)) is replaced, keeping its assignments, and gets a new id.
  - B(Binding the app.) Intune connects an app to a per-app VPN in the app's assignment; pass
    RV(vpn_configuration_id) to O(mattermost.emm.app#module:vpn_configuration_id) (the site
    playbook does), assign the profile and the app to the same groups, and set C(useVPN) to C("true") (and C(timeoutVPN)) in the app configuration so the app
    waits for the tunnel.
  - Intune chooses the IKEv2 client identifier itself, so C(local_identifier) reaches devices only
    through the C(.mobileconfig). Intune's per-app VPN always connects on demand; C(on_demand=false)
    is refused for Intune.
  - With the V(offline) provider the same bodies are written to files, and the profile's iOS
    settings also as one C(.mobileconfig) (UUIDs derived from the name, so re-rendering gives the
    same bytes), for review or for an EMM that takes Apple profiles.
  - B(Android Management.) It has no groups; the O(android) settings become fields of each policy
    O(policies) names (C(passwordPolicies), C(screenCaptureDisabled),
    C(crossProfilePolicies.crossProfileCopyPaste)), patched with an C(updateMask) that names only
    those fields, so the policy's other fields stay as they are. A policy serves work profiles or
    company-owned devices, whose password scopes differ, so give one O(enrollment) per task, with the
    policies of that kind. O(groups) is refused with the reason.
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
    description: Shows each profile and its assignments before and after.
options:
  name:
    description: The profile's name; the platform is appended to each object's display name.
    type: str
    required: true
  organization:
    description: The organisation shown in the Apple profile.
    type: str
    default: Mattermost
  platforms:
    description:
      - The platforms to generate profiles for.
      - By default every platform the provider serves, V(ios) and V(android), or only V(ios) for
        Jamf Pro, or only V(android) for Android Management.
    type: list
    elements: str
    choices: [ios, android]
  enrollment:
    description: V(byod) generates the Android work profile settings, V(company_owned) the fully managed ones.
    type: list
    elements: str
    choices: [company_owned, byod]
    default: [company_owned, byod]
  passcode:
    description:
      - The device passcode (iOS). Keys C(min_length) (4 to 16; above 14 Intune gets a custom profile),
        C(complexity) (V(numeric) or V(alphanumeric)), C(min_complex_chars) (0 to 4),
        C(auto_lock_minutes) (1, 2, 3, 4, 5, 10 or 15), C(max_failed_attempts) (2 to 11) and
        C(max_age_days).
    type: dict
  restrictions:
    description:
      - Restrictions that matter for the app (iOS). Keys C(block_screenshots),
        C(managed_open_in_only) and C(block_cloud_backup), each a boolean.
    type: dict
  per_app_vpn:
    description:
      - The per-app VPN (App Tunnel) bound to the Mattermost app (iOS). Keys C(connection_name),
        C(server), C(vpn_type) (V(ikev2) or V(ssl)), C(app_bundle_ids) (default the Mattermost app),
        C(on_demand), and for V(ikev2) C(local_identifier) and C(remote_identifier), for V(ssl)
        C(provider_bundle_id) and C(provider_type).
    type: dict
  android:
    description:
      - Android settings. Keys C(password_min_length), C(password_quality) (V(numeric),
        V(numeric_complex), V(alphabetic), V(alphanumeric), V(complex)), C(block_screen_capture),
        C(block_cross_profile_copy_paste) (work profile) and C(max_failed_attempts) (4 to 11).
    type: dict
  policies:
    description:
      - For Android Management, which has no groups, the policies that carry the O(android)
        settings, instead of O(groups), each a policy's id, such as V(work-profile), or its full
        name (V(enterprises/LC01abcd23/policies/work-profile)). They must exist.
    type: list
    elements: str
    default: []
  state:
    description:
      - V(absent) removes the profiles, if the collection created them (for Android Management, clears
        the fields the collection sets from the policies O(policies) names).
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: mattermost.emm.app
  - module: mattermost.emm.app_config
"""

EXAMPLES = r"""
- name: Passcode, screenshot blocking and the app tunnel for Mattermost
  mattermost.emm.device_profile:
    provider:
      type: offline
      dest: /tmp/mattermost-intune
    name: Mattermost device security
    passcode:
      min_length: 6
      complexity: alphanumeric
      auto_lock_minutes: 5
      max_failed_attempts: 10
    restrictions:
      block_screenshots: true
      managed_open_in_only: true
    per_app_vpn:
      connection_name: Contoso tunnel
      server: vpn.contoso.com
      vpn_type: ikev2
      local_identifier: mattermost@contoso.com
    android:
      password_min_length: 6
      password_quality: numeric_complex
      block_screen_capture: true
      block_cross_profile_copy_paste: true
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
  sample: ["create deviceConfigurations 'Mattermost device security - iOS'"]
results:
  description: The operations sent, with the ids of the objects (empty in check mode).
  returned: always
  type: list
  elements: dict
objects:
  description:
    - Every object the profile wants present, with its id, also when nothing changed. The id is
      null in check mode for an object still to be created.
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "deviceConfigurations", "name": "Mattermost device security - iOS per-app VPN",
            "id": "0f0c3c2e-8a55-4f53-a8a4-5a1f3d0b9c11"}]
vpn_configuration_id:
  description:
    - The id of the per-app VPN profile, for O(mattermost.emm.app#module:vpn_configuration_id).
      Null without a per-app VPN, and in check mode while the profile is still to be created.
  returned: always
  type: str
  sample: 0f0c3c2e-8a55-4f53-a8a4-5a1f3d0b9c11
api_requests:
  description: HTTP requests sent, by method; a batch counts once.
  returned: when the provider talks to an API
  type: dict
"""

from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import DeviceProfileSpec
from ansible_collections.mattermost.emm.plugins.module_utils.provider_support import (
    ADOPT_OPTION,
    ADOPT_RULE,
    GROUPS_OPTION,
    NAME_RULE,
    PLATFORMS_RULE,
    POLICIES_OPTION,
    STATE_RULE,
    apply_plan,
    group_rules,
    policy_rules,
    provider_module,
    run,
    served_platforms,
)

SECTIONS = ("passcode", "restrictions", "per_app_vpn", "android")
PROFILE_FIELDS = ("name", "organization") + SECTIONS
RULES = {
    "name": NAME_RULE,
    "organization": rules.text("a name"),
    "platforms": PLATFORMS_RULE,
    "enrollment": rules.items("enrollment scenario (company_owned, byod)"),
    # A section given empty would describe no setting: the bodies it made before would be removed.
    **{section: rules.mapping(f"the {section} settings in this module's documentation, each checked by the profile model")
       for section in SECTIONS},
    **group_rules(),
    **policy_rules(),
    "state": STATE_RULE,
    "adopt": ADOPT_RULE,
}


def main() -> None:
    module = provider_module(
        dict(
            name=dict(type="str", required=True),
            organization=dict(type="str", default="Mattermost"),
            platforms=dict(type="list", elements="str", choices=["ios", "android"]),
            enrollment=dict(type="list", elements="str", choices=["company_owned", "byod"],
                            default=["company_owned", "byod"]),
            passcode=dict(type="dict", no_log=False),  # a passcode policy, not a secret
            restrictions=dict(type="dict"),
            per_app_vpn=dict(type="dict"),
            android=dict(type="dict"),
            groups=GROUPS_OPTION,
            policies=POLICIES_OPTION,
            state=dict(type="str", choices=["present", "absent"], default="present"),
            adopt=ADOPT_OPTION,
        ),
        RULES,
        # Removal only ever comes from state absent: a profile without a section is an error.
        required_if=[("state", "present", SECTIONS, True)],
    )
    params = module.params

    def reconcile(provider) -> dict:
        profile = {field: params[field] for field in PROFILE_FIELDS if params[field] is not None}
        spec = DeviceProfileSpec.from_input(profile, platforms=served_platforms(params, provider)["platforms"], enrollment=params["enrollment"],
                                            groups=params["groups"], policies=params["policies"], state=params["state"])
        result = apply_plan(module, provider, provider.plan_device_profiles(spec))
        vpn_name = provider.vendor.per_app_vpn_name(params["name"])
        result["vpn_configuration_id"] = next((item["id"] for item in result["objects"] if item["name"] == vpn_name), None)
        return result

    run(module, reconcile)


if __name__ == "__main__":
    main()
