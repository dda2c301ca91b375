# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The promises a careless user or a hostile tenant puts to the test, against the Graph emulator
over real HTTP: objects a colleague made are never taken over or deleted, assignments the
collection does not understand survive a merge, late answers and races leave no duplicate."""

from __future__ import annotations

import time

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import OWNER_MARKER, NotOwned
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import RetryPolicy, TransportError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppConfigSpec, AppSpec, parse
from test_intune import ANDROID_APP, APP_ID, BYOD, CORP, IOS_APP, SERVER, connect, group
from test_intune_security import profile_spec, protection_spec, USERS

APPS = "/deviceAppManagement/mobileApps"
MARKED = f"Made by hand, copied from the collection's. {OWNER_MARKER}"


def app_spec(**changes) -> AppSpec:
    return parse(AppSpec, {"assignments": [{"group": CORP}], **changes})


def config_spec(**changes) -> AppConfigSpec:
    return AppConfigSpec.from_input({"name": "Mattermost", "platforms": ["ios"], "groups": [{"group": CORP}],
                                     "config": {"serverUrl": SERVER}, **changes}, {})


@pytest.fixture
def emu(emulator):
    emulator.seed(groups=[group(CORP), group(BYOD), group(USERS)])
    return emulator


# Adoption ------------------------------------------------------------------------------------

def test_a_console_made_store_app_is_not_taken_over(emu):
    [app] = emu.seed(mobileApps=[{**IOS_APP, "description": "Added by the service desk"}])["mobileApps"]

    with pytest.raises(NotOwned, match=app["id"]):
        connect(emu).plan_apps(app_spec(platforms=["ios"]))
    assert emu.writes() == []


def test_an_adopted_store_app_is_assigned_but_never_marked_so_absent_leaves_it(emu):
    [app] = emu.seed(mobileApps=[{**IOS_APP, "description": "Added by the service desk"}])["mobileApps"]
    provider = connect(emu)
    provider.adopt = True

    work = provider.plan_apps(app_spec(platforms=["ios"]))
    provider.apply(work)
    provider = connect(emu)
    provider.apply(provider.plan_apps(app_spec(platforms=["ios"], state="absent")))

    [kept] = emu.state()["mobileApps"]
    assert work.adopted == [f"app 'ios:{APP_ID}' ({app['id']})"]
    assert kept["description"] == "Added by the service desk" and len(kept["assignments"]) == 1


@pytest.mark.parametrize("seed", [
    {"@odata.type": objects.IOS_VPP_APP, "displayName": "Mattermost", "bundleId": APP_ID, "description": MARKED},
    {**ANDROID_APP, "description": MARKED},
], ids=["iosVppApp", "androidManagedStoreApp"])
def test_absent_never_deletes_a_store_app_even_with_the_marker(emu, seed):
    emu.seed(mobileApps=[seed])
    provider = connect(emu)

    work = provider.plan_apps(app_spec(state="absent"))
    provider.apply(work)

    assert work.operations == [] and len(emu.state()["mobileApps"]) == 1


def test_a_store_app_is_assigned_without_adopting_it(emu):
    emu.seed(mobileApps=[{**ANDROID_APP, "description": "Synced from Managed Google Play"}])
    provider = connect(emu)

    work = provider.plan_apps(app_spec(platforms=["android"]))
    provider.apply(work)

    [app] = emu.state()["mobileApps"]
    assert work.adopted == [] and len(app["assignments"]) == 1 and app["description"] == "Synced from Managed Google Play"


def test_a_colleagues_filter_with_the_reserved_name_is_not_taken_over(emu):
    [colleague] = emu.seed(mobileApps=[{**IOS_APP, "description": MARKED}],
                           assignmentFilters=[{"displayName": objects.PERSONAL_IOS_FILTER, "platform": "iOS",
                                               "rule": '(device.model -startsWith "iPad")'}])["assignmentFilters"]

    with pytest.raises(NotOwned, match=colleague["id"]):
        connect(emu).plan_app_configs([config_spec(enrollment=["byod"])])
    assert emu.writes() == []


@pytest.mark.parametrize(("collection", "body", "plan"), [
    ("deviceConfigurations", {"@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration",
                              "displayName": "Mattermost device security - iOS"},
     lambda provider: provider.plan_device_profiles(profile_spec())),
    ("iosManagedAppProtections", {"displayName": "Mattermost iOS protection"},
     lambda provider: provider.plan_app_protection(protection_spec())),
    ("mobileAppConfigurations", {"@odata.type": objects.IOS_CONFIG, "displayName": "Mattermost (iOS)"},
     lambda provider: provider.plan_app_configs([config_spec()])),
], ids=["device_profile", "app_protection", "app_config"])
def test_a_console_made_policy_with_the_collections_name_fails_naming_it(emu, collection, body, plan):
    emu.seed(mobileApps=[{**IOS_APP, "description": MARKED}])
    [colleague] = emu.seed(**{collection: [{**body, "description": "made in the console"}]})[collection]

    with pytest.raises(NotOwned) as raised:
        plan(connect(emu))

    assert colleague["id"] in str(raised.value) and "adopt: true" in str(raised.value) and emu.writes() == []


# Merging assignments ---------------------------------------------------------------------------

CM_COLLECTION = {"@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget",
                 "collectionId": "SMS00001", "deviceAndAppManagementAssignmentFilterType": "none"}


def plan_app(provider, groups):
    return provider.plan_apps(app_spec(platforms=["ios"], assignments=groups))


def plan_config(provider, groups):
    return provider.plan_app_configs([config_spec(groups=groups)])


@pytest.mark.parametrize("kind", ["app", "app_config"])
def test_a_merge_keeps_a_target_type_the_collection_never_makes_whole(emu, kind):
    if kind == "app":
        emu.seed(mobileApps=[{**IOS_APP, "description": MARKED,
                              "assignments": [{"intent": "available", "target": CM_COLLECTION}]}])
        plan = plan_app
    else:
        emu.seed(mobileApps=[{**IOS_APP, "description": MARKED}])
        provider = connect(emu)
        provider.apply(provider.plan_app_configs([config_spec()]))
        [config] = emu.state()["mobileAppConfigurations"]
        emu.graph("POST", f"/deviceAppManagement/mobileAppConfigurations/{config['id']}/assign", {"assignments": [
            *config["assignments"], {"target": CM_COLLECTION}]}, version="beta")
        plan = plan_config
    provider = connect(emu)

    provider.apply(plan(provider, [{"group": BYOD}]))

    collection = "mobileApps" if kind == "app" else "mobileAppConfigurations"
    [item] = emu.state()[collection]
    # Graph answers with the filter id null; the rest is the colleague's target as it was.
    targets = [{name: value for name, value in assignment["target"].items() if value is not None}
               for assignment in item["assignments"]]
    assert CM_COLLECTION in targets and len(targets) == (2 if kind == "app" else 3)
    assert plan(connect(emu), [{"group": BYOD}]).operations == []


# A token refused inside a batch ------------------------------------------------------------------

def test_a_401_inside_a_batch_renews_the_token_once_and_resends_only_the_refused_request(emu):
    emu.seed(mobileApps=[{**IOS_APP, "description": MARKED}])
    emu.add_fault(r"^/beta/deviceAppManagement/mobileAppConfigurations$", method="POST", status=401, count=1)
    provider = connect(emu)

    provider.apply(provider.plan_app_configs([config_spec(), config_spec(name="Mattermost second")]))

    log = emu.requests()
    creates = [entry for entry in log if entry["method"] == "POST" and entry["path"].endswith("/mobileAppConfigurations")]
    tokens = [entry for entry in log if entry["path"].endswith("/oauth2/v2.0/token")]
    assert [entry["status"] for entry in creates] == [401, 201, 201] and len(tokens) == 2
    assert sorted(item["displayName"] for item in emu.state()["mobileAppConfigurations"]) == [
        "Mattermost (iOS)", "Mattermost second (iOS)"]


# Late answers and races --------------------------------------------------------------------------

def test_a_batch_the_server_applies_after_the_timeout_is_waited_for_and_not_created_twice(emu):
    emu.seed(mobileApps=[{**IOS_APP, "description": MARKED}])
    # The client gives up after 1 s; the server applies the batch 4 s after it came.
    emu.add_fault(r"^/beta/\$batch$", method="POST", late=4, delay=1.5, count=1)
    provider = connect(emu, recovery_seconds=30, timeout=1)
    work = provider.plan_app_configs([config_spec()])
    sent = time.monotonic()

    results = provider.apply(work)

    time.sleep(max(0.0, sent + 4.5 - time.monotonic()))  # the late batch has been applied by now
    configs = emu.state()["mobileAppConfigurations"]
    assert len(configs) == 1 and results[0]["id"] == configs[0]["id"]
    assert connect(emu).plan_app_configs([config_spec()]).operations == []


def test_a_concurrent_run_that_created_the_same_object_first_leaves_no_duplicate(emu):
    emu.seed(mobileApps=[{**IOS_APP, "description": MARKED}])
    slower = connect(emu)
    work = slower.plan_app_configs([config_spec()])  # planned while nothing exists
    faster = connect(emu)
    faster.apply(faster.plan_app_configs([config_spec()]))
    [first] = emu.state()["mobileAppConfigurations"]

    results = slower.apply(work)

    [kept] = emu.state()["mobileAppConfigurations"]
    assert kept["id"] == first["id"] and all(result["id"] == first["id"] for result in results)
    assert any("a duplicate this run created" in warning for warning in work.warnings)
    assert connect(emu).plan_app_configs([config_spec()]).operations == []


def test_a_twin_the_run_did_not_make_is_reported_with_its_id(emu):
    emu.seed(mobileApps=[{**IOS_APP, "description": MARKED}])
    provider = connect(emu)
    work = provider.plan_app_configs([config_spec()])
    [stranger] = emu.seed(mobileAppConfigurations=[{"@odata.type": objects.IOS_CONFIG, "displayName": "Mattermost (iOS)",
                                                    "description": "made in the console"}])["mobileAppConfigurations"]

    provider.apply(work)

    assert len(emu.state()["mobileAppConfigurations"]) == 2
    assert any(stranger["id"] in warning and "was not made by it" in warning for warning in work.warnings)


# Slow answers ------------------------------------------------------------------------------------

def test_an_answer_dripping_a_byte_at_a_time_fails_within_the_timeout(emu):
    emu.add_fault("/deviceAppManagement/mobileApps", drip=0.9, count=None)
    client = connect(emu, timeout=1).vendor.client
    client.retry = RetryPolicy(attempts=1)
    client.request("GET", "/v1.0/groups")  # the token, fetched before the clock starts
    started = time.monotonic()

    with pytest.raises(TransportError, match="(?i)timed? ?out"):
        client.request("GET", "/beta/deviceAppManagement/mobileApps")

    assert time.monotonic() - started < 1.5


def test_a_run_against_a_dripping_server_ends_within_its_retry_budget(emu):
    emu.add_fault("/deviceAppManagement/mobileApps", drip=0.9, count=None)
    provider = connect(emu, timeout=1, retry_seconds=3)
    started = time.monotonic()

    with pytest.raises(TransportError):
        provider.plan_app_configs([config_spec()])

    # The last attempt may start just inside the budget and take its whole timeout.
    assert time.monotonic() - started < 1 + 3 + 1.5
