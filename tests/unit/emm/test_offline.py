# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The offline provider: one JSON file per object and a plan, converging like a tenant, holding
the very bodies the Intune provider sends to Graph."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm.offline import PLAN_FILE
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppConfigSpec, AppSpec, parse

from vendors import intune_provider, offline_provider

CORP = "Mattermost corporate"
BYOD = "Mattermost BYOD"
SERVER = "https://chat.example.com"
CONFIG_ENTRIES = (
    {"name": "Corporate", "enrollment": ["company_owned"], "groups": [{"group": CORP}],
     "config": {"serverUrl": SERVER, "inAppPinCode": True, "jailbreakProtection": True}},
    {"name": "Personal", "enrollment": ["byod"], "groups": [{"group": BYOD}], "config": {"serverUrl": SERVER}},
    {"name": "Everyone", "groups": [{"group": CORP}, {"group": BYOD}], "config": {"serverUrl": SERVER, "serverName": "Chat"}},
)


def file_id(kind, name):
    """Where the offline provider keeps an object: its display name as it is when a file name can
    hold it, else made safe and told apart by a digest of the exact name."""
    safe = re.sub(r'[^A-Za-z0-9._-]+', '_', name).strip('_')
    return f"{kind}/{safe if safe == name else safe + '-' + hashlib.sha256(name.encode()).hexdigest()[:8]}"


EXPECTED_FILES = {
    PLAN_FILE,
    file_id("mobileApps", "ios:com.mattermost.rn") + ".json",
    file_id("mobileApps", "android:com.mattermost.rn") + ".json",
    file_id("assignmentFilters", objects.PERSONAL_IOS_FILTER) + ".json",
} | {file_id("mobileAppConfigurations", f"{entry['name']} ({platform})") + ".json"
     for entry in CONFIG_ENTRIES for platform in ("iOS", "Android")}


def app_spec():
    return parse(AppSpec, {"assignments": [{"group": CORP}, {"group": BYOD, "intent": "available"}]})


def config_specs(entries=CONFIG_ENTRIES):
    return [AppConfigSpec.from_input(dict(entry), {}) for entry in entries]


def run(provider_for, specs=None):
    """The app, then the configurations, each with a fresh provider; the two plans."""
    plans = []
    for make_plan in (lambda p: p.plan_apps(app_spec()), lambda p: p.plan_app_configs(specs or config_specs())):
        provider = provider_for()
        plans.append(make_plan(provider))
        provider.apply(plans[-1])
    return plans


def files(dest: Path) -> dict[str, tuple[int, bytes]]:
    return {str(path.relative_to(dest)): (path.stat().st_mtime_ns, path.read_bytes()) for path in dest.rglob("*") if path.is_file()}


def load(dest: Path, name: str) -> dict:
    return json.loads((dest / name).read_text(encoding="utf-8"))


@pytest.fixture
def dest(tmp_path):
    return tmp_path / "tenant"


def test_one_file_per_object_and_the_plan(dest):
    plans = run(lambda: offline_provider(dest))

    assert set(files(dest)) == EXPECTED_FILES
    recorded = load(dest, PLAN_FILE)
    assert [op["name"] for op in recorded["operations"]] == [op.name for op in plans[1].operations]
    assert recorded["diff"] == plans[1].diff()
    ios = load(dest, file_id("mobileAppConfigurations", "Corporate (iOS)") + ".json")
    assert ios["targetedMobileApps"] == [file_id("mobileApps", "ios:com.mattermost.rn")]
    assert [a["target"]["groupId"] for a in ios["assignments"]] == [f"<group:{CORP}>"]
    android_app = load(dest, file_id("mobileApps", "android:com.mattermost.rn") + ".json")
    assert {a["target"]["groupId"]: a["intent"] for a in android_app["assignments"]} == {
        f"<group:{CORP}>": "required", f"<group:{BYOD}>": "available"}


def test_second_run_changes_nothing_and_touches_no_file(dest):
    run(lambda: offline_provider(dest))
    before = files(dest)

    plans = run(lambda: offline_provider(dest))

    assert [plan.operations for plan in plans] == [[], []]
    assert files(dest) == before


def test_file_edited_by_hand_is_detected_and_rewritten(dest):
    run(lambda: offline_provider(dest))
    path = dest / (file_id("mobileAppConfigurations", "Personal (iOS)") + ".json")
    edited = json.loads(path.read_text(encoding="utf-8"))
    edited["settings"][0]["appConfigKeyType"] = "booleanType"
    path.write_text(json.dumps(edited), encoding="utf-8")

    plans = run(lambda: offline_provider(dest))

    assert plans[1].summary() == [f"update app_config 'Personal (iOS)' ({file_id('mobileAppConfigurations', 'Personal (iOS)')})"]
    assert {s["appConfigKeyType"] for s in load(dest, file_id("mobileAppConfigurations", "Personal (iOS)") + ".json")["settings"]} == {"stringType"}
    assert load(dest, PLAN_FILE)["operations"] == [
        {"action": "update", "kind": objects.CONFIGS, "name": "Personal (iOS)", "type": objects.IOS_CONFIG,
         "id": file_id("mobileAppConfigurations", "Personal (iOS)")}]


def test_absent_removes_only_what_the_collection_owns(dest):
    run(lambda: offline_provider(dest))
    stranger = {"id": "mobileAppConfigurations/Legacy_iOS", "@odata.type": objects.IOS_CONFIG,
                "displayName": "Legacy (iOS)", "description": "made by hand", "settings": []}
    (dest / "mobileAppConfigurations/Legacy_iOS.json").write_text(json.dumps(stranger), encoding="utf-8")
    gone = [{"name": "Everyone", "state": "absent"}, {"name": "Legacy", "state": "absent"}]

    provider = offline_provider(dest)
    work = provider.plan_app_configs(config_specs(gone))
    provider.apply(work)

    assert sorted(op.name for op in work.operations) == ["Everyone (Android)", "Everyone (iOS)"]
    assert any("Legacy (iOS)" in warning for warning in work.warnings)
    remaining = {path.name for path in (dest / "mobileAppConfigurations").iterdir()}
    assert file_id("mobileAppConfigurations", "Everyone (iOS)").split("/")[1] + ".json" not in remaining and "Legacy_iOS.json" in remaining


def _placeholders(emu, tenant_groups):
    """Real ids -> the offline placeholders for the same things."""
    state = emu.state()
    names = {item["id"]: f"<group:{item['displayName']}>" for item in tenant_groups}
    names.update({item["id"]: file_id("mobileApps", f"{'ios' if item['@odata.type'] == objects.IOS_STORE_APP else 'android'}:com.mattermost.rn")
                  for item in state["mobileApps"]})
    names.update({item["id"]: file_id(kind, item["displayName"]) for kind in ("assignmentFilters", "mobileAppConfigurations")
                  for item in state[kind]})
    return names


def _with_placeholders(value, names):
    if isinstance(value, dict):
        return {key: _with_placeholders(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_placeholders(item, names) for item in value]
    return names.get(value, value)


def test_files_hold_what_the_intune_provider_sends(dest, emulator):
    seeded = emulator.seed(
        groups=[{"displayName": name} for name in (CORP, BYOD)],
        mobileApps=[{"@odata.type": objects.ANDROID_STORE_APP, "displayName": "Mattermost",
                     "packageId": "com.mattermost.rn", "appIdentifier": "com.mattermost.rn"}],
    )
    run(lambda: intune_provider(emulator))
    run(lambda: offline_provider(dest))
    names = _placeholders(emulator, seeded["groups"])
    sent = [_with_placeholders(entry, names) for entry in emulator.requests() if entry["write"]]
    created = {entry["body"]["displayName"]: entry["body"] for entry in sent if entry["method"] == "POST" and "displayName" in entry["body"]}
    assigned = {names.get(entry["path"].split("/")[-2]): entry["body"] for entry in sent if entry["path"].endswith("/assign")}

    for name in EXPECTED_FILES - {PLAN_FILE}:
        written = load(dest, name)
        object_id = written.pop("id")
        assignments = written.pop("assignments")
        if name.startswith("mobileApps/android"):  # synced from Google Play, never created
            assert written == {"@odata.type": objects.ANDROID_STORE_APP, "displayName": "Mattermost", "packageId": "com.mattermost.rn"}
        else:
            assert written == created[written["displayName"]], name
        if assignments:
            assert assignments == next(iter(assigned[object_id].values())), name


def test_android_payload_is_base64_managed_properties_and_ios_settings_are_strings(dest):
    run(lambda: offline_provider(dest))

    android = load(dest, file_id("mobileAppConfigurations", "Corporate (Android)") + ".json")
    document = json.loads(base64.b64decode(android["payloadJson"], validate=True))
    assert document["productId"] == "app:com.mattermost.rn"
    assert document["kind"] == "androidenterprise#managedConfiguration"
    assert {p["key"]: p["valueString"] for p in document["managedProperty"]} == {
        "serverUrl": SERVER, "inAppPinCode": "true", "jailbreakProtection": "true"}
    assert all(set(p) == {"key", "valueString"} for p in document["managedProperty"])
    ios = load(dest, file_id("mobileAppConfigurations", "Corporate (iOS)") + ".json")
    assert {(s["appConfigKey"], s["appConfigKeyType"], s["appConfigKeyValue"]) for s in ios["settings"]} == {
        ("serverUrl", "stringType", SERVER), ("inAppPinCode", "stringType", "true"), ("jailbreakProtection", "stringType", "true")}


def test_names_a_file_name_cannot_hold_apart_each_keep_a_file_of_their_own(dest):
    entries = [{"name": name, "platforms": ["ios"], "groups": [{"group": CORP}], "config": {"serverUrl": SERVER}}
               for name in ("Rel a&b", "Rel a b", "Вход", "登录")]
    run(lambda: offline_provider(dest), config_specs(entries))
    before = files(dest)

    plans = run(lambda: offline_provider(dest), config_specs(entries))

    assert len([name for name in before if name.startswith("mobileAppConfigurations/")]) == len(entries)
    assert [plan.operations for plan in plans] == [[], []]
    assert files(dest) == before
