# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rooms stay apart: the engine names no vendor, and no module imports a vendor room."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
VENDOR_WORDS = re.compile(r"graph|odata|intune|jamf|android management|google|workspace one", re.IGNORECASE)
VENDOR_ROOMS = re.compile(r"module_utils\.emm(\.| import )(intune|intune_objects|jamf|offline)\b|module_utils\.profiles\.intune")


def test_the_engine_names_no_vendor():
    text = (ROOT / "plugins/module_utils/emm/engine.py").read_text()
    assert VENDOR_WORDS.findall(text) == []


def test_no_module_imports_a_vendor_room():
    imports = {path.name: VENDOR_ROOMS.findall(path.read_text()) for path in (ROOT / "plugins/modules").glob("*.py")}
    assert {name: found for name, found in imports.items() if found} == {}
