# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Android Management emulator at {base}/amapi: the JWT bearer exchange, policies and their
application changes, the app's managed properties, devices with paging and lagging versions,
body checks against the discovery document, faults and the request log."""

import time

import pytest

pytest.importorskip("cryptography", reason="cryptography is not installed (requirements.txt lists it)")
from tests.emulator.amapi.auth import GOOGLE_TOKEN_URI, assertion  # noqa: E402
import needs_specs

E = "/v1/enterprises/LC00emu01"
P = f"{E}/policies"
RN = "com.mattermost.rn"
OTHERS = [{"packageName": "com.android.chrome", "installType": "FORCE_INSTALLED"},
          {"packageName": "com.google.android.gm", "installType": "AVAILABLE"},
          {"packageName": "com.microsoft.teams", "installType": "BLOCKED"}]


@pytest.fixture
def amapi(emulator):
    return emulator


def _policy(amapi, name, **fields):
    return amapi.seed(**{"amapi/policies": [{"name": name, **fields}]})["amapi/policies"][0]


# Tokens ---------------------------------------------------------------------------------------

def test_the_key_file_gets_a_token_with_google_s_fixed_audience_or_the_token_uri(amapi):
    key = amapi.amapi_key()
    for audience in (GOOGLE_TOKEN_URI, key["token_uri"]):
        answer = amapi.fetch_amapi_token(assertion(key, audience=audience))
        assert answer.status == 200, answer.body
        assert answer.body["token_type"] == "Bearer" and answer.body["expires_in"] == 3600
    assert key["type"] == "service_account" and key["token_uri"] == f"{amapi.base_url}/amapi/token"


@pytest.mark.parametrize("change, said", [
    ({"audience": "https://example.com/token"}, "audience"),
    ({"scope": "https://www.googleapis.com/auth/cloud-platform"}, "scope"),
    ({"lifetime": 7200}, "short-lived"),
    ({"now": time.time() - 7200}, "timeframe"),
])
def test_a_wrong_assertion_is_invalid_grant(amapi, change, said):
    answer = amapi.fetch_amapi_token(assertion(amapi.amapi_key(), **change))
    assert answer.status == 400 and answer.body["error"] == "invalid_grant"
    assert said in answer.body["error_description"]


def test_a_forged_signature_is_refused(amapi):
    key = amapi.amapi_key()
    header, claims, signature = assertion(key).split(".")
    forged = f"{header}.{claims}.{signature[:-4]}AAAA"
    answer = amapi.fetch_amapi_token(forged)
    assert answer.status == 400 and answer.body["error_description"] == "Invalid JWT Signature."


def test_api_calls_need_a_live_token_and_expire_with_the_others(amapi):
    assert amapi.amapi("GET", P, token="nope").status == 401
    token = amapi.amapi_token()
    assert amapi.amapi("GET", P, token=token).status == 200
    amapi.expire_tokens()
    answer = amapi.amapi("GET", P, token=token)
    assert answer.status == 401 and answer.body["error"]["status"] == "UNAUTHENTICATED"


def test_the_token_request_is_logged_with_its_assertion_redacted(amapi):
    amapi.amapi_token()
    entry = amapi.requests()[0]
    assert entry["path"] == "/amapi/token" and not entry["write"]
    assert entry["body"]["assertion"] != assertion(amapi.amapi_key())[:10] and "eyJ" not in entry["body"]["assertion"]


# Policies -------------------------------------------------------------------------------------

def test_patch_creates_then_each_change_bumps_the_version_as_an_int64_string(amapi):
    created = amapi.amapi("PATCH", f"{P}/work?alt=json&updateMask=screenCaptureDisabled", {"screenCaptureDisabled": True})
    again = amapi.amapi("PATCH", f"{P}/work?updateMask=screenCaptureDisabled", {"screenCaptureDisabled": False})
    assert created.status == 200 and created.body["version"] == "1"
    assert again.body == {"name": "enterprises/LC00emu01/policies/work", "screenCaptureDisabled": False, "version": "2"}


def test_a_masked_patch_changes_only_the_masked_fields(amapi):
    _policy(amapi, "work", applications=OTHERS, statusBarDisabled=True)
    answer = amapi.amapi("PATCH", f"{P}/work?updateMask=screenCaptureDisabled,crossProfilePolicies.crossProfileCopyPaste",
                         {"screenCaptureDisabled": True,
                          "crossProfilePolicies": {"crossProfileCopyPaste": "COPY_FROM_WORK_TO_PERSONAL_DISALLOWED"}})
    assert answer.status == 200
    assert answer.body["applications"] == OTHERS and answer.body["statusBarDisabled"] is True
    assert answer.body["crossProfilePolicies"] == {"crossProfileCopyPaste": "COPY_FROM_WORK_TO_PERSONAL_DISALLOWED"}


def test_a_patch_without_mask_overwrites_every_field(amapi):
    _policy(amapi, "work", applications=OTHERS, statusBarDisabled=True)
    answer = amapi.amapi("PATCH", f"{P}/work", {"screenCaptureDisabled": True})
    assert answer.body == {"name": "enterprises/LC00emu01/policies/work", "screenCaptureDisabled": True, "version": "2"}


@needs_specs.GOOGLE
@pytest.mark.parametrize("path, body, said", [
    (f"{P}/work?updateMask=screenCaptureDisabled", {"screenCaptureDisabld": True}, 'Unknown name "screenCaptureDisabld"'),
    (f"{P}/work?updateMask=passwordPolicies", {"passwordPolicies": [{"passwordQuality": "STRONG"}]}, '"STRONG"'),
    (f"{P}/work?updateMask=screenCaptureDisabled", {"screenCaptureDisabled": "yes"}, "TYPE_BOOL"),
    (f"{P}/work?updateMask=version", {"version": "7"}, "not a modifiable field"),
    (f"{P}/work?updateMask=screenCaptureDisabled&mask=1", {}, 'Unknown name "mask"'),
])
def test_bodies_masks_and_parameters_are_checked_against_the_discovery_document(amapi, path, body, said):
    answer = amapi.amapi("PATCH", path, body)
    assert answer.status == 400 and answer.body["error"]["status"] == "INVALID_ARGUMENT"
    assert answer.body["error"]["code"] == 400 and said in answer.body["error"]["message"]
    assert amapi.state()["amapi/policies"] == []


def test_modify_adds_or_changes_only_the_named_app_and_remove_ignores_unknown_names(amapi):
    _policy(amapi, "work", applications=OTHERS)
    added = amapi.amapi("POST", f"{P}/work:modifyPolicyApplications",
                        {"changes": [{"application": {"packageName": RN, "installType": "FORCE_INSTALLED",
                                                      "managedConfiguration": {"serverUrl": "https://chat.example.com"}}}]})
    masked = amapi.amapi("POST", f"{P}/work:modifyPolicyApplications",
                         {"changes": [{"application": {"packageName": RN, "installType": "AVAILABLE"},
                                       "updateMask": "installType"}]})
    removed = amapi.amapi("POST", f"{P}/work:removePolicyApplications", {"packageNames": [RN, "com.example.none"]})
    assert added.status == masked.status == removed.status == 200
    assert added.body["policy"]["applications"][:3] == OTHERS and added.body["policy"]["version"] == "2"
    assert masked.body["policy"]["applications"][3] == {
        "packageName": RN, "installType": "AVAILABLE", "managedConfiguration": {"serverUrl": "https://chat.example.com"}}
    assert removed.body["policy"]["applications"] == OTHERS and removed.body["policy"]["version"] == "4"


def test_modify_on_a_missing_policy_is_not_found(amapi):
    answer = amapi.amapi("POST", f"{P}/none:modifyPolicyApplications", {"changes": []})
    assert answer.status == 404 and answer.body["error"]["status"] == "NOT_FOUND"


@pytest.mark.parametrize("config, said", [({"serverURL": "https://x"}, 'no managed property "serverURL"'),
                                          ({"timeout": 10000}, "of type STRING")])
def test_a_managed_configuration_is_checked_against_the_app_s_managed_properties(amapi, config, said):
    _policy(amapi, "work")
    answer = amapi.amapi("POST", f"{P}/work:modifyPolicyApplications",
                         {"changes": [{"application": {"packageName": RN, "managedConfiguration": config}}]})
    assert answer.status == 400 and said in answer.body["error"]["message"]


def test_mattermost_declares_eleven_string_managed_properties(amapi):
    answer = amapi.amapi("GET", f"{E}/applications/{RN}")
    assert answer.status == 200
    assert len(answer.body["managedProperties"]) == 11
    assert {prop["type"] for prop in answer.body["managedProperties"]} == {"STRING"}
    assert amapi.amapi("GET", f"{E}/applications/com.example.none").status == 404


def test_a_policy_a_device_follows_cannot_be_deleted(amapi):
    _policy(amapi, "work")
    _policy(amapi, "spare")
    amapi.seed(**{"amapi/devices": [{"name": "d1", "policyName": "work"}]})
    refused = amapi.amapi("DELETE", f"{P}/work")
    assert refused.status == 400 and refused.body["error"]["status"] == "FAILED_PRECONDITION"
    assert amapi.amapi("DELETE", f"{P}/spare").status == 200
    assert [policy["name"] for policy in amapi.state()["amapi/policies"]] == ["enterprises/LC00emu01/policies/work"]


def test_another_enterprise_is_permission_denied(amapi):
    answer = amapi.amapi("GET", "/v1/enterprises/LC99other/policies")
    assert answer.status == 403 and answer.body["error"]["status"] == "PERMISSION_DENIED"


# Devices --------------------------------------------------------------------------------------

def test_devices_page_ten_by_default_and_a_hundred_at_most(amapi):
    _policy(amapi, "work")
    amapi.seed(**{"amapi/devices": [{"name": f"d{index:03}", "policyName": "work"} for index in range(105)]})
    first = amapi.amapi("GET", f"{E}/devices")
    big = amapi.amapi("GET", f"{E}/devices?pageSize=500")
    rest = amapi.amapi("GET", f"{E}/devices?pageSize=500&pageToken={big.body['nextPageToken']}")
    assert len(first.body["devices"]) == 10 and "nextPageToken" in first.body
    assert len(big.body["devices"]) == 100 and len(rest.body["devices"]) == 5 and "nextPageToken" not in rest.body


def test_applied_versions_lag_until_the_devices_sync(amapi):
    _policy(amapi, "work")
    amapi.seed(**{"amapi/devices": [{"name": "d1", "policyName": "work"}]})
    amapi.amapi("PATCH", f"{P}/work?updateMask=screenCaptureDisabled", {"screenCaptureDisabled": True})
    lagging = amapi.amapi("GET", f"{E}/devices/d1").body
    synced = amapi.amapi_sync()[0]
    assert (lagging["appliedPolicyVersion"], synced["appliedPolicyVersion"]) == ("1", "2")


def test_deleting_a_personal_device_removes_its_work_profile_only_and_is_recorded(amapi):
    amapi.seed(**{"amapi/devices": [{"name": "byod", "ownership": "PERSONALLY_OWNED"}, {"name": "cope"}]})
    assert amapi.amapi("DELETE", f"{E}/devices/byod?wipeDataFlags=WIPE_EXTERNAL_STORAGE"
                                 "&wipeDataFlags=WIPE_ESIMS&wipeReasonMessage=lost").status == 200
    assert amapi.amapi("DELETE", f"{E}/devices/cope").status == 200
    bad = amapi.amapi("DELETE", f"{E}/devices/none")
    assert bad.status == 404
    assert amapi.state()["amapi/wipes"] == [
        {"device": "enterprises/LC00emu01/devices/byod", "wipeDataFlags": ["WIPE_EXTERNAL_STORAGE", "WIPE_ESIMS"],
         "wipeReasonMessage": "lost", "removed": "work_profile"},
        {"device": "enterprises/LC00emu01/devices/cope", "wipeDataFlags": [], "wipeReasonMessage": "",
         "removed": "device"}]
    assert amapi.state()["amapi/devices"] == []


# Faults, log, reset ---------------------------------------------------------------------------

def test_a_throttling_fault_is_google_s_resource_exhausted_with_retry_after(amapi):
    amapi.add_fault("/amapi/v1/", 429)
    answer = amapi.amapi("GET", P)
    assert answer.status == 429 and answer.body["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert answer.headers["retry-after"] == "1" and amapi.amapi("GET", P).status == 200


def test_writes_are_logged_and_reset_empties_the_enterprise(amapi):
    _policy(amapi, "work")
    amapi.amapi("POST", f"{P}/work:removePolicyApplications", {"packageNames": [RN]})
    writes = amapi.writes()
    assert [(entry["method"], entry["path"]) for entry in writes] == [
        ("POST", "/amapi/v1/enterprises/LC00emu01/policies/work:removePolicyApplications")]
    amapi.reset()
    state = amapi.state()
    assert state["amapi/policies"] == [] and len(state["amapi/applications"]) == 2


def test_an_unknown_collection_cannot_be_seeded(amapi):
    with pytest.raises(RuntimeError, match="amapi/enrollmentTokens"):
        amapi.seed(**{"amapi/enrollmentTokens": [{}]})
