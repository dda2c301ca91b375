# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The device_profile, app_protection and device_action modules in real ansible-playbook runs
against the Graph emulator: check mode and diff, convergence, idempotence, refusals and secrets."""

from __future__ import annotations

import importlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from provider_playbooks import PlaybookRun, intune_provider, run_provider_playbook
from tests.emulator import run_emulator

PLUGINS = "ansible_collections.mattermost.emm.plugins"
ROLE_TASKS = Path(__file__).resolve().parents[3] / "roles" / "device_profile" / "tasks" / "main.yml"
USERS = "Mattermost users"
ALEX = "alex@example.org"
PROFILE = {
    "name": "Mattermost device security",
    "passcode": {"min_length": 6, "complexity": "alphanumeric", "auto_lock_minutes": 5},
    "restrictions": {"block_screenshots": True},
    "per_app_vpn": {"connection_name": "Example tunnel", "server": "vpn.example.org", "vpn_type": "ikev2",
                    "local_identifier": "mattermost@example.org"},
    "android": {"password_min_length": 6, "password_quality": "numeric", "block_screen_capture": True},
    "groups": [{"group": USERS}],
}
PROTECTION = {"name": "Mattermost iOS protection", "app_ids": ["com.mattermost.rn", "com.mattermost.rnbeta"],
              "groups": [{"group": USERS}]}
DEPLOY = [("device_profile", PROFILE), ("app_protection", PROTECTION)]
DEVICES = [
    {"deviceName": name, "serialNumber": serial, "userPrincipalName": user, "operatingSystem": system, "managementState": "managed"}
    for name, serial, user, system in (("Alex's iPhone", "F2LXK0ABCD12", ALEX, "iOS"), ("Alex's Pixel", "R58N12ABCDE", ALEX, "Android"),
                                       ("Sam's iPhone", "F2LXK0WXYZ34", "sam@example.org", "iOS"))
]


@dataclass
class Step:
    run: PlaybookRun
    writes: list[dict[str, Any]]
    state: dict[str, list[dict[str, Any]]]


def diff_of(result):
    return {side: json.loads(text) for side, text in result["diff"].items()}


def journey(workdir):
    """A tenant taken through three runs: check mode with diff, the first real run (with a wipe
    and a retire), and a second run that must change nothing, with the refusals alongside."""
    with run_emulator() as emu:
        seeded = emu.seed(groups=[{"displayName": USERS}], managedDevices=DEVICES)
        devices = {item["deviceName"]: item["id"] for item in seeded["managedDevices"]}
        steps = {}

        def step(label, tasks, *options):
            emu.clear_requests()
            steps[label] = Step(run_provider_playbook(workdir, intune_provider(emu), tasks, *options), emu.writes(), emu.state())

        step("check", DEPLOY + [("device_action", {"action": "wipe", "devices": [{"user": ALEX}], "max_devices": 2})],
             "--check", "--diff")
        step("first", DEPLOY + [
            ("device_action", {"action": "wipe", "devices": [{"serial_number": "F2LXK0ABCD12"}], "keep_user_data": True}),
            ("device_action", {"action": "retire", "devices": [{"id": devices["Sam's iPhone"]}]}),
        ], "--diff")
        step("second", DEPLOY + [
            ("app_protection", dict(PROTECTION, platforms=["android"])),
            ("device_action", {"action": "wipe", "devices": []}),
            ("device_action", {"action": "retire", "devices": [{"user": ALEX}]}),
        ])
        return steps, devices


def secret_run(workdir, secret):
    """Every module at -vvv with --diff, on an emulator whose client secret is `secret`."""
    with run_emulator(client_secret=secret) as emu:
        emu.seed(groups=[{"displayName": USERS}], managedDevices=DEVICES[:1])
        tasks = DEPLOY + [("device_action", {"action": "retire", "devices": [{"serial_number": "F2LXK0ABCD12"}]})]
        return run_provider_playbook(workdir, intune_provider(emu, client_secret=secret), tasks, "-vvv", "--diff",
                                     ignore_errors=False)


SECRET = "Dev1ce-S3cret-7d1e04b9c2"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The journey and the secrets run, side by side on two emulators."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        journey_done = pool.submit(journey, tmp_path_factory.mktemp("security-journey"))
        secret_done = pool.submit(secret_run, tmp_path_factory.mktemp("security-secret"), SECRET)
        return journey_done.result(), secret_done.result()


@pytest.fixture(scope="module")
def steps(runs):
    return runs[0]


def test_check_mode_sends_nothing_lists_the_devices_and_diffs_what_would_change(steps):
    all_steps, devices = steps
    check = all_steps["check"]
    profile, protection, action = check.run.results

    assert check.run.returncode == 0, check.run.output
    assert check.writes == []
    assert [r["changed"] for r in check.run.results] == [True, True, True]
    assert sorted(d["id"] for d in action["devices"]) == sorted([devices["Alex's iPhone"], devices["Alex's Pixel"]])
    assert not any("requested" in d for d in action["devices"])
    profiles = diff_of(profile)
    assert profiles["before"] == {}
    assert {body["@odata.type"] for body in profiles["after"].values()} == {
        "#microsoft.graph.iosGeneralDeviceConfiguration", "#microsoft.graph.iosikEv2VpnConfiguration",
        "#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration",
        "#microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration"}
    assert {label: body["apps"] for label, body in diff_of(protection)["after"].items()} == {
        "app_protection/Mattermost iOS protection": ["com.mattermost.rn"],
        "app_protection/Mattermost iOS protection (beta)": ["com.mattermost.rnbeta"]}
    assert [r["operations"] for r in check.run.results[:2]] != [[], []]
    assert [r["results"] for r in check.run.results[:2]] == [[], []]
    assert profile["vpn_configuration_id"] is None and {item["id"] for item in profile["objects"]} == {None}


def test_first_run_creates_what_check_mode_planned_and_acts_on_the_named_devices(steps):
    all_steps, devices = steps
    check, first = all_steps["check"], all_steps["first"]

    assert first.run.returncode == 0, first.run.output
    assert [r["operations"] for r in first.run.results[:2]] == [r["operations"] for r in check.run.results[:2]]
    assert len(first.state["deviceConfigurations"]) == 4
    (vpn,) = [item for item in first.state["deviceConfigurations"] if item["displayName"].endswith("per-app VPN")]
    assert vpn["enablePerApp"] is True and first.run.results[0]["vpn_configuration_id"] == vpn["id"]
    ids = {item["displayName"]: item["id"] for item in first.state["deviceConfigurations"]}
    assert {item["name"]: item["id"] for item in first.run.results[0]["objects"]} == ids
    policies = {p["displayName"]: [a["mobileAppIdentifier"]["bundleId"] for a in p["apps"]]
                for p in first.state["iosManagedAppProtections"]}
    assert policies == {"Mattermost iOS protection": ["com.mattermost.rn"],
                        "Mattermost iOS protection (beta)": ["com.mattermost.rnbeta"]}
    actions = [(w["path"].rsplit("/", 2)[1:], w["body"]) for w in first.writes if w["path"].startswith("/beta/deviceManagement/managed")]
    assert actions == [([devices["Alex's iPhone"], "wipe"], {"keepEnrollmentData": False, "keepUserData": True}),
                       ([devices["Sam's iPhone"], "retire"], None)]
    assert [r["devices"][0]["requested"] for r in first.run.results[2:]] == ["wipe", "retire"]


def test_second_run_changes_nothing_and_refusals_send_nothing(steps):
    all_steps, devices = steps
    second = all_steps["second"]
    profile, protection, android, unnamed, too_many = second.run.results

    assert second.writes == []
    assert [(r["changed"], r["operations"]) for r in (profile, protection)] == [(False, []), (False, [])]
    first_profile = all_steps["first"].run.results[0]
    assert (profile["vpn_configuration_id"], profile["objects"]) == (first_profile["vpn_configuration_id"], first_profile["objects"])
    assert all(r.get("failed") for r in (android, unnamed, too_many)), second.run.output
    assert "Intune App SDK" in android["msg"] and android["api_requests"]["requests"] == 0
    assert "devices: [] is not allowed" in unnamed["msg"] and "at least one device" in unnamed["msg"]
    assert "max_devices=1" in too_many["msg"] and "nothing was sent" in too_many["msg"]
    assert devices["Alex's iPhone"] in too_many["msg"] and devices["Alex's Pixel"] in too_many["msg"]


def test_client_secret_never_shows_even_at_vvv(runs):
    run = runs[1]

    assert run.returncode == 0, run.output
    assert "Mattermost device security - iOS" in run.output and "retire" in run.output
    assert SECRET not in run.output


def documented_options(documentation: str) -> dict[str, Any]:
    """A module's options, with those of the collection's documentation fragments it extends."""
    doc = yaml.safe_load(documentation)
    options = dict(doc["options"])
    for fragment in doc.get("extends_documentation_fragment", []):
        text = importlib.import_module(f"{PLUGINS}.doc_fragments.{fragment.rpartition('.')[2]}").ModuleDocFragment.DOCUMENTATION
        options.update(yaml.safe_load(text).get("options", {}))
    return options


@pytest.mark.parametrize("module", ["device_profile", "app_protection"])
def test_the_device_profile_role_passes_every_option_of_its_modules(module):
    """An option the role leaves out is silently dropped from the inventory (platforms [android] once was)."""
    documented = documented_options(importlib.import_module(f"{PLUGINS}.modules.{module}").DOCUMENTATION)
    tasks = yaml.safe_load(ROLE_TASKS.read_text(encoding="utf-8"))
    (block,) = [task for task in tasks if "block" in task]
    (task,) = [task for task in block["block"] if f"mattermost.emm.{module}" in task]
    (guard,) = [task for task in tasks if "ansible.builtin.assert" in task]
    known = guard["vars"]["device_profile_known"]["profile" if module == "device_profile" else "protection"]

    assert set(task[f"mattermost.emm.{module}"]) == set(documented) - {"provider"}
    assert set(known) - {"__kind"} == set(documented) - {"provider"}


CONDITIONAL_LAUNCH = {
    "max_pin_retries": 3, "max_pin_retries_action": "wipe", "minimum_os_version_wipe": "16.0", "minimum_os_version": "17.0",
    "minimum_os_version_warning": "17.4", "minimum_app_version_wipe": "2.18.0", "minimum_app_version": "2.20.1",
    "minimum_app_version_warning": "2.22", "offline_block_minutes": 90, "offline_wipe_days": 30,
    "jailbroken_action": "wipe", "disabled_account_action": "block",
}
CONDITIONAL_LAUNCH_STORED = {
    "maximumPinRetries": 3, "appActionIfMaximumPinRetriesExceeded": "wipe", "minimumWipeOsVersion": "16.0",
    "minimumRequiredOsVersion": "17.0", "minimumWarningOsVersion": "17.4", "minimumWipeAppVersion": "2.18.0",
    "minimumRequiredAppVersion": "2.20.1", "minimumWarningAppVersion": "2.22", "periodOfflineBeforeAccessCheck": "PT1H30M",
    "periodOfflineBeforeWipeIsEnforced": "P30D", "deviceComplianceRequired": True,
    "appActionIfDeviceComplianceRequired": "wipe", "appActionIfUnableToAuthenticateUser": "block",
}


def test_conditional_launch_is_stored_as_asked_and_a_second_run_sends_no_write(tmp_path):
    task = [("app_protection", dict(PROTECTION, app_ids=["com.mattermost.rn"], **CONDITIONAL_LAUNCH))]
    with run_emulator() as emu:
        emu.seed(groups=[{"displayName": USERS}])
        first = run_provider_playbook(tmp_path, intune_provider(emu), task, ignore_errors=False)
        (policy,) = emu.state()["iosManagedAppProtections"]
        emu.clear_requests()
        second = run_provider_playbook(tmp_path, intune_provider(emu), task, ignore_errors=False)
        second_writes = emu.writes()

    assert first.returncode == 0, first.output
    assert {name: policy[name] for name in CONDITIONAL_LAUNCH_STORED} == CONDITIONAL_LAUNCH_STORED
    assert second.returncode == 0, second.output
    assert (second.results[0]["changed"], second.results[0]["operations"]) == (False, [])
    assert second_writes == []


MATTERMOST_IOS = {"@odata.type": "#microsoft.graph.iosMobileAppIdentifier", "bundleId": "com.mattermost.rn"}
OUTLOOK_IOS = {"@odata.type": "#microsoft.graph.iosMobileAppIdentifier", "bundleId": "com.microsoft.Office.Outlook"}


def test_selective_wipe_refuses_serial_numbers_and_too_many_then_wipes_only_the_mattermost_registrations(tmp_path):
    with run_emulator() as emu:
        alex = emu.seed(users=[{"userPrincipalName": ALEX}])["users"][0]["id"]
        emu.seed(managedAppRegistrations=[
            {"@odata.type": "#microsoft.graph.iosManagedAppRegistration", "userId": alex, "deviceTag": tag,
             "deviceName": device, "appIdentifier": app}
            for tag, device, app in (("tag-1", "Alex's iPhone", MATTERMOST_IOS), ("tag-2", "Alex's iPad", MATTERMOST_IOS),
                                     ("tag-3", "Alex's iPad", OUTLOOK_IOS))])
        run = run_provider_playbook(tmp_path, intune_provider(emu), [
            ("device_action", {"action": "selective_wipe", "devices": [{"serial_number": "F2LXK0ABCD12"}]}),
            ("device_action", {"action": "selective_wipe", "devices": [{"user": ALEX}]}),
            ("device_action", {"action": "selective_wipe", "devices": [{"user": ALEX}], "max_devices": 2}),
        ])
        writes = [(w["path"], w["body"]) for w in emu.writes()]

    serial, too_many, done = run.results
    assert "carry no serial number" in serial["msg"] and too_many["failed"]
    assert "2 app registrations" in too_many["msg"] and "nothing was sent" in too_many["msg"]
    assert sorted((d["name"], d["app_id"], d["requested"]) for d in done["devices"]) == [
        ("Alex's iPad", "com.mattermost.rn", "selective_wipe"), ("Alex's iPhone", "com.mattermost.rn", "selective_wipe")]
    path = f"/beta/users/{alex}/wipeManagedAppRegistrationsByDeviceTag"
    assert sorted(writes, key=str) == [(path, {"deviceTag": "tag-1"}), (path, {"deviceTag": "tag-2"})]
