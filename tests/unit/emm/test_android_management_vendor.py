# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Android Management vendor against the emulator over real HTTP: the service account's
token, policies as targets, the Mattermost entry changed and removed without touching the
policy's other apps, the managed configuration checked against Google Play's managed
properties, device settings patched with an exact mask, check mode, faults, devices behind
their policy's version, and wipes."""

from __future__ import annotations

import json

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import android_management
from ansible_collections.mattermost.emm.plugins.module_utils.emm.android_management.auth import load_key
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import Provider, ProviderError, Unsupported
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import ApiError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    AppConfigSpec,
    AppSpec,
    DeviceActionSpec,
    DeviceProfileSpec,
    parse,
)
from tests.unit.android_enterprise import COPE, ENTERPRISE, OTHERS, RN, WORK

CONFIG = {"serverUrl": "https://chat.example.com", "inAppPinCode": True, "allowOtherServers": False}


@pytest.fixture
def amapi(emulator):
    emulator.seed(**{"amapi/policies": [{"name": WORK, "applications": OTHERS, "statusBarDisabled": True},
                                        {"name": COPE, "applications": OTHERS[:1]}]})
    return emulator


def provider(emulator, **settings) -> Provider:
    vendor = android_management.connect({"enterprise": ENTERPRISE, "url": emulator.amapi_url,
                                         "service_account_key": json.dumps(emulator.amapi_key()), **settings})
    return Provider(vendor, settle_seconds=0)


def app_spec(**changes) -> AppSpec:
    return parse(AppSpec, {"platforms": ["android"], "policies": [{"policy": "work-profile", "intent": "available"},
                                                                  {"policy": "company-owned"}], **changes})


def config_specs(**changes) -> list[AppConfigSpec]:
    return [AppConfigSpec.from_input({"name": "Mattermost", "platforms": ["android"], "config": CONFIG,
                                      "policies": ["work-profile", "company-owned"], **changes}, {})]


def profile_spec(enrollment="byod", policies=("work-profile",), **changes) -> DeviceProfileSpec:
    profile = {"name": "Mattermost", "android": {"password_min_length": 6, "password_quality": "alphanumeric",
                                                 "block_screen_capture": True, "block_cross_profile_copy_paste": True}}
    return DeviceProfileSpec.from_input(profile, platforms=["android"], enrollment=[enrollment], policies=list(policies),
                                        **changes)


def policy(emulator, name):
    return next(item for item in emulator.state()["amapi/policies"] if item["name"] == name)


def run(emulator, make_plan):
    work = make_plan(provider(emulator))
    return work, provider(emulator).apply(work) if work.changed else []


def site(emulator):
    run(emulator, lambda p: p.plan_apps(app_spec()))
    run(emulator, lambda p: p.plan_app_configs(config_specs()))
    run(emulator, lambda p: p.plan_device_profiles(profile_spec()))
    run(emulator, lambda p: p.plan_device_profiles(profile_spec("company_owned", ["company-owned"])))


# Token ----------------------------------------------------------------------------------------

def test_the_key_is_read_from_json_a_file_or_a_mapping(emulator, tmp_path):
    key = emulator.amapi_key()
    path = tmp_path / "key.json"
    path.write_text(json.dumps(key))
    assert load_key(str(path)) == load_key(json.dumps(key)) == load_key(key)
    with pytest.raises(ProviderError, match="not a service-account key"):
        load_key('{"type": "authorized_user"}')
    with pytest.raises(ProviderError, match="cannot read"):
        load_key(str(tmp_path / "none.json"))


def test_one_token_serves_the_run_and_a_401_renews_it(amapi):
    vendor = provider(amapi).vendor
    vendor.policies()
    vendor.forget("app")
    amapi.expire_tokens()
    vendor.policies()
    paths = [entry["path"] for entry in amapi.requests()]
    assert paths.count("/amapi/token") == 2 and paths[-1] == "/amapi/v1/enterprises/LC00emu01/policies"


def test_the_private_key_and_the_token_never_reach_an_error(amapi):
    vendor = provider(amapi).vendor
    vendor.policies()
    amapi.add_fault("/amapi/v1/", 403, message=f"denied {vendor.client.auth._token}")
    vendor.forget("app")
    with pytest.raises(ApiError) as raised:
        vendor.policies()
    assert vendor.client.auth._token not in str(raised.value) and "PERMISSION_DENIED" in str(raised.value)
    assert "BEGIN PRIVATE KEY" not in " ".join(vendor.client.log)


# App ------------------------------------------------------------------------------------------

def test_the_app_goes_into_each_policy_leaving_the_other_apps_as_they_are(amapi):
    work, results = run(amapi, lambda p: p.plan_apps(app_spec()))
    again, _none = run(amapi, lambda p: p.plan_apps(app_spec()))

    assert [op.action for op in work.operations] == ["create", "create"]
    assert policy(amapi, WORK)["applications"] == OTHERS + [{"packageName": RN, "installType": "AVAILABLE"}]
    assert policy(amapi, COPE)["applications"] == OTHERS[:1] + [{"packageName": RN, "installType": "FORCE_INSTALLED"}]
    assert policy(amapi, WORK)["statusBarDisabled"] is True
    assert {result["id"] for result in results} == {f"{WORK}/applications/{RN}", f"{COPE}/applications/{RN}"}
    writes = amapi.writes()
    assert {entry["path"].rsplit(":", 1)[1] for entry in writes} == {"modifyPolicyApplications"}
    assert all(change["updateMask"] == "installType" for entry in writes for change in entry["body"]["changes"])
    assert not again.changed


def test_an_intent_change_and_absent_touch_only_the_mattermost_entry(amapi):
    run(amapi, lambda p: p.plan_apps(app_spec()))
    amapi.clear_requests()
    run(amapi, lambda p: p.plan_apps(app_spec(policies=[{"policy": "work-profile", "intent": "uninstall"}])))
    assert policy(amapi, WORK)["applications"][-1] == {"packageName": RN, "installType": "BLOCKED"}
    assert policy(amapi, COPE)["applications"][-1]["installType"] == "FORCE_INSTALLED"

    run(amapi, lambda p: p.plan_apps(app_spec(state="absent", policies=[{"policy": "work-profile"}])))
    assert policy(amapi, WORK)["applications"] == OTHERS
    assert [entry["body"] for entry in amapi.writes()][-1] == {"packageNames": [RN]}


def test_a_missing_policy_or_groups_fail_before_any_request_is_written(amapi):
    with pytest.raises(ProviderError, match="no policy named enterprises/LC00emu01/policies/kiosk"):
        provider(amapi).plan_apps(app_spec(policies=[{"policy": "kiosk"}]))
    with pytest.raises(Unsupported, match="has no groups"):
        provider(amapi).plan_apps(app_spec(policies=[], assignments=[{"group": "BYOD"}]))
    with pytest.raises(ProviderError, match="prevent_backup"):
        provider(amapi).plan_apps(app_spec(prevent_backup=True))
    assert amapi.writes() == []


def test_check_mode_plans_without_a_write(amapi):
    work = provider(amapi).plan_apps(app_spec())
    configs = provider(amapi).plan_app_configs(config_specs(), check_mode=True)
    assert work.changed and configs.changed and amapi.writes() == []
    assert any("check mode" in note for note in configs.warnings)


# App config -----------------------------------------------------------------------------------

def test_the_managed_configuration_is_written_as_strings_and_converges(amapi):
    run(amapi, lambda p: p.plan_apps(app_spec()))
    work, _results = run(amapi, lambda p: p.plan_app_configs(config_specs()))
    again, _none = run(amapi, lambda p: p.plan_app_configs(config_specs()))

    entry = policy(amapi, WORK)["applications"][-1]
    assert entry == {"packageName": RN, "installType": "AVAILABLE", "managedConfiguration": {
        "serverUrl": "https://chat.example.com", "inAppPinCode": "true", "allowOtherServers": "false"}}
    assert policy(amapi, WORK)["applications"][:3] == OTHERS
    assert [op.action for op in work.operations] == ["create", "create"] and not again.changed
    change = amapi.writes()[-1]["body"]["changes"][0]
    assert change["updateMask"] == "managedConfiguration"


def test_an_app_config_needs_the_app_entry_first(amapi):
    with pytest.raises(ProviderError, match="add the app to the policy first"):
        provider(amapi).plan_app_configs(config_specs())


def test_a_key_google_play_does_not_declare_fails_naming_it(amapi):
    amapi.seed(**{"amapi/applications": [{"name": RN, "managedProperties": [{"key": "serverUrl", "type": "STRING"},
                                                                            {"key": "inAppPinCode", "type": "BOOL"}]}]})
    run(amapi, lambda p: p.plan_apps(app_spec()))
    with pytest.raises(ProviderError, match="no managed property 'allowOtherServers'"):
        provider(amapi).plan_app_configs(config_specs(config={"serverUrl": "https://x.example.com",
                                                              "allowOtherServers": False}))
    with pytest.raises(ProviderError, match="'inAppPinCode' is of type BOOL"):
        provider(amapi).plan_app_configs(config_specs(config={"serverUrl": "https://x.example.com", "inAppPinCode": True}))


def test_absent_clears_only_the_configuration(amapi):
    run(amapi, lambda p: p.plan_apps(app_spec()))
    run(amapi, lambda p: p.plan_app_configs(config_specs()))
    run(amapi, lambda p: p.plan_app_configs(config_specs(state="absent", config=None)))
    again = provider(amapi).plan_app_configs(config_specs(state="absent", config=None))
    assert policy(amapi, WORK)["applications"][-1] == {"packageName": RN, "installType": "AVAILABLE"}
    assert not again.changed


# Device profile -------------------------------------------------------------------------------

def test_device_settings_are_patched_with_an_exact_mask(amapi):
    site(amapi)
    patches = [entry for entry in amapi.writes() if entry["method"] == "PATCH"]
    work, cope = policy(amapi, WORK), policy(amapi, COPE)

    assert [entry["query"]["updateMask"] for entry in patches] == [
        "crossProfilePolicies.crossProfileCopyPaste,passwordPolicies,screenCaptureDisabled",
        "passwordPolicies,screenCaptureDisabled"]
    assert work["passwordPolicies"] == [{"passwordScope": "SCOPE_PROFILE", "passwordQuality": "ALPHANUMERIC",
                                         "passwordMinimumLength": 6}]
    assert cope["passwordPolicies"][0]["passwordScope"] == "SCOPE_DEVICE" and "crossProfilePolicies" not in cope
    assert work["statusBarDisabled"] is True and work["applications"][:3] == OTHERS


def test_a_second_site_run_writes_nothing(amapi):
    site(amapi)
    amapi.clear_requests()
    site(amapi)
    assert amapi.writes() == []


def test_absent_clears_only_the_settings_the_collection_sets_and_needs_the_policies(amapi):
    site(amapi)
    amapi.clear_requests()

    run(amapi, lambda p: p.plan_device_profiles(profile_spec(state="absent")))
    [patch] = amapi.writes()
    work = policy(amapi, WORK)

    assert patch["query"]["updateMask"] == "crossProfilePolicies.crossProfileCopyPaste,passwordPolicies,screenCaptureDisabled"
    assert not work.get("passwordPolicies") and "screenCaptureDisabled" not in work
    assert work["statusBarDisabled"] is True and len(work["applications"]) == len(OTHERS) + 1
    with pytest.raises(ProviderError, match="needs the policies that carry these settings"):
        provider(amapi).plan_device_profiles(profile_spec(state="absent", policies=()))


def test_a_profile_for_both_kinds_of_device_is_refused(amapi):
    spec = DeviceProfileSpec.from_input({"name": "x", "android": {"block_screen_capture": True}}, platforms=["android"],
                                        policies=["work-profile"])
    with pytest.raises(ProviderError, match="one enrollment"):
        provider(amapi).plan_device_profiles(spec)


def test_app_protection_is_refused_with_the_reason(amapi):
    with pytest.raises(Unsupported, match="work profile is the boundary"):
        provider(amapi).plan_app_protection(None)


# Faults ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [429, 500, 503])
def test_faults_converge_without_duplicates(amapi, status):
    amapi.add_fault(":modifyPolicyApplications", status, count=1, retry_after=0)
    run(amapi, lambda p: p.plan_apps(app_spec()))
    assert [app["packageName"] for app in policy(amapi, WORK)["applications"]].count(RN) == 1
    assert not provider(amapi).plan_apps(app_spec()).changed


def test_a_lost_answer_is_retried_and_converges(amapi):
    amapi.add_fault(":modifyPolicyApplications", drop=True, count=1)
    run(amapi, lambda p: p.plan_apps(app_spec()))
    assert [app["packageName"] for app in policy(amapi, COPE)["applications"]].count(RN) == 1


def test_a_google_error_is_a_clear_message(amapi):
    amapi.add_fault("/amapi/v1/", 400, message="Policy is invalid.")
    with pytest.raises(ApiError, match="400 INVALID_ARGUMENT: Policy is invalid."):
        provider(amapi).plan_apps(app_spec())


# Devices --------------------------------------------------------------------------------------

def devices(amapi):
    amapi.seed(**{"amapi/devices": [
        {"name": "byod1", "policyName": WORK, "ownership": "PERSONALLY_OWNED", "userName": "ann@example.com",
         "hardwareInfo": {"serialNumber": "S-BYOD-1"}},
        {"name": "cope1", "policyName": COPE, "userName": "bob@example.com", "hardwareInfo": {"serialNumber": "S-COPE-1"},
         "nonComplianceDetails": [{"settingName": "applications", "packageName": RN, "nonComplianceReason": "PENDING",
                                   "installationFailureReason": "IN_PROGRESS"},
                                  {"settingName": "applications", "packageName": "com.android.chrome",
                                   "nonComplianceReason": "PENDING"}]}]})


def test_emm_info_reports_devices_behind_their_policy_s_version(amapi):
    devices(amapi)
    run(amapi, lambda p: p.plan_apps(app_spec()))
    run(amapi, lambda p: p.plan_app_configs(config_specs()))
    found = provider(amapi).inventory()
    by_id = {device["id"].rsplit("/", 1)[1]: device for device in found["devices"]}

    assert (by_id["byod1"]["applied_policy_version"], by_id["byod1"]["policy_version"]) == (1, 3)
    assert not by_id["byod1"]["current"] and not by_id["cope1"]["current"]
    assert [detail["packageName"] for detail in by_id["cope1"]["non_compliance"]] == [RN]
    assert {(item["name"], item["devices_behind"]) for item in found["policies"]} == {(WORK, 1), (COPE, 1)}
    assert [item["intent"] for item in found["apps"]] == ["available", "required"]
    assert found["app_configurations"][0]["settings"]["inAppPinCode"] == "true"
    assert not [f for item in found["app_configurations"] for f in item["findings"] if f["severity"] == "error"]
    amapi.amapi_sync()
    assert all(device["current"] for device in provider(amapi).inventory()["devices"])
    assert amapi.writes() == [entry for entry in amapi.writes() if entry["method"] == "POST"]


def test_a_wipe_deletes_the_device_and_says_a_personal_one_loses_its_work_profile(amapi):
    devices(amapi)
    p = provider(amapi)
    spec = parse(DeviceActionSpec, {"action": "wipe", "devices": [{"serial_number": "s-byod-1"}, {"user": "bob@example.com"}],
                                    "max_devices": 2})
    done = p.device_action(spec, p.select_devices(spec))
    assert [(item["id"], item["removed"]) for item in done] == [(f"{ENTERPRISE}/devices/byod1", "work_profile"),
                                                                (f"{ENTERPRISE}/devices/cope1", "device")]
    assert [wipe["removed"] for wipe in amapi.state()["amapi/wipes"]] == ["work_profile", "device"]


def test_a_wipe_beyond_max_devices_or_of_nothing_sends_nothing(amapi):
    devices(amapi)
    p = provider(amapi)
    two = parse(DeviceActionSpec, {"action": "wipe", "devices": [{"serial_number": "S-BYOD-1"}, {"id": "cope1"}]})
    with pytest.raises(ProviderError, match="max_devices=1"):
        p.select_devices(two)
    with pytest.raises(Unsupported, match="no 'retire'"):
        p.select_devices(parse(DeviceActionSpec, {"action": "retire", "devices": [{"id": "cope1"}]}))
    assert amapi.writes() == [] and len(amapi.state()["amapi/devices"]) == 2
