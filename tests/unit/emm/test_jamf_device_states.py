# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The devices' states on Jamf Pro, against the emulator over real HTTP: the devices a record's
scope reaches (its groups' members, less an excluded group's), each device's inventory read once,
and the app or the profile installed there, or the device named as lacking it."""

from __future__ import annotations

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import jamf
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import APP, DEVICE_PROFILE, Provider
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppSpec, DeviceProfileSpec, parse
from ansible_collections.mattermost.emm.plugins.module_utils.emm.validation import FAILED, check_devices

PROFILE = "Mattermost device security"
MATTERMOST = "com.mattermost.rn"


def device(number: int, user: str, apps=(), profile_uuid: str | None = None) -> dict:
    """A device as its last inventory reported it: the apps and the profile it has installed."""
    profiles = [{"display_name": PROFILE, "uuid": profile_uuid}] if profile_uuid else []
    return {"general": {"name": f"iPad-{number}", "udid": f"udid-{number}", "serial_number": f"SN{number}"},
            "location": {"username": user}, "applications": [{"identifier": app} for app in apps],
            "configuration_profiles": profiles}


def profile_spec() -> DeviceProfileSpec:
    return parse(DeviceProfileSpec, {"profile": {"name": PROFILE, "passcode": {"min_length": 6}}, "platforms": ["ios"],
                                     "groups": [{"group": "Corporate"}, {"group": "BYOD"}]})


@pytest.fixture
def deployed(emulator):
    """The app for the Corporate group but not BYOD's members, a passcode profile for both groups;
    then the devices report: 1 has both, 2 the app only, 3 nothing; 4 is in no group."""
    emulator.seed(**{"jamf/mobile_device_groups": [
        {"name": "Corporate", "is_smart": False, "mobile_devices": [{"id": 1}, {"id": 2}]},
        {"name": "BYOD", "is_smart": False, "mobile_devices": [{"id": 2}, {"id": 3}]},
    ]})
    settings = {"url": emulator.jamf_url, "client_id": emulator.client_id, "client_secret": emulator.client_secret}
    provider = Provider(jamf.connect(settings), recovery_seconds=0)
    provider.apply(provider.plan_apps(parse(AppSpec, {"platforms": ["ios"], "assignments": [
        {"group": "Corporate"}, {"group": "BYOD", "exclude": True}]})))
    provider.apply(provider.plan_device_profiles(profile_spec()))
    [profile] = emulator.state()["jamf/mobile_device_configuration_profiles"]
    uuid = profile["general"]["uuid"]
    devices = [device(1, "ann", [MATTERMOST], uuid), device(2, "bob", [MATTERMOST, "com.example.mail"]),
               device(3, "cyd", ["com.example.mail"]), device(4, "dee")]
    emulator.seed(**{"jamf/mobile_devices": devices})
    emulator.clear_requests()
    vendor = jamf.connect(settings)
    Provider(vendor).plan_device_profiles(profile_spec())  # as validation does: the profiles it names are read
    objects = {kind: {actual.id for actual in vendor.list(kind)} for kind in (APP, DEVICE_PROFILE)}
    return emulator, vendor, objects


def test_the_app_counts_the_devices_its_scope_reaches_less_the_excluded_group(deployed):
    _emulator, vendor, objects = deployed
    [app_id] = objects[APP]

    states = vendor.device_states(APP, app_id)

    assert states["counts"] == {"installed": 1, "not installed": 0}  # device 2 is in the excluded BYOD group
    assert states["errors"] == []


def test_a_profile_names_each_device_that_has_not_installed_it(deployed):
    _emulator, vendor, objects = deployed
    [profile_id] = objects[DEVICE_PROFILE]

    states = vendor.device_states(DEVICE_PROFILE, profile_id)
    item = check_devices(DEVICE_PROFILE, PROFILE, states)

    assert states["counts"] == {"installed": 1, "not installed": 2}
    assert states["errors"] == ["iPad-2 (not installed, bob)", "iPad-3 (not installed, cyd)"]
    assert item.status == FAILED and "iPad-3 (not installed, cyd)" in item.message and "iPad-1" not in item.message


def test_each_device_and_group_is_read_once_and_devices_out_of_scope_never(deployed):
    emulator, vendor, objects = deployed
    for kind in (APP, DEVICE_PROFILE):
        for object_id in objects[kind]:
            vendor.device_states(kind, object_id)

    reads = [entry["path"] for entry in emulator.requests() if "/mobiledevices/id/" in entry["path"]]
    assert sorted(reads) == [f"/jamf/JSSResource/mobiledevices/id/{number}/subset/General&Location&Applications&"
                             "ConfigurationProfiles" for number in (1, 2, 3)]
    assert len([entry for entry in emulator.requests() if "/mobiledevicegroups/id/" in entry["path"]]) == 2
    assert emulator.writes() == []
