# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The project's specfile schema against the grammar and the two community XSDs.

Contract: every managedAppConfiguration document that a community XSD accepts, ours accepts,
and ours accepts nothing that the more permissive community XSD (speccreator) rejects, save
what sits inside <license>, which ours does not inspect.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.formats.specfile_schema import (
    schema_errors,
    specfile_schema,
)
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import parse_xml

SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "appconfig"

KEY_TYPES = ("string", "stringArray", "integer", "integerArray", "float", "floatArray", "date", "boolean")
FIELD_TYPES = ("input", "select", "multiselect", "checkbox", "hidden", "datetime", "list")
USER_VARIABLES = (
    "cn", "displayName", "dn", "emailAddress", "emailAddressDomain", "emailAddressLocalPart",
    "firstName", "lastName", "locale", "ou", "sAMAccountName", "username", "upn",
)
DEVICE_VARIABLES = ("iccid", "imei", "imsi", "meid", "model", "phoneNumber", "serialNumber", "udid", "wifiMacAddress")


@pytest.fixture(scope="module")
def community():
    """The two community XSDs, keyed by their short name."""
    if not SPECS.is_dir():
        pytest.skip("../shared/specs/appconfig not found: community XSD contract tests skipped")
    return {
        name: etree.XMLSchema(parse_xml((SPECS / f"appconfig-specfile-{name}.xsd").read_bytes()))
        for name in ("generator", "speccreator")
    }


def accepted(schema: etree.XMLSchema, document: bytes | str) -> bool:
    return schema.validate(parse_xml(document))


# ---------------------------------------------------------------- strategies
# Each slot yields a valid lexical form, or with the document's error rate a near miss, so that
# the run holds both documents the community XSDs accept and ones they reject.

TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn"), include_characters="\t\n"), max_size=12)
INTS = st.one_of(st.integers(-(2**31), 2**31 - 1).map(str), st.sampled_from(["+5", "007", " 42 ", "-0"]))
FLOATS = st.one_of(
    st.floats(width=32, allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["INF", "-INF", "NaN", ".5", "1e+3", "7"]),
)
DATES = st.datetimes().map(lambda d: d.isoformat()) | st.sampled_from(["2026-01-31T08:00:00Z", "2026-06-01T12:30:00+02:00"])
BOOLS = st.sampled_from(["true", "false", "1", "0"])
LANGUAGES = st.sampled_from(["en", "en-US", "de-CH", "fr", "zh-Hant-TW", "x-klingon"])
VERSIONS = st.one_of(st.integers(1, 99999).map(str), st.sampled_from(["+3", "00012", " 9 "]))
LABEL = st.text("abcXYZ019", min_size=1, max_size=5)
BUNDLE_IDS = st.builds(
    lambda first, rest: first + "".join(sep + label for sep, label in rest),
    LABEL,
    st.lists(st.tuples(st.sampled_from([".", ".", ".", "-", "+"]), LABEL), min_size=1, max_size=3),
)

NEAR_MISS = {
    "int": st.sampled_from(["1.5", "2147483648", "ten", ""]),
    "float": st.sampled_from(["1,5", "inf", "nan", "x"]),
    "date": st.sampled_from(["2026-01-31", "yesterday", "2026-13-01T00:00:00"]),
    "bool": st.sampled_from(["True", "yes", "on"]),
    "language": st.sampled_from(["en_US", "", "englishlanguage"]),
    "version": st.sampled_from(["0", "-1", "100000", "1.0", "v2", ""]),
    "bundle": st.sampled_from(["rn", ".com.a", "com..a", "com.a_b", "com.\u00e4", "com.a ", "com.a-"]),
    "field": st.sampled_from(["radio", "Input", ""]),
    "user": st.sampled_from(["email", "userPrincipalName", "UPN"]),
    "device": st.sampled_from(["serial", "mac", "IMEI"]),
}
GOOD = {
    "int": INTS, "float": FLOATS, "date": DATES, "bool": BOOLS, "language": LANGUAGES,
    "version": VERSIONS, "bundle": BUNDLE_IDS, "field": st.sampled_from(FIELD_TYPES),
    "user": st.sampled_from(USER_VARIABLES), "device": st.sampled_from(DEVICE_VARIABLES),
}
# Lexical kind of value and of min/max per key type.
VALUE_KIND = {"integer": "int", "integerArray": "int", "float": "float", "floatArray": "float", "date": "date", "boolean": "bool"}
BOUND_KIND = {"string": "int", "stringArray": "int", "integer": "int", "integerArray": "int",
              "float": "float", "floatArray": "int", "date": "date"}
# None of these is declared globally by speccreator, which would validate such a child of
# <license> (its license is xs:anyType, lax); ours never looks inside.
LICENSE_TAGS = ("p", "b", "br", "notice", "\u6761\u6b3e")


@st.composite
def specfiles(draw) -> bytes:
    """A managedAppConfiguration document over the whole grammar, sometimes slightly wrong."""
    error_rate = draw(st.sampled_from([0, 0, 0, 5, 20]))

    def wrong() -> bool:
        return draw(st.integers(0, 99)) < error_rate

    def lexical(kind: str) -> str:
        return draw(NEAR_MISS[kind] if wrong() else GOOD[kind])

    def add(parent, tag, text=None, **attributes):
        child = etree.SubElement(parent, tag, {name: value for name, value in attributes.items() if value is not None})
        child.text = text
        return child

    def maybe(kind: str) -> str | None:
        return lexical(kind) if draw(st.booleans()) else None

    def localized(parent, tag):
        element = add(parent, tag)
        for _item in range(draw(st.integers(0 if wrong() else 1, 2))):
            add(element, "language", draw(TEXT), value=maybe("language"))
        return element

    root = etree.Element("managedAppConfiguration")
    if not wrong():
        add(root, "version", lexical("version"))
    add(root, "bundleId", lexical("bundle"))
    key_dict = add(root, "dict")
    names = draw(st.lists(st.one_of(st.sampled_from(["serverUrl", "username", "timeout"]), TEXT),
                          min_size=0 if wrong() else 1, max_size=5, unique=True))
    if names and wrong():
        names.append(names[0])
    for name in names:
        key_type = draw(st.sampled_from(KEY_TYPES))
        key = add(key_dict, key_type, keyName=name)
        if draw(st.booleans()):
            default = add(key, "defaultValue")
            if key_type.startswith("string"):
                count = draw(st.integers(0, 3 if key_type == "stringArray" or wrong() else 1))
                for choice in draw(st.lists(st.sampled_from(["value", "userVariable", "deviceVariable"]),
                                            min_size=count, max_size=count)):
                    if choice == "value":
                        add(default, "value", draw(TEXT))
                    else:
                        add(default, choice, value=lexical("user" if choice == "userVariable" else "device"))
            else:
                many = key_type.endswith("Array") or wrong()
                for _item in range(draw(st.integers(0, 3 if many else 1))):
                    add(default, "value", lexical(VALUE_KIND[key_type]))
        if draw(st.booleans()):
            bound = BOUND_KIND.get(key_type)
            constraint = add(key, "constraint", nullable=maybe("bool"),
                             min=maybe(bound) if bound else None, max=maybe(bound) if bound else None)
            if key_type.startswith("string") and draw(st.booleans()):
                constraint.set("pattern", draw(TEXT))
            if (key_type not in ("date", "boolean") and draw(st.booleans())) or wrong():
                values = add(constraint, "values")
                for _item in range(draw(st.integers(0 if wrong() else 1, 3))):
                    kind = VALUE_KIND.get(key_type)
                    add(values, "value", lexical(kind) if kind else draw(TEXT))
        if wrong():
            key.set("type", "string")
    if wrong():
        add(key_dict, draw(st.sampled_from(["url", "dictionary", "stringarray"])), keyName="extra")

    if draw(st.booleans()):
        presentation = add(root, "presentation", defaultLocale=lexical("language"))

        def field(parent):
            known = draw(st.sampled_from(names)) if names else None
            element = add(parent, "field", keyName=draw(TEXT) if known is None or wrong() else known,
                          type=lexical("field"))
            for tag in ("label", "description"):
                if draw(st.booleans()):
                    localized(element, tag)
            if draw(st.booleans()):
                options = add(element, "options")
                for _item in range(draw(st.integers(0 if wrong() else 1, 2))):
                    option = localized(options, "option")
                    option.set("value", draw(TEXT))
                    if draw(st.booleans()):
                        option.set("selected", lexical("bool"))

        for _item in range(draw(st.integers(0 if wrong() else 1, 3))):
            if draw(st.booleans()):
                group = add(presentation, "fieldGroup")
                if not wrong():
                    localized(group, "name")
                for _item in range(draw(st.integers(0 if wrong() else 1, 2))):
                    field(group)
            else:
                field(presentation)

    if draw(st.booleans()):
        license_ = add(root, "license", draw(TEXT))
        for tag in draw(st.lists(st.sampled_from(LICENSE_TAGS), max_size=2)):
            add(license_, tag, draw(TEXT), year=maybe("int"))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


# ---------------------------------------------------------------- the contract

def test_accepts_every_document_a_community_xsd_accepts(community):
    """(generator OR speccreator) => ours, which implies (generator AND speccreator) => ours,
    and ours => speccreator, so ours never lets through what the community tools refuse."""
    tally = collections.Counter()

    # Deadline and CI determinism come from the profiles in conftest.py.
    @settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
    @given(specfiles())
    def check(document: bytes):
        tree = parse_xml(document)
        generator, speccreator = (community[name].validate(tree) for name in ("generator", "speccreator"))
        ours = specfile_schema().validate(tree)
        verdict = "both" if generator and speccreator else "one" if generator or speccreator else "neither"
        tally[verdict] += 1
        event(f"accepted by community XSDs: {verdict}")
        if generator or speccreator:
            assert ours, f"ours rejects a document a community XSD accepts: {schema_errors(tree)}\n{document.decode()}"
        if ours:
            assert speccreator, f"ours accepts what speccreator rejects\n{document.decode()}"

    check()
    print(f"\ngenerated specfiles: {dict(tally)}")
    # The property must not hold vacuously: plenty of documents pass both community XSDs.
    assert tally["both"] >= 50 and tally["neither"] >= 50, tally


# ---------------------------------------------------------------- documents we must reject

def specfile(dict_body: str = '<string keyName="serverUrl"/>', presentation: str = "", *,
             version: str = "<version>1</version>", bundle: str = "com.mattermost.rn", root: str = "managedAppConfiguration") -> str:
    return (f"<{root}>\n{version}\n<bundleId>{bundle}</bundleId>\n<dict>{dict_body}</dict>\n"
            f"{presentation}</{root.split()[0]}>\n")


def field(key_name: str = "serverUrl", field_type: str = "input") -> str:
    return f'<presentation defaultLocale="en"><field keyName="{key_name}" type="{field_type}"/></presentation>\n'


NEGATIVE = {
    "missing version": (specfile(version=""), "expected version"),
    "version 0": (specfile(version="<version>0</version>"), "less than the minimum"),
    "version as text": (specfile(version="<version>one</version>"), "'one' is not a valid Version"),
    "version of six digits": (specfile(version="<version>100000</version>"), "digits"),
    "bundle id with one label": (specfile(bundle="mattermost"), "pattern"),
    "bundle id with underscore": (specfile(bundle="com.matter_most.rn"), "pattern"),
    "duplicate keyName": (specfile('<string keyName="a"/><integer keyName="a"/>'),
                          "keyName 'a' is declared more than once in dict"),
    "field keyName not in dict": (specfile(presentation=field("serverURL")), "keyName 'serverURL' is not declared in dict"),
    "grouped field keyName not in dict": (
        specfile(presentation='<presentation defaultLocale="en"><fieldGroup><name><language>S</language></name>'
                              '<field keyName="nope" type="input"/></fieldGroup></presentation>\n'),
        "keyName 'nope' is not declared in dict"),
    "unknown element in dict": (specfile('<string keyName="a"/><url keyName="b"/>'), "Element 'url'"),
    "empty dict": (specfile(""), "Missing child element"),
    "wrong field type": (specfile(presentation=field(field_type="radio")), "'radio' is not an element of the set"),
    "unknown userVariable": (
        specfile('<string keyName="u"><defaultValue><userVariable value="email"/></defaultValue></string>'),
        "'email' is not an element of the set"),
    "unknown deviceVariable": (
        specfile('<string keyName="d"><defaultValue><deviceVariable value="serial"/></defaultValue></string>'),
        "'serial' is not an element of the set"),
    "two string defaults": (
        specfile('<string keyName="s"><defaultValue><value>a</value><value>b</value></defaultValue></string>'),
        "Element 'value'"),
    "integer default not an int": (
        specfile('<integer keyName="i"><defaultValue><value>1.5</value></defaultValue></integer>'),
        "'1.5' is not a valid xs:int"),
    "constraint before defaultValue": (
        specfile('<string keyName="s"><constraint/><defaultValue/></string>'), "Element 'defaultValue'"),
    "values in a date constraint": (
        specfile('<date keyName="d"><constraint><values><value>2026-01-01T00:00:00Z</value></values></constraint></date>'),
        "content type is empty"),
    "fractional bound on a floatArray": (
        specfile('<floatArray keyName="f"><constraint min="1.5"/></floatArray>'), "'1.5' is not a valid xs:int"),
    "missing defaultLocale": (
        specfile(presentation='<presentation><field keyName="serverUrl" type="input"/></presentation>\n'),
        "defaultLocale"),
    "namespaced root": (specfile(root='managedAppConfiguration xmlns="urn:appconfig"'),
                        "root element must be 'managedAppConfiguration' without a namespace"),
    "license before presentation": (
        specfile(presentation="<license>MIT</license>\n" + field()), "Element 'presentation'"),
}


@pytest.mark.parametrize("name", NEGATIVE)
def test_rejects(name):
    document, expected = NEGATIVE[name]
    errors = schema_errors(parse_xml(document))
    assert errors, f"{name} was accepted"
    assert any(expected in message for _line, message in errors), errors
    assert all(line is not None and "{urn:" not in message for line, message in errors), errors


@pytest.mark.parametrize("name", [name for name in NEGATIVE if name != "license before presentation"])
def test_community_xsds_reject_them_too(community, name):
    document = NEGATIVE[name][0]
    assert not any(accepted(schema, document) for schema in community.values())


def community_enumerations(community_xsd: Path) -> dict[str, list[str]]:
    """Enumerated values of userVariable, deviceVariable and field/@type in a community XSD."""
    xsd = parse_xml(community_xsd.read_bytes())
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    return {
        name: xsd.xpath(f"//xs:element[@name='{element}']//xs:attribute[@name='{attribute}']//xs:enumeration/@value",
                        namespaces=ns)
        for name, element, attribute in (
            ("userVariable", "userVariable", "value"),
            ("deviceVariable", "deviceVariable", "value"),
            ("field", "field", "type"),
        )
    }


@pytest.mark.parametrize("xsd_name", ["generator", "speccreator"])
def test_accepts_every_enumerated_value_of_the_community_xsds(community, xsd_name):
    enumerations = community_enumerations(SPECS / f"appconfig-specfile-{xsd_name}.xsd")
    assert all(enumerations.values()), enumerations
    for kind in ("userVariable", "deviceVariable"):
        for value in enumerations[kind]:
            document = specfile(f'<string keyName="v"><defaultValue><{kind} value="{value}"/></defaultValue></string>')
            assert accepted(community[xsd_name], document)
            assert schema_errors(parse_xml(document)) == [], (kind, value)
    for value in enumerations["field"]:
        assert schema_errors(parse_xml(specfile(presentation=field(field_type=value)))) == [], value


def test_error_lines_point_at_the_offending_element():
    document = specfile('<string keyName="a"/>\n<string keyName="a"/>', field("b"))
    assert schema_errors(parse_xml(document)) == [
        (5, "Element 'string': keyName 'a' is declared more than once in dict"),
        (6, "Element 'field': keyName 'b' is not declared in dict"),
    ]


def test_schema_is_built_once():
    assert specfile_schema() is specfile_schema()


# ---------------------------------------------------------------- real-world-ish documents

MATTERMOST = """<?xml version="1.0" encoding="UTF-8"?>
<managedAppConfiguration>
  <version>3</version>
  <bundleId>com.mattermost.rn</bundleId>
  <dict>
    <string keyName="serverUrl"><defaultValue><value>https://chat.example.com</value></defaultValue></string>
    <string keyName="serverName"><defaultValue><value>Example Chat</value></defaultValue></string>
    <string keyName="allowOtherServers">
      <defaultValue><value>false</value></defaultValue>
      <constraint nullable="false"><values><value>true</value><value>false</value></values></constraint>
    </string>
    <string keyName="username"><defaultValue><userVariable value="emailAddress"/></defaultValue></string>
    <string keyName="inAppPinCode"><defaultValue><value>true</value></defaultValue></string>
    <string keyName="timeout"><defaultValue><value>30000</value></defaultValue><constraint pattern="[0-9]+"/></string>
  </dict>
  <presentation defaultLocale="en-US">
    <fieldGroup>
      <name><language value="en-US">Server</language><language value="de-DE">Server</language></name>
      <field keyName="serverUrl" type="input">
        <label><language value="en-US">Server URL</language></label>
        <description><language value="en-US">The Mattermost server the app connects to.</language></description>
      </field>
      <field keyName="serverName" type="input"><label><language value="en-US">Server name</language></label></field>
      <field keyName="allowOtherServers" type="select">
        <label><language value="en-US">Allow other servers</language></label>
        <options>
          <option value="true"><language value="en-US">Yes</language></option>
          <option value="false" selected="true"><language value="en-US">No</language></option>
        </options>
      </field>
    </fieldGroup>
    <field keyName="username" type="input"><label><language value="en-US">Login ID</language></label></field>
    <field keyName="inAppPinCode" type="checkbox"/>
    <field keyName="timeout" type="hidden"/>
  </presentation>
</managedAppConfiguration>
"""

FIELD_SERVICE = """<?xml version="1.0" encoding="UTF-8"?>
<managedAppConfiguration>
  <version>12</version>
  <bundleId>com.example.field-service+beta</bundleId>
  <dict>
    <stringArray keyName="allowedHosts">
      <defaultValue><value>api.example.com</value><deviceVariable value="serialNumber"/></defaultValue>
      <constraint min="1" max="10"/>
    </stringArray>
    <integer keyName="syncMinutes"><defaultValue><value>15</value></defaultValue><constraint min="5" max="1440"/></integer>
    <integerArray keyName="ports"><defaultValue><value>443</value><value>8443</value></defaultValue></integerArray>
    <float keyName="zoom"><defaultValue><value>1.25</value></defaultValue><constraint min="0.5" max="4"/></float>
    <floatArray keyName="geofence"><constraint min="2" max="2"><values><value>47.37</value><value>8.54</value></values></constraint></floatArray>
    <date keyName="licenceExpiry"><defaultValue><value>2027-01-01T00:00:00Z</value></defaultValue><constraint nullable="true"/></date>
    <boolean keyName="offlineMode"><defaultValue><value>false</value></defaultValue><constraint nullable="false"/></boolean>
  </dict>
  <presentation defaultLocale="fr-CH">
    <field keyName="allowedHosts" type="list"><label><language value="fr-CH">H\u00f4tes autoris\u00e9s</language></label></field>
    <field keyName="licenceExpiry" type="datetime"/>
    <field keyName="ports" type="multiselect"/>
  </presentation>
</managedAppConfiguration>
"""

WITH_LICENSE = """<?xml version="1.0" encoding="UTF-8"?>
<managedAppConfiguration>
  <version>1</version>
  <bundleId>io.example.notes</bundleId>
  <dict><string keyName="tenant"><defaultValue><userVariable value="upn"/></defaultValue></string></dict>
  <presentation defaultLocale="en"><field keyName="tenant" type="input"/></presentation>
  <license>Copyright 2026 Example Ltd. Licensed under the Apache License, <b>Version 2.0</b>.</license>
</managedAppConfiguration>
"""

# Which community XSDs accept each example: the union matters, not the intersection.
EXAMPLES = {
    "mattermost": (MATTERMOST, {"generator": True, "speccreator": True}),
    "bundle id with - and +": (FIELD_SERVICE, {"generator": False, "speccreator": True}),
    "license": (WITH_LICENSE, {"generator": False, "speccreator": True}),
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_accepts_real_world_examples(name):
    assert schema_errors(parse_xml(EXAMPLES[name][0])) == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_real_world_examples_against_community_xsds(community, name):
    document, expected = EXAMPLES[name]
    assert {schema_name: accepted(schema, document) for schema_name, schema in community.items()} == expected


def test_only_managed_app_configuration_is_a_root(community):
    # The community XSDs declare every element globally, so a bare <dict> validates there.
    # It is not a specfile: ours rejects it on purpose.
    document = '<dict><string keyName="serverUrl"/></dict>'
    assert all(accepted(schema, document) for schema in community.values())
    assert schema_errors(parse_xml(document)) == [
        (1, "Element 'dict': the root element must be 'managedAppConfiguration' without a namespace"),
    ]
