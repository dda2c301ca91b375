# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Intune provider against the Graph emulator, over real HTTP: convergence, idempotence,
faults, ownership, console edits, semantic comparison and the audit (with the offline provider's)."""

from __future__ import annotations

import base64
import json
from collections import Counter

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import ApiError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import ASSIGN, DuplicateObjects, ProviderError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    AppConfigSpec,
    AppProtectionSpec,
    AppSpec,
    GroupTarget,
    SpecError,
    parse,
)
from vendors import intune_provider, offline_provider
from tests.emulator import run_emulator

CORP = "Mattermost corporate"
BYOD = "Mattermost BYOD"
APP_ID = "com.mattermost.rn"
CONFIGS = "/deviceAppManagement/mobileAppConfigurations"
SERVER = "https://chat.example.com"
ANDROID_APP = {"@odata.type": objects.ANDROID_STORE_APP, "displayName": "Mattermost", "packageId": APP_ID,
               "appIdentifier": APP_ID}
IOS_APP = {"@odata.type": objects.IOS_STORE_APP, "displayName": "Mattermost", "bundleId": APP_ID,
           "appStoreUrl": "https://apps.apple.com/app/mattermost/id1257222717"}
CONFIG_ENTRIES = (
    {"name": "Mattermost corporate", "enrollment": ["company_owned"], "groups": [{"group": CORP}],
     "config": {"serverUrl": SERVER, "inAppPinCode": True, "jailbreakProtection": True}},
    {"name": "Mattermost personal", "enrollment": ["byod"], "groups": [{"group": BYOD}],
     "config": {"serverUrl": SERVER, "inAppPinCode": True}},
    {"name": "Mattermost", "groups": [{"group": CORP}, {"group": BYOD}], "config": {"serverUrl": SERVER}},
)


def group(name):
    return {"displayName": name, "mailEnabled": False, "mailNickname": name.replace(" ", ""), "securityEnabled": True}


connect = intune_provider


def app_spec(**changes):
    assignments = [{"group": CORP, "intent": "required"}, {"group": BYOD, "intent": "available"}]
    return parse(AppSpec, {"assignments": assignments, **changes})


def config_specs(entries=CONFIG_ENTRIES):
    return [AppConfigSpec.from_input(dict(entry), {}) for entry in entries]


def add_apps(emu, settle_seconds=0):
    provider = connect(emu, settle_seconds=settle_seconds)
    provider.apply(provider.plan_apps(app_spec()))


def deploy(emu, purge=False, settle_seconds=0):
    """One full run, as the app and app_config modules do it: a fresh provider per module."""
    add_apps(emu, settle_seconds)
    provider = connect(emu, settle_seconds=settle_seconds)
    return provider.apply(provider.plan_app_configs(config_specs(), purge_assignments=purge))


def pending(emu):
    """What a further run would do (plans only)."""
    return connect(emu).plan_apps(app_spec()).summary() + connect(emu).plan_app_configs(config_specs()).summary()


def by_name(emu, collection="mobileAppConfigurations"):
    return {item["displayName"]: item for item in emu.state().get(collection, [])}


def assert_no_duplicates(emu):
    state = emu.state()
    names = Counter((kind, item["displayName"]) for kind in ("mobileAppConfigurations", "assignmentFilters")
                    for item in state.get(kind, []))
    apps = Counter((item["@odata.type"], objects.app_identifier(item)) for item in state["mobileApps"])
    assert [name for name, count in names.items() if count > 1] == []
    assert [app for app, count in apps.items() if count > 1] == []
    assert len(names) == 2 * len(CONFIG_ENTRIES) + 1  # two platforms each, and the ownership filter


def group_targets(item):
    return sorted(assignment["target"]["groupId"] for assignment in item["assignments"])


def settings_of(item):
    return {s["appConfigKey"]: (s["appConfigKeyType"], s["appConfigKeyValue"]) for s in item["settings"]}


def decoded_payload(item):
    return json.loads(base64.b64decode(item["payloadJson"]))


@pytest.fixture
def tenant(emulator):
    """A tenant with the Managed Google Play Mattermost app and two groups; group ids by name."""
    seeded = emulator.seed(groups=[group(CORP), group(BYOD)], mobileApps=[ANDROID_APP])
    return {item["displayName"]: item["id"] for item in seeded["groups"]} | {"android": seeded["mobileApps"][0]["id"]}


# Convergence and idempotence -----------------------------------------------------------------------

def test_first_run_adds_the_app_its_configurations_and_assignments(emulator, tenant):
    deploy(emulator)
    apps = {item["@odata.type"]: item for item in emulator.state()["mobileApps"]}
    configs = by_name(emulator)
    personal_filter = by_name(emulator, "assignmentFilters")[objects.PERSONAL_IOS_FILTER]

    ios = apps[objects.IOS_STORE_APP]
    assert ios["bundleId"] == APP_ID and objects.OWNER_MARKER in ios["description"]
    for app in (ios, apps[objects.ANDROID_STORE_APP]):
        intents = {a["target"]["groupId"]: a["intent"] for a in app["assignments"]}
        assert intents == {tenant[CORP]: "required", tenant[BYOD]: "available"}
    assert sorted(configs) == sorted(f"{e['name']} ({p})" for e in CONFIG_ENTRIES for p in ("iOS", "Android"))
    assert {name: item["profileApplicability"] for name, item in configs.items() if "Android" in name} == {
        "Mattermost corporate (Android)": "androidDeviceOwner",
        "Mattermost personal (Android)": "androidWorkProfile",
        "Mattermost (Android)": "default",
    }
    assert configs["Mattermost (iOS)"]["targetedMobileApps"] == [ios["id"]]
    assert configs["Mattermost (Android)"]["targetedMobileApps"] == [tenant["android"]]
    assert group_targets(configs["Mattermost (iOS)"]) == sorted([tenant[CORP], tenant[BYOD]])
    # iOS has no enrollment field: the owned filter splits company-owned from personal devices.
    filters = {name: [(a["target"].get("deviceAndAppManagementAssignmentFilterId"),
                       a["target"].get("deviceAndAppManagementAssignmentFilterType")) for a in configs[name]["assignments"]]
               for name in ("Mattermost corporate (iOS)", "Mattermost personal (iOS)")}
    assert filters == {"Mattermost corporate (iOS)": [(personal_filter["id"], "exclude")],
                       "Mattermost personal (iOS)": [(personal_filter["id"], "include")]}
    assert settings_of(configs["Mattermost corporate (iOS)"]) == {
        "serverUrl": ("stringType", SERVER), "inAppPinCode": ("stringType", "true"),
        "jailbreakProtection": ("stringType", "true")}
    assert_no_duplicates(emulator)


def test_second_run_changes_nothing_and_sends_no_write(emulator, tenant):
    deploy(emulator)
    emulator.clear_requests()

    provider = connect(emulator)
    apps_plan = provider.plan_apps(app_spec())
    configs_plan = provider.plan_app_configs(config_specs())

    assert not apps_plan.changed and not configs_plan.changed
    assert provider.apply(configs_plan) == []
    assert emulator.writes() == []
    # A run without changes costs one list per collection, not one GET per object.
    lists = Counter(entry["path"] for entry in emulator.requests() if entry["method"] == "GET")
    assert lists["/beta" + CONFIGS] == 1 and lists["/beta/deviceAppManagement/mobileApps"] == 1


def test_app_level_settings_converge(emulator, tenant):
    spec = app_spec(prevent_backup=True, remove_on_unenroll=True)
    provider = connect(emulator)
    provider.apply(provider.plan_apps(spec))
    ios = next(item for item in emulator.state()["mobileApps"] if item["@odata.type"] == objects.IOS_STORE_APP)

    assert {a["settings"]["preventManagedAppBackup"] for a in ios["assignments"]} == {True}
    assert {a["settings"]["uninstallOnDeviceRemoval"] for a in ios["assignments"]} == {True}
    assert not connect(emulator).plan_apps(spec).changed
    # Unset leaves the tenant's value alone: still no change.
    assert not connect(emulator).plan_apps(app_spec()).changed


def test_the_app_is_bound_to_a_per_app_vpn_and_unbound_with_an_empty_id(emulator, tenant):
    def ios_settings():
        ios = next(item for item in emulator.state()["mobileApps"] if item["@odata.type"] == objects.IOS_STORE_APP)
        return [a.get("settings") or {} for a in ios["assignments"]]

    for vpn_id, expected in (("vpn-1", "vpn-1"), (None, "vpn-1"), ("", None)):
        provider = connect(emulator)
        provider.apply(provider.plan_apps(app_spec(vpn_configuration_id=vpn_id)))
        assert {settings.get("vpnConfigurationId") for settings in ios_settings()} == {expected}
    assert not connect(emulator).plan_apps(app_spec(vpn_configuration_id="")).changed


def test_back_to_back_runs_on_a_slow_listing_tenant_create_no_duplicates():
    # Graph lists a new object only after a moment; small pages make every list take several calls.
    with run_emulator(listing_delay=0.5, page_size=2) as emu:
        emu.seed(groups=[group(CORP), group(BYOD)], mobileApps=[ANDROID_APP])
        deploy(emu, settle_seconds=5)
        deploy(emu, settle_seconds=5)

        assert_no_duplicates(emu)
        assert pending(emu) == []


def test_listings_lagging_past_settle_seconds_are_waited_for_so_no_run_creates_twice():
    """Graph lists new objects 3 s late, longer than settle_seconds: each create waits until its
    object is listed, so the next task and the next run find it instead of creating it again."""
    with run_emulator(listing_delay=3) as emu:
        emu.seed(groups=[group(CORP), group(BYOD)], mobileApps=[ANDROID_APP])
        for _run in range(2):
            for plan in ("plan_apps", "plan_app_configs"):
                provider = intune_provider(emu, settle_seconds=1, recovery_seconds=10)
                provider.apply(getattr(provider, plan)(app_spec() if plan == "plan_apps" else config_specs()))

        assert_no_duplicates(emu)
        assert pending(emu) == []


def test_a_listing_that_lags_past_every_wait_fails_the_create_saying_why():
    with run_emulator(listing_delay=5) as emu:
        emu.seed(groups=[group(CORP), group(BYOD)], mobileApps=[ANDROID_APP])
        provider = intune_provider(emu, settle_seconds=0, recovery_seconds=1)

        with pytest.raises(ProviderError) as raised:
            provider.apply(provider.plan_apps(app_spec()))

    assert "does not list it after 1 s: its listings lag" in str(raised.value)
    assert "run again once it is listed" in str(raised.value)


def test_console_app_assignment_settings_survive_and_converge(emulator):
    corp = emulator.seed(groups=[group(CORP), group(BYOD)])["groups"][0]["id"]

    def assigned(settings):
        target = {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": corp}
        return [{"intent": "required", "target": target, "settings": settings}]

    emulator.seed(mobileApps=[
        dict(ANDROID_APP, assignments=assigned({"@odata.type": "#microsoft.graph.androidManagedStoreAppAssignmentSettings",
                                                "autoUpdateMode": "priority"})),
        {"@odata.type": objects.IOS_VPP_APP, "displayName": "Mattermost (VPP)", "bundleId": APP_ID,
         "assignments": assigned({"@odata.type": "#microsoft.graph.iosVppAppAssignmentSettings", "useDeviceLicensing": True})},
    ])
    spec = app_spec(removable=False)

    provider = connect(emulator)
    provider.apply(provider.plan_apps(spec))

    corp_settings = {app["@odata.type"]: next(a["settings"] for a in app["assignments"] if a["target"]["groupId"] == corp)
                     for app in emulator.state()["mobileApps"]}
    assert corp_settings[objects.ANDROID_STORE_APP]["autoUpdateMode"] == "priority"
    assert corp_settings[objects.IOS_VPP_APP]["useDeviceLicensing"] is True
    assert corp_settings[objects.IOS_VPP_APP]["isRemovable"] is False
    assert connect(emulator).plan_apps(spec).operations == []


# Faults -------------------------------------------------------------------------------------------

FAULTS = {
    "throttled": [
        {"path": "/deviceAppManagement/mobileApps", "method": "GET", "status": 429, "retry_after": 0, "count": 3},
        {"path": "/groups", "status": 429, "retry_after": 0, "count": 2},
        {"path": CONFIGS, "method": "POST", "status": 429, "retry_after": 0, "count": 4},
        {"path": r"/assign$", "status": 429, "retry_after": 0, "count": 3},
        {"path": "/beta/$batch", "status": 429, "retry_after": 0, "count": 2},
    ],
    "server errors": [
        {"path": CONFIGS, "method": "GET", "status": 500},
        {"path": "/groups", "status": 502},
        {"path": CONFIGS, "method": "POST", "status": 503, "count": 2},
        {"path": r"/assign$", "status": 503, "retry_after": 0},
    ],
    "dropped reads": [
        {"path": "/deviceAppManagement/mobileApps", "method": "GET", "drop": True},
        {"path": CONFIGS, "method": "GET", "drop": True},
        {"path": "/oauth2/v2.0/token", "drop": True},
    ],
}


@pytest.mark.parametrize("faults", FAULTS.values(), ids=FAULTS.keys())
def test_faults_are_ridden_out_without_duplicates(emulator, tenant, faults):
    for rule in faults:
        emulator.add_fault(**rule)

    deploy(emulator)

    assert emulator.faults() == []  # every injected fault was met
    assert_no_duplicates(emulator)
    assert pending(emulator) == []


def test_dropped_batch_is_looked_for_before_creating_again(emulator, tenant):
    add_apps(emulator)
    emulator.add_fault("/beta/$batch", method="POST", drop=True)
    deploy(emulator)
    log = emulator.requests()

    dropped = next(i for i, entry in enumerate(log) if entry["path"].endswith("$batch") and entry["status"] is None)
    created_after = next(i for i, entry in enumerate(log) if i > dropped and entry["method"] == "POST" and entry["batch"])
    assert "/beta" + CONFIGS in [entry["path"] for entry in log[dropped:created_after] if entry["method"] == "GET"]
    assert [entry["path"] for entry in log if entry["method"] == "POST" and entry["batch"]].count("/beta" + CONFIGS) == 6
    assert_no_duplicates(emulator)
    assert pending(emulator) == []


def test_batch_dropped_after_some_creates_leaves_no_duplicates(emulator, tenant):
    # The first three creates go through, the fourth loses the connection: applied, never answered.
    emulator.add_fault(CONFIGS, method="POST", delay=0.001, count=3)
    emulator.add_fault(CONFIGS, method="POST", drop=True)
    deploy(emulator)

    assert emulator.faults() == []
    assert_no_duplicates(emulator)
    assert pending(emulator) == []


def test_run_interrupted_after_creates_is_finished_by_the_next(emulator, tenant):
    add_apps(emulator)
    emulator.add_fault(r"/assign$", method="POST", status=500, count=None)
    provider = connect(emulator)
    with pytest.raises(ApiError, match="500"):
        provider.apply(provider.plan_app_configs(config_specs()))
    assert {name: item["assignments"] for name, item in by_name(emulator).items()} == {
        f"{e['name']} ({p})": [] for e in CONFIG_ENTRIES for p in ("iOS", "Android")}

    emulator.clear_faults()
    provider = connect(emulator)
    work = provider.plan_app_configs(config_specs())
    assert work.operations and {op.action for op in work.operations} == {ASSIGN}
    provider.apply(work)

    assert_no_duplicates(emulator)
    assert all(item["assignments"] for item in by_name(emulator).values())
    assert connect(emulator).plan_app_configs(config_specs()).operations == []


def test_token_expiring_between_plan_and_apply_is_renewed(emulator, tenant):
    add_apps(emulator)
    provider = connect(emulator)
    work = provider.plan_app_configs(config_specs())
    emulator.expire_tokens()
    provider.apply(work)

    statuses = [entry["status"] for entry in emulator.requests() if entry["path"].endswith("$batch")]
    assert 401 in statuses and statuses[-1] == 200
    assert_no_duplicates(emulator)


# Ownership and assignments -------------------------------------------------------------------------

def test_two_objects_with_one_name_fail_listing_both_and_nothing_is_written(emulator, tenant):
    emulator.seed(mobileApps=[IOS_APP])
    twins = emulator.seed(mobileAppConfigurations=[
        {"@odata.type": objects.IOS_CONFIG, "displayName": "X (iOS)", "settings": []} for _i in range(2)])
    emulator.clear_requests()

    with pytest.raises(DuplicateObjects) as raised:
        connect(emulator).plan_app_configs(
            [AppConfigSpec.from_input({"name": "X", "platforms": ["ios"], "config": {"serverUrl": SERVER}}, {})])

    assert sorted(raised.value.ids) == sorted(item["id"] for item in twins["mobileAppConfigurations"])
    assert all(item["id"] in str(raised.value) for item in twins["mobileAppConfigurations"])
    assert emulator.writes() == []


def test_two_groups_with_one_name_fail_listing_both(emulator, tenant):
    twin = emulator.seed(groups=[group(CORP)])["groups"][0]["id"]
    with pytest.raises(DuplicateObjects) as raised:
        connect(emulator).plan_apps(app_spec())
    assert sorted(raised.value.ids) == sorted([tenant[CORP], twin])
    assert emulator.writes() == []


def test_groups_are_looked_up_by_name_not_read_whole_from_a_large_directory(emulator):
    """A directory of 2,500 groups takes three pages to read whole; the 20 names asked for take
    two filtered reads (Graph takes at most 15 values in one `in`), one page each."""
    emulator.seed(groups=[group(f"Team {number:04}") for number in range(2500)] + [group("O'Brien's team")])
    wanted = [f"Team {number:04}" for number in range(0, 2500, 131)] + ["O'Brien's team"]
    emulator.clear_requests()

    ids = connect(emulator).vendor.group_ids(GroupTarget(group=name) for name in wanted)

    reads = [entry for entry in emulator.requests() if entry["path"] == "/v1.0/groups"]
    assert sorted(ids) == sorted(wanted) and len(set(ids.values())) == len(wanted)
    assert len(reads) == 2, [entry["query"] for entry in reads]
    assert all(" in (" in entry["query"]["$filter"] for entry in reads)


def test_console_assignment_is_kept_unless_purging(emulator, tenant):
    deploy(emulator)
    colleague = emulator.seed(groups=[group("Helpdesk")])["groups"][0]["id"]
    target = by_name(emulator)["Mattermost (Android)"]
    console = [{"@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationAssignment",
                "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": gid}}
               for gid in (tenant[CORP], colleague)]
    assert emulator.graph("POST", f"{CONFIGS}/{target['id']}/assign", {"assignments": console}, version="beta").status < 300

    deploy(emulator)  # restores BYOD, keeps Helpdesk
    assert group_targets(by_name(emulator)["Mattermost (Android)"]) == sorted([tenant[CORP], tenant[BYOD], colleague])

    deploy(emulator, purge=True)
    assert group_targets(by_name(emulator)["Mattermost (Android)"]) == sorted([tenant[CORP], tenant[BYOD]])


def test_unknown_group_fails_naming_it_and_writes_nothing(emulator, tenant):
    add_apps(emulator)
    emulator.clear_requests()
    entry = {"name": "Mattermost", "config": {"serverUrl": SERVER}, "groups": [{"group": CORP}, {"group": "No such team"}]}
    with pytest.raises(ProviderError, match="'No such team'") as raised:
        connect(emulator).plan_app_configs(config_specs([entry]))
    assert CORP not in str(raised.value)
    with pytest.raises(ProviderError, match="'No such team'"):
        connect(emulator).plan_apps(app_spec(assignments=[{"group": "No such team"}]))
    assert emulator.writes() == []


# Console edits and semantic comparison -----------------------------------------------------------------

def test_console_typed_boolean_is_detected_shown_and_reverted(emulator, tenant):
    deploy(emulator)
    ios = by_name(emulator)["Mattermost corporate (iOS)"]
    typed = [dict(s, appConfigKeyType="booleanType") if s["appConfigKey"] == "inAppPinCode" else s for s in ios["settings"]]
    emulator.graph("PATCH", f"{CONFIGS}/{ios['id']}", {"@odata.type": objects.IOS_CONFIG, "settings": typed}, version="beta")

    work = connect(emulator).plan_app_configs(config_specs())
    assert work.summary() == [f"update app_config 'Mattermost corporate (iOS)' ({ios['id']})"]
    label = "app_config/Mattermost corporate (iOS)"
    diff = {side: json.loads(text)[label]["settings"] for side, text in work.diff().items()}
    assert diff["before"]["inAppPinCode"] == "<boolean>true" and diff["after"]["inAppPinCode"] == "true"

    deploy(emulator)
    assert settings_of(by_name(emulator)["Mattermost corporate (iOS)"])["inAppPinCode"] == ("stringType", "true")
    assert pending(emulator) == []


def test_console_android_payload_is_detected_and_reverted(emulator, tenant):
    deploy(emulator)
    android = by_name(emulator)["Mattermost personal (Android)"]
    desired = decoded_payload(android)
    edited = dict(desired, managedProperty=[{"key": "serverUrl", "valueString": "https://evil.example.com"}])
    body = {"@odata.type": objects.ANDROID_CONFIG, "payloadJson": base64.b64encode(json.dumps(edited).encode()).decode()}
    emulator.graph("PATCH", f"{CONFIGS}/{android['id']}", body, version="beta")

    work = connect(emulator).plan_app_configs(config_specs())
    label = "app_config/Mattermost personal (Android)"
    diff = {side: json.loads(text)[label]["payload"] for side, text in work.diff().items()}
    assert diff == {"before": {"serverUrl": "https://evil.example.com"}, "after": {"serverUrl": SERVER, "inAppPinCode": "true"}}

    deploy(emulator)
    assert decoded_payload(by_name(emulator)["Mattermost personal (Android)"]) == desired


def test_settings_in_another_order_and_null_xml_are_no_change(emulator, tenant):
    deploy(emulator)
    ios = by_name(emulator)["Mattermost corporate (iOS)"]
    body = {"@odata.type": objects.IOS_CONFIG, "settings": list(reversed(ios["settings"])), "encodedSettingXml": None}
    assert emulator.graph("PATCH", f"{CONFIGS}/{ios['id']}", body, version="beta").status == 204
    answer = emulator.graph("GET", f"{CONFIGS}/{ios['id']}", version="beta").body
    assert [s["appConfigKey"] for s in answer["settings"]] != [s["appConfigKey"] for s in ios["settings"]]
    emulator.clear_requests()

    assert pending(emulator) == []
    assert emulator.writes() == []


@pytest.mark.parametrize("xml", [{}, {"encodedSettingXml": None}, {"encodedSettingXml": ""}], ids=["absent", "null", "empty"])
def test_encoded_setting_xml_absent_null_or_empty_compare_alike(xml):
    raw = {"id": "1", "@odata.type": objects.IOS_CONFIG, "displayName": "X (iOS)", "description": None,
           "settings": [{"appConfigKey": "serverUrl", "appConfigKeyType": "stringType", "appConfigKeyValue": SERVER}]}
    assert objects.actual(objects.CONFIGS, {**raw, **xml}).body == objects.actual(objects.CONFIGS, raw).body


@pytest.mark.parametrize("enrollment", [["company_owned", "byod"], ["byod", "company_owned"]])
def test_enrollment_order_does_not_change_what_is_compared(enrollment):
    apps = {"ios": [{"id": "ios-app"}], "android": [{"id": "android-app"}]}

    def bodies(**given):
        spec = AppConfigSpec.from_input({"name": "M", "config": {"serverUrl": SERVER}, **given}, {})
        return [wish.body for wish in objects.desired_configs(spec, apps, {}, [])]

    assert bodies(enrollment=enrollment) == bodies()


def test_plist_configuration_compares_by_its_values(emulator, tenant):
    emulator.seed(mobileApps=[IOS_APP])
    app = next(item for item in emulator.state()["mobileApps"] if item["@odata.type"] == objects.IOS_STORE_APP)
    spec = AppConfigSpec.from_input({"name": "P", "platforms": ["ios"], "config": {"serverUrl": SERVER}}, {})
    (wanted,) = objects.desired_configs(spec, {"ios": [app]}, {}, [])
    plist = f"<dict><key>serverUrl</key><string>{SERVER}</string></dict>".encode()
    emulator.seed(mobileAppConfigurations=[{
        "@odata.type": objects.IOS_CONFIG, "displayName": "P (iOS)", "targetedMobileApps": [app["id"]],
        "description": wanted.body["description"], "encodedSettingXml": base64.b64encode(plist).decode()}])

    assert connect(emulator).plan_app_configs([spec]).operations == []


# Refusals -------------------------------------------------------------------------------------------

def test_unenrolled_is_refused_with_the_reason_before_any_request(emulator, tenant):
    with pytest.raises(SpecError) as raised:
        AppConfigSpec.from_input({"name": "M", "config": {"serverUrl": SERVER}, "enrollment": ["unenrolled"]}, {})
    message = str(raised.value)
    assert "MAM" in message and "managed-apps" in message and "app protection" in message
    assert emulator.requests() == []


def test_missing_android_app_tells_to_approve_it_in_managed_google_play(emulator):
    emulator.seed(groups=[group(CORP), group(BYOD)], mobileApps=[IOS_APP])

    with pytest.raises(ProviderError, match="approve the app in Managed Google Play"):
        connect(emulator).plan_apps(app_spec())
    with pytest.raises(ProviderError, match="Managed Google Play"):
        connect(emulator).plan_app_configs(config_specs())
    assert emulator.writes() == []


def test_wrong_secret_error_never_shows_it(emulator, tenant):
    secret = "Wr0ng-Secret-q7Z~x"
    with pytest.raises(ApiError) as raised:
        connect(emulator, secret=secret).plan_apps(app_spec())
    assert raised.value.status == 401
    assert secret not in str(raised.value) and secret not in json.dumps(raised.value.body)


# Audit ------------------------------------------------------------------------------------------------

def test_inventory_reports_console_mistakes_the_mam_channel_and_group_names(emulator, tenant):
    ios_app = emulator.seed(mobileApps=[IOS_APP])["mobileApps"][0]["id"]
    assignment = {"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": tenant[CORP]}}
    emulator.seed(
        mobileAppConfigurations=[{
            "@odata.type": objects.IOS_CONFIG, "displayName": "Console made", "targetedMobileApps": [ios_app],
            "assignments": [assignment],
            "settings": [
                {"appConfigKey": "serverUrl", "appConfigKeyType": "stringType", "appConfigKeyValue": SERVER},
                {"appConfigKey": "inAppPinCode", "appConfigKeyType": "booleanType", "appConfigKeyValue": "true"},
                {"appConfigKey": "jailbreakDetection", "appConfigKeyType": "stringType", "appConfigKeyValue": "true"},
            ]}, {
            "@odata.type": objects.IOS_CONFIG, "displayName": "Another app", "targetedMobileApps": ["other-app"],
            "settings": [{"appConfigKey": "color", "appConfigKeyType": "stringType", "appConfigKeyValue": "red"}]}],
        targetedManagedAppConfigurations=[{"displayName": "MAM for Mattermost",
                                           "customSettings": [{"name": "serverUrl", "value": SERVER}]}],
    )
    emulator.clear_requests()

    found = connect(emulator).inventory()

    configurations = {item["display_name"]: item for item in found["app_configurations"]}
    assert list(configurations) == ["Console made"]
    codes = {(f["code"], f["key"], f["severity"]) for f in configurations["Console made"]["findings"]}
    assert {("typed-boolean", "inAppPinCode", "error"), ("misspelled-key", "jailbreakDetection", "error")} <= codes
    assert configurations["Console made"]["settings"]["inAppPinCode"] == "<boolean>true"
    (mam,) = found["managed_app_configurations"]
    assert mam["display_name"] == "MAM for Mattermost" and mam["findings"][0]["code"] == "mam-channel"
    assert mam["findings"][0]["severity"] == "error"
    assert found["groups"] == {tenant[CORP]: CORP}
    assert {app["app_id"] for app in found["apps"]} == {APP_ID}
    assert emulator.writes() == []


# Audit: device profiles and app protection ----------------------------------------------------

OUTLOOK_ID = "com.microsoft.Office.Outlook"
IOS_VPN = "#microsoft.graph.iosVpnConfiguration"
IOS_GENERAL = "#microsoft.graph.iosGeneralDeviceConfiguration"
OWNED = f"Made by the collection. {objects.OWNER_MARKER}"
PROTECTION_SETTINGS = {"dataBackupBlocked": True, "appDataEncryptionType": "whenDeviceLocked", "pinRequired": True,
                       "allowedOutboundClipboardSharingLevel": "managedAppsWithPasteIn", "minimumRequiredOsVersion": "17.0"}
CONSOLE_SETTINGS = {"dataBackupBlocked": False, "appDataEncryptionType": "afterDeviceRestart", "pinRequired": False,
                    "allowedOutboundClipboardSharingLevel": "allApps", "minimumRequiredOsVersion": "16.0"}


def assigned(*targets):
    """Graph assignments from (group id, exclude) pairs."""
    kinds = {False: "#microsoft.graph.groupAssignmentTarget", True: "#microsoft.graph.exclusionGroupAssignmentTarget"}
    return [{"target": {"@odata.type": kinds[exclude], "groupId": group_id}} for group_id, exclude in targets]


def protected_apps(*bundle_ids):
    return [{"@odata.type": "#microsoft.graph.managedMobileApp", "mobileAppIdentifier": {
        "@odata.type": "#microsoft.graph.iosMobileAppIdentifier", "bundleId": bundle_id}} for bundle_id in bundle_ids]


def several_policies(app_id, *names):
    listed = ", ".join(repr(name) for name in names)
    return {"severity": "warning", "code": "several-protection-policies", "key": None, "line": None,
            "message": f"{len(names)} app protection policies target {app_id} ({listed}): a user in the groups of "
                       "more than one gets the most restrictive value of each setting among them",
            "hint": "keep one policy per app id, or assign them to groups that do not overlap"}


def test_inventory_lists_owned_device_profiles_and_every_protection_of_the_app(emulator):
    users, contractors, finance = (item["id"] for item in emulator.seed(
        groups=[group(CORP), group("Contractors"), group("Finance")])["groups"])
    profiles = emulator.seed(deviceConfigurations=[
        {"@odata.type": IOS_GENERAL, "displayName": "Mattermost security - iOS", "description": OWNED,
         "passcodeMinimumLength": 6, "assignments": assigned((users, False), (contractors, True))},
        {"@odata.type": IOS_VPN, "displayName": "Mattermost security - iOS per-app VPN", "description": OWNED,
         "enablePerApp": True, "assignments": assigned((users, False))},
        {"@odata.type": IOS_GENERAL, "displayName": "Finance baseline", "description": "made in the console",
         "assignments": assigned((finance, False))},
    ])["deviceConfigurations"]
    policies = emulator.seed(iosManagedAppProtections=[
        {"displayName": "Mattermost iOS protection", "description": OWNED, **PROTECTION_SETTINGS,
         "apps": protected_apps("com.mattermost.rn"), "assignments": assigned((users, False))},
        {"displayName": "Contractor apps", "description": None, **CONSOLE_SETTINGS,
         "apps": protected_apps(OUTLOOK_ID, "com.mattermost.rn"), "assignments": assigned((contractors, False))},
        {"displayName": "Beta testers", "description": OWNED, **PROTECTION_SETTINGS,
         "apps": protected_apps("com.mattermost.rnbeta"), "assignments": assigned((users, False))},
        {"displayName": "Outlook only", "apps": protected_apps(OUTLOOK_ID), "assignments": assigned((finance, False))},
    ])["iosManagedAppProtections"]
    emulator.clear_requests()

    found = connect(emulator).inventory()

    assert found["device_profiles"] == [
        {"id": profiles[0]["id"], "display_name": "Mattermost security - iOS", "type": "iosGeneralDeviceConfiguration",
         "assignments": [{"target": f"include:{users}"}, {"target": f"exclude:{contractors}"}], "per_app_vpn": False},
        {"id": profiles[1]["id"], "display_name": "Mattermost security - iOS per-app VPN", "type": "iosVpnConfiguration",
         "assignments": [{"target": f"include:{users}"}], "per_app_vpn": True},
    ]
    assert found["app_protections"] == [
        {"id": policies[0]["id"], "display_name": "Mattermost iOS protection", "app_ids": ["com.mattermost.rn"],
         "owned": True, "assignments": [{"target": f"include:{users}"}], "settings": PROTECTION_SETTINGS,
         "findings": [several_policies("com.mattermost.rn", "Mattermost iOS protection", "Contractor apps")]},
        {"id": policies[1]["id"], "display_name": "Contractor apps", "app_ids": ["com.mattermost.rn", OUTLOOK_ID],
         "owned": False, "assignments": [{"target": f"include:{contractors}"}],
         "settings": CONSOLE_SETTINGS,
         "findings": [several_policies("com.mattermost.rn", "Mattermost iOS protection", "Contractor apps")]},
        {"id": policies[2]["id"], "display_name": "Beta testers", "app_ids": ["com.mattermost.rnbeta"], "owned": True,
         "assignments": [{"target": f"include:{users}"}], "settings": PROTECTION_SETTINGS, "findings": []},
    ]
    # Finance is named only by what is not Mattermost's: the console's profile and Outlook's policy.
    assert found["groups"] == {users: CORP, contractors: "Contractors"}
    assert emulator.writes() == []


def vpn_bound(group_id, vpn_id):
    return {"intent": "required", "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": group_id},
            "settings": {"@odata.type": "#microsoft.graph.iosStoreAppAssignmentSettings", "vpnConfigurationId": vpn_id}}


def ios_config_for(app_id, use_vpn):
    return {"@odata.type": objects.IOS_CONFIG, "displayName": f"VPN {use_vpn}", "targetedMobileApps": [app_id],
            "settings": [{"appConfigKey": "useVPN", "appConfigKeyType": "stringType", "appConfigKeyValue": use_vpn}]}


def test_inventory_checks_the_ios_apps_per_app_vpn_binding(emulator):
    users, contractors, other = (item["id"] for item in emulator.seed(
        groups=[group(CORP), group("Contractors"), group("Other")])["groups"])
    general, vpn = emulator.seed(deviceConfigurations=[
        {"@odata.type": IOS_GENERAL, "displayName": "Baseline"},
        {"@odata.type": IOS_VPN, "displayName": "Tunnel", "enablePerApp": True},
    ])["deviceConfigurations"]
    (app,) = emulator.seed(mobileApps=[dict(IOS_APP, assignments=[
        vpn_bound(users, vpn["id"]), vpn_bound(contractors, general["id"]), vpn_bound(other, "gone")])])["mobileApps"]
    emulator.seed(mobileAppConfigurations=[ios_config_for(app["id"], "True")])

    (found,) = connect(emulator).inventory()["apps"]

    by_code = {f["code"]: f for f in found["findings"]}
    assert sorted((f["severity"], f["code"]) for f in found["findings"]) == [
        ("error", "vpn-not-per-app"), ("error", "vpn-profile-missing"),
        ("warning", "vpn-not-awaited"), ("warning", "vpn-profile-not-assigned")]
    assert general["id"] in by_code["vpn-not-per-app"]["message"] and "'Baseline'" in by_code["vpn-not-per-app"]["message"]
    assert "gone" in by_code["vpn-profile-missing"]["message"]
    assert users in by_code["vpn-profile-not-assigned"]["message"] and "'Tunnel'" in by_code["vpn-profile-not-assigned"]["message"]


@pytest.mark.parametrize("everyone", [False, True], ids=["same group", "all devices"])
def test_an_app_bound_to_a_per_app_vpn_it_waits_for_has_no_finding(emulator, everyone):
    (users,) = (item["id"] for item in emulator.seed(groups=[group(CORP)])["groups"])
    reach = [{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}] if everyone else assigned((users, False))
    (vpn,) = emulator.seed(deviceConfigurations=[
        {"@odata.type": IOS_VPN, "displayName": "Tunnel", "enablePerApp": True, "assignments": reach}])["deviceConfigurations"]
    (app,) = emulator.seed(mobileApps=[dict(IOS_APP, assignments=[vpn_bound(users, vpn["id"])])])["mobileApps"]
    emulator.seed(mobileAppConfigurations=[ios_config_for(app["id"], "true")])

    (found,) = connect(emulator).inventory()["apps"]

    assert found["findings"] == []


def keep_offline(dest, document):
    """A hand-made object in an offline provider's directory, where its id says."""
    path = dest / f"{document['id']}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


def test_offline_inventory_lists_the_same_from_its_directory(tmp_path):
    provider = offline_provider(tmp_path)
    provider.apply(provider.plan_app_protection(parse(AppProtectionSpec, {
        "name": "Mattermost iOS protection", "app_ids": ["com.mattermost.rn", "com.mattermost.rnbeta"],
        "minimum_os_version": "17.0", "groups": [{"group": CORP}]})))
    for name, description in (("Mattermost_VPN", OWNED), ("Console_VPN", "made by hand")):
        keep_offline(tmp_path, {"id": f"deviceConfigurations/{name}", "@odata.type": IOS_VPN, "displayName": name,
                                "description": description, "enablePerApp": True, "assignments": []})
    keep_offline(tmp_path, {"id": "iosManagedAppProtections/Console", "displayName": "Console", "description": "made by hand",
                            "apps": protected_apps("com.mattermost.rnbeta"), "assignments": []})

    found = offline_provider(tmp_path).inventory()

    assert found["device_profiles"] == [{"id": "deviceConfigurations/Mattermost_VPN", "display_name": "Mattermost_VPN",
                                         "type": "iosVpnConfiguration", "assignments": [], "per_app_vpn": True}]
    summary = {policy["display_name"]: (policy["app_ids"], policy["owned"], policy["assignments"],
                                        [finding["code"] for finding in policy["findings"]])
               for policy in found["app_protections"]}
    assert summary == {
        "Console": (["com.mattermost.rnbeta"], False, [], ["several-protection-policies"]),
        "Mattermost iOS protection": (["com.mattermost.rn"], True, [{"target": f"include:<group:{CORP}>"}], []),
        "Mattermost iOS protection (beta)": (["com.mattermost.rnbeta"], True, [{"target": f"include:<group:{CORP}>"}],
                                             ["several-protection-policies"]),
    }
    settings = {policy["display_name"]: policy["settings"] for policy in found["app_protections"]}
    assert settings["Mattermost iOS protection"] == PROTECTION_SETTINGS
    assert settings["Console"] == dict.fromkeys(PROTECTION_SETTINGS)
