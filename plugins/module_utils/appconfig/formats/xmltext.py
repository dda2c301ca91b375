# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writing text into XML so that a parser reads back exactly the same string."""

from __future__ import annotations

# "\r" would be read back as "\n" (XML end-of-line handling), so it is written as a reference.
_REPLACEMENTS = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\r", "&#13;"))


def escape(text: str) -> str:
    """`text` escaped for element content or a double-quoted attribute."""
    for raw, reference in _REPLACEMENTS:
        text = text.replace(raw, reference)
    return text
