#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: app_config
short_description: Manage the Mattermost app's configuration policies in an EMM, with their assignments
version_added: 1.0.0
description:
  - Creates, updates, assigns and removes the app configuration that the Mattermost mobile app
    reads, from the same desired configuration as M(mattermost.emm.appconfig_render). Every value is
    validated before anything is sent, and sent as the string the app compares against.
  - One call reconciles one policy (O(name)) or a list of them (O(configurations)), listing each
    kind of object once; writes go through Graph's C($batch).
  - Only objects this collection created (their description carries C([managed by mattermost.emm]))
    are ever removed. Assignments the user did not name are kept unless O(purge_assignments).
  - B(What it creates in Intune.) The Mattermost app reads only the operating system's channel, so
    its keys always go into a managed-devices app configuration, never into a managed-apps (MAM)
    one, which the app never sees. For iOS, one C(iosMobileAppConfiguration) named
    C(<name> (iOS)) targeting the Mattermost iOS app; for Android, one
    C(androidManagedStoreAppConfiguration) named C(<name> (Android)) (Graph beta) whose
    C(payloadJson) is the base64 managed-properties JSON.
  - B(Enrollment.) With O(enrollment=[company_owned, byod]) (the default) the policy applies to
    every enrolled device (Android C(profileApplicability=default)). With only V(company_owned),
    Android uses C(androidDeviceOwner) (fully managed, dedicated, COPE), and the iOS assignments
    exclude the assignment filter C(Mattermost - personal iOS devices) (rule
    C(device.deviceOwnership -eq "Personal"), created and owned by the collection). With only
    V(byod), Android uses C(androidWorkProfile) and the iOS assignments include that filter.
    iOS app configuration has no enrollment-type field, which is why a filter splits it.
  - B(Android Management.) It has no groups; the configuration is the C(managedConfiguration) of
    the Mattermost entry in each policy O(policies) names (every value a string), checked before
    anything is sent against the managed properties Google Play declares for the app (an unknown
    key or a wrong type is an error naming it), and changed with C(modifyPolicyApplications) and
    the mask C(managedConfiguration) only. Add the app to those policies first with
    M(mattermost.emm.app). A policy's entry holds one configuration, and O(enrollment) cannot
    split it, since the policies named decide which devices get it. O(groups) is refused with the reason.
  - V(unenrolled) is always refused with the reason. No AppConfig key reaches the app on devices
    that are not enrolled; protect them with an Intune app protection policy instead.
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
    description: Shows each policy and its assignments before and after, decoded.
options:
  name:
    description: The policy's name; the platform is appended to each object's display name.
    type: str
  config:
    description:
      - The managed configuration keys, as M(mattermost.emm.appconfig_render) takes them in
        O(mattermost.emm.appconfig_render#module:config). Required with O(state=present).
    type: dict
  platforms:
    description:
      - The platforms to configure.
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
      - O(app_id) is the organisation's own build of the Mattermost app, under its own app id; its
        configuration is checked against the same keys as Mattermost's apps.
    type: bool
    default: false
  enrollment:
    description: The enrollment scenarios the policy is for (see the description).
    type: list
    elements: str
    choices: [company_owned, byod, unenrolled]
    default: [company_owned, byod]
  policies:
    description:
      - For Android Management, which has no groups, the policies whose Mattermost entry carries
        this configuration, instead of O(groups), each a policy's id, such as V(work-profile), or
        its full name (V(enterprises/LC01abcd23/policies/work-profile)). They must exist.
      - With O(state=absent), the policies to remove the configuration from; empty, every policy
        whose Mattermost entry has one.
    type: list
    elements: str
    default: []
  state:
    description: V(absent) removes the policy's objects, if the collection created them.
    type: str
    choices: [present, absent]
    default: present
  configurations:
    description:
      - Several policies in one call, each a dictionary with O(name), O(config),
        O(platforms), O(app_id), O(enrollment), O(groups), O(policies) and O(state). The top-level options of
        the same names are the defaults of each entry.
    type: list
    elements: dict
  purge_assignments:
    description: Remove assignments the policy has that O(groups) does not name.
    type: bool
    default: false
  intune_app_protection:
    description:
      - Add C(IntuneMAMUPN), C(IntuneMAMOID) and C(IntuneMAMDeviceID) (with Intune's
        C({{userprincipalname}}), C({{userid}}) and C({{deviceid}}) variables) to the iOS
        configuration. Intune requires them when an app protection policy
        (M(mattermost.emm.app_protection)) also targets managed devices.
    type: bool
    default: false
seealso:
  - module: mattermost.emm.app
  - module: mattermost.emm.emm_info
  - module: mattermost.emm.appconfig_render
"""

EXAMPLES = r"""
- name: Configure Mattermost on enrolled devices
  mattermost.emm.app_config:
    provider:
      type: intune
      tenant_id: contoso.onmicrosoft.com
      client_id: "{{ intune_client_id }}"
      client_secret: "{{ intune_client_secret }}"
    name: Mattermost - Contoso
    config:
      serverUrl: https://chat.contoso.com
      serverName: Contoso Chat
      allowOtherServers: false
      inAppPinCode: true
      jailbreakProtection: true
    groups:
      - group: All Mattermost users

- name: Stricter settings on company-owned devices, lighter ones on BYOD
  mattermost.emm.app_config:
    provider:
      type: offline
      dest: /tmp/mattermost-intune
    groups:
      - group: All Mattermost users
    configurations:
      - name: Mattermost - corporate
        enrollment: [company_owned]
        config: {serverUrl: https://chat.contoso.com, copyAndPasteProtection: true}
      - name: Mattermost - personal
        enrollment: [byod]
        config: {serverUrl: https://chat.contoso.com, inAppPinCode: true}
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
  sample: ["create mobileAppConfigurations 'Mattermost - Contoso (iOS)'", "assign mobileAppConfigurations 'Mattermost - Contoso (iOS)'"]
results:
  description: The operations sent, with the ids of the objects (empty in check mode).
  returned: always
  type: list
  elements: dict
  sample: [{"action": "create", "kind": "mobileAppConfigurations", "name": "Mattermost - Contoso (iOS)", "id": "8f1f..."}]
findings:
  description: Warnings and notes about each configuration (errors make the module fail before anything is sent).
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
  sample: {"requests": 3, "GET": 2, "POST": 1, "batched": 4}
"""

from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_model
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppConfigSpec, SpecError
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

ENTRY_FIELDS = ("name", "config", "platforms", "app_id", "custom_build", "enrollment", "groups", "policies", "state", "intune_app_protection")
# The rules of the options an entry of `configurations` may also hold.
ENTRY_RULES = {
    "name": NAME_RULE,
    "config": rules.by_model("a mapping of the Mattermost keys in docs/docsite/rst/appconfig_keys.rst, each checked by the appconfig model; "
                             "required with state present"),
    "platforms": PLATFORMS_RULE,
    "app_id": rules.app_id(),
    "custom_build": rules.BOOLEAN,
    "enrollment": rules.items("enrollment scenario (company_owned, byod; the model refuses unenrolled with the reason)"),
    **group_rules(),
    **policy_rules(),
    "state": STATE_RULE,
    "intune_app_protection": rules.BOOLEAN,
}
RULES = {
    **ENTRY_RULES,
    "configurations": rules.items("configuration", unique_by=lambda entry: entry.get("name") if isinstance(entry, dict) else None),
    **{f"configurations[].{path}": rule for path, rule in ENTRY_RULES.items()},
    "purge_assignments": rules.BOOLEAN,
    "adopt": ADOPT_RULE,
}


def specs_from(params: dict) -> list[AppConfigSpec]:
    defaults = {field: params[field] for field in ENTRY_FIELDS if field != "name"}
    entries = params["configurations"] or [{"name": params["name"]}]
    return [AppConfigSpec.from_input(entry, defaults) for entry in entries]


def findings_of(specs: list[AppConfigSpec]) -> list[dict]:
    return [
        dict(finding.as_dict(), configuration=spec.name)
        for spec in specs if spec.state == "present"
        for finding in validate_model(spec.config).findings
    ]


def main() -> None:
    module = provider_module(
        dict(
            name=dict(type="str"),
            config=dict(type="dict"),
            platforms=dict(type="list", elements="str", choices=["ios", "android"]),
            app_id=dict(type="str", default="com.mattermost.rn"),
            custom_build=dict(type="bool", default=False),
            enrollment=dict(type="list", elements="str", choices=["company_owned", "byod", "unenrolled"],
                            default=["company_owned", "byod"]),
            groups=GROUPS_OPTION,
            policies=POLICIES_OPTION,
            state=dict(type="str", choices=["present", "absent"], default="present"),
            adopt=ADOPT_OPTION,
            configurations=dict(type="list", elements="dict"),
            purge_assignments=dict(type="bool", default=False),
            intune_app_protection=dict(type="bool", default=False),
        ),
        option_rules=RULES,
        mutually_exclusive=[("name", "configurations")],
        required_one_of=[("name", "configurations")],
    )

    def reconcile(provider) -> dict:
        specs = specs_from(served_platforms(module.params, provider))
        findings = findings_of(specs)
        errors = [f"{f['configuration']}: {f['message']}" for f in findings if f["severity"] == "error"]
        if errors:
            raise SpecError("invalid Mattermost configuration: " + "; ".join(errors))
        work = provider.plan_app_configs(specs, purge_assignments=module.params["purge_assignments"],
                                         check_mode=module.check_mode)
        return dict(apply_plan(module, provider, work), findings=findings)

    run(module, reconcile)


if __name__ == "__main__":
    main()
