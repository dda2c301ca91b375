# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What Intune computes and shows beyond the stored objects: isAssigned and deployedAppCount, scope
tags, and managedAppPolicies (every app protection and app configuration policy at once)."""

from urllib.parse import quote

from graph_bodies import APP_CONFIGS, APPS, IOS_APP, IOS_APP_CONFIG, group_target
import needs_specs

TARGETED = "/deviceAppManagement/targetedManagedAppConfigurations"
IOS_PROTECTIONS = "/deviceAppManagement/iosManagedAppProtections"
POLICIES = "/deviceAppManagement/managedAppPolicies"
PROFILES = "/deviceManagement/deviceConfigurations"
IOS_APP_IDENTIFIER = {"mobileAppIdentifier": {"@odata.type": "#microsoft.graph.iosMobileAppIdentifier",
                                              "bundleId": "com.mattermost.rn"}}


def _assign(emulator, path, param="assignments", version="v1.0"):
    answer = emulator.graph("POST", f"{path}/assign", {param: [{"target": group_target("g1")}]}, version=version)
    assert answer.status in (200, 204), answer.body


def test_is_assigned_and_deployed_app_count_follow_assignments_and_apps(emulator, create):
    assigned = create(TARGETED, {"displayName": "assigned"})
    create(TARGETED, {"displayName": "idle"})
    path = f"{TARGETED}/{assigned['id']}"
    _assign(emulator, path)
    emulator.graph("POST", f"{path}/targetApps", {"apps": [IOS_APP_IDENTIFIER]})

    read = emulator.graph("GET", path).body
    found = emulator.graph("GET", f"{TARGETED}?$filter={quote('isAssigned eq true')}").body["value"]

    assert (read["isAssigned"], read["deployedAppCount"]) == (True, 1)
    assert [item["displayName"] for item in found] == ["assigned"]


def test_is_assigned_on_app_protections_and_beta_mobile_apps(emulator, create):
    protection = create(IOS_PROTECTIONS, {"displayName": "protection"})
    app = create(APPS, IOS_APP)
    _assign(emulator, f"{IOS_PROTECTIONS}/{protection['id']}")
    emulator.graph("POST", f"{APPS}/{app['id']}/assign", {"mobileAppAssignments": [
        {"@odata.type": "#microsoft.graph.mobileAppAssignment", "intent": "available", "target": group_target("g1")}]})

    assert emulator.graph("GET", f"{IOS_PROTECTIONS}/{protection['id']}").body["isAssigned"] is True
    assert emulator.graph("GET", f"{APPS}/{app['id']}", version="beta").body["isAssigned"] is True
    emulator.graph("POST", f"{APPS}/{app['id']}/assign", {"mobileAppAssignments": []})
    assert emulator.graph("GET", f"{APPS}/{app['id']}", version="beta").body["isAssigned"] is False


def test_the_default_scope_tag_is_there_from_the_start(emulator):
    tags = emulator.graph("GET", "/deviceManagement/roleScopeTags", version="beta")
    one = emulator.graph("GET", "/deviceManagement/roleScopeTags/0", version="beta")

    assert tags.status == 200
    assert [(tag["id"], tag["displayName"], tag["isBuiltIn"]) for tag in tags.body["value"]] == [("0", "Default", True)]
    assert one.body["displayName"] == "Default"
    assert emulator.graph("GET", "/deviceManagement/roleScopeTags").status == 400  # beta only, as on Graph


@needs_specs.GRAPH
def test_new_objects_get_the_default_scope_tag_unless_they_name_one(emulator, create):
    config = create(APP_CONFIGS, IOS_APP_CONFIG, version="beta")
    tagged = create(APP_CONFIGS, {**IOS_APP_CONFIG, "roleScopeTagIds": ["7"]}, version="beta")
    profile = create(PROFILES, {"@odata.type": "#microsoft.graph.iosCustomConfiguration", "displayName": "VPN",
                                "payloadName": "vpn"}, version="beta")

    assert config["roleScopeTagIds"] == ["0"]
    assert tagged["roleScopeTagIds"] == ["7"]
    assert profile["roleScopeTagIds"] == ["0"]
    assert "roleScopeTagIds" not in emulator.graph("GET", f"{APP_CONFIGS}/{config['id']}").body  # beta only


def test_managed_app_policies_lists_every_app_protection_and_configuration(emulator, create):
    ios = create(IOS_PROTECTIONS, {"displayName": "iOS protection"})
    android = create("/deviceAppManagement/androidManagedAppProtections", {"displayName": "Android protection"})
    targeted = create(TARGETED, {"displayName": "MAM config"})
    _assign(emulator, f"{IOS_PROTECTIONS}/{ios['id']}")

    listed = emulator.graph("GET", POLICIES).body["value"]
    one = emulator.graph("GET", f"{POLICIES}/{ios['id']}").body
    narrowed = emulator.graph("GET", f"{POLICIES}/microsoft.graph.androidManagedAppProtection").body["value"]
    created = emulator.graph("POST", POLICIES, {"@odata.type": "#microsoft.graph.iosManagedAppProtection",
                                                "displayName": "made through the union"})
    untyped = emulator.graph("POST", POLICIES, {"displayName": "x"})

    assert sorted((item["id"], item["@odata.type"]) for item in listed) == sorted([
        (ios["id"], "#microsoft.graph.iosManagedAppProtection"),
        (android["id"], "#microsoft.graph.androidManagedAppProtection"),
        (targeted["id"], "#microsoft.graph.targetedManagedAppConfiguration"),
    ])
    assert one["isAssigned"] is True and one["displayName"] == "iOS protection"
    assert [item["id"] for item in narrowed] == [android["id"]]
    assert created.status == 201
    assert emulator.graph("GET", f"{IOS_PROTECTIONS}/{created.body['id']}").status == 200
    assert untyped.status == 400
    assert emulator.graph("DELETE", f"{POLICIES}/{android['id']}").status == 204
    assert emulator.graph("GET", f"/deviceAppManagement/androidManagedAppProtections/{android['id']}").status == 404
