# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The example inventories of playbooks/inventories/ (one per enrollment scenario) through
playbooks/site.yml against the Graph emulator: what each scenario creates in Intune, and that a
second run changes nothing and sends no write request.

The three tenants are separate emulators; their runs overlap, first runs together, then second runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from provider_playbooks import SiteOutcome, intune_provider, site_twice

REPO_ROOT = Path(__file__).resolve().parents[3]
INVENTORIES = REPO_ROOT / "playbooks" / "inventories"
HOST = "example_org"
SCENARIOS = ("company_owned", "byod", "ios_unenrolled")
ANDROID_APP = {"@odata.type": objects.ANDROID_STORE_APP, "displayName": "Mattermost", "packageId": "com.mattermost.rn",
               "appIdentifier": "com.mattermost.rn"}
INTUNE_MAM_KEYS = {"IntuneMAMUPN", "IntuneMAMOID", "IntuneMAMDeviceID"}
IOS_GENERAL = "#microsoft.graph.iosGeneralDeviceConfiguration"
WORK_PROFILE = "#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration"
FULLY_MANAGED = "#microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration"
IOS_IKEV2_VPN = "#microsoft.graph.iosikEv2VpnConfiguration"


def inventory_vars(scenario: str) -> dict[str, Any]:
    return yaml.safe_load((INVENTORIES / scenario / "host_vars" / f"{HOST}.yml").read_text(encoding="utf-8"))


def named_groups(host_vars: dict[str, Any]) -> set[str]:
    """Every group display name the inventory assigns something to."""
    targets = list(host_vars.get("mattermost_app_assignments", []))
    for key in ("mattermost_app_configurations", "mattermost_device_profiles", "mattermost_app_protection"):
        targets += [target for entry in host_vars.get(key, []) for target in entry.get("groups", [])]
    return {target["group"] for target in targets}


def seed(emu, scenario: str) -> dict[str, str]:
    """The groups the inventory names and, where it deploys Android, the Managed Google Play app."""
    host_vars = inventory_vars(scenario)
    seeded = emu.seed(groups=[{"displayName": name} for name in sorted(named_groups(host_vars))])
    if "android" in host_vars["mattermost_platforms"]:
        emu.seed(mobileApps=[ANDROID_APP])
    return {item["displayName"]: item["id"] for item in seeded["groups"]}


def site_arguments(emu, scenario: str, workdir) -> list[str]:
    extra = {"mattermost_emm_provider": intune_provider(emu), "mattermost_build_dir": str(workdir / scenario)}
    return ["-i", str(INVENTORIES / scenario), "-e", json.dumps(extra)]


@pytest.fixture(scope="module")
def outcomes(playbook_runner) -> dict[str, SiteOutcome]:
    """The three tenants are separate emulators; their runs overlap, first runs together, then second runs."""
    runner = playbook_runner("scenarios")
    return site_twice(runner, SCENARIOS, seed, lambda emu, scenario: site_arguments(emu, scenario, runner.workdir))


def targets(item: dict[str, Any]) -> list[tuple]:
    """Each assignment as (group id, filter id, filter type); no filter gives (group id, None, None)."""
    return sorted(
        (a["target"]["groupId"], a["target"].get("deviceAndAppManagementAssignmentFilterId"),
         a["target"].get("deviceAndAppManagementAssignmentFilterType"))
        for a in item["assignments"]
    )


def intents(app: dict[str, Any]) -> dict[str, str]:
    return {a["target"]["groupId"]: a["intent"] for a in app["assignments"]}


def apps_by_type(outcome: SiteOutcome) -> dict[str, dict[str, Any]]:
    return {app["@odata.type"]: app for app in outcome.state["mobileApps"]}


def keys_of(configuration: dict[str, Any]) -> set[str]:
    assert {s["appConfigKeyType"] for s in configuration["settings"]} == {"stringType"}
    return {s["appConfigKey"] for s in configuration["settings"]}


def personal_filter(outcome: SiteOutcome) -> str:
    (found,) = outcome.state["assignmentFilters"]
    assert found["displayName"] == objects.PERSONAL_IOS_FILTER and "Personal" in found["rule"]
    return found["id"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_first_run_succeeds_and_second_run_changes_nothing_and_writes_nothing(outcomes, scenario):
    outcome = outcomes[scenario]

    assert outcome.first.rc == 0, outcome.first.stdout + outcome.first.stderr
    assert outcome.first["stats"][HOST]["failures"] == 0 and outcome.first["stats"][HOST]["changed"] > 0
    assert outcome.second.rc == 0, outcome.second.stdout + outcome.second.stderr
    assert outcome.second["stats"][HOST]["changed"] == 0
    assert outcome.writes == []


def test_company_owned_installs_configures_and_secures_corporate_devices(outcomes):
    outcome = outcomes["company_owned"]
    corporate = outcome.groups["Example Org corporate devices"]
    apps = apps_by_type(outcome)
    configs = outcome.by_name("mobileAppConfigurations")
    ios, android = configs["Mattermost - Example Org corporate (iOS)"], configs["Mattermost - Example Org corporate (Android)"]

    assert {kind: intents(app) for kind, app in apps.items()} == {
        objects.IOS_STORE_APP: {corporate: "required"}, objects.ANDROID_STORE_APP: {corporate: "required"}}
    (settings,) = [a["settings"] for a in apps[objects.IOS_STORE_APP]["assignments"]]
    assert settings["preventManagedAppBackup"] is True and settings["uninstallOnDeviceRemoval"] is True
    vpn = outcome.by_name("deviceConfigurations")["Mattermost corporate device security - iOS per-app VPN"]
    assert vpn["enablePerApp"] is True and settings["vpnConfigurationId"] == vpn["id"]
    assert len(configs) == 2
    assert ios["@odata.type"] == objects.IOS_CONFIG and ios["targetedMobileApps"] == [apps[objects.IOS_STORE_APP]["id"]]
    assert targets(ios) == [(corporate, personal_filter(outcome), "exclude")]
    assert {"serverUrl", "useVPN", "copyAndPasteProtection"} <= keys_of(ios) and not keys_of(ios) & INTUNE_MAM_KEYS
    assert android["@odata.type"] == objects.ANDROID_CONFIG and android["profileApplicability"] == "androidDeviceOwner"
    assert android["targetedMobileApps"] == [apps[objects.ANDROID_STORE_APP]["id"]]
    assert targets(android) == [(corporate, None, None)]
    profiles = outcome.by_name("deviceConfigurations")
    assert sorted(item["@odata.type"] for item in profiles.values()) == sorted([IOS_GENERAL, IOS_IKEV2_VPN, FULLY_MANAGED])
    assert {name: targets(item) for name, item in profiles.items()} == {name: [(corporate, None, None)] for name in profiles}
    assert outcome.state["iosManagedAppProtections"] == []


def test_byod_offers_the_app_splits_ios_by_ownership_and_protects_the_ios_app(outcomes):
    outcome = outcomes["byod"]
    byod = outcome.groups["Example Org BYOD users"]
    apps = apps_by_type(outcome)
    configs = outcome.by_name("mobileAppConfigurations")
    ios, android = configs["Mattermost - Example Org personal (iOS)"], configs["Mattermost - Example Org personal (Android)"]

    assert {kind: intents(app) for kind, app in apps.items()} == {
        objects.IOS_STORE_APP: {byod: "available"}, objects.ANDROID_STORE_APP: {byod: "available"}}
    assert len(configs) == 2
    assert targets(ios) == [(byod, personal_filter(outcome), "include")]
    assert INTUNE_MAM_KEYS <= keys_of(ios) and "inAppPinCode" not in keys_of(ios)
    assert android["profileApplicability"] == "androidWorkProfile" and targets(android) == [(byod, None, None)]
    (profile,) = outcome.state["deviceConfigurations"]
    assert profile["@odata.type"] == WORK_PROFILE and profile["workProfileBlockCrossProfileCopyPaste"] is True
    assert targets(profile) == [(byod, None, None)]
    (policy,) = outcome.state["iosManagedAppProtections"]
    assert [app["mobileAppIdentifier"]["bundleId"] for app in policy["apps"]] == ["com.mattermost.rn"]
    assert targets(policy) == [(byod, None, None)]
    assert outcome.state["androidManagedAppProtections"] == []


def test_ios_unenrolled_creates_only_app_protection(outcomes):
    outcome = outcomes["ios_unenrolled"]
    (users,) = outcome.groups.values()

    for collection in ("mobileApps", "mobileAppConfigurations", "assignmentFilters", "deviceConfigurations",
                       "targetedManagedAppConfigurations", "androidManagedAppProtections"):
        assert outcome.state[collection] == [], collection
    policies = outcome.by_name("iosManagedAppProtections")
    assert {name: [app["mobileAppIdentifier"]["bundleId"] for app in item["apps"]] for name, item in policies.items()} == {
        "Mattermost iOS protection - unenrolled devices": ["com.mattermost.rn"],
        "Mattermost iOS protection - unenrolled devices (beta)": ["com.mattermost.rnbeta"],
    }
    assert {name: targets(item) for name, item in policies.items()} == {name: [(users, None, None)] for name in policies}
