# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local EMM emulator for tests (Microsoft Graph for Intune, Jamf Pro): real HTTP on 127.0.0.1.

Start it with `python3 -m tests.emulator --port 0` (it prints its base URL first), with
`run_emulator()` in-process, or through the `emulator` pytest fixture. See README.md.
"""

from .client import EmulatorClient, HttpResult, http_request, run_emulator, run_emulator_process
from .config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, EmulatorConfig

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "EmulatorClient",
    "EmulatorConfig",
    "HttpResult",
    "http_request",
    "run_emulator",
    "run_emulator_process",
]
