# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The provider modules against Android Management (the emulator), through ansible-playbook as
users run them: policies instead of groups, only the Mattermost entry and the collection's
policy fields written, check mode, removal, refusals naming the option, the devices behind
their policy's version, and wipes."""

from __future__ import annotations

import json

import pytest

from provider_playbooks import android_management_provider, run_provider_playbook
from tests.unit.android_enterprise import COPE, ENTERPRISE, OTHERS, RN, WORK

ANDROID = {"password_min_length": 6, "password_quality": "alphanumeric", "block_screen_capture": True,
           "block_cross_profile_copy_paste": True}
DEPLOY = [
    ("app", {"policies": [{"policy": "work-profile", "intent": "available"}, {"policy": "company-owned"}]}),
    ("app_config", {"name": "Mattermost", "policies": ["work-profile", "company-owned"],
                    "config": {"serverUrl": "https://chat.example.com", "inAppPinCode": True, "allowOtherServers": False}}),
    ("device_profile", {"name": "Mattermost work profile", "enrollment": ["byod"], "policies": ["work-profile"],
                        "android": ANDROID}),
    ("device_profile", {"name": "Mattermost company-owned", "enrollment": ["company_owned"], "policies": ["company-owned"],
                        "android": {"password_min_length": 8, "password_quality": "complex", "block_screen_capture": True}}),
]


@pytest.fixture
def amapi(emulator):
    emulator.seed(**{"amapi/policies": [{"name": WORK, "applications": OTHERS, "statusBarDisabled": True},
                                        {"name": COPE, "applications": OTHERS, "cameraDisabled": True}]})
    return emulator


def policies(emulator) -> dict[str, dict]:
    return {policy["name"]: policy for policy in emulator.state()["amapi/policies"]}


def entry(policy: dict, package: str = RN) -> dict:
    [found] = [app for app in policy["applications"] if app["packageName"] == package]
    return found


def test_deploys_into_two_policies_keeping_their_other_apps_and_fields_and_a_second_run_writes_nothing(tmp_path, amapi):
    provider = android_management_provider(amapi, tmp_path / "key.json")

    first = run_provider_playbook(tmp_path, provider, DEPLOY, "--diff")
    state = policies(amapi)
    amapi.clear_requests()
    second = run_provider_playbook(tmp_path, provider, DEPLOY)

    assert first.returncode == 0, first.output
    assert [result["changed"] for result in first.results] == [True, True, True, True], first.output
    work, cope = state[WORK], state[COPE]
    assert entry(work)["installType"] == "AVAILABLE" and entry(cope)["installType"] == "FORCE_INSTALLED"
    assert entry(work)["managedConfiguration"] == {"serverUrl": "https://chat.example.com", "inAppPinCode": "true",
                                                   "allowOtherServers": "false"}
    assert entry(cope)["managedConfiguration"] == entry(work)["managedConfiguration"]
    for policy in (work, cope):
        assert [app for app in policy["applications"] if app["packageName"] != RN] == OTHERS
    assert work["statusBarDisabled"] is True and cope["cameraDisabled"] is True
    assert work["screenCaptureDisabled"] is True and cope["screenCaptureDisabled"] is True
    assert work["crossProfilePolicies"]["crossProfileCopyPaste"] == "COPY_FROM_WORK_TO_PERSONAL_DISALLOWED"
    assert [p["passwordScope"] for p in work["passwordPolicies"]] == ["SCOPE_PROFILE"]
    assert [p["passwordMinimumLength"] for p in cope["passwordPolicies"]] == [8]
    assert all("diff" in result for result in first.results)

    assert second.returncode == 0, second.output
    assert [result["changed"] for result in second.results] == [False, False, False, False]
    assert amapi.writes() == []


def test_check_mode_plans_every_change_and_writes_nothing(tmp_path, amapi):
    provider = android_management_provider(amapi, tmp_path / "key.json")

    planned = run_provider_playbook(tmp_path, provider, DEPLOY[:1] + DEPLOY[2:], "--check", "--diff")

    assert planned.returncode == 0, planned.output
    assert [result["changed"] for result in planned.results] == [True, True, True]
    assert amapi.writes() == []
    assert policies(amapi)[WORK]["applications"] == OTHERS


def test_state_absent_removes_only_the_mattermost_entry(tmp_path, amapi):
    provider = android_management_provider(amapi, tmp_path / "key.json")
    run_provider_playbook(tmp_path, provider, DEPLOY[:2])

    removed = run_provider_playbook(tmp_path, provider, [("app", {"state": "absent"})])

    [result] = removed.results
    assert result["changed"] is True, removed.output
    for policy in policies(amapi).values():
        assert policy["applications"] == OTHERS


def test_groups_and_other_vendors_settings_are_refused_naming_them_before_any_request(tmp_path, amapi):
    provider = android_management_provider(amapi, tmp_path / "key.json")
    refused = run_provider_playbook(tmp_path, provider, [
        ("app_config", {"name": "Mattermost", "config": {"serverUrl": "https://chat.example.com"},
                        "groups": [{"group": "BYOD users"}]}),
        ("app", {"assignments": [{"group": "BYOD users"}]}),
        ("app_protection", {"name": "Mattermost"}),
        ("device_profile", {"name": "Mattermost", "android": ANDROID, "policies": ["work profile"]}),
        ("app", {"policies": [{"policy": "work-profile"}], "prevent_backup": True}),
    ])
    misspelt = run_provider_playbook(tmp_path, dict(provider, enterprise="LC00emu01", tenant_id="contoso.com"),
                                     [("emm_info", {})])
    wrong = run_provider_playbook(tmp_path, dict(provider, enterprise="LC00emu01"), [("emm_info", {})])

    groups, assignments, protection, policy_name, backup = refused.results
    assert groups["failed"] and groups["msg"].startswith("groups: Android Management has no groups")
    assert "policies: [...]" in groups["msg"]
    assert assignments["failed"] and assignments["msg"].startswith("assignments: Android Management has no groups")
    assert protection["failed"] and "work profile is the boundary" in protection["msg"]
    assert policy_name["failed"] and "policies[0]: 'work profile' is not allowed" in policy_name["msg"]
    assert backup["failed"] and "prevent_backup has no Android Management equivalent" in backup["msg"]
    assert "does not take tenant_id; it takes enterprise, service_account_key, url" in misspelt.results[0]["msg"]
    assert "provider.enterprise: 'LC00emu01' is not allowed; allowed: an enterprise name" in wrong.results[0]["msg"]
    assert all(result["msg"].endswith("nothing was sent") for result in refused.results + wrong.results)
    assert amapi.requests() == []


def test_an_unknown_managed_property_fails_naming_it_and_the_key_never_shows(tmp_path, amapi):
    key = amapi.amapi_key()
    provider = dict(android_management_provider(amapi, tmp_path / "key.json"), service_account_key=json.dumps(key))
    run_provider_playbook(tmp_path, provider, DEPLOY[:1])

    failed = run_provider_playbook(tmp_path, provider, [
        ("app_config", {"name": "Mattermost", "policies": ["work-profile"],
                        "config": {"serverUrl": "https://chat.example.com"}, "platforms": ["android"]}),
        ("app", {"policies": [{"policy": "no-such-policy"}]}),
    ], "-vvv")

    assert failed.results[0]["changed"] is True, failed.output
    [missing] = failed.results[1:]
    assert missing["failed"] and "no policy named enterprises/LC00emu01/policies/no-such-policy" in missing["msg"]
    assert WORK in missing["msg"]
    private = key["private_key"].splitlines()[1]
    assert private not in failed.output and key["private_key_id"] not in failed.output


def devices(emulator):
    emulator.seed(**{"amapi/devices": [
        {"name": "byod1", "policyName": WORK, "ownership": "PERSONALLY_OWNED", "userName": "ann@example.com",
         "hardwareInfo": {"serialNumber": "S-BYOD-1"}},
        {"name": "cope1", "policyName": COPE, "userName": "bob@example.com", "hardwareInfo": {"serialNumber": "S-COPE-1"},
         "nonComplianceDetails": [{"settingName": "applications", "packageName": RN, "nonComplianceReason": "PENDING"},
                                  {"settingName": "applications", "packageName": "com.android.chrome",
                                   "nonComplianceReason": "PENDING"}]}]})


def test_emm_info_reports_the_entries_and_the_devices_behind_their_policy(tmp_path, amapi):
    devices(amapi)
    provider = android_management_provider(amapi, tmp_path / "key.json")

    audit = run_provider_playbook(tmp_path, provider, DEPLOY[:2] + [("emm_info", {})])
    amapi.amapi_sync()
    synced = run_provider_playbook(tmp_path, provider, [("emm_info", {})])

    info = audit.results[2]
    assert info["changed"] is False and info["errors"] == 0, audit.output
    assert sorted((app["policy"], app["intent"]) for app in info["apps"]) == [(COPE, "required"), (WORK, "available")]
    assert {item["policy"] for item in info["app_configurations"]} == {WORK, COPE}
    assert {item["name"]: item["devices_behind"] for item in info["policies"]} == {WORK: 1, COPE: 1}
    by_id = {device["id"]: device for device in info["devices"]}
    cope = by_id[f"{ENTERPRISE}/devices/cope1"]
    assert cope["current"] is False and cope["applied_policy_version"] < cope["policy_version"]
    assert [detail["packageName"] for detail in cope["non_compliance"]] == [RN]
    assert all(device["current"] for device in synced.results[0]["devices"])
    assert {item["name"]: item["devices_behind"] for item in synced.results[0]["policies"]} == {WORK: 0, COPE: 0}


def test_wipe_names_what_it_removes_check_mode_first_and_retire_is_refused(tmp_path, amapi):
    devices(amapi)
    provider = android_management_provider(amapi, tmp_path / "key.json")
    both = {"action": "wipe", "devices": [{"serial_number": "S-BYOD-1"}, {"user": "bob@example.com"}], "max_devices": 2}

    planned = run_provider_playbook(tmp_path, provider, [("device_action", both)], "--check")
    capped = run_provider_playbook(tmp_path, provider, [("device_action", dict(both, max_devices=1)),
                                                        ("device_action", {"action": "retire", "devices": [{"id": "cope1"}]})])
    assert amapi.writes() == []
    wiped = run_provider_playbook(tmp_path, provider, [("device_action", both)])

    assert {device["id"]: device["removes"] for device in planned.results[0]["devices"]} == {
        f"{ENTERPRISE}/devices/byod1": "work_profile", f"{ENTERPRISE}/devices/cope1": "device"}
    assert capped.results[0]["failed"] and "max_devices" in capped.results[0]["msg"]
    assert capped.results[1]["failed"] and "no 'retire' device action" in capped.results[1]["msg"]
    assert [device["removed"] for device in wiped.results[0]["devices"]] == ["work_profile", "device"], wiped.output
    assert amapi.state().get("amapi/devices", []) == []
