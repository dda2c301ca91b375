# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers every module of the collection uses."""

from __future__ import annotations

from typing import Any, Mapping

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.third_party import missing_libraries


def require_libraries(module: AnsibleModule) -> None:
    """Fail with Ansible's standard message when pydantic or lxml is missing."""
    missing = missing_libraries()
    if missing:
        module.fail_json(msg=missing_required_lib(missing[0]), exception=missing[1])


def checked_module(argument_spec: dict[str, Any], option_rules: Mapping[str, rules.Rule], **kwargs: Any) -> AnsibleModule:
    """An AnsibleModule with the library check done and every option held to its rule before
    the module does anything (a module that writes files writes none when a rule is broken)."""
    module = AnsibleModule(argument_spec=argument_spec, **kwargs)
    require_libraries(module)
    fail_on_broken_rules(module, module.params, option_rules, "nothing was written")
    return module


def fail_on_broken_rules(module: AnsibleModule, params: Mapping[str, Any], option_rules: Mapping[str, rules.Rule],
                         consequence: str) -> None:
    """Fail with one sentence per broken rule (option, value, what is allowed), then `consequence`."""
    broken = rules.problems(params, option_rules)
    if broken:
        module.fail_json(msg="; ".join(broken) + f"; {consequence}")
