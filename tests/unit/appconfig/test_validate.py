# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every finding the validator emits, with its severity, key and line, in every format it can occur in.

The documents are built so that entry i sits on a known line of each format; a typed value is
written the way the format itself types it (plist <true/>, specfile <boolean>, Play valueBool,
AMAPI JSON true).
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import formats
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Entry, Finding, count
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats.xmltext import escape
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import (
    check_entries,
    validate_config,
    validate_document,
)

FORMATS = ("specfile", "plist", "managed_properties", "amapi")

# Line of the first entry in the documents `document` builds.
FIRST_LINE = {"specfile": 5, "plist": 2, "managed_properties": 2, "amapi": 2}


def _plist_value(value) -> str:
    if isinstance(value, bool):
        return "<true/>" if value else "<false/>"
    if isinstance(value, int):
        return f"<integer>{value}</integer>"
    return f"<string>{escape(value)}</string>"


def _specfile_key(key: str, value) -> str:
    tag = "boolean" if isinstance(value, bool) else "integer" if isinstance(value, int) else "string"
    text = json.dumps(value) if tag != "string" else escape(value)
    return f'    <{tag} keyName="{escape(key)}"><defaultValue><value>{text}</value></defaultValue></{tag}>\n'


def _managed_property(key: str, value) -> str:
    field = "valueBool" if isinstance(value, bool) else "valueInteger" if isinstance(value, int) else "valueString"
    return json.dumps({"key": key, field: value})


def document(fmt: str, entries, app_id: str = "com.mattermost.rn") -> str:
    """A document in `fmt` holding `entries` ((key, value) pairs), one entry per line from FIRST_LINE."""
    if fmt == "plist":
        return "<dict>\n" + "".join(f"  <key>{escape(k)}</key>{_plist_value(v)}\n" for k, v in entries) + "</dict>\n"
    if fmt == "specfile":
        return (
            "<managedAppConfiguration>\n"
            "  <version>1</version>\n"
            f"  <bundleId>{app_id}</bundleId>\n"
            "  <dict>\n" + "".join(_specfile_key(k, v) for k, v in entries) + "  </dict>\n"
            "</managedAppConfiguration>\n"
        )
    if fmt == "managed_properties":
        head = f'{{"kind": "androidenterprise#managedConfiguration", "productId": "app:{app_id}", "managedProperty": [\n'
        return head + ",\n".join(_managed_property(k, v) for k, v in entries) + "\n]}\n"
    return "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in entries) + "\n}\n"


def summary(findings, fmt=None):
    """(severity, code, key, line) of each finding; with `fmt`, the line as an entry index."""
    if fmt is None:
        return [(f.severity, f.code, f.key, f.line) for f in findings]
    return [(f.severity, f.code, f.key, None if f.line is None else f.line - FIRST_LINE[fmt]) for f in findings]


def test_the_documents_put_each_entry_on_its_line():
    entries = [("vendor", "A"), ("timeout", 30000), ("inAppPinCode", True)]
    for fmt in FORMATS:
        parsed = formats.parse(document(fmt, entries), fmt)
        assert parsed.findings == []
        positions = [(e.key, e.line - FIRST_LINE[fmt]) for e in parsed.entries]
        assert positions == [("vendor", 0), ("timeout", 1), ("inAppPinCode", 2)]


CHAT = ("serverUrl", "https://chat.example.com")
NAMED = ("serverName", "Chat")

# name: (entries, expected (severity, code, key, entry index)), the same in every format.
KEY_AND_VALUE_CASES = {
    "documented jailbreak misspelling": (
        [("jailbreakDetection", "true")], [("error", "misspelled-key", "jailbreakDetection", 0)]),
    "docs template capitalisation": (
        [("vendor", "Acme"), ("jailBreakDetection", "true")], [("error", "misspelled-key", "jailBreakDetection", 1)]),
    "other known misspelling": (
        [("copyPasteProtection", "true")], [("error", "misspelled-key", "copyPasteProtection", 0)]),
    "case slip in a key": (
        [CHAT, NAMED, ("AllowOtherServers", "false")], [("error", "wrong-case-key", "AllowOtherServers", 2)]),
    "unknown key": ([("colour", "blue")], [("warning", "unknown-key", "colour", 0)]),
    "near miss": ([("vendr", "Acme")], [("warning", "unknown-key", "vendr", 0)]),
    "Intune App SDK key": ([("IntuneMAMUPN", "{{userprincipalname}}")], [("info", "intune-sdk-key", "IntuneMAMUPN", 0)]),
    "duplicate key": (
        [("vendor", "Acme"), ("username", "ann"), ("vendor", "Acme Corp")], [("error", "duplicate-key", "vendor", 2)]),
    "deprecated key": ([("inAppSessionAuth", "true")], [("warning", "deprecated-key", "inAppSessionAuth", 0)]),
    "True instead of true": ([("inAppPinCode", "True")], [("error", "wrong-case-value", "inAppPinCode", 0)]),
    "FALSE with a space": (
        [CHAT, NAMED, ("allowOtherServers", "FALSE ")], [("error", "wrong-case-value", "allowOtherServers", 2)]),
    "yes for a switch": ([("blurApplicationScreen", "yes")], [("error", "invalid-value", "blurApplicationScreen", 0)]),
    "1 for a switch": ([("jailbreakProtection", "1")], [("error", "invalid-value", "jailbreakProtection", 0)]),
    "empty switch": ([("copyAndPasteProtection", "")], [("error", "invalid-value", "copyAndPasteProtection", 0)]),
    "seconds with a unit": ([("timeout", "15s")], [("error", "invalid-value", "timeout", 0)]),
    "negative timeout": ([("timeout", "-1")], [("error", "invalid-value", "timeout", 0)]),
    "empty timeout": ([("timeout", "")], [("error", "invalid-value", "timeout", 0)]),
    "non-ASCII digits": ([("timeout", "３０００")], [("error", "invalid-value", "timeout", 0)]),
    "superscript digit": ([("timeout", "²")], [("error", "invalid-value", "timeout", 0)]),
    "timeout in seconds": ([("timeout", "30")], [("warning", "short-timeout", "timeout", 0)]),
    "zero timeout": ([("timeout", "0")], [("warning", "short-timeout", "timeout", 0)]),
    "just under a second": ([("timeout", "999")], [("warning", "short-timeout", "timeout", 0)]),
    "one second": ([("timeout", "1000")], []),
    "URL without scheme": ([("serverUrl", "chat.example.com"), NAMED], [("error", "invalid-url", "serverUrl", 0)]),
    "URL without host": ([("serverUrl", "https://"), NAMED], [("error", "invalid-url", "serverUrl", 0)]),
    "ftp URL": ([("serverUrl", "ftp://chat.example.com"), NAMED], [("error", "invalid-url", "serverUrl", 0)]),
    "broken IPv6 URL": ([("serverUrl", "https://[::1"), NAMED], [("error", "invalid-url", "serverUrl", 0)]),
    "plain http": ([("serverUrl", "http://chat.example.com"), NAMED], [("warning", "insecure-url", "serverUrl", 0)]),
    "blank server name": ([CHAT, ("serverName", "  ")], [("warning", "empty-value", "serverName", 1)]),
    "empty vendor": ([("vendor", "")], [("warning", "empty-value", "vendor", 0)]),
    "Intune variable in a switch": (
        [("inAppPinCode", "{{pinrequired}}")], [("warning", "variable-in-switch", "inAppPinCode", 0)]),
    "Jamf variable in a switch": (
        [("jailbreakProtection", "$JAILBREAK")], [("warning", "variable-in-switch", "jailbreakProtection", 0)]),
    "variables in text and URL": (
        [("serverUrl", "https://{{tenant}}.example.com"), NAMED, ("username", "$EMAIL"), ("vendor", "{Company}")], []),
    "lock without server": ([("allowOtherServers", "false")], [("warning", "lock-without-server", "allowOtherServers", 0)]),
    "lock with an empty server": (
        [("serverUrl", ""), ("allowOtherServers", "false")],
        [("warning", "empty-value", "serverUrl", 0), ("warning", "lock-without-server", "allowOtherServers", 1)]),
    "lock with a server": ([CHAT, NAMED, ("allowOtherServers", "false")], []),
    "server without a name": ([("username", "ann"), CHAT], [("info", "server-name-missing", "serverName", 1)]),
    "several at once": (
        [("jailBreakDetection", "true"), ("timeoutVPN", "30"), ("serverUrl", "http://chat.example.com")],
        [("error", "misspelled-key", "jailBreakDetection", 0), ("warning", "short-timeout", "timeoutVPN", 1),
         ("warning", "insecure-url", "serverUrl", 2), ("info", "server-name-missing", "serverName", 2)]),
}

# Findings a format adds on its own for some cases: a specfile's grammar refuses a repeated keyName.
FORMAT_EXTRAS = {("duplicate key", "specfile"): [("error", "specfile-grammar", None, 2)]}

# iOS-only keys on Android are reported; the android formats would carry them for nothing.
IOS_ONLY = {"timeoutVPN", "useVPN"}
CROSS_KEY = {"lock-without-server", "server-name-missing"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", KEY_AND_VALUE_CASES)
def test_key_and_value_findings_in_every_format(case, fmt):
    entries, expected = KEY_AND_VALUE_CASES[case]
    report = validate_document(document(fmt, entries))

    assert report.format == fmt
    if fmt in ("managed_properties", "amapi"):
        # Key-level findings come in entry order, platform first; the cross-key ones follow.
        unsupported = [("warning", "platform-unsupported", k, i) for i, (k, _v) in enumerate(entries) if k in IOS_ONLY]
        by_entry = sorted(unsupported + [f for f in expected if f[1] not in CROSS_KEY], key=lambda f: f[3])
        expected = by_entry + [f for f in expected if f[1] in CROSS_KEY]
    if fmt == "specfile":  # read on both platforms: each iOS-only key gets a note, after the checks
        expected = list(expected) + [("info", "platform-only-key", k, i) for i, (k, _v) in enumerate(entries) if k in IOS_ONLY]
    expected = FORMAT_EXTRAS.get((case, fmt), []) + list(expected)
    assert summary(report.findings, fmt) == expected


def test_findings_name_the_fix():
    def only(entries, fmt="plist") -> Finding:
        (finding,) = validate_document(document(fmt, entries)).findings
        return finding

    assert only([("jailBreakDetection", "true")]).hint == "rename the key to jailbreakProtection"
    assert "the app reads jailbreakProtection" in only([("jailBreakDetection", "true")]).message
    assert only([("ServerName", "x")]).hint == "rename the key to serverName"
    assert only([("vendr", "x")]).hint == "did you mean vendor?"
    assert "serverUrl" in only([("colour", "x")]).hint
    assert only([("inAppPinCode", "True")]).hint == 'write "true"'
    assert only([("timeoutVPN", "30")]).hint == 'did you mean "30000"?'
    assert "milliseconds" in only([("timeoutVPN", "30")]).message
    assert "restricts nothing" in only([CHAT, NAMED, ("allowOtherServers", "False")]).message
    assert "leaves it off" in only([("inAppPinCode", "TRUE")]).message
    assert only([("serverUrl", "http://c.example.com"), NAMED]).hint == "use https://"
    assert "first on line 2" in only([("vendor", "a"), ("vendor", "b")]).message
    repeats = validate_document(document("plist", [("vendor", "a"), ("vendor", "b"), ("vendor", "c")])).findings
    assert [(f.code, f.line) for f in repeats] == [("duplicate-key", 3), ("duplicate-key", 4)]
    assert all("first on line 2" in f.message for f in repeats)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_typed_boolean_is_an_error_in_every_format(fmt):
    report = validate_document(document(fmt, [("inAppPinCode", True), CHAT, NAMED, ("allowOtherServers", False)]))

    assert summary(report.findings, fmt) == [
        ("error", "typed-boolean", "inAppPinCode", 0),
        ("error", "typed-boolean", "allowOtherServers", 3),
    ]
    pin, allow = report.findings
    assert "reads as off" in pin.message and pin.hint == 'send the string "true"'
    assert "reads as allowed" in allow.message and allow.hint == 'send the string "false"'


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_typed_false_without_a_server_is_not_also_a_lock_without_server(fmt):
    report = validate_document(document(fmt, [("allowOtherServers", False)]))

    assert summary(report.findings, fmt) == [("error", "typed-boolean", "allowOtherServers", 0)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_typed_number_is_an_error_on_a_switch_and_a_warning_elsewhere(fmt):
    report = validate_document(document(fmt, [("jailbreakProtection", 1), ("timeout", 30000), ("serverName", 7)]))

    assert summary(report.findings, fmt) == [
        ("error", "typed-value", "jailbreakProtection", 0),
        ("warning", "typed-value", "timeout", 1),
        ("warning", "typed-value", "serverName", 2),
    ]
    assert report.findings[0].hint == 'send the string "true"'
    assert report.findings[1].hint == "send the value as a string"


@pytest.mark.parametrize(
    "value, value_type",
    [("<array><string>true</string></array>", "array"), ("<dict/>", "dict"), ("<real>1.0</real>", "real"),
     ("<date>2026-01-01T00:00:00Z</date>", "date"), ("<data>dHJ1ZQ==</data>", "data")],
)
def test_any_other_plist_type_on_a_switch_is_an_error(value, value_type):
    report = validate_document(f"<dict>\n<key>blurApplicationScreen</key>{value}\n</dict>")
    assert summary(report.findings) == [("error", "typed-value", "blurApplicationScreen", 2)]
    assert f"is {'an' if value_type[0] in 'aeiou' else 'a'} {value_type}" in report.findings[0].message
    assert "None" not in report.findings[0].message


@pytest.mark.parametrize(
    "value, value_type",
    [('{"valueStringArray": ["true"]}', "array"), ('{"valueBundle": {}}', "dict"),
     ('{"valueInteger": 1}', "integer")],
)
def test_any_other_play_value_field_on_a_switch_is_an_error(value, value_type):
    item = {"key": "copyAndPasteProtection", **json.loads(value)}
    report = validate_document(json.dumps({"managedProperty": [item]}, indent=1))  # "key" on line 4
    assert summary(report.findings) == [("error", "typed-value", "copyAndPasteProtection", 4)]
    assert f"is {'an' if value_type[0] in 'aeiou' else 'a'} {value_type}" in report.findings[0].message


@pytest.mark.parametrize("value, value_type", [("null", "null"), ("[]", "array"), ("{}", "dict"), ("1.5", "real")])
def test_any_other_amapi_json_type_on_a_switch_is_an_error(value, value_type):
    report = validate_document('{\n  "useVPN": %s\n}' % value, platforms=["ios"])
    assert summary(report.findings) == [("error", "typed-value", "useVPN", 2)]
    assert f"is {'an' if value_type[0] in 'aeiou' else 'a'} {value_type}" in report.findings[0].message


SPECFILE_HEAD = '<managedAppConfiguration>\n<version>1</version>\n<bundleId>com.mattermost.rn</bundleId>\n<dict>\n'
SPECFILE_TAIL = '</dict>\n</managedAppConfiguration>\n'


@pytest.mark.parametrize(
    "declaration, expected",
    [
        ('<string keyName="username"><defaultValue><userVariable value="emailAddress"/></defaultValue></string>', []),
        ('<string keyName="serverUrl"><defaultValue><deviceVariable value="udid"/></defaultValue></string>', []),
        ('<string keyName="inAppPinCode"><defaultValue><userVariable value="upn"/></defaultValue></string>',
         [("warning", "variable-in-switch", "inAppPinCode", 5)]),
        ('<boolean keyName="useVPN"/>', [("error", "typed-boolean", "useVPN", 5), ("info", "platform-only-key", "useVPN", 5)]),
        ('<stringArray keyName="vendor"><defaultValue><value>a</value></defaultValue></stringArray>',
         [("warning", "typed-value", "vendor", 5)]),
        ('<integer keyName="timeoutVPN"><defaultValue><value>30</value></defaultValue></integer>',
         [("warning", "typed-value", "timeoutVPN", 5), ("info", "platform-only-key", "timeoutVPN", 5)]),
        ('<string keyName="serverName"/>', []),
    ],
)
def test_specfile_declarations_without_a_plain_value(declaration, expected):
    report = validate_document(SPECFILE_HEAD + declaration + "\n" + SPECFILE_TAIL)
    assert summary(report.findings) == expected


def test_a_variable_in_a_switch_names_the_variable():
    report = validate_document(
        SPECFILE_HEAD + '<string keyName="inAppPinCode"><defaultValue><userVariable value="upn"/></defaultValue></string>\n'
        + SPECFILE_TAIL)
    assert "upn" in report.findings[0].message


@pytest.mark.parametrize("fmt", ["managed_properties", "amapi"])
def test_ios_only_keys_in_an_android_document_are_reported(fmt):
    report = validate_document(document(fmt, [("useVPN", "true"), ("timeoutVPN", "30000")]))
    assert summary(report.findings, fmt) == [
        ("warning", "platform-unsupported", "useVPN", 0),
        ("warning", "platform-unsupported", "timeoutVPN", 1),
    ]
    assert "ios" in report.findings[0].message and "android" in report.findings[0].message


@pytest.mark.parametrize("fmt, platforms", [("plist", ["android"]), ("specfile", ["android"]), ("amapi", ["android"])])
def test_platforms_given_by_the_caller_override_the_formats_own(fmt, platforms):
    report = validate_document(document(fmt, [("useVPN", "true")]), fmt, platforms)
    assert summary(report.findings, fmt) == [("warning", "platform-unsupported", "useVPN", 0)]


def test_ios_only_keys_are_fine_where_only_ios_reads_the_document():
    assert validate_document(document("plist", [("useVPN", "true"), ("timeoutVPN", "30000")])).findings == []


def test_ios_only_keys_in_a_document_for_both_platforms_get_a_note_that_android_ignores_them():
    report = validate_document(document("specfile", [("useVPN", "true"), ("timeoutVPN", "30000"), ("useVPN", "false")]))
    notes = [f for f in report.findings if f.code == "platform-only-key"]
    assert [(f.severity, f.key) for f in notes] == [("info", "useVPN"), ("info", "timeoutVPN")]  # once per key
    assert notes[0].message == "useVPN is read only by the iOS app; Android ignores it"


# Document-level findings.


@pytest.mark.parametrize(
    "text, fmt, line",
    [
        ("<dict>\n<key>vendor</key>\n<string>Acme</dict>\n", "plist", 3),
        ("<managedAppConfiguration>\n<version>1</version>\n<bundleId>x</bundle>\n", "specfile", 3),
        ("<dict>\n<key>a & b</key><string/></dict>", "plist", 2),
    ],
)
def test_malformed_xml_is_an_error_with_its_line(text, fmt, line):
    report = validate_document(text)
    assert report.format == fmt
    assert summary(report.findings) == [("error", "malformed-xml", None, line)]


@pytest.mark.parametrize("fmt", ["managed_properties", "amapi"])
@pytest.mark.parametrize(
    "text, line", [('{"vendor": "Acme",\n"timeout" 1}', 2), ('{\n"vendor": "Acme"\n"timeout": "1"}', 3), (b'{\n"vendor": "\xff"}', 2)],
)
def test_malformed_json_is_an_error_with_its_line(fmt, text, line):
    report = validate_document(text, fmt)
    assert summary(report.findings) == [("error", "malformed-json", None, line)]


@pytest.mark.parametrize(
    "text, fmt",
    [
        ('<?xml version="1.0"?>\n<!DOCTYPE dict [\n<!ENTITY corp "Acme">\n]>\n<dict><key>vendor</key><string>&corp;</string></dict>',
         "plist"),
        ('<!DOCTYPE managedAppConfiguration [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<managedAppConfiguration/>',
         "specfile"),
    ],
)
def test_entity_declarations_are_refused_as_unsafe(text, fmt):
    report = validate_document(text)
    assert report.format == fmt
    (finding,) = report.findings
    assert (finding.severity, finding.code) == ("error", "unsafe-xml")
    assert finding.line == (3 if fmt == "plist" else 1)


@pytest.mark.parametrize("fmt", ["plist", "specfile"])
def test_a_huge_xml_document_is_refused_before_parsing(fmt):
    head = "<dict>" if fmt == "plist" else "<managedAppConfiguration>"
    report = validate_document(head + "<!--" + "x" * (1024 * 1024) + "-->")
    assert report.format == fmt
    assert summary(report.findings) == [("error", "too-large", None, None)]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('<plist version="1.0">\n<array/>\n</plist>', 1, "expected a <dict>"),
        ("<plist>\n<dict/>\n<dict/>\n</plist>", 1, "expected a <dict>"),
        ("<dict>\n<key>vendor</key>\n</dict>", 2, "<key>vendor</key> has no value after it"),
        ("<dict>\n<key>serverUrl</key>\n<key>serverName</key>\n<string>Chat</string>\n</dict>", 2,
         "<key>serverUrl</key> has no value after it"),
        ("<dict>\n<string>vendor</string>\n<string>Acme</string>\n</dict>", 2, "expected <key>, found <string>"),
    ],
)
def test_plist_grammar_errors_say_where(text, line, words):
    report = validate_document(text)
    assert summary(report.findings) == [("error", "plist-grammar", None, line)]
    assert words in report.findings[0].message


def test_plist_grammar_keeps_the_pairs_read_before_the_fault():
    report = validate_document("<dict>\n<key>inAppPinCode</key><string>True</string>\n<key>vendor</key>\n</dict>")
    assert summary(report.findings) == [("error", "plist-grammar", None, 3), ("error", "wrong-case-value", "inAppPinCode", 2)]


def test_a_missing_value_is_not_mistaken_for_a_typed_one():
    report = validate_document("<dict>\n<key>serverName</key><string>Chat</string>\n<key>serverUrl</key>\n"
                               "<key>vendor</key><string>Acme</string>\n</dict>")
    assert summary(report.findings) == [("error", "plist-grammar", None, 3)]


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("<bundleId>com.mattermost.rn</bundleId>\n<dict><string keyName='vendor'/></dict>", 2, "expected version"),
        ("<version>0</version>\n<bundleId>com.mattermost.rn</bundleId>\n<dict><string keyName='vendor'/></dict>", 2,
         "'0'"),
        ("<version>123456</version>\n<bundleId>com.mattermost.rn</bundleId>\n<dict><string keyName='vendor'/></dict>", 2,
         "'123456'"),
        ("<version>1</version>\n<bundleId>com.mattermost.rn</bundleId>\n<dict><string keyName='vendor'/></dict>\n"
         "<presentation defaultLocale='en-US'>\n<field keyName='serverUrl' type='input'/>\n</presentation>", 6,
         "keyName 'serverUrl' is not declared in dict"),
        ("<version>1</version>\n<bundleId>com.mattermost.rn</bundleId>\n<dict><string keyName='vendor'>"
         "<defaultValue><value>a</value><value>b</value></defaultValue></string></dict>", 4, "value"),
    ],
)
def test_specfile_grammar_errors_say_where(body, line, words):
    report = validate_document(f"<managedAppConfiguration>\n{body}\n</managedAppConfiguration>")
    assert summary(report.findings) == [("error", "specfile-grammar", None, line)]
    assert words in report.findings[0].message


def test_specfile_grammar_errors_do_not_hide_key_errors():
    report = validate_document(
        "<managedAppConfiguration>\n<bundleId>com.mattermost.rn</bundleId>\n<dict>\n"
        '<string keyName="jailBreakDetection"><defaultValue><value>true</value></defaultValue></string>\n'
        "</dict>\n</managedAppConfiguration>")
    assert summary(report.findings) == [
        ("error", "specfile-grammar", None, 2), ("error", "misspelled-key", "jailBreakDetection", 4),
    ]


def test_a_namespaced_specfile_is_a_grammar_error_and_declares_nothing():
    report = validate_document('<managedAppConfiguration xmlns="urn:example">\n<version>1</version>\n'
                               "</managedAppConfiguration>")
    assert report.format == "specfile"
    assert [f.code for f in report.findings] == ["specfile-grammar"]
    assert "managedAppConfiguration" in report.findings[0].message


@pytest.mark.parametrize(
    "item, words",
    [
        ('{"key": "vendor", "valueString": "a", "valueBool": true}', "2 value fields (valueString, valueBool)"),
        ('{"key": "vendor"}', "0 value fields (none)"),
    ],
)
def test_a_managed_property_needs_exactly_one_value_field(item, words):
    text = '{\n"managedProperty": [\n{"key": "serverName", "valueString": "Chat"},\n%s\n]}' % item
    report = validate_document(text)
    assert summary(report.findings) == [("error", "managed-property-grammar", "vendor", 4)]
    assert words in report.findings[0].message


@pytest.mark.parametrize(
    "text, fmt, line, words",
    [
        ('{"kind": "androidenterprise#managedConfiguration", "managedProperty": {"vendor": "a"}}', None, None,
         '"managedProperty" must be a list'),
        ('{"managedProperty": [\n{"valueString": "a"}\n]}', None, None, 'needs a string "key"'),
        ('{"managedProperty": [\n"vendor"\n]}', None, None, 'needs a string "key"'),
        ('["serverUrl"]', "amapi", None, "must be a JSON object, not array"),
        ('"https://chat.example.com"', "managed_properties", None, "must be a JSON object, not string"),
    ],
)
def test_json_grammar_errors(text, fmt, line, words):
    report = validate_document(text, fmt)
    assert summary(report.findings) == [("error", "json-grammar", None, line)]
    assert words in report.findings[0].message


def test_a_property_without_a_key_does_not_shift_the_lines_of_the_others():
    report = validate_document('{"managedProperty": [\n{"valueString": "a"},\n{"key": "inAppPinCode", "valueString": "True"}\n]}')
    assert summary(report.findings) == [
        ("error", "json-grammar", None, None), ("error", "wrong-case-value", "inAppPinCode", 3),
    ]


@pytest.mark.parametrize("text", ["", "serverUrl: https://chat.example.com\n", "[]", "<html/>", b"\x89PNG\r\n"])
def test_an_unrecognised_document_is_an_unknown_format_error(text):
    report = validate_document(text)
    assert report.format is None
    assert summary(report.findings) == [("error", "unknown-format", None, None)]
    assert "specfile, plist, managed_properties, amapi" in report.findings[0].message


# Another app's document: grammar only.


OTHER_SPECFILE = """<managedAppConfiguration>
  <version>1</version>
  <bundleId>com.example.field-app</bundleId>
  <dict>
    <boolean keyName="jailbreakDetection"><defaultValue><value>true</value></defaultValue></boolean>
    <integer keyName="timeout"><defaultValue><value>30</value></defaultValue></integer>
  </dict>
</managedAppConfiguration>
"""


@pytest.mark.parametrize(
    "text, app_id, line",
    [
        (OTHER_SPECFILE, "com.example.field-app", OTHER_SPECFILE.splitlines().index("  <bundleId>com.example.field-app</bundleId>") + 1),
        ('{"productId": "app:com.example.notes", "managedProperty": [{"key": "inAppPinCode", "valueBool": true}]}',
         "com.example.notes", 1),
        ('{\n"packageName": "com.example.notes", "managedConfiguration": {"pinCode": true}}', "com.example.notes", 2),
    ],
)
def test_another_apps_document_gets_an_info_finding_and_no_key_checks(text, app_id, line):
    report = validate_document(text)
    assert report.app_id == app_id
    assert summary(report.findings) == [("info", "other-app", None, line)]  # at the line naming the app
    assert repr(app_id) in report.findings[0].message
    assert not report.failed(strict=True)


def test_another_apps_document_still_gets_its_grammar_checked():
    report = validate_document(OTHER_SPECFILE.replace("<version>1</version>", "<version>x</version>"))
    assert [(f.severity, f.code, f.line) for f in report.findings] == [
        ("error", "specfile-grammar", 2), ("info", "other-app", 3),
    ]


@pytest.mark.parametrize("app_id", ["com.mattermost.rn", "com.mattermost.rnbeta"])
def test_the_beta_app_is_the_mattermost_app_too(app_id):
    report = validate_document(document("specfile", [("jailbreakDetection", "true")], app_id=app_id))
    assert report.app_id == app_id
    assert [f.code for f in report.findings] == ["misspelled-key"]


def test_a_play_document_without_product_id_is_judged_as_mattermost():
    report = validate_document('{"managedProperty": [{"key": "inAppPinCode", "valueBool": true}]}')
    assert report.app_id is None
    assert [f.code for f in report.findings] == ["typed-boolean"]


# Desired configurations and entries from any source.


def test_a_config_shape_error_is_an_invalid_config_error_per_problem():
    report = validate_config({"jailbreakDetection": True, "timeout": "15s", "colour": "x"}, ["ios"], "com.example")
    assert summary(report.findings) == [
        ("error", "invalid-config", "jailbreakDetection", None),
        ("error", "invalid-config", "timeout", None),
        ("error", "invalid-config", "colour", None),
        ("error", "invalid-config", "app_id", None),
    ]
    assert "jailbreakProtection" in report.findings[0].message
    assert report.config is None
    assert report.failed()


def test_config_judgements_are_the_same_checks_without_lines():
    report = validate_config({"timeoutVPN": 30, "serverUrl": "http://chat.example.com", "vendor": "",
                              "allowOtherServers": False, "inAppSessionAuth": True, "useVPN": True}, ["android"])
    assert summary(report.findings) == [
        ("warning", "insecure-url", "serverUrl", None),
        ("warning", "platform-unsupported", "useVPN", None),
        ("warning", "platform-unsupported", "timeoutVPN", None),
        ("warning", "short-timeout", "timeoutVPN", None),
        ("warning", "empty-value", "vendor", None),
        ("warning", "deprecated-key", "inAppSessionAuth", None),
        ("info", "server-name-missing", "serverName", None),
    ]
    assert report.config.settings["allowOtherServers"] == "false"
    assert report.app_id == "com.mattermost.rn"
    assert not report.failed() and report.failed(strict=True)


def test_a_lock_without_server_in_a_config():
    report = validate_config({"allowOtherServers": "false"})
    assert summary(report.findings) == [("warning", "lock-without-server", "allowOtherServers", None)]


def test_a_clean_config_has_no_findings():
    report = validate_config({"serverUrl": "https://chat.example.com", "serverName": "Chat", "inAppPinCode": True,
                              "allowOtherServers": False, "timeout": 30000, "username": "{{userprincipalname}}"})
    assert report.findings == []
    assert report.counts == {"error": 0, "warning": 0, "info": 0}


def test_check_entries_judges_entries_from_any_source():
    entries = [Entry("inAppPinCode", "true", "boolean"), Entry("username", None, variable="emailAddress"),
               Entry("timeout", "30"), Entry("useVPN", "true")]
    assert summary(check_entries(entries, ("android",))) == [
        ("error", "typed-boolean", "inAppPinCode", None),
        ("warning", "short-timeout", "timeout", None),
        ("warning", "platform-unsupported", "useVPN", None),
    ]


def test_report_counts_failure_and_serialisation():
    report = validate_document(document("plist", [("inAppPinCode", "True"), ("timeout", "30"), CHAT]))
    assert report.counts == {"error": 1, "warning": 1, "info": 1}
    assert count(report.findings) == report.counts
    assert report.failed() and report.failed(strict=True)
    data = report.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["format"] == "plist" and data["app_id"] is None
    assert data["findings"][0] == {
        "severity": "error", "code": "wrong-case-value", "key": "inAppPinCode", "line": 2,
        "message": report.findings[0].message, "hint": 'write "true"', "subject": None, "location": None,
    }


def test_warnings_fail_only_when_strict():
    report = validate_document(document("plist", [("timeout", "30")]))
    assert report.counts == {"error": 0, "warning": 1, "info": 0}
    assert not report.failed()
    assert report.failed(strict=True)


def test_info_never_fails():
    report = validate_document(document("plist", [("IntuneMAMUPN", "{{userprincipalname}}"), CHAT]))
    assert report.counts == {"error": 0, "warning": 0, "info": 2}
    assert not report.failed(strict=True)


WILD_ENCODINGS = ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("codec", WILD_ENCODINGS)
def test_utf16_and_utf32_documents_are_recognised_and_read_like_utf8(fmt, codec):
    entries = [("inAppPinCode", "True"), ("serverUrl", "http://chat.example.com"), ("serverName", "Café ✓")]
    text = document(fmt, entries)
    expected = validate_document(text.encode("utf-8"))

    report = validate_document(text.encode(codec))

    assert report.format == expected.format == fmt
    assert summary(report.findings) == summary(expected.findings) != []
    assert formats.parse(text.encode(codec)).entries == formats.parse(text.encode("utf-8")).entries
    assert formats.parse(text.encode(codec)).entries[-1].value == "Café ✓"


def test_json_that_is_not_valid_in_its_encoding_names_the_encoding_and_line():
    data = '{\n"serverUrl": "https://chat.example.com"\n}'.encode("utf-16-le") + b"\x00\xdc"  # a lone low surrogate

    (finding,) = validate_document(data, "amapi").findings

    assert (finding.code, finding.line) == ("malformed-json", 3)
    assert "not UTF-16-LE text" in finding.message


def test_a_custom_builds_document_is_checked_as_a_mattermost_document():
    """The same document is another app's until the user says the id is their own Mattermost build."""
    text = document("specfile", [("jailbreakDetection", "true")], app_id="com.example.chat")
    assert [f.code for f in validate_document(text).findings] == ["other-app"]
    report = validate_document(text, custom_app_ids=["com.example.chat"])
    assert report.app_id == "com.example.chat"
    assert [f.code for f in report.findings] == ["misspelled-key"]
