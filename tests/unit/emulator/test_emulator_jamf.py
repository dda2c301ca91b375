# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Jamf Pro emulator at {base}/jamf: tokens, the Classic API's quirks, Pro groups, shared machinery."""

import base64
import plistlib
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import pytest

from tests.emulator import http_request, run_emulator
from tests.emulator.config import default_jamf_specs_dir

APPS = "/JSSResource/mobiledeviceapplications"
PROFILES = "/JSSResource/mobiledeviceconfigurationprofiles"
GROUPS = "/JSSResource/mobiledevicegroups"
PRO_GROUPS = "/api/v1/mobile-device-groups"
HTML_PAGE = "<title>Status page</title>"


def app_xml(name="Mattermost", groups=(), extra=""):
    scope = "".join(f"<mobile_device_group><id>{group}</id></mobile_device_group>" for group in groups)
    return (
        f"<mobile_device_application><general><name>{name}</name><bundle_id>com.mattermost.rn</bundle_id>"
        "<version>2.0</version><itunes_store_url>https://apps.apple.com/app/id1257222717</itunes_store_url>"
        f"</general><scope><mobile_device_groups>{scope}</mobile_device_groups></scope>{extra}"
        "</mobile_device_application>"
    )


def profile_xml(name="Mattermost VPN", payload_uuid="CLIENT-UUID", value="vpn.example.com", layers=1):
    plist = {
        "PayloadType": "Configuration",
        "PayloadUUID": payload_uuid,
        "PayloadIdentifier": "com.example.vpn",
        "PayloadContent": [{"PayloadType": "com.apple.vpn.managed", "RemoteAddress": value}],
    }
    payloads = plistlib.dumps(plist).decode()
    for _layer in range(layers):
        payloads = escape(payloads)
    return f"<configuration_profile><general><name>{name}</name><payloads>{payloads}</payloads></general></configuration_profile>"


def created_id(answer):
    assert answer.status == 201, answer.body
    return int(ET.fromstring(answer.body).findtext("id"))


@pytest.fixture
def groups(emulator):
    seeded = emulator.seed(
        **{
            "jamf/mobile_device_groups": [
                {"name": "Mattermost BYOD"},
                {"name": "Mattermost Corporate"},
                {"name": "All iPads", "is_smart": True},
            ]
        }
    )
    return {group["name"]: group["id"] for group in seeded["jamf/mobile_device_groups"]}


@pytest.fixture
def app_id(emulator, groups):
    return created_id(emulator.jamf("POST", f"{APPS}/id/0", app_xml(groups=[groups["Mattermost BYOD"]])))


def record(emulator, path):
    answer = emulator.jamf("GET", path)
    assert answer.status == 200, answer.body
    return next(iter(answer.body.values()))


# --- tokens ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/oauth/token", "/api/v1/oauth/token"])
def test_client_credentials_tokens_on_both_paths(emulator, path):
    answer = emulator.fetch_jamf_token(path)

    assert answer.status == 200
    assert set(answer.body) == {"access_token", "scope", "token_type", "expires_in"}
    assert answer.body["token_type"] == "Bearer" and answer.body["expires_in"] == 3600
    assert emulator.jamf("GET", GROUPS, token=answer.body["access_token"]).status == 200


def test_a_wrong_secret_gets_no_token(emulator):
    form = urlencode({"grant_type": "client_credentials", "client_id": emulator.client_id, "client_secret": "nope"})
    answer = http_request(
        "POST",
        f"{emulator.jamf_url}/api/oauth/token",
        form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 401 and answer.body == {"error": "invalid_client"}


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_user_tokens_keep_alive_and_invalidate(emulator):
    answer = http_request(
        "POST", f"{emulator.jamf_url}/api/v1/auth/token", headers=basic(emulator.client_id, emulator.client_secret)
    )
    assert answer.status == 200 and set(answer.body) == {"token", "expires"}
    assert answer.body["expires"].startswith("20") and answer.body["expires"].endswith("Z")
    assert len(answer.body["expires"].split(".")[1]) == 4  # milliseconds, then Z
    token = answer.body["token"]

    renewed = http_request(
        "POST", f"{emulator.jamf_url}/api/v1/auth/keep-alive", headers={"Authorization": f"Bearer {token}"}
    )
    assert renewed.status == 200 and renewed.body["token"] != token
    assert emulator.jamf("GET", GROUPS, token=token).status == 401  # keep-alive retires the old token
    new_token = renewed.body["token"]
    gone = http_request(
        "POST", f"{emulator.jamf_url}/api/v1/auth/invalidate-token", headers={"Authorization": f"Bearer {new_token}"}
    )
    assert gone.status == 204
    assert emulator.jamf("GET", GROUPS, token=new_token).status == 401


def test_wrong_basic_credentials_get_401(emulator):
    answer = http_request("POST", f"{emulator.jamf_url}/api/v1/auth/token", headers=basic(emulator.client_id, "nope"))
    assert answer.status == 401


def test_without_a_token_classic_answers_an_html_401_and_pro_json(emulator):
    classic = http_request("GET", f"{emulator.jamf_url}{GROUPS}")
    pro = http_request("GET", f"{emulator.jamf_url}{PRO_GROUPS}", headers={"Authorization": "Bearer made-up"})

    assert classic.status == 401 and HTML_PAGE in classic.body
    assert classic.headers["content-type"].startswith("text/html")
    assert pro.status == 401 and pro.body["httpStatus"] == 401 and pro.body["errors"][0]["code"] == "INVALID_TOKEN"


def test_expire_tokens_expires_jamf_tokens_too(emulator):
    token = emulator.jamf_token()
    emulator.expire_tokens()
    assert emulator.jamf("GET", GROUPS, token=token).status == 401
    assert emulator.jamf("GET", GROUPS).status == 200  # the client fetched a new one


def test_a_graph_token_is_no_jamf_token(emulator):
    assert emulator.jamf("GET", GROUPS, token=emulator.token()).status == 401


# --- Classic reads and writes ---------------------------------------------------------------------


def test_create_answers_201_with_the_id_under_the_resource_root(emulator, groups):
    answer = emulator.jamf("POST", f"{APPS}/id/0", app_xml())
    assert (
        answer.body
        == '<?xml version="1.0" encoding="UTF-8"?><mobile_device_application><id>1</id></mobile_device_application>'
    )
    assert answer.headers["content-type"].startswith("text/xml")


def test_lists_are_flat_json_with_jamf_fields(emulator, app_id):
    assert emulator.jamf("GET", APPS).body == {
        "mobile_device_applications": [
            {
                "id": app_id,
                "name": "Mattermost",
                "display_name": "Mattermost",
                "bundle_id": "com.mattermost.rn",
                "version": "2.0",
                "internal_app": False,
            }
        ]
    }
    assert emulator.jamf("GET", GROUPS).body == {
        "mobile_device_groups": [
            {"id": 1, "name": "Mattermost BYOD", "is_smart": False},
            {"id": 2, "name": "Mattermost Corporate", "is_smart": False},
            {"id": 3, "name": "All iPads", "is_smart": True},
        ]
    }


def test_reads_answer_xml_without_accept_json(emulator, app_id):
    listing = ET.fromstring(emulator.jamf("GET", APPS, json_answer=False).body)
    item = ET.fromstring(emulator.jamf("GET", f"{APPS}/id/{app_id}", json_answer=False).body)

    assert listing.tag == "mobile_device_applications" and listing.findtext("size") == "1"
    assert listing.findtext("mobile_device_application/name") == "Mattermost"
    assert item.findtext("general/bundle_id") == "com.mattermost.rn"
    assert item.findtext("scope/mobile_device_groups/mobile_device_group/name") == "Mattermost BYOD"


def test_app_lookups_subsets_and_server_derived_fields(emulator, app_id, groups):
    by_id = record(emulator, f"{APPS}/id/{app_id}")
    general = by_id["general"]

    assert (
        record(emulator, f"{APPS}/bundleid/com.mattermost.rn") == by_id == record(emulator, f"{APPS}/name/Mattermost")
    )
    assert set(by_id) == {"general", "scope", "self_service", "vpp", "app_configuration"}
    assert general["display_name"] == "Mattermost" and general["internal_app"] is False
    assert general["host_externally"] is True and general["external_url"] == general["itunes_store_url"]
    assert (
        general["itunes_country_region"] == "US"
        and general["deployment_type"] == "Install Automatically/Prompt Users to Install"
    )
    assert by_id["scope"]["mobile_device_groups"] == [{"id": groups["Mattermost BYOD"], "name": "Mattermost BYOD"}]
    subset = record(emulator, f"{APPS}/id/{app_id}/subset/General&AppConfiguration")
    assert set(subset) == {"general", "app_configuration"}


def test_put_changes_only_what_it_sends_and_a_sent_list_replaces_the_list(emulator, app_id, groups):
    body = (
        "<mobile_device_application><general><version>2.1</version><display_name>Ignored</display_name></general>"
        "<scope><mobile_device_groups><mobile_device_group><name>Mattermost Corporate</name></mobile_device_group>"
        "</mobile_device_groups></scope></mobile_device_application>"
    )
    answer = emulator.jamf("PUT", f"{APPS}/id/{app_id}", body)
    app = record(emulator, f"{APPS}/id/{app_id}")

    assert answer.status == 201 and created_id(answer) == app_id
    assert app["general"]["version"] == "2.1" and app["general"]["bundle_id"] == "com.mattermost.rn"
    assert app["general"]["display_name"] == "Mattermost"
    assert app["scope"]["mobile_device_groups"] == [
        {"id": groups["Mattermost Corporate"], "name": "Mattermost Corporate"}
    ]


def test_preferences_take_the_plist_dict_as_text_less_one_trailing_newline(emulator, groups):
    escaped = "&lt;dict&gt;&lt;key&gt;serverURL&lt;/key&gt;&lt;string&gt;https://chat.example.com&lt;/string&gt;&lt;/dict&gt;\n"
    cdata = "<![CDATA[<dict><key>serverURL</key><string>https://chat.example.com</string></dict>\n]]>"
    for name, text in (("Escaped", escaped), ("Cdata", cdata)):
        extra = f"<app_configuration><preferences>{text}</preferences></app_configuration>"
        app_id = created_id(emulator.jamf("POST", f"{APPS}/id/0", app_xml(name, extra=extra)))
        preferences = record(emulator, f"{APPS}/id/{app_id}")["app_configuration"]["preferences"]
        assert preferences == "<dict><key>serverURL</key><string>https://chat.example.com</string></dict>"


def test_delete_answers_400_but_the_app_is_gone(emulator, app_id):
    answer = emulator.jamf("DELETE", f"{APPS}/id/{app_id}")

    assert answer.status == 400 and HTML_PAGE in answer.body
    assert emulator.jamf("GET", f"{APPS}/id/{app_id}").status == 404
    assert emulator.state()["jamf/mobile_device_applications"] == []


def test_errors_are_html_status_pages(emulator, app_id, groups):
    missing = emulator.jamf("GET", f"{APPS}/id/999")
    duplicate = emulator.jamf("POST", f"{APPS}/id/0", app_xml())
    unknown_group = emulator.jamf("POST", f"{APPS}/id/0", app_xml("Other", groups=[999]))

    assert missing.status == 404 and HTML_PAGE in missing.body
    assert (
        duplicate.status == 409
        and "<p><b>Conflict</b></p>" in duplicate.body
        and "<p>Error: Duplicate name</p>" in duplicate.body
    )
    assert unknown_group.status == 409 and "Error: Problem with mobile device group in scope" in unknown_group.body
    assert len(emulator.state()["jamf/mobile_device_applications"]) == 1


@pytest.mark.skipif(not (default_jamf_specs_dir() / "jamf-classic-api.openapi.json").is_file(),
                    reason=f"Jamf Classic API description not found in {default_jamf_specs_dir()} (<repo>/../shared/specs/jamf)")
def test_bodies_are_checked_against_the_classic_description(emulator, groups):
    unknown = emulator.jamf("POST", f"{APPS}/id/0", app_xml(extra="<colour>red</colour>"))
    unknown_general = emulator.jamf("POST", f"{APPS}/id/0", app_xml().replace("<version>", "<flavour/><version>"))
    doctype = emulator.jamf("POST", f"{APPS}/id/0", '<!DOCTYPE x [<!ENTITY a "b">]>' + app_xml())
    json_body = emulator.jamf("POST", f"{APPS}/id/0", {"general": {"name": "x"}})

    assert unknown.status == 400 and "Unrecognized element mobile_device_application/colour" in unknown.body
    assert unknown_general.status == 400 and "mobile_device_application/general/flavour" in unknown_general.body
    assert doctype.status == 400 and "DOCTYPE" in doctype.body
    assert json_body.status == 415
    assert emulator.state()["jamf/mobile_device_applications"] == []


def test_without_the_description_bodies_are_accepted(caplog, tmp_path):
    with run_emulator(jamf_specs=tmp_path) as emu:
        answer = emu.jamf("POST", f"{APPS}/id/0", app_xml(extra="<colour>red</colour>"))
    assert answer.status == 201
    assert "Jamf Classic API description not found" in caplog.text


# --- configuration profiles -----------------------------------------------------------------------


def profile(emulator, profile_id):
    general = record(emulator, f"{PROFILES}/id/{profile_id}")["general"]
    return general, plistlib.loads(general["payloads"].encode())


def test_create_rewrites_the_top_level_uuid_and_injects_jamf_keys(emulator):
    profile_id = created_id(emulator.jamf("POST", f"{PROFILES}/id/0", profile_xml()))
    general, plist = profile(emulator, profile_id)

    assert general["uuid"] != "CLIENT-UUID" and plist["PayloadUUID"] == general["uuid"]
    assert plist["PayloadIdentifier"] == general["uuid"]
    assert plist["PayloadOrganization"] == "Emulated Org" and plist["PayloadDisplayName"] == "Mattermost VPN"
    assert plist["PayloadEnabled"] is True
    assert plist["PayloadContent"] == [{"PayloadType": "com.apple.vpn.managed", "RemoteAddress": "vpn.example.com"}]
    assert general["deployment_method"] == "Install Automatically" and general["redeploy_on_update"] == "Newly Assigned"
    assert emulator.jamf("GET", PROFILES).body == {
        "configuration_profiles": [{"id": profile_id, "name": "Mattermost VPN"}]
    }


def test_an_update_with_jamfs_uuid_keeps_the_profile_and_another_uuid_makes_a_second(emulator):
    profile_id = created_id(emulator.jamf("POST", f"{PROFILES}/id/0", profile_xml()))
    jamf_uuid = profile(emulator, profile_id)[0]["uuid"]

    echoed = emulator.jamf(
        "PUT", f"{PROFILES}/id/{profile_id}", profile_xml(payload_uuid=jamf_uuid, value="vpn2.example.com")
    )
    assert echoed.status == 201 and profile(emulator, profile_id)[0]["uuid"] == jamf_uuid
    assert profile(emulator, profile_id)[1]["PayloadContent"][0]["RemoteAddress"] == "vpn2.example.com"
    assert emulator.state()["jamf/mobile_device_configuration_profiles"][0]["_emulatorPayloadUuids"] == [jamf_uuid]

    emulator.jamf("PUT", f"{PROFILES}/id/{profile_id}", profile_xml(payload_uuid="CLIENT-UUID"))
    general, plist = profile(emulator, profile_id)
    assert general["uuid"] == plist["PayloadUUID"] == "CLIENT-UUID"
    assert emulator.state()["jamf/mobile_device_configuration_profiles"][0]["_emulatorPayloadUuids"] == [
        jamf_uuid,
        "CLIENT-UUID",
    ]


def test_a_rename_follows_into_payload_display_name(emulator):
    profile_id = created_id(emulator.jamf("POST", f"{PROFILES}/id/0", profile_xml()))
    emulator.jamf(
        "PUT",
        f"{PROFILES}/id/{profile_id}",
        "<configuration_profile><general><name>Renamed</name></general></configuration_profile>",
    )
    assert profile(emulator, profile_id)[1]["PayloadDisplayName"] == "Renamed"


def test_payload_values_escaped_once_hit_jamfs_extra_decoding(emulator):
    once = emulator.jamf("POST", f"{PROFILES}/id/0", profile_xml(value="a&b"))
    twice = emulator.jamf("POST", f"{PROFILES}/id/0", profile_xml(value="a&b", layers=2))

    assert once.status == 409 and "Error: Unable to update the database" in once.body
    assert twice.status == 201
    assert emulator.jamf("POST", f"{PROFILES}/id/0", profile_xml()).status == 409  # the name is taken now
    assert profile(emulator, created_id(twice))[1]["PayloadContent"][0]["RemoteAddress"] == "a&b"


# --- groups, devices and commands -----------------------------------------------------------------


def test_classic_group_by_id(emulator, groups):
    group = record(emulator, f"{GROUPS}/id/{groups['All iPads']}")
    assert group["name"] == "All iPads" and group["is_smart"] is True and group["mobile_devices"] == []


def test_pro_groups_bare_list_and_paged_searches(emulator, groups):
    assert emulator.jamf("GET", PRO_GROUPS).body == [
        {"id": 1, "name": "Mattermost BYOD", "isSmartGroup": False},
        {"id": 2, "name": "Mattermost Corporate", "isSmartGroup": False},
        {"id": 3, "name": "All iPads", "isSmartGroup": True},
    ]
    static = emulator.jamf("GET", f"{PRO_GROUPS}/static-groups?page=1&page-size=1&sort=groupName:asc").body
    assert static["totalCount"] == 2 and [row["groupName"] for row in static["results"]] == ["Mattermost Corporate"]
    found = emulator.jamf("GET", f'{PRO_GROUPS}/static-groups?filter=groupName=="Mattermost BYOD"').body
    assert found == {
        "totalCount": 1,
        "results": [{"groupId": "1", "groupName": "Mattermost BYOD", "siteId": "-1", "count": 0}],
    }
    assert emulator.jamf("GET", f"{PRO_GROUPS}/smart-groups?filter=groupName==*iPad*").body["totalCount"] == 1
    bad = emulator.jamf("GET", f"{PRO_GROUPS}/static-groups?filter=colour==red")
    assert bad.status == 400 and bad.body["errors"][0]["field"] == "filter"


DEVICES = [
    {"name": "Alice iPad", "udid": "udid-1", "serial_number": "SN1", "model_display": "iPad Pro", "username": "alice"},
    {"name": "Bob iPhone", "udid": "udid-2", "serial_number": "SN2", "supervised": True},
]


def test_devices_list_and_commands(emulator):
    emulator.seed(**{"jamf/mobile_devices": DEVICES})

    rows = emulator.jamf("GET", "/JSSResource/mobiledevices").body["mobile_devices"]
    answer = emulator.jamf("POST", "/JSSResource/mobiledevicecommands/command/EraseDevice/id/1,2")
    unmanage = emulator.jamf("POST", "/JSSResource/mobiledevicecommands/command/UnmanageDevice/id/2")
    missing = emulator.jamf("POST", "/JSSResource/mobiledevicecommands/command/EraseDevice/id/1,9")

    assert rows[0]["modelDisplay"] == "iPad Pro" and rows[0]["username"] == "alice" and rows[0]["managed"] is True
    assert set(rows[0]) >= {
        "id",
        "name",
        "device_name",
        "udid",
        "serial_number",
        "phone_number",
        "wifi_mac_address",
        "managed",
        "supervised",
        "model",
        "model_identifier",
        "modelDisplay",
        "username",
    }
    assert answer.status == 201
    sent = ET.fromstring(answer.body)
    assert sent.findtext("command") == "EraseDevice" and [e.text for e in sent.iter("id")] == ["1", "2"]
    assert missing.status == 404 and HTML_PAGE in missing.body
    commands = emulator.state()["jamf/mobile_device_commands"]
    assert [(c["command"], c["mobile_device_ids"]) for c in commands] == [
        ("EraseDevice", [1, 2]),
        ("UnmanageDevice", [2]),
    ]
    assert record(emulator, "/JSSResource/mobiledevices/id/2")["general"]["managed"] is False
    assert unmanage.status == 201


def test_a_devices_inventory_subsets_give_its_installed_apps_and_profiles(emulator):
    emulator.seed(**{"jamf/mobile_devices": [{
        "general": {"name": "Alice iPad"}, "location": {"username": "alice"},
        "applications": [{"application_name": "Mattermost", "identifier": "com.mattermost.rn", "application_version": "2.21"}],
        "configuration_profiles": [{"display_name": "Mattermost device security", "uuid": "9B1C", "version": 1}]}]})

    both = record(emulator, "/JSSResource/mobiledevices/id/1/subset/General&Applications&ConfigurationProfiles")
    unknown = emulator.jamf("GET", "/JSSResource/mobiledevices/id/1/subset/Colours")

    assert set(both) == {"general", "applications", "configuration_profiles"}
    assert both["applications"][0]["identifier"] == "com.mattermost.rn"
    assert both["configuration_profiles"][0]["uuid"] == "9B1C"
    assert unknown.status == 400


# --- shared machinery -----------------------------------------------------------------------------


def test_faults_apply_to_jamf_paths_in_jamfs_error_form(emulator):
    emulator.jamf_token()
    emulator.add_fault("/jamf/JSSResource/mobiledevicegroups", 429, retry_after=7)
    emulator.add_fault(PRO_GROUPS, 503)
    throttled = emulator.jamf("GET", GROUPS)
    unavailable = emulator.jamf("GET", PRO_GROUPS)

    assert throttled.status == 429 and throttled.headers["retry-after"] == "7" and HTML_PAGE in throttled.body
    assert unavailable.status == 503 and unavailable.body["httpStatus"] == 503
    assert emulator.jamf("GET", GROUPS).status == 200


def test_a_dropped_jamf_request_is_logged(emulator):
    emulator.jamf_token()
    emulator.add_fault(GROUPS, drop=True)
    with pytest.raises(OSError):
        emulator.jamf("GET", GROUPS)
    assert emulator.requests()[-1]["status"] is None and emulator.requests()[-1]["fault"] is True


def test_the_log_keeps_xml_bodies_and_never_a_secret(emulator, groups):
    emulator.jamf("POST", f"{APPS}/id/0", app_xml())
    http_request(
        "POST", f"{emulator.jamf_url}/api/v1/auth/token", headers=basic(emulator.client_id, emulator.client_secret)
    )

    token, write, user_token = emulator.requests()
    assert token["path"] == "/jamf/api/oauth/token" and token["write"] is False
    assert token["body"]["client_secret"] == "**REDACTED**"
    assert write["write"] is True and write["body"] == app_xml() and write["status"] == 201
    assert user_token["write"] is False
    assert emulator.client_secret not in str(emulator.requests())
    assert [entry["path"] for entry in emulator.writes()] == ["/jamf/JSSResource/mobiledeviceapplications/id/0"]


def test_a_new_object_lags_in_classic_lists_but_not_by_id():
    with run_emulator(listing_delay=0.5) as emu:
        app_id = created_id(emu.jamf("POST", f"{APPS}/id/0", app_xml()))
        assert emu.jamf("GET", APPS).body == {"mobile_device_applications": []}
        assert emu.jamf("GET", f"{APPS}/id/{app_id}").status == 200
        time.sleep(0.6)
        assert len(emu.jamf("GET", APPS).body["mobile_device_applications"]) == 1


def test_seed_state_and_reset(emulator, groups):
    emulator.seed(**{"jamf/mobile_device_applications": [{"name": "Seeded", "bundle_id": "com.example"}]})
    state = emulator.state()

    assert state["jamf/mobile_device_applications"][0]["general"]["name"] == "Seeded"
    emulator.reset()
    assert all(not objects for name, objects in emulator.state().items() if name.startswith("jamf/"))
    emulator.seed(**state)
    assert emulator.state() == state
    with pytest.raises(RuntimeError, match="unknown Jamf collections"):
        emulator.seed(**{"jamf/computers": [{}]})


def test_jamf_can_sit_at_the_server_root():
    with run_emulator(jamf_path="") as emu:
        assert emu.jamf_url == emu.base_url
        assert emu.jamf("GET", PRO_GROUPS).body == []
        assert emu.graph("GET", "/groups").status == 200
