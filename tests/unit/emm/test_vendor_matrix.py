# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The engine's promises, proven for every vendor with one set of tests.

Each vendor comes as a `Tenant`: how to reach it through the engine, how to see what was
written, and how to plant what a colleague or a fault leaves behind. The scenario is the same
for all: the Mattermost iOS app for two groups, and one app configuration; Android Management,
which has no groups and no iOS, puts the Android app and its configuration into two policies.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import android_management, intune_objects, jamf
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import DuplicateObjects, NotOwned, Provider
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppConfigSpec, AppSpec, parse

from vendors import RECOVERY_SECONDS, intune_provider, offline_jamf_provider, offline_provider

CORP, BYOD = "Mattermost corporate", "Mattermost BYOD"
APP = {"platforms": ["ios"], "assignments": [{"group": CORP}, {"group": BYOD}], "prevent_backup": True}
CONFIG = {"name": "Mattermost", "platforms": ["ios"], "groups": [{"group": CORP}, {"group": BYOD}],
          "config": {"serverUrl": "https://chat.example.com", "inAppPinCode": True}}


@dataclass
class Tenant:
    """One vendor's tenant as the tests see it."""

    vendor: str
    provider: Callable[[], Provider]
    writes: Callable[[], list]
    objects: Callable[[str], list[dict]]  # neutral kind -> the tenant's objects of that kind, as {"id", "name"}
    # Where ownership is a marker: a second object carrying the app configuration's name, and the
    # app configurations losing the marker, as a console edit does.
    plant_twin: Callable[[str], None] | None = None
    disown: Callable[[], None] | None = None
    secret: str | None = None
    faults: Any = None  # the emulator, where faults can be injected
    create_path: str = ""
    notes: dict = field(default_factory=dict)
    app: dict = field(default_factory=lambda: APP)
    config: dict = field(default_factory=lambda: CONFIG)
    per_kind: int = 1  # the objects of each kind the scenario makes

    def app_spec(self, **changes) -> AppSpec:
        return parse(AppSpec, {**self.app, **changes})

    def config_specs(self, **changes) -> list[AppConfigSpec]:
        return [AppConfigSpec.from_input({**self.config, **changes}, {})]


def converge(tenant: Tenant, check: bool = False) -> list:
    """One site run, each module with a fresh provider as ansible-playbook does it; the plans."""
    plans = []
    for make_plan in (lambda p: p.plan_apps(tenant.app_spec()),
                      lambda p: p.plan_app_configs(tenant.config_specs(), check_mode=check)):
        provider = tenant.provider()
        work = make_plan(provider)
        if not check:
            provider.apply(work)
        plans.append(work)
    return plans


# Vendors ------------------------------------------------------------------------------------

GRAPH_COLLECTIONS = {kind: path.rsplit("/", 1)[-1] for kind, path in intune_objects.COLLECTION.items()}


def intune_tenant(emulator) -> Tenant:
    emulator.seed(groups=[{"displayName": name, "securityEnabled": True} for name in (CORP, BYOD)])

    def twin(name: str) -> None:
        raw = next(item for item in emulator.state()["mobileAppConfigurations"] if item["displayName"] == name)
        emulator.seed(mobileAppConfigurations=[{key: value for key, value in raw.items() if key not in ("id", "assignments")}])

    def disown() -> None:
        for raw in emulator.state()["mobileAppConfigurations"]:
            answer = emulator.graph("PATCH", f"/deviceAppManagement/mobileAppConfigurations/{raw['id']}",
                                    {"description": "made in the console"}, version="beta")
            assert answer.status < 300, answer.body

    return Tenant(
        "intune", lambda: intune_provider(emulator), emulator.writes,
        lambda kind: [_named(raw["id"], raw["displayName"]) for raw in emulator.state().get(GRAPH_COLLECTIONS[kind], [])],
        twin, disown,
        secret=emulator.client_secret, faults=emulator, create_path=r"^/beta/deviceAppManagement/mobileAppConfigurations$",
    )


def directory_tenant(vendor: str, dest: Path, provider: Callable[[], Provider], folder: Callable[[str], str],
                     named: Callable[[dict], dict], marked: Callable[[dict], dict], twin: Callable[[dict], dict]) -> Tenant:
    """An offline provider's directory as a tenant: `folder` of a kind, `named` (a file's object as
    {"id", "name"}), `marked` (the file with a console's description) and `twin` (a copy under a new id)."""
    def files() -> dict[str, bytes]:
        return {str(path): path.read_bytes() for path in dest.rglob("*.json") if path.name != "plan.json"}

    seen = {"files": files()}

    def writes() -> list:
        now = files()
        changed = [name for name in set(now) | set(seen["files"]) if now.get(name) != seen["files"].get(name)]
        return sorted(changed)

    def paths(kind: str) -> list[Path]:
        return sorted((dest / folder(kind)).glob("*.json"))

    def objects(kind: str) -> list[dict]:
        documents = [json.loads(path.read_text()) for path in paths(kind)]
        return [named(raw) for raw in documents if kind != "app_config" or vendor != "offline_jamf" or _preferences(raw)]

    def plant_twin(name: str) -> None:
        raw = next(json.loads(path.read_text()) for path in paths("app_config"))
        (dest / folder("app_config") / "twin.json").write_text(json.dumps(twin(raw)))

    def disown() -> None:
        for path in paths("app_config"):
            path.write_text(json.dumps(marked(json.loads(path.read_text()))))

    def reset_writes() -> None:
        seen["files"] = files()

    tenant = Tenant(vendor, provider, writes, objects, plant_twin, disown)
    tenant.notes["reset"] = reset_writes
    return tenant


def offline_tenant(dest: Path) -> Tenant:
    return directory_tenant(
        "offline", dest, lambda: offline_provider(dest), GRAPH_COLLECTIONS.get,
        named=lambda raw: _named(raw["id"], raw["displayName"]),
        marked=lambda raw: {**raw, "description": "made in the console"},
        twin=lambda raw: {**raw, "id": "mobileAppConfigurations/twin"},
    )


def offline_jamf_tenant(dest: Path) -> Tenant:
    """Jamf planned offline: app records (holding the AppConfig) and profiles, as Classic JSON."""
    return directory_tenant(
        "offline_jamf", dest, lambda: offline_jamf_provider(dest), lambda kind: "mobiledeviceapplications",
        named=lambda raw: _named(raw["general"]["id"], raw["general"]["bundle_id"]),
        marked=lambda raw: {**raw, "general": {**raw["general"], "description": "made in the console"}},
        twin=lambda raw: {**raw, "general": {**raw["general"], "id": "mobiledeviceapplications/twin"}},
    )


def _preferences(record: dict) -> str:
    return (record.get("app_configuration") or {}).get("preferences") or ""


JAMF_STATE = {"app": "jamf/mobile_device_applications", "app_config": "jamf/mobile_device_applications"}


def jamf_tenant(emulator) -> Tenant:
    """Jamf keeps the AppConfig inside the app record, so an app_config's objects are app records
    whose preferences the collection set."""
    emulator.seed(**{"jamf/mobile_device_groups": [{"name": name, "is_smart": False} for name in (CORP, BYOD)]})
    settings = {"url": emulator.jamf_url, "client_id": emulator.client_id, "client_secret": emulator.client_secret}

    def records(kind: str) -> list[dict]:
        found = emulator.state().get(JAMF_STATE[kind], [])
        if kind == "app_config":
            return [record for record in found if (record.get("app_configuration") or {}).get("preferences")]
        return found

    def objects(kind: str) -> list[dict]:
        return [_named(str(record["general"]["id"]), record["general"]["bundle_id"]) for record in records(kind)]

    def twin(name: str) -> None:
        record = records("app_config")[0]
        general = {"name": "Mattermost copy", "bundle_id": record["general"]["bundle_id"],
                   "description": record["general"]["description"]}
        emulator.seed(**{"jamf/mobile_device_applications": [
            {"general": general, "app_configuration": record["app_configuration"]}]})

    def disown() -> None:
        for record in records("app"):
            answer = emulator.jamf("PUT", f"/JSSResource/mobiledeviceapplications/id/{record['general']['id']}",
                                   "<mobile_device_application><general><description>made in the console</description>"
                                   "</general></mobile_device_application>")
            assert answer.status < 300, answer.body

    return Tenant("jamf", lambda: Provider(jamf.connect(settings), recovery_seconds=RECOVERY_SECONDS), emulator.writes, objects, twin, disown,
                  secret=emulator.client_secret, faults=emulator,
                  create_path=r"^/jamf/JSSResource/mobiledeviceapplications/id/0$")


AMAPI_POLICIES = [f"enterprises/LC00emu01/policies/{name}" for name in ("company-owned", "work-profile")]


def android_management_tenant(emulator) -> Tenant:
    """Two policies that already hold another app; the app and its configuration are their
    Mattermost entries, owned by being Mattermost's package (no marker, so no twin to plant)."""
    other = {"packageName": "com.android.chrome", "installType": "FORCE_INSTALLED"}
    emulator.seed(**{"amapi/policies": [{"name": name, "applications": [other]} for name in AMAPI_POLICIES]})
    key = emulator.amapi_key()
    settings = {"enterprise": "enterprises/LC00emu01", "url": emulator.amapi_url, "service_account_key": key}

    def objects(kind: str) -> list[dict]:
        return [_named(f"{policy['name']}/applications/{app['packageName']}", app["packageName"])
                for policy in emulator.state().get("amapi/policies", []) for app in policy.get("applications", [])
                if app["packageName"] == "com.mattermost.rn" and (kind == "app" or app.get("managedConfiguration"))]

    return Tenant(
        "android_management", lambda: Provider(android_management.connect(settings)), emulator.writes, objects,
        secret=key["private_key"], faults=emulator,
        create_path=r"^/amapi/v1/enterprises/LC00emu01/policies/[^/]+:modifyPolicyApplications$",
        app={"platforms": ["android"],
             "policies": [{"policy": "company-owned"}, {"policy": "work-profile", "intent": "available"}]},
        config={**CONFIG, "platforms": ["android"], "groups": [], "policies": ["company-owned", "work-profile"]},
        per_kind=len(AMAPI_POLICIES),
    )


TENANTS = {"intune": intune_tenant, "jamf": jamf_tenant, "android_management": android_management_tenant}


def _named(object_id: str, name: str) -> dict[str, str]:
    return {"id": object_id, "name": name}


DIRECTORIES = {"offline": offline_tenant, "offline_jamf": offline_jamf_tenant}


VENDORS = ["intune", "jamf", "android_management", "offline", "offline_jamf"]
# Android Management owns a policy's entry by its package: a policy holds one entry per package,
# and there is no marker a console edit could remove.
MARKED = [vendor for vendor in VENDORS if vendor != "android_management"]


def _tenant(vendor: str, emulator, tmp_path: Path) -> Tenant:
    if vendor in DIRECTORIES:
        return DIRECTORIES[vendor](tmp_path / "tenant")
    return TENANTS[vendor](emulator)


@pytest.fixture(params=VENDORS)
def tenant(request, emulator, tmp_path) -> Tenant:
    return _tenant(request.param, emulator, tmp_path)


@pytest.fixture(params=MARKED)
def marked(request, emulator, tmp_path) -> Tenant:
    """A vendor whose ownership is a marker on the object."""
    return _tenant(request.param, emulator, tmp_path)


@pytest.fixture(params=sorted(TENANTS))
def remote(request, emulator) -> Tenant:
    """A vendor reached over HTTP: one that can fail half-way and has secrets to keep."""
    return TENANTS[request.param](emulator)


def forget_writes(tenant: Tenant) -> None:
    if tenant.faults is not None:
        tenant.faults.clear_requests()
    else:
        tenant.notes["reset"]()


# The promises ---------------------------------------------------------------------------------

def test_converges_then_a_second_run_writes_nothing(tenant):
    first = converge(tenant)
    forget_writes(tenant)

    second = converge(tenant)

    assert all(plan.changed for plan in first)
    assert [plan.operations for plan in second] == [[], []]
    assert tenant.writes() == []


def test_check_mode_writes_nothing_and_its_diff_shows_the_objects(tenant):
    plans = converge(tenant, check=True)

    assert tenant.writes() == []
    [label] = json.loads(plans[0].diff()["after"])
    assert label.startswith("app/") and "com.mattermost.rn" in label and json.loads(plans[0].diff()["before"]) == {}
    assert any(label.startswith("app_config/") for label in json.loads(plans[1].diff()["after"]))


def test_two_objects_with_one_name_fail_listing_both_ids(marked):
    tenant = marked
    converge(tenant)
    tenant.plant_twin("Mattermost (iOS)")
    with pytest.raises(DuplicateObjects) as raised:  # two objects with one name: which is ours?
        tenant.provider().plan_app_configs(tenant.config_specs(state="absent"))

    ids = [item["id"] for item in tenant.objects("app_config")]
    assert sorted(raised.value.ids) == sorted(ids) and len(ids) == 2
    assert all(object_id in str(raised.value) for object_id in ids)


def test_absent_leaves_an_object_someone_else_made(marked):
    tenant = marked
    converge(tenant)
    tenant.disown()
    forget_writes(tenant)
    provider = tenant.provider()

    work = provider.plan_app_configs(tenant.config_specs(state="absent"))
    provider.apply(work)

    assert work.operations == [] and any("not created by this collection" in warning for warning in work.warnings)
    assert tenant.writes() == [] and len(tenant.objects("app_config")) == 1


def test_present_on_an_object_someone_else_made_fails_naming_it_and_how_to_adopt(marked):
    tenant = marked
    converge(tenant)
    tenant.disown()
    forget_writes(tenant)

    with pytest.raises(NotOwned) as raised:
        tenant.provider().plan_app_configs(tenant.config_specs(config={"serverUrl": "https://other.example.com"}))

    ids = [item["id"] for item in tenant.objects("app_config")]
    assert raised.value.ids == ids and ids[0] in str(raised.value) and "adopt: true" in str(raised.value)
    assert tenant.writes() == []


def test_an_adopted_object_is_updated_reported_and_stays_unowned(marked):
    tenant = marked
    converge(tenant)
    tenant.disown()
    provider = tenant.provider()
    provider.adopt = True

    work = provider.plan_app_configs(tenant.config_specs(config={"serverUrl": "https://other.example.com"}))
    provider.apply(work)

    [object_id] = [item["id"] for item in tenant.objects("app_config")]
    assert work.changed and len(work.adopted) == 1 and object_id in work.adopted[0]
    absent = tenant.provider().plan_app_configs(tenant.config_specs(state="absent"))
    assert absent.operations == [] and any("not created by this collection" in warning for warning in absent.warnings)


def test_absent_removes_what_the_collection_made(tenant):
    converge(tenant)
    provider = tenant.provider()

    provider.apply(provider.plan_app_configs(tenant.config_specs(state="absent")))

    assert tenant.objects("app_config") == [] and len(tenant.objects("app")) == tenant.per_kind


# "applied-late": the connection drops and the server applies the create half a second later, as a
# busy server does; recovery's bounded look (1 s here, 60 s by default) finds it instead of creating again.
@pytest.mark.parametrize("fault", [{"status": 429, "retry_after": 1}, {"status": 503}, {"drop": True}, {"late": 0.5}],
                         ids=["429", "503", "dropped", "applied-late"])
def test_faults_on_create_converge_without_duplicates(remote, fault):
    tenant = remote
    tenant.faults.reset()
    tenant = TENANTS[tenant.vendor](tenant.faults)  # an empty tenant with its groups again
    tenant.faults.add_fault(tenant.create_path, method="POST", count=1, **fault)

    converge(tenant)
    time.sleep(fault.get("late", 0) * 2)  # a create applied late has landed by now

    assert len(tenant.objects("app")) == tenant.per_kind and len(tenant.objects("app_config")) == tenant.per_kind
    assert [plan.operations for plan in converge(tenant, check=True)] == [[], []]


def test_secrets_never_appear_in_results_errors_or_logs(remote):
    tenant = remote
    provider = tenant.provider()
    results = provider.apply(provider.plan_apps(tenant.app_spec()))
    client = provider.vendor.client

    seen = json.dumps(results) + "\n".join(client.log)
    assert tenant.secret not in seen and client.log


def test_a_concurrent_run_that_created_the_app_first_leaves_one(tenant):
    slower = tenant.provider()
    work = slower.plan_apps(tenant.app_spec())  # planned while the tenant holds nothing
    faster = tenant.provider()
    faster.apply(faster.plan_apps(tenant.app_spec()))
    first = tenant.objects("app")

    slower.apply(work)

    assert tenant.objects("app") == first and len(first) == tenant.per_kind
    assert tenant.provider().plan_apps(tenant.app_spec()).operations == []
