# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Paging, $top, $filter, $select and $expand on collections."""

from urllib.parse import quote

import pytest
from graph_bodies import APPS, IOS_APP, group_target

from tests.emulator import http_request, run_emulator


def _names(answer):
    return [item["displayName"] for item in answer.body["value"]]


def _seed_groups(emu, *names):
    return emu.seed(groups=[{"displayName": name} for name in names])["groups"]


def test_listing_pages_by_next_link_with_a_skiptoken():
    with run_emulator(page_size=2) as emu:
        _seed_groups(emu, "a", "b", "c", "d", "e")
        pages = [emu.graph("GET", "/groups")]
        while "@odata.nextLink" in pages[-1].body:
            link = pages[-1].body["@odata.nextLink"]
            assert "$skiptoken=" in link
            pages.append(http_request("GET", link, headers={"Authorization": f"Bearer {emu.token()}"}))

    assert [len(page.body["value"]) for page in pages] == [2, 2, 1]
    assert [name for page in pages for name in _names(page)] == ["a", "b", "c", "d", "e"]
    assert pages[0].body["@odata.context"].endswith("/v1.0/$metadata#groups")


def test_top_shrinks_the_page_and_the_next_link_keeps_the_query():
    with run_emulator(page_size=3) as emu:
        _seed_groups(emu, "x1", "x2", "x3", "y")
        first = emu.graph("GET", "/groups?$top=1&$filter=" + quote("startswith(displayName,'x')"))
        link = first.body["@odata.nextLink"]
        second = http_request("GET", link, headers={"Authorization": f"Bearer {emu.token()}"})
        huge_top = emu.graph("GET", "/groups?$top=50")

    assert _names(first) == ["x1"]
    assert "$filter=startswith" in link
    assert _names(second) == ["x2"]
    assert len(huge_top.body["value"]) == 3


def test_filter_by_display_name_with_quote_escaping(emulator):
    _seed_groups(emulator, "O'Brien devices", "Other")

    answer = emulator.graph("GET", "/groups?$filter=" + quote("displayName eq 'O''Brien devices'"))

    assert _names(answer) == ["O'Brien devices"]


def test_string_comparisons_ignore_case_like_graph(emulator):
    _seed_groups(emulator, "BYOD", "byod", "Corporate")

    answer = emulator.graph("GET", "/groups?$filter=" + quote("displayName eq 'Byod'"))

    assert sorted(_names(answer)) == ["BYOD", "byod"]


def test_isof_and_startswith_combined_with_and(emulator, create):
    create(APPS, IOS_APP)
    create(APPS, {**IOS_APP, "displayName": "Mattermost Beta"})
    create(APPS, {"@odata.type": "#microsoft.graph.iosVppApp", "displayName": "Mattermost VPP"})
    create(APPS, {**IOS_APP, "displayName": "Other"})

    clause = "isof('microsoft.graph.iosStoreApp') and startswith(displayName,'Mattermost')"
    answer = emulator.graph("GET", f"{APPS}?$filter={quote(clause)}")

    assert sorted(_names(answer)) == ["Mattermost", "Mattermost Beta"]


def test_or_not_and_parentheses(emulator):
    _seed_groups(emulator, "a", "b", "c")

    clause = "(displayName eq 'a' or displayName eq 'b') and not (displayName eq 'b')"
    answer = emulator.graph("GET", f"/groups?$filter={quote(clause)}")

    assert _names(answer) == ["a"]


@pytest.mark.parametrize(
    "clause",
    [
        "displayName has 'a'",
        "tolower(displayName) eq 'a'",
        "displayName eq",
        "displayName eq 'a' and",
        "(displayName eq 'a'",
    ],
)
def test_an_unsupported_filter_is_a_400(emulator, clause):
    answer = emulator.graph("GET", f"/groups?$filter={quote(clause)}")

    assert answer.status == 400
    assert answer.body["error"]["code"] == "BadRequest"
    assert answer.body["error"]["message"].startswith("Invalid filter clause")


def test_an_unsupported_query_option_is_a_400(emulator):
    answer = emulator.graph("GET", "/groups?$apply=groupby((displayName))")

    assert answer.status == 400
    assert "$apply" in answer.body["error"]["message"]


def test_select_keeps_id_and_odata_type(emulator, ios_app):
    listed = emulator.graph("GET", f"{APPS}?$select=bundleId").body["value"]
    single = emulator.graph("GET", f"{APPS}/{ios_app['id']}?$select=microsoft.graph.iosStoreApp/bundleId").body

    assert listed == [
        {"@odata.type": "#microsoft.graph.iosStoreApp", "id": ios_app["id"], "bundleId": "com.mattermost.rn"}
    ]
    assert set(single) == {"@odata.context", "@odata.type", "id", "bundleId"}


def test_expand_assignments_lists_them_inline(emulator, ios_app):
    assignment = {"intent": "available", "target": group_target("g1")}
    emulator.graph("POST", f"{APPS}/{ios_app['id']}/assign", {"mobileAppAssignments": [assignment]})

    listed = emulator.graph("GET", f"{APPS}?$expand=assignments").body["value"]
    unknown = emulator.graph("GET", f"{APPS}?$expand=owners")

    assert [item["target"]["groupId"] for item in listed[0]["assignments"]] == ["g1"]
    assert unknown.status == 400
