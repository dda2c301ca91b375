# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OData query options Graph clients use on a collection: $filter, $select, $expand, $top
and $skiptoken paging. Anything else is refused with Graph's 400, so a client never relies on
an option the emulator would silently ignore."""

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
SUPPORTED_OPTIONS = frozenset({"$filter", "$select", "$expand", "$top", "$skiptoken"})


@dataclass(frozen=True)
class QueryOptions:
    """The parsed query options of one request."""

    predicate: Predicate | None = None
    select: tuple[str, ...] = ()
    expand: tuple[str, ...] = ()
    top: int | None = None
    offset: int = 0


def parse_options(query: Mapping[str, str]) -> QueryOptions:
    """Parses the system query options; raises Graph's 400 for unknown or malformed ones."""
    unsupported = sorted(name for name in query if name.startswith("$") and name not in SUPPORTED_OPTIONS)
    if unsupported:
        raise bad_request(f"Query option '{unsupported[0]}' is not supported by the emulator.")
    return QueryOptions(
        predicate=compile_filter(query["$filter"]) if "$filter" in query else None,
        select=tuple(_without_cast(name) for name in _comma_list(query.get("$select", ""))),
        expand=tuple(_expand_names(query.get("$expand", ""))),
        top=_positive_int(query["$top"], "$top") if "$top" in query else None,
        offset=decode_skiptoken(query["$skiptoken"]) if "$skiptoken" in query else 0,
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


def _positive_int(text: str, option: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise bad_request(f"Invalid value '{text}' for query option '{option}'.")
    return int(text)


# --- $filter -----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<punct>[(),])|(?P<number>-?\d+(?:\.\d+)?)(?![\w.])"
    r"|(?P<word>[A-Za-z_@][\w.]*(?:/[A-Za-z_][\w.]*)*))"
)
_LITERAL_WORDS = {"true": True, "false": False, "null": None}


class FilterError(ValueError):
    """A $filter the emulator cannot evaluate."""


def compile_filter(text: str) -> Predicate:
    """A predicate for `text`: comparisons (eq, ne) of a property with a literal, startswith(),
    isof('type'), combined with and, or, not and parentheses.

    String comparisons ignore case, as Graph's do (directory and Intune alike): a client looking
    an object up by name must still compare the names it gets back.
    """
    try:
        return _FilterParser(_tokenize(text)).parse()
    except FilterError as exc:
        raise bad_request(f"Invalid filter clause: {exc}") from None


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


def _property(obj: Mapping[str, Any], path: str) -> Any:
    value: Any = obj
    for part in path.split("/"):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


class _FilterParser:
    """Recursive descent over the tokens: or binds loosest, then and, then not."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self._tokens = tokens
        self._position = 0

    def parse(self) -> Predicate:
        predicate = self._disjunction()
        if self._position < len(self._tokens):
            raise FilterError(f"unexpected '{self._tokens[self._position][1]}'")
        return predicate

    def _disjunction(self) -> Predicate:
        parts = [self._conjunction()]
        while self._accept("word", "or"):
            parts.append(self._conjunction())
        return parts[0] if len(parts) == 1 else lambda obj: any(part(obj) for part in parts)

    def _conjunction(self) -> Predicate:
        parts = [self._term()]
        while self._accept("word", "and"):
            parts.append(self._term())
        return parts[0] if len(parts) == 1 else lambda obj: all(part(obj) for part in parts)

    def _term(self) -> Predicate:
        if self._accept("punct", "("):
            inner = self._disjunction()
            self._expect("punct", ")")
            return inner
        if self._accept("word", "not"):
            negated = self._term()
            return lambda obj: not negated(obj)
        name = self._expect("word")
        if self._accept("punct", "("):
            return self._function(name)
        operator = self._expect("word")
        if operator not in ("eq", "ne"):
            raise FilterError(f"operator '{operator}' is not supported")
        expected = _fold(self._literal())
        if operator == "eq":
            return lambda obj: _fold(_property(obj, name)) == expected
        return lambda obj: _fold(_property(obj, name)) != expected

    def _function(self, name: str) -> Predicate:
        if name == "startswith":
            path = self._expect("word")
            self._expect("punct", ",")
            prefix = _fold(self._string())
            self._expect("punct", ")")
            return lambda obj: isinstance(_property(obj, path), str) and _fold(_property(obj, path)).startswith(prefix)
        if name == "isof":
            wanted = type_name(self._string())
            self._expect("punct", ")")
            return lambda obj: type_name(obj.get(ODATA_TYPE, "")) == wanted
        raise FilterError(f"function '{name}' is not supported")

    def _literal(self) -> Any:
        kind, value = self._next()
        if kind == "string":
            return value[1:-1].replace("''", "'")
        if kind == "number":
            return float(value) if "." in value else int(value)
        if kind == "word" and value in _LITERAL_WORDS:
            return _LITERAL_WORDS[value]
        raise FilterError(f"expected a literal, found '{value}'")

    def _string(self) -> str:
        literal = self._literal()
        if not isinstance(literal, str):
            raise FilterError("expected a string literal")
        return literal

    def _next(self) -> tuple[str, str]:
        if self._position >= len(self._tokens):
            raise FilterError("unexpected end of expression")
        token = self._tokens[self._position]
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
