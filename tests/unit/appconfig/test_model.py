# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The desired-configuration model: YAML-natural input in, the exact strings the app reads out."""

from __future__ import annotations

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import AppConfig, ConfigError, Problem


def problems(config, **options) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        AppConfig.from_input(config, **options)
    assert str(caught.value) == "; ".join(p.message for p in caught.value.problems)
    return caught.value.problems


def only_problem(config, **options) -> Problem:
    found = problems(config, **options)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "key, given_value, expected",
    [
        ("inAppPinCode", True, "true"),
        ("inAppPinCode", False, "false"),
        ("inAppPinCode", "TRUE", "true"),
        ("inAppPinCode", " True\n", "true"),
        ("allowOtherServers", "False", "false"),
        ("useVPN", "false", "false"),
        ("timeout", 15000, "15000"),
        ("timeout", 0, "0"),
        ("timeout", "15000", "15000"),
        ("timeout", " 30000 ", "30000"),
        ("timeout", "007", "7"),
        ("timeoutVPN", 10**15, "1000000000000000"),
        ("serverName", 2024, "2024"),
        ("vendor", 1.5, "1.5"),
        ("serverName", "  Acme  Chat \r\n", "  Acme  Chat \r\n"),
        ("username", "{{userprincipalname}}", "{{userprincipalname}}"),
        ("serverUrl", "https://chat.example.com", "https://chat.example.com"),
        ("serverUrl", "not a url", "not a url"),  # a judgement for the validator, not a shape error
        ("vendor", "", ""),
        ("vendor", "tab\there", "tab\there"),
    ],
)
def test_yaml_natural_values_become_the_strings_the_app_reads(key, given_value, expected):
    config = AppConfig.from_input({key: given_value})
    assert config.settings == {key: expected}
    assert isinstance(config.settings[key], str)


def test_defaults_are_both_platforms_and_the_store_app():
    config = AppConfig.from_input({})
    assert config.settings == {}
    assert config.platforms == ("ios", "android")
    assert config.app_id == "com.mattermost.rn"


def test_the_beta_app_id_is_accepted():
    assert AppConfig.from_input({}, app_id="com.mattermost.rnbeta").app_id == "com.mattermost.rnbeta"


@pytest.mark.parametrize(
    "given_platforms, expected",
    [(["android", "ios"], ("ios", "android")), (["android", "android"], ("android",)), (("ios",), ("ios",))],
)
def test_platforms_are_deduplicated_in_a_stable_order(given_platforms, expected):
    assert AppConfig.from_input({}, platforms=given_platforms).platforms == expected


@settings(max_examples=40)
@given(order=st.permutations([key.name for key in catalog.KEYS]))
def test_keys_come_out_in_catalog_order_whatever_the_input_order(order):
    raw = {name: ("true" if catalog.BY_NAME[name].kind == catalog.SWITCH else "1234") for name in order}
    config = AppConfig.from_input(raw)
    assert list(config.settings) == [key.name for key in catalog.KEYS]


def test_normalising_twice_changes_nothing():
    raw = {"timeout": " 15000", "inAppPinCode": "TRUE", "serverName": "Acme", "useVPN": False}
    once = AppConfig.from_input(raw)
    assert AppConfig.from_input(once.settings, once.platforms, once.app_id) == once


def test_for_platform_leaves_out_ios_only_keys_on_android():
    config = AppConfig.from_input({"useVPN": True, "timeoutVPN": 30000, "serverUrl": "https://c.example.com",
                                   "inAppSessionAuth": "false"})
    assert config.for_platform("android") == {"serverUrl": "https://c.example.com", "inAppSessionAuth": "false"}
    assert config.for_platform("ios") == config.settings


def test_the_model_is_frozen_and_refuses_extra_fields():
    config = AppConfig.from_input({"vendor": "Acme"})
    with pytest.raises(pydantic.ValidationError):
        config.app_id = "com.mattermost.rnbeta"
    with pytest.raises(pydantic.ValidationError):
        AppConfig(settings={}, colour="blue")


# Errors: each names the key, shows the value and says what is allowed.

def test_an_unknown_key_lists_the_known_keys():
    problem = only_problem({"colour": "blue"})
    assert problem.key == "colour"
    assert "unknown key 'colour'" in problem.message
    assert "serverUrl" in problem.message and "inAppPinCode" in problem.message


@pytest.mark.parametrize("name, right", [("vendr", "vendor"), ("serverURL", "serverUrl"), ("usevpn", "useVPN")])
def test_an_unknown_key_close_to_a_real_one_says_did_you_mean(name, right):
    problem = only_problem({name: "x"})
    assert problem.key == name
    assert f"did you mean {right!r}?" in problem.message


@pytest.mark.parametrize("name", ["jailbreakDetection", "jailBreakDetection"])
def test_a_documented_misspelling_names_the_key_the_app_reads(name):
    problem = only_problem({name: True})
    assert problem.key == name
    assert problem.message == f"key {name!r} is not read by the Mattermost app; the app reads 'jailbreakProtection'"


@pytest.mark.parametrize(
    "key, bad, allowed",
    [
        ("serverName", True, "a string"),
        ("username", None, "a string"),
        ("serverUrl", 443, "an absolute https:// URL"),
        ("inAppPinCode", "yes", '"true" or "false"'),
        ("inAppPinCode", 1, '"true" or "false"'),
        ("allowOtherServers", None, '"true" or "false"'),
        ("timeout", -1, "whole number of milliseconds"),
        ("timeout", 1.5, "whole number of milliseconds"),
        ("timeout", 15000.0, "whole number of milliseconds"),
        ("timeout", "15s", "whole number of milliseconds"),
        ("timeout", "-5", "whole number of milliseconds"),
        ("timeout", "1e4", "whole number of milliseconds"),
        ("timeout", True, "whole number of milliseconds"),
        ("timeout", "", "whole number of milliseconds"),
        ("timeout", "²", "whole number of milliseconds"),
        ("timeoutVPN", "１５０００", "whole number of milliseconds"),
        ("timeoutVPN", "{{timeout}}", "whole number of milliseconds"),
    ],
)
def test_a_value_of_the_wrong_kind_names_key_value_and_what_is_allowed(key, bad, allowed):
    problem = only_problem({key: bad})
    assert problem.key == key
    assert f"key {key!r}: value {bad!r} is not allowed" in problem.message
    assert allowed in problem.message


@pytest.mark.parametrize("bad", ["a\x00b", "bell\x07", "\x0b", "\x0c", "esc\x1b[0m", "\x1f", "\ufffe", "\uffff", "\ud800"])
@pytest.mark.parametrize("key", ["serverName", "serverUrl", "username", "vendor"])
def test_control_characters_no_document_can_carry_are_refused(key, bad):
    problem = only_problem({key: bad})
    assert problem.key == key
    assert repr(bad) in problem.message
    assert "control characters" in problem.message


def test_every_problem_is_reported_at_once_in_input_order():
    found = problems({"colour": 1, "timeout": "15s", "inAppPinCode": "maybe", "serverName": "fine"})
    assert [p.key for p in found] == ["colour", "timeout", "inAppPinCode"]


@pytest.mark.parametrize("config", [None, ["serverUrl"], "serverUrl: x"])
def test_a_config_that_is_not_a_mapping_is_refused(config):
    problem = only_problem(config)
    assert problem.key == "config"
    assert "mapping" in problem.message
    assert repr(config) in problem.message


@pytest.mark.parametrize("bad", [["windows"], ["ios", "blackberry"]])
def test_a_bad_platform_is_named_with_the_allowed_ones(bad):
    problem = only_problem({}, platforms=bad)
    assert problem.key == "platforms"
    assert repr(bad[-1]) in problem.message
    assert "'ios'" in problem.message and "'android'" in problem.message


def test_no_platform_at_all_is_refused():
    problem = only_problem({}, platforms=[])
    assert problem.key == "platforms"
    assert "at least one platform" in problem.message and "ios, android" in problem.message


@pytest.mark.parametrize("bad", ["com.example.chat", "com.mattermost.RN", ""])
def test_a_bad_app_id_is_named_with_the_allowed_ones(bad):
    problem = only_problem({}, app_id=bad)
    assert problem.key == "app_id"
    assert repr(bad) in problem.message
    assert "'com.mattermost.rn'" in problem.message and "'com.mattermost.rnbeta'" in problem.message


def test_option_and_key_problems_are_reported_together():
    found = problems({"colour": 1}, platforms=["windows"], app_id="com.example.chat")
    assert sorted(p.key for p in found) == ["app_id", "colour", "platforms"]


def test_a_custom_build_takes_its_own_app_id_and_the_same_keys():
    model = AppConfig.from_input({"inAppPinCode": True}, app_id="com.example.chat", custom_build=True)
    assert (model.app_id, model.settings) == ("com.example.chat", {"inAppPinCode": "true"})
    with pytest.raises(ConfigError, match="pinCode.* not read by the Mattermost app"):
        AppConfig.from_input({"pinCode": True}, app_id="com.example.chat", custom_build=True)


@pytest.mark.parametrize("bad", ["chat", "com.example.chat app", "com..chat"])
def test_a_custom_build_app_id_must_be_an_app_identifier(bad):
    problem = only_problem({}, app_id=bad, custom_build=True)
    assert problem.key == "app_id" and repr(bad) in problem.message and "custom_build" in problem.message
