# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers every module of the collection uses."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.mattermost.emm.plugins.module_utils.third_party import missing_libraries


def require_libraries(module: AnsibleModule) -> None:
    """Fail with Ansible's standard message when pydantic or lxml is missing."""
    missing = missing_libraries()
    if missing:
        module.fail_json(msg=missing_required_lib(missing[0]), exception=missing[1])
