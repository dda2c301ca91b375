# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Property: any valid description renders to a profile that reads back as that description."""

from __future__ import annotations

import plistlib

from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.mattermost.emm.plugins.module_utils.profiles import apple
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import DeviceProfile

# One line of any printable text, including astral characters and markup.
labels = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"), min_size=1, max_size=24,
).filter(str.strip)
host_labels = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10).filter(lambda label: label.strip("-") == label)
hosts = st.lists(host_labels, min_size=1, max_size=4).map(".".join) | st.ip_addresses().map(str)
bundle_ids = st.lists(st.text("abcXYZ019-", min_size=1, max_size=8), min_size=2, max_size=4).map(".".join)

passcode_options = {
    "auto_lock_minutes": st.sampled_from([1, 2, 3, 4, 5, 10, 15]),
    "max_failed_attempts": st.integers(2, 11),
    "max_age_days": st.integers(1, 730),
}
passcodes = st.one_of(
    st.fixed_dictionaries({"min_length": st.integers(4, 16), "complexity": st.just("numeric")}, optional=passcode_options),
    st.fixed_dictionaries(
        {"min_length": st.integers(4, 16), "complexity": st.just("alphanumeric")},
        optional={**passcode_options, "min_complex_chars": st.integers(0, 4)},
    ),
)
restrictions = st.fixed_dictionaries(
    {}, optional={name: st.booleans() for name in ("block_screenshots", "managed_open_in_only", "block_cloud_backup")},
)
vpn_common = {"connection_name": labels, "server": hosts}
vpn_optional = {"app_bundle_ids": st.lists(bundle_ids, min_size=1, max_size=3, unique=True), "on_demand": st.booleans()}
vpns = st.one_of(
    st.fixed_dictionaries(
        {**vpn_common, "vpn_type": st.just("ikev2"), "local_identifier": labels},
        optional={**vpn_optional, "remote_identifier": labels},
    ),
    st.fixed_dictionaries(
        {**vpn_common, "vpn_type": st.just("ssl"), "provider_bundle_id": bundle_ids},
        optional={**vpn_optional, "provider_type": st.sampled_from(["packet-tunnel", "app-proxy"])},
    ),
)
profiles = st.fixed_dictionaries(
    {"name": labels},
    optional={"organization": labels, "passcode": passcodes, "restrictions": restrictions, "per_app_vpn": vpns},
).map(DeviceProfile.from_input)


@settings(max_examples=120, deadline=None)
@given(profile=profiles)
def test_parse_of_render_is_the_description(profile):
    data = apple.render(profile)
    assert apple.parse(data) == profile
    assert apple.render(profile) == data
    assert plistlib.loads(data)["PayloadDisplayName"] == profile.name  # Python's own reader agrees
