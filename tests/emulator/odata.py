# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OData query options Graph clients use on a collection: $filter, $search, $orderby, $count,
$select, $expand, $top and $skiptoken paging. Anything else is refused with Graph's 400, so a
client never relies on an option the emulator would silently ignore."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from .errors import bad_request
from .kinds import ODATA_TYPE, type_name

Predicate = Callable[[Mapping[str, Any]], bool]
SUPPORTED_OPTIONS = frozenset({"$filter", "$search", "$orderby", "$count", "$select", "$expand", "$top", "$skiptoken"})
SEARCHED_BY_DEFAULT = ("displayName", "description", "publisher")
"""What an Intune $search term without a property name looks in."""


@dataclass(frozen=True)
class QueryOptions:
    """The parsed query options of one request."""

    predicate: Predicate | None = None
    select: tuple[str, ...] = ()
    expand: tuple[str, ...] = ()
    top: int | None = None
    offset: int = 0
    search: Predicate | None = None
    order: tuple[tuple[str, bool], ...] = ()
    """(property path, descending) pairs, the first the most significant."""
    count: bool = False

    @property
    def selects_records(self) -> bool:
        """Whether the records must be read through (filter, search or sort) rather than counted."""
        return bool(self.predicate or self.search or self.order)

    def arrange(self, objects: list[Mapping[str, Any]]) -> list[int]:
        """The positions of the objects that pass $filter and $search, in $orderby's order."""
        kept = [
            index
            for index, obj in enumerate(objects)
            if (self.predicate is None or self.predicate(obj)) and (self.search is None or self.search(obj))
        ]
        for path, descending in reversed(self.order):  # stable sorts, least significant key first
            kept.sort(key=lambda index, path=path: _sort_key(_walk(objects[index], path.split("/"), same_type)),
                      reverse=descending)
        return kept


def parse_options(query: Mapping[str, str], is_of: TypeTest | None = None) -> QueryOptions:
    """Parses the system query options; raises Graph's 400 for unknown or malformed ones."""
    unsupported = sorted(name for name in query if name.startswith("$") and name not in SUPPORTED_OPTIONS)
    if unsupported:
        raise bad_request(f"Query option '{unsupported[0]}' is not supported by the emulator.")
    return QueryOptions(
        predicate=compile_filter(query["$filter"], is_of or same_type) if "$filter" in query else None,
        select=tuple(_without_cast(name) for name in _comma_list(query.get("$select", ""))),
        expand=tuple(_expand_names(query.get("$expand", ""))),
        top=_positive_int(query["$top"], "$top") if "$top" in query else None,
        offset=decode_skiptoken(query["$skiptoken"]) if "$skiptoken" in query else 0,
        search=compile_search(query["$search"]) if "$search" in query else None,
        order=tuple(_order_by(query.get("$orderby", ""))),
        count=_boolean(query["$count"], "$count") if "$count" in query else False,
    )


def select_fields(obj: Mapping[str, Any], select: Sequence[str]) -> dict[str, Any]:
    """The object reduced to the selected properties; Graph always keeps id and @odata.type."""
    if not select:
        return dict(obj)
    keep = {"id", ODATA_TYPE, *select}
    return {key: value for key, value in obj.items() if key in keep}


def page_bounds(total: int, options: QueryOptions, page_size: int) -> tuple[int, int, int | None]:
    """(start, end, next offset or None) of the page to return; $top shrinks the page."""
    size = min(options.top or page_size, page_size)
    start = options.offset
    end = min(start + size, total)
    return start, end, end if end < total else None


def next_link(base_url: str, path: str, query: Mapping[str, str], offset: int) -> str:
    params = {**{k: v for k, v in query.items() if k != "$skiptoken"}, "$skiptoken": encode_skiptoken(offset)}
    return f"{base_url}{path}?{urlencode(params, quote_via=quote, safe='$')}"


def encode_skiptoken(offset: int) -> str:
    # Opaque to clients, as Graph's are; the emulator only needs the offset back.
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_skiptoken(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        prefix, offset = text.split(":")
        if prefix == "offset" and int(offset) >= 0:
            return int(offset)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise bad_request("The $skiptoken is invalid or has expired.")


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _without_cast(name: str) -> str:
    # "microsoft.graph.iosStoreApp/bundleId" selects a derived type's property.
    return name.rsplit("/", 1)[-1]


def _expand_names(text: str) -> list[str]:
    names = _comma_list(text)
    nested = [name for name in names if "(" in name]
    if nested:
        raise bad_request(f"Nested query options in $expand are not supported by the emulator: '{nested[0]}'.")
    return names


def _order_by(text: str) -> list[tuple[str, bool]]:
    order = []
    for clause in _comma_list(text):
        path, _space, direction = clause.partition(" ")
        if direction.strip().lower() not in ("", "asc", "desc"):
            raise bad_request(f"Invalid value '{clause}' for query option '$orderby'.")
        order.append((_without_cast(path), direction.strip().lower() == "desc"))
    return order


def _sort_key(value: Any) -> tuple[bool, Any]:
    # OData sorts null first; strings compare without case, as Graph's do.
    if isinstance(value, (list, dict)):
        value = str(value)
    return (value is not None, _fold(value) if value is not None else 0)


def _boolean(text: str, option: str) -> bool:
    if text.lower() not in ("true", "false"):
        raise bad_request(f"Invalid value '{text}' for query option '{option}'.")
    return text.lower() == "true"


def compile_search(text: str) -> Predicate:
    """$search="term", "property:term", clauses joined by AND / OR (AND binds tighter). A term
    matches a word of the property's text from its start, as the directory's tokenized search
    does; a term without a property looks in the display name, description and publisher."""
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise bad_request(f"Syntax error: the $search value {text} must be enclosed in double quotes.")
    alternatives = [
        [_search_clause(clause.strip()) for clause in re.split(r"\s+AND\s+", branch)]
        for branch in re.split(r"\s+OR\s+", text[1:-1])
    ]
    return lambda obj: any(all(clause(obj) for clause in branch) for branch in alternatives)


def _search_clause(clause: str) -> Predicate:
    prop, colon, term = clause.partition(":")
    names = (prop.strip(),) if colon else SEARCHED_BY_DEFAULT
    wanted = (term if colon else clause).strip().strip('"').casefold()
    if not wanted:
        raise bad_request(f"Syntax error: empty $search term in '{clause}'.")
    return lambda obj: any(_word_starts_with(obj.get(name), wanted) for name in names)


def _word_starts_with(value: Any, wanted: str) -> bool:
    if not isinstance(value, str):
        return False
    words = re.split(r"[\s\-_.,;:()/]+", value.casefold())
    return value.casefold().startswith(wanted) or any(word.startswith(wanted) for word in words)


def _positive_int(text: str, option: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise bad_request(f"Invalid value '{text}' for query option '{option}'.")
    return int(text)


# --- $filter -----------------------------------------------------------------------------------
#
# The grammar Graph accepts on the emulated collections (OData 4.01 URL conventions, the subset
# Intune and the directory document): `or` binds loosest, then `and`, then `not`, then the
# comparisons (eq ne gt ge lt le, `in (...)`); operands are literals, property paths (type-cast
# segments such as microsoft.graph.iosStoreApp/bundleId included), functions and lambdas
# (`path/any(v: ...)`, `path/all(v: ...)`, `path/any()`).

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<punct>[(),:])"
    r"|(?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))"
    r"|(?P<number>-?\d+(?:\.\d+)?)(?![\w.])"
    r"|(?P<word>[A-Za-z_$@][\w.]*(?:/[A-Za-z_$][\w.]*)*))"
)
_LITERAL_WORDS = {"true": True, "false": False, "null": None}
_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda left, right: left == right,
    "ne": lambda left, right: left != right,
    "gt": lambda left, right: _ordered(left, right) and left > right,
    "ge": lambda left, right: _ordered(left, right) and left >= right,
    "lt": lambda left, right: _ordered(left, right) and left < right,
    "le": lambda left, right: _ordered(left, right) and left <= right,
}
_STRING_FUNCTIONS: dict[str, Callable[[str, str], bool]] = {
    "startswith": str.startswith,
    "endswith": str.endswith,
    "contains": lambda text, part: part in text,
}
_LAMBDAS = {"any": any, "all": all}

Env = Mapping[str, Any]
"""What an expression is evaluated in: "$it" is the object, lambda variables name their items."""
Expression = Callable[[Env], Any]
TypeTest = Callable[[str, str], bool]
"""(an object's type name, a type name in a cast or isof) -> whether the object is of that type."""


# Graph refuses an `in (...)` of more than 15 values (its directory filters' default limit).
MAX_IN_VALUES = 15


class FilterError(ValueError):
    """A $filter the emulator cannot evaluate."""


def same_type(obj_type: str, wanted: str) -> bool:
    return obj_type == wanted


def compile_filter(text: str, is_of: TypeTest = same_type) -> Predicate:
    """A predicate for `text`. String comparisons ignore case, as Graph's do (directory and Intune
    alike): a client looking an object up by name must still compare the names it gets back.
    `is_of` decides type casts and isof(), so that a base type matches its derived types."""
    try:
        expression = _FilterParser(_tokenize(text), is_of).parse()
    except FilterError as exc:
        raise bad_request(f"Invalid filter clause: {exc}") from None
    return lambda obj: expression({"$it": obj}) is True


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if not match:
            raise FilterError(f"syntax error at position {position}")
        tokens.append(next((kind, value) for kind, value in match.groupdict().items() if value is not None))
        position = match.end()
    return tokens


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _ordered(left: Any, right: Any) -> bool:
    """Whether gt/ge/lt/le can compare the two (null and mixed types compare false, as in OData)."""
    both_numbers = all(isinstance(side, (int, float)) and not isinstance(side, bool) for side in (left, right))
    return both_numbers or (isinstance(left, str) and isinstance(right, str))


def _walk(value: Any, segments: Sequence[str], is_of: TypeTest) -> Any:
    """Follows a property path; a type-cast segment yields null on an object of another type."""
    for segment in segments:
        if not isinstance(value, Mapping):
            return None
        if segment.startswith(_NAMESPACE):
            if not is_of(type_name(str(value.get(ODATA_TYPE, ""))), segment):
                return None
            continue
        value = value.get(segment)
    return value


_NAMESPACE = "microsoft.graph."


class _FilterParser:
    """Recursive descent over the tokens, building one closure per node."""

    def __init__(self, tokens: list[tuple[str, str]], is_of: TypeTest):
        self._tokens = tokens
        self._position = 0
        self._is_of = is_of
        self._variables: set[str] = set()

    def parse(self) -> Expression:
        expression = self._disjunction()
        if self._position < len(self._tokens):
            raise FilterError(f"unexpected '{self._tokens[self._position][1]}'")
        return expression

    def _disjunction(self) -> Expression:
        parts = [self._conjunction()]
        while self._accept("word", "or"):
            parts.append(self._conjunction())
        return parts[0] if len(parts) == 1 else lambda env: any(part(env) is True for part in parts)

    def _conjunction(self) -> Expression:
        parts = [self._negation()]
        while self._accept("word", "and"):
            parts.append(self._negation())
        return parts[0] if len(parts) == 1 else lambda env: all(part(env) is True for part in parts)

    def _negation(self) -> Expression:
        if self._accept("word", "not"):
            negated = self._negation()
            return lambda env: negated(env) is not True
        return self._comparison()

    def _comparison(self) -> Expression:
        left = self._operand()
        if self._accept("word", "in"):
            return self._membership(left)
        if self._peek("word") not in _COMPARISONS:
            return left
        compare = _COMPARISONS[self._next()[1]]
        right = self._operand()
        return lambda env: compare(_fold(left(env)), _fold(right(env)))

    def _membership(self, left: Expression) -> Expression:
        self._expect("punct", "(")
        values = [_fold(self._literal())]
        while self._accept("punct", ","):
            values.append(_fold(self._literal()))
        self._expect("punct", ")")
        if len(values) > MAX_IN_VALUES:
            raise FilterError("Too many child clauses specified in search filter expression containing 'OR' operators: "
                              f"{len(values)}. Max allowed: {MAX_IN_VALUES}.")
        return lambda env: _fold(left(env)) in values

    def _operand(self) -> Expression:
        if self._accept("punct", "("):
            inner = self._disjunction()
            self._expect("punct", ")")
            return inner
        kind, value = self._peek_token()
        if kind != "word" or value in _LITERAL_WORDS:
            literal = self._literal()
            return lambda env: literal
        self._next()
        if self._accept("punct", "("):
            head, _slash, last = value.rpartition("/")
            if head and last in _LAMBDAS:
                return self._lambda(head, _LAMBDAS[last])
            return self._function(value)
        return self._path(value)

    def _path(self, text: str) -> Expression:
        first, *rest = text.split("/")
        if first in self._variables:
            return lambda env: _walk(env[first], rest, self._is_of)
        segments = [first, *rest]
        return lambda env: _walk(env["$it"], segments, self._is_of)

    def _lambda(self, path: str, quantifier: Callable[[Any], bool]) -> Expression:
        items = self._path(path)
        if self._accept("punct", ")"):
            if quantifier is not any:
                raise FilterError("all() needs a lambda expression")
            return lambda env: bool(items(env))
        variable = self._expect("word")
        self._expect("punct", ":")
        self._variables.add(variable)
        body = self._disjunction()
        self._variables.discard(variable)
        self._expect("punct", ")")
        return lambda env: quantifier(body({**env, variable: item}) is True for item in items(env) or ())

    def _function(self, name: str) -> Expression:
        if name in _STRING_FUNCTIONS:
            test = _STRING_FUNCTIONS[name]
            text = self._operand()
            self._expect("punct", ",")
            part = self._operand()
            self._expect("punct", ")")
            return lambda env: _strings_pass(test, text(env), part(env))
        if name == "isof":
            wanted = type_name(self._string())
            self._expect("punct", ")")
            return lambda env: self._is_of(type_name(str(env["$it"].get(ODATA_TYPE, ""))), wanted)
        raise FilterError(f"function '{name}' is not supported")

    def _literal(self) -> Any:
        kind, value = self._next()
        if kind == "string":
            return value[1:-1].replace("''", "'")
        if kind == "number":
            return float(value) if "." in value else int(value)
        if kind == "datetime":
            return value
        if kind == "word" and value in _LITERAL_WORDS:
            return _LITERAL_WORDS[value]
        raise FilterError(f"expected a literal, found '{value}'")

    def _string(self) -> str:
        literal = self._literal()
        if not isinstance(literal, str):
            raise FilterError("expected a string literal")
        return literal

    def _peek_token(self) -> tuple[str, str]:
        if self._position >= len(self._tokens):
            raise FilterError("unexpected end of expression")
        return self._tokens[self._position]

    def _peek(self, kind: str) -> str | None:
        if self._position < len(self._tokens) and self._tokens[self._position][0] == kind:
            return self._tokens[self._position][1]
        return None

    def _next(self) -> tuple[str, str]:
        token = self._peek_token()
        self._position += 1
        return token

    def _accept(self, kind: str, value: str) -> bool:
        if self._position < len(self._tokens) and self._tokens[self._position] == (kind, value):
            self._position += 1
            return True
        return False

    def _expect(self, kind: str, value: str | None = None) -> str:
        found_kind, found = self._next()
        if found_kind != kind or (value is not None and found != value):
            raise FilterError(f"expected '{value or kind}', found '{found}'")
        return found


def _strings_pass(test: Callable[[str, str], bool], text: Any, part: Any) -> bool:
    return isinstance(text, str) and isinstance(part, str) and test(text.casefold(), part.casefold())
