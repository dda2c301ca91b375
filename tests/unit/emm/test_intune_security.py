# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Device profiles, app protection and device actions through the Intune provider against the
Graph emulator (plans without writes, idempotence, faults, duplicates, console edits, refusals),
and the offline provider's .mobileconfig files."""

from __future__ import annotations

import json
import plistlib
from collections import Counter

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import DuplicateObjects, ProviderError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    AppProtectionSpec,
    DeviceActionSpec,
    DeviceProfileSpec,
    SpecError,
    parse,
)
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import apple
from test_intune import connect, group
from vendors import offline_provider

USERS = "Mattermost users"
PROFILES = "/deviceManagement/deviceConfigurations"
PROTECTIONS = "/deviceAppManagement/iosManagedAppProtections"
PROFILE = {
    "name": "Mattermost device security",
    "passcode": {"min_length": 6, "complexity": "alphanumeric", "auto_lock_minutes": 5, "max_failed_attempts": 10},
    "restrictions": {"block_screenshots": True, "managed_open_in_only": True},
    "per_app_vpn": {"connection_name": "Example tunnel", "server": "vpn.example.org", "vpn_type": "ikev2",
                    "local_identifier": "mattermost@example.org"},
    "android": {"password_min_length": 6, "password_quality": "numeric_complex", "block_screen_capture": True,
                "block_cross_profile_copy_paste": True},
}
PROFILE_TYPES = {
    "Mattermost device security - iOS": "#microsoft.graph.iosGeneralDeviceConfiguration",
    "Mattermost device security - iOS per-app VPN": "#microsoft.graph.iosikEv2VpnConfiguration",
    "Mattermost device security - Android work profile": "#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration",
    "Mattermost device security - Android fully managed": "#microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration",
}
BUNDLES = {"Mattermost iOS protection": "com.mattermost.rn", "Mattermost iOS protection (beta)": "com.mattermost.rnbeta"}
DEVICES = [
    {"deviceName": "Alex's iPhone", "serialNumber": "F2LXK0ABCD12", "userPrincipalName": "alex@example.org",
     "operatingSystem": "iOS", "managementState": "managed"},
    {"deviceName": "Alex's Pixel", "serialNumber": "R58N12ABCDE", "userPrincipalName": "alex@example.org",
     "operatingSystem": "Android", "managementState": "managed"},
    {"deviceName": "Sam's iPhone", "serialNumber": "F2LXK0WXYZ34", "userPrincipalName": "sam@example.org",
     "operatingSystem": "iOS", "managementState": "managed"},
]


def profile_spec(**profile):
    return DeviceProfileSpec.from_input({**PROFILE, **profile}, groups=[{"group": USERS}])


def protection_spec(**changes):
    return parse(AppProtectionSpec, {"name": "Mattermost iOS protection", "app_ids": list(BUNDLES.values()),
                                     "minimum_os_version": "17.0", "groups": [{"group": USERS}], **changes})


def action_spec(action, *devices, **options):
    return parse(DeviceActionSpec, {"action": action, "devices": list(devices), **options})


def deploy(emu):
    """One run of both modules, each with a fresh provider, as ansible-playbook does it."""
    for make_plan in (lambda p: p.plan_device_profiles(profile_spec()), lambda p: p.plan_app_protection(protection_spec())):
        provider = connect(emu)
        provider.apply(make_plan(provider))


def pending(emu):
    """What a further run would do (plans only)."""
    return connect(emu).plan_device_profiles(profile_spec()).summary() + connect(emu).plan_app_protection(protection_spec()).summary()


def by_name(emu, collection):
    return {item["displayName"]: item for item in emu.state()[collection]}


def bundle_ids(policy):
    return [app["mobileAppIdentifier"]["bundleId"] for app in policy["apps"]]


def assert_each_object_once(emu):
    state = emu.state()
    names = Counter((kind, item["displayName"]) for kind in ("deviceConfigurations", "iosManagedAppProtections")
                    for item in state[kind])
    assert set(names.values()) == {1}
    assert {name for _kind, name in names} == set(PROFILE_TYPES) | set(BUNDLES)


@pytest.fixture
def users(emulator):
    """The tenant's one user group; its id."""
    return emulator.seed(groups=[group(USERS)])["groups"][0]["id"]


# Convergence, check mode and idempotence ---------------------------------------------------------

def test_plans_send_nothing_and_show_what_would_be_created(emulator, users):
    profiles = connect(emulator).plan_device_profiles(profile_spec())
    protections = connect(emulator).plan_app_protection(protection_spec())

    assert emulator.writes() == []
    diff = {side: json.loads(text) for side, text in profiles.diff().items()}
    assert diff["before"] == {}
    assert {label.partition("/")[2]: body["@odata.type"] for label, body in diff["after"].items()} == PROFILE_TYPES
    assert diff["after"]["device_profile/Mattermost device security - iOS"]["passcodeMinimumLength"] == 6
    after = json.loads(protections.diff()["after"])
    assert {label: body["apps"] for label, body in after.items()} == {
        f"app_protection/{name}": [bundle] for name, bundle in BUNDLES.items()}
    assert {len(body["assignments"]) for body in [*after.values(), *diff["after"].values()]} == {1}


def test_first_run_creates_assigns_and_targets_then_a_second_run_sends_no_write(emulator, users):
    deploy(emulator)
    profiles, protections = by_name(emulator, "deviceConfigurations"), by_name(emulator, "iosManagedAppProtections")

    assert {name: item["@odata.type"] for name, item in profiles.items()} == PROFILE_TYPES
    assert {name: bundle_ids(item) for name, item in protections.items()} == {name: [bundle] for name, bundle in BUNDLES.items()}
    for item in [*profiles.values(), *protections.values()]:
        assert [a["target"]["groupId"] for a in item["assignments"]] == [users]
        assert objects.OWNER_MARKER in item["description"]
    settings = {"dataBackupBlocked": True, "appDataEncryptionType": "whenDeviceLocked", "pinRequired": True,
                "minimumPinLength": 6, "maximumPinRetries": 5, "allowedOutboundClipboardSharingLevel": "managedAppsWithPasteIn",
                "periodOfflineBeforeWipeIsEnforced": "P90D", "minimumRequiredOsVersion": "17.0"}
    for policy in protections.values():
        assert {name: policy[name] for name in settings} == settings

    emulator.clear_requests()
    assert pending(emulator) == []
    assert emulator.writes() == []


# Faults ---------------------------------------------------------------------------------------------

FAULTS = {
    "429 storm": [
        {"path": PROFILES, "method": "GET", "status": 429, "retry_after": 0, "count": 3},
        {"path": PROFILES + "$", "method": "POST", "status": 429, "retry_after": 0, "count": 4},
        {"path": PROTECTIONS, "method": "GET", "status": 429, "retry_after": 0, "count": 2},
        {"path": r"/assign$", "status": 429, "retry_after": 0, "count": 5},
        {"path": r"/targetApps$", "status": 429, "retry_after": 0, "count": 2},
        {"path": "/beta/$batch", "status": 429, "retry_after": 0, "count": 2},
    ],
    "503 on the batch": [
        {"path": "/beta/$batch", "method": "POST", "status": 503, "retry_after": 0, "count": 2},
    ],
}


@pytest.mark.parametrize("faults", FAULTS.values(), ids=FAULTS.keys())
def test_faults_are_ridden_out_without_duplicates(emulator, users, faults):
    for rule in faults:
        emulator.add_fault(**rule)

    deploy(emulator)

    assert emulator.faults() == []  # every injected fault was met
    assert_each_object_once(emulator)
    assert pending(emulator) == []


# Ownership and console edits ----------------------------------------------------------------------

TWINS = {
    "device profile": ("deviceConfigurations", {"@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration",
                                                "displayName": "Mattermost device security - iOS"}),
    "app protection": ("iosManagedAppProtections", {"displayName": "Mattermost iOS protection"}),
}


@pytest.mark.parametrize(("collection", "twin"), TWINS.values(), ids=TWINS.keys())
def test_two_objects_with_one_name_fail_listing_both_and_nothing_is_written(emulator, users, collection, twin):
    twins = emulator.seed(**{collection: [dict(twin), dict(twin)]})[collection]
    plan = connect(emulator).plan_device_profiles if collection == "deviceConfigurations" else connect(emulator).plan_app_protection

    with pytest.raises(DuplicateObjects) as raised:
        plan(profile_spec() if collection == "deviceConfigurations" else protection_spec())

    assert sorted(raised.value.ids) == sorted(item["id"] for item in twins)
    assert all(item["id"] in str(raised.value) for item in twins)
    assert emulator.writes() == []


def test_console_passcode_edit_is_detected_shown_and_reverted(emulator, users):
    deploy(emulator)
    ios = by_name(emulator, "deviceConfigurations")["Mattermost device security - iOS"]
    edit = {"@odata.type": ios["@odata.type"], "passcodeMinimumLength": 4}
    assert emulator.graph("PATCH", f"{PROFILES}/{ios['id']}", edit, version="beta").status == 204

    work = connect(emulator).plan_device_profiles(profile_spec())
    label = "device_profile/Mattermost device security - iOS"
    diff = {side: json.loads(text)[label]["passcodeMinimumLength"] for side, text in work.diff().items()}
    assert work.summary() == [f"update device_profile 'Mattermost device security - iOS' ({ios['id']})"]
    assert diff == {"before": 4, "after": 6}

    emulator.clear_requests()
    deploy(emulator)
    assert [(w["method"], w["path"]) for w in emulator.writes()] == [("PATCH", f"/beta{PROFILES}/{ios['id']}")]
    assert by_name(emulator, "deviceConfigurations")["Mattermost device security - iOS"]["passcodeMinimumLength"] == 6
    assert pending(emulator) == []


def test_console_change_of_the_protected_app_is_reverted(emulator, users):
    deploy(emulator)
    policy = by_name(emulator, "iosManagedAppProtections")["Mattermost iOS protection"]
    other = {"apps": [{"@odata.type": "#microsoft.graph.managedMobileApp", "mobileAppIdentifier": {
        "@odata.type": "#microsoft.graph.iosMobileAppIdentifier", "bundleId": "com.example.other"}}]}
    assert emulator.graph("POST", f"{PROTECTIONS}/{policy['id']}/targetApps", other, version="beta").status < 300

    assert pending(emulator) == [f"update app_protection 'Mattermost iOS protection' ({policy['id']})"]
    deploy(emulator)
    assert bundle_ids(by_name(emulator, "iosManagedAppProtections")["Mattermost iOS protection"]) == ["com.mattermost.rn"]
    assert pending(emulator) == []


# App protection refusals --------------------------------------------------------------------------

def test_android_app_protection_is_refused_with_the_reason_before_any_request(emulator):
    with pytest.raises(SpecError) as raised:
        protection_spec(platforms=["ios", "android"])

    assert "Intune App SDK" in str(raised.value) and "work profile" in str(raised.value)
    assert emulator.requests() == []


# Device actions -------------------------------------------------------------------------------------

@pytest.fixture
def devices(emulator):
    """Three managed devices, two of them Alex's; ids by device name."""
    return {item["deviceName"]: item["id"] for item in emulator.seed(managedDevices=DEVICES)["managedDevices"]}


def test_device_selection_lists_exactly_the_devices_and_sends_nothing(emulator, devices):
    chosen = connect(emulator).select_devices(action_spec("wipe", {"user": "ALEX@example.org"}, max_devices=2))

    assert sorted(device["id"] for device in chosen) == sorted([devices["Alex's iPhone"], devices["Alex's Pixel"]])
    assert emulator.writes() == []


def test_wipe_sends_what_to_keep_and_retire_sends_no_body(emulator, devices):
    wipe = action_spec("wipe", {"serial_number": "F2LXK0ABCD12"}, keep_user_data=True)
    retire = action_spec("retire", {"id": devices["Sam's iPhone"]})
    for spec in (wipe, retire):
        provider = connect(emulator)
        assert [d["requested"] for d in provider.device_action(spec, provider.select_devices(spec))] == [spec.action]

    writes = [(w["path"].rsplit("/", 2)[1:], w["body"]) for w in emulator.writes()]
    assert writes == [([devices["Alex's iPhone"], "wipe"], {"keepEnrollmentData": False, "keepUserData": True}),
                      ([devices["Sam's iPhone"], "retire"], None)]
    states = {item["deviceName"]: item["managementState"] for item in emulator.state()["managedDevices"]}
    assert states == {"Alex's iPhone": "wipePending", "Alex's Pixel": "managed", "Sam's iPhone": "retirePending"}


def test_selection_over_max_devices_fails_listing_them_and_sends_nothing(emulator, devices):
    with pytest.raises(ProviderError) as raised:
        connect(emulator).select_devices(action_spec("retire", {"user": "alex@example.org"}, {"serial_number": "F2LXK0WXYZ34"},
                                                     max_devices=2))

    message = str(raised.value)
    assert "3 devices" in message and "max_devices=2" in message and "nothing was sent" in message
    assert all(device_id in message for device_id in devices.values())
    assert emulator.writes() == []


def test_devices_must_be_named_and_must_exist(emulator, devices):
    with pytest.raises(SpecError, match="name the devices"):
        action_spec("wipe")
    with pytest.raises(ProviderError, match="no managed device matches serial_number 'NOPE'"):
        connect(emulator).select_devices(action_spec("wipe", {"id": devices["Sam's iPhone"]}, {"serial_number": "NOPE"},
                                                     max_devices=5))
    assert emulator.writes() == []


# Sections dropped from a description, and the offline .mobileconfig --------------------------------

def test_a_section_dropped_from_the_description_removes_its_profile(emulator, users):
    deploy(emulator)
    emulator.clear_requests()
    provider = connect(emulator)
    work = provider.plan_device_profiles(profile_spec(per_app_vpn=None))
    provider.apply(work)

    assert [(op.action, op.name) for op in work.operations] == [("delete", "Mattermost device security - iOS per-app VPN")]
    assert set(by_name(emulator, "deviceConfigurations")) == set(PROFILE_TYPES) - {"Mattermost device security - iOS per-app VPN"}


def test_a_passcode_beyond_intune_travels_as_a_custom_profile_and_back_when_it_fits(emulator, users):
    long = {**PROFILE["passcode"], "min_length": 16}
    provider = connect(emulator)
    provider.apply(provider.plan_device_profiles(profile_spec(passcode=long)))
    custom = by_name(emulator, "deviceConfigurations")["Mattermost device security - iOS passcode"]

    assert custom["@odata.type"] == "#microsoft.graph.iosCustomConfiguration"
    assert "passcodeMinimumLength" not in by_name(emulator, "deviceConfigurations")["Mattermost device security - iOS"]
    assert connect(emulator).plan_device_profiles(profile_spec(passcode=long)).operations == []

    provider = connect(emulator)
    work = provider.plan_device_profiles(profile_spec())
    provider.apply(work)
    assert sorted((op.action, op.name) for op in work.operations) == [
        ("delete", "Mattermost device security - iOS passcode"), ("update", "Mattermost device security - iOS")]
    assert by_name(emulator, "deviceConfigurations")["Mattermost device security - iOS"]["passcodeMinimumLength"] == 6


VENDOR_VPN = {"connection_name": "Vendor tunnel", "server": "gw.example.org", "vpn_type": "ssl",
              "provider_bundle_id": "com.example.vpn", "provider_type": "app-proxy"}


def test_switching_to_a_vendor_vpn_app_replaces_the_ikev2_profile_and_converges(emulator, users):
    deploy(emulator)
    ikev2 = by_name(emulator, "deviceConfigurations")["Mattermost device security - iOS per-app VPN"]
    vendor = VENDOR_VPN
    provider = connect(emulator)
    work = provider.plan_device_profiles(profile_spec(per_app_vpn=vendor))
    provider.apply(work)
    vpn = by_name(emulator, "deviceConfigurations")["Mattermost device security - iOS per-app VPN"]

    assert [op.action for op in work.operations] == ["delete", "create", "assign"]
    assert vpn["id"] != ikev2["id"] and [a["target"]["groupId"] for a in vpn["assignments"]] == [users]
    assert vpn["@odata.type"] == "#microsoft.graph.iosVpnConfiguration"
    assert (vpn["connectionType"], vpn["identifier"], vpn["providerType"], vpn["enablePerApp"]) == (
        "customVpn", "com.example.vpn", "appProxy", True)
    assert connect(emulator).plan_device_profiles(profile_spec(per_app_vpn=vendor)).operations == []
    assert len(emulator.state()["deviceConfigurations"]) == len(PROFILE_TYPES)


def test_a_lost_answer_during_a_type_change_creates_the_new_profile_and_returns_its_id(emulator, users):
    """The old profile is deleted before the new one is created, and recovery never takes the
    object being replaced for the one just created, so the id returned is the new profile's."""
    deploy(emulator)
    ikev2 = by_name(emulator, "deviceConfigurations")["Mattermost device security - iOS per-app VPN"]
    emulator.add_fault(r"^/beta/deviceManagement/deviceConfigurations$", method="POST", drop=True, count=1)
    provider = connect(emulator)
    results = provider.apply(provider.plan_device_profiles(profile_spec(per_app_vpn=VENDOR_VPN)))

    vpn = by_name(emulator, "deviceConfigurations")["Mattermost device security - iOS per-app VPN"]
    created = next(result for result in results if result["action"] == "create")
    assert vpn["@odata.type"] == "#microsoft.graph.iosVpnConfiguration" and vpn["id"] != ikev2["id"]
    assert created["id"] == vpn["id"] and [a["target"]["groupId"] for a in vpn["assignments"]] == [users]
    assert len(emulator.state()["deviceConfigurations"]) == len(PROFILE_TYPES)


def test_a_dropped_section_is_left_alone_when_someone_else_made_it(emulator, users):
    emulator.seed(deviceConfigurations=[{"@odata.type": "#microsoft.graph.iosikEv2VpnConfiguration",
                                         "displayName": "Mattermost device security - iOS per-app VPN"}])
    work = connect(emulator).plan_device_profiles(profile_spec(per_app_vpn=None))

    assert not [op for op in work.operations if op.action == "delete"]
    assert any("was not created by this collection" in warning for warning in work.warnings)


def offline_run(dest, **profile):
    provider = offline_provider(dest)
    provider.apply(provider.plan_device_profiles(profile_spec(**profile)))
    return dest / "deviceConfigurations"


def stored(folder, display_name):
    """The offline file holding the object of that display name."""
    (found,) = [raw for raw in (json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json"))
                if raw["displayName"] == display_name]
    return found


def test_offline_writes_the_native_bodies_and_one_mobileconfig_of_the_ios_settings(tmp_path):
    folder = offline_run(tmp_path / "first")
    vpn = stored(folder, "Mattermost device security - iOS per-app VPN")
    data = (folder / "Mattermost-device-security.mobileconfig").read_bytes()

    assert vpn["@odata.type"] == "#microsoft.graph.iosikEv2VpnConfiguration" and vpn["enablePerApp"] is True
    profile = plistlib.loads(data)
    assert sorted(payload["PayloadType"] for payload in profile["PayloadContent"]) == sorted(
        [apple.PASSCODE, apple.RESTRICTIONS, apple.PER_APP_VPN])
    (payload,) = [payload for payload in profile["PayloadContent"] if payload["PayloadType"] == apple.PER_APP_VPN]
    binding = apple.app_attributes(profile_spec().profile)
    assert list(binding) == ["com.mattermost.rn"] and binding["com.mattermost.rn"]["VPNUUID"] == payload["VPNUUID"]
    assert apple.parse(data) == profile_spec().profile.model_copy(update={"android": None})
    assert sorted(path.suffix for path in folder.iterdir()) == [".json"] * len(PROFILE_TYPES) + [".mobileconfig"]


def test_offline_replaces_a_profile_whose_type_changes(tmp_path):
    offline_run(tmp_path)
    folder = offline_run(tmp_path, per_app_vpn=VENDOR_VPN)
    vpn = stored(folder, "Mattermost device security - iOS per-app VPN")

    assert vpn["@odata.type"] == "#microsoft.graph.iosVpnConfiguration" and len(vpn["assignments"]) == 1
    assert offline_provider(tmp_path).plan_device_profiles(profile_spec(per_app_vpn=VENDOR_VPN)).operations == []


def test_offline_keeps_the_mobileconfig_in_step_with_the_ios_settings(tmp_path):
    offline_run(tmp_path)
    folder = offline_run(tmp_path, per_app_vpn=None)
    payloads = plistlib.loads((folder / "Mattermost-device-security.mobileconfig").read_bytes())["PayloadContent"]
    assert sorted(payload["PayloadType"] for payload in payloads) == sorted([apple.PASSCODE, apple.RESTRICTIONS])

    offline_run(tmp_path, passcode=None, restrictions=None, per_app_vpn=None)
    assert sorted(json.loads(path.read_text(encoding="utf-8"))["displayName"] for path in folder.iterdir()) == [
        "Mattermost device security - Android fully managed", "Mattermost device security - Android work profile"]


def test_offline_rendering_twice_gives_identical_bytes_and_converges(tmp_path):
    first, second = offline_run(tmp_path / "first"), offline_run(tmp_path / "second")

    assert {path.name: path.read_bytes() for path in first.iterdir()} == {path.name: path.read_bytes() for path in second.iterdir()}
    assert offline_provider(tmp_path / "first").plan_device_profiles(profile_spec()).operations == []


# Selective wipe: the Mattermost app's company data, through its app protection registrations -----

IOS_APP = {"@odata.type": "#microsoft.graph.iosMobileAppIdentifier", "bundleId": "com.mattermost.rn"}
BETA_APP = {"@odata.type": "#microsoft.graph.iosMobileAppIdentifier", "bundleId": "com.mattermost.rnbeta"}
OUTLOOK = {"@odata.type": "#microsoft.graph.iosMobileAppIdentifier", "bundleId": "com.microsoft.Office.Outlook"}
IOS_REGISTRATION = "#microsoft.graph.iosManagedAppRegistration"
WIPE_PATH = "/beta/users/{}/wipeManagedAppRegistrationsByDeviceTag"


def registration(user_id, tag, device, app=None):
    return {"@odata.type": IOS_REGISTRATION, "userId": user_id, "deviceTag": tag, "deviceName": device,
            "appIdentifier": app or IOS_APP, "platformVersion": "17.4"}


@pytest.fixture
def registrations(emulator):
    """Alex with Mattermost on two iPhones (Outlook beside it on one, another tag), Sam with the beta app;
    registration ids by (device, app); the users' ids under 'alex' and 'sam'."""
    seeded = emulator.seed(users=[{"userPrincipalName": "alex@example.org"}, {"userPrincipalName": "sam@example.org"}])
    alex, sam = (user["id"] for user in seeded["users"])
    rows = [registration(alex, "tag-a1", "Alex's iPhone"), registration(alex, "tag-a2", "Alex's iPad"),
            registration(alex, "tag-outlook", "Alex's iPhone", OUTLOOK), registration(sam, "tag-s1", "Sam's iPhone", BETA_APP)]
    made = emulator.seed(managedAppRegistrations=rows)["managedAppRegistrations"]
    ids = {(item["deviceName"], item["appIdentifier"]["bundleId"]): item["id"] for item in made}
    return {**ids, "alex": alex, "sam": sam}


def wipes(emu):
    return sorted(((w["path"], w["body"]["deviceTag"]) for w in emu.writes()))


def wiped(emu):
    """Registration id -> how many wipe requests reached it (the emulator's marks)."""
    marks = {item["id"]: item.get("_emulatorMarks", []) for item in emu.state()["managedAppRegistrations"]}
    return {item_id: names.count("wipeRequested") for item_id, names in marks.items() if names}


def selective_wipe(emu, *selectors, **options):
    spec = action_spec("selective_wipe", *selectors, **options)
    provider = connect(emu)
    return provider.device_action(spec, provider.select_devices(spec))


def test_selective_wipe_by_upn_sends_one_request_per_registration_to_its_user_and_tag(emulator, registrations):
    done = selective_wipe(emulator, {"user": "ALEX@example.org"}, max_devices=2)

    alex = registrations["alex"]
    assert wipes(emulator) == [(WIPE_PATH.format(alex), "tag-a1"), (WIPE_PATH.format(alex), "tag-a2")]
    assert wiped(emulator) == {registrations[("Alex's iPhone", "com.mattermost.rn")]: 1,
                               registrations[("Alex's iPad", "com.mattermost.rn")]: 1}
    assert {(d["app_id"], d["user_id"], d["requested"], d["os"]) for d in done} == {
        ("com.mattermost.rn", alex, "selective_wipe", "iOS")}


def test_selective_wipe_by_registration_id_or_user_id_touches_only_that_registration(emulator, registrations):
    sams = registrations[("Sam's iPhone", "com.mattermost.rnbeta")]
    selective_wipe(emulator, {"id": sams})
    selective_wipe(emulator, {"user": registrations["sam"]})

    assert wipes(emulator) == [(WIPE_PATH.format(registrations["sam"]), "tag-s1")] * 2
    assert wiped(emulator) == {sams: 2}  # a wipe is not idempotent: each request is recorded


def test_other_apps_registrations_are_never_selected(emulator, registrations):
    outlook = registrations[("Alex's iPhone", "com.microsoft.Office.Outlook")]
    with pytest.raises(ProviderError, match="no Mattermost app registration matches id"):
        selective_wipe(emulator, {"id": outlook})
    chosen = connect(emulator).select_devices(action_spec("selective_wipe", {"device_name": "alex's iphone"}))

    assert [(d["id"], d["also_wipes"]) for d in chosen] == [(registrations[("Alex's iPhone", "com.mattermost.rn")], [])]
    assert emulator.writes() == []


def test_selective_wipe_check_lists_the_registrations_and_sends_nothing(emulator, registrations):
    chosen = connect(emulator).select_devices(action_spec("selective_wipe", {"user": "sam@example.org"}))

    assert chosen == [{"id": registrations[("Sam's iPhone", "com.mattermost.rnbeta")], "name": "Sam's iPhone",
                       "device_tag": "tag-s1", "user_id": registrations["sam"], "os": "iOS", "os_version": "17.4",
                       "app_id": "com.mattermost.rnbeta", "also_wipes": [], "matched_by": ["user 'sam@example.org'"]}]
    assert emulator.writes() == [] and wiped(emulator) == {}


def test_selective_wipe_over_max_devices_fails_listing_the_registrations_and_sends_nothing(emulator, registrations):
    with pytest.raises(ProviderError) as raised:
        selective_wipe(emulator, {"user": "alex@example.org"})

    message = str(raised.value)
    assert "2 app registrations" in message and "max_devices=1" in message and "nothing was sent" in message
    assert registrations[("Alex's iPhone", "com.mattermost.rn")] in message and registrations[("Alex's iPad", "com.mattermost.rn")] in message
    assert emulator.writes() == []


def test_selective_wipe_refuses_serial_numbers_and_unknown_users(emulator, registrations):
    with pytest.raises(SpecError, match="carry no serial number; name them by id .* user or device_name"):
        action_spec("selective_wipe", {"serial_number": "F2LXK0ABCD12"})
    with pytest.raises(ProviderError, match="no user has the user principal name 'nobody@example.org'"):
        selective_wipe(emulator, {"user": "nobody@example.org"}, max_devices=5)
    assert emulator.writes() == []


def test_a_registration_sharing_its_user_and_tag_with_another_app_says_so_and_gets_one_request(emulator, registrations):
    alex = registrations["alex"]
    emulator.seed(managedAppRegistrations=[registration(alex, "tag-a1", "Alex's iPhone", BETA_APP),
                                           registration(alex, "tag-a1", "Alex's iPhone", OUTLOOK)])
    done = selective_wipe(emulator, {"device_name": "Alex's iPhone"}, max_devices=2)

    assert sorted(d["also_wipes"] for d in done) == [
        ["com.mattermost.rn", "com.microsoft.Office.Outlook"], ["com.mattermost.rnbeta", "com.microsoft.Office.Outlook"]]
    assert wipes(emulator) == [(WIPE_PATH.format(alex), "tag-a1")]
    assert sorted(wiped(emulator).values()) == [1, 1, 1]  # Intune's request reaches every app with that user and tag


def test_a_503_on_the_wipe_is_sent_again_and_recorded_once(emulator, registrations):
    emulator.add_fault("wipeManagedAppRegistrationsByDeviceTag", status=503, retry_after=0)
    selective_wipe(emulator, {"id": registrations[("Alex's iPad", "com.mattermost.rn")]})

    statuses = [entry["status"] for entry in emulator.requests() if entry["write"]]
    assert statuses == [503, 204]
    assert wiped(emulator) == {registrations[("Alex's iPad", "com.mattermost.rn")]: 1}


def test_device_name_names_managed_devices_too(emulator, devices):
    chosen = connect(emulator).select_devices(action_spec("retire", {"device_name": "SAM'S IPHONE"}))

    assert [device["id"] for device in chosen] == [devices["Sam's iPhone"]]
