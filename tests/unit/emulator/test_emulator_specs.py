# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Request bodies checked against Microsoft's Graph descriptions, and the registry kept true to them."""

import logging
import xml.etree.ElementTree as ET

import pytest
from graph_bodies import APP_CONFIGS, APPS, FILTERS, IOS_APP, IOS_APP_CONFIG, group_target

from tests.emulator import run_emulator
from tests.emulator.config import default_specs_dir
from tests.emulator.kinds import KINDS
from tests.emulator.schema import load_model

SPECS = default_specs_dir()
pytestmark = pytest.mark.skipif(
    not SPECS.is_dir(), reason=f"Graph descriptions not found at {SPECS} (<repo>/../shared/specs/graph)"
)


def _error(answer):
    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "BadRequest"
    return answer.body["error"]["message"]


def _assignment(settings=None, **target_fields):
    assignment = {"intent": "available", "target": {**group_target("g1"), **target_fields}}
    return {**assignment, "settings": settings} if settings else assignment


def test_an_unknown_property_is_a_400_naming_it(emulator):
    message = _error(emulator.graph("POST", APPS, {**IOS_APP, "bundleID": "com.mattermost.rn"}))

    assert "'bundleID'" in message
    assert "microsoft.graph.iosStoreApp" in message


def test_a_beta_only_field_is_refused_on_v1_and_accepted_on_beta(emulator, create):
    app = create(APPS, IOS_APP)
    settings = {"@odata.type": "#microsoft.graph.iosStoreAppAssignmentSettings", "preventManagedAppBackup": True}
    body = {"mobileAppAssignments": [_assignment(settings)]}

    v1 = emulator.graph("POST", f"{APPS}/{app['id']}/assign", body)
    beta = emulator.graph("POST", f"{APPS}/{app['id']}/assign", body, version="beta")

    message = _error(v1)
    assert "'preventManagedAppBackup'" in message
    assert "beta" in message
    assert beta.status == 204


def test_assignment_filter_fields_on_a_target_are_beta_only(emulator, create):
    app = create(APPS, IOS_APP)
    target = {"deviceAndAppManagementAssignmentFilterId": "f1", "deviceAndAppManagementAssignmentFilterType": "include"}
    body = {"mobileAppAssignments": [_assignment(**target)]}

    assert "deviceAndAppManagementAssignmentFilterId" in _error(
        emulator.graph("POST", f"{APPS}/{app['id']}/assign", body)
    )
    assert emulator.graph("POST", f"{APPS}/{app['id']}/assign", body, version="beta").status == 204


def test_v1_reads_leave_out_what_only_beta_has(emulator, create):
    app = create(APPS, IOS_APP)
    target = {"deviceAndAppManagementAssignmentFilterId": "f1", "deviceAndAppManagementAssignmentFilterType": "include"}
    emulator.graph(
        "POST", f"{APPS}/{app['id']}/assign", {"mobileAppAssignments": [_assignment(**target)]}, version="beta"
    )

    beta_target = emulator.graph("GET", f"{APPS}/{app['id']}/assignments", version="beta").body["value"][0]["target"]
    v1_target = emulator.graph("GET", f"{APPS}/{app['id']}/assignments").body["value"][0]["target"]

    assert beta_target["deviceAndAppManagementAssignmentFilterType"] == "include"
    assert v1_target == group_target("g1")


def test_answers_carry_every_property_of_the_type(emulator, create):
    app = create(APPS, IOS_APP)
    assert app["description"] is None
    assert app["isFeatured"] is False
    assert app["publishingState"] == "published"

    emulator.graph("POST", f"{APPS}/{app['id']}/assign", {"mobileAppAssignments": [_assignment()]}, version="beta")
    target = emulator.graph("GET", f"{APPS}/{app['id']}/assignments", version="beta").body["value"][0]["target"]
    assert target["deviceAndAppManagementAssignmentFilterId"] is None
    assert target["deviceAndAppManagementAssignmentFilterType"] == "none"


def test_enum_values_are_checked(emulator, create):
    app = create(APPS, IOS_APP)
    body = {"mobileAppAssignments": [{**_assignment(), "intent": "mandatory"}]}

    message = _error(emulator.graph("POST", f"{APPS}/{app['id']}/assign", body))

    assert "'mandatory'" in message
    assert "installIntent" in message


def test_value_types_are_checked(emulator):
    stringly = {**IOS_APP, "isFeatured": "true"}
    raw_xml = {**IOS_APP_CONFIG, "settings": [], "encodedSettingXml": "<dict><key>a</key></dict>"}

    assert "Edm.Boolean" in _error(emulator.graph("POST", APPS, stringly))
    assert "Edm.Binary" in _error(emulator.graph("POST", APP_CONFIGS, raw_xml))


def test_a_nested_type_must_derive_from_the_declared_one(emulator, create):
    app = create(APPS, IOS_APP)
    settings = {"@odata.type": "#microsoft.graph.iosStoreApp"}

    message = _error(
        emulator.graph("POST", f"{APPS}/{app['id']}/assign", {"mobileAppAssignments": [_assignment(settings)]})
    )

    assert "not assignable" in message


def test_patch_without_odata_type_is_read_as_the_base_type(emulator, create):
    app = create(APPS, IOS_APP)
    path = f"{APPS}/{app['id']}"

    message = _error(emulator.graph("PATCH", path, {"bundleId": "com.mattermost.rnbeta"}))
    typed = emulator.graph(
        "PATCH", path, {"@odata.type": "#microsoft.graph.iosStoreApp", "bundleId": "com.mattermost.rnbeta"}
    )

    assert "microsoft.graph.mobileApp'" in message
    assert typed.status == 204


def test_android_managed_store_app_configuration_on_beta(emulator, create):
    body = {
        "@odata.type": "#microsoft.graph.androidManagedStoreAppConfiguration",
        "displayName": "Mattermost Android",
        "packageId": "app:com.mattermost.rn",
        "targetedMobileApps": [],
        "payloadJson": "e30=",
        "profileApplicability": "androidWorkProfile",
        "permissionActions": [],
        "connectedAppsEnabled": False,
        "appSupportsOemConfig": True,
    }

    created = create(APP_CONFIGS, body, version="beta")
    bad_applicability = emulator.graph("POST", APP_CONFIGS, {**body, "profileApplicability": "work"}, version="beta")

    assert created["appSupportsOemConfig"] is False  # read-only: the server owns it
    assert created["profileApplicability"] == "androidWorkProfile"
    assert "profileApplicability" in _error(bad_applicability)
    assert "could not be resolved" in _error(emulator.graph("POST", APP_CONFIGS, body))


def test_assignment_filter_bodies_are_checked(emulator):
    body = {"displayName": "Personal", "platform": "iOS", "rule": '(device.deviceOwnership -eq "Personal")'}

    assert emulator.graph("POST", FILTERS, body, version="beta").status == 201
    assert "'platform'" in _error(emulator.graph("POST", FILTERS, {**body, "platform": "ios"}, version="beta"))


def test_without_descriptions_bodies_are_not_checked(tmp_path, caplog):
    with caplog.at_level(logging.WARNING), run_emulator(specs=tmp_path / "absent") as emu:
        answer = emu.graph("POST", APPS, {**IOS_APP, "bundleID": "anything"})

    assert answer.status == 201
    assert "Graph descriptions not found at" in caplog.text
    assert "request bodies are not checked" in caplog.text


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind.derived_types], ids=lambda kind: kind.name)
def test_registered_types_exist_exactly_in_their_versions(kind):
    for version in ("v1.0", "beta"):
        model = load_model(SPECS, version)
        for type_name, versions in kind.derived_types.items():
            assert model.knows(type_name) == (version in versions), (type_name, version)
            assert model.is_assignable(type_name, kind.entity_type) == (version in versions)


def _v1_action_parameters():
    """(binding type, action) -> parameter names, from the v1.0 CSDL."""
    edm = "{http://docs.oasis-open.org/odata/ns/edm}"
    actions = {}
    for action in ET.parse(SPECS / "csdl" / "v1.0-cleanMetadata.xml").getroot().iter(f"{edm}Action"):
        binding, *params = [param.get("Name") for param in action.iter(f"{edm}Parameter")]
        binding_type = next(action.iter(f"{edm}Parameter")).get("Type").replace("graph.", "microsoft.graph.")
        actions[(binding_type, action.get("Name"))] = set(params)
    return actions


def test_registered_actions_match_the_v1_descriptions():
    actions = _v1_action_parameters()
    model = load_model(SPECS, "v1.0")
    for kind in KINDS:
        for name, action in kind.actions.items():
            declared = next(actions[(t, name)] for t in model.lineage(kind.entity_type) if (t, name) in actions)
            assert set(action.params_in("v1.0")) == declared, (kind.name, name)
