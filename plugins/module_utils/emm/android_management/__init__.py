# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Android Management API: the Mattermost entry of the policies the user names, its managed
configuration, the policy fields of the device settings, and device wipes, behind the engine's
vendor seam.

`policies` is the pure codec (policies in comparable form, the user's wishes, the requests),
`auth` the service account's token, and `vendor` the tenant I/O.
"""

from __future__ import annotations

from ansible_collections.mattermost.emm.plugins.module_utils.emm.android_management.vendor import (
    CAPABILITIES,
    AndroidManagementVendor,
    connect,
)

__all__ = ["CAPABILITIES", "AndroidManagementVendor", "connect"]
