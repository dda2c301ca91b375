# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the emulator's own tests: shortcuts to create Graph objects through its API."""

import pytest
from graph_bodies import APPS, IOS_APP


@pytest.fixture
def create(emulator):
    """create(path, body, version="v1.0") -> the created object, asserting Graph's 201."""

    def _create(path, body, version="v1.0"):
        answer = emulator.graph("POST", path, body, version=version)
        assert answer.status == 201, answer.body
        return answer.body

    return _create


@pytest.fixture
def ios_app(create):
    return create(APPS, IOS_APP)
