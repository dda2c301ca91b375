# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""EMM variables: placeholders an EMM replaces per user or device when it delivers a value.

A value holding one cannot be judged as a URL or a number until delivery, so the validator
recognises them instead of reporting false errors.
"""

from __future__ import annotations

import re

_PATTERNS = (
    ("Intune", re.compile(r"\{\{[A-Za-z][A-Za-z0-9_]*\}\}")),  # {{userprincipalname}}
    ("Workspace ONE", re.compile(r"(?<!\{)\{[A-Za-z][A-Za-z0-9_]*\}(?!\})")),  # {EmailAddress}
    ("Jamf", re.compile(r"\$[A-Z][A-Z0-9_]*\b")),  # $EMAIL
)


def find_variable(value: str) -> str | None:
    """The first EMM variable in `value`, as written, or None."""
    for _vendor, pattern in _PATTERNS:
        match = pattern.search(value)
        if match:
            return match.group(0)
    return None
