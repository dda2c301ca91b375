# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Apple configuration profiles: stable bytes, valid plists, faithful payloads, exact read-back."""

from __future__ import annotations

import plistlib

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import parse_xml
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import apple
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import DeviceProfile, ProfileError


def payloads(profile: DeviceProfile) -> dict[str, dict]:
    """The rendered payloads by type, read with Python's own plist reader as a cross-check."""
    document = plistlib.loads(apple.render(profile))
    return {payload["PayloadType"]: payload for payload in document["PayloadContent"]}


def rewrite(profile: DeviceProfile, change) -> bytes:
    """The rendered profile after `change` edited its plist, as another tool would."""
    document = plistlib.loads(apple.render(profile))
    change(document)
    return plistlib.dumps(document)


def test_rendering_twice_gives_the_same_bytes(full):
    assert apple.render(full) == apple.render(DeviceProfile.from_input(full.model_dump()))


def test_identifiers_are_stable_and_distinct_per_payload_and_per_profile(full):
    first, again = plistlib.loads(apple.render(full)), plistlib.loads(apple.render(full))
    other = plistlib.loads(apple.render(full.model_copy(update={"name": "Mattermost security 2"})))

    def identifiers(document):
        return [(p["PayloadUUID"], p["PayloadIdentifier"]) for p in [document, *document["PayloadContent"]]]

    assert identifiers(first) == identifiers(again)
    ids = identifiers(first) + identifiers(other)
    assert len({uuid for uuid, _identifier in ids}) == len({identifier for _uuid, identifier in ids}) == 8
    assert all(identifier.startswith("com.mattermost.emm.") and identifier.endswith(uuid) for uuid, identifier in ids)


def test_the_document_is_a_configuration_profile_that_both_readers_accept(full):
    data = apple.render(full)
    document = plistlib.loads(data)
    root = parse_xml(data).getroot()
    assert root.tag == "plist" and root[0].tag == "dict"
    assert document["PayloadType"] == "Configuration"
    assert document["PayloadVersion"] == 1
    assert (document["PayloadDisplayName"], document["PayloadOrganization"]) == ("Mattermost security", "Acme")
    assert data == plistlib.dumps(document, sort_keys=True)  # keys already in Python's own stable order


def test_only_the_payloads_the_description_asks_for():
    assert payloads(DeviceProfile.from_input({"name": "n"})) == {}
    assert list(payloads(DeviceProfile.from_input({"name": "n", "restrictions": {}}))) == [apple.RESTRICTIONS]


def test_passcode_payload(full):
    passcode = payloads(full)[apple.PASSCODE]
    assert {key: value for key, value in passcode.items() if not key.startswith("Payload")} == {
        "forcePIN": True, "minLength": 8, "requireAlphanumeric": True, "minComplexChars": 1,
        "maxInactivity": 5, "maxFailedAttempts": 10, "maxPINAgeInDays": 90,
    }
    assert passcode["PayloadVersion"] == 1


def test_unset_passcode_options_are_left_to_the_device():
    passcode = payloads(DeviceProfile.from_input({"name": "n", "passcode": {}}))[apple.PASSCODE]
    assert {key for key in passcode if not key.startswith("Payload")} == {"forcePIN", "minLength", "requireAlphanumeric"}
    assert passcode["requireAlphanumeric"] is False


def test_restrictions_payload_says_allow_false_for_what_is_blocked(full):
    restrictions = payloads(full)[apple.RESTRICTIONS]
    assert (restrictions["allowScreenShot"], restrictions["allowOpenFromManagedToUnmanaged"], restrictions["allowCloudBackup"]) == (False,) * 3
    relaxed = payloads(DeviceProfile.from_input({"name": "n", "restrictions": {"block_screenshots": True}}))[apple.RESTRICTIONS]
    assert (relaxed["allowScreenShot"], relaxed["allowOpenFromManagedToUnmanaged"], relaxed["allowCloudBackup"]) == (False, True, True)


def test_per_app_vpn_binds_to_the_mattermost_app(full):
    vpn = payloads(full)[apple.PER_APP_VPN]
    assert apple.app_attributes(full) == {"com.mattermost.rn": {"VPNUUID": vpn["VPNUUID"]}}
    assert vpn["PayloadDescription"].startswith("Per-app VPN for com.mattermost.rn. ")
    assert vpn["VPNUUID"] == apple.vpn_uuid(full) != vpn["PayloadUUID"]
    assert vpn["OnDemandMatchAppEnabled"] == 1 and not isinstance(vpn["OnDemandMatchAppEnabled"], bool)  # Apple: <integer>
    assert (vpn["VPNType"], vpn["UserDefinedName"]) == ("IKEv2", "Acme VPN")
    assert vpn["IKEv2"] == {
        "RemoteAddress": "vpn.acme.example", "RemoteIdentifier": "vpn.acme.example", "LocalIdentifier": "mattermost@acme.example",
        "AuthenticationMethod": "None", "ExtendedAuthEnabled": 1,
    }


def test_vendor_vpn_names_its_app_and_binds_every_listed_app(ssl_vpn):
    vpn = payloads(ssl_vpn)[apple.PER_APP_VPN]
    assert (vpn["VPNType"], vpn["VPNSubType"], vpn["OnDemandMatchAppEnabled"]) == ("VPN", "com.example.vpnclient", 0)
    assert vpn["VPN"] == {"RemoteAddress": "gw.acme.example", "ProviderType": "packet-tunnel"}
    assert set(apple.app_attributes(ssl_vpn)) == {"com.mattermost.rn", "com.mattermost.rnbeta"}
    assert "IKEv2" not in vpn


def test_no_vpn_means_no_app_attributes():
    assert apple.app_attributes(DeviceProfile.from_input({"name": "n"})) == {}


def test_parse_returns_the_apple_part_of_the_description(full, ssl_vpn):
    assert apple.parse(apple.render(full)) == full.model_copy(update={"android": None})
    assert apple.parse(apple.render(ssl_vpn)) == ssl_vpn


def test_parse_ignores_what_an_mdm_adds_or_reidentifies(full):
    def reidentify(document):
        document.update(PayloadUUID="0", PayloadIdentifier="com.jamf.x", PayloadScope="System", PayloadEnabled=True)
        for payload in document["PayloadContent"]:
            payload.update(PayloadUUID="1", PayloadIdentifier="com.jamf.y", PayloadEnabled=True)

    assert apple.parse(rewrite(full, reidentify)) == apple.parse(apple.render(full))


def test_parse_takes_a_boolean_on_demand_and_apples_provider_type_default(ssl_vpn):
    def as_other_tools_write_it(document):
        vpn = document["PayloadContent"][0]
        vpn["OnDemandMatchAppEnabled"] = True
        del vpn["VPN"]["ProviderType"]
        vpn["PayloadDescription"] = "Written by hand."

    parsed = apple.parse(rewrite(ssl_vpn, as_other_tools_write_it)).per_app_vpn
    assert (parsed.on_demand, parsed.provider_type, parsed.app_bundle_ids) == (True, "app-proxy", ("com.mattermost.rn",))


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        apple.parse(data)
    return [problem.message for problem in caught.value.problems]


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d.update(PayloadType="com.apple.mdm"), "PayloadType is 'com.apple.mdm', not 'Configuration'"),
        (lambda d: d["PayloadContent"].append({"PayloadType": "com.apple.wifi.managed"}),
         "payload type 'com.apple.wifi.managed' is not one a device profile describes"),
        (lambda d: d["PayloadContent"].append(dict(d["PayloadContent"][0])),
         "passcode: the profile holds more than one com.apple.mobiledevice.passwordpolicy payload"),
        (lambda d: d["PayloadContent"][0].update(allowSimple=False), "passcode: key 'allowSimple' is not one a device profile describes"),
        (lambda d: d["PayloadContent"][0].update(forcePIN=False), "passcode: forcePIN must be True, found False"),
        (lambda d: d["PayloadContent"][0].update(minLength="8"), "passcode: minLength must be an <integer>, found '8'"),
        (lambda d: d["PayloadContent"][1].update(allowScreenShot=0), "restrictions: allowScreenShot must be <true/> or <false/>, found 0"),
        (lambda d: d["PayloadContent"][2].update(VPNType="L2TP"), "per_app_vpn: VPNType 'L2TP' is not IKEv2 or VPN"),
        (lambda d: d["PayloadContent"][2]["IKEv2"].update(AuthenticationMethod="Certificate"),
         "per_app_vpn IKEv2: AuthenticationMethod must be 'None', found 'Certificate'"),
        (lambda d: d["PayloadContent"][2].update(OnDemandMatchAppEnabled=2), "OnDemandMatchAppEnabled must be 0 or 1, found 2"),
        (lambda d: d["PayloadContent"][0].update(minLength=20), "passcode.min_length: value 20 is not allowed"),
    ],
)
def test_parse_refuses_what_the_description_cannot_hold(full, change, expected):
    assert any(expected in message for message in problems_of(rewrite(full, change))), problems_of(rewrite(full, change))


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"<plist", "not a readable configuration profile"),
        (b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY x "y">]><plist><dict/></plist>', "entity"),
        (b"<dict/>", "a <plist> holding one <dict>"),
        (b"<plist><dict><key>a</key></dict></plist>", "alternate <key> and value"),
        (b"<plist><dict><key>a</key><integer>x</integer></dict></plist>", "'x' is not a valid <integer>"),
        (b"<plist><dict><key>a</key><set/></dict></plist>", "<set> is not a plist value"),
    ],
)
def test_parse_refuses_documents_that_are_not_safe_plists(data, expected):
    assert expected in problems_of(data)[0]
