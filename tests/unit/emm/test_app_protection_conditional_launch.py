# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Conditional launch of the iOS app protection policy: what AppProtectionSpec accepts and
refuses (with messages naming the option, the value and what is allowed), and the Graph
fields each option becomes."""

from __future__ import annotations

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppProtectionSpec, SpecError, parse

NEW_FIELDS = ("appActionIfMaximumPinRetriesExceeded", "minimumWarningOsVersion", "minimumWipeOsVersion",
              "minimumWarningAppVersion", "minimumWipeAppVersion", "periodOfflineBeforeAccessCheck",
              "deviceComplianceRequired", "appActionIfDeviceComplianceRequired", "appActionIfUnableToAuthenticateUser")


def spec(**options):
    return parse(AppProtectionSpec, {"name": "Mattermost iOS protection", **options})


def body(**options) -> dict:
    (desired,) = objects.desired_protections(spec(**options), {})
    return dict(desired.body)


def refusal(**options) -> str:
    with pytest.raises(SpecError) as refused:
        spec(**options)
    return str(refused.value)


# The body --------------------------------------------------------------------------------------

def test_every_conditional_launch_option_sets_its_graph_field():
    sent = body(max_pin_retries=3, max_pin_retries_action="wipe", minimum_os_version_wipe="16.0",
                minimum_os_version="17.0", minimum_os_version_warning="17.4", minimum_app_version_wipe="2.18.0",
                minimum_app_version="2.20.1", minimum_app_version_warning="2.22", offline_block_minutes=720,
                offline_wipe_days=30, jailbroken_action="wipe", disabled_account_action="block")

    assert {name: sent[name] for name in (*NEW_FIELDS, "maximumPinRetries", "minimumRequiredOsVersion",
                                          "minimumRequiredAppVersion", "periodOfflineBeforeWipeIsEnforced")} == {
        "maximumPinRetries": 3, "appActionIfMaximumPinRetriesExceeded": "wipe",
        "minimumWipeOsVersion": "16.0", "minimumRequiredOsVersion": "17.0", "minimumWarningOsVersion": "17.4",
        "minimumWipeAppVersion": "2.18.0", "minimumRequiredAppVersion": "2.20.1", "minimumWarningAppVersion": "2.22",
        "periodOfflineBeforeAccessCheck": "PT12H", "periodOfflineBeforeWipeIsEnforced": "P30D",
        "deviceComplianceRequired": True, "appActionIfDeviceComplianceRequired": "wipe",
        "appActionIfUnableToAuthenticateUser": "block",
    }


def test_unset_options_are_left_out_and_a_pin_lockout_means_reset_the_pin():
    sent = body()

    assert {name: sent[name] for name in NEW_FIELDS if name in sent} == {"appActionIfMaximumPinRetriesExceeded": "block"}
    assert None not in sent.values()


@pytest.mark.parametrize("action, graph", [("reset_pin", "block"), ("wipe", "wipe")])
def test_max_pin_retries_action(action, graph):
    assert body(max_pin_retries_action=action)["appActionIfMaximumPinRetriesExceeded"] == graph


@pytest.mark.parametrize("action", ["block", "wipe"])
def test_jailbroken_action_turns_the_jailbreak_check_on(action):
    sent = body(jailbroken_action=action)

    assert (sent["deviceComplianceRequired"], sent["appActionIfDeviceComplianceRequired"]) == (True, action)


@pytest.mark.parametrize("action", ["block", "wipe"])
def test_disabled_account_action(action):
    assert body(disabled_account_action=action)["appActionIfUnableToAuthenticateUser"] == action


# Graph reads a duration back in its shortest form; sending that form keeps a second run quiet.
@pytest.mark.parametrize("minutes, duration", [
    (1, "PT1M"), (30, "PT30M"), (90, "PT1H30M"), (720, "PT12H"), (1440, "P1D"), (1500, "P1DT1H"), (2881, "P2DT1M"),
])
def test_offline_block_minutes_become_an_iso_8601_duration(minutes, duration):
    assert body(offline_block_minutes=minutes)["periodOfflineBeforeAccessCheck"] == duration


# Versions ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("versions", [
    {"minimum_os_version_wipe": "16.0", "minimum_os_version": "17.0", "minimum_os_version_warning": "17.4"},
    {"minimum_os_version_wipe": "16.9", "minimum_os_version_warning": "16.10"},  # numbers, not text
    {"minimum_os_version": "16.4", "minimum_os_version_warning": "16.4.0"},  # equal is allowed
    {"minimum_app_version_wipe": "2.9.9", "minimum_app_version": "2.10", "minimum_app_version_warning": "2.10.0.1"},
    {"minimum_app_version_warning": "1.0", "minimum_os_version_wipe": "18.0"},  # the ladders are separate
])
def test_versions_in_order_are_accepted(versions):
    assert spec(**versions).model_dump(include=set(versions)) == versions


@pytest.mark.parametrize("option", ["minimum_os_version", "minimum_os_version_warning", "minimum_os_version_wipe",
                                    "minimum_app_version", "minimum_app_version_warning", "minimum_app_version_wipe"])
@pytest.mark.parametrize("version", ["17", "17.x", "v17.0", "17.0.1.2.3", "17.0 ", ""])
def test_a_version_that_is_not_dotted_numbers_is_refused(option, version):
    assert refusal(**{option: version}) == (
        f"{option}: must be a version such as 16.4 or 2.20.1: 2 to 4 numbers separated by dots (got {version!r})")


@pytest.mark.parametrize("versions, lower, higher", [
    ({"minimum_os_version_wipe": "17.0", "minimum_os_version": "16.4"}, "minimum_os_version_wipe '17.0'",
     "minimum_os_version '16.4'"),
    ({"minimum_os_version": "17.10", "minimum_os_version_warning": "17.9"}, "minimum_os_version '17.10'",
     "minimum_os_version_warning '17.9'"),
    ({"minimum_os_version_wipe": "17.0.1", "minimum_os_version_warning": "17.0"}, "minimum_os_version_wipe '17.0.1'",
     "minimum_os_version_warning '17.0'"),
    ({"minimum_app_version_wipe": "2.18", "minimum_app_version": "2.20.1", "minimum_app_version_warning": "2.19"},
     "minimum_app_version '2.20.1'", "minimum_app_version_warning '2.19'"),
])
def test_versions_out_of_order_are_refused_naming_both_and_the_order(versions, lower, higher):
    ladder = "minimum_os_version" if "minimum_os_version" in lower else "minimum_app_version"

    assert refusal(**versions) == (
        f"value: {lower} is above {higher}; allowed: {ladder}_wipe <= {ladder} <= {ladder}_warning")


# Offline ---------------------------------------------------------------------------------------

def test_offline_block_minutes_below_the_wipe_period_are_accepted():
    assert spec(offline_block_minutes=1439, offline_wipe_days=1).offline_block_minutes == 1439


@pytest.mark.parametrize("minutes, days", [(1440, 1), (129601, 90)])
def test_offline_block_minutes_not_below_the_wipe_period_are_refused(minutes, days):
    assert refusal(offline_block_minutes=minutes, offline_wipe_days=days) == (
        f"value: offline_block_minutes {minutes} must be less than offline_wipe_days in minutes "
        f"({days} days = {days * 1440} minutes): access is blocked before the data is wiped")


def test_offline_block_minutes_must_be_positive():
    assert refusal(offline_block_minutes=0) == "offline_block_minutes: must be at least 1, got 0 (got 0)"


# Actions ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("option, value, allowed", [
    ("max_pin_retries_action", "block", "'reset_pin' or 'wipe'"),
    ("jailbroken_action", "warn", "'block' or 'wipe'"),
    ("disabled_account_action", "reset_pin", "'block' or 'wipe'"),
])
def test_an_unknown_action_is_refused_with_the_choices(option, value, allowed):
    assert refusal(**{option: value}) == f"{option}: Input should be {allowed} (got {value!r})"
