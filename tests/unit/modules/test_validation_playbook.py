# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/validate.yml on the inventory playbooks/site.yml converged (playbooks/inventories/jamf,
against Intune and Jamf Pro in the emulator): it passes with every item listed and sends no write;
after drifts made directly in the emulator (a key changed to a typed boolean, an assignment
removed, a device in error) it fails naming each item, desired and actual, in the JUnit file,
the HTML page, the Markdown summary and the play output."""

from __future__ import annotations

import contextlib
import json
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from provider_playbooks import SITE, intune_provider, jamf_provider
from test_site_providers import HOST, INVENTORY, seed
from tests.emulator import run_emulator
from tests.unit.appconfig.report_schemas import check_junit

REPO_ROOT = Path(__file__).resolve().parents[3]
VALIDATE = REPO_ROOT / "playbooks" / "validate.yml"
PROVIDERS = {"jamf": jamf_provider, "intune": intune_provider}
FAIL_TASK = "Fail on the failing tests, each named with its desired and actual value"
IOS_CONFIG = "Mattermost - Example Org (iOS)"
ANDROID_CONFIG = "Mattermost - Example Org (Android)"


@dataclass
class Run:
    result: Any  # conftest.PlaybookResult
    writes: list[dict[str, Any]]
    reports: Path

    def junit(self) -> ET.Element:
        return ET.fromstring((self.reports / "junit.xml").read_text(encoding="utf-8"))

    def cases(self) -> dict[str, ET.Element]:
        return {case.get("name"): case for case in self.junit().iter("testcase")}

    def failures(self) -> dict[str, str]:
        return {name: case.find("failure").get("message") + "\n" + (case.find("failure").text or "")
                for name, case in self.cases().items() if case.find("failure") is not None}


def _arguments(emu, vendor: str, build: Path) -> list[str]:
    extra = {"mattermost_emm_provider": PROVIDERS[vendor](emu), "mattermost_build_dir": str(build)}
    return ["-i", str(INVENTORY), "-e", json.dumps(extra)]


def _validate_all(runner, tenants, builds, label: str) -> dict[str, Run]:
    """validate.yml on every tenant at once; each run's reports are kept in validation-<label>."""
    for emu in tenants.values():
        emu.clear_requests()
    started = {name: runner.start_playbook(VALIDATE, *_arguments(emu, name, builds[name])) for name, emu in tenants.items()}
    done = {name: pending.wait() for name, pending in started.items()}
    kept = {name: builds[name] / f"validation-{label}" for name in tenants}
    for name, path in kept.items():
        shutil.copytree(builds[name] / "validation", path)
    return {name: Run(done[name], tenants[name].writes(), kept[name]) for name in tenants}


def _drift_intune(emu) -> None:
    """A key made a typed boolean, an assignment removed, a device in error."""
    state = emu.state()
    configs = {item["displayName"]: item for item in state["mobileAppConfigurations"]}
    ios = configs[IOS_CONFIG]
    settings = [dict(item, appConfigKeyType="booleanType") if item["appConfigKey"] == "jailbreakProtection" else item
                for item in ios["settings"]]
    answer = emu.graph("PATCH", f"/deviceAppManagement/mobileAppConfigurations/{ios['id']}",
                       {"@odata.type": ios["@odata.type"], "settings": settings}, version="beta")
    assert answer.status == 204, answer.body
    [app] = [item for item in state["mobileApps"] if item.get("bundleId") == "com.mattermost.rn"]
    kept = [{name: value for name, value in assignment.items() if name != "id"} for assignment in app["assignments"][1:]]
    answer = emu.graph("POST", f"/deviceAppManagement/mobileApps/{app['id']}/assign", {"mobileAppAssignments": kept},
                       version="beta")
    assert answer.status in (200, 204), answer.body
    emu.set_device_states("mobileAppConfigurations", configs[ANDROID_CONFIG]["id"], [
        {"deviceDisplayName": "Pixel-7", "status": "compliant", "userPrincipalName": "ann@example.org"},
        {"deviceDisplayName": "Pixel-8", "status": "error", "userPrincipalName": "bob@example.org"},
    ])


@pytest.fixture(scope="module")
def runs(playbook_runner) -> dict[str, dict[str, Run]]:
    runner = playbook_runner("validation")
    builds = {name: runner.workdir / name for name in PROVIDERS}
    with contextlib.ExitStack() as stack:
        tenants = {name: stack.enter_context(run_emulator()) for name in PROVIDERS}
        groups = {name: seed(emu, name) for name, emu in tenants.items()}
        before = _validate_all(runner, tenants, builds, "before")
        started = {name: runner.start_playbook(SITE, *_arguments(emu, name, builds[name])) for name, emu in tenants.items()}
        sites = {name: pending.wait() for name, pending in started.items()}
        for name, site in sites.items():
            assert site.rc == 0, f"{name}: {site.stdout}{site.stderr}"
        state = tenants["intune"].state()
        [config] = [item for item in state["mobileAppConfigurations"] if item["displayName"] == IOS_CONFIG]
        tenants["intune"].set_device_states("mobileAppConfigurations", config["id"], [
            {"deviceDisplayName": "iPhone-1", "status": "compliant", "userPrincipalName": "ann@example.org"}])
        converged = _validate_all(runner, tenants, builds, "converged")
        _drift_intune(tenants["intune"])
        drifted = _validate_all(runner, {"intune": tenants["intune"]}, builds, "drifted")
        return {"before": before, "converged": converged, "drifted": drifted, "groups": groups}


@pytest.mark.parametrize("vendor", sorted(PROVIDERS))
def test_after_the_site_converges_every_item_passes_and_nothing_is_written(runs, vendor):
    run = runs["converged"][vendor]

    assert run.result.rc == 0, run.result.stdout
    assert run.writes == []
    cases = run.cases()
    assert run.failures() == {}
    assert {"intune": "app 'ios:com.mattermost.rn' present", "jamf": "app 'com.mattermost.rn' present"}[vendor] in cases
    assert any(name.endswith(" key jailbreakProtection") and name.startswith("app_config") for name in cases)
    assert any(" assignment include Example Org corporate iPhones" in name for name in cases)
    assert any(name.startswith("device_profile 'Mattermost device security") for name in cases)
    assert "document 'Mattermost - Example Org' ios key serverUrl" in cases


@pytest.mark.parametrize("vendor", sorted(PROVIDERS))
def test_the_junit_file_passes_the_schema_with_one_suite_per_tenant(runs, vendor):
    run = runs["converged"][vendor]
    text = (run.reports / "junit.xml").read_text(encoding="utf-8")

    check_junit(text)
    suites = list(run.junit().iter("testsuite"))
    assert [suite.get("name") for suite in suites] == [HOST]
    assert int(suites[0].get("tests")) == len(run.cases()) > 20


def test_items_a_provider_cannot_check_are_skipped_with_the_reason(runs):
    jamf = runs["converged"]["jamf"].cases()
    intune = runs["converged"]["intune"].cases()

    assert "no second channel" in jamf["channel managed-apps configuration"].find("skipped").get("message")
    assert "no per-device state" in jamf["devices app_config"].find("skipped").get("message")
    assert intune["channel managed-apps configuration"].find("skipped") is None
    assert "per device in its reports" in intune["devices app"].find("skipped").get("message")
    assert "1 compliant" in (intune[f"devices app_config '{IOS_CONFIG}'"].find("system-out").text or "")


def test_before_the_site_runs_the_objects_are_missing_and_the_play_fails_after_writing_reports(runs):
    run = runs["before"]["intune"]

    assert run.result.rc != 0
    assert run.writes == []
    assert f"app_config '{IOS_CONFIG}' present" in run.failures()
    assert (run.reports / "report.html").is_file() and (run.reports / "summary.md").is_file()


def test_a_drift_fails_naming_the_item_desired_and_actual(runs):
    run = runs["drifted"]["intune"]
    failures = run.failures()

    assert run.result.rc != 0
    assert run.writes == []
    typed = failures[f"app_config '{IOS_CONFIG}' key jailbreakProtection"]
    assert "desired 'true'" in typed and "typed boolean" in typed
    [removed] = [name for name in failures if name.startswith("app 'ios:com.mattermost.rn' assignment include Example Org corporate")]
    assert "not assigned in the EMM" in failures[removed]
    device = failures[f"devices app_config '{ANDROID_CONFIG}'"]
    assert "Pixel-8 (error, bob@example.org)" in device and "Pixel-7" not in device.partition("(1 compliant")[0]
    assert len(failures) == 3, sorted(failures)


def test_a_drift_is_named_in_the_play_output_the_html_page_and_the_markdown(runs):
    run = runs["drifted"]["intune"]
    message = " ".join(run.result.task(FAIL_TASK, HOST)["msg"])
    page = (run.reports / "report.html").read_text(encoding="utf-8")
    summary = (run.reports / "summary.md").read_text(encoding="utf-8")

    for name in (f"app_config '{IOS_CONFIG}' key jailbreakProtection", f"devices app_config '{ANDROID_CONFIG}'"):
        assert name in message
        assert name.replace("'", "&#x27;") in page
        assert name in summary
    assert "**FAILED: " in summary
    assert page.index("failed</code>") < page.index("passed</code>")
    for reference in ("src=", "href=", "<link", "@import", "url("):  # self-contained: nothing fetched
        assert reference not in page
