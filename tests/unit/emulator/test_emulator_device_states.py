# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Intune's per-device and summary statuses of app configurations and device configurations,
with Graph's shapes, set through the control plane."""

import pytest

CONFIGS = "/deviceAppManagement/mobileAppConfigurations"
PROFILES = "/deviceManagement/deviceConfigurations"
IOS_CONFIG = {"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "displayName": "Mattermost (iOS)",
              "targetedMobileApps": [], "settings": []}
IOS_PROFILE = {"@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration", "displayName": "Mattermost - iOS"}


@pytest.fixture
def config(create):
    return create(CONFIGS, IOS_CONFIG, version="beta")


def test_a_new_configuration_reports_no_device(emulator, config):
    statuses = emulator.graph("GET", f"{CONFIGS}/{config['id']}/deviceStatuses", version="beta")
    summary = emulator.graph("GET", f"{CONFIGS}/{config['id']}/deviceStatusSummary", version="beta")

    assert statuses.status == 200 and statuses.body["value"] == []
    assert summary.body["@odata.type"] == "#microsoft.graph.managedDeviceMobileAppConfigurationDeviceSummary"
    assert summary.body["successCount"] == 0 and summary.body["errorCount"] == 0


def test_statuses_set_by_control_are_listed_and_counted(emulator, config):
    emulator.set_device_states("mobileAppConfigurations", config["id"], [
        {"deviceDisplayName": "iPhone-1", "status": "compliant", "userPrincipalName": "ann@contoso.com"},
        {"deviceDisplayName": "iPhone-2", "status": "error", "userPrincipalName": "bob@contoso.com"},
        {"deviceDisplayName": "iPad-3", "status": "unknown"},
    ])

    statuses = emulator.graph("GET", f"{CONFIGS}/{config['id']}/deviceStatuses", version="beta").body["value"]
    summary = emulator.graph("GET", f"{CONFIGS}/{config['id']}/deviceStatusSummary", version="beta").body

    assert [(s["deviceDisplayName"], s["status"]) for s in statuses] == [
        ("iPhone-1", "compliant"), ("iPhone-2", "error"), ("iPad-3", "unknown")]
    assert statuses[1]["@odata.type"] == "#microsoft.graph.managedDeviceMobileAppConfigurationDeviceStatus"
    assert (summary["successCount"], summary["errorCount"], summary["pendingCount"]) == (1, 1, 1)


def test_device_configurations_have_an_overview(emulator, create):
    profile = create(PROFILES, IOS_PROFILE, version="beta")
    emulator.set_device_states("deviceConfigurations", profile["id"], [{"deviceDisplayName": "iPhone-1", "status": "conflict"}])

    overview = emulator.graph("GET", f"{PROFILES}/{profile['id']}/deviceStatusOverview", version="beta").body
    statuses = emulator.graph("GET", f"{PROFILES}/{profile['id']}/deviceStatuses").body["value"]

    assert overview["@odata.type"] == "#microsoft.graph.deviceConfigurationDeviceOverview"
    assert overview["conflictCount"] == 1
    assert statuses[0]["@odata.type"] == "#microsoft.graph.deviceConfigurationDeviceStatus"


def test_an_unknown_object_is_404_and_the_control_refuses_bad_input(emulator, config):
    assert emulator.graph("GET", f"{CONFIGS}/00000000-0000-0000-0000-000000000000/deviceStatuses", version="beta").status == 404
    with pytest.raises(RuntimeError):
        emulator.set_device_states("mobileAppConfigurations", config["id"], [{"status": "applied"}])
    with pytest.raises(RuntimeError):
        emulator.set_device_states("mobileApps", config["id"], [])


def test_reading_statuses_is_logged_as_a_read_and_reset_clears_them(emulator, config):
    emulator.set_device_states("mobileAppConfigurations", config["id"], [{"deviceDisplayName": "iPhone-1", "status": "error"}])
    emulator.clear_requests()
    emulator.graph("GET", f"{CONFIGS}/{config['id']}/deviceStatuses", version="beta")

    assert emulator.writes() == []
    assert [entry["method"] for entry in emulator.requests()] == ["GET"]
