# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Intune device configuration bodies, checked against Microsoft's Graph type descriptions."""

from __future__ import annotations

import base64
import functools
import json
import re
from pathlib import Path

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import parse_xml
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import apple, intune
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.intune import (
    intune_fully_managed,
    intune_ios_custom_passcode,
    intune_ios_general,
    intune_ios_vpn,
    intune_work_profile,
)
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import DeviceProfile, ProfileError

GRAPH = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "graph"
# What the `full` profile gives; the custom passcode profile only carries a passcode Intune cannot hold.
BUILDERS = (intune_ios_general, intune_ios_vpn, intune_work_profile, intune_fully_managed)
ALL_BUILDERS = BUILDERS + (intune_ios_custom_passcode,)
_EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
# Primitive Graph types (CSDL and TypeScript spellings) and the JSON values they take.
_PRIMITIVES = {"Edm.Boolean": bool, "boolean": bool, "Edm.Int32": int, "number": int, "Edm.String": str, "string": str, "Edm.Binary": str}


def is_json(value, kind: type) -> bool:
    """isinstance, except that JSON keeps booleans and numbers apart."""
    return isinstance(value, kind) and isinstance(value, bool) == (kind is bool)


class GraphTypes:
    """One Graph version's entity types: own properties from the type mappings, base and property
    types from the v1.0 CSDL or the beta TypeScript declarations."""

    def __init__(self, version: str):
        mappings = GRAPH / "type-mappings"
        self.entities = json.loads((mappings / f"{version}-entity-types.json").read_text())["microsoft.graph"]
        self.enums = json.loads((mappings / f"{version}-enum-types.json").read_text())["microsoft.graph"]
        self.complex = json.loads((mappings / f"{version}-complex-types.json").read_text())["microsoft.graph"]
        self.declared = _csdl_types() if version == "v1.0" else _typescript_types()

    def properties(self, name: str) -> dict[str, str]:
        """Every property of entity type `name`, inherited ones too, with its type's name."""
        found: dict[str, str] = {}
        while name:
            base, types = self.declared[name]
            own = (self.entities.get(name) or self.complex[name])["properties"]
            found.update({prop: types.get(prop, "?") for prop in own})
            name = base
        return found

    def check(self, body: dict, type_name: str | None = None) -> list[str]:
        """Every property name and value in `body` that its type (`type_name`, or the declared
        @odata.type) does not have; complex values are checked against their own type."""
        properties = self.properties(type_name or body["@odata.type"].removeprefix("#microsoft.graph."))
        faults = []
        for name, value in body.items():
            kind = properties.get(name)
            if name == "@odata.type":
                continue
            if kind is None:
                faults.append(f"{name}: no such property")
            elif kind in self.enums and value not in self.enums[kind]:
                faults.append(f"{name}: {value!r} is not a member of {kind} {self.enums[kind]}")
            elif kind in _PRIMITIVES and not is_json(value, _PRIMITIVES[kind]):
                faults.append(f"{name}: {value!r} is not a {kind}")
            elif kind in self.complex and isinstance(value, dict):
                faults.extend(f"{name}.{fault}" for fault in self.check(value, kind))
            elif kind not in self.enums and kind not in _PRIMITIVES and kind not in self.complex:
                faults.append(f"{name}: type {kind} is not checked by this test")
        return faults


@functools.lru_cache(maxsize=None)
def _csdl_types() -> dict[str, tuple[str | None, dict[str, str]]]:
    document = (GRAPH / "csdl" / "v1.0-cleanMetadata.xml").read_bytes()
    root = parse_xml(document, max_bytes=len(document)).getroot()
    return {
        entity.get("Name"): (
            (entity.get("BaseType") or "").removeprefix("graph.") or None,
            {prop.get("Name"): prop.get("Type").removeprefix("graph.") for prop in entity.iter(f"{_EDM}Property")},
        )
        for entity in root.iter(f"{_EDM}EntityType")
    }


@functools.lru_cache(maxsize=None)
def _typescript_types() -> dict[str, tuple[str | None, dict[str, str]]]:
    text = (GRAPH / "typings" / "beta-microsoft-graph.d.ts").read_text()
    declared = {}
    for found in re.finditer(r"^export interface (\w+)(?: extends (\w+))? \{\n(.*?)^\}", text, re.M | re.S):
        props = re.findall(r"^\s+(\w+)\?: (?:NullableOption<)?(\w+)", found.group(3), re.M)
        declared[_camel(found.group(1))] = (_camel(found.group(2) or ""), {name: _camel(kind) for name, kind in props})
    return declared


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


@pytest.fixture(scope="module")
def graph():
    if not GRAPH.is_dir():
        pytest.skip(f"Graph descriptions not found at {GRAPH} (<repo>/../shared/specs/graph): contract tests skipped")
    return {"v1.0": GraphTypes("v1.0"), "beta": GraphTypes("beta")}


@pytest.mark.parametrize("build", BUILDERS, ids=lambda build: build.__name__)
@pytest.mark.parametrize("android_quality", ["numeric", "numeric_complex", "alphabetic", "alphanumeric", "complex", None])
def test_bodies_use_only_properties_and_values_of_their_graph_type(graph, full, build, android_quality):
    android = {"max_failed_attempts": 4} if android_quality is None else {"password_quality": android_quality, "password_min_length": 4}
    body = build(DeviceProfile.from_input({**full.model_dump(), "android": android}))
    assert graph[intune.API_VERSION[body["@odata.type"]]].check(body) == []


def test_the_contract_check_sees_wrong_names_values_and_types(graph):
    body = {
        "@odata.type": intune.ANDROID_WORK_PROFILE, "displayName": "x", "workProfileBlockScreenshots": True,
        "workProfilePasswordRequiredType": "numeric", "workProfilePasswordMinimumLength": "6",
    }
    assert [fault.split(":")[0] for fault in graph["v1.0"].check(body)] == [
        "workProfileBlockScreenshots", "workProfilePasswordRequiredType", "workProfilePasswordMinimumLength",
    ]


def test_each_type_lives_in_the_api_version_declared_for_it(graph):
    for odata_type, version in intune.API_VERSION.items():
        name = odata_type.removeprefix("#microsoft.graph.")
        assert name in graph[version].entities
        if version == "beta":
            assert name not in graph["v1.0"].entities, f"{name} is in v1.0 now"


def test_ios_general_carries_passcode_and_restrictions(full):
    assert intune_ios_general(full) == {
        "@odata.type": intune.IOS_GENERAL,
        "displayName": "Mattermost security - iOS",
        "passcodeRequired": True,
        "passcodeMinimumLength": 8,
        "passcodeRequiredType": "alphanumeric",
        "passcodeMinimumCharacterSetCount": 1,
        "passcodeMinutesOfInactivityBeforeScreenTimeout": 5,
        "passcodeSignInFailureCountBeforeWipe": 10,
        "passcodeExpirationDays": 90,
        "screenCaptureBlocked": True,
        "documentsBlockManagedDocumentsInUnmanagedApps": True,
        "iCloudBlockBackup": True,
    }


def test_unset_options_are_left_out_of_the_bodies():
    profile = DeviceProfile.from_input({"name": "n", "passcode": {}, "android": {}})
    assert set(intune_ios_general(profile)) == {
        "@odata.type", "displayName", "passcodeRequired", "passcodeMinimumLength", "passcodeRequiredType",
    }
    assert set(intune_work_profile(profile)) == {
        "@odata.type", "displayName", "workProfileBlockScreenCapture", "workProfileBlockCrossProfileCopyPaste",
    }
    assert set(intune_fully_managed(profile)) == {"@odata.type", "displayName", "screenCaptureBlocked"}


def test_nothing_to_send_gives_no_body():
    assert [build(DeviceProfile.from_input({"name": "n"})) for build in ALL_BUILDERS] == [None] * len(ALL_BUILDERS)


def test_android_bodies_carry_the_work_profile_and_the_device_lock(full):
    assert intune_work_profile(full) == {
        "@odata.type": intune.ANDROID_WORK_PROFILE,
        "displayName": "Mattermost security - Android work profile",
        "workProfileRequirePassword": True,
        "workProfilePasswordRequiredType": "numericComplex",
        "workProfilePasswordMinimumLength": 6,
        "workProfilePasswordSignInFailureCountBeforeFactoryReset": 10,
        "workProfileBlockScreenCapture": True,
        "workProfileBlockCrossProfileCopyPaste": True,
    }
    assert intune_fully_managed(full) == {
        "@odata.type": intune.ANDROID_FULLY_MANAGED,
        "displayName": "Mattermost security - Android fully managed",
        "passwordRequiredType": "numericComplex",
        "passwordMinimumLength": 6,
        "passwordSignInFailureCountBeforeFactoryReset": 10,
        "screenCaptureBlocked": True,
    }


def test_ikev2_per_app_vpn_is_intunes_native_profile_with_eap_user_authentication(full):
    assert intune_ios_vpn(full) == {
        "@odata.type": intune.IOS_IKEV2_VPN,
        "displayName": "Mattermost security - iOS per-app VPN",
        "connectionName": "Acme VPN",
        "connectionType": "ikEv2",
        "server": {"address": "vpn.acme.example", "description": "Acme VPN", "isDefaultServer": True},
        "enablePerApp": True,
        "enableSplitTunneling": False,
        "authenticationMethod": "usernameAndPassword",
        "clientAuthenticationType": "userAuthentication",
        "enableEAP": True,
        "remoteIdentifier": "vpn.acme.example",
    }


@pytest.mark.parametrize("provider_type, graph_type", [("packet-tunnel", "packetTunnel"), ("app-proxy", "appProxy")])
def test_vendor_per_app_vpn_is_a_custom_connection_naming_the_vpn_app(graph, provider_type, graph_type):
    profile = DeviceProfile.from_input({"name": "n", "per_app_vpn": {
        "connection_name": "VPN", "server": "vpn.example.com", "vpn_type": "ssl",
        "provider_bundle_id": "com.example.vpn", "provider_type": provider_type,
    }})
    body = intune_ios_vpn(profile)
    assert body["@odata.type"] == intune.IOS_VPN
    assert (body["connectionType"], body["identifier"], body["providerType"]) == ("customVpn", "com.example.vpn", graph_type)
    assert graph["beta"].check(body) == []


def test_the_contract_check_looks_inside_complex_values(graph):
    body = {"@odata.type": intune.IOS_VPN, "server": {"address": "a", "port": 443, "isDefaultServer": "yes"}}
    assert graph["beta"].check(body) == ["server.port: no such property", "server.isDefaultServer: 'yes' is not a boolean"]


def test_intune_refuses_a_per_app_vpn_that_does_not_connect_on_demand(full):
    profile = full.model_copy(update={"per_app_vpn": full.per_app_vpn.model_copy(update={"on_demand": False})})
    with pytest.raises(ProfileError) as caught:
        intune_ios_vpn(profile)
    (problem,) = caught.value.problems
    assert problem.key == "per_app_vpn.on_demand"
    assert "value False" in problem.message and ".mobileconfig" in problem.message


def test_the_ios_mobileconfig_holds_every_ios_section_and_reads_back(full):
    data = intune.ios_mobileconfig(full)
    assert intune.mobileconfig_file_name(full) == "Mattermost-security.mobileconfig"
    assert data == apple.render(full)
    assert apple.parse(data) == full.model_copy(update={"android": None})
    assert intune.ios_mobileconfig(DeviceProfile.from_input({"name": "n", "android": {}})) is None


@pytest.mark.parametrize("name, stem", [("Ünïcode ✓", "n-code"), ("✓✓", "mattermost-profile"), ("a/b\\c..", "a-b-c")])
def test_mobileconfig_file_names_are_plain_ascii(name, stem):
    profile = DeviceProfile.from_input({"name": name, "passcode": {}})
    assert intune.mobileconfig_file_name(profile) == f"{stem}.mobileconfig"


def test_a_passcode_longer_than_intune_takes_goes_into_a_custom_profile_of_its_own(graph, full):
    long = full.passcode.model_copy(update={"min_length": 15})
    profile = full.model_copy(update={"passcode": long})

    general, custom = intune_ios_general(profile), intune_ios_custom_passcode(profile)
    assert not any(name.startswith("passcode") for name in general)
    assert general["screenCaptureBlocked"] is True
    assert (custom["@odata.type"], custom["displayName"], custom["payloadFileName"]) == (
        intune.IOS_CUSTOM, "Mattermost security - iOS passcode", "Mattermost-security---iOS-passcode.mobileconfig")
    carried = apple.parse(base64.b64decode(custom["payload"], validate=True))
    assert carried.passcode == long and carried.restrictions is carried.per_app_vpn is None
    assert apple.derived_uuid(carried.name, apple.PASSCODE) != apple.derived_uuid(full.name, apple.PASSCODE)
    assert intune_ios_custom_passcode(profile) == custom and intune_ios_custom_passcode(full) is None
    assert graph["v1.0"].check(custom) == []
