# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Each format renders exactly what its EMM takes, parses what people paste, and is recognised."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog, formats
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.findings import Entry, ParsedDocument
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats.xmltext import escape
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import AppConfig

SMALL = {"serverUrl": "https://chat.example.com", "inAppPinCode": True, "useVPN": "true", "timeout": 20000}


def small(**options) -> AppConfig:
    return AppConfig.from_input(SMALL, **options)


# Rendering


def test_plist_fragment_is_the_dict_people_paste():
    assert formats.render(small(), "plist").text == (
        "<dict>\n"
        "\t<key>inAppPinCode</key>\n\t<string>true</string>\n"
        "\t<key>serverUrl</key>\n\t<string>https://chat.example.com</string>\n"
        "\t<key>timeout</key>\n\t<string>20000</string>\n"
        "\t<key>useVPN</key>\n\t<string>true</string>\n"
        "</dict>\n"
    )


def test_full_plist_wraps_the_same_dict_in_apples_header():
    text = formats.render(small(), "plist", full_plist=True).text
    fragment = formats.render(small(), "plist").text
    assert text == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n' + fragment + "</plist>\n"
    )


def test_managed_properties_are_play_json_with_value_strings_only():
    rendered = formats.render(small(app_id="com.mattermost.rnbeta"), "managed_properties")
    assert json.loads(rendered.text) == {
        "kind": "androidenterprise#managedConfiguration",
        "productId": "app:com.mattermost.rnbeta",
        "managedProperty": [
            {"key": "inAppPinCode", "valueString": "true"},
            {"key": "serverUrl", "valueString": "https://chat.example.com"},
            {"key": "timeout", "valueString": "20000"},
        ],
    }
    assert rendered.text.endswith("}\n")


def test_amapi_is_a_plain_object_of_strings():
    text = formats.render(small(), "amapi").text
    assert text == '{\n  "inAppPinCode": "true",\n  "serverUrl": "https://chat.example.com",\n  "timeout": "20000"\n}\n'


def test_json_formats_keep_non_ascii_text_readable():
    config = AppConfig.from_input({"serverName": "Équipe 日本"})
    for fmt in ("managed_properties", "amapi"):
        assert "Équipe 日本" in formats.render(config, fmt).text


@pytest.mark.parametrize("fmt", ["managed_properties", "amapi"])
def test_android_formats_leave_out_ios_only_keys_with_an_info_finding(fmt):
    rendered = formats.render(small(), fmt)
    assert [(f.severity, f.code, f.key) for f in rendered.findings] == [("info", "platform-key-omitted", "useVPN")]
    assert "useVPN" not in rendered.text
    assert fmt in rendered.findings[0].message and "android" in rendered.findings[0].message


@pytest.mark.parametrize("full", [False, True])
def test_plist_carries_every_key_without_findings(full):
    rendered = formats.render(small(), "plist", full_plist=full)
    assert rendered.findings == []
    assert "<key>useVPN</key>" in rendered.text


def test_a_specfile_for_android_only_leaves_out_ios_only_keys():
    rendered = formats.render(small(platforms=["android"]), "specfile")
    assert [(f.code, f.key) for f in rendered.findings] == [("platform-key-omitted", "useVPN")]
    assert 'keyName="useVPN"' not in rendered.text


@pytest.mark.parametrize("fmt, platform", [("plist", "ios"), ("managed_properties", "android"), ("amapi", "android")])
def test_a_format_for_a_platform_not_targeted_is_refused(fmt, platform):
    other = "android" if platform == "ios" else "ios"
    with pytest.raises(ValueError) as caught:
        formats.render(small(platforms=[other]), fmt)
    assert repr(fmt) in str(caught.value)
    assert f"add {platform!r} to platforms" in str(caught.value)


def _specfile(config: AppConfig, version: int = 1) -> etree._Element:
    return etree.fromstring(formats.render(config, "specfile", version=version).text.encode())


def test_specfile_declares_every_key_as_a_string_with_its_value():
    root = _specfile(small(app_id="com.mattermost.rnbeta"), version=12)
    assert [child.tag for child in root] == ["version", "bundleId", "dict", "presentation"]
    assert root.findtext("version") == "12"
    assert root.findtext("bundleId") == "com.mattermost.rnbeta"
    declared = {el.get("keyName"): (el.tag, el.findtext("defaultValue/value")) for el in root.find("dict")}
    assert declared == {
        "inAppPinCode": ("string", "true"),
        "serverUrl": ("string", "https://chat.example.com"),
        "timeout": ("string", "20000"),
        "useVPN": ("string", "true"),
    }


def test_specfile_constrains_switches_to_true_false_and_milliseconds_to_digits():
    keys = {el.get("keyName"): el for el in _specfile(small()).find("dict")}
    switch = keys["inAppPinCode"].find("constraint")
    assert switch.get("nullable") == "false"
    assert [v.text for v in switch.findall("values/value")] == ["true", "false"]
    assert keys["timeout"].find("constraint").get("pattern") == "[0-9]+"
    assert keys["serverUrl"].find("constraint") is None


def test_specfile_presentation_labels_each_key_from_the_catalog():
    presentation = _specfile(small()).find("presentation")
    assert presentation.get("defaultLocale") == "en-US"
    fields = {field.get("keyName"): field for field in presentation.findall("field")}
    assert list(fields) == ["inAppPinCode", "serverUrl", "timeout", "useVPN"]
    pin = fields["inAppPinCode"]
    assert pin.get("type") == "select"
    assert pin.findtext("label/language") == catalog.BY_NAME["inAppPinCode"].title
    assert pin.findtext("description/language") == catalog.BY_NAME["inAppPinCode"].description
    assert [(o.get("value"), o.findtext("language")) for o in pin.findall("options/option")] == [
        ("true", "On"), ("false", "Off"),
    ]
    assert fields["serverUrl"].get("type") == "input"
    assert fields["serverUrl"].find("options") is None


def test_rendering_does_not_depend_on_the_input_key_order():
    reordered = AppConfig.from_input(dict(reversed(list(SMALL.items()))))
    for fmt in formats.FORMATS:
        assert formats.render(reordered, fmt).text == formats.render(small(), fmt).text


@pytest.mark.parametrize(
    "raw, escaped",
    [
        ("a & b", "a &amp; b"),
        ("<x>", "&lt;x&gt;"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("it's", "it's"),
        ("line\r\nnext", "line&#13;\nnext"),
        ("&amp;", "&amp;amp;"),
        ("", ""),
    ],
)
def test_escape_writes_text_an_xml_parser_reads_back_unchanged(raw, escaped):
    assert escape(raw) == escaped
    element = etree.fromstring(f'<v a="{escape(raw)}">{escape(raw)}</v>'.encode())
    assert (element.text or "") == raw
    assert element.get("a") == raw.replace("\n", " ")  # attribute values turn a literal newline into a space


# Parsing


PLIST_TYPED = """<dict>
  <key>inAppPinCode</key><true/>
  <key>blurApplicationScreen</key><false/>
  <key>timeout</key><integer> 30 </integer>
  <key>timeoutVPN</key><real>1.5</real>
  <key>serverName</key><date>2026-01-01T00:00:00Z</date>
  <key>vendor</key><data>QUJD</data>
  <key>username</key><array><string>a</string></array>
  <key>serverUrl</key><dict/>
  <key>copyAndPasteProtection</key><string></string>
  <!-- a comment between pairs is not a key -->
  <key>allowOtherServers</key>
  <string> false </string>
</dict>
"""


def test_plist_parse_types_each_value_and_keeps_its_line():
    parsed = formats.parse(PLIST_TYPED, "plist")
    assert parsed.findings == []
    assert parsed.entries == [
        Entry("inAppPinCode", "true", "boolean", 2),
        Entry("blurApplicationScreen", "false", "boolean", 3),
        Entry("timeout", "30", "integer", 4),
        Entry("timeoutVPN", "1.5", "real", 5),
        Entry("serverName", "2026-01-01T00:00:00Z", "date", 6),
        Entry("vendor", "QUJD", "data", 7),
        Entry("username", None, "array", 8),
        Entry("serverUrl", None, "dict", 9),
        Entry("copyAndPasteProtection", "", "string", 10),
        Entry("allowOtherServers", " false ", "string", 12),
    ]
    # Only string entries are what the app reads as a value; typed ones are reported by the validator.
    assert parsed.settings()["allowOtherServers"] == " false "


def test_a_full_plist_with_comments_around_the_dict_is_read():
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n'
        "<!-- exported from the console -->\n"
        "<dict><key>vendor</key><string>Acme</string></dict>\n"
        "</plist>\n"
    )
    parsed = formats.parse(document)
    assert parsed.format == "plist"
    assert parsed.findings == []
    assert parsed.entries == [Entry("vendor", "Acme", "string", 5)]


SPECFILE_TYPED = """<?xml version="1.0" encoding="UTF-8"?>
<managedAppConfiguration>
  <version>3</version>
  <bundleId>com.mattermost.rn</bundleId>
  <dict>
    <string keyName="serverUrl"><defaultValue><value>https://chat.example.com</value></defaultValue></string>
    <string keyName="username"><defaultValue><userVariable value="emailAddress"/></defaultValue></string>
    <string keyName="vendor"><defaultValue><deviceVariable value="serialNumber"/></defaultValue></string>
    <string keyName="serverName"/>
    <boolean keyName="inAppPinCode"><defaultValue><value>true</value></defaultValue></boolean>
    <integer keyName="timeout"><defaultValue><value>30</value></defaultValue></integer>
    <stringArray keyName="blurApplicationScreen"><defaultValue><value>a</value></defaultValue></stringArray>
    <string keyName="allowOtherServers"><defaultValue><value> false</value></defaultValue></string>
  </dict>
</managedAppConfiguration>
"""


def test_specfile_parse_reads_declared_types_values_variables_and_lines():
    parsed = formats.parse(SPECFILE_TYPED)
    assert parsed.format == "specfile"
    assert parsed.findings == []
    assert (parsed.app_id, parsed.version) == ("com.mattermost.rn", 3)
    assert parsed.entries == [
        Entry("serverUrl", "https://chat.example.com", "string", 6),
        Entry("username", None, "string", 7, variable="emailAddress"),
        Entry("vendor", None, "string", 8, variable="serialNumber"),
        Entry("serverName", None, "string", 9),
        Entry("inAppPinCode", "true", "boolean", 10),
        Entry("timeout", "30", "integer", 11),
        Entry("blurApplicationScreen", None, "stringArray", 12),
        Entry("allowOtherServers", " false", "string", 13),
    ]


MANAGED_TYPED = """{
  "kind": "androidenterprise#managedConfiguration",
  "productId": "app:com.mattermost.rn",
  "managedProperty": [
    {"key": "inAppPinCode", "valueBool": true},
    {"key": "timeout", "valueInteger": 30},
    {"key": "username", "valueStringArray": ["a"]},
    {"key": "serverName", "valueBundle": {"managedProperty": []}},
    {"key": "vendor", "valueBundleArray": []},
    {"key": "serverUrl", "valueString": "https://chat.example.com"}
  ]
}
"""


def test_managed_properties_parse_types_each_value_field_and_keeps_lines():
    parsed = formats.parse(MANAGED_TYPED)
    assert parsed.format == "managed_properties"
    assert parsed.findings == []
    assert parsed.app_id == "com.mattermost.rn"
    assert parsed.entries == [
        Entry("inAppPinCode", "true", "boolean", 5),
        Entry("timeout", "30", "integer", 6),
        Entry("username", None, "array", 7),
        Entry("serverName", None, "dict", 8),
        Entry("vendor", None, "array", 9),
        Entry("serverUrl", "https://chat.example.com", "string", 10),
    ]


AMAPI_TYPED = """{
  "inAppPinCode": true,
  "timeout": 30,
  "timeoutVPN": 1.5,
  "serverName": null,
  "username": ["a"],
  "vendor": {"name": "Acme"},
  "serverUrl": "https://chat.example.com"
}
"""


def test_amapi_parse_types_each_json_value_and_keeps_lines():
    parsed = formats.parse(AMAPI_TYPED)
    assert parsed.format == "amapi"
    assert parsed.findings == []
    assert parsed.app_id is None
    assert parsed.entries == [
        Entry("inAppPinCode", "true", "boolean", 2),
        Entry("timeout", "30", "integer", 3),
        Entry("timeoutVPN", "1.5", "real", 4),
        Entry("serverName", None, "null", 5),
        Entry("username", None, "array", 6),
        Entry("vendor", None, "dict", 7),
        Entry("serverUrl", "https://chat.example.com", "string", 8),
    ]


def test_amapi_parse_reads_the_managed_configuration_of_a_whole_application_policy():
    policy = {
        "packageName": "com.mattermost.rn",
        "installType": "FORCE_INSTALLED",
        "managedConfiguration": {"serverUrl": "https://chat.example.com", "serverName": "Chat"},
    }
    parsed = formats.parse(json.dumps(policy, indent=2))
    assert parsed.format == "amapi"
    assert parsed.app_id == "com.mattermost.rn"
    assert parsed.settings() == policy["managedConfiguration"]
    assert [entry.line for entry in parsed.entries] == [5, 6]


def test_json_duplicates_are_kept_in_document_order_and_the_last_one_wins():
    parsed = formats.parse('{"vendor": "A",\n "vendor": "B"}', "amapi")
    assert parsed.entries == [Entry("vendor", "A", "string", 1), Entry("vendor", "B", "string", 2)]
    assert parsed.settings() == {"vendor": "B"}


def test_settings_are_the_string_values_with_the_last_duplicate_winning():
    parsed = ParsedDocument("plist", entries=[
        Entry("vendor", "A"), Entry("username", None, variable="upn"), Entry("vendor", "B"), Entry("timeout", "5", "integer"),
    ])
    assert parsed.settings() == {"vendor": "B", "timeout": "5"}


@pytest.mark.parametrize(
    "document, fmt",
    [
        ("\ufeff<dict><key>vendor</key><string>Acme</string></dict>", "plist"),
        (b"\xef\xbb\xbf<dict><key>vendor</key><string>Acme</string></dict>", "plist"),
        ('\ufeff{"vendor": "Acme"}', "amapi"),
        (b'\xef\xbb\xbf{"vendor": "Acme"}', "amapi"),
    ],
)
def test_a_byte_order_mark_is_not_an_error(document, fmt):
    parsed = formats.parse(document)
    assert parsed.format == fmt
    assert parsed.findings == []
    assert parsed.settings() == {"vendor": "Acme"}


# Detection


PLIST_WITH_DOCTYPE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
    '<plist version="1.0"><dict/></plist>\n'
)


@pytest.mark.parametrize(
    "document, fmt",
    [
        ("<managedAppConfiguration><version>1</version></managedAppConfiguration>", "specfile"),
        ('<?xml version="1.0"?>\n<!-- generated -->\n<managedAppConfiguration/>', "specfile"),
        ('<managedAppConfiguration xmlns="urn:example">', "specfile"),
        ("<dict><key>vendor</key><string>Acme</string></dict>", "plist"),
        (PLIST_WITH_DOCTYPE, "plist"),
        (PLIST_WITH_DOCTYPE.encode("utf-8"), "plist"),
        ("\ufeff" + PLIST_WITH_DOCTYPE, "plist"),
        (b"\xef\xbb\xbf" + PLIST_WITH_DOCTYPE.encode("utf-8"), "plist"),
        ("\n\n   \t<!-- Intune app configuration -->\n<!-- second comment -->\n<dict/>", "plist"),
        ("<?xml version='1.0'?><?xml-stylesheet href='x.xsl'?><plist/>", "plist"),
        ('{"kind": "androidenterprise#managedConfiguration", "productId": "app:x"}', "managed_properties"),
        ('{"managedProperty": []}', "managed_properties"),
        ('  \r\n{"serverUrl": "https://chat.example.com"}', "amapi"),
        ('{"packageName": "com.mattermost.rn", "managedConfiguration": {"serverUrl": "https://c.example.com"}}', "amapi"),
        ("{}", "amapi"),
    ],
)
def test_detect_recognises_each_format(document, fmt):
    assert formats.detect(document) == fmt


@pytest.mark.parametrize(
    "document",
    ["", "   ", "serverUrl: https://chat.example.com", "[1, 2]", "<html><body/></html>", "<array/>",
     "<!-- only a comment -->", b"\x00\x01\x02"],
)
def test_detect_refuses_what_is_no_configuration_document(document):
    with pytest.raises(ValueError) as caught:
        formats.detect(document)
    for name in formats.FORMATS:
        assert name in str(caught.value)


def test_parse_without_a_format_uses_the_detected_one():
    assert formats.parse("<dict/>").format == "plist"
    assert formats.parse('{"managedProperty": []}').format == "managed_properties"


def test_every_format_has_a_platform_and_a_parser():
    assert formats.FORMATS == ("specfile", "plist", "managed_properties", "amapi")
    assert formats.READ_FORMATS == formats.FORMATS + ("graph", "jamf", "workspace_one", "amapi_policy")
    assert formats.PLATFORM == {"specfile": None, "plist": "ios", "managed_properties": "android", "amapi": "android",
                                "graph": None, "jamf": "ios", "workspace_one": None, "amapi_policy": "android"}
