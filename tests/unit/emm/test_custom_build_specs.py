# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A custom Mattermost build's app id: accepted where the user says it is a Mattermost build,
refused, naming the option and the value, everywhere else."""

from __future__ import annotations

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    AppConfigSpec,
    AppProtectionSpec,
    AppSpec,
    SpecError,
    parse,
)


@pytest.mark.parametrize("custom_build, app_id, accepted", [
    (False, "com.mattermost.rn", True),
    (False, "com.example.chat", False),
    (True, "com.example.chat", True),
    (True, "com.example_corp.chat-app", True),
    (True, "chat", False),
    (True, "com.example.chat\n", False),
])
def test_the_app_id_rule_takes_a_custom_build_only_when_told(custom_build, app_id, accepted):
    found = rules.problems({"app_id": app_id, "custom_build": custom_build}, {"app_id": rules.app_id()})
    assert (not found) == accepted
    if not accepted:
        assert found[0].startswith(f"app_id: {app_id!r} is not allowed") and "custom_build: true" in found[0]


def test_an_app_spec_for_another_app_is_refused_unless_it_is_a_custom_build():
    with pytest.raises(SpecError, match="app_id 'com.example.chat' is not allowed.*custom_build"):
        parse(AppSpec, {"app_id": "com.example.chat"})
    assert parse(AppSpec, {"app_id": "com.example.chat", "custom_build": True}).app_id == "com.example.chat"


def test_an_ipa_is_the_custom_builds_alone():
    with pytest.raises(SpecError, match="ipa uploads the organisation's own build: set custom_build: true"):
        parse(AppSpec, {"ipa": "/tmp/chat.ipa"})


def test_an_app_config_for_a_custom_build_reads_mattermost_keys():
    spec = AppConfigSpec.from_input({"name": "Chat", "config": {"inAppPinCode": True}},
                                    {"app_id": "com.example.chat", "custom_build": True})
    assert (spec.config.app_id, spec.config.settings) == ("com.example.chat", {"inAppPinCode": "true"})
    with pytest.raises(SpecError, match="Chat: app_id 'com.example.chat' is not allowed"):
        AppConfigSpec.from_input({"name": "Chat", "config": {"inAppPinCode": True}}, {"app_id": "com.example.chat"})


def test_app_protection_takes_a_custom_build_only_when_told():
    assert parse(AppProtectionSpec, {"name": "Chat", "app_ids": ["com.example.chat"], "custom_build": True}).app_ids == (
        "com.example.chat",)
    with pytest.raises(SpecError, match="app_ids 'com.example.chat' is not allowed.*custom_build: true"):
        parse(AppProtectionSpec, {"name": "Chat", "app_ids": ["com.mattermost.rn", "com.example.chat"]})
    found = rules.problems({"app_ids": ["com.example.chat"]}, {"app_ids[]": rules.app_id()})
    assert found and found[0].startswith("app_ids[0]: 'com.example.chat' is not allowed")
