# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The AppConfig domain: Mattermost's managed keys and the documents that carry them.

Nothing in this package knows about HTTP or Ansible.
"""
