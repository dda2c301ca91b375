# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/inventories/android_management through playbooks/site.yml against Android
Management (the emulator), with nothing changed but the provider: Mattermost, its managed
configuration and the device settings go into the two policies (company-owned and work profile),
which keep their other apps and fields, and a second run changes nothing and sends no write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from provider_playbooks import SiteOutcome, android_management_provider, site_twice
from tests.unit.android_enterprise import COPE, OTHERS, RN, WORK

REPO_ROOT = Path(__file__).resolve().parents[3]
INVENTORY = REPO_ROOT / "playbooks" / "inventories" / "android_management"
HOST = "example_org"
HOST_VARS = yaml.safe_load((INVENTORY / "host_vars" / f"{HOST}.yml").read_text(encoding="utf-8"))
OTHER_FIELDS = {WORK: {"statusBarDisabled": True}, COPE: {"cameraDisabled": True, "maximumTimeToLock": "300000"}}


def seed(emu, name: str) -> dict[str, str]:
    emu.seed(**{"amapi/policies": [{"name": policy, "applications": OTHERS, **fields}
                                   for policy, fields in OTHER_FIELDS.items()]})
    return {}


@pytest.fixture(scope="module")
def outcome(playbook_runner) -> SiteOutcome:
    runner = playbook_runner("site-android-management")

    def arguments(emu, name: str) -> list[str]:
        extra = {"mattermost_emm_provider": android_management_provider(emu, runner.workdir / "key.json"),
                 "mattermost_build_dir": str(runner.workdir / "build")}
        return ["-i", str(INVENTORY), "-e", json.dumps(extra)]

    return site_twice(runner, ["android_management"], seed, arguments)["android_management"]


def policies(outcome: SiteOutcome) -> dict[str, dict]:
    return {policy["name"]: policy for policy in outcome.state["amapi/policies"]}


def mattermost(policy: dict) -> dict:
    [entry] = [app for app in policy["applications"] if app["packageName"] == RN]
    return entry


def test_the_site_deploys_and_a_second_run_changes_and_writes_nothing(outcome):
    assert outcome.first.rc == 0, outcome.first.stdout + outcome.first.stderr
    assert outcome.first["stats"][HOST]["changed"] > 0
    assert outcome.second.rc == 0, outcome.second.stdout + outcome.second.stderr
    assert outcome.second["stats"][HOST]["changed"] == 0
    assert outcome.writes == []


def test_both_policies_hold_mattermost_configured_and_keep_their_other_apps_and_fields(outcome):
    state = policies(outcome)
    configured = {key: str(value).lower() if isinstance(value, bool) else str(value)
                  for key, value in HOST_VARS["mattermost_config"].items()}

    assert mattermost(state[COPE])["installType"] == "FORCE_INSTALLED"
    assert mattermost(state[WORK])["installType"] == "AVAILABLE"
    for name, fields in OTHER_FIELDS.items():
        assert [app for app in state[name]["applications"] if app["packageName"] != RN] == OTHERS
        assert {key: state[name][key] for key in fields} == fields
        assert mattermost(state[name])["managedConfiguration"] == configured
        assert state[name]["screenCaptureDisabled"] is True


def test_each_policy_gets_the_password_of_its_kind(outcome):
    state = policies(outcome)

    [work_password] = state[WORK]["passwordPolicies"]
    [device_password] = state[COPE]["passwordPolicies"]
    assert work_password["passwordScope"] == "SCOPE_PROFILE" and work_password["passwordMinimumLength"] == 6
    assert device_password["passwordScope"] == "SCOPE_DEVICE" and device_password["passwordMinimumLength"] == 8
    assert state[WORK]["crossProfilePolicies"]["crossProfileCopyPaste"] == "COPY_FROM_WORK_TO_PERSONAL_DISALLOWED"
    assert "crossProfilePolicies" not in state[COPE]
