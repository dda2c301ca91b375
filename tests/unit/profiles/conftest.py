# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Descriptions shared by the device profile tests."""

from __future__ import annotations

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import DeviceProfile

FULL = {
    "name": "Mattermost security",
    "organization": "Acme",
    "passcode": {
        "min_length": 8, "complexity": "alphanumeric", "min_complex_chars": 1,
        "auto_lock_minutes": 5, "max_failed_attempts": 10, "max_age_days": 90,
    },
    "restrictions": {"block_screenshots": True, "managed_open_in_only": True, "block_cloud_backup": True},
    "per_app_vpn": {
        "connection_name": "Acme VPN", "server": "vpn.acme.example", "vpn_type": "ikev2",
        "local_identifier": "mattermost@acme.example",
    },
    "android": {
        "password_min_length": 6, "password_quality": "numeric_complex", "block_screen_capture": True,
        "block_cross_profile_copy_paste": True, "max_failed_attempts": 10,
    },
}
SSL_VPN = {
    "connection_name": "Acme SSL", "server": "gw.acme.example", "vpn_type": "ssl",
    "provider_bundle_id": "com.example.vpnclient", "app_bundle_ids": ["com.mattermost.rn", "com.mattermost.rnbeta"],
    "on_demand": False,
}


@pytest.fixture
def full() -> DeviceProfile:
    """Every section set, with an IKEv2 per-app VPN."""
    return DeviceProfile.from_input(FULL)


@pytest.fixture
def ssl_vpn() -> DeviceProfile:
    """Only a per-app VPN through a vendor's VPN app, for two apps."""
    return DeviceProfile.from_input({"name": "Mattermost VPN", "per_app_vpn": SSL_VPN})
