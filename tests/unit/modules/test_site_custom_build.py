# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/site.yml with the organisation's own Mattermost build against the emulator's Intune:
the .ipa uploaded, configured and assigned; the second run changes nothing and uploads no byte;
an upload cut off half-way converges on the next run with exactly one app object."""

from __future__ import annotations

import json

import pytest
import yaml

from provider_playbooks import SITE, intune_provider, site_twice
from tests.emulator import run_emulator
from tests.emulator.ipa import make_ipa

CUSTOM = "com.example.chat"
GROUPS = ("Example corporate devices", "Example BYOD users")
LOB = "#microsoft.graph.iosLobApp"


def inventory(directory, ipa):
    """One Intune tenant whose Mattermost app is the organisation's own build."""
    host_vars = {
        "mattermost_app_id": CUSTOM,
        "mattermost_custom_build": True,
        "mattermost_app_ipa": str(ipa),
        "mattermost_config": {"serverUrl": "https://chat.example.com", "inAppPinCode": True},
        "mattermost_remove_on_unenroll": True,
        "mattermost_app_assignments": [{"group": GROUPS[0], "intent": "required"}, {"group": GROUPS[1], "intent": "available"}],
        "mattermost_app_configurations": [{"name": "Example Chat", "enrollment": ["company_owned", "byod"],
                                           "groups": [{"group": name} for name in GROUPS]}],
    }
    (directory / "host_vars").mkdir(parents=True)
    (directory / "hosts.yml").write_text(yaml.safe_dump({"emm_tenants": {"hosts": {"example": {
        "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}}), encoding="utf-8")
    (directory / "host_vars" / "example.yml").write_text(yaml.safe_dump(host_vars), encoding="utf-8")
    return directory


def seed(emu, _name):
    seeded = emu.seed(groups=[{"displayName": name} for name in GROUPS], mobileApps=[
        {"@odata.type": "#microsoft.graph.androidManagedStoreApp", "displayName": "Example Chat", "packageId": CUSTOM,
         "appIdentifier": CUSTOM}])
    return {group["displayName"]: group["id"] for group in seeded["groups"]}


def arguments(emu, workdir, hosts):
    extra = {"mattermost_emm_provider": intune_provider(emu), "mattermost_build_dir": str(workdir / "build")}
    return ["-i", str(hosts), "-e", json.dumps(extra)]


@pytest.fixture(scope="module")
def outcome(playbook_runner):
    runner = playbook_runner("site-custom-build")
    hosts = inventory(runner.workdir / "inventory", make_ipa(runner.workdir / "Chat.ipa", bundle_id=CUSTOM, size=2_000_000))
    return site_twice(runner, ["intune"], seed, lambda emu, _name: arguments(emu, runner.workdir, hosts))["intune"]


def test_the_site_uploads_configures_and_assigns_the_custom_build(outcome):
    assert outcome.first.rc == 0, outcome.first.stdout + outcome.first.stderr
    [app] = [item for item in outcome.state["mobileApps"] if item["@odata.type"] == LOB]
    assert (app["bundleId"], app["committedContentVersion"], app["publishingState"]) == (CUSTOM, "1", "published")
    assert sorted(a["target"]["groupId"] for a in app["assignments"]) == sorted(outcome.groups.values())
    configurations = outcome.by_name("mobileAppConfigurations")
    assert configurations["Example Chat (iOS)"]["targetedMobileApps"] == [app["id"]]
    assert configurations["Example Chat (Android)"]["packageId"] == f"app:{CUSTOM}"


def test_the_second_site_run_changes_nothing_and_uploads_no_byte(outcome):
    assert outcome.second.rc == 0, outcome.second.stdout + outcome.second.stderr
    assert outcome.second["stats"]["example"]["changed"] == 0
    assert outcome.writes == []


def test_an_interrupted_upload_converges_on_the_next_run_with_one_app(playbook_runner):
    runner = playbook_runner("site-custom-build-interrupted")
    hosts = inventory(runner.workdir / "inventory", make_ipa(runner.workdir / "Chat.ipa", bundle_id=CUSTOM, size=2_000_000))
    with run_emulator() as emu:
        seed(emu, "intune")
        emu.add_fault("/storage/", drop=True, count=None, method="PUT")  # the connection to storage is lost
        cut = runner.playbook(SITE, *arguments(emu, runner.workdir, hosts))
        assert cut.rc != 0
        [half_done] = [item for item in emu.state()["mobileApps"] if item["@odata.type"] == LOB]
        assert half_done.get("committedContentVersion") is None
        emu.clear_faults()
        resumed = runner.playbook(SITE, *arguments(emu, runner.workdir, hosts))
        assert resumed.rc == 0, resumed.stdout + resumed.stderr
        [app] = [item for item in emu.state()["mobileApps"] if item["@odata.type"] == LOB]
        assert (app["id"], app["committedContentVersion"]) == (half_done["id"], "2")
        # The validation playbook reads the same inventory and finds every item as deployed.
        emu.clear_requests()
        validated = runner.playbook(SITE.parent / "validate.yml", *arguments(emu, runner.workdir, hosts))
        assert validated.rc == 0, validated.stdout + validated.stderr
        assert emu.writes() == []
