# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The seam between the engine and a vendor: inline assignments, capabilities, provider settings."""

from __future__ import annotations

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    ASSIGN_INLINE,
    CREATE,
    UPDATE,
    Actual,
    Assignment,
    Capabilities,
    Desired,
    Identity,
    ProviderError,
    Target,
    Unsupported,
    plan,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppSpec
from ansible_collections.mattermost.emm.plugins.module_utils.provider_support import vendor_settings

GROUP_A = Assignment(Target("device_group", "1"))
GROUP_B = Assignment(Target("device_group", "2", exclude=True))
BODY = {"name": "Mattermost", "deployment_type": "Make Available in Self Service"}


def record():
    return Actual("app", "com.mattermost.rn", "7", BODY, (GROUP_A,), owned=True)


def test_inline_create_carries_its_assignments_in_one_write():
    result = plan([Desired("app", "com.mattermost.rn", BODY, (GROUP_A, GROUP_B))], [], assignments=ASSIGN_INLINE)

    assert [op.action for op in result.operations] == [CREATE]
    assert result.operations[0].assignments == (GROUP_A, GROUP_B)
    assert result.operations[0].after["assignments"] == [GROUP_B.as_dict(), GROUP_A.as_dict()]  # sorted: a stable diff


def test_inline_change_of_scope_alone_is_an_update_of_the_object():
    result = plan([Desired("app", "com.mattermost.rn", BODY, (GROUP_A, GROUP_B))], [record()], assignments=ASSIGN_INLINE)

    [operation] = result.operations
    assert (operation.action, operation.id, operation.assignments) == (UPDATE, "7", (GROUP_A, GROUP_B))
    assert operation.current == record()


def test_inline_change_of_body_and_scope_is_one_update():
    changed = {**BODY, "deployment_type": "Install Automatically/Prompt Users to Install"}
    result = plan([Desired("app", "com.mattermost.rn", changed, (GROUP_A, GROUP_B))], [record()], assignments=ASSIGN_INLINE)

    [operation] = result.operations
    assert operation.action == UPDATE and operation.after["deployment_type"] == changed["deployment_type"]
    assert operation.before["assignments"] == [GROUP_A.as_dict()]


def test_identities_in_different_containers_are_different_objects():
    entry = Actual("app", "com.mattermost.rn", "p1/com.mattermost.rn", {"installType": "AVAILABLE"}, container="policies/p1")
    wish = Desired("app", "com.mattermost.rn", {"installType": "AVAILABLE"}, container="policies/p2")

    result = plan([wish], [entry])

    assert [op.action for op in result.operations] == [CREATE]
    assert result.ids == {Identity("app", "com.mattermost.rn", "policies/p2"): None}
    assert result.summary() == ["create app 'com.mattermost.rn' in policies/p2"]


def test_targets_read_the_same_as_before_and_say_what_they_are():
    assert str(Target("group", "g1")) == "include:g1"
    assert str(Target("device_group", "4", exclude=True)) == "exclude:4"
    assert str(Target("all_devices")) == "include:all_devices"


def test_a_module_the_vendor_cannot_serve_fails_saying_why():
    capabilities = Capabilities("Jamf Pro", frozenset({"app"}), refusals={"app_protection": "Jamf has no app protection"})

    with pytest.raises(Unsupported, match="app_protection cannot run against Jamf Pro: Jamf has no app protection; nothing"):
        capabilities.require("app_protection")
    with pytest.raises(Unsupported, match="offers no 'selective_wipe' device action"):
        capabilities.require_device_action("selective_wipe")
    capabilities.require("app")


def test_a_field_of_another_vendor_is_refused_naming_the_fields_the_type_takes():
    with pytest.raises(ProviderError, match=r"provider type offline does not take client_secret, tenant_id; it takes dest"):
        vendor_settings({"type": "offline", "dest": "/tmp/x", "tenant_id": "t", "client_secret": "s"})


def test_vendor_fields_fall_back_to_the_environment_that_vendors_users_know():
    settings = vendor_settings({"type": "intune"}, environ={"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c",
                                                            "AZURE_CLIENT_SECRET": "s"})

    assert (settings["tenant_id"], settings["client_id"], settings["client_secret"], settings["cloud"]) == ("t", "c", "s", "global")


def test_a_missing_field_names_it_and_its_environment_variable():
    with pytest.raises(ProviderError, match=r"provider type intune needs client_secret \(or the environment variables AZURE_CLIENT_SECRET\)"):
        vendor_settings({"type": "intune", "tenant_id": "t", "client_id": "c"}, environ={})


def test_jamf_takes_an_api_client_or_a_user_and_its_admins_environment():
    settings = vendor_settings({"type": "jamf"}, environ={"JAMFPRO_INSTANCE_FQDN": "https://jamf.example.com:8443/jamf",
                                                          "JAMFPRO_CLIENT_ID": "c", "JAMFPRO_CLIENT_SECRET": "s",
                                                          "AZURE_CLIENT_ID": "not for jamf"})

    assert (settings["url"], settings["client_id"], settings["client_secret"]) == (
        "https://jamf.example.com:8443/jamf", "c", "s")
    with pytest.raises(ProviderError, match=r"needs client_id and client_secret or username and password"):
        vendor_settings({"type": "jamf", "url": "https://jamf.example.com", "username": "admin"}, environ={})
    with pytest.raises(ProviderError, match=r"provider type jamf does not take tenant_id; it takes client_id, client_secret, "
                                            r"password, url, username"):
        vendor_settings({"type": "jamf", "url": "https://jamf.example.com", "tenant_id": "t"}, environ={})


def test_android_management_takes_an_enterprise_and_the_key_file_google_s_tools_name():
    settings = vendor_settings({"type": "android_management", "enterprise": "enterprises/LC01abcd23"},
                               environ={"GOOGLE_APPLICATION_CREDENTIALS": "/etc/keys/amapi.json"})

    assert (settings["enterprise"], settings["service_account_key"], settings["url"]) == (
        "enterprises/LC01abcd23", "/etc/keys/amapi.json", None)
    with pytest.raises(ProviderError, match=r"provider type android_management needs service_account_key \(or the "
                                            r"environment variables GOOGLE_APPLICATION_CREDENTIALS\)"):
        vendor_settings({"type": "android_management", "enterprise": "enterprises/LC01abcd23"}, environ={})


def test_groups_and_policies_are_refused_where_the_vendor_assigns_to_the_other_naming_the_option():
    policies = Capabilities("Android Management", frozenset({"app"}), targets="policy",
                            refusals={"group": "name the policies the devices follow"})
    groups = Capabilities("Jamf Pro", frozenset({"app"}))

    with pytest.raises(Unsupported, match=r"^assignments: Android Management has no groups: name the policies"):
        policies.require_targets(AppSpec(assignments=[{"group": "Sales"}]))
    with pytest.raises(Unsupported, match=r"^policies: Jamf Pro assigns to groups, not policies"):
        groups.require_targets(AppSpec(policies=[{"policy": "work-profile"}]))
    policies.require_targets(AppSpec(policies=[{"policy": "work-profile"}]))
    groups.require_targets(AppSpec(assignments=[{"group": "Sales"}]))
