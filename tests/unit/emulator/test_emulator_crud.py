# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generic collection semantics: create, read, update, delete, errors and Graph's quirks."""

import time
from concurrent.futures import ThreadPoolExecutor

from graph_bodies import APP_CONFIGS, APPS, FILTERS, IOS_APP

from tests.emulator import run_emulator


def test_create_returns_201_with_server_fields(emulator):
    answer = emulator.graph("POST", APPS, IOS_APP)

    assert answer.status == 201
    app = answer.body
    assert app["@odata.context"].endswith("/v1.0/$metadata#deviceAppManagement/mobileApps/$entity")
    assert app["@odata.type"] == "#microsoft.graph.iosStoreApp"
    assert len(app["id"]) == 36
    assert app["createdDateTime"] == app["lastModifiedDateTime"]
    assert app["createdDateTime"].endswith("Z")
    assert app["bundleId"] == "com.mattermost.rn"


def test_get_by_id_and_404_for_a_missing_one(emulator, ios_app):
    found = emulator.graph("GET", f"{APPS}/{ios_app['id']}")
    missing = emulator.graph("GET", f"{APPS}/00000000-0000-0000-0000-000000000000")

    assert found.status == 200
    assert found.body["displayName"] == "Mattermost"
    assert missing.status == 404
    assert missing.body["error"]["code"] == "ResourceNotFound"


def test_a_missing_group_is_a_directory_style_404(emulator):
    answer = emulator.graph("GET", "/groups/00000000-0000-0000-0000-000000000000")

    assert answer.status == 404
    assert answer.body["error"]["code"] == "Request_ResourceNotFound"


def test_patch_answers_204_and_changes_only_what_it_names(emulator, ios_app):
    path = f"{APPS}/{ios_app['id']}"
    answer = emulator.graph("PATCH", path, {"@odata.type": "#microsoft.graph.iosStoreApp", "notes": "managed"})

    assert answer.status == 204
    assert answer.body is None
    app = emulator.graph("GET", path).body
    assert app["notes"] == "managed"
    assert app["bundleId"] == "com.mattermost.rn"
    assert app["createdDateTime"] == ios_app["createdDateTime"]


def test_server_fields_in_a_body_are_ignored(emulator, ios_app):
    path = f"{APPS}/{ios_app['id']}"
    emulator.graph("PATCH", path, {"id": "forged", "createdDateTime": "2000-01-01T00:00:00Z"})

    app = emulator.graph("GET", path).body
    assert app["id"] == ios_app["id"]
    assert app["createdDateTime"] == ios_app["createdDateTime"]


def test_versioned_kinds_count_their_writes(emulator, create):
    config = create(APP_CONFIGS, {"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "displayName": "MM"})
    path = f"{APP_CONFIGS}/{config['id']}"
    emulator.graph("PATCH", path, {"description": "one"})
    emulator.graph("PATCH", path, {"description": "two"})

    assert config["version"] == 1
    assert emulator.graph("GET", path).body["version"] == 3


def test_delete_answers_204_and_the_object_is_gone(emulator, ios_app):
    path = f"{APPS}/{ios_app['id']}"

    assert emulator.graph("DELETE", path).status == 204
    assert emulator.graph("GET", path).status == 404
    assert emulator.graph("DELETE", path).status == 404


def test_display_names_are_not_unique(emulator, create):
    first = create(APPS, IOS_APP)
    second = create(APPS, IOS_APP)

    listed = emulator.graph("GET", APPS).body["value"]
    assert first["id"] != second["id"]
    assert [app["displayName"] for app in listed] == ["Mattermost", "Mattermost"]


def test_abstract_collections_need_an_odata_type(emulator):
    body = {key: value for key, value in IOS_APP.items() if key != "@odata.type"}
    answer = emulator.graph("POST", APPS, body)

    assert answer.status == 400
    assert answer.body["error"]["code"] == "BadRequest"
    assert "abstract" in answer.body["error"]["message"]


def test_android_managed_store_app_exists_on_beta_only(emulator):
    body = {"@odata.type": "#microsoft.graph.androidManagedStoreApp", "displayName": "Mattermost"}

    v1 = emulator.graph("POST", APPS, body)
    beta = emulator.graph("POST", APPS, body, version="beta")

    assert v1.status == 400
    assert "microsoft.graph.androidManagedStoreApp" in v1.body["error"]["message"]
    assert beta.status == 201


def test_assignment_filters_exist_on_beta_only(emulator):
    body = {
        "displayName": "Personal devices",
        "platform": "iOS",
        "rule": '(device.deviceOwnership -eq "Personal")',
        "assignmentFilterManagementType": "devices",
    }

    v1 = emulator.graph("POST", FILTERS, body)
    created = emulator.graph("POST", FILTERS, body, version="beta")

    assert v1.status == 400
    assert v1.body["error"]["message"] == "Resource not found for the segment 'assignmentFilters'."
    assert created.status == 201
    assert created.body["rule"] == body["rule"]


def test_unknown_segments_and_methods_answer_like_graph(emulator, ios_app):
    unknown = emulator.graph("GET", "/deviceAppManagement/nothingHere")
    put = emulator.graph("PUT", f"{APPS}/{ios_app['id']}", IOS_APP)
    bad_json = emulator.graph("POST", APPS, b"{not json")

    assert (unknown.status, unknown.body["error"]["code"]) == (400, "BadRequest")
    assert "nothingHere" in unknown.body["error"]["message"]
    assert (put.status, put.body["error"]["code"]) == (405, "MethodNotAllowed")
    assert (bad_json.status, bad_json.body["error"]["code"]) == (400, "BadRequest")


def test_type_cast_segments_narrow_a_collection(emulator, ios_app, create):
    create(APPS, {"@odata.type": "#microsoft.graph.iosVppApp", "displayName": "VPP"})

    listed = emulator.graph("GET", f"{APPS}/microsoft.graph.iosStoreApp").body["value"]
    as_vpp = emulator.graph("GET", f"{APPS}/{ios_app['id']}/microsoft.graph.iosVppApp")

    assert [app["id"] for app in listed] == [ios_app["id"]]
    assert as_vpp.status == 404


def test_new_objects_are_missing_from_listings_during_the_listing_delay():
    with run_emulator(listing_delay=0.3) as emu:
        created = emu.graph("POST", APPS, IOS_APP).body
        listed_at_once = emu.graph("GET", APPS).body["value"]
        found_by_id = emu.graph("GET", f"{APPS}/{created['id']}")
        time.sleep(0.35)
        listed_later = emu.graph("GET", APPS).body["value"]

    assert listed_at_once == []
    assert found_by_id.status == 200
    assert [app["id"] for app in listed_later] == [created["id"]]


def test_patch_cannot_change_the_type_of_an_object(emulator, ios_app):
    answer = emulator.graph("PATCH", f"{APPS}/{ios_app['id']}", {"@odata.type": "#microsoft.graph.iosVppApp"})

    assert answer.status == 400
    assert "not assignable" in answer.body["error"]["message"]


def test_concurrent_writes_are_all_kept(emulator):
    emulator.token()
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda _: emulator.graph("POST", APPS, IOS_APP), range(64)))

    assert {answer.status for answer in answers} == {201}
    assert len({answer.body["id"] for answer in answers}) == 64
    assert len(emulator.state()["mobileApps"]) == 64


def test_post_to_a_child_collection_adds_one_item(emulator, ios_app):
    path = f"{APPS}/{ios_app['id']}/assignments"
    body = {"@odata.type": "#microsoft.graph.mobileAppAssignment", "intent": "available",
            "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}}

    created = emulator.graph("POST", path, body)

    assert created.status == 201
    assert [item["id"] for item in emulator.graph("GET", path).body["value"]] == [created.body["id"]]
