# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OData as Graph reads it: the $filter grammar, $search, $orderby, $count and its ConsistencyLevel
rule, and type-cast segments before actions and navigations."""

from urllib.parse import quote

import pytest
from graph_bodies import APP_CONFIGS, APPS, IOS_APP, IOS_APP_CONFIG, group_target

from tests.emulator import http_request
import needs_specs

EVENTUAL = {"ConsistencyLevel": "eventual"}
ANDROID_APP = {"@odata.type": "#microsoft.graph.managedAndroidStoreApp", "displayName": "Mattermost Android",
               "packageId": "com.mattermost.rnbeta", "appStoreUrl": "https://play.google.com/store/apps"}


def _names(answer):
    assert answer.status == 200, answer.body
    return sorted(item["displayName"] for item in answer.body["value"])


def _get(emulator, path, headers=None, version="v1.0"):
    url = f"{emulator.base_url}/{version}{quote(path, safe='/?&=$')}"
    return http_request("GET", url, headers={"Authorization": f"Bearer {emulator.token()}", **(headers or {})})


def _filter(emulator, path, clause, version="v1.0"):
    return _get(emulator, f"{path}?$filter={clause}", version=version)


def _seed_groups(emulator, *names):
    return emulator.seed(groups=[{"displayName": name} for name in names])["groups"]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("(displayName eq 'a')", ["a"]),
        ("((displayName eq 'a') or (displayName eq 'c'))", ["a", "c"]),
        ("not(displayName eq 'a') and (startswith(displayName,'b') or displayName eq 'c')", ["b", "c"]),
        ("displayName gt 'a' and displayName le 'c'", ["b", "c"]),
        ("displayName ge 'b'", ["b", "c"]),
        ("displayName lt 'b'", ["a"]),
        ("displayName in ('a', 'c')", ["a", "c"]),
        ("endswith(displayName,'c')", ["c"]),
    ],
)
def test_filter_grammar(emulator, clause, expected):
    _seed_groups(emulator, "a", "b", "c")

    assert _names(_filter(emulator, "/groups", clause)) == expected


def test_any_on_a_collection_property_with_a_lambda(emulator):
    emulator.seed(groups=[
        {"displayName": "unified", "groupTypes": ["Unified"]},
        {"displayName": "dynamic", "groupTypes": ["DynamicMembership", "Unified"]},
        {"displayName": "security", "groupTypes": []},
    ])

    assert _names(_filter(emulator, "/groups", "groupTypes/any(t:t eq 'Unified')")) == ["dynamic", "unified"]
    assert _names(_filter(emulator, "/groups", "groupTypes/any(t: t eq 'DynamicMembership')")) == ["dynamic"]
    assert _names(_filter(emulator, "/groups", "not groupTypes/any()")) == ["security"]


def test_any_on_assignments_reaches_their_targets(emulator, create):
    first = create(APPS, IOS_APP)
    create(APPS, {**IOS_APP, "displayName": "Other"})
    emulator.graph("POST", f"{APPS}/{first['id']}/assign",
                   {"mobileAppAssignments": [{"intent": "required", "target": group_target("g1")}]})

    clause = "assignments/any(a:a/target/microsoft.graph.groupAssignmentTarget/groupId eq 'g1')"
    assert _names(_filter(emulator, APPS, clause)) == ["Mattermost"]


@needs_specs.GRAPH
def test_a_type_cast_in_a_property_path_reads_the_derived_property(emulator, create):
    create(APPS, IOS_APP)
    create(APPS, ANDROID_APP)

    ios = _filter(emulator, APPS, "microsoft.graph.iosStoreApp/bundleId eq 'com.mattermost.rn'")
    android = _filter(emulator, APPS, "microsoft.graph.managedAndroidStoreApp/packageId eq 'com.mattermost.rnbeta'")
    # managedAndroidStoreApp derives from managedApp (iosStoreApp does not); appAvailability is
    # never set by the client, so the filter sees what Graph shows: the enum's first member.
    base_cast = _filter(emulator, APPS, "microsoft.graph.managedApp/appAvailability eq 'global'")

    assert _names(ios) == ["Mattermost"]
    assert _names(android) == ["Mattermost Android"]
    assert _names(base_cast) == ["Mattermost Android"]


@needs_specs.GRAPH
def test_isof_matches_derived_types(emulator, create):
    create(APPS, IOS_APP)
    create(APPS, ANDROID_APP)

    assert _names(_filter(emulator, APPS, "isof('microsoft.graph.managedApp')")) == ["Mattermost Android"]
    assert _names(_filter(emulator, APPS, "isof('microsoft.graph.mobileApp')")) == ["Mattermost", "Mattermost Android"]
    assert _names(_get(emulator, f"{APPS}/microsoft.graph.managedApp")) == ["Mattermost Android"]


@pytest.mark.parametrize("clause", ["displayName has 'a'", "substringof('a',displayName)", "displayName eq",
                                    "(displayName eq 'a'", "groupTypes/any(t:t eq 'a'"])
def test_a_malformed_or_unknown_filter_is_graphs_400(emulator, clause):
    answer = _filter(emulator, "/groups", clause)

    assert answer.status == 400
    assert answer.body["error"]["code"] == "BadRequest"
    assert answer.body["error"]["message"].startswith("Invalid filter clause")


def test_an_in_of_more_than_15_values_is_refused_as_graph_does(emulator):
    _seed_groups(emulator, "a")
    values = ", ".join(f"'g{number}'" for number in range(16))

    assert _filter(emulator, "/groups", f"displayName in ({values[:-7]})").status == 200  # 15 values
    answer = _filter(emulator, "/groups", f"displayName in ({values})")
    assert answer.status == 400
    assert "Max allowed: 15" in answer.body["error"]["message"]


def test_orderby_sorts_by_one_or_more_properties(emulator):
    emulator.seed(groups=[{"displayName": "b", "description": "2"}, {"displayName": "a", "description": "2"},
                          {"displayName": "c", "description": "1"}])

    by_name = _get(emulator, "/groups?$orderby=displayName desc")
    by_two = _get(emulator, "/groups?$orderby=description asc,displayName")

    assert [item["displayName"] for item in by_name.body["value"]] == ["c", "b", "a"]
    assert [item["displayName"] for item in by_two.body["value"]] == ["c", "a", "b"]


def test_search_on_intune_collections_matches_display_names(emulator, create):
    create(APPS, IOS_APP)
    create(APPS, {**IOS_APP, "displayName": "Other"})

    assert _names(_get(emulator, f'{APPS}?$search="matter"')) == ["Mattermost"]


def test_search_and_count_on_directory_objects_need_consistency_level_eventual(emulator):
    _seed_groups(emulator, "Mattermost BYOD", "Mattermost corporate", "Sales")

    searched = _get(emulator, '/groups?$search="displayName:Mattermost"&$count=true', EVENTUAL)
    counted = _get(emulator, "/groups/$count", EVENTUAL)
    search_refused = _get(emulator, '/groups?$search="displayName:Mattermost"')
    count_refused = _get(emulator, "/groups?$count=true")
    raw_count_refused = _get(emulator, "/groups/$count")

    assert _names(searched) == ["Mattermost BYOD", "Mattermost corporate"]
    assert searched.body["@odata.count"] == 2
    assert counted.status == 200 and counted.body == "3"
    assert counted.headers["content-type"].startswith("text/plain")
    assert (search_refused.status, search_refused.body["error"]["code"]) == (400, "Request_UnsupportedQuery")
    assert "ConsistencyLevel" in search_refused.body["error"]["message"]
    assert (count_refused.status, count_refused.body["error"]["code"]) == (400, "Request_BadRequest")
    assert (raw_count_refused.status, raw_count_refused.body["error"]["code"]) == (400, "Request_UnsupportedQuery")


def test_count_on_intune_collections_counts_every_page(emulator, create):
    for number in range(3):
        create(APPS, {**IOS_APP, "displayName": f"App {number}"})

    listed = _get(emulator, f"{APPS}?$count=true&$top=1")
    counted = _get(emulator, f"{APPS}/$count")

    assert listed.body["@odata.count"] == 3 and len(listed.body["value"]) == 1
    assert counted.body == "3"


def test_expand_assignments_on_one_object(emulator, ios_app):
    emulator.graph("POST", f"{APPS}/{ios_app['id']}/assign",
                   {"mobileAppAssignments": [{"intent": "available", "target": group_target("g1")}]})

    answer = _get(emulator, f"{APPS}/{ios_app['id']}?$expand=assignments")

    assert [item["target"]["groupId"] for item in answer.body["assignments"]] == ["g1"]


@needs_specs.GRAPH
def test_a_type_cast_before_an_action_and_a_navigation(emulator, create):
    config = create(APP_CONFIGS, IOS_APP_CONFIG)
    item = f"{APP_CONFIGS}/{config['id']}"
    body = {"assignments": [{"target": group_target("g1")}]}

    assigned = emulator.graph("POST", f"{item}/microsoft.graph.managedDeviceMobileAppConfiguration/assign", body)
    derived = emulator.graph("POST", f"{item}/microsoft.graph.iosMobileAppConfiguration/microsoft.graph.assign", body)
    listed = emulator.graph("GET", f"{item}/microsoft.graph.iosMobileAppConfiguration/assignments")
    wrong = emulator.graph("POST", f"{item}/microsoft.graph.androidManagedStoreAppConfiguration/assign", body,
                           version="beta")

    assert (assigned.status, derived.status) == (204, 204)
    assert [entry["target"]["groupId"] for entry in listed.body["value"]] == ["g1"]
    assert wrong.status == 404


def test_a_type_cast_collection_then_an_id(emulator, ios_app):
    answer = emulator.graph("GET", f"{APPS}/microsoft.graph.iosStoreApp/{ios_app['id']}")

    assert answer.status == 200 and answer.body["id"] == ios_app["id"]


def test_unknown_paths_keep_graphs_own_errors(emulator, ios_app):
    unknown_segment = emulator.graph("GET", "/deviceAppManagement/nothingHere")
    unknown_nav = emulator.graph("GET", f"{APPS}/{ios_app['id']}/nothingHere")
    missing = emulator.graph("GET", f"{APPS}/00000000-0000-0000-0000-000000000000")

    assert (unknown_segment.status, unknown_segment.body["error"]["code"]) == (400, "BadRequest")
    assert unknown_segment.body["error"]["message"] == "Resource not found for the segment 'nothingHere'."
    assert (unknown_nav.status, unknown_nav.body["error"]["code"]) == (400, "BadRequest")
    assert (missing.status, missing.body["error"]["code"]) == (404, "ResourceNotFound")
