# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The EMMs' own objects as their APIs return them and backup tools keep them (see documents/).

Each document was written for these tests from the vendors' descriptions; each test states the
findings a careful reviewer would write down, with the object, its place and the line, and no more.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import formats
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_document

DOCUMENTS = Path(__file__).parent / "documents"
IOS = "iosMobileAppConfiguration"
ANDROID = "androidManagedStoreAppConfiguration"
POLICY = "in policy 'enterprises/LC00emu01/policies/company-owned'"


def read(name: str) -> bytes:
    return (DOCUMENTS / name).read_bytes()


def summary(report):
    return [(f.severity, f.code, f.key, f.line, f.location) for f in report.findings]


# name: (format, app id, findings)
EXPECTED = {
    # A backup of a settings[]-style policy: the documented key name the app never read, a typed
    # boolean behind it, and a VPN timeout in seconds.
    "graph-ios-settings.json": ("graph", None, [
        ("error", "misspelled-key", "jailbreakDetection", 23, "$.settings[2]"),
        ("warning", "short-timeout", "timeoutVPN", 33, "$.settings[4]"),
    ]),
    # The console's XML editor: the base64 plist is decoded, and its typed boolean found.
    "graph-ios-encoded.json": ("graph", None, [
        ("error", "typed-boolean", "jailbreakProtection", 13, "$.encodedSettingXml (plist line 6)"),
    ]),
    # A Graph list of three: a typed boolean in the base64 payload, a payload holding the bare
    # property list with an iOS-only key, and Outlook's, which is not Mattermost's business.
    "graph-android-list.json": ("graph", None, [
        ("error", "typed-boolean", "inAppPinCode", 14, "$.value[0].payloadJson.managedProperty[2]"),
        ("warning", "platform-unsupported", "useVPN", 26, "$.value[1].payloadJson[2]"),
        ("info", "other-app", None, 33, "$.value[2]"),
    ]),
    # The managed-apps channel: the error says so, and the keys are still checked.
    "graph-mam.json": ("graph", None, [
        ("error", "mam-channel", None, 2, "$"),
        ("error", "wrong-case-value", "inAppPinCode", 15, "$.customSettings[1]"),
        ("info", "server-name-missing", "serverName", 11, "$"),
    ]),
    # The Classic API's XML: the escaped plist keeps the file's own lines.
    "jamf-record.xml": ("jamf", "com.mattermost.rn", [
        ("error", "wrong-case-value", "blurApplicationScreen", 26, "/mobile_device_application/app_configuration/preferences"),
    ]),
    # The same record in JSON, for the beta app: the plist in a string points at its member.
    "jamf-record.json": ("jamf", "com.mattermost.rnbeta", [
        ("warning", "typed-value", "timeout", 11, "$.mobile_device_application.app_configuration.preferences"),
    ]),
    # Two assignment rules: a Boolean-typed switch fails open, BYOD uses plain http.
    "workspace-one-rules.json": ("workspace_one", None, [
        ("error", "typed-value", "copyAndPasteProtection", 16, "$.assignments[0].application_configuration[3]"),
        ("warning", "insecure-url", "serverUrl", 27, "$.assignments[1].application_configuration[0]"),
    ]),
    # A policy with Mattermost, another app, and Mattermost's id with a one-letter slip.
    "amapi-policy.json": ("amapi_policy", None, [
        ("error", "typed-boolean", "jailbreakProtection", 11, "$.applications[0].managedConfiguration.jailbreakProtection"),
        ("info", "other-app", None, 16, "$.applications[1]"),
        ("warning", "app-id-near-miss", None, 24, "$.applications[2]"),
    ]),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_each_export_gets_exactly_the_findings_a_reviewer_would_write(name):
    fmt, app_id, expected = EXPECTED[name]
    report = validate_document(read(name))
    assert (report.format, report.app_id) == (fmt, app_id)
    assert summary(report) == expected


@pytest.mark.parametrize("name", EXPECTED)
def test_the_same_findings_when_the_format_is_named(name):
    fmt, _app_id, expected = EXPECTED[name]
    assert summary(validate_document(read(name).decode("utf-8"), fmt)) == expected


def test_each_finding_names_its_object():
    subjects = {f.subject for f in validate_document(read("graph-android-list.json")).findings}
    assert subjects == {
        f"{ANDROID} 'Mattermost Android (work profile)' (id b1d2c3e4-0001-4a5b-9c8d-000000000001)",
        f"{ANDROID} 'Mattermost Android (fully managed)' (id b1d2c3e4-0003-4a5b-9c8d-000000000003)",
        f"{ANDROID} 'Outlook Android' (id b1d2c3e4-0004-4a5b-9c8d-000000000004)",
    }
    assert validate_document(read("jamf-record.xml")).findings[0].subject == "mobile device application 'Mattermost' (id 42)"
    rules = [f.subject for f in validate_document(read("workspace-one-rules.json")).findings]
    assert rules == ["assignment rule 'Mattermost company-owned' (priority 0)", "assignment rule 'Mattermost BYOD' (priority 1)"]
    assert {f.subject for f in validate_document(read("amapi-policy.json")).findings} == {
        f"com.mattermost.rn {POLICY}", f"com.example.notes {POLICY}", f"com.mattermost.rm {POLICY}"}


def test_the_mam_error_says_what_to_use_instead():
    channel = validate_document(read("graph-mam.json")).findings[0]
    assert "never reads it" in channel.message
    assert "managed-devices app configuration policy" in channel.hint


def test_another_apps_mam_configuration_is_its_own_business():
    outlook = {"@odata.type": "#microsoft.graph.targetedManagedAppConfiguration", "displayName": "Outlook",
               "customSettings": [{"name": "com.microsoft.outlook.Mail.FocusedInbox", "value": "false"}]}
    assert [f.code for f in validate_document(json.dumps(outlook)).findings] == ["other-app"]


def test_a_near_miss_names_the_right_id_and_the_checks_still_run():
    near, *rest = [f for f in validate_document(read("amapi-policy.json")).findings if f.subject.startswith("com.mattermost.rm")]
    assert "'com.mattermost.rm'" in near.message and near.hint == "did you mean 'com.mattermost.rn'?"
    assert rest == []  # its keys are right: nothing else to say
    wrong_case = {"packageId": "app:com.Mattermost.RN", "payloadJson": json.dumps([{"key": "inAppPinCode", "valueBool": True}])}
    codes = [f.code for f in validate_document(json.dumps(wrong_case)).findings]
    assert codes == ["app-id-near-miss", "typed-boolean"]


def test_errors_never_hide_warnings():
    payload = [{"key": "serverUrl"}, {"key": "timeout", "valueString": "30"}, {"key": "allowOtherServers", "valueString": "false"}]
    android = {"@odata.type": "#microsoft.graph." + ANDROID, "packageId": "app:com.mattermost.rn",
               "payloadJson": base64.b64encode(json.dumps(payload).encode()).decode()}
    codes = [f.code for f in validate_document(json.dumps({"value": [android]})).findings]
    assert codes == ["managed-property-grammar", "short-timeout", "lock-without-server"]


def test_a_payload_stored_decoded_keeps_its_own_lines():
    document = ('{"@odata.type": "#microsoft.graph.androidManagedStoreAppConfiguration",\n'
                ' "packageId": "app:com.mattermost.rn",\n'
                ' "payloadJson": {"managedProperty": [\n'
                '   {"key": "serverUrl", "valueString": "https://chat.example.com"},\n'
                '   {"key": "inAppPinCode", "valueBool": true}]}}')
    assert [(f.code, f.line) for f in validate_document(document).findings] == [("typed-boolean", 5), ("server-name-missing", 4)]


@pytest.mark.parametrize("payload, words", [
    ("bm90IGpzb24=", "payloadJson holds malformed JSON"),
    ("%%%", "neither base64 text nor JSON"),
])
def test_an_undecodable_payload_is_one_clear_error(payload, words):
    document = {"@odata.type": "#microsoft.graph." + ANDROID, "packageId": "app:com.mattermost.rn", "payloadJson": payload}
    (finding,) = validate_document(json.dumps(document)).findings
    assert finding.severity == "error" and words in finding.message and finding.location == "$.payloadJson"


def test_a_backup_without_odata_type_is_still_read():
    document = {"displayName": "Mattermost iOS", "id": "1", "settings": [
        {"appConfigKey": "inAppPinCode", "appConfigKeyType": "booleanType", "appConfigKeyValue": "true"}]}
    report = validate_document(json.dumps(document))
    assert (report.format, [f.code for f in report.findings]) == ("graph", ["typed-boolean"])


def test_other_graph_objects_in_a_list_are_skipped_with_a_note():
    listing = {"value": [{"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "settings": [
        {"appConfigKey": "serverUrl", "appConfigKeyType": "stringType", "appConfigKeyValue": "https://chat.example.com"},
        {"appConfigKey": "serverName", "appConfigKeyType": "stringType", "appConfigKeyValue": "Chat"}]},
        {"@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration", "passcodeRequired": True}]}
    (note,) = validate_document(json.dumps(listing)).findings
    assert (note.severity, note.code, note.location) == ("info", "not-app-configuration", "$.value[1]")


def test_an_ios_policy_of_another_app_is_recognised_by_its_keys():
    document = {"@odata.type": "#microsoft.graph." + IOS, "displayName": "Outlook", "settings": [
        {"appConfigKey": "IntuneMAMAllowedAccountsOnly", "appConfigKeyType": "stringType", "appConfigKeyValue": "Enabled"},
        {"appConfigKey": "com.microsoft.outlook.Mail.FocusedInbox", "appConfigKeyType": "booleanType", "appConfigKeyValue": "false"}]}
    # An Intune SDK key travels with Mattermost's too: with one, the keys are judged as Mattermost's.
    codes = [f.code for f in validate_document(json.dumps(document)).findings]
    assert codes == ["intune-sdk-key", "unknown-key"]
    document["settings"].pop(0)
    assert [f.code for f in validate_document(json.dumps(document)).findings] == ["other-app"]


@pytest.mark.parametrize("document, what", [
    ('{"@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration", "passcodeRequired": true}',
     "a Graph #microsoft.graph.iosGeneralDeviceConfiguration"),
    ('{"policies": [{"name": "p1"}], "enterprise": {"id": 1}}', "a JSON object with policies, enterprise"),
    ('[1, 2]', "a JSON array that is not a list of Graph app configurations"),
    ('"serverUrl"', "a JSON string"),
    ("<configuration><serverUrl>https://chat.example.com</serverUrl></configuration>", "the root <configuration>"),
    ("serverUrl = https://chat.example.com", "neither XML nor JSON"),
])
def test_an_unknown_shape_is_one_error_listing_the_formats_read(document, what):
    (finding,) = validate_document(document).findings
    assert (finding.severity, finding.code) == ("error", "unknown-format")
    assert what in finding.message
    assert ", ".join(formats.READ_FORMATS) in finding.message


@pytest.mark.parametrize("fmt, document", [
    ("jamf", '{"general": {"name": "x"}}'),
    ("workspace_one", '{"assignments": "none"}'),
    ("amapi_policy", '{"name": "p"}'),
    ("graph", '{"name": "p"}'),
])
def test_a_named_export_format_that_does_not_fit_says_so(fmt, document):
    (finding,) = validate_document(document, fmt).findings
    assert (finding.severity, finding.code) == ("error", "json-grammar")
    assert finding.message.startswith("the document is not ")


def test_a_jamf_record_without_a_configuration_says_so():
    record = "<mobile_device_application><general><id>1</id><bundle_id>com.mattermost.rn</bundle_id></general></mobile_device_application>"
    (finding,) = validate_document(record).findings
    assert (finding.severity, finding.code) == ("info", "no-configuration")


def test_a_broken_plist_inside_a_jamf_record_points_into_the_file():
    record = read("jamf-record.xml").decode().replace("&lt;/dict&gt;</preferences>", "</preferences>")
    codes = [(f.severity, f.code, f.line) for f in validate_document(record).findings]
    assert codes[0][:2] == ("error", "malformed-xml") and codes[0][2] >= 18


def test_a_workspace_one_string_item_needs_a_string_value():
    rules = {"assignments": [{"distribution": {"name": "r"}, "application_configuration": [
        {"key": "timeout", "value": 30000, "type": 1}, {"key": "vendor", "value": "Example", "type": "String"}]}]}
    (finding,) = validate_document(json.dumps(rules)).findings
    assert (finding.code, finding.key) == ("workspace-one-grammar", "timeout")
