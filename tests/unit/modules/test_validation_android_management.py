# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/validate.yml on playbooks/inventories/android_management after playbooks/site.yml
converged it against Android Management (the emulator): every item passes and nothing is written;
after a console edit of the managed configuration and a device reporting Mattermost non-compliant,
it fails naming each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provider_playbooks import SITE, android_management_provider
from test_site_android_management import COPE, HOST, INVENTORY, RN, WORK, seed
from tests.emulator import run_emulator

REPO_ROOT = Path(__file__).resolve().parents[3]
VALIDATE = REPO_ROOT / "playbooks" / "validate.yml"
SUMMARY = "Run the validation tests (reads only) and write the reports"


@pytest.fixture(scope="module")
def runs(playbook_runner):
    runner = playbook_runner("validation-android-management")
    with run_emulator() as emu:
        seed(emu, "android_management")
        extra = {"mattermost_emm_provider": android_management_provider(emu, runner.workdir / "key.json"),
                 "mattermost_build_dir": str(runner.workdir / "build")}
        arguments = ["-i", str(INVENTORY), "-e", json.dumps(extra)]
        site = runner.playbook(SITE, *arguments)
        assert site.rc == 0, site.stdout + site.stderr
        emu.seed(**{"amapi/devices": [{"name": "ann", "policyName": WORK, "ownership": "PERSONALLY_OWNED"}]})
        emu.clear_requests()
        converged = runner.playbook(VALIDATE, *arguments)
        converged_writes = emu.writes()
        answer = emu.amapi("POST", f"/v1/{COPE}:modifyPolicyApplications", {"changes": [
            {"application": {"packageName": RN, "managedConfiguration": {"serverUrl": "https://other.example.org"}},
             "updateMask": "managedConfiguration"}]})
        assert answer.status == 200, answer.body
        emu.seed(**{"amapi/devices": [{"name": "bob", "policyName": COPE, "nonComplianceDetails": [
            {"settingName": "applications", "packageName": RN, "nonComplianceReason": "APP_NOT_INSTALLED"}]}]})
        drifted = runner.playbook(VALIDATE, *arguments)
        return {"converged": converged, "writes": converged_writes, "drifted": drifted}


def test_after_the_site_converges_every_item_passes_and_nothing_is_written(runs):
    converged = runs["converged"]
    result = converged.task(SUMMARY, HOST)

    assert converged.rc == 0, converged.stdout + converged.stderr
    assert result["counts"]["failed"] == 0 and result["counts"]["passed"] > 20, result["failures"]
    assert runs["writes"] == []
    names = {item["name"]: item for item in result["items"]}
    assert names[f"app {RN!r} in {WORK} installType"]["actual"] == "AVAILABLE"
    assert names[f"app_config {RN!r} in {COPE} key serverUrl"]["status"] == "passed"
    assert names[f"devices app {RN!r} in {WORK}"]["output"] == "1 current"
    assert names[f"devices app {RN!r} in {COPE}"]["output"] == "no device reported"
    assert names["channel managed-apps configuration"]["status"] == "skipped"


def test_a_console_edit_and_a_device_in_error_fail_naming_them(runs):
    drifted = runs["drifted"]
    failures = drifted.task(SUMMARY, HOST)["failures"]

    assert drifted.rc != 0
    assert any(f"app_config {RN!r} in {COPE} key serverUrl: desired 'https://chat.example.org'" in failure
               for failure in failures), failures
    assert any(f"app_config {RN!r} in {COPE} key inAppPinCode: desired 'true', the EMM holds absent" in failure
               for failure in failures), failures
    assert any(f"devices app_config {RN!r} in {COPE}: 1 device(s) failed to apply it: enterprises/LC00emu01/devices/bob "
               "(APP_NOT_INSTALLED)" in failure for failure in failures), failures
