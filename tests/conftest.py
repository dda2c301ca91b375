# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by every test suite of the collection."""

import pytest

from tests.emulator import run_emulator


@pytest.fixture(scope="session")
def emulator_session():
    """One Graph emulator for the whole test session (see tests/emulator/README.md)."""
    with run_emulator() as emu:
        yield emu


@pytest.fixture
def emulator(emulator_session):
    """The session's Graph emulator, reset to an empty tenant with no faults and an empty log."""
    emulator_session.reset()
    return emulator_session
