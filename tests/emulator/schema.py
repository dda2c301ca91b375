# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Request bodies checked against Microsoft's Graph descriptions, and answers shaped like Graph's.

Sources, all under the specs folder (see its README.md):

- type-mappings/{version}-{entity,complex,enum}-types.json: each type's own property and
  navigation-property names and each enum's members; the authority on what exists in a version.
- csdl/v1.0-cleanMetadata.xml (v1.0) and typings/beta-microsoft-graph.d.ts (beta): base types,
  property types, nullability and enum member order, which the mappings do not give.

A version's model is parsed on first use (a few tenths of a second) and cached for the process.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import GraphError, bad_request
from .kinds import ODATA_TYPE, incompatible_type, type_name, unresolvable_type

LOG = logging.getLogger(__name__)
GRAPH = "microsoft.graph"
_EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
_INTEGERS = frozenset({"Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte"})
_NUMBERS = frozenset({"Edm.Double", "Edm.Single", "Edm.Decimal"})
_STRINGS = frozenset({"Edm.String", "Edm.Guid", "Edm.DateTimeOffset", "Edm.Date", "Edm.TimeOfDay", "Edm.Duration"})
_TS_PRIMITIVES = {"string": "Edm.String", "boolean": "Edm.Boolean", "number": "Edm.Double", "any": None}
_ABSENT = object()


@dataclass(frozen=True)
class Prop:
    """A structural property: its type (None when not described), collection-ness, nullability."""

    type: str | None = None
    collection: bool = False
    nullable: bool = True


@dataclass
class _Structure:
    bases: dict[str, str] = field(default_factory=dict)
    props: dict[str, dict[str, Prop]] = field(default_factory=dict)
    enum_order: dict[str, list[str]] = field(default_factory=dict)


@dataclass(repr=False)
class Model:
    """The type system of one Graph version."""

    version: str
    own: dict[str, dict[str, Prop]]
    navigation: dict[str, frozenset[str]]
    bases: dict[str, str]
    enums: dict[str, tuple[str, ...]]
    described: frozenset[str]
    """Types whose base type is known; on the others inherited names cannot be told from unknown ones."""
    _inherited: dict[str, dict[str, Prop]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Model({self.version!r}, {len(self.own)} types)"

    def knows(self, name: str) -> bool:
        return name in self.own

    def lineage(self, name: str) -> list[str]:
        """The type and its base types, most derived first."""
        chain = []
        while name in self.own and name not in chain:
            chain.append(name)
            name = self.bases.get(name, "")
        return chain

    def is_assignable(self, name: str, expected: str) -> bool:
        return expected in self.lineage(name)

    def properties(self, name: str) -> dict[str, Prop]:
        """All structural properties, inherited ones first (as Graph orders them)."""
        if name not in self._inherited:
            merged: dict[str, Prop] = {}
            for ancestor in reversed(self.lineage(name)):
                merged.update(self.own[ancestor])
            self._inherited[name] = merged
        return self._inherited[name]

    def navigations(self, name: str) -> frozenset[str]:
        return frozenset().union(*(self.navigation[ancestor] for ancestor in self.lineage(name)))


_LOAD_LOCK = threading.Lock()


def load_model(specs: Path, version: str) -> Model:
    with _LOAD_LOCK:
        return _load_model(specs, version)


@lru_cache(maxsize=None)
def _load_model(specs: Path, version: str) -> Model:
    if version == "v1.0":
        structure = _read_csdl(specs / "csdl" / "v1.0-cleanMetadata.xml")
    else:
        structure = _read_typings(specs / "typings" / "beta-microsoft-graph.d.ts")
    own, navigation = {}, {}
    for name, names in [*_read_mapping(specs, version, "entity"), *_read_mapping(specs, version, "complex")]:
        described = structure.props.get(name, {})
        own[name] = {prop: described.get(prop, Prop()) for prop in names["properties"]}
        navigation[name] = frozenset(names["navigationProperties"])
    enums = {
        name: _ordered(members, structure.enum_order.get(name, []))
        for name, members in _read_mapping(specs, version, "enum")
    }
    return Model(version, own, navigation, structure.bases, enums, frozenset(structure.props) & frozenset(own))


def _read_mapping(specs: Path, version: str, category: str) -> list[tuple[str, Any]]:
    """(full type name, entry) pairs of one type-mappings file, across its namespaces."""
    path = specs / "type-mappings" / f"{version}-{category}-types.json"
    namespaces = json.loads(path.read_text(encoding="utf-8"))
    return [(f"{namespace}.{name}", entry) for namespace, types in namespaces.items() for name, entry in types.items()]


def _ordered(members: list[str], declared: list[str]) -> tuple[str, ...]:
    # The mappings sort members; a non-nullable enum defaults to the first declared one.
    return tuple([member for member in declared if member in members] + sorted(set(members) - set(declared)))


def _read_csdl(path: Path) -> _Structure:
    structure = _Structure()
    for schema in ET.parse(path).getroot().iter(f"{_EDM}Schema"):
        if schema.get("Namespace") != GRAPH:
            continue
        for element in schema:
            name = f"{GRAPH}.{element.get('Name')}"
            if element.tag in (f"{_EDM}EntityType", f"{_EDM}ComplexType"):
                if element.get("BaseType"):
                    structure.bases[name] = _csdl_type(element.get("BaseType", ""))[0]
                structure.props[name] = {
                    prop.get("Name", ""): _csdl_prop(prop) for prop in element.iter(f"{_EDM}Property")
                }
            elif element.tag == f"{_EDM}EnumType":
                structure.enum_order[name] = [member.get("Name", "") for member in element.iter(f"{_EDM}Member")]
    return structure


def _csdl_type(text: str) -> tuple[str, bool]:
    collection = text.startswith("Collection(")
    inner = text[len("Collection(") : -1] if collection else text
    return (f"{GRAPH}.{inner[len('graph.'):]}" if inner.startswith("graph.") else inner), collection


def _csdl_prop(element: ET.Element) -> Prop:
    prop_type, collection = _csdl_type(element.get("Type", ""))
    return Prop(prop_type, collection, element.get("Nullable") != "false")


_TS_INTERFACE = re.compile(r"^export interface (\w+)(?: extends (\w+))? \{(?:\}|\n(.*?)^\})", re.M | re.S)
_TS_MEMBER = re.compile(r"^    (\w+)\?: (.+);$", re.M)
_TS_ENUM = re.compile(r"^export type (\w+) =((?:\s*\|?\s*\"[^\"]*\")+);", re.M)


def _read_typings(path: Path) -> _Structure:
    text = path.read_text(encoding="utf-8")
    # Types of other namespaces (CallRecords, Security, ...) follow in `export namespace` blocks.
    text = text[: text.find("\nexport namespace ")]
    structure = _Structure()
    for match in _TS_INTERFACE.finditer(text):
        name = _ts_name(match.group(1))
        if match.group(2):
            structure.bases[name] = _ts_name(match.group(2))
        structure.props[name] = {member: _ts_prop(kind) for member, kind in _TS_MEMBER.findall(match.group(3) or "")}
    for match in _TS_ENUM.finditer(text):
        structure.enum_order[_ts_name(match.group(1))] = re.findall(r'"([^"]*)"', match.group(2))
    return structure


def _ts_name(interface: str) -> str:
    return f"{GRAPH}.{interface[0].lower()}{interface[1:]}"


def _ts_prop(text: str) -> Prop:
    nullable = text.startswith("NullableOption<")
    text = text[len("NullableOption<") : -1] if nullable else text
    collection = text.endswith("[]")
    text = text.removesuffix("[]")
    if text in _TS_PRIMITIVES:
        return Prop(_TS_PRIMITIVES[text], collection, nullable)
    return Prop(_ts_name(text) if re.fullmatch(r"[A-Z]\w*", text) else None, collection, nullable)


class GraphSchema:
    """Body checks and answer shaping for both versions, from one specs folder."""

    def __init__(self, specs: Path):
        self.specs = specs

    def model(self, version: str) -> Model:
        return load_model(self.specs, version)

    def check_entity(self, body: Mapping[str, Any], declared: str, version: str) -> None:
        """Raises Graph's 400 when `body` (a POST/PATCH of `declared`) names anything the version lacks."""
        _BodyCheck(self, version).check_object(body, declared)

    def check_value(self, value: Any, declared: str, name: str, version: str) -> None:
        """Checks an action parameter; `declared` is a CSDL type such as "Collection(microsoft.graph.x)"."""
        prop_type, collection = _csdl_type(declared)
        _BodyCheck(self, version).check_value(value, Prop(prop_type, collection), name)

    def shape(self, obj: Mapping[str, Any], declared: str, version: str) -> dict[str, Any]:
        """`obj` as the version answers it: every structural property of its type (missing ones null or
        their type's default), none the version does not have."""
        return _shape_object(self.model(version), obj, declared)

    def is_of(self, name: str, wanted: str, version: str) -> bool:
        """Whether an object of type `name` is a `wanted` (that type or one derived from it)."""
        return name == wanted or self.model(version).is_assignable(name, wanted)

    def beta_hint(self, type_of: str, prop: str | None = None) -> str:
        beta = self.model("beta")
        known = beta.knows(type_of) if prop is None else prop in beta.properties(type_of)
        return " It exists on the beta endpoint only." if known else ""


class NoSchema:
    """Stands in for `GraphSchema` when the descriptions are absent: checks nothing, shapes nothing."""

    def check_entity(self, body: Mapping[str, Any], declared: str, version: str) -> None:
        """Accepts every body."""

    def check_value(self, value: Any, declared: str, name: str, version: str) -> None:
        """Accepts every value."""

    def shape(self, obj: Mapping[str, Any], declared: str, version: str) -> dict[str, Any]:
        return dict(obj)

    def is_of(self, name: str, wanted: str, version: str) -> bool:
        """Without the type system only the type itself is known."""
        return name == wanted


def schema_for(specs: Path | None) -> GraphSchema | NoSchema:
    if specs is not None and (specs / "type-mappings").is_dir():
        return GraphSchema(specs)
    LOG.warning("Graph descriptions not found at %s; request bodies are not checked", specs)
    return NoSchema()


class _BodyCheck:
    """One walk over a request body, raising Graph's 400 at the first problem."""

    def __init__(self, schema: GraphSchema, version: str):
        self._schema = schema
        self._version = version
        self._model = schema.model(version)

    def check_object(self, obj: Any, declared: str) -> None:
        if not isinstance(obj, Mapping):
            raise bad_request(f"A JSON object of type '{declared}' was expected.")
        actual = self._object_type(obj, declared)
        if actual not in self._model.described:
            return
        properties = self._model.properties(actual)
        navigations = self._model.navigations(actual)
        for key, value in obj.items():
            if "@" in key:  # instance annotations: @odata.type, x@odata.bind, ...
                continue
            if key in navigations:
                raise bad_request(
                    f"The navigation property '{key}' of type '{actual}' cannot be written in this request; "
                    "use its own endpoint or action."
                )
            if key not in properties:
                raise bad_request(
                    f"The property '{key}' does not exist on type '{actual}'. Make sure to only use property "
                    f"names that are defined by the type or mark the type as open type.{self._hint(actual, key)}"
                )
            self.check_value(value, properties[key], key)

    def check_value(self, value: Any, prop: Prop, name: str) -> None:
        if value is None or prop.type is None:
            return
        if not prop.collection:
            self._check_single(value, prop.type, name)
            return
        if not isinstance(value, list):
            raise bad_request(f"The property '{name}' expects a collection of '{prop.type}'.")
        for item in value:
            self._check_single(item, prop.type, name)

    def _object_type(self, obj: Mapping[str, Any], declared: str) -> str:
        if ODATA_TYPE not in obj:
            return declared
        actual = type_name(str(obj[ODATA_TYPE]))
        if not self._model.knows(actual):
            error = unresolvable_type(actual)
            raise GraphError(error.status, error.code, error.message + self._hint(actual))
        if not self._model.is_assignable(actual, declared):
            raise incompatible_type(actual, declared)
        return actual

    def _check_single(self, value: Any, type_ref: str, name: str) -> None:
        if value is None:
            return
        if type_ref in self._model.enums:
            self._check_enum(value, type_ref, name)
        elif type_ref.startswith("Edm."):
            if not _primitive_ok(value, type_ref):
                raise bad_request(
                    f"Cannot convert the literal '{json.dumps(value)}' to the expected type '{type_ref}' "
                    f"(property '{name}')."
                )
        elif self._model.knows(type_ref):
            self.check_object(value, type_ref)

    def _check_enum(self, value: Any, enum: str, name: str) -> None:
        members = self._model.enums[enum]
        # Flag enums take comma-separated members; a plain enum's members never hold a comma.
        if not isinstance(value, str) or not all(part.strip() in members for part in value.split(",")):
            raise bad_request(
                f"The value '{value}' is not a valid member of enum type '{enum}' (property '{name}'); "
                f"members: {', '.join(members)}."
            )

    def _hint(self, type_of: str, prop: str | None = None) -> str:
        return self._schema.beta_hint(type_of, prop) if self._version == "v1.0" else ""


def _primitive_ok(value: Any, type_ref: str) -> bool:
    if type_ref == "Edm.Boolean":
        return isinstance(value, bool)
    if type_ref in _INTEGERS:
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ref in _NUMBERS:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_ref == "Edm.Binary":
        return isinstance(value, str) and _is_base64(value)
    return isinstance(value, str) if type_ref in _STRINGS else True


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except binascii.Error:
        return False
    return True


def _shape_object(model: Model, obj: Mapping[str, Any], declared: str) -> dict[str, Any]:
    actual = type_name(str(obj.get(ODATA_TYPE, declared)))
    # An object of a type the version lacks (made on beta, read on v1.0) shows as its declared type.
    shown_as = actual if model.knows(actual) else declared
    if shown_as not in model.described:
        return dict(obj)
    properties = model.properties(shown_as)
    shaped = {key: value for key, value in obj.items() if key.startswith("@")}
    for name, prop in properties.items():
        value = _shape_value(model, obj[name], prop) if name in obj else _default(model, prop)
        if value is not _ABSENT:
            shaped[name] = value
    return shaped


def _shape_value(model: Model, value: Any, prop: Prop) -> Any:
    if prop.type is None or not model.knows(prop.type):
        return value
    if prop.collection and isinstance(value, list):
        return [_shape_object(model, item, prop.type) if isinstance(item, Mapping) else item for item in value]
    return _shape_object(model, value, prop.type) if isinstance(value, Mapping) else value


def _default(model: Model, prop: Prop) -> Any:
    """What Graph reports for a property the object never had."""
    if prop.collection:
        return []
    if prop.nullable:
        return None
    if prop.type == "Edm.Boolean":
        return False
    if prop.type in _INTEGERS or prop.type in _NUMBERS:
        return 0
    if prop.type in model.enums and model.enums[prop.type]:
        return model.enums[prop.type][0]
    return _ABSENT
