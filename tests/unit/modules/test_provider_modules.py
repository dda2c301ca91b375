# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app, app_config and emm_info modules in real ansible-playbook runs against the Graph
emulator: convergence, idempotence, check mode and diff, console edits, refusals and secrets."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune
from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import Provider
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppConfigSpec, AppSpec, parse
from provider_playbooks import PlaybookRun, intune_provider, run_provider_playbook
from tests.emulator import run_emulator

CORP = "Mattermost corporate"
BYOD = "Mattermost BYOD"
HELPDESK = "Helpdesk"
SERVER = "https://chat.example.com"
CONFIGS = "/deviceAppManagement/mobileAppConfigurations"
ANDROID_APP = {"@odata.type": objects.ANDROID_STORE_APP, "displayName": "Mattermost", "packageId": "com.mattermost.rn",
               "appIdentifier": "com.mattermost.rn"}
IOS_APP = {"@odata.type": objects.IOS_STORE_APP, "displayName": "Mattermost", "bundleId": "com.mattermost.rn"}
APP = {"assignments": [{"group": CORP, "intent": "required"}, {"group": BYOD, "intent": "available"}]}
APP_CONFIG = {
    "groups": [{"group": CORP}, {"group": BYOD}],
    "configurations": [
        {"name": "Mattermost corporate", "enrollment": ["company_owned"], "groups": [{"group": CORP}],
         "config": {"serverUrl": SERVER, "inAppPinCode": True, "jailbreakProtection": True}},
        {"name": "Mattermost personal", "enrollment": ["byod"], "groups": [{"group": BYOD}],
         "config": {"serverUrl": SERVER, "inAppPinCode": True}},
        {"name": "Mattermost", "config": {"serverUrl": SERVER, "serverName": "Chat"}},
    ],
}
DEPLOY = [("app", APP), ("app_config", APP_CONFIG)]
AUDIT = [("emm_info", {})]


def group(name):
    return {"displayName": name, "mailEnabled": False, "mailNickname": name.replace(" ", ""), "securityEnabled": True}


def by_name(state, collection="mobileAppConfigurations"):
    return {item["displayName"]: item for item in state.get(collection, [])}


def group_ids(item):
    return sorted(assignment["target"]["groupId"] for assignment in item["assignments"])


def security_objects(groups):
    """Device profiles and app protection already in the tenant: the collection's own, and a
    colleague's made in the console (its app protection also covering the Mattermost app)."""
    def assigned(name):
        return [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": groups[name]}}]

    def protecting(*bundle_ids):
        return [{"mobileAppIdentifier": {"@odata.type": "#microsoft.graph.iosMobileAppIdentifier", "bundleId": bundle_id}}
                for bundle_id in bundle_ids]

    owned = f"Mattermost security. {objects.OWNER_MARKER}"
    return {
        "deviceConfigurations": [
            {"@odata.type": "#microsoft.graph.iosVpnConfiguration", "displayName": "Mattermost VPN", "description": owned,
             "enablePerApp": True, "assignments": assigned(CORP)},
            {"@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration", "displayName": "Helpdesk baseline",
             "assignments": assigned(HELPDESK)},
        ],
        "iosManagedAppProtections": [
            {"displayName": "Mattermost iOS protection", "description": owned, "apps": protecting("com.mattermost.rn"),
             "assignments": assigned(BYOD)},
            {"displayName": "Helpdesk iOS apps", "apps": protecting("com.microsoft.Office.Outlook", "com.mattermost.rn"),
             "assignments": assigned(HELPDESK)},
        ],
    }


def pending(emu):
    """What one more run would do, planned in-process (reads only)."""
    settings = {"graph_url": emu.base_url, "login_url": emu.base_url, "tenant_id": "t", "client_id": emu.client_id,
                "client_secret": emu.client_secret, "settle_seconds": 0}
    app = parse(AppSpec, APP)
    configs = [AppConfigSpec.from_input(entry, {"groups": APP_CONFIG["groups"]}) for entry in APP_CONFIG["configurations"]]
    return Provider(intune.connect(settings)).plan_apps(app).summary() + Provider(intune.connect(settings)).plan_app_configs(configs).summary()


@dataclass
class Step:
    run: PlaybookRun
    writes: list[dict[str, Any]]
    state: dict[str, list[dict[str, Any]]]

    def result(self, module):
        return next(r for r, (name, _args) in zip(self.run.results, DEPLOY + AUDIT) if name == module)


def console_edits(emu, groups):
    """What colleagues do in the Intune console between two runs."""
    configs = by_name(emu.state())
    corporate = configs["Mattermost corporate (iOS)"]
    typed = [dict(s, appConfigKeyType="booleanType") if s["appConfigKey"] == "inAppPinCode" else s for s in corporate["settings"]]
    emu.graph("PATCH", f"{CONFIGS}/{corporate['id']}", {"@odata.type": objects.IOS_CONFIG, "settings": typed}, version="beta")

    personal = configs["Mattermost personal (Android)"]
    document = json.loads(base64.b64decode(personal["payloadJson"]))
    document["managedProperty"] = [{"key": "serverUrl", "valueString": "https://old.example.com"}]
    payload = base64.b64encode(json.dumps(document).encode()).decode()
    emu.graph("PATCH", f"{CONFIGS}/{personal['id']}", {"@odata.type": objects.ANDROID_CONFIG, "payloadJson": payload},
              version="beta")

    everyone = configs["Mattermost (iOS)"]
    targets = group_ids(everyone) + [groups[HELPDESK]]
    body = {"assignments": [{"@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationAssignment",
                             "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": gid}}
                            for gid in targets]}
    emu.graph("POST", f"{CONFIGS}/{everyone['id']}/assign", body, version="beta")

    ios_app = next(app for app in emu.state()["mobileApps"] if app["@odata.type"] == objects.IOS_STORE_APP)
    only_corp = [{"@odata.type": "#microsoft.graph.mobileAppAssignment", "intent": "required",
                  "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": groups[CORP]}}]
    emu.graph("POST", f"/deviceAppManagement/mobileApps/{ios_app['id']}/assign", {"mobileAppAssignments": only_corp},
              version="beta")


@pytest.fixture(scope="module")
def journey(tmp_path_factory):
    """A tenant taken through four runs: first deployment, a re-run, console edits then a check-mode
    run with diff, and the run that reverts them. Each step keeps its results, writes and state."""
    workdir = tmp_path_factory.mktemp("journey")
    with run_emulator() as emu:
        seeded = emu.seed(groups=[group(name) for name in (CORP, BYOD, HELPDESK)], mobileApps=[ANDROID_APP])
        groups = {item["displayName"]: item["id"] for item in seeded["groups"]}
        emu.seed(**security_objects(groups))
        steps = {}

        def step(label, tasks, *options):
            emu.clear_requests()
            steps[label] = Step(run_provider_playbook(workdir, intune_provider(emu), tasks, *options), emu.writes(), emu.state())

        step("first", DEPLOY, "--diff")
        step("second", DEPLOY)
        console_edits(emu, groups)
        step("check", DEPLOY + AUDIT, "--check", "--diff")
        step("apply", DEPLOY + AUDIT, "--diff")
        yield steps, groups, pending(emu)


def test_first_run_converges(journey):
    steps, groups, _pending = journey
    first = steps["first"]

    assert first.run.returncode == 0, first.run.output
    assert [r["changed"] for r in first.run.results] == [True, True]
    assert not any(r.get("failed") for r in first.run.results)
    configs = by_name(first.state)
    assert len(configs) == 6 and len(first.state["assignmentFilters"]) == 1
    assert group_ids(configs["Mattermost (Android)"]) == sorted([groups[CORP], groups[BYOD]])
    assert group_ids(configs["Mattermost personal (iOS)"]) == [groups[BYOD]]
    apps = {app["@odata.type"]: app for app in first.state["mobileApps"]}
    assert {a["target"]["groupId"]: a["intent"] for a in apps[objects.IOS_STORE_APP]["assignments"]} == {
        groups[CORP]: "required", groups[BYOD]: "available"}
    diff = first.result("app_config")["diff"]
    assert json.loads(diff["before"]) == {}
    assert "app_config/Mattermost corporate (iOS)" in json.loads(diff["after"])


def test_second_run_reports_no_change_and_writes_nothing(journey):
    second = journey[0]["second"]

    assert second.run.returncode == 0, second.run.output
    assert [(r["changed"], r["operations"]) for r in second.run.results] == [(False, []), (False, [])]
    assert second.writes == []


def test_check_mode_writes_nothing_and_reports_the_changes_the_run_makes(journey):
    check, apply = journey[0]["check"], journey[0]["apply"]

    assert check.writes == []
    assert [r["changed"] for r in check.run.results] == [True, True, False]
    assert [r["operations"] for r in check.run.results[:2]] == [r["operations"] for r in apply.run.results[:2]]
    assert [r["results"] for r in check.run.results[:2]] == [[], []]
    assert sorted(op.rsplit(" (", 1)[0] for op in check.run.results[1]["operations"]) == [
        "update app_config 'Mattermost corporate (iOS)'",
        "update app_config 'Mattermost personal (Android)'",
    ]
    assert check.run.results[0]["operations"][0].startswith("assign app 'ios:com.mattermost.rn'")
    assert len(apply.writes) == 3


def test_check_mode_diff_shows_the_console_edits(journey):
    check = journey[0]["check"]
    diff = {side: json.loads(text) for side, text in check.result("app_config")["diff"].items()}
    corporate, personal = "app_config/Mattermost corporate (iOS)", "app_config/Mattermost personal (Android)"

    assert diff["before"][corporate]["settings"]["inAppPinCode"] == "<boolean>true"
    assert diff["after"][corporate]["settings"]["inAppPinCode"] == "true"
    assert diff["before"][personal]["payload"] == {"serverUrl": "https://old.example.com"}
    assert diff["after"][personal]["payload"] == {"serverUrl": SERVER, "inAppPinCode": "true"}
    app_diff = {side: json.loads(text)["app/ios:com.mattermost.rn"]["assignments"]
                for side, text in check.result("app")["diff"].items()}
    assert len(app_diff["before"]) == 1 and len(app_diff["after"]) == 2


def test_run_reverts_console_edits_and_keeps_a_console_assignment(journey):
    steps, groups, still_pending = journey
    state = steps["apply"].state
    configs = by_name(state)

    assert {s["appConfigKeyType"] for s in configs["Mattermost corporate (iOS)"]["settings"]} == {"stringType"}
    document = json.loads(base64.b64decode(configs["Mattermost personal (Android)"]["payloadJson"]))
    assert {p["key"]: p["valueString"] for p in document["managedProperty"]} == {"serverUrl": SERVER, "inAppPinCode": "true"}
    assert groups[HELPDESK] in group_ids(configs["Mattermost (iOS)"])
    ios_app = next(app for app in state["mobileApps"] if app["@odata.type"] == objects.IOS_STORE_APP)
    assert group_ids(ios_app) == sorted([groups[CORP], groups[BYOD]])
    assert still_pending == []


def test_emm_info_audits_before_and_after_the_revert(journey):
    steps, groups, _pending = journey
    before, after = steps["check"].result("emm_info"), steps["apply"].result("emm_info")

    corporate = next(c for c in before["app_configurations"] if c["display_name"] == "Mattermost corporate (iOS)")
    assert [f["code"] for f in corporate["findings"] if f["severity"] == "error"] == ["typed-boolean"]
    assert before["errors"] == 1 and after["errors"] == 0
    assert after["groups"] == {gid: name for name, gid in groups.items()}
    assert {app["type"] for app in after["apps"]} == {objects.IOS_STORE_APP, objects.ANDROID_STORE_APP}
    assert [(p["display_name"], p["type"], p["per_app_vpn"], p["assignments"]) for p in after["device_profiles"]] == [
        ("Mattermost VPN", "iosVpnConfiguration", True, [{"target": f"include:{groups[CORP]}"}])]
    protections = {p["display_name"]: (p["owned"], p["assignments"], [(f["code"], f["severity"]) for f in p["findings"]])
                   for p in after["app_protections"]}
    several = [("several-protection-policies", "warning")]
    assert protections == {"Mattermost iOS protection": (True, [{"target": f"include:{groups[BYOD]}"}], several),
                           "Helpdesk iOS apps": (False, [{"target": f"include:{groups[HELPDESK]}"}], several)}


def test_refusals_fail_clearly_and_write_nothing(emulator, tmp_path):
    corp = emulator.seed(groups=[group(CORP)])["groups"][0]["id"]
    ios_app = emulator.seed(mobileApps=[IOS_APP])["mobileApps"][0]["id"]
    settings = [{"appConfigKey": "inAppPinCode", "appConfigKeyType": "booleanType", "appConfigKeyValue": "true"},
                {"appConfigKey": "jailbreakDetection", "appConfigKeyType": "stringType", "appConfigKeyValue": "true"}]
    twins = emulator.seed(
        mobileAppConfigurations=[
            {"@odata.type": objects.IOS_CONFIG, "displayName": "X (iOS)", "targetedMobileApps": [ios_app], "settings": settings,
             "assignments": [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": corp}}]},
            {"@odata.type": objects.IOS_CONFIG, "displayName": "X (iOS)", "settings": []},
        ],
        targetedManagedAppConfigurations=[{"displayName": "MAM", "customSettings": [{"name": "serverUrl", "value": SERVER}]}],
    )["mobileAppConfigurations"]
    ios_only = {"platforms": ["ios"], "config": {"serverUrl": SERVER}}
    tasks = [
        ("app_config", dict(ios_only, name="X")),
        ("app_config", dict(ios_only, name="Kiosk", enrollment=["unenrolled"])),
        ("app_config", dict(ios_only, name="Y", groups=[{"group": CORP}, {"group": "No such team"}])),
        ("app", {}),
        ("emm_info", {}),
    ]

    run = run_provider_playbook(tmp_path, intune_provider(emulator), tasks)
    duplicate, unenrolled, unknown_group, android_missing, audit = run.results

    assert emulator.writes() == []
    assert all(r.get("failed") for r in run.results[:4]), run.output
    assert all(twin["id"] in duplicate["msg"] for twin in twins)
    assert "MAM" in unenrolled["msg"] and "app protection" in unenrolled["msg"]
    assert unenrolled["api_requests"]["requests"] == 0
    assert "'No such team'" in unknown_group["msg"]
    assert "Managed Google Play" in android_missing["msg"] and "approve" in android_missing["msg"]
    codes = {f["code"] for c in audit["app_configurations"] + audit["managed_app_configurations"] for f in c["findings"]}
    assert {"typed-boolean", "misspelled-key", "mam-channel"} <= codes
    assert audit["groups"] == {corp: CORP} and not audit.get("failed")


def test_client_secret_never_shows_even_at_vvv(tmp_path):
    secret, wrong = "Emm-S3cret-9f2c81d4aa", "Wr0ng-S3cret-5e7b01c2"
    with run_emulator(client_secret=secret) as emu:
        emu.seed(groups=[group(CORP)], mobileApps=[ANDROID_APP])
        provider = intune_provider(emu, client_secret=secret)
        tasks = [
            ("app_config", {"name": "Secretive", "platforms": ["android"], "config": {"serverUrl": SERVER},
                            "groups": [{"group": CORP}]}),
            ("emm_info", {"provider": dict(provider, client_secret=wrong)}),
        ]
        run = run_provider_playbook(tmp_path, provider, tasks, "-vvv", "--diff", ignore_errors=False)

        assert len(emu.state()["mobileAppConfigurations"]) == 1
    assert run.returncode != 0 and "invalid_client" in run.output
    assert "Secretive (Android)" in run.output
    assert secret not in run.output and wrong not in run.output


@pytest.mark.parametrize("settle_seconds", [0, None], ids=["no settling", "default"])
def test_a_lagging_listing_between_tasks_is_waited_for_by_the_task_that_created(tmp_path, settle_seconds):
    # The emulator lists a new object only 8 s after creating it, as Graph does after a moment:
    # the app task waits until its object is listed, so the next task finds it, whatever settle_seconds.
    with run_emulator(listing_delay=8) as emu:
        emu.seed(groups=[group(CORP), group(BYOD)], mobileApps=[ANDROID_APP])
        provider = dict(intune_provider(emu), **({} if settle_seconds is None else {"settle_seconds": settle_seconds}))
        run = run_provider_playbook(tmp_path, provider, DEPLOY)
        created = emu.state()["mobileApps"]

    app, config = run.results
    assert not app.get("failed") and len(created) == 2, run.output
    assert not config.get("failed") and config["changed"], run.output
