# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Each vendor behind the engine, as the modules get it."""

from __future__ import annotations

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import Provider
from ansible_collections.mattermost.emm.plugins.module_utils.emm.offline import OfflineIntune, OfflineJamf


# Tests whose server never applies a request that lost its answer look for it for one second only.
RECOVERY_SECONDS = 1


def intune_provider(emu, secret=None, settle_seconds=0, recovery_seconds=RECOVERY_SECONDS, **settings) -> Provider:
    settings = {
        "graph_url": emu.base_url, "login_url": emu.base_url, "tenant_id": "contoso.onmicrosoft.com",
        "client_id": "emulator-client", "client_secret": secret or emu.client_secret, "settle_seconds": settle_seconds,
        **settings,
    }
    return Provider(intune.connect(settings), settle_seconds=settle_seconds, recovery_seconds=recovery_seconds)


def offline_provider(dest) -> Provider:
    return Provider(OfflineIntune(str(dest)), settle_seconds=0)


def offline_jamf_provider(dest) -> Provider:
    return Provider(OfflineJamf(str(dest)), settle_seconds=0)
