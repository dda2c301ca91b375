# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Android Management enterprise the tests share: its two policies, and the three apps of
other teams that those policies already hold and every change must leave as they are."""

ENTERPRISE = "enterprises/LC00emu01"
WORK, COPE = f"{ENTERPRISE}/policies/work-profile", f"{ENTERPRISE}/policies/company-owned"
RN = "com.mattermost.rn"
OTHERS = [{"packageName": "com.android.chrome", "installType": "FORCE_INSTALLED"},
          {"packageName": "com.google.android.gm", "installType": "AVAILABLE",
           "managedConfiguration": {"allowed_accounts": "a@example.com"}},
          {"packageName": "com.microsoft.teams", "installType": "BLOCKED"}]
