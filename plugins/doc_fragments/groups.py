# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The `groups` option of every policy module, documented once."""

    DOCUMENTATION = r"""
options:
  groups:
    description: The groups the objects are assigned to, or excluded from.
    type: list
    elements: dict
    default: []
    suboptions:
      group:
        description: The group's display name; it must exist and be unique.
        type: str
      group_id:
        description: The group's id, instead of O(groups[].group).
        type: str
      exclude:
        description: Exclude the group instead of including it.
        type: bool
        default: false
"""
