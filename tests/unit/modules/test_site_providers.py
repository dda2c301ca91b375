# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One inventory, playbooks/inventories/jamf, through playbooks/site.yml against Jamf Pro and
against Intune (the emulator), with nothing changed but `mattermost_emm_provider`: both deploy
the app, its AppConfig, its scope and the device profile, and a second run changes nothing and
sends no write request."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path

import pytest
import yaml

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from provider_playbooks import SITE, SiteOutcome, intune_provider, jamf_provider, site_twice

REPO_ROOT = Path(__file__).resolve().parents[3]
INVENTORY = REPO_ROOT / "playbooks" / "inventories" / "jamf"
HOST = "example_org"
HOST_VARS = yaml.safe_load((INVENTORY / "host_vars" / f"{HOST}.yml").read_text(encoding="utf-8"))
GROUPS = sorted({target["group"] for target in HOST_VARS["mattermost_app_assignments"]})
PROVIDERS = {"jamf": jamf_provider, "intune": intune_provider}
ANDROID_APP = {"@odata.type": objects.ANDROID_STORE_APP, "displayName": "Mattermost", "packageId": "com.mattermost.rn",
               "appIdentifier": "com.mattermost.rn"}


def seed(emu, vendor: str) -> dict[str, str]:
    if vendor == "jamf":
        seeded = emu.seed(**{"jamf/mobile_device_groups": [{"name": name, "is_smart": False} for name in GROUPS]})
        return {group["name"]: str(group["id"]) for group in seeded["jamf/mobile_device_groups"]}
    seeded = emu.seed(groups=[{"displayName": name} for name in GROUPS], mobileApps=[ANDROID_APP])
    return {group["displayName"]: group["id"] for group in seeded["groups"]}


def site_arguments(emu, vendor: str, workdir) -> list[str]:
    extra = {"mattermost_emm_provider": PROVIDERS[vendor](emu), "mattermost_build_dir": str(workdir / vendor)}
    return ["-i", str(INVENTORY), "-e", json.dumps(extra)]


@pytest.fixture(scope="module")
def outcomes(playbook_runner) -> dict[str, SiteOutcome]:
    runner = playbook_runner("site-providers")
    return site_twice(runner, list(PROVIDERS), seed, lambda emu, vendor: site_arguments(emu, vendor, runner.workdir))


@pytest.mark.parametrize("vendor", sorted(PROVIDERS))
def test_the_same_inventory_deploys_and_a_second_run_changes_and_writes_nothing(outcomes, vendor):
    outcome = outcomes[vendor]

    assert outcome.first.rc == 0, outcome.first.stdout + outcome.first.stderr
    assert outcome.first["stats"][HOST]["changed"] > 0
    assert outcome.second.rc == 0, outcome.second.stdout + outcome.second.stderr
    assert outcome.second["stats"][HOST]["changed"] == 0
    assert outcome.writes == []


def test_jamf_holds_one_app_record_with_its_appconfig_and_scope_and_one_profile(outcomes):
    outcome = outcomes["jamf"]

    [app] = outcome.state["jamf/mobile_device_applications"]
    assert app["general"]["bundle_id"] == "com.mattermost.rn"
    assert app["general"]["deployment_type"] == "Install Automatically/Prompt Users to Install"
    assert sorted(str(group["id"]) for group in app["scope"]["mobile_device_groups"]) == sorted(outcome.groups.values())
    preferences = plistlib.loads(f'<plist version="1.0">{app["app_configuration"]["preferences"]}</plist>'.encode())
    assert preferences["username"] == "$EMAIL" and preferences["jailbreakProtection"] == "true"
    assert all(isinstance(value, str) for value in preferences.values())
    [profile] = outcome.state["jamf/mobile_device_configuration_profiles"]
    assert profile["general"]["name"] == "Mattermost device security"
    assert sorted(str(group["id"]) for group in profile["scope"]["mobile_device_groups"]) == sorted(outcome.groups.values())


def test_intune_holds_both_platforms_configured_and_the_app_bound_to_the_vpn(outcomes):
    outcome = outcomes["intune"]
    state = outcome.state

    configurations = {item["displayName"] for item in state["mobileAppConfigurations"]}
    assert configurations == {"Mattermost - Example Org (iOS)", "Mattermost - Example Org (Android)"}
    [vpn] = [item for item in state["deviceConfigurations"] if item.get("enablePerApp")]
    [ios_app] = [app for app in state["mobileApps"] if app.get("bundleId") == "com.mattermost.rn"]
    assert {a["settings"]["vpnConfigurationId"] for a in ios_app["assignments"]} == {vpn["id"]}
    assert {a["target"]["groupId"] for a in ios_app["assignments"]} == set(outcome.groups.values())


def test_as_shipped_the_inventory_plans_jamf_offline_and_converges(run_playbook, tmp_path):
    build = tmp_path / "build"
    first = run_playbook.playbook(SITE, "-i", str(INVENTORY), "-e", json.dumps({"mattermost_build_dir": str(build)}))
    second = run_playbook.playbook(SITE, "-i", str(INVENTORY), "-e", json.dumps({"mattermost_build_dir": str(build)}))

    assert first.rc == 0 and second.rc == 0, first.stdout + second.stdout
    assert second["stats"][HOST]["changed"] == 0
    record = json.loads((build / "emm-offline" / "mobiledeviceapplications" / "com.mattermost.rn.json").read_text())
    assert record["general"]["deployment_type"] == "Install Automatically/Prompt Users to Install"
    assert [group["id"] for group in record["scope"]["mobile_device_groups"]] == [f"<group:{name}>" for name in GROUPS]
    preferences = plistlib.loads(f'<plist version="1.0">{record["app_configuration"]["preferences"]}</plist>'.encode())
    assert preferences["username"] == "$EMAIL"
