# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The key catalog states what the Mattermost app (v2.43.0) really reads."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog

# name: (kind, platforms, default), as read from the app's sources.
EXPECTED = {
    "inAppPinCode": ("switch", ("ios", "android"), "false"),
    "blurApplicationScreen": ("switch", ("ios", "android"), "false"),
    "jailbreakProtection": ("switch", ("ios", "android"), "false"),
    "copyAndPasteProtection": ("switch", ("ios", "android"), "false"),
    "serverUrl": ("url", ("ios", "android"), None),
    "serverName": ("text", ("ios", "android"), None),
    "allowOtherServers": ("switch", ("ios", "android"), "true"),
    "username": ("text", ("ios", "android"), None),
    "timeout": ("milliseconds", ("ios", "android"), "10000"),
    "useVPN": ("switch", ("ios",), "false"),
    "timeoutVPN": ("milliseconds", ("ios",), None),
    "vendor": ("text", ("ios", "android"), "Mattermost"),
    "inAppSessionAuth": ("switch", ("ios", "android"), None),
}

# The restrictions Android's app_restrictions.xml declares.
ANDROID_KEYS = {
    "inAppPinCode", "blurApplicationScreen", "jailbreakProtection", "copyAndPasteProtection", "serverUrl",
    "serverName", "allowOtherServers", "username", "timeout", "vendor", "inAppSessionAuth",
}


def test_the_catalog_has_exactly_the_thirteen_keys_the_app_reads():
    assert len(catalog.KEYS) == 13
    assert [key.name for key in catalog.KEYS] == list(EXPECTED)
    assert set(catalog.BY_NAME) == set(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_each_key_has_its_kind_platforms_and_default(name):
    key = catalog.BY_NAME[name]
    assert (key.kind, key.platforms, key.default) == EXPECTED[name]
    assert key.title and key.description


@pytest.mark.parametrize("key", catalog.KEYS, ids=lambda key: key.name)
def test_each_key_says_since_which_app_version(key):
    assert re.fullmatch(r"\d+\.\d+\.\d+", key.since)
    expected = "2.0.1" if key.name == "timeoutVPN" else catalog.FIRST_KNOWN_VERSION
    assert key.since == expected


def test_only_in_app_session_auth_is_deprecated_and_says_since_when():
    deprecated = {key.name: key.until for key in catalog.KEYS if key.deprecated}
    assert deprecated == {"inAppSessionAuth": "2.18.0"}
    assert "2.18.0" in catalog.BY_NAME["inAppSessionAuth"].description


@pytest.mark.parametrize("key", catalog.KEYS, ids=lambda key: key.name)
def test_switches_allow_exactly_the_strings_true_and_false(key):
    if key.kind == catalog.SWITCH:
        assert key.allowed_values == ("true", "false")
        assert '"true"' in key.allowed_text() and '"false"' in key.allowed_text()
    else:
        assert key.allowed_values is None


@pytest.mark.parametrize(
    "kind, words",
    [(catalog.MILLISECONDS, "milliseconds"), (catalog.URL, "https://"), (catalog.TEXT, "string")],
)
def test_allowed_text_says_what_a_value_looks_like(kind, words):
    key = next(key for key in catalog.KEYS if key.kind == kind)
    assert words in key.allowed_text()


def test_android_reads_exactly_eleven_keys_and_not_the_vpn_ones():
    android = {key.name for key in catalog.keys_for(catalog.ANDROID)}
    assert android == ANDROID_KEYS
    assert len(catalog.keys_for(catalog.ANDROID)) == 11
    assert "useVPN" not in android and "timeoutVPN" not in android


def test_ios_reads_every_key_in_catalog_order():
    assert catalog.keys_for(catalog.IOS) == catalog.KEYS


def test_an_unknown_platform_reads_nothing():
    assert catalog.keys_for("windows") == ()


@pytest.mark.parametrize("name", ["inAppPinCode", "jailbreakProtection", "blurApplicationScreen"])
def test_keys_that_take_over_from_server_and_intune_say_so(name):
    # Setting them to "true" overrides the server's mobile security settings and Intune app protection.
    assert "takes over" in catalog.BY_NAME[name].description


def test_the_app_ids_are_the_store_and_beta_builds():
    assert catalog.APP_ID == "com.mattermost.rn"
    assert catalog.APP_IDS == ("com.mattermost.rn", "com.mattermost.rnbeta")


def test_lookup_is_exact():
    assert catalog.lookup("serverUrl") is catalog.BY_NAME["serverUrl"]
    assert catalog.lookup("serverURL") is None
    assert catalog.lookup("jailbreakDetection") is None
    assert catalog.lookup(" serverUrl") is None


@pytest.mark.parametrize("name", ["jailbreakDetection", "jailBreakDetection", "JailbreakDetection", "JAILBREAKDETECTION"])
def test_the_documented_jailbreak_names_map_to_jailbreak_protection(name):
    assert catalog.correction(name) == ("jailbreakProtection", "misspelled")


@pytest.mark.parametrize(
    "name, right",
    [
        ("copyPasteProtection", "copyAndPasteProtection"),
        ("allowOtherServer", "allowOtherServers"),
        ("blurAppScreen", "blurApplicationScreen"),
        ("pinCode", "inAppPinCode"),
        ("vpnTimeout", "timeoutVPN"),
    ],
)
def test_other_names_people_write_map_to_the_right_key(name, right):
    assert catalog.correction(name) == (right, "misspelled")


@pytest.mark.parametrize(
    "name, right",
    [
        ("serverURL", "serverUrl"),
        ("ServerUrl", "serverUrl"),
        ("useVpn", "useVPN"),
        ("TimeoutVPN", "timeoutVPN"),
        ("inappPinCode", "inAppPinCode"),
        ("UserName", "username"),
        ("JailbreakProtection", "jailbreakProtection"),
    ],
)
def test_case_slips_name_the_right_key(name, right):
    assert catalog.correction(name) == (right, "case")


@settings(max_examples=60)
@given(data=st.data())
def test_any_case_slip_of_any_key_is_recognised_as_a_case_slip(data):
    key = data.draw(st.sampled_from(catalog.KEYS))
    flips = data.draw(st.lists(st.booleans(), min_size=len(key.name), max_size=len(key.name)))
    slipped = "".join(c.swapcase() if flip else c for c, flip in zip(key.name, flips))
    if slipped == key.name:
        return
    assert catalog.lookup(slipped) is None
    assert catalog.correction(slipped) == (key.name, "case")


@pytest.mark.parametrize(
    "name, right",
    [("vendr", "vendor"), ("serverNme", "serverName"), ("timeoutVPNs", "timeoutVPN"), ("usernames", "username")],
)
def test_near_misses_are_similar(name, right):
    assert catalog.correction(name) == (right, "similar")


@pytest.mark.parametrize("name", ["colour", "proxyHost", "pin", "", "IntuneMAMUPN"])
def test_unrelated_names_have_no_correction(name):
    assert catalog.correction(name) is None


def test_intune_sdk_keys_are_known_but_not_read_by_the_app():
    assert "IntuneMAMUPN" in catalog.INTUNE_SDK_KEYS
    assert not set(catalog.INTUNE_SDK_KEYS) & set(catalog.BY_NAME)
