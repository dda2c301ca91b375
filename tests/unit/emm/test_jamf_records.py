# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jamf Pro's codec without a server: the Classic XML written, answers read back in comparable
form, Jamf's profile rewrites masked and echoed, and everything Jamf cannot do refused."""

from __future__ import annotations

import plistlib

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import parse_xml
from ansible_collections.mattermost.emm.plugins.module_utils.emm import engine
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    APP,
    APP_CONFIG,
    DEVICE_PROFILE,
    OWNER_MARKER,
    Operation,
    ProviderError,
    Target,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.jamf import CAPABILITIES, records, wishes
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    AppConfigSpec,
    AppSpec,
    DeviceProfileSpec,
    parse,
)
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import apple

GROUPS = {"Mattermost corporate": "7", "Mattermost BYOD": "8"}


def resolve(targets):
    return GROUPS


IOS = ["ios"]


def app_spec(**fields) -> AppSpec:
    return parse(AppSpec, {"platforms": IOS, **fields})


def config_spec(name="Mattermost", config=None, **fields) -> AppConfigSpec:
    return AppConfigSpec.from_input({"name": name, "config": config or {"serverUrl": "https://chat.example.com"},
                                     "platforms": IOS, **fields}, {})


def profile_spec(profile=None, **fields) -> DeviceProfileSpec:
    return DeviceProfileSpec.from_input(profile or {"name": "Mattermost security", "passcode": {"min_length": 8}},
                                        platforms=IOS, **fields)


def written(op: Operation):
    return parse_xml(records.write_xml(op)).getroot()


def create(desired: engine.Desired) -> Operation:
    return engine.plan([desired], [], assignments=engine.ASSIGN_INLINE).operations[0]


def record(general=None, scope=None, preferences=None) -> dict:
    """An app record the collection made (its description carries the marker)."""
    raw = {"general": {"id": 3, "name": "Mattermost", "bundle_id": "com.mattermost.rn",
                       "description": records.APP_DESCRIPTION, **(general or {})},
           "scope": scope or {}}
    if preferences is not None:
        raw["app_configuration"] = {"preferences": preferences}
    return raw


# The app record -------------------------------------------------------------------------------

def test_a_new_app_record_carries_every_setting_and_its_scope():
    spec = app_spec(assignments=[{"group": "Mattermost corporate"}, {"group_id": "9", "exclude": True}],
                    prevent_backup=True, remove_on_unenroll=True)
    root = written(create(wishes.app_wish(spec, resolve)))

    general = root.find("general")
    assert root.tag == "mobile_device_application"
    assert {child.tag: child.text for child in general} == {
        "name": "Mattermost", "bundle_id": "com.mattermost.rn",
        "itunes_store_url": "https://apps.apple.com/app/mattermost/id1257222717",
        "deployment_type": "Install Automatically/Prompt Users to Install", "deploy_as_managed_app": "true",
        "take_over_management": "true", "prevent_backup_of_app_data": "true",
        "remove_app_when_mdm_profile_is_removed": "true", "description": f"The Mattermost mobile app. {OWNER_MARKER}",
    }
    assert root.findtext("scope/all_mobile_devices") == "false"
    assert [e.text for e in root.findall("scope/mobile_device_groups/mobile_device_group/id")] == ["7"]
    assert [e.text for e in root.findall("scope/exclusions/mobile_device_groups/mobile_device_group/id")] == ["9"]


def test_available_means_self_service_and_unset_options_are_left_out():
    spec = app_spec(assignments=[{"group": "Mattermost BYOD", "intent": "available"}])
    body = wishes.app_wish(spec, resolve).body
    assert body["deployment_type"] == "Make Available in Self Service"
    assert "prevent_backup_of_app_data" not in body and "remove_app_when_mdm_profile_is_removed" not in body


def test_server_derived_fields_are_never_compared():
    raw = record({"display_name": "Other", "host_externally": True, "internal_app": False, "external_url": "x",
                  "itunes_country_region": "US", "itunes_store_url": "https://apps.apple.com/app/mattermost/id1257222717",
                  "deployment_type": "Install Automatically/Prompt Users to Install", "deploy_as_managed_app": True,
                  "take_over_management": True, "description": f"The Mattermost mobile app. {OWNER_MARKER}"},
                 {"mobile_device_groups": [{"id": 7, "name": "Mattermost corporate"}]})
    spec = app_spec(assignments=[{"group": "Mattermost corporate"}])
    current = records.app_actual(APP, raw)

    assert current.owned and current.name == "com.mattermost.rn" and current.id == "3"
    assert engine.plan([wishes.app_wish(spec, resolve)], [current], assignments=engine.ASSIGN_INLINE).operations == []


def test_an_update_sends_only_what_changed():
    raw = record({"deployment_type": "Make Available in Self Service", "itunes_store_url":
                  "https://apps.apple.com/app/mattermost/id1257222717", "deploy_as_managed_app": True,
                  "take_over_management": True, "description": f"x {OWNER_MARKER}"})
    spec = app_spec(assignments=[{"group": "Mattermost corporate"}])
    work = engine.plan([wishes.app_wish(spec, resolve)], [records.app_actual(APP, raw)], assignments=engine.ASSIGN_INLINE)

    (update,) = work.operations
    root = written(update)
    assert update.action == engine.UPDATE and update.id == "3"
    assert {child.tag for child in root.find("general")} == {"deployment_type", "description"}
    assert [e.text for e in root.findall("scope/mobile_device_groups/mobile_device_group/id")] == ["7"]


def test_scope_reads_all_devices_groups_and_exclusions():
    scope = {"all_mobile_devices": True, "mobile_device_groups": [{"id": 7, "name": "A"}],
             "exclusions": {"mobile_device_groups": [{"id": 8, "name": "B"}]}}
    assert [str(a.target) for a in records.assignments(scope)] == ["include:all_devices", "include:7", "exclude:8"]
    assert records.assignments(scope)[1].target == Target("device_group", "7")
    assert records.group_names(scope) == {"7": "A", "8": "B"}


@pytest.mark.parametrize(("fields", "says"), [
    ({"platforms": ["ios", "android"]}, "Apple devices only"),
    ({"vpn_configuration_id": "12"}, "vpn_configuration_id '12' cannot be set for Jamf Pro"),
    ({"removable": False}, "removable False has no Jamf Pro equivalent"),
    ({"assignments": [{"group": "Mattermost BYOD", "intent": "uninstall"}]}, "exclude: true"),
    ({"assignments": [{"group": "Mattermost BYOD", "intent": "available"}, {"group": "Mattermost corporate"}]},
     "one deployment type for its whole scope"),
], ids=["android", "vpn", "removable", "uninstall", "mixed-intents"])
def test_what_an_app_record_cannot_hold_is_refused(fields, says):
    with pytest.raises(ProviderError, match=says):
        wishes.app_wish(parse(AppSpec, {"platforms": IOS, **fields}), resolve)


def test_app_protection_is_refused_naming_the_apps_own_keys():
    with pytest.raises(engine.Unsupported) as caught:
        CAPABILITIES.require(engine.APP_PROTECTION)
    for key in ("inAppPinCode", "blurApplicationScreen", "jailbreakProtection", "copyAndPasteProtection", "prevent_backup"):
        assert key in str(caught.value)


def test_the_created_id_is_read_from_jamfs_answer():
    assert records.created_id("<?xml version='1.0'?><mobile_device_application><id>12</id></mobile_device_application>") == "12"
    with pytest.raises(ProviderError, match="holds no id"):
        records.created_id("<html>oops</html>")


# The AppConfig in the record ----------------------------------------------------------------------

def test_the_appconfig_update_sends_only_the_preferences():
    spec = config_spec(config={"serverUrl": "https://chat.example.com/?a=1&b=2", "username": "$EMAIL"})
    current = records.app_actual(APP_CONFIG, record(preferences=""))
    work = wishes.app_config_wishes([spec], resolve, lambda: {"com.mattermost.rn": current}, check_mode=False)
    (update,) = engine.plan(work.desired, [current], assignments=engine.ASSIGN_INLINE).operations

    root = written(update)
    assert [child.tag for child in root] == ["app_configuration"]
    preferences = root.findtext("app_configuration/preferences")
    assert "<string>$EMAIL</string>" in preferences and "&amp;b=2" in preferences
    assert records.preferences(preferences) == {"serverUrl": "https://chat.example.com/?a=1&b=2", "username": "$EMAIL"}


def test_typed_preferences_differ_from_the_strings_wanted():
    typed = "<dict><key>inAppPinCode</key><true/><key>serverUrl</key><string>https://chat.example.com</string></dict>\n"
    current = records.app_actual(APP_CONFIG, record(preferences=typed))
    spec = config_spec(config={"inAppPinCode": True, "serverUrl": "https://chat.example.com"})
    work = wishes.app_config_wishes([spec], resolve, lambda: {"com.mattermost.rn": current}, check_mode=False)

    assert current.body["preferences"] == {"inAppPinCode": "<boolean>true", "serverUrl": "https://chat.example.com"}
    assert [op.action for op in engine.plan(work.desired, [current]).operations] == [engine.UPDATE]


def test_the_same_preferences_differently_written_are_no_change():
    written_by_jamf = "<dict>\n<key>serverUrl</key>\n<string>https://chat.example.com</string>\n</dict>"
    current = records.app_actual(APP_CONFIG, record(preferences=written_by_jamf))
    work = wishes.app_config_wishes([config_spec()], resolve, lambda: {"com.mattermost.rn": current}, check_mode=False)
    assert engine.plan(work.desired, [current]).operations == []


def test_groups_of_an_appconfig_join_the_record_scope():
    current = records.app_actual(APP_CONFIG, record(scope={"mobile_device_groups": [{"id": 8, "name": "Mattermost BYOD"}]},
                                                    preferences=""))
    spec = config_spec(groups=[{"group": "Mattermost corporate"}])
    work = wishes.app_config_wishes([spec], resolve, lambda: {"com.mattermost.rn": current}, check_mode=False)
    (update,) = engine.plan(work.desired, [current], assignments=engine.ASSIGN_INLINE).operations
    ids = [e.text for e in written(update).findall("scope/mobile_device_groups/mobile_device_group/id")]
    assert ids == ["7", "8"]


def test_two_different_configurations_for_one_app_are_refused():
    specs = [config_spec("Corporate"), config_spec("BYOD", config={"serverUrl": "https://byod.example.com"})]
    with pytest.raises(ProviderError, match=r"'Corporate', 'BYOD'.*one AppConfig.*\$EMAIL"):
        wishes.app_config_wishes(specs, resolve, dict, check_mode=False)


def test_an_enrollment_split_is_a_warning_and_the_same_keys_twice_are_one_configuration():
    specs = [config_spec("Corporate", enrollment=["company_owned"]), config_spec("BYOD", enrollment=["byod"])]
    current = records.app_actual(APP_CONFIG, record(preferences=""))
    work = wishes.app_config_wishes(specs, resolve, lambda: {"com.mattermost.rn": current}, check_mode=False)
    assert len(work.desired) == 1 and len(work.warnings) == 2
    assert "cannot limit an AppConfig to company_owned devices" in work.warnings[0]


def test_an_appconfig_needs_the_app_record_except_in_check_mode():
    with pytest.raises(ProviderError, match="add the app first with mattermost.emm.app"):
        wishes.app_config_wishes([config_spec()], resolve, dict, check_mode=False)
    work = wishes.app_config_wishes([config_spec()], resolve, dict, check_mode=True)
    assert work.warnings and work.desired[0].name == "com.mattermost.rn"


def test_an_absent_appconfig_empties_the_preferences_and_never_deletes_the_record():
    current = records.app_actual(APP_CONFIG, record(general={"description": records.APP_DESCRIPTION},
                                                    preferences="<dict><key>a</key><string>b</string></dict>"))
    work = wishes.app_config_wishes([config_spec(state="absent")], resolve, lambda: {"com.mattermost.rn": current}, check_mode=False)
    (update,) = engine.plan(work.desired, [current], assignments=engine.ASSIGN_INLINE).operations
    assert update.action == engine.UPDATE
    assert written(update).findtext("app_configuration/preferences") in (None, "")


def test_an_absent_appconfig_leaves_a_colleagues_record_as_it_is():
    current = records.app_actual(APP_CONFIG, record(general={"description": "made in the console"},
                                                    preferences="<dict><key>a</key><string>b</string></dict>"))
    work = wishes.app_config_wishes([config_spec(state="absent")], resolve, lambda: {"com.mattermost.rn": current}, check_mode=False)

    assert work.desired == [] and "not created by this collection" in work.warnings[0]


@pytest.mark.parametrize(("fields", "says"), [
    ({"platforms": ["ios", "android"]}, "Apple devices only"),
    ({"intune_app_protection": True}, "intune_app_protection"),
])
def test_what_a_jamf_appconfig_cannot_be_is_refused(fields, says):
    with pytest.raises(ProviderError, match=says):
        wishes.app_config_wishes([config_spec(**fields)], resolve, dict, check_mode=True)


# Configuration profiles ---------------------------------------------------------------------------

def jamf_copy(document: dict) -> dict:
    """The profile as Jamf stores it: its own top-level UUID and identifier, and injected keys."""
    return {**document, "PayloadUUID": "JAMF-UUID-1", "PayloadIdentifier": "JAMF-UUID-1",
            "PayloadOrganization": "Example Corp", "PayloadEnabled": True}


def profile_record(document: dict, description=records.PROFILE_DESCRIPTION) -> dict:
    payloads = plistlib.dumps(document, fmt=plistlib.FMT_XML).decode()
    return {"general": {"id": 5, "name": "Mattermost security", "description": description,
                        "deployment_method": "Install Automatically", "payloads": payloads}, "scope": {}}


def test_a_new_profile_carries_the_generated_mobileconfig():
    wanted = wishes.profile_wishes(profile_spec(groups=[{"group": "Mattermost BYOD"}]), resolve).desired[0]
    root = written(create(wanted))

    assert root.tag == "configuration_profile"
    assert root.findtext("general/name") == "Mattermost security"
    assert root.findtext("general/deployment_method") == "Install Automatically"
    assert root.findtext("general/redeploy_on_update") == "Newly Assigned"
    assert OWNER_MARKER in root.findtext("general/description")
    assert apple.parse(root.findtext("general/payloads").encode()) == profile_spec().profile
    assert [e.text for e in root.findall("scope/mobile_device_groups/mobile_device_group/id")] == ["8"]


def test_jamfs_rewrites_are_masked_and_its_uuid_is_echoed_on_update():
    spec = profile_spec()
    stored = jamf_copy(apple.document(spec.profile))
    current = records.profile_actual(profile_record(stored))
    assert engine.plan(wishes.profile_wishes(spec, resolve).desired, [current]).operations == []

    changed = profile_spec({"name": "Mattermost security", "passcode": {"min_length": 10}})
    (update,) = engine.plan(wishes.profile_wishes(changed, resolve).desired, [current]).operations
    sent = apple.read_plist(written(update).findtext("general/payloads").encode())
    assert (sent["PayloadUUID"], sent["PayloadIdentifier"]) == ("JAMF-UUID-1", "JAMF-UUID-1")
    assert sent["PayloadContent"][0]["minLength"] == 10


def test_an_inner_payload_edit_is_seen():
    spec = profile_spec()
    stored = jamf_copy(apple.document(spec.profile))
    stored["PayloadContent"][0]["minLength"] = 4
    current = records.profile_actual(profile_record(stored))
    assert [op.action for op in engine.plan(wishes.profile_wishes(spec, resolve).desired, [current]).operations] == ["update"]


@pytest.mark.parametrize("value", ["R&D", "a<b"])
def test_values_jamf_decodes_twice_are_refused_naming_them(value):
    spec = profile_spec({"name": "Mattermost security", "organization": value, "passcode": {}})
    with pytest.raises(ProviderError, match=rf"PayloadOrganization = '{value}'.*nothing was sent"):
        wishes.profile_wishes(spec, resolve)


def test_a_per_app_vpn_profile_warns_that_the_binding_is_made_in_the_console():
    vpn = {"connection_name": "Corp", "server": "vpn.example.com", "vpn_type": "ikev2", "local_identifier": "mm"}
    work = wishes.profile_wishes(profile_spec({"name": "Mattermost VPN", "per_app_vpn": vpn}), resolve)
    assert "Jamf Pro console" in work.warnings[0]


def test_android_profiles_are_refused():
    with pytest.raises(ProviderError, match="Apple devices only"):
        wishes.profile_wishes(DeviceProfileSpec.from_input({"name": "p", "passcode": {}}), resolve)


def test_an_absent_profile_is_wanted_absent():
    (wanted,) = wishes.profile_wishes(profile_spec(state="absent"), resolve).desired
    assert (wanted.kind, wanted.name, wanted.present) == (DEVICE_PROFILE, "Mattermost security", False)
