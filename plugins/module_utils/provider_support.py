# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What provider-backed modules share: the `provider` option, connecting, and running a plan
with check mode and diff. The only place where Ansible meets the provider layer."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.emm import android_management, intune, jamf, offline
from ansible_collections.mattermost.emm.plugins.module_utils.emm.android_management.vendor import ENTERPRISE_NAME
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import CREATE, Provider, ProviderError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import ApiError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import SpecError
from ansible_collections.mattermost.emm.plugins.module_utils.module_support import fail_on_broken_rules, require_libraries


@dataclass(frozen=True)
class VendorOptions:
    """The `provider` fields one vendor type takes: each with the environment variables its
    users already set, the fields it requires, and how to connect with them."""

    connect: Callable[[Mapping[str, Any]], Any]
    fields: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()  # complete sets of fields, one of which is needed
    defaults: Mapping[str, Any] = field(default_factory=dict)


VENDORS = {
    "intune": VendorOptions(
        connect=intune.connect,
        fields={"tenant_id": ("AZURE_TENANT_ID",), "client_id": ("AZURE_CLIENT_ID",),
                "client_secret": ("AZURE_CLIENT_SECRET",), "cloud": (), "graph_url": (), "login_url": (),
                "token_cache": ()},
        required=("tenant_id", "client_id", "client_secret"),
        defaults={"cloud": "global", "token_cache": True},
    ),
    # The environment variables of the Jamf Pro Terraform provider, which Jamf admins already set.
    "jamf": VendorOptions(
        connect=jamf.connect,
        fields={"url": ("JAMFPRO_INSTANCE_FQDN",), "client_id": ("JAMFPRO_CLIENT_ID",),
                "client_secret": ("JAMFPRO_CLIENT_SECRET",), "username": ("JAMFPRO_BASIC_AUTH_USERNAME",),
                "password": ("JAMFPRO_BASIC_AUTH_PASSWORD",)},
        required=("url",),
        one_of=(("client_id", "client_secret"), ("username", "password")),
    ),
    # The key file variable Google's own tools and client libraries read.
    "android_management": VendorOptions(
        connect=android_management.connect,
        fields={"enterprise": (), "service_account_key": ("GOOGLE_APPLICATION_CREDENTIALS",), "url": ()},
        required=("enterprise", "service_account_key"),
    ),
    # Plans as `vendor` would, into the directory `dest`.
    "offline": VendorOptions(connect=offline.connect, fields={"dest": (), "vendor": ()}, required=("dest",),
                             defaults={"vendor": "intune"}),
}
COMMON_FIELDS = ("type", "validate_certs", "ca_path", "timeout", "retry_seconds", "settle_seconds")

PROVIDER_SPEC = dict(
    type="dict",
    required=True,
    options=dict(
        type=dict(type="str", required=True, choices=sorted(VENDORS)),
        tenant_id=dict(type="str"),
        client_id=dict(type="str"),
        client_secret=dict(type="str", no_log=True),
        cloud=dict(type="str", choices=["global", "usgov", "usgov_dod", "china"]),
        graph_url=dict(type="str"),
        login_url=dict(type="str"),
        token_cache=dict(type="bool"),
        url=dict(type="str"),
        username=dict(type="str"),
        password=dict(type="str", no_log=True),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="int", default=30),
        retry_seconds=dict(type="int", default=300),
        settle_seconds=dict(type="int", default=10),
        dest=dict(type="path"),
        vendor=dict(type="str", choices=sorted(offline.VENDORS)),
        enterprise=dict(type="str"),
        # raw: a key given as a mapping (the JSON loaded by YAML) stays one, instead of becoming its Python repr
        service_account_key=dict(type="raw", no_log=True),
    ),
)


def _is_service_account_key(value: Any, params: Mapping[str, Any]) -> bool:
    if isinstance(value, Mapping):
        return len(value) > 0
    return rules.secret().accepts(value, params)


PROVIDER_RULES = {
    "provider": rules.by_ansible("a mapping of the fields below"),
    "provider.type": rules.choices(sorted(VENDORS)),
    "provider.tenant_id": rules.tenant(),
    "provider.client_id": rules.text("an id"),
    "provider.client_secret": rules.secret(),
    "provider.cloud": rules.choices(PROVIDER_SPEC["options"]["cloud"]["choices"]),
    "provider.graph_url": rules.endpoint_url(),
    "provider.login_url": rules.endpoint_url(),
    "provider.token_cache": rules.BOOLEAN,
    "provider.url": rules.endpoint_url(),
    "provider.username": rules.text("a user name"),
    "provider.password": rules.secret(),
    "provider.validate_certs": rules.BOOLEAN,
    "provider.ca_path": rules.existing_file(),
    "provider.timeout": rules.integer(1, 3600, " (seconds)"),
    "provider.retry_seconds": rules.integer(0, 86400, " (seconds)"),
    "provider.settle_seconds": rules.integer(0, 600, " (seconds)"),
    "provider.dest": rules.path(),
    "provider.vendor": rules.choices(sorted(offline.VENDORS)),
    "provider.enterprise": rules.Rule("an enterprise name such as enterprises/LC01abcd23",
                                      lambda value, params: isinstance(value, str) and bool(ENTERPRISE_NAME.fullmatch(value))),
    "provider.service_account_key": rules.Rule("the path of a service-account key file, its JSON text, or the key as a "
                                               "mapping (never shown)", _is_service_account_key, secret=True),
}


def provider_module(argument_spec: dict[str, Any], option_rules: Mapping[str, rules.Rule], **kwargs: Any) -> AnsibleModule:
    """An AnsibleModule with the shared `provider` option, the library check done and every
    option held to its rule (`option_rules`, with the provider's): a broken rule fails the
    module before it connects."""
    module = AnsibleModule(argument_spec=dict(argument_spec, provider=PROVIDER_SPEC), supports_check_mode=True, **kwargs)
    require_libraries(module)
    try:
        settings = vendor_settings(module.params["provider"])
    except ProviderError as exc:
        module.fail_json(msg=f"{exc}; nothing was sent")
    # A password written into a URL (here or in an environment variable) is hidden like a no_log option.
    module.no_log_values.update(rules.url_passwords([module.params, settings]))
    fail_on_broken_rules(module, dict(module.params, provider=settings), {**PROVIDER_RULES, **option_rules},
                         "nothing was sent")
    return module


def vendor_settings(given: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The `provider` settings for the chosen vendor type, with its environment fallbacks
    (`environ`, by default the process's) and defaults; a field of another vendor, or a missing
    one, fails before any request."""
    environ = os.environ if environ is None else environ
    kind = given["type"]
    options = VENDORS[kind]
    foreign = sorted(name for name, value in given.items()
                     if value is not None and name not in options.fields and name not in COMMON_FIELDS)
    if foreign:
        raise ProviderError(f"provider type {kind} does not take {', '.join(foreign)}; it takes "
                            f"{', '.join(sorted(options.fields))} (and {', '.join(COMMON_FIELDS[1:])})")
    settings = dict(given)
    for name, variables in options.fields.items():
        if settings.get(name) is None:
            settings[name] = next((environ[var] for var in variables if environ.get(var)), options.defaults.get(name))
    _require(kind, settings, options)
    return settings


def _require(kind: str, settings: Mapping[str, Any], options: VendorOptions) -> None:
    missing = [name for name in options.required if not settings.get(name)]
    if missing:
        raise ProviderError(f"provider type {kind} needs {', '.join(missing)}" + _from_environment(missing, options))
    if options.one_of and not any(all(settings.get(name) for name in names) for names in options.one_of):
        choices = " or ".join(" and ".join(names) for names in options.one_of)
        raise ProviderError(f"provider type {kind} needs {choices}")


def _from_environment(names: list[str], options: VendorOptions) -> str:
    variables = [var for name in names for var in options.fields[name]]
    return f" (or the environment variables {', '.join(variables)})" if variables else ""


def connect(module: AnsibleModule) -> Provider:
    settings = vendor_settings(module.params["provider"])
    vendor = VENDORS[settings["type"]].connect(settings)
    # Looking for what a lost answer may have created is a retry too: the run's budget bounds it.
    return Provider(vendor, settle_seconds=settings["settle_seconds"], adopt=bool(module.params.get("adopt")),
                    recovery_seconds=min(Provider.recovery_seconds, settings["retry_seconds"]))


def run(module: AnsibleModule, work: Callable[[Any], dict[str, Any]]) -> None:
    """Connect, run `work(provider)` and exit; every provider error becomes a clear failure."""
    provider = None
    try:
        provider = connect(module)
        result = work(provider)
    except (ProviderError, SpecError, ApiError) as exc:
        module.fail_json(msg=str(exc), **_stats(provider))
    module.exit_json(**result, **_stats(provider))


def _stats(provider: Provider | None) -> dict[str, Any]:
    client = getattr(provider.vendor, "client", None) if provider is not None else None
    return {"api_requests": dict(client.stats)} if client is not None else {}


GROUP_TARGET_SPEC = dict(
    group=dict(type="str"),
    group_id=dict(type="str"),
    exclude=dict(type="bool", default=False),
)
GROUPS_OPTION = dict(type="list", elements="dict", options=GROUP_TARGET_SPEC, default=[],
                     mutually_exclusive=[("group", "group_id")], required_one_of=[("group", "group_id")])
_JAMF_ID = re.compile(r"[1-9][0-9]{0,17}")


def _is_group_id(value: Any, params: Mapping[str, Any]) -> bool:
    if params["provider"]["type"] == "jamf":
        return isinstance(value, str) and bool(_JAMF_ID.fullmatch(value))
    return rules.is_guid(value)


def _group_identity(target: Mapping[str, Any]) -> str | None:
    """A group is the same whether named once by name with exclude and once without."""
    return target.get("group") or (target.get("group_id") or "").lower() or None


def group_rules(option: str = "groups") -> dict[str, rules.Rule]:
    """The rules of a list of group targets (`groups`, `assignments`)."""
    return {
        option: rules.items("group", unique_by=_group_identity, min_items=0),
        f"{option}[].group": rules.text("a group's display name"),
        f"{option}[].group_id": rules.Rule(f"{rules.GUID_TEXT} (intune, offline) or a whole number from 1 (jamf)",
                                           _is_group_id),
        f"{option}[].exclude": rules.BOOLEAN,
    }


# Android Management has no groups: objects go into the policies the devices follow.
POLICIES_OPTION = dict(type="list", elements="str", default=[])
_POLICY = re.compile(r"(enterprises/[A-Za-z0-9_-]+/policies/)?[A-Za-z0-9_.-]+")
POLICY_RULE = rules.Rule("an Android Management policy's id (such as work-profile) or its full name "
                         "(enterprises/LC01abcd23/policies/work-profile)",
                         lambda value, params: isinstance(value, str) and bool(_POLICY.fullmatch(value)))


def policy_rules(option: str = "policies") -> dict[str, rules.Rule]:
    """The rules of a list of policy names (`policies`)."""
    return {option: rules.items("policy", min_items=0), f"{option}[]": POLICY_RULE}


STATE_RULE = rules.choices(["present", "absent"])
ADOPT_OPTION = dict(type="bool", default=False)
ADOPT_RULE = rules.BOOLEAN
NAME_RULE = rules.text("a name")
PLATFORMS_RULE = rules.items("platform (ios, android)")


def served_platforms(params: Mapping[str, Any], provider: Provider) -> dict[str, Any]:
    """The module's parameters, with `platforms` left out meaning every platform the provider serves."""
    return dict(params, platforms=params["platforms"] or list(provider.capabilities.platforms))


def apply_plan(module: AnsibleModule, provider, plan) -> dict[str, Any]:
    """Apply `plan` unless in check mode; the result every reconciling module returns."""
    results = [] if module.check_mode or not plan.changed else provider.apply(plan)
    for warning in plan.warnings:
        module.warn(warning)
    for adopted in plan.adopted:
        module.warn(f"{adopted} was not created by this collection and is updated because adopt is true; it stays "
                    "unowned, so state absent leaves it in place")
    result = {"changed": plan.changed, "operations": plan.summary(), "results": results,
              "objects": _objects(plan, results), "adopted": plan.adopted}
    if module._diff and plan.changed:
        result["diff"] = plan.diff()
    return result


def _objects(plan, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every object wanted present with its id, also on runs that change nothing, so that a
    later task can refer to it (None in check mode for an object still to be created)."""
    created = {(result["kind"], result["name"]): result["id"] for result in results if result["action"] == CREATE}
    return [
        {"kind": identity.kind, "name": identity.name, "id": object_id or created.get((identity.kind, identity.name))}
        for identity, object_id in plan.ids.items()
    ]
