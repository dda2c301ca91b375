#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: emm_validate
short_description: Validation tests of every configuration item against what the EMM holds, with reports
version_added: 1.0.0
description:
  - Runs one test per configuration item the inventory describes, without writing anything to the
    EMM, and writes the results as JUnit XML, one self-contained HTML page and a Markdown summary.
  - B(Items.) The app (present in the catalog, each assignment with its intent, exclusion and
    app-level settings such as prevent backup, remove on unenroll and the per-app VPN binding);
    each AppConfig key of each configuration, per platform, typed as the app reads it (a typed
    boolean fails even when it "equals"); each device-profile and app-protection setting; the
    channel (a Mattermost key in a managed-apps (MAM) app configuration, which the app never
    reads, fails); and, where the EMM reports it, whether the devices in scope applied each app
    configuration and device profile, counted per state, with the devices in error named.
  - The wanted state is what M(mattermost.emm.app), M(mattermost.emm.app_config),
    M(mattermost.emm.device_profile) and M(mattermost.emm.app_protection) would reconcile from the
    same options, so a passing run means those modules would change nothing.
  - Items a provider cannot check are reported as skipped tests, with the reason (for example the
    offline provider has no devices; Jamf Pro has no app protection).
  - With the offline provider, the tests also check the configuration itself before anything is
    pushed (every document validates, and each key says what it does on each platform).
  - Fails when any test fails, after writing the reports, unless O(fail_on_failure=false).
author:
  - Mattermost EMM contributors (@mattermost)
extends_documentation_fragment:
  - mattermost.emm.provider
attributes:
  check_mode:
    support: full
    description: Reads only, in check mode or not; the reports are written in both.
  diff_mode:
    support: none
    description: Nothing in the EMM changes.
options:
  tenant:
    description: The tenant's name in the reports (the JUnit test suite's name).
    type: str
    default: emm
  app:
    description:
      - The app as M(mattermost.emm.app) takes it (C(platforms), C(app_id), C(custom_build), C(ipa), C(hosted_url), C(display_name),
        C(app_store_url), C(assignments), C(policies), C(prevent_backup), C(remove_on_unenroll), C(removable),
        C(vpn_configuration_id)), and C(vpn_profile), the name of the device profile whose per-app
        VPN the app is bound to (resolved to its id in the EMM).
      - Not given, the app is not checked.
    type: dict
  app_configurations:
    description:
      - The AppConfig policies as M(mattermost.emm.app_config) takes them (C(config),
        C(configurations), C(platforms), C(app_id), C(custom_build), C(enrollment), C(groups), C(policies), C(intune_app_protection)).
      - Not given, no AppConfig is checked.
    type: dict
  device_profiles:
    description: The device profiles, each as M(mattermost.emm.device_profile) takes it.
    type: list
    elements: dict
    default: []
  app_protection:
    description: The app protection policies, each as M(mattermost.emm.app_protection) takes it.
    type: list
    elements: dict
    default: []
  devices:
    description: Check whether the devices in scope applied each object, where the EMM reports it.
    type: bool
    default: true
  documents:
    description: Check that each configuration's documents validate, and say what each key does per platform.
    type: bool
    default: true
  junit:
    description: Where to write the JUnit XML report (one test suite, one test case per item).
    type: path
  html:
    description: Where to write the HTML report (self-contained; opens without a network).
    type: path
  markdown:
    description: Where to write the Markdown summary.
    type: path
  fail_on_failure:
    description: Fail when any test fails (after writing the reports).
    type: bool
    default: true
seealso:
  - module: mattermost.emm.emm_info
  - module: mattermost.emm.appconfig_validate
"""

EXAMPLES = r"""
- name: Validate the tenant against the inventory
  mattermost.emm.emm_validate:
    provider:
      type: offline
      dest: /tmp/mattermost-intune
    tenant: contoso
    app:
      assignments:
        - group: All Mattermost users
    app_configurations:
      config:
        serverUrl: https://chat.contoso.com
        jailbreakProtection: true
      configurations:
        - name: Mattermost - Contoso
          groups:
            - group: All Mattermost users
    junit: /tmp/mattermost-validation/junit.xml
    html: /tmp/mattermost-validation/report.html
    markdown: /tmp/mattermost-validation/summary.md
    fail_on_failure: false
"""

RETURN = r"""
counts:
  description: How many tests ran, passed, failed and were skipped (not checked).
  returned: always
  type: dict
  sample: {"tests": 42, "passed": 40, "failed": 1, "skipped": 1}
failures:
  description: Each failing test's message, naming the item, the desired and the actual value.
  returned: always
  type: list
  elements: str
  sample: ["app_config 'Mattermost - Contoso (iOS)' key jailbreakProtection: desired 'true', the EMM holds a typed boolean 'true'"]
items:
  description: Every test, with C(name), C(group), C(status) (passed, failed, skipped), C(desired), C(actual), C(message), C(output).
  returned: always
  type: list
  elements: dict
reports:
  description: The report files written, by format.
  returned: always
  type: dict
  sample: {"junit": "/tmp/mattermost-validation/junit.xml"}
api_requests:
  description: HTTP requests sent, by method; only reads.
  returned: when the provider talks to an API
  type: dict
"""

import os

from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    AppConfigSpec,
    AppProtectionSpec,
    AppSpec,
    DeviceProfileSpec,
    parse,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.validation import Request, validate
from ansible_collections.mattermost.emm.plugins.module_utils.provider_support import provider_module, run
from ansible_collections.mattermost.emm.plugins.module_utils import validation_reports

APP_FIELDS = ("platforms", "app_id", "custom_build", "ipa", "hosted_url", "display_name", "app_store_url", "assignments", "policies",
              "prevent_backup", "remove_on_unenroll", "removable", "vpn_configuration_id")
CONFIG_FIELDS = ("config", "platforms", "app_id", "custom_build", "enrollment", "groups", "policies", "intune_app_protection")
PROFILE_SECTIONS = ("name", "organization", "passcode", "restrictions", "per_app_vpn", "android")


def _named(entry):
    return entry.get("name") if isinstance(entry, dict) else None


RULES = {
    "tenant": rules.text("a name"),
    "app": rules.mapping("the options of mattermost.emm.app, and vpn_profile"),
    "app_configurations": rules.mapping("the options of mattermost.emm.app_config"),
    "device_profiles": rules.items("device profile as mattermost.emm.device_profile takes it (checked by its model)",
                                   unique_by=_named, min_items=0),
    "app_protection": rules.items("app protection policy as mattermost.emm.app_protection takes it (checked by its model)",
                                  unique_by=_named, min_items=0),
    "devices": rules.BOOLEAN,
    "documents": rules.BOOLEAN,
    "junit": rules.path(),
    "html": rules.path(),
    "markdown": rules.path(),
    "fail_on_failure": rules.BOOLEAN,
}


def _present(entries):
    return [entry for entry in entries if (entry.get("state") or "present") == "present"]


def app_spec(given, platforms):
    if given is None:
        return None, None
    fields = {name: given[name] for name in APP_FIELDS if given.get(name) is not None}
    fields["platforms"] = fields.get("platforms") or platforms
    return parse(AppSpec, fields), given.get("vpn_profile")


def config_specs(given, platforms):
    if not given:
        return []
    defaults = {name: given.get(name) for name in CONFIG_FIELDS if given.get(name) is not None}
    defaults["platforms"] = defaults.get("platforms") or platforms
    entries = given.get("configurations") or ([{"name": given["name"]}] if given.get("name") else [])
    return [AppConfigSpec.from_input(entry, defaults) for entry in _present(entries)]


def profile_specs(entries, platforms):
    specs = []
    for entry in _present(entries):
        profile = {name: entry[name] for name in PROFILE_SECTIONS if entry.get(name) is not None}
        specs.append(DeviceProfileSpec.from_input(
            profile, platforms=entry.get("platforms") or platforms,
            enrollment=entry.get("enrollment") or ["company_owned", "byod"], groups=entry.get("groups") or [],
            policies=entry.get("policies") or []))
    return specs


def protection_specs(entries):
    return [parse(AppProtectionSpec, {name: value for name, value in entry.items() if value is not None})
            for entry in _present(entries)]


def write(path, text):
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def main() -> None:
    module = provider_module(
        dict(
            tenant=dict(type="str", default="emm"),
            app=dict(type="dict"),
            app_configurations=dict(type="dict"),
            device_profiles=dict(type="list", elements="dict", default=[]),
            app_protection=dict(type="list", elements="dict", default=[]),
            devices=dict(type="bool", default=True),
            documents=dict(type="bool", default=True),
            junit=dict(type="path"),
            html=dict(type="path"),
            markdown=dict(type="path"),
            fail_on_failure=dict(type="bool", default=True),
        ),
        RULES,
    )
    params = module.params

    def check(provider) -> dict:
        platforms = list(provider.capabilities.platforms)
        app, vpn_profile = app_spec(params["app"], platforms)
        request = Request(app=app, app_vpn_profile=vpn_profile,
                          app_configs=config_specs(params["app_configurations"], platforms),
                          device_profiles=profile_specs(params["device_profiles"], platforms),
                          app_protections=protection_specs(params["app_protection"]),
                          documents=params["documents"], devices=params["devices"])
        outcome = validate(provider, request, params["tenant"])
        writers = {"junit": validation_reports.junit, "markdown": validation_reports.markdown,
                   "html": lambda done: validation_reports.html_page([done])}
        written = {}
        for name, render in writers.items():
            if params[name]:
                write(params[name], render(outcome))
                written[name] = params[name]
        counts = outcome.counts()
        result = dict(changed=False, counts=counts, failures=[item.message for item in outcome.failed],
                      items=[item.as_dict() for item in outcome.items], reports=written)
        if counts["failed"] and params["fail_on_failure"]:
            shown = result["failures"][:20]
            more = f"; and {len(result['failures']) - 20} more" if len(result["failures"]) > 20 else ""
            client = getattr(provider.vendor, "client", None)
            stats = {"api_requests": dict(client.stats)} if client is not None else {}
            module.fail_json(msg=f"{counts['failed']} of {counts['tests']} validation tests failed: " + "; ".join(shown) + more,
                             **result, **stats)
        return result

    run(module, check)


if __name__ == "__main__":
    main()
