# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What provider-backed modules share: the `provider` option, connecting, and running a plan
with check mode and diff. The only place where Ansible meets the provider layer."""

from __future__ import annotations

from typing import Any, Callable

from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune, offline
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import ApiError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.provider import CREATE, ProviderError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import SpecError
from ansible_collections.mattermost.emm.plugins.module_utils.module_support import require_libraries

PROVIDER_SPEC = dict(
    type="dict",
    required=True,
    options=dict(
        type=dict(type="str", required=True, choices=["intune", "offline"]),
        tenant_id=dict(type="str", fallback=(env_fallback, ["AZURE_TENANT_ID"])),
        client_id=dict(type="str", fallback=(env_fallback, ["AZURE_CLIENT_ID"])),
        client_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["AZURE_CLIENT_SECRET"])),
        cloud=dict(type="str", default="global", choices=["global", "usgov", "usgov_dod", "china"]),
        graph_url=dict(type="str"),
        login_url=dict(type="str"),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="int", default=30),
        settle_seconds=dict(type="int", default=10),
        dest=dict(type="path"),
    ),
    required_if=[("type", "intune", ("tenant_id", "client_id", "client_secret")), ("type", "offline", ("dest",))],
)


def provider_module(argument_spec: dict[str, Any], **kwargs: Any) -> AnsibleModule:
    """An AnsibleModule with the shared `provider` option and the library check done."""
    module = AnsibleModule(argument_spec=dict(argument_spec, provider=PROVIDER_SPEC), supports_check_mode=True, **kwargs)
    require_libraries(module)
    return module


def connect(module: AnsibleModule):
    settings = module.params["provider"]
    if settings["type"] == "offline":
        return offline.OfflineProvider(settings["dest"])
    return intune.connect(settings)


def run(module: AnsibleModule, work: Callable[[Any], dict[str, Any]]) -> None:
    """Connect, run `work(provider)` and exit; every provider error becomes a clear failure."""
    provider = None
    try:
        provider = connect(module)
        result = work(provider)
    except (ProviderError, SpecError, ApiError) as exc:
        module.fail_json(msg=str(exc), **_stats(provider))
    module.exit_json(**result, **_stats(provider))


def _stats(provider) -> dict[str, Any]:
    client = getattr(provider, "client", None)
    return {"api_requests": dict(client.stats)} if client is not None else {}


GROUP_TARGET_SPEC = dict(
    group=dict(type="str"),
    group_id=dict(type="str"),
    exclude=dict(type="bool", default=False),
)
GROUPS_OPTION = dict(type="list", elements="dict", options=GROUP_TARGET_SPEC, default=[],
                     mutually_exclusive=[("group", "group_id")], required_one_of=[("group", "group_id")])


def apply_plan(module: AnsibleModule, provider, plan) -> dict[str, Any]:
    """Apply `plan` unless in check mode; the result every reconciling module returns."""
    results = [] if module.check_mode or not plan.changed else provider.apply(plan)
    for warning in plan.warnings:
        module.warn(warning)
    result = {"changed": plan.changed, "operations": plan.summary(), "results": results,
              "objects": _objects(plan, results)}
    if module._diff and plan.changed:
        result["diff"] = plan.diff()
    return result


def _objects(plan, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every object wanted present with its id, also on runs that change nothing, so that a
    later task can refer to it (None in check mode for an object still to be created)."""
    created = {(result["kind"], result["name"]): result["id"] for result in results if result["action"] == CREATE}
    return [
        {"kind": kind, "name": name, "id": object_id or created.get((kind, name))}
        for (kind, name), object_id in plan.ids.items()
    ]
