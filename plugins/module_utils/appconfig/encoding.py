# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Unicode encoding of a document's bytes.

Documents found in the wild are mostly UTF-8, with or without a BOM, but Windows tools (an
exported console file, PowerShell's Out-File) also write UTF-16, and XML allows UTF-32.
"""

from __future__ import annotations

import codecs

# UTF-32 LE's BOM begins with UTF-16 LE's, so it is looked for first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def encoding_of(data: bytes) -> str:
    """The codec that reads `data`: from its BOM, else from the zero bytes around its first
    character, which in every format is ASCII ("<", "{" or white space); UTF-8 otherwise."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    head = data[:4]
    if len(head) == 4 and head[:3] == b"\0\0\0":
        return "utf-32-be"
    if len(head) == 4 and head[1:] == b"\0\0\0":
        return "utf-32-le"
    if len(head) >= 2 and head[0] == 0:
        return "utf-16-be"
    if len(head) >= 2 and head[1] == 0:
        return "utf-16-le"
    return "utf-8"


# Without a BOM, XML in these must carry a declaration that libxml2 cannot read: decode first.
WIDE_WITHOUT_BOM = frozenset({"utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})


def text_of(data: bytes, errors: str = "strict") -> str:
    """`data` decoded with :func:`encoding_of`, without a BOM."""
    return data.decode(encoding_of(data), errors).lstrip("\ufeff")
