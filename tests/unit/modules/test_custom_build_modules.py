# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""mattermost.emm.app and app_config with an organisation's own Mattermost build against the
emulator's Intune: the .ipa uploaded as a line-of-business app, configured and assigned; the same
file never uploaded twice, a new one a new content version; an upload cut off or a commit Intune
refuses converging on the next run with one app; bad input refused before any request."""

from __future__ import annotations

import pytest

from provider_playbooks import android_management_provider, intune_provider, jamf_provider, run_provider_playbook
from tests.emulator import run_emulator
from tests.emulator.ipa import make_ipa

CUSTOM = "com.example.chat"
LOB = "#microsoft.graph.iosLobApp"
PRIVATE_ANDROID_APP = {"@odata.type": "#microsoft.graph.androidManagedStoreApp", "displayName": "Chat",
                       "packageId": CUSTOM, "appIdentifier": CUSTOM}


def app_args(ipa, **extra):
    return {"app_id": CUSTOM, "custom_build": True, "ipa": str(ipa), "display_name": "Chat",
            "assignments": [{"group": "Corporate", "intent": "required"}], "remove_on_unenroll": True, **extra}


CONFIG = {"name": "Chat", "app_id": CUSTOM, "custom_build": True, "groups": [{"group": "Corporate"}],
          "config": {"serverUrl": "https://chat.example.com", "inAppPinCode": True}}


def lob_apps(emu):
    return [app for app in emu.state()["mobileApps"] if app["@odata.type"] == LOB]


def storage_requests(emu):
    return [entry for entry in emu.requests() if entry["path"].startswith("/storage/")]


@pytest.fixture(scope="module")
def tenant(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("custom_build")
    with run_emulator() as emu:
        emu.seed(groups=[{"displayName": "Corporate"}], mobileApps=[PRIVATE_ANDROID_APP])
        yield emu, workdir


def run(tenant, *tasks, check=False):
    emu, workdir = tenant
    return run_provider_playbook(workdir, intune_provider(emu), list(tasks), *(["--check", "--diff"] if check else []))


def test_the_custom_build_is_uploaded_configured_and_assigned_once(tenant, tmp_path):
    emu, _workdir = tenant
    ipa = make_ipa(tmp_path / "chat.ipa", size=300_000)
    planned = run(tenant, ("app", app_args(ipa)), check=True)
    assert planned.results[0]["changed"] and not emu.writes() and not storage_requests(emu)
    assert '"content": "sha256:' in planned.results[0]["diff"]["after"]

    first = run(tenant, ("app", app_args(ipa)), ("app_config", CONFIG))
    assert [result.get("failed", False) for result in first.results] == [False, False], first.output
    [app] = lob_apps(emu)
    assert (app["bundleId"], app["versionNumber"], app["buildNumber"], app["committedContentVersion"],
            app["publishingState"]) == (CUSTOM, "2.30.0", "630", "1", "published")
    assert app["assignments"][0]["settings"]["@odata.type"] == "#microsoft.graph.iosLobAppAssignmentSettings"
    configs = {config["displayName"]: config for config in emu.state()["mobileAppConfigurations"]}
    assert configs["Chat (iOS)"]["targetedMobileApps"] == [app["id"]]
    assert {s["appConfigKey"] for s in configs["Chat (iOS)"]["settings"]} >= {"serverUrl", "inAppPinCode"}

    emu.clear_requests()
    second = run(tenant, ("app", app_args(ipa)), ("app_config", CONFIG))
    assert [result["changed"] for result in second.results] == [False, False], second.output
    assert not emu.writes() and not storage_requests(emu)

    newer = make_ipa(tmp_path / "chat-631.ipa", size=300_000, build="631")
    third = run(tenant, ("app", app_args(newer)))
    assert third.results[0]["operations"] == [f"update app 'ios:{CUSTOM}' ({app['id']})"], third.output
    [app] = lob_apps(emu)
    assert (app["buildNumber"], app["committedContentVersion"]) == ("631", "2")


def test_an_upload_cut_off_or_refused_converges_on_the_next_run_with_one_app(tenant, tmp_path):
    emu, _workdir = tenant
    ipa = make_ipa(tmp_path / "chat-640.ipa", size=300_000, build="640")
    emu.add_fault("/storage/", drop=True, count=None, method="PUT")
    cut = run(tenant, ("app", app_args(ipa)))
    assert cut.results[0]["failed"] and "the next run uploads the file again" in cut.results[0]["msg"], cut.output
    emu.clear_faults()
    emu.lob(fail_commits=1)
    refused = run(tenant, ("app", app_args(ipa)))
    assert refused.results[0]["failed"] and "commitFileFailed" in refused.results[0]["msg"], refused.output
    converged = run(tenant, ("app", app_args(ipa)))
    assert converged.results[0]["changed"] and not converged.results[0].get("failed"), converged.output
    [app] = lob_apps(emu)
    # Each failed attempt left a content version behind, never a second app.
    assert (app["buildNumber"], app["committedContentVersion"]) == ("640", str(len(app["contentVersions"])))
    assert run(tenant, ("app", app_args(ipa))).results[0]["changed"] is False


@pytest.mark.parametrize("args, message", [
    ({"app_id": CUSTOM}, f"app_id: '{CUSTOM}' is not allowed; allowed: 'com.mattermost.rn', 'com.mattermost.rnbeta', "
                         "or (with custom_build: true)"),
    ({"app_id": "chat", "custom_build": True}, "app_id: 'chat' is not allowed"),
    ({"app_id": CUSTOM, "custom_build": True, "ipa": "/nonexistent/chat.ipa"}, "ipa: '/nonexistent/chat.ipa' is not allowed"),
    ({"app_id": "com.example.other", "custom_build": True, "ipa": "CHAT_IPA"},
     "is the app 'com.example.chat', not app_id 'com.example.other'; nothing was sent"),
    ({"app_id": "com.example.other", "custom_build": True, "platforms": ["android"]},
     "publish the custom build as a private app in Managed Google Play"),
    ({"app_id": "com.example.other", "custom_build": True, "platforms": ["ios"]},
     "give ipa, the build's .ipa file"),
])
def test_bad_custom_build_input_is_refused_before_any_write(tenant, tmp_path, args, message):
    emu, _workdir = tenant
    ipa = make_ipa(tmp_path / "chat.ipa")
    args = {name: str(ipa) if value == "CHAT_IPA" else value for name, value in args.items()}
    emu.clear_requests()
    refused = run(tenant, ("app", args))
    assert refused.results[0]["failed"] and message in refused.results[0]["msg"], refused.output
    assert refused.results[0]["msg"].endswith("nothing was sent")
    assert not emu.writes()


def test_offline_records_the_custom_build_as_intune_would_hold_it(tmp_path):
    ipa = make_ipa(tmp_path / "chat.ipa")
    provider = {"type": "offline", "dest": str(tmp_path / "plan"), "vendor": "intune"}
    args = {"app_id": CUSTOM, "custom_build": True, "ipa": str(ipa), "platforms": ["ios"]}
    first = run_provider_playbook(tmp_path, provider, [("app", args)])
    assert first.results[0]["changed"], first.output
    [record] = (tmp_path / "plan" / "mobileApps").glob("*.json")
    assert '"@odata.type": "#microsoft.graph.iosLobApp"' in record.read_text() and "content sha256:" in record.read_text()
    assert run_provider_playbook(tmp_path, provider, [("app", args)]).results[0]["changed"] is False


HOSTED = "https://apps.example.com/chat/manifest.plist"


def test_jamf_deploys_the_build_the_organisation_hosts_as_an_in_house_app_and_configures_it(tmp_path, emulator):
    emulator.seed(**{"jamf/mobile_device_groups": [{"name": "Corporate", "is_smart": False}]})
    provider = jamf_provider(emulator)
    app = {"app_id": CUSTOM, "custom_build": True, "hosted_url": HOSTED, "display_name": "Chat", "platforms": ["ios"],
           "assignments": [{"group": "Corporate"}]}
    config = dict(CONFIG, platforms=["ios"])
    first = run_provider_playbook(tmp_path, provider, [("app", app), ("app_config", config)])
    emulator.clear_requests()
    second = run_provider_playbook(tmp_path, provider, [("app", app), ("app_config", config)])
    writes_of_the_second_run = emulator.writes()
    moved = run_provider_playbook(tmp_path, provider, [("app", dict(app, hosted_url=HOSTED.replace("chat/", "chat/2.1/")))])

    assert [result["changed"] for result in first.results] == [True, True], first.output
    assert [result["changed"] for result in second.results] == [False, False]
    assert writes_of_the_second_run == []
    assert moved.results[0]["changed"], moved.output
    [record] = emulator.state()["jamf/mobile_device_applications"]
    general = record["general"]
    assert (general["bundle_id"], general["internal_app"], general["host_externally"], general["itunes_store_url"]) == (
        CUSTOM, True, True, "")
    assert general["external_url"] == HOSTED.replace("chat/", "chat/2.1/")
    assert "<key>serverUrl</key>" in record["app_configuration"]["preferences"]
    assert [group["name"] for group in record["scope"]["mobile_device_groups"]] == ["Corporate"]


@pytest.mark.parametrize(("provider_name", "args", "says"), [
    ("jamf", {"ipa": "built.ipa"}, "ipa is not uploaded to Jamf Pro"),
    ("jamf", {}, "give hosted_url, the https URL where the organisation hosts the build's manifest"),
    ("intune", {"hosted_url": HOSTED}, "Intune hosts the build itself: give ipa"),
    ("jamf", {"hosted_url": "http://apps.example.com/chat/manifest.plist"}, "hosted_url: 'http://apps.example.com"),
], ids=["jamf-ipa", "jamf-no-url", "intune-hosted-url", "not-https"])
def test_a_custom_build_a_provider_cannot_install_that_way_is_refused_before_any_request(tmp_path, emulator, provider_name,
                                                                                         args, says):
    provider = {"jamf": jamf_provider, "intune": intune_provider}[provider_name](emulator)
    arguments = {"app_id": CUSTOM, "custom_build": True, "platforms": ["ios"], **args}
    if "ipa" in arguments:
        arguments["ipa"] = str(make_ipa(tmp_path / arguments["ipa"], CUSTOM))
    refused = run_provider_playbook(tmp_path, provider, [("app", arguments)])

    assert refused.results[0]["failed"], refused.output
    assert says in refused.results[0]["msg"] and refused.results[0]["msg"].endswith("nothing was sent")
    assert not emulator.writes()


def test_android_management_puts_the_private_app_into_the_policy(tmp_path, emulator):
    emulator.seed(**{"amapi/policies": [{"name": "enterprises/LC00emu01/policies/work-profile", "applications": []}]})
    provider = android_management_provider(emulator, tmp_path / "key.json")
    args = {"app_id": CUSTOM, "custom_build": True, "policies": [{"policy": "work-profile"}]}
    first = run_provider_playbook(tmp_path, provider, [("app", args), ("app", args)])
    assert [result["changed"] for result in first.results] == [True, False], first.output
    [policy] = emulator.state()["amapi/policies"]
    assert policy["applications"] == [{"packageName": CUSTOM, "installType": "FORCE_INSTALLED"}]
    unpublished = run_provider_playbook(tmp_path, provider, [("app_config", {
        "name": "Chat", "app_id": CUSTOM, "custom_build": True, "policies": ["work-profile"],
        "config": {"serverUrl": "https://chat.example.com"}})])
    assert "published as a private app for this enterprise in Managed Google Play" in unpublished.results[0]["msg"]
