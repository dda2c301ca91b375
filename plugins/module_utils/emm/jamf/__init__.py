# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jamf Pro: the Mattermost app record (with its scope and AppConfig inside), configuration profiles
and device commands, behind the engine's vendor seam.

`records` is the pure codec (Classic XML out, JSON answers in comparable form), `wishes` turns the
user's specs into wanted records (and refuses what Jamf cannot do), `auth` holds the two ways in,
and `vendor` the tenant I/O.
"""

from __future__ import annotations

from ansible_collections.mattermost.emm.plugins.module_utils.emm.jamf.vendor import CAPABILITIES, JamfVendor, connect

__all__ = ["CAPABILITIES", "JamfVendor", "connect"]
