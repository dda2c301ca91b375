# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one place the collection reads JSON documents: bounded, with the line of every member.

JSON documents come from people and from backups of EMM consoles, so they are read as hostile
input, like XML: the size (the same cap) and the depth are capped before parsing, objects keep
every member in document order (duplicates included, so they can be reported) and each member's
line is found in one pass over the text, so reading stays linear in the document's size.
"""

from __future__ import annotations

import json
import re

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import encoding
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import DEFAULT_MAX_BYTES

MALFORMED = "malformed-json"
TOO_LARGE = "too-large"
# Far deeper than any configuration (an AMAPI policy nests five levels), far shallower than what
# would exhaust the parser's recursion.
MAX_DEPTH = 64

# Outside strings JSON has no quote, so scanning from the start meets every string exactly once;
# a string followed by a colon is a member name.
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"(\s*:)?')
# Strings (skipped whole, so brackets inside them do not count), brackets and line breaks.
_NESTING = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}\n]')


class JsonError(ValueError):
    """JSON that was refused: ``code`` is MALFORMED or TOO_LARGE; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None, code: str = MALFORMED) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code


class JsonObject(list):
    """A JSON object as its (name, value) pairs in document order, duplicates kept; ``lines``
    holds the line of each pair's name."""

    lines: list[int | None] = []

    def get(self, name, default=None):
        for key, value in reversed(self):  # the last one wins, as in every JSON reader
            if key == name:
                return value
        return default

    def line_of(self, name) -> int | None:
        """The line of the member read by :meth:`get`."""
        for index in range(len(self) - 1, -1, -1):
            if self[index][0] == name:
                return self.lines[index] if index < len(self.lines) else None
        return None

    def names(self) -> list[str]:
        return [name for name, _value in self]


def is_array(value) -> bool:
    """A JSON array (a :class:`JsonObject` is a list too, but not an array)."""
    return isinstance(value, list) and not isinstance(value, JsonObject)


def load(document: str | bytes, max_bytes: int = DEFAULT_MAX_BYTES):
    """`document` parsed, objects as :class:`JsonObject` with their lines. Raises JsonError."""
    size = len(document)
    if size > max_bytes:
        raise JsonError(
            f"refused before parsing: the JSON document has at least {size} bytes, over the limit of {max_bytes} bytes",
            code=TOO_LARGE,
        )
    text = _text_of(document)
    _check_depth(text)
    try:
        data = json.loads(text, object_pairs_hook=JsonObject)
    except json.JSONDecodeError as exc:
        raise JsonError(f"{exc.msg} at column {exc.colno}", exc.lineno) from None
    except RecursionError:
        raise JsonError("the document is nested too deeply to read") from None
    _attach_lines(data, text)
    return data


def _text_of(document: str | bytes) -> str:
    if isinstance(document, str):
        return document.lstrip("\ufeff")
    try:
        return encoding.text_of(document)
    except UnicodeDecodeError as exc:
        line = exc.object[:int(exc.start)].decode(exc.encoding, "replace").count("\n") + 1
        raise JsonError(f"the document is not {exc.encoding.upper()} text ({exc.reason})", line) from None


def _check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuses a document nested deeper than `limit`, before the parser recurses into it."""
    if text.count("[") + text.count("{") <= limit:  # most documents: no need to look closer
        return
    depth, line = 0, 1
    for match in _NESTING.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
        elif token in ("[", "{"):
            depth += 1
            if depth > limit:
                raise JsonError(f"the document nests arrays and objects more than {limit} levels deep, "
                                "deeper than any configuration", line)
        elif token in ("]", "}"):
            depth -= 1


def _member_lines(text: str):
    """The line of each member name, in document order."""
    line, position = 1, 0
    for match in _STRING.finditer(text):
        if match.group(1) is not None:
            line += text.count("\n", position, match.start())
            position = match.start()
            yield line


_END = object()


def _attach_lines(root, text: str) -> None:
    # Member names appear in the text in the order of a depth-first walk that visits each
    # member's value right after its name; the walk is iterative, so depth costs no recursion.
    lines = _member_lines(text)
    stack = [iter((root,))]
    while stack:
        value = next(stack[-1], _END)
        if value is _END:
            stack.pop()
        elif isinstance(value, JsonObject):
            value.lines = []
            stack.append(_members(value, lines))
        elif isinstance(value, list):
            stack.append(iter(value))


def _members(obj: JsonObject, lines):
    for _name, value in obj:
        obj.lines.append(next(lines, None))
        yield value
