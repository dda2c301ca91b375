# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reconcile engine every provider shares: plan, assignment merge, duplicates, ownership, diff."""

from __future__ import annotations

import json

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    ASSIGN,
    CREATE,
    DELETE,
    UPDATE,
    Actual,
    Assignment,
    Desired,
    DuplicateObjects,
    Identity,
    ProviderError,
    merge_assignments,
    plan,
    same_assignments,
    Target,
)

KIND = "mobileAppConfigurations"
BODY = {"displayName": "Mattermost (iOS)", "settings": {"serverUrl": "https://chat.example.com", "inAppPinCode": "true"}}
CORP = Assignment(Target("group", "corp"))
BYOD = Assignment(Target("group", "byod"), {"filter": "f1", "filterType": "include"})
CONSOLE = Assignment(Target("group", "console"))


def wish(body=None, assignments=None, present=True, name="Mattermost (iOS)"):
    body = BODY if body is None else body
    return Desired(KIND, name, body, assignments, present, variant=body.get("@odata.type"))


def tenant_object(body=None, assignments=(), owned=True, object_id="id-1", name="Mattermost (iOS)", kind=KIND):
    body = BODY if body is None else body
    return Actual(kind, name, object_id, body, tuple(assignments), owned, variant=body.get("@odata.type"))


def canon(assignments):
    """Assignments as comparable text (they hold dicts, so they are not hashable)."""
    return sorted(assignment.canonical() for assignment in assignments)


def actions(result):
    return [(operation.action, operation.name, operation.id) for operation in result.operations]


# Plan -------------------------------------------------------------------------------------------

def test_absent_object_is_created_then_assigned():
    result = plan([wish(assignments=(CORP, BYOD))], [])

    assert actions(result) == [(CREATE, "Mattermost (iOS)", None), (ASSIGN, "Mattermost (iOS)", None)]
    assert result.operations[0].after == BODY
    assert result.operations[1].assignments == (CORP, BYOD)
    assert result.changed


@pytest.mark.parametrize("assignments", [None, ()])
def test_created_object_without_assignments_gets_no_assign(assignments):
    assert actions(plan([wish(assignments=assignments)], [])) == [(CREATE, "Mattermost (iOS)", None)]


IKEV2 = {**BODY, "@odata.type": "#microsoft.graph.iosikEv2VpnConfiguration"}
VENDOR = {**BODY, "@odata.type": "#microsoft.graph.iosVpnConfiguration"}


def test_a_change_of_type_replaces_the_object_keeping_a_colleagues_assignment():
    result = plan([wish(VENDOR, (CORP,))], [tenant_object(IKEV2, (CORP, CONSOLE))])

    assert actions(result) == [(DELETE, "Mattermost (iOS)", "id-1"), (CREATE, "Mattermost (iOS)", None),
                               (ASSIGN, "Mattermost (iOS)", None)]
    assert canon(result.operations[2].assignments) == canon((CONSOLE, CORP))
    assert result.ids == {Identity(KIND, "Mattermost (iOS)"): None}


def test_a_change_of_type_on_an_object_someone_else_made_fails_and_plans_nothing():
    with pytest.raises(ProviderError, match=r"id-1.*iosikEv2VpnConfiguration, not the .*iosVpnConfiguration wanted"):
        plan([wish(VENDOR)], [tenant_object(IKEV2, owned=False)], adopt=True)  # adopting never deletes


def test_plan_knows_the_id_of_each_object_wanted_present():
    result = plan([wish(), wish(name="new"), wish(name="gone", present=False)], [tenant_object()])

    assert result.ids == {Identity(KIND, "Mattermost (iOS)"): "id-1", Identity(KIND, "new"): None}


def test_equal_object_gives_no_operation_whatever_the_order():
    reordered = {"settings": {"inAppPinCode": "true", "serverUrl": "https://chat.example.com"},
                 "displayName": "Mattermost (iOS)"}
    result = plan([wish(assignments=(CORP, BYOD))], [tenant_object(reordered, (BYOD, CORP))])

    assert result.operations == [] and not result.changed
    assert result.diff() == {"before": "{}\n", "after": "{}\n"}


def test_changed_body_is_updated_with_before_and_after():
    console = {**BODY, "settings": {**BODY["settings"], "inAppPinCode": "<boolean>true"}}
    result = plan([wish()], [tenant_object(console)])

    assert actions(result) == [(UPDATE, "Mattermost (iOS)", "id-1")]
    assert result.operations[0].before == console and result.operations[0].after == BODY


def test_unset_assignments_leave_the_tenant_ones_alone():
    assert plan([wish(assignments=None)], [tenant_object(assignments=(CONSOLE,))]).operations == []


def test_assignment_detail_change_is_an_assign():
    moved = Assignment(Target("group", "byod"), {"filter": "f1", "filterType": "exclude"})
    result = plan([wish(assignments=(CORP, BYOD))], [tenant_object(assignments=(CORP, moved))])

    assert actions(result) == [(ASSIGN, "Mattermost (iOS)", "id-1")]
    assert canon(result.operations[0].assignments) == canon([CORP, BYOD])


# Assignment merge ---------------------------------------------------------------------------

def test_merge_keeps_assignments_the_user_did_not_name():
    merged = merge_assignments((CONSOLE, CORP), (CORP, BYOD), purge=False)
    assert canon(merged) == canon([CONSOLE, CORP, BYOD])


def test_merge_with_purge_keeps_only_the_wanted_ones():
    assert merge_assignments((CONSOLE, CORP), (CORP, BYOD), purge=True) == (CORP, BYOD)


def test_merge_replaces_the_detail_of_a_named_target():
    old = Assignment(Target("group", "byod"), {"filterType": "exclude"})
    assert merge_assignments((old,), (BYOD,), purge=False) == (BYOD,)


def test_plan_keeps_a_console_assignment_unless_purging():
    current = tenant_object(assignments=(CORP, CONSOLE))
    kept = plan([wish(assignments=(CORP, BYOD))], [current])
    purged = plan([wish(assignments=(CORP, BYOD))], [current], purge_assignments=True)

    assert canon(kept.operations[0].assignments) == canon([CORP, BYOD, CONSOLE])
    assert canon(purged.operations[0].assignments) == canon([CORP, BYOD])


def test_console_assignment_alone_is_no_change_without_purge():
    assert plan([wish(assignments=(CORP,))], [tenant_object(assignments=(CORP, CONSOLE))]).operations == []


def test_same_assignments_ignores_order_not_detail():
    assert same_assignments([CORP, BYOD], [BYOD, CORP])
    assert not same_assignments([CORP, BYOD], [CORP, Assignment(Target("group", "byod"))])
    assert not same_assignments([CORP], [CORP, CORP])


# Duplicates and ownership ---------------------------------------------------------------------

def test_two_objects_with_the_identity_fail_listing_both_ids():
    twins = [tenant_object(object_id="id-a"), tenant_object(object_id="id-b", owned=False)]
    with pytest.raises(DuplicateObjects) as raised:
        plan([wish()], twins)

    assert raised.value.ids == ["id-a", "id-b"]
    assert "id-a" in str(raised.value) and "id-b" in str(raised.value) and "'Mattermost (iOS)'" in str(raised.value)


def test_same_name_in_another_kind_is_not_a_duplicate():
    other = tenant_object(object_id="id-x", kind="assignmentFilters")
    assert actions(plan([wish()], [tenant_object(), other])) == []


def test_duplicates_fail_even_when_removing():
    twins = [tenant_object(object_id="id-a"), tenant_object(object_id="id-b")]
    with pytest.raises(DuplicateObjects):
        plan([wish(present=False)], twins)


def test_absent_owned_object_is_deleted():
    result = plan([wish(present=False)], [tenant_object(owned=True)])
    assert actions(result) == [(DELETE, "Mattermost (iOS)", "id-1")]
    assert result.operations[0].after is None


def test_absent_object_someone_else_made_is_left_with_a_warning():
    result = plan([wish(present=False)], [tenant_object(owned=False)])

    assert result.operations == [] and not result.changed
    assert len(result.warnings) == 1 and "id-1" in result.warnings[0] and "left in place" in result.warnings[0]


def test_absent_and_missing_is_nothing():
    result = plan([wish(present=False)], [])
    assert result.operations == [] and result.warnings == []


def test_objects_nobody_asked_about_are_never_touched():
    stranger = tenant_object(name="Someone else's", object_id="id-9", owned=True)
    assert actions(plan([wish()], [tenant_object(), stranger])) == []


# Diff and summary -------------------------------------------------------------------------------

def test_diff_of_a_create_has_no_before_and_the_whole_after():
    result = plan([wish(assignments=(CORP,))], [])
    before, after = (json.loads(result.diff()[side]) for side in ("before", "after"))

    assert before == {}
    assert after == {f"{KIND}/Mattermost (iOS)": {**BODY, "assignments": [{"target": "include:corp"}]}}


def test_diff_of_an_update_and_assign_shows_both_sides():
    console = {**BODY, "settings": {"serverUrl": "https://old.example.com"}}
    result = plan([wish(assignments=(CORP, BYOD))], [tenant_object(console, (CORP,))])
    before, after = (json.loads(result.diff()[side])[f"{KIND}/Mattermost (iOS)"] for side in ("before", "after"))

    assert before["settings"] == {"serverUrl": "https://old.example.com"}
    assert after["settings"] == BODY["settings"]
    assert before["assignments"] == [{"target": "include:corp"}]
    # Sorted, whatever order they were asked in: a stable diff.
    assert after["assignments"] == [{"target": "include:byod", "filter": "f1", "filterType": "include"},
                                    {"target": "include:corp"}]


def test_diff_of_a_delete_has_no_after():
    result = plan([wish(present=False)], [tenant_object()])
    assert json.loads(result.diff()["after"]) == {}
    assert json.loads(result.diff()["before"]) == {f"{KIND}/Mattermost (iOS)": BODY}


def test_diff_text_is_stable():
    first = plan([wish(assignments=(CORP, BYOD))], [tenant_object({"displayName": "x"})]).diff()
    again = plan([wish(assignments=(BYOD, CORP))], [tenant_object({"displayName": "x"})]).diff()
    assert first == again


def test_summary_names_each_operation():
    result = plan([wish(assignments=(CORP,)), wish(name="Other", present=False)],
                  [tenant_object(name="Other", object_id="id-7")])
    assert result.summary() == [
        f"create {KIND} 'Mattermost (iOS)'",
        f"assign {KIND} 'Mattermost (iOS)'",
        f"delete {KIND} 'Other' (id-7)",
    ]
