# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The device profile description: what it accepts, and how it explains what it refuses."""

from __future__ import annotations

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import Problem
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import DeviceProfile, ProfileError

VPN = {"connection_name": "VPN", "server": "vpn.example.com", "vpn_type": "ikev2", "local_identifier": "me"}


def only_problem(raw) -> Problem:
    with pytest.raises(ProfileError) as caught:
        DeviceProfile.from_input(raw)
    assert str(caught.value) == "; ".join(problem.message for problem in caught.value.problems)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def test_a_name_alone_is_a_profile_with_nothing_enforced():
    profile = DeviceProfile.from_input({"name": "Mattermost"})
    assert profile.organization == "Mattermost"
    assert (profile.passcode, profile.restrictions, profile.per_app_vpn, profile.android) == (None,) * 4


def test_sections_fill_their_defaults(full):
    bare = DeviceProfile.from_input({"name": "n", "passcode": {}, "restrictions": {}, "per_app_vpn": VPN, "android": {}})
    assert (bare.passcode.min_length, bare.passcode.complexity) == (6, "numeric")
    assert not any(bare.restrictions.model_dump().values())
    assert bare.per_app_vpn.app_bundle_ids == ("com.mattermost.rn",)
    assert bare.per_app_vpn.on_demand is True
    assert not bare.android.requires_password and full.android.requires_password


def test_vpn_defaults_are_settled_in_the_description():
    ikev2 = DeviceProfile.from_input({"name": "n", "per_app_vpn": VPN}).per_app_vpn
    ssl = DeviceProfile.from_input({"name": "n", "per_app_vpn": {
        "connection_name": "VPN", "server": "10.0.0.1", "vpn_type": "ssl", "provider_bundle_id": "com.example.vpn",
    }}).per_app_vpn
    assert ikev2.remote_identifier == "vpn.example.com"
    assert ssl.provider_type == "packet-tunnel"


def test_a_description_is_immutable(full):
    with pytest.raises(Exception, match="frozen"):
        full.name = "other"


@pytest.mark.parametrize(
    "raw, option, value_text, allowed_text",
    [
        ({"passcode": {"min_length": 3}}, "passcode.min_length", "3", "from 4 to 16"),
        ({"passcode": {"min_length": 17}}, "passcode.min_length", "17", "from 4 to 16"),
        ({"passcode": {"complexity": "strong"}}, "passcode.complexity", "'strong'", "'numeric' or 'alphanumeric'"),
        ({"passcode": {"complexity": "alphanumeric", "min_complex_chars": 5}}, "passcode.min_complex_chars", "5", "from 0 to 4"),
        ({"passcode": {"auto_lock_minutes": 7}}, "passcode.auto_lock_minutes", "7", "1, 2, 3, 4, 5, 10 or 15"),
        ({"passcode": {"max_failed_attempts": 1}}, "passcode.max_failed_attempts", "1", "from 2 to 11"),
        ({"passcode": {"max_failed_attempts": True}}, "passcode.max_failed_attempts", "True", "a number"),
        ({"passcode": {"max_age_days": 731}}, "passcode.max_age_days", "731", "from 1 to 730"),
        ({"restrictions": {"block_screenshots": "sometimes"}}, "restrictions.block_screenshots", "'sometimes'", "boolean"),
        ({"per_app_vpn": {**VPN, "server": "https://vpn.example.com/"}}, "per_app_vpn.server", "'https://vpn.example.com/'",
         "host name or IP address"),
        ({"per_app_vpn": {**VPN, "vpn_type": "pptp"}}, "per_app_vpn.vpn_type", "'pptp'", "'ikev2' or 'ssl'"),
        ({"per_app_vpn": {**VPN, "app_bundle_ids": ["Mattermost app"]}}, "per_app_vpn.app_bundle_ids", "'Mattermost app'",
         "app identifier such as 'com.mattermost.rn'"),
        ({"per_app_vpn": {**VPN, "app_bundle_ids": []}}, "per_app_vpn.app_bundle_ids", "[]", "at least one app"),
        ({"per_app_vpn": {**VPN, "app_bundle_ids": ["com.a.b", "com.a.b"]}}, "per_app_vpn.app_bundle_ids", "'com.a.b'", "once"),
        ({"android": {"password_quality": "pattern"}}, "android.password_quality", "'pattern'", "'numeric_complex'"),
        ({"android": {"password_quality": "numeric", "password_min_length": 2}}, "android.password_min_length", "2", "from 4 to 16"),
        ({"android": {"max_failed_attempts": 12}}, "android.max_failed_attempts", "12", "from 4 to 11"),
        ({"organization": "Acme\r\nInc"}, "organization", "'Acme\\r\\nInc'", "one line of text"),
        ({"organization": "  "}, "organization", "'  '", "not blank"),
    ],
)
def test_bad_values_name_the_option_the_value_and_what_is_allowed(raw, option, value_text, allowed_text):
    problem = only_problem({"name": "n", **raw})
    assert problem.key == option
    assert problem.message.startswith(f"{option}: ")
    assert value_text in problem.message
    assert allowed_text in problem.message


@pytest.mark.parametrize(
    "raw, option, expected",
    [
        ({"passcode": {"min_complex_chars": 2}}, "passcode.min_complex_chars", "needs complexity 'alphanumeric'"),
        ({"per_app_vpn": {**VPN, "local_identifier": None}}, "per_app_vpn.local_identifier", "required with vpn_type 'ikev2'"),
        ({"per_app_vpn": {**VPN, "provider_bundle_id": "com.example.vpn"}}, "per_app_vpn.provider_bundle_id",
         "not used with vpn_type 'ikev2', which takes local_identifier and remote_identifier"),
        ({"per_app_vpn": {**VPN, "vpn_type": "ssl", "local_identifier": None}}, "per_app_vpn.provider_bundle_id",
         "required with vpn_type 'ssl'"),
        ({"android": {"password_min_length": 6}}, "android.password_quality", "required with password_min_length"),
    ],
)
def test_rules_across_options_name_the_option_to_fix(raw, option, expected):
    problem = only_problem({"name": "n", **raw})
    assert problem.key == option
    assert problem.message.startswith(f"{option}: ") and expected in problem.message


def test_unknown_options_list_the_known_ones():
    problem = only_problem({"name": "n", "passcode": {"minLength": 6}})
    assert problem.key == "passcode.minLength"
    assert "unknown option" in problem.message and "min_length, complexity" in problem.message


def test_missing_name_and_every_other_fault_are_reported_together():
    with pytest.raises(ProfileError) as caught:
        DeviceProfile.from_input({"passcode": {"min_length": 2}, "colour": "blue"})
    assert [problem.key for problem in caught.value.problems] == ["name", "passcode.min_length", "colour"]
    assert caught.value.problems[0].message == "name: required"


def test_a_description_must_be_a_mapping():
    assert only_problem(["name"]) == Problem(None, "a device profile must be a mapping of options, got list")
