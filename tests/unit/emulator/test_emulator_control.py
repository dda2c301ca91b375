# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The control plane: seed, state, reset and the request log."""

from graph_bodies import APPS, group_target

from tests.emulator import http_request


def test_seed_generates_ids_and_keeps_given_ones(emulator):
    seeded = emulator.seed(groups=[{"displayName": "BYOD"}, {"id": "fixed-id", "displayName": "Corporate"}])["groups"]

    assert len(seeded[0]["id"]) == 36
    assert seeded[1]["id"] == "fixed-id"
    assert emulator.graph("GET", "/groups/fixed-id").body["displayName"] == "Corporate"


def test_seeded_children_ride_inline_and_state_round_trips(emulator):
    app = {
        "@odata.type": "#microsoft.graph.iosStoreApp",
        "displayName": "Mattermost",
        "assignments": [{"intent": "required", "target": group_target("g1")}],
    }
    seeded = emulator.seed(mobileApps=[app])["mobileApps"][0]

    listed = emulator.graph("GET", f"{APPS}/{seeded['id']}/assignments").body["value"]
    state = emulator.state()
    emulator.reset()
    emulator.seed(**state)

    assert [item["target"]["groupId"] for item in listed] == ["g1"]
    assert emulator.state() == state
    assert set(state) >= {"groups", "mobileApps", "mobileAppConfigurations", "assignmentFilters"}


def test_seed_refuses_unknown_collections_and_untyped_abstract_objects(emulator):
    unknown = http_request("POST", f"{emulator.base_url}/_emulator/seed", {"widgets": []})
    untyped = http_request("POST", f"{emulator.base_url}/_emulator/seed", {"mobileApps": [{"displayName": "x"}]})

    assert unknown.status == 400
    assert untyped.status == 400
    assert "@odata.type" in untyped.body["error"]["message"]


def test_reset_empties_tenant_log_and_faults_but_for_the_default_scope_tag(emulator):
    emulator.seed(groups=[{"displayName": "BYOD"}])
    emulator.add_fault("/never", status=500)
    emulator.graph("GET", "/groups")

    emulator.reset()

    left = {name: objects for name, objects in emulator.state().items() if objects}
    # Google Play knows Mattermost's apps in every Android enterprise.
    assert [app["name"].rsplit("/", 1)[1] for app in left.pop("amapi/applications")] == ["com.mattermost.rn",
                                                                                         "com.mattermost.rnbeta"]
    assert left == {"roleScopeTags": [{"id": "0", "displayName": "Default", "description": "", "isBuiltIn": True,
                                       "@odata.type": "#microsoft.graph.roleScopeTag"}]}  # every tenant has it
    assert emulator.requests() == []
    assert emulator.faults() == []


def test_the_log_records_writes_with_their_bodies(emulator, ios_app):
    emulator.graph("PATCH", f"{APPS}/{ios_app['id']}", {"notes": "x"})
    emulator.graph("GET", APPS + "?$select=id")

    entries = [entry for entry in emulator.requests() if not entry["path"].endswith("/token")]
    assert [(entry["method"], entry["status"], entry["write"]) for entry in entries] == [
        ("POST", 201, True),
        ("PATCH", 204, True),
        ("GET", 200, False),
    ]
    assert entries[1]["body"] == {"notes": "x"}
    assert entries[2]["query"] == {"$select": "id"}
    emulator.clear_requests()
    assert emulator.requests() == []


def test_control_plane_errors(emulator):
    assert http_request("GET", f"{emulator.base_url}/_emulator/nothing").status == 404
    assert http_request("PATCH", f"{emulator.base_url}/_emulator/state", {}).status == 405
    assert http_request("POST", f"{emulator.base_url}/_emulator/seed", b"not json").status == 400
