# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The provider modules against Jamf Pro (the emulator), through ansible-playbook as users run them."""

from __future__ import annotations

import plistlib

from provider_playbooks import jamf_provider, run_provider_playbook

GROUPS = ("Mattermost corporate", "Mattermost BYOD")
TARGETS = [{"group": name} for name in GROUPS]
DEPLOY = [
    ("app", {"platforms": ["ios"], "assignments": [dict(target, intent="available") for target in TARGETS],
             "prevent_backup": True}),
    ("app_config", {"name": "Mattermost", "platforms": ["ios"], "groups": TARGETS,
                    "config": {"serverUrl": "https://chat.example.com", "inAppPinCode": True, "username": "$EMAIL"}}),
    ("device_profile", {"name": "Mattermost device security", "platforms": ["ios"], "groups": TARGETS,
                        "passcode": {"min_length": 6, "complexity": "alphanumeric"}}),
]


def test_deploys_to_jamf_and_a_second_run_changes_and_writes_nothing(tmp_path, emulator):
    emulator.seed(**{"jamf/mobile_device_groups": [{"name": name, "is_smart": False} for name in GROUPS]})

    first = run_provider_playbook(tmp_path, jamf_provider(emulator), DEPLOY, "--diff")
    state = emulator.state()
    emulator.clear_requests()
    second = run_provider_playbook(tmp_path, jamf_provider(emulator), DEPLOY)

    assert first.returncode == 0, first.output
    assert [result["changed"] for result in first.results] == [True, True, True]
    [app] = state["jamf/mobile_device_applications"]
    assert app["general"]["deployment_type"] == "Make Available in Self Service"
    assert app["general"]["prevent_backup_of_app_data"] is True
    assert sorted(group["name"] for group in app["scope"]["mobile_device_groups"]) == sorted(GROUPS)
    preferences = plistlib.loads(f'<plist version="1.0">{app["app_configuration"]["preferences"]}</plist>'.encode())
    assert preferences == {"serverUrl": "https://chat.example.com", "inAppPinCode": "true", "username": "$EMAIL"}
    [profile] = state["jamf/mobile_device_configuration_profiles"]
    assert profile["general"]["name"] == "Mattermost device security"

    assert second.returncode == 0, second.output
    assert [result["changed"] for result in second.results] == [False, False, False]
    assert emulator.writes() == []
    assert len(emulator.state()["jamf/mobile_device_configuration_profiles"][0]["_emulatorPayloadUuids"]) == 1


def test_app_protection_is_refused_for_jamf_before_any_request(tmp_path, emulator):
    refused = run_provider_playbook(tmp_path, jamf_provider(emulator), [("app_protection", {"name": "Mattermost"})])

    [result] = refused.results
    assert result["failed"] and "Jamf Pro has no app protection policies" in result["msg"]
    assert result["api_requests"]["requests"] == 0 and emulator.requests() == []
