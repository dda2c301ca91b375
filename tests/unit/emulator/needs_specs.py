# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Markers for the emulator tests that rest on the vendors' own API descriptions in
<repo>/../shared/specs (Graph's derived types and body checks, Google's discovery document):
without them the emulator neither knows those types nor checks bodies, so those tests skip."""

import pytest

from tests.emulator.config import default_google_specs_dir, default_specs_dir

GRAPH = pytest.mark.skipif(not default_specs_dir().is_dir(),
                           reason=f"Graph descriptions not found at {default_specs_dir()} (<repo>/../shared/specs/graph)")
_DISCOVERY = default_google_specs_dir() / "androidmanagement.v1.discovery.json"
GOOGLE = pytest.mark.skipif(not _DISCOVERY.is_file(),
                            reason=f"Google's discovery document not found at {_DISCOVERY} (<repo>/../shared/specs/google)")
