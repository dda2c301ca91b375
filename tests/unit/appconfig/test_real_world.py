# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Documents as people meet them: templates, console exports and pasted fragments (see documents/).

Each test states exactly the findings a careful reviewer would write down after reading the
document, with the line numbers of the file, and nothing else: no false errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ansible.parsing.yaml.loader import AnsibleLoader

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import formats
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_config, validate_document

DOCUMENTS = Path(__file__).parent / "documents"


def read(name: str) -> bytes:
    return (DOCUMENTS / name).read_bytes()


def summary(report):
    return [(f.severity, f.code, f.key, f.line) for f in report.findings]


# A specfile serves both platforms: each iOS-only key it holds gets a note.
IOS_VPN_NOTES = [("info", "platform-only-key", "useVPN", 45), ("info", "platform-only-key", "timeoutVPN", 51)]

# name: (format, app id, findings)
EXPECTED = {
    # The deployment guide's template: the documented key name the app never read, and a VPN
    # timeout written in seconds although the app reads milliseconds; its VPN keys reach iOS only.
    "mattermost-docs-template.xml": ("specfile", "com.mattermost.rn", [
        ("error", "misspelled-key", "jailBreakDetection", 20),
        ("warning", "short-timeout", "timeoutVPN", 51),
    ] + IOS_VPN_NOTES),
    # Pasted into Intune: correct, with the Intune App SDK's own key alongside.
    "intune-ios-fragment.plist": ("plist", None, [
        ("info", "intune-sdk-key", "IntuneMAMUPN", 18),
    ]),
    # Exported from Workspace ONE with a user variable for the login id: nothing to report.
    "workspace-one-specfile.xml": ("specfile", "com.mattermost.rn", []),
    # Typed by hand in Jamf: a plist boolean and a capitalised "True" both leave the switch off.
    "jamf-ios.plist": ("plist", None, [
        ("error", "typed-boolean", "inAppPinCode", 11),
        ("error", "wrong-case-value", "blurApplicationScreen", 13),
    ]),
    # Play EMM JSON with native types: the switches fail open, the integer timeout is merely typed.
    "play-managed-configuration.json": ("managed_properties", "com.mattermost.rn", [
        ("error", "typed-boolean", "inAppPinCode", 14),
        ("error", "typed-boolean", "allowOtherServers", 18),
        ("warning", "typed-value", "timeout", 22),
    ]),
    # Another app's specfile: its integer and boolean keys are its business, not errors.
    "other-app-specfile.xml": ("specfile", "com.example.field-app", [
        ("info", "other-app", None, 4),
    ]),
    # A whole AMAPI ApplicationPolicy, all strings: clean.
    "amapi-application-policy.json": ("amapi", "com.mattermost.rn", []),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_each_document_gets_exactly_the_findings_a_reviewer_would_write(name):
    fmt, app_id, expected = EXPECTED[name]
    report = validate_document(read(name))
    assert (report.format, report.app_id) == (fmt, app_id)
    assert summary(report) == expected


@pytest.mark.parametrize("name", EXPECTED)
def test_the_same_findings_when_the_format_is_named_and_the_text_is_decoded(name):
    fmt, _app_id, expected = EXPECTED[name]
    assert summary(validate_document(read(name).decode("utf-8"), fmt)) == expected


@pytest.mark.parametrize("name", ["intune-ios-fragment.plist", "jamf-ios.plist", "play-managed-configuration.json",
                                  "mattermost-docs-template.xml"])
def test_a_copy_saved_by_a_windows_editor_reports_the_same_lines(name):
    windows = b"\xef\xbb\xbf" + read(name).replace(b"\n", b"\r\n")
    assert summary(validate_document(windows)) == EXPECTED[name][2]


def test_the_docs_template_messages_tell_the_reader_what_to_change():
    key, timeout = [f for f in validate_document(read("mattermost-docs-template.xml")).findings if f.severity != "info"]
    assert "jailbreakProtection" in key.message and key.hint == "rename the key to jailbreakProtection"
    assert "not seconds" in timeout.message and timeout.hint == 'did you mean "30000"?'


def test_the_docs_template_is_clean_once_the_hints_are_followed():
    fixed = (read("mattermost-docs-template.xml").decode()
             .replace('keyName="jailBreakDetection"', 'keyName="jailbreakProtection"')
             .replace("<value>30</value>", "<value>30000</value>"))
    report = validate_document(fixed)
    assert summary(report) == IOS_VPN_NOTES


def test_the_docs_template_fails_a_strict_review_and_the_intune_fragment_passes():
    assert validate_document(read("mattermost-docs-template.xml")).failed()
    assert not validate_document(read("intune-ios-fragment.plist")).failed(strict=True)


def test_the_intune_fragment_carries_the_variable_as_written():
    parsed = formats.parse(read("intune-ios-fragment.plist"))
    assert parsed.settings()["username"] == "{{userprincipalname}}"
    assert parsed.settings()["allowOtherServers"] == "false"


def test_the_workspace_one_user_variable_is_read_as_a_variable_not_a_value():
    parsed = formats.parse(read("workspace-one-specfile.xml"))
    username = next(entry for entry in parsed.entries if entry.key == "username")
    assert (username.value, username.variable, username.line) == (None, "emailAddress", 12)
    assert parsed.settings()["serverName"] == "Example & Partners Chat"
    assert parsed.version == 4


def test_jamf_variable_and_typed_boolean_are_told_apart():
    report = validate_document(read("jamf-ios.plist"))
    pin = report.findings[0]
    assert "reads as off" in pin.message and pin.hint == 'send the string "true"'
    assert formats.parse(read("jamf-ios.plist")).settings()["username"] == "$EMAIL"


def test_a_typed_false_for_allow_other_servers_is_reported_as_failing_open():
    allow = validate_document(read("play-managed-configuration.json")).findings[1]
    assert "reads as allowed" in allow.message
    assert allow.hint == 'send the string "false"'


def test_the_other_apps_specfile_is_read_with_its_own_types():
    parsed = formats.parse(read("other-app-specfile.xml"))
    assert parsed.findings == []
    assert [(e.key, e.value_type) for e in parsed.entries] == [
        ("serverAddress", "string"), ("technicianId", "string"), ("syncInterval", "integer"),
        ("offlineMode", "boolean"), ("jailbreakDetection", "boolean"), ("timeout", "integer"),
        ("regions", "stringArray"), ("mapZoom", "float"),
    ]


def test_the_application_policy_yields_its_managed_configuration():
    parsed = formats.parse(read("amapi-application-policy.json"))
    assert parsed.settings() == {
        "serverUrl": "https://chat.example.com", "serverName": "Example Chat", "allowOtherServers": "false",
        "inAppPinCode": "true", "jailbreakProtection": "true", "timeout": "30000",
    }
    assert [entry.line for entry in parsed.entries] == [6, 7, 8, 9, 10, 11]


def _clean_config() -> dict:
    # Loaded the way Ansible loads inventory, so values arrive as Ansible's own str and int types.
    return yaml.load((DOCUMENTS / "clean-config.yml").read_text(encoding="utf-8"), Loader=AnsibleLoader)


def test_the_clean_configuration_has_no_findings_at_all():
    report = validate_config(_clean_config())
    assert report.findings == []
    assert report.config.settings["username"] == "{{userprincipalname}}"
    assert report.config.settings["allowOtherServers"] == "false"
    assert report.config.settings["timeoutVPN"] == "20000"
    assert {type(value) for value in report.config.settings.values()} == {str}  # not Ansible's tagged str


@pytest.mark.parametrize("fmt", formats.FORMATS)
@pytest.mark.parametrize("full_plist", [False, True])
def test_the_clean_configuration_renders_documents_without_errors_or_warnings(fmt, full_plist):
    config = validate_config(_clean_config()).config
    rendered = formats.render(config, fmt, full_plist=full_plist)
    android = fmt in ("managed_properties", "amapi")

    assert [(f.code, f.key) for f in rendered.findings] == (
        [("platform-key-omitted", "useVPN"), ("platform-key-omitted", "timeoutVPN")] if android else [])
    report = validate_document(rendered.text)
    notes = [("platform-only-key", "useVPN"), ("platform-only-key", "timeoutVPN")] if fmt == "specfile" else []
    assert (report.format, [(f.code, f.key) for f in report.findings]) == (fmt, notes)
    carried = formats.parse(rendered.text).settings()
    assert carried == {k: v for k, v in config.settings.items() if not (android and k in ("useVPN", "timeoutVPN"))}
