# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one place the collection parses XML.

Specfiles, plists and vendor answers come from people and from the network, so they are read
as hostile input. A default XML parser will happily:

- expand nested entities until memory runs out ("billion laughs", quadratic blow-up);
- read local files or URLs named by external entities into the document (XXE), leaking
  secrets into rendered output, diffs and error messages;
- fetch DTDs and parameter entities over HTTP, so a document can make the controller call
  hosts of the attacker's choosing (SSRF) or stall on an unreachable one.

:func:`parse_xml` therefore caps the size before parsing, refuses any entity declaration,
never loads a DTD or touches the network, and leaves no entity reference in the tree. A plain
``<!DOCTYPE ...>`` without an internal subset (Apple's plist header) is fine: it is recorded,
never fetched.
"""

from __future__ import annotations

import functools
import re
import threading

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.encoding import WIDE_WITHOUT_BOM, encoding_of, text_of
from ansible_collections.mattermost.emm.plugins.module_utils.third_party import etree

DEFAULT_MAX_BYTES = 1024 * 1024
"""Largest document :func:`parse_xml` accepts by default (1 MiB); real specfiles and plists
are a few kilobytes."""

MALFORMED = "malformed-xml"
UNSAFE = "unsafe-xml"
TOO_LARGE = "too-large"

# Entity declarations only exist inside a DTD, so look for one after a DOCTYPE. NUL bytes are
# dropped first so that UTF-16/32 documents show their ASCII markup too.
_DOCTYPE = re.compile(rb"<!DOCTYPE")
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]*)")


class XmlError(ValueError):
    """XML that was refused: ``code`` is one of MALFORMED, UNSAFE, TOO_LARGE; ``line`` is
    1-based or None; ``message`` says what is wrong without the line."""

    def __init__(self, message: str, line: int | None = None, code: str = MALFORMED) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def parse_xml(document: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._ElementTree:
    """Parse `document` safely and return its ``_ElementTree`` (``.getroot()`` for the root).

    Elements keep ``sourceline`` and comments are kept. A ``str`` may carry an XML encoding
    declaration (it is ignored: the text is already decoded); ``bytes`` may start with a BOM, and
    UTF-16 or UTF-32 without one is recognised too.
    Raises :class:`XmlError` for documents over `max_bytes`, entity declarations or references
    (UNSAFE) and anything that is not well-formed.
    """
    if isinstance(document, str):
        # Its UTF-8 form is at least as long as the str, so an overlong str is refused unencoded.
        _check_size(len(document), max_bytes)
        data, encoding = document.encode("utf-8"), "utf-8"
    else:
        data, encoding = bytes(document), None
    _check_size(len(data), max_bytes)
    if encoding is None and encoding_of(data) in WIDE_WITHOUT_BOM:
        return parse_xml(text_of(data), max_bytes=max_bytes)
    _refuse_entity_declarations(data)

    parser = _parser(encoding)
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        fatal = parser.error_log.filter_from_errors()
        if fatal:
            raise XmlError(fatal[0].message.strip(), fatal[0].line or None) from None
        raise XmlError(exc.msg or "not well-formed XML", exc.lineno or None) from None
    _refuse_entities_in_tree(tree)
    return tree


@functools.lru_cache(maxsize=None)
def _parser_for(encoding: str | None, thread: int) -> etree.XMLParser:
    return etree.XMLParser(
        encoding=encoding,  # lxml refuses a str with an encoding declaration; override it instead
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def _parser(encoding: str | None) -> etree.XMLParser:
    # Building a parser costs more than parsing a typical document, so each thread reuses its
    # own (an lxml parser must not be shared between threads).
    return _parser_for(encoding, threading.get_ident())


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise XmlError(
            f"refused before parsing: the XML document has at least {size} bytes, over the limit of {max_bytes} bytes",
            code=TOO_LARGE,
        )


def _refuse_entity_declarations(data: bytes) -> None:
    # Refusing here, before libxml2 sees the DTD, keeps billion laughs cheap and the reason clear.
    # A literal "<!ENTITY" in a later comment or CDATA section is refused too: no specfile or
    # plist needs one, and a text scan is far simpler than a second parser.
    text = data.replace(b"\x00", b"")
    doctype = _DOCTYPE.search(text)
    declaration = doctype and _ENTITY.search(text, doctype.end())
    if declaration:
        kind = "parameter entity" if declaration.group(1) else "entity"
        name = declaration.group(2).decode("utf-8", "replace")
        raise XmlError(
            f"refused: the DOCTYPE declares the {kind} '{name}'; entity declarations enable entity "
            "expansion and external-entity (XXE) attacks, so remove the DOCTYPE's [...] internal subset",
            text.count(b"\n", 0, declaration.start()) + 1,
            UNSAFE,
        )


def _refuse_entities_in_tree(tree: etree._ElementTree) -> None:
    # Backstop for encodings the byte scan cannot read, and for references to entities that an
    # external DTD (never loaded) would have declared: such a reference silently loses text.
    dtd = tree.docinfo.internalDTD
    declared = next(dtd.iterentities(), None) if dtd is not None else None
    if declared is not None:
        raise XmlError(
            f"refused: the DOCTYPE declares the entity '{declared.name}'; remove the DOCTYPE's [...] internal subset",
            code=UNSAFE,
        )
    reference = next(tree.getroot().iter(etree.Entity), None)
    if reference is not None:
        raise XmlError(
            f"refused: the entity reference {reference.text} cannot be resolved safely; write its text "
            "literally or use a character reference such as &#38;",
            reference.sourceline,
            UNSAFE,
        )
