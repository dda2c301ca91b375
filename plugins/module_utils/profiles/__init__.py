# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Device profiles for the security settings the Mattermost app depends on.

One description (:mod:`.model`) becomes an Apple configuration profile (:mod:`.apple`),
Android Enterprise policy fragments (:mod:`.android`) and Microsoft Graph device
configuration bodies (:mod:`.intune`). Nothing in this package knows about HTTP or Ansible.
"""
