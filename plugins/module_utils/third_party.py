# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The third-party libraries the collection needs on the controller, imported in one place.

Ansible loads module code where they may be missing. The stand-ins below let every file import
anyway, so that a module can report the missing library with `missing_required_lib` instead of
a traceback; nothing works without the real libraries.
"""

from __future__ import annotations

import traceback

__all__ = [
    "LXML_ERROR", "PYDANTIC_ERROR", "BaseModel", "ConfigDict", "PydanticCustomError", "ValidationError",
    "etree", "field_validator", "missing_libraries", "model_validator",
]

try:
    from lxml import etree
except ImportError:
    etree = None
    LXML_ERROR: str | None = traceback.format_exc()
else:
    LXML_ERROR = None

try:
    from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator
    from pydantic_core import PydanticCustomError
except ImportError:
    PYDANTIC_ERROR: str | None = traceback.format_exc()

    class BaseModel:  # type: ignore[no-redef]
        """Stand-in so that model classes can be defined."""

    class ValidationError(ValueError):  # type: ignore[no-redef]
        """Stand-in; never raised."""

    class PydanticCustomError(ValueError):  # type: ignore[no-redef]
        """Stand-in; never raised."""

    ConfigDict = dict  # type: ignore[misc]

    def field_validator(*_args, **_kwargs):  # type: ignore[no-redef]
        return lambda function: function

    model_validator = field_validator  # type: ignore[assignment]
else:
    PYDANTIC_ERROR = None


def missing_libraries() -> tuple[str, str] | None:
    """(library names, traceback) when a required library is missing, else None."""
    missing = [(name, error) for name, error in (("lxml", LXML_ERROR), ("pydantic", PYDANTIC_ERROR)) if error]
    if not missing:
        return None
    return " and ".join(name for name, _error in missing), missing[0][1]
