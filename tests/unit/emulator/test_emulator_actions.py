# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bound actions: assign (replaces), targetApps, and device actions."""

import pytest
from graph_bodies import APP_CONFIGS, APPS, IOS_APP_CONFIG, group_target

TARGETED = "/deviceAppManagement/targetedManagedAppConfigurations"


def _assignment(group_id, intent="available"):
    return {"@odata.type": "#microsoft.graph.mobileAppAssignment", "intent": intent, "target": group_target(group_id)}


@pytest.mark.parametrize("action", ["assign", "microsoft.graph.assign"])
def test_assign_replaces_every_assignment(emulator, ios_app, action):
    path = f"{APPS}/{ios_app['id']}"
    first = emulator.graph("POST", f"{path}/{action}", {"mobileAppAssignments": [_assignment("g1"), _assignment("g2")]})
    second = emulator.graph("POST", f"{path}/{action}", {"mobileAppAssignments": [_assignment("g3", "required")]})

    listed = emulator.graph("GET", f"{path}/assignments").body["value"]
    assert (first.status, second.status) == (204, 204)
    assert [(item["intent"], item["target"]["groupId"]) for item in listed] == [("required", "g3")]
    assert len(listed[0]["id"]) == 36


def test_assignments_are_items_of_their_own(emulator, ios_app):
    path = f"{APPS}/{ios_app['id']}"
    emulator.graph("POST", f"{path}/assign", {"mobileAppAssignments": [_assignment("g1")]})
    assignment_id = emulator.graph("GET", f"{path}/assignments").body["value"][0]["id"]

    single = emulator.graph("GET", f"{path}/assignments/{assignment_id}")

    assert single.status == 200
    assert single.body["@odata.context"].endswith(f"mobileApps('{ios_app['id']}')/assignments/$entity")
    assert emulator.graph("DELETE", f"{path}/assignments/{assignment_id}").status == 204
    assert emulator.graph("GET", f"{path}/assignments").body["value"] == []


def test_assign_with_an_empty_list_removes_every_assignment(emulator, ios_app):
    path = f"{APPS}/{ios_app['id']}"
    emulator.graph("POST", f"{path}/assign", {"mobileAppAssignments": [_assignment("g1")]})
    emulator.graph("POST", f"{path}/assign", {"mobileAppAssignments": []})

    assert emulator.graph("GET", f"{path}/assignments").body["value"] == []


def test_unknown_group_ids_are_accepted_as_graph_does(emulator, ios_app):
    # Graph does not resolve groupId on assign; an unknown group simply matches nobody.
    answer = emulator.graph(
        "POST", f"{APPS}/{ios_app['id']}/assign", {"mobileAppAssignments": [_assignment("no-such-group")]}
    )

    assert answer.status == 204


def test_app_configuration_assign_takes_assignments(emulator, create):
    config = create(APP_CONFIGS, IOS_APP_CONFIG)
    path = f"{APP_CONFIGS}/{config['id']}"

    wrong_name = emulator.graph("POST", f"{path}/assign", {"mobileAppAssignments": []})
    right_name = emulator.graph("POST", f"{path}/assign", {"assignments": [{"target": group_target("g1")}]})

    assert wrong_name.status == 400
    assert "mobileAppAssignments" in wrong_name.body["error"]["message"]
    assert right_name.status == 204
    assert [item["target"]["groupId"] for item in emulator.graph("GET", f"{path}/assignments").body["value"]] == ["g1"]


def test_targeted_managed_app_configurations_take_apps_and_assignments(emulator, create):
    config = create(
        TARGETED, {"displayName": "MAM", "customSettings": [{"name": "serverUrl", "value": "https://mm.example"}]}
    )
    path = f"{TARGETED}/{config['id']}"
    app = {
        "mobileAppIdentifier": {
            "@odata.type": "#microsoft.graph.iosMobileAppIdentifier",
            "bundleId": "com.mattermost.rn",
        }
    }

    target_apps = emulator.graph("POST", f"{path}/targetApps", {"apps": [app], "appGroupType": "selectedPublicApps"})
    assign = emulator.graph("POST", f"{path}/assign", {"assignments": [{"target": group_target("g1")}]})

    assert (target_apps.status, assign.status) == (204, 204)
    apps = emulator.graph("GET", f"{path}/apps").body["value"]
    assert [item["mobileAppIdentifier"]["bundleId"] for item in apps] == ["com.mattermost.rn"]
    assert emulator.graph("GET", path).body["customSettings"] == [{"name": "serverUrl", "value": "https://mm.example"}]


def test_device_configuration_assign_answers_the_new_assignments(emulator, create):
    profile = create(
        "/deviceManagement/deviceConfigurations",
        {"@odata.type": "#microsoft.graph.iosCustomConfiguration", "displayName": "VPN", "payloadName": "vpn"},
    )

    answer = emulator.graph(
        "POST",
        f"/deviceManagement/deviceConfigurations/{profile['id']}/assign",
        {"assignments": [{"target": group_target("g1")}]},
    )

    assert answer.status == 200
    assert [item["target"]["groupId"] for item in answer.body["value"]] == ["g1"]


@pytest.mark.parametrize(("action", "state"), [("wipe", "wipePending"), ("retire", "retirePending")])
def test_device_actions_leave_a_pending_state(emulator, action, state):
    device = emulator.seed(managedDevices=[{"deviceName": "iPhone", "managementState": "managed"}])["managedDevices"][0]
    path = f"/deviceManagement/managedDevices/{device['id']}"
    body = {"keepEnrollmentData": False, "keepUserData": False} if action == "wipe" else None

    answer = emulator.graph("POST", f"{path}/{action}", body)

    assert answer.status == 204
    assert emulator.graph("GET", path).body["managementState"] == state


def test_actions_answer_404_for_a_missing_object_and_405_for_get(emulator, ios_app):
    missing = emulator.graph(
        "POST", f"{APPS}/00000000-0000-0000-0000-000000000000/assign", {"mobileAppAssignments": []}
    )
    get = emulator.graph("GET", f"{APPS}/{ios_app['id']}/assign")

    assert missing.status == 404
    assert get.status == 405


def test_wipe_by_device_tag_marks_every_registration_of_that_user_and_tag_in_state_only(emulator):
    user = emulator.seed(users=[{"userPrincipalName": "alex@example.org"}])["users"][0]["id"]
    rows = [{"@odata.type": "#microsoft.graph.iosManagedAppRegistration", "userId": owner, "deviceTag": tag}
            for owner, tag in ((user, "tag-1"), (user, "tag-1"), (user, "tag-2"), ("someone-else", "tag-1"))]
    emulator.seed(managedAppRegistrations=rows)

    answer = emulator.graph("POST", f"/users/{user}/microsoft.graph.wipeManagedAppRegistrationsByDeviceTag", {"deviceTag": "tag-1"})

    marks = [(item["userId"], item["deviceTag"], item.get("_emulatorMarks")) for item in emulator.state()["managedAppRegistrations"]]
    assert answer.status == 204
    assert marks == [(user, "tag-1", ["wipeRequested"]), (user, "tag-1", ["wipeRequested"]), (user, "tag-2", None),
                     ("someone-else", "tag-1", None)]
    listed = emulator.graph("GET", "/deviceAppManagement/managedAppRegistrations").body["value"]
    assert not any("_emulatorMarks" in item for item in listed)
