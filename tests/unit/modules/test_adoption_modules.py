# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A colleague's object with the collection's name, as a playbook meets it: refused, then adopted
with adopt: true (reported, never marked), then left in place by state: absent."""

from __future__ import annotations

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import OWNER_MARKER
from provider_playbooks import intune_provider, run_provider_playbook
from tests.emulator import run_emulator

IOS_APP = {"@odata.type": objects.IOS_STORE_APP, "displayName": "Mattermost", "bundleId": "com.mattermost.rn",
           "description": f"The Mattermost mobile app. {OWNER_MARKER}"}
COLLEAGUES = {"@odata.type": objects.IOS_CONFIG, "displayName": "Mattermost (iOS)", "description": "made by the service desk",
              "targetedMobileApps": []}
CONFIG = {"name": "Mattermost", "platforms": ["ios"], "config": {"serverUrl": "https://chat.example.com"}}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    with run_emulator() as emu:
        emu.seed(mobileApps=[IOS_APP])
        [colleagues] = emu.seed(mobileAppConfigurations=[COLLEAGUES])["mobileAppConfigurations"]
        run = run_provider_playbook(tmp_path_factory.mktemp("adoption"), intune_provider(emu), [
            ("app_config", CONFIG), ("app_config", dict(CONFIG, adopt=True)), ("app_config", dict(CONFIG, state="absent"))])
        yield run, colleagues, emu.state()["mobileAppConfigurations"]


def test_without_adopt_the_module_fails_naming_the_object_and_how_to_adopt(runs):
    run, colleagues, _unused = runs
    refused = run.results[0]

    assert refused["failed"] and colleagues["id"] in refused["msg"] and "adopt: true" in refused["msg"]
    assert refused["msg"].endswith("nothing was sent") and refused["api_requests"].get("POST", 0) == 1  # the token


def test_with_adopt_it_is_updated_reported_and_stays_the_colleagues(runs):
    run, colleagues, [kept] = runs
    adopted = run.results[1]

    assert adopted["changed"] and adopted["adopted"] == [f"app_config 'Mattermost (iOS)' ({colleagues['id']})"]
    assert "adopt is true" in run.output
    assert kept["id"] == colleagues["id"] and kept["description"] == "made by the service desk"
    assert [item["appConfigKey"] for item in kept["settings"]] == ["serverUrl"]


def test_absent_leaves_the_adopted_object_in_place(runs):
    run, _unused, configurations = runs
    absent = run.results[2]

    assert not absent.get("failed") and not absent["changed"] and len(configurations) == 1
