# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""EMM variables: placeholders an EMM replaces per user or device when it delivers a value.

A value holding one cannot be judged as a URL or a number until delivery, so the validator
recognises them instead of reporting false errors.
"""

from __future__ import annotations

import re

_VARIABLE = re.compile(
    r"\{\{[A-Za-z][A-Za-z0-9_]*\}\}"  # Intune: {{userprincipalname}}
    r"|(?<!\{)\{[A-Za-z][A-Za-z0-9_]*\}(?!\})"  # Workspace ONE: {EmailAddress}
    r"|\$[A-Z][A-Z0-9_]*\b"  # Jamf: $EMAIL
)


def find_variable(value: str) -> str | None:
    """The first EMM variable in `value`, as written, or None."""
    match = _VARIABLE.search(value)
    return match.group(0) if match else None
