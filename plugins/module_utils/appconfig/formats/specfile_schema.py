# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The AppConfig specfile grammar as an XML Schema, and readable validation errors.

Ansible copies module_utils to the target as Python only, so the schema is a string here.
It accepts every specfile that the published community schemas accept (the optional
``license`` element of one, and bundle ids with ``-`` or ``+`` of the other), with
``managedAppConfiguration`` as the only root.
"""

from __future__ import annotations

import functools
import re

from ansible_collections.mattermost.emm.plugins.module_utils.third_party import etree

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import parse_xml

SPECFILE_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <!-- No target namespace: specfile elements are unqualified. -->
  <xs:element name="managedAppConfiguration">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="version" type="Version"/>
        <xs:element name="bundleId" type="BundleId"/>
        <xs:element name="dict" type="Dict"/>
        <xs:element name="presentation" type="Presentation" minOccurs="0"/>
        <xs:element name="license" type="Opaque" minOccurs="0"/>
      </xs:sequence>
    </xs:complexType>
    <!-- Each key is declared once; each field names a declared key. -->
    <xs:key name="keyName">
      <xs:selector xpath="dict/*"/>
      <xs:field xpath="@keyName"/>
    </xs:key>
    <xs:keyref name="fieldKeyName" refer="keyName">
      <xs:selector xpath="presentation/field|presentation/fieldGroup/field"/>
      <xs:field xpath="@keyName"/>
    </xs:keyref>
  </xs:element>

  <!-- Revision counter, 1 to 99999. -->
  <xs:simpleType name="Version">
    <xs:restriction base="xs:int">
      <xs:minInclusive value="1"/>
      <xs:totalDigits value="5"/>
    </xs:restriction>
  </xs:simpleType>

  <!-- Two or more alphanumeric labels joined by '.', '-' or '+'. -->
  <xs:simpleType name="BundleId">
    <xs:restriction base="xs:string">
      <xs:pattern value="[a-zA-Z0-9]+([.+\\-][a-zA-Z0-9]+)+"/>
    </xs:restriction>
  </xs:simpleType>

  <!-- Licence text some generators append: kept, never interpreted. -->
  <xs:complexType name="Opaque" mixed="true">
    <xs:sequence>
      <xs:any minOccurs="0" maxOccurs="unbounded" processContents="skip"/>
    </xs:sequence>
    <xs:anyAttribute processContents="skip"/>
  </xs:complexType>

  <!-- dict: one element per key, named after the value type. -->
  <xs:complexType name="Dict">
    <xs:choice maxOccurs="unbounded">
      <xs:element name="string" type="StringKey"/>
      <xs:element name="stringArray" type="StringArrayKey"/>
      <xs:element name="integer" type="IntegerKey"/>
      <xs:element name="integerArray" type="IntegerArrayKey"/>
      <xs:element name="float" type="FloatKey"/>
      <xs:element name="floatArray" type="FloatArrayKey"/>
      <xs:element name="date" type="DateKey"/>
      <xs:element name="boolean" type="BooleanKey"/>
    </xs:choice>
  </xs:complexType>

  <xs:attributeGroup name="KeyName">
    <xs:attribute name="keyName" type="xs:string" use="required"/>
  </xs:attributeGroup>

  <xs:complexType name="StringKey">
    <xs:sequence>
      <xs:element name="defaultValue" type="StringDefault" minOccurs="0"/>
      <xs:element name="constraint" type="StringConstraint" minOccurs="0"/>
    </xs:sequence>
    <xs:attributeGroup ref="KeyName"/>
  </xs:complexType>
  <xs:complexType name="StringArrayKey">
    <xs:sequence>
      <xs:element name="defaultValue" type="StringArrayDefault" minOccurs="0"/>
      <xs:element name="constraint" type="StringConstraint" minOccurs="0"/>
    </xs:sequence>
    <xs:attributeGroup ref="KeyName"/>
  </xs:complexType>
  <xs:complexType name="IntegerKey">
    <xs:sequence>
      <xs:element name="defaultValue" type="IntegerDefault" minOccurs="0"/>
      <xs:element name="constraint" type="IntegerConstraint" minOccurs="0"/>
    </xs:sequence>
    <xs:attributeGroup ref="KeyName"/>
  </xs:complexType>
  <xs:complexType name="IntegerArrayKey">
    <xs:sequence>
      <xs:element name="defaultValue" type="IntegerArrayDefault" minOccurs="0"/>
      <xs:element name="constraint" type="IntegerConstraint" minOccurs="0"/>
    </xs:sequence>
    <xs:attributeGroup ref="KeyName"/>
  </xs:complexType>
  <xs:complexType name="FloatKey">
    <xs:sequence>
      <xs:element name="defaultValue" type="FloatDefault" minOccurs="0"/>
      <xs:element name="constraint" type="FloatConstraint" minOccurs="0"/>
    </xs:sequence>
    <xs:attributeGroup ref="KeyName"/>
  </xs:complexType>
  <xs:complexType name="FloatArrayKey">
    <xs:sequence>
      <xs:element name="defaultValue" type="FloatArrayDefault" minOccurs="0"/>
      <xs:element name="constraint" type="FloatArrayConstraint" minOccurs="0"/>
    </xs:sequence>
    <xs:attributeGroup ref="KeyName"/>
  </xs:complexType>
  <xs:complexType name="DateKey">
    <xs:sequence>
      <xs:element name="defaultValue" type="DateDefault" minOccurs="0"/>
      <xs:element name="constraint" type="DateConstraint" minOccurs="0"/>
    </xs:sequence>
    <xs:attributeGroup ref="KeyName"/>
  </xs:complexType>
  <xs:complexType name="BooleanKey">
    <xs:sequence>
      <xs:element name="defaultValue" type="BooleanDefault" minOccurs="0"/>
      <xs:element name="constraint" type="BooleanConstraint" minOccurs="0"/>
    </xs:sequence>
    <xs:attributeGroup ref="KeyName"/>
  </xs:complexType>

  <!-- Defaults: scalars hold at most one value, arrays any number; strings may instead
       name a variable the EMM fills in per user or per device. -->
  <xs:complexType name="StringDefault">
    <xs:choice minOccurs="0">
      <xs:element name="value" type="xs:string"/>
      <xs:element name="userVariable" type="UserVariable"/>
      <xs:element name="deviceVariable" type="DeviceVariable"/>
    </xs:choice>
  </xs:complexType>
  <xs:complexType name="StringArrayDefault">
    <xs:choice minOccurs="0" maxOccurs="unbounded">
      <xs:element name="value" type="xs:string"/>
      <xs:element name="userVariable" type="UserVariable"/>
      <xs:element name="deviceVariable" type="DeviceVariable"/>
    </xs:choice>
  </xs:complexType>
  <xs:complexType name="IntegerDefault">
    <xs:sequence><xs:element name="value" type="xs:int" minOccurs="0"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="IntegerArrayDefault">
    <xs:sequence><xs:element name="value" type="xs:int" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="FloatDefault">
    <xs:sequence><xs:element name="value" type="xs:float" minOccurs="0"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="FloatArrayDefault">
    <xs:sequence><xs:element name="value" type="xs:float" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="DateDefault">
    <xs:sequence><xs:element name="value" type="xs:dateTime" minOccurs="0"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="BooleanDefault">
    <xs:sequence><xs:element name="value" type="xs:boolean" minOccurs="0"/></xs:sequence>
  </xs:complexType>

  <xs:complexType name="UserVariable">
    <xs:attribute name="value" use="required">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="cn"/>
          <xs:enumeration value="displayName"/>
          <xs:enumeration value="dn"/>
          <xs:enumeration value="emailAddress"/>
          <xs:enumeration value="emailAddressDomain"/>
          <xs:enumeration value="emailAddressLocalPart"/>
          <xs:enumeration value="firstName"/>
          <xs:enumeration value="lastName"/>
          <xs:enumeration value="locale"/>
          <xs:enumeration value="ou"/>
          <xs:enumeration value="sAMAccountName"/>
          <xs:enumeration value="upn"/>
          <xs:enumeration value="username"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
  </xs:complexType>
  <xs:complexType name="DeviceVariable">
    <xs:attribute name="value" use="required">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="iccid"/>
          <xs:enumeration value="imei"/>
          <xs:enumeration value="imsi"/>
          <xs:enumeration value="meid"/>
          <xs:enumeration value="model"/>
          <xs:enumeration value="phoneNumber"/>
          <xs:enumeration value="serialNumber"/>
          <xs:enumeration value="udid"/>
          <xs:enumeration value="wifiMacAddress"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
  </xs:complexType>

  <!-- Constraints: min/max bound the value, or the length of a string or array. -->
  <xs:complexType name="StringConstraint">
    <xs:sequence>
      <xs:element name="values" minOccurs="0">
        <xs:complexType>
          <xs:sequence><xs:element name="value" type="xs:string" maxOccurs="unbounded"/></xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="min" type="xs:int"/>
    <xs:attribute name="max" type="xs:int"/>
    <xs:attribute name="nullable" type="xs:boolean"/>
    <xs:attribute name="pattern" type="xs:string"/>
  </xs:complexType>
  <xs:complexType name="IntegerConstraint">
    <xs:sequence>
      <xs:element name="values" minOccurs="0">
        <xs:complexType>
          <xs:sequence><xs:element name="value" type="xs:int" maxOccurs="unbounded"/></xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="min" type="xs:int"/>
    <xs:attribute name="max" type="xs:int"/>
    <xs:attribute name="nullable" type="xs:boolean"/>
  </xs:complexType>
  <xs:complexType name="FloatConstraint">
    <xs:sequence>
      <xs:element name="values" type="FloatValues" minOccurs="0"/>
    </xs:sequence>
    <xs:attribute name="min" type="xs:float"/>
    <xs:attribute name="max" type="xs:float"/>
    <xs:attribute name="nullable" type="xs:boolean"/>
  </xs:complexType>
  <xs:complexType name="FloatArrayConstraint">
    <xs:sequence>
      <xs:element name="values" type="FloatValues" minOccurs="0"/>
    </xs:sequence>
    <xs:attribute name="min" type="xs:int"/>
    <xs:attribute name="max" type="xs:int"/>
    <xs:attribute name="nullable" type="xs:boolean"/>
  </xs:complexType>
  <xs:complexType name="FloatValues">
    <xs:sequence><xs:element name="value" type="xs:float" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="DateConstraint">
    <xs:attribute name="min" type="xs:dateTime"/>
    <xs:attribute name="max" type="xs:dateTime"/>
    <xs:attribute name="nullable" type="xs:boolean"/>
  </xs:complexType>
  <xs:complexType name="BooleanConstraint">
    <xs:attribute name="nullable" type="xs:boolean"/>
  </xs:complexType>

  <!-- presentation: how the EMM console lays the keys out, with localised text. -->
  <xs:complexType name="Presentation">
    <xs:choice maxOccurs="unbounded">
      <xs:element name="fieldGroup" type="FieldGroup"/>
      <xs:element name="field" type="Field"/>
    </xs:choice>
    <xs:attribute name="defaultLocale" type="xs:language" use="required"/>
  </xs:complexType>
  <xs:complexType name="FieldGroup">
    <xs:sequence>
      <xs:element name="name" type="Localized"/>
      <xs:element name="field" type="Field" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Field">
    <xs:sequence>
      <xs:element name="label" type="Localized" minOccurs="0"/>
      <xs:element name="description" type="Localized" minOccurs="0"/>
      <xs:element name="options" minOccurs="0">
        <xs:complexType>
          <xs:sequence><xs:element name="option" type="Option" maxOccurs="unbounded"/></xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attributeGroup ref="KeyName"/>
    <xs:attribute name="type" use="required">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="input"/>
          <xs:enumeration value="select"/>
          <xs:enumeration value="multiselect"/>
          <xs:enumeration value="checkbox"/>
          <xs:enumeration value="hidden"/>
          <xs:enumeration value="datetime"/>
          <xs:enumeration value="list"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
  </xs:complexType>
  <!-- One text per language; value is the language tag. -->
  <xs:complexType name="Localized">
    <xs:sequence>
      <xs:element name="language" maxOccurs="unbounded">
        <xs:complexType>
          <xs:simpleContent>
            <xs:extension base="xs:string">
              <xs:attribute name="value" type="xs:language"/>
            </xs:extension>
          </xs:simpleContent>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Option">
    <xs:complexContent>
      <xs:extension base="Localized">
        <xs:attribute name="value" type="xs:string" use="required"/>
        <xs:attribute name="selected" type="xs:boolean"/>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
</xs:schema>
"""

# lxml names elements '{namespace}local', tags each facet and quotes whole key tuples: say it plainly.
_REWRITES = (
    (re.compile(r"\{[^'}][^}]*\}"), ""),
    (re.compile(r"\[facet '\w+'\] "), ""),
    (re.compile(r"No matching global declaration available for the validation root"),
     "the root element must be 'managedAppConfiguration' without a namespace"),
    (re.compile(r"Duplicate key-sequence \['(.*)'\] in key identity-constraint 'keyName'"),
     r"keyName '\1' is declared more than once in dict"),
    (re.compile(r"No match found for key-sequence \['(.*)'\] of keyref 'fieldKeyName'"),
     r"keyName '\1' is not declared in dict"),
    (re.compile(r"This element is not expected\. Expected is (?:one of )?\( (.*) \)"), r"expected \1 here"),
    (re.compile(r"is not a valid value of the atomic type '([\w:]+)'"), r"is not a valid \1"),
    (re.compile(r"is not a valid value of the local atomic type"), "is not an allowed value"),
)


@functools.lru_cache(maxsize=None)
def specfile_schema() -> etree.XMLSchema:
    """The specfile schema, compiled once per process."""
    return etree.XMLSchema(parse_xml(SPECFILE_XSD))


def schema_errors(tree: etree._ElementTree | etree._Element) -> list[tuple[int | None, str]]:
    """(line, message) for each way `tree` breaks the specfile grammar; empty when valid."""
    schema = specfile_schema()
    if schema.validate(tree):
        return []
    return [(error.line or None, _readable(error.message)) for error in schema.error_log]


def _readable(message: str) -> str:
    for pattern, replacement in _REWRITES:
        message = pattern.sub(replacement, message)
    return message.strip().rstrip(".")
