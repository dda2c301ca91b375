# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Jamf Pro vendor over real HTTP against scripted answers in Jamf's shapes: both ways in and
their renewal, the context path, the load balancer's cookie, Classic HTML errors, the 400 of a
delete that worked, and the engine driving a create."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import parse_xml
from ansible_collections.mattermost.emm.plugins.module_utils.emm import engine, jamf
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import Provider, ProviderError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.jamf import records
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import ApiError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppSpec, DeviceActionSpec, GroupTarget, parse

SECRET = "s3cr3t-Jamf"
CREATED = "<?xml version='1.0' encoding='UTF-8'?><mobile_device_application><id>41</id></mobile_device_application>"
CLASSIC_409 = ('<html><head><title>Status page</title></head><body><p>Conflict</p><p>Error: Duplicate name</p>'
               '<p>You can get technical details <a href="http://example.com">here</a>.</p></body></html>')


def api_client(server, **settings) -> jamf.JamfVendor:
    return jamf.connect({"url": f"{server.base_url}/jamf", "client_id": "mm-client", "client_secret": SECRET, **settings})


def token_answer(server, token="tok-1", expires_in=60):
    server.answer(200, {"access_token": token, "scope": "api-role:1", "token_type": "Bearer", "expires_in": expires_in})


def test_an_api_client_posts_its_form_under_the_context_path_without_scope(scripted):
    token_answer(scripted)
    scripted.answer(200, [{"id": 1, "name": "Mattermost BYOD", "isSmartGroup": False}])
    vendor = api_client(scripted)

    assert vendor.group_ids([GroupTarget(group="Mattermost BYOD")]) == {"Mattermost BYOD": "1"}
    token_request, groups_request = scripted.received
    assert token_request.path == "/jamf/api/oauth/token"
    assert parse_qs(token_request.body.decode()) == {"grant_type": ["client_credentials"], "client_id": ["mm-client"],
                                                     "client_secret": [SECRET]}
    assert groups_request.path == "/jamf/api/v1/mobile-device-groups"
    assert groups_request.headers["authorization"] == "Bearer tok-1"


def test_a_401_renews_the_token_once(scripted):
    token_answer(scripted, "tok-1")
    scripted.answer(401, {"httpStatus": 401, "errors": []})
    token_answer(scripted, "tok-2")
    scripted.answer(200, [])
    vendor = api_client(scripted)

    assert vendor.group_ids([]) == {} and not scripted.received  # nothing to resolve, nothing asked
    vendor.client.request("GET", "/api/v1/mobile-device-groups")
    assert [r.headers.get("authorization") for r in scripted.received[1::2]] == ["Bearer tok-1", "Bearer tok-2"]


def test_a_user_account_gets_its_token_with_basic_and_renews_it_before_it_expires(scripted):
    scripted.answer(200, {"token": "user-tok-1", "expires": "2000-01-01T00:00:00.000Z"})  # already past: renew next time
    scripted.answer(200, [])
    scripted.answer(200, {"token": "user-tok-2", "expires": "2999-01-01T00:00:00Z"})
    scripted.answer(200, [])
    scripted.answer(200, [])
    vendor = jamf.connect({"url": scripted.base_url, "username": "admin", "password": SECRET})

    for attempt in range(3):
        assert vendor.client.request("GET", "/api/v1/mobile-device-groups").status == 200, attempt

    paths = [request.path for request in scripted.received]
    assert paths == ["/api/v1/auth/token", "/api/v1/mobile-device-groups"] * 2 + ["/api/v1/mobile-device-groups"]
    basic = base64.b64encode(f"admin:{SECRET}".encode()).decode()
    assert scripted.received[0].headers["authorization"] == f"Basic {basic}"
    assert scripted.received[4].headers["authorization"] == "Bearer user-tok-2"
    assert basic not in "\n".join(vendor.client.log) and SECRET not in "\n".join(vendor.client.log)


def test_the_load_balancer_cookie_is_kept(scripted):
    token_answer(scripted)
    scripted.answer(200, {"mobile_devices": []}, {"Set-Cookie": "APBALANCEID=aws.usw2-node-3; Path=/"})
    scripted.answer(200, {"mobile_devices": []})
    vendor = api_client(scripted)

    vendor.client.request("GET", "/JSSResource/mobiledevices")
    vendor.client.request("GET", "/JSSResource/mobiledevices")
    assert scripted.received[2].headers.get("cookie") == "APBALANCEID=aws.usw2-node-3"


def test_a_classic_html_error_becomes_one_sentence_without_secrets(scripted):
    token_answer(scripted, SECRET + "-token")
    scripted.answer(409, CLASSIC_409 + f"<!-- {SECRET} -->", {"Content-Type": "text/html;charset=UTF-8"})
    vendor = api_client(scripted)

    with pytest.raises(ApiError) as caught:
        vendor.client.request("POST", "/JSSResource/mobiledeviceapplications/id/0", body="<x/>")
    assert str(caught.value).endswith("/jamf/JSSResource/mobiledeviceapplications/id/0: 409: Duplicate name")
    assert SECRET not in str(caught.value) + repr(caught.value.body) + "\n".join(vendor.client.log)


def test_a_delete_answered_400_that_worked_is_a_success(scripted):
    token_answer(scripted)
    scripted.answer(400, CLASSIC_409.replace("Conflict", "Bad Request"))
    scripted.answer(404, "")
    vendor = api_client(scripted)
    current = engine.Actual(engine.APP, "com.mattermost.rn", "41", {}, owned=True)

    work = engine.plan([engine.Desired(engine.APP, "com.mattermost.rn", {}, present=False)], [current])
    assert Provider(vendor, settle_seconds=0).apply(work)[0]["action"] == engine.DELETE
    assert [(r.method, r.path) for r in scripted.received[1:]] == [
        ("DELETE", "/jamf/JSSResource/mobiledeviceapplications/id/41"),
        ("GET", "/jamf/JSSResource/mobiledeviceapplications/id/41"),
    ]


def test_a_delete_answered_400_that_did_not_work_is_raised(scripted):
    token_answer(scripted)
    scripted.answer(400, CLASSIC_409.replace("Duplicate name", "Unable to delete"))
    scripted.answer(200, {"mobile_device_application": {"general": {"id": 41}}})
    vendor = api_client(scripted)
    current = engine.Actual(engine.APP, "com.mattermost.rn", "41", {}, owned=True)

    with pytest.raises(ApiError, match="400: Unable to delete"):
        Provider(vendor, settle_seconds=0).apply(
            engine.plan([engine.Desired(engine.APP, "com.mattermost.rn", {}, present=False)], [current]))


def test_the_engine_creates_the_app_record_with_its_scope_in_one_post(scripted):
    token_answer(scripted)
    scripted.answer(200, [{"id": 7, "name": "Mattermost corporate"}])
    scripted.answer(200, {"mobile_device_applications": [{"id": 3, "name": "Other", "bundle_id": "com.example.other"}]})
    scripted.answer(201, CREATED, {"Content-Type": "text/xml;charset=UTF-8"})
    # After the create, the records are listed again for a same-named twin: there is none.
    scripted.answer(200, {"mobile_device_applications": [{"id": 41, "name": "Mattermost", "bundle_id": "com.mattermost.rn"}]})
    scripted.answer(200, {"mobile_device_application": {"general": {"id": 41, "bundle_id": "com.mattermost.rn",
                                                                    "description": records.APP_DESCRIPTION}}})
    provider = Provider(api_client(scripted), settle_seconds=0)

    work = provider.plan_apps(parse(AppSpec, {"platforms": ["ios"], "assignments": [{"group": "Mattermost corporate"}]}))
    results = provider.apply(work)

    assert results == [{"action": "create", "kind": "app", "name": "com.mattermost.rn", "type": None, "id": "41"}]
    [post] = [request for request in scripted.received if request.method == "POST" and "/JSSResource/" in request.path]
    assert (post.method, post.path, post.headers["content-type"]) == (
        "POST", "/jamf/JSSResource/mobiledeviceapplications/id/0", "application/xml")
    root = parse_xml(post.body).getroot()
    assert root.findtext("general/bundle_id") == "com.mattermost.rn"
    assert root.findtext("scope/mobile_device_groups/mobile_device_group/id") == "7"
    assert [r.path for r in scripted.received].count("/jamf/JSSResource/mobiledeviceapplications/id/3") == 0


def test_a_missing_or_ambiguous_group_fails_before_any_write(scripted):
    token_answer(scripted)
    scripted.answer(200, [{"id": 7, "name": "Twice"}, {"id": 9, "name": "Twice"}])
    vendor = api_client(scripted)
    with pytest.raises(engine.DuplicateObjects, match="ids: 7, 9"):
        vendor.group_ids([GroupTarget(group="Twice")])

    scripted.answer(200, [])
    with pytest.raises(ProviderError, match="no mobile device group named 'Nope'"):
        vendor.group_ids([GroupTarget(group="Nope")])
    assert all(request.method in ("GET", "POST") and "JSSResource" not in request.path for request in scripted.received)


@pytest.mark.parametrize(("settings", "says"), [
    ({"url": "jamf.example.com", "client_id": "a", "client_secret": "b"}, "is not a Jamf Pro URL"),
    ({"url": "https://jamf.example.com", "client_id": "a"}, "needs client_id and client_secret"),
])
def test_bad_settings_fail_before_any_request(settings, says):
    with pytest.raises(ProviderError, match=says):
        jamf.connect(settings)


DEVICES = {"mobile_devices": [
    {"id": 11, "name": "Ana's iPhone", "serial_number": "F17ABC", "username": "ana", "model": "iPhone 15"},
    {"id": 12, "name": "Ana's iPad", "serial_number": "DMQXYZ", "username": "ana", "model": "iPad Air"},
    {"id": 13, "name": "Bo's iPhone", "serial_number": "G0BO01", "username": "bo", "model": "iPhone 14"},
]}


def test_a_wipe_erases_the_selected_devices_in_one_command(scripted):
    token_answer(scripted)
    scripted.answer(200, DEVICES)
    scripted.answer(201, "<mobile_device_command><id>5</id></mobile_device_command>", {"Content-Type": "text/xml"})
    provider = Provider(api_client(scripted), settle_seconds=0)
    spec = parse(DeviceActionSpec, {"action": "wipe", "devices": [{"user": "ANA"}], "max_devices": 2})

    devices = provider.select_devices(spec)
    done = provider.device_action(spec, devices)

    assert [device["id"] for device in done] == ["11", "12"] and done[0]["requested"] == "wipe"
    assert scripted.received[-1].method == "POST"
    assert scripted.received[-1].path == "/jamf/JSSResource/mobiledevicecommands/command/EraseDevice/id/11,12"


def test_a_retire_unmanages_and_the_cap_holds_before_anything_is_sent(scripted):
    token_answer(scripted)
    scripted.answer(200, DEVICES)
    provider = Provider(api_client(scripted), settle_seconds=0)

    with pytest.raises(ProviderError, match="more than max_devices=1"):
        provider.select_devices(parse(DeviceActionSpec, {"action": "retire", "devices": [{"user": "ana"}]}))
    scripted.answer(200, DEVICES)
    scripted.answer(201, "<mobile_device_command/>")
    spec = parse(DeviceActionSpec, {"action": "retire", "devices": [{"serial_number": "g0bo01"}]})
    provider.device_action(spec, provider.select_devices(spec))
    assert scripted.received[-1].path == "/jamf/JSSResource/mobiledevicecommands/command/UnmanageDevice/id/13"


@pytest.mark.parametrize(("fields", "says"), [
    ({"action": "selective_wipe", "devices": [{"user": "ana"}]}, "offers no 'selective_wipe'"),
    ({"action": "wipe", "devices": [{"id": "11"}], "keep_user_data": True}, "keep_user_data true has no Jamf Pro"),
])
def test_what_jamf_cannot_do_to_devices_is_refused_before_any_request(scripted, fields, says):
    with pytest.raises(ProviderError, match=says):
        Provider(api_client(scripted), settle_seconds=0).select_devices(parse(DeviceActionSpec, fields))
    assert not scripted.received


def app_record(preferences: str) -> dict:
    return {"mobile_device_application": {
        "general": {"id": 3, "name": "Mattermost", "bundle_id": "com.mattermost.rn",
                    "deployment_type": "Make Available in Self Service", "description": "console-made"},
        "scope": {"all_mobile_devices": False, "mobile_device_groups": [{"id": 8, "name": "Mattermost BYOD"}],
                  "exclusions": {"mobile_device_groups": []}},
        "app_configuration": {"preferences": preferences}}}


def test_the_inventory_audits_the_app_records_appconfig(scripted):
    token_answer(scripted)
    scripted.answer(200, {"mobile_device_applications": [{"id": 3, "name": "Mattermost", "bundle_id": "com.mattermost.rn"}]})
    scripted.answer(200, app_record("<dict><key>inAppPinCode</key><true/><key>serverUrl</key>"
                                    "<string>https://chat.example.com</string></dict>"))
    scripted.answer(200, {"configuration_profiles": [{"id": 5, "name": "Wi-Fi"}]})
    scripted.answer(200, {"configuration_profile": {"general": {"id": 5, "name": "Wi-Fi", "description": "", "payloads": ""}}})
    found = Provider(api_client(scripted), settle_seconds=0).inventory(["com.mattermost.rn"])

    assert set(found) == {"apps", "app_configurations", "managed_app_configurations", "device_profiles",
                          "app_protections", "groups"}
    (app,) = found["apps"]
    assert (app["id"], app["app_id"], app["owned"], app["assignments"]) == (
        "3", "com.mattermost.rn", False, [{"target": "include:8"}])
    (configuration,) = found["app_configurations"]
    assert configuration["settings"] == {"inAppPinCode": "<boolean>true", "serverUrl": "https://chat.example.com"}
    assert "inAppPinCode" in {finding["key"] for finding in configuration["findings"]}
    assert found["device_profiles"] == [] and found["groups"] == {"8": "Mattermost BYOD"}
