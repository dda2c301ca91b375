# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Android Management API's tenant I/O: one enterprise's policies, its apps' managed
properties on Google Play, and its devices.

A run lists the policies once (paged) and derives every neutral kind from that listing; writes
touch only the Mattermost entry (modifyPolicyApplications / removePolicyApplications) or the
policy fields the collection manages (PATCH with an exact updateMask, never a bare PATCH, which
would overwrite every field). Both application methods are safe to repeat, so they are retried
like any idempotent request; 429 RESOURCE_EXHAUSTED is retried after the server's Retry-After.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence
from urllib.parse import quote, urlsplit

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.emm.android_management import policies as codec
from ansible_collections.mattermost.emm.plugins.module_utils.emm.android_management.auth import ServiceAccountToken, load_key
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    APP,
    APP_CONFIG,
    APP_PROTECTION,
    ASSIGN_MEMBERSHIP,
    DELETE,
    DEVICE_PROFILE,
    GROUP,
    POLICY,
    Actual,
    Capabilities,
    Identity,
    Operation,
    Plan,
    ProviderError,
    Wishes,
    choose_devices,
    same_name,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import HttpClient, NotFound, connection_options
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    AppConfigSpec,
    AppSpec,
    DeviceActionSpec,
    DeviceProfileSpec,
)

DEFAULT_URL = "https://androidmanagement.googleapis.com"
NO_APP_PROTECTION = (
    "the Mattermost Android app does not embed the Intune App SDK and Android Management has no app protection "
    "policies: the work profile is the boundary (mattermost.emm.device_profile with enrollment [byod] sets its "
    "password, screen capture and cross-profile copy and paste), with the app's own keys (mattermost.emm.app_config)"
)
CAPABILITIES = Capabilities(
    vendor=codec.VENDOR,
    modules=frozenset({APP, APP_CONFIG, DEVICE_PROFILE, "device_action", "emm_info"}),
    platforms=(catalog.ANDROID,),
    assignments=ASSIGN_MEMBERSHIP,
    device_actions=frozenset({"wipe"}),
    refusals={APP_PROTECTION: NO_APP_PROTECTION, GROUP: codec.NO_GROUPS},
    targets=POLICY,
    validation_gaps={"channel": f"{codec.VENDOR} delivers the managed configuration only in the policy's app entry, "
                                "the channel the app reads: there is no second channel to check"},
)
ENTERPRISE_NAME = re.compile(r"enterprises/[A-Za-z0-9_-]+")
_PAGE_SIZE = 100


def connect(settings: Mapping[str, Any]) -> AndroidManagementVendor:
    """Android Management from the module's `provider` settings: `enterprise` (enterprises/...),
    `service_account_key` (a path or the JSON), `url` (Google's by default), and `validate_certs`,
    `ca_path` and `timeout` as for every vendor."""
    enterprise = settings.get("enterprise") or ""
    if not ENTERPRISE_NAME.fullmatch(enterprise):
        raise ProviderError(f"provider enterprise {enterprise!r} is not an enterprise name: give it as enterprises/ID "
                            "(for example enterprises/LC01abcd23)")
    url = (settings.get("url") or DEFAULT_URL).rstrip("/")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ProviderError(f"provider url {url!r} is not an Android Management API root such as {DEFAULT_URL}")
    key = load_key(settings.get("service_account_key"))
    client = HttpClient(
        url,
        auth=ServiceAccountToken(key),
        **connection_options(settings),
        secrets=[key["private_key"]],
    )
    return AndroidManagementVendor(client, enterprise)


class AndroidManagementVendor:
    """Mattermost's entries and the collection's settings in one enterprise's policies, in the engine's terms."""

    capabilities = CAPABILITIES

    def __init__(self, client: HttpClient, enterprise: str):
        self.client = client
        self.enterprise = enterprise
        self._policies: list[dict[str, Any]] | None = None
        self._profile_names: set[str] = set()
        self._profile_policies: set[str] = set()
        self._properties: dict[str, list[dict[str, Any]]] = {}
        self._device_list: list[dict[str, Any]] | None = None
        # The packages whose policy entries are the collection's: Mattermost's, and the custom builds named this run.
        self._packages: set[str] = set(catalog.APP_IDS)

    # Reading -------------------------------------------------------------------------------

    def policies(self) -> list[dict[str, Any]]:
        """Every policy of the enterprise (listed once per run, until `forget`)."""
        if self._policies is None:
            self._policies = self._all(f"/v1/{self.enterprise}/policies", "policies")
        return self._policies

    def list(self, kind: str) -> list[Actual]:
        if kind == APP:
            return codec.app_actuals(self.policies(), self._packages)
        if kind == APP_CONFIG:
            return codec.config_actuals(self.policies(), self._packages)
        named = [policy for policy in self.policies() if policy["name"] in self._profile_policies]
        return codec.profile_actuals(named, sorted(self._profile_names))

    def forget(self, kind: str) -> None:
        self._policies = None

    def _all(self, path: str, key: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every item of a paged list, following nextPageToken to the end; a failed page raises."""
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            query = {"pageSize": _PAGE_SIZE, **(params or {}), **({"pageToken": token} if token else {})}
            body = self.client.request("GET", path, params=query).body or {}
            items.extend(body.get(key) or [])
            token = body.get("nextPageToken")
            if not token:
                return items

    def _resolve(self, names: Sequence[str]) -> list[str]:
        """The full names of the policies named; a missing one fails before anything is written."""
        full = [codec.policy_name(self.enterprise, name) for name in names]
        known = {policy["name"] for policy in self.policies()}
        missing = sorted(set(name for name in full if name not in known))
        if missing:
            listed = ", ".join(sorted(known)) or "none"
            raise ProviderError(f"{codec.VENDOR} has no policy named {', '.join(missing)} in {self.enterprise} (it has: "
                                f"{listed}); create the policy, or correct the name; nothing was sent")
        return full

    def managed_properties(self, package: str) -> list[dict[str, Any]]:
        """The app's managed properties as Google Play declares them (read once per run)."""
        if package not in self._properties:
            try:
                answer = self.client.request("GET", f"/v1/{self.enterprise}/applications/{package}")
            except NotFound:
                raise ProviderError(f"Google Play has no app {package} for {self.enterprise} (a custom build must be "
                                    "published as a private app for this enterprise in Managed Google Play first); "
                                    "nothing was sent") from None
            self._properties[package] = list((answer.body or {}).get("managedProperties") or [])
        return self._properties[package]

    def _holding(self, package: str) -> list[str]:
        return [policy["name"] for policy in self.policies() if codec.mattermost_entries(policy, (package,))]

    # Planning ------------------------------------------------------------------------------

    def per_app_vpn_name(self, profile_name: str) -> None:
        return None

    def desired_apps(self, spec: AppSpec) -> Wishes:
        codec.check_app(spec)
        self._packages.add(spec.app_id)
        self._resolve([target.policy for target in spec.policies])
        return codec.app_wishes(spec, self.enterprise, self._holding(spec.app_id))

    def desired_app_configs(self, specs: Sequence[AppConfigSpec], check_mode: bool) -> Wishes:
        self._resolve([name for spec in specs for name in spec.policies])
        packages = sorted({spec.config.app_id for spec in specs})
        self._packages.update(packages)
        present = {spec.config.app_id for spec in specs if spec.state == "present"}
        return codec.config_wishes(specs, self.enterprise, {package: self._holding(package) for package in packages},
                                   {package: self.managed_properties(package) for package in sorted(present)}, check_mode)

    def desired_device_profiles(self, spec: DeviceProfileSpec) -> Wishes:
        self._profile_policies.update(self._resolve(spec.policies))
        self._profile_names.add(spec.profile.name)
        return codec.profile_wishes(spec, self.enterprise)

    def desired_app_protection(self, spec: Any) -> Wishes:
        raise ProviderError(NO_APP_PROTECTION)

    # Writing -------------------------------------------------------------------------------

    def send(self, action: str, operations: Sequence[Operation], created: Mapping[Identity, str],
             work: Plan) -> list[str | None]:
        """Application changes go as one modifyPolicyApplications (removals as one
        removePolicyApplications) per policy; device settings as one masked PATCH each."""
        by_policy: dict[tuple[str, str], list[Operation]] = {}
        for op in operations:
            by_policy.setdefault((op.container or "", self._method(op)), []).append(op)
        for (policy, method), ops in by_policy.items():
            self._write(policy, method, ops)
        return [op.id or (codec.entry_id(op.container or "", op.name) if op.kind != DEVICE_PROFILE else op.container)
                for op in operations]

    @staticmethod
    def _method(op: Operation) -> str:
        if op.kind == DEVICE_PROFILE:
            return "patch"
        return "removePolicyApplications" if op.kind == APP and op.action == DELETE else "modifyPolicyApplications"

    def _write(self, policy: str, method: str, ops: Sequence[Operation]) -> None:
        path = f"/v1/{quote(policy)}"
        if method == "patch":
            for op in ops:
                mask, body = codec.profile_patch(op)
                self.client.request("PATCH", path, params={"updateMask": mask}, json=body)
        elif method == "removePolicyApplications":
            self.client.request("POST", f"{path}:{method}", json={"packageNames": [op.name for op in ops]}, idempotent=True)
        else:
            self.client.request("POST", f"{path}:{method}", json={"changes": [codec.application_change(op) for op in ops]},
                                idempotent=True)

    # Devices --------------------------------------------------------------------------------

    def devices(self) -> list[dict[str, Any]]:
        return self._all(f"/v1/{self.enterprise}/devices", "devices")

    def select_devices(self, spec: DeviceActionSpec) -> list[dict[str, Any]]:
        for option in ("keep_enrollment_data", "keep_user_data"):
            if getattr(spec, option):
                raise ProviderError(f"{option} true has no {codec.VENDOR} equivalent: deleting a device wipes it (a "
                                    "personal device loses its work profile only); nothing was sent: leave it out")
        if any(selector.device_name for selector in spec.devices):
            raise ProviderError(f"{codec.VENDOR} devices carry no name to select by: name them by id, serial_number "
                                "or user; nothing was sent")
        chosen = choose_devices(spec, [dict(device, id=device["name"]) for device in self.devices()], _device_matches,
                                ("device", "devices"), _describe_device)
        return [_summary(device) for device in chosen]

    def device_action(self, spec: DeviceActionSpec, devices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Deletes (wipes) each device; for a personal device that removes the work profile only."""
        done = []
        for device in devices:
            try:
                self.client.request("DELETE", f"/v1/{quote(device['id'])}")
            except NotFound:  # a retry after a lost answer: the first attempt deleted it
                pass
            done.append(dict(device, requested=spec.action, removed=device["removes"]))
        return done

    def device_states(self, kind: str, object_id: str) -> dict[str, Any]:
        """How the devices that follow the object's policy run it (the app's entry, its configuration
        or the policy's device settings): on its current version or behind, and those non-compliant."""
        policy = object_id.split("/applications/")[0]
        if self._device_list is None:
            self._device_list = self.devices()
        by_name = {item["name"]: item for item in self.policies()}
        settings = codec.PROFILE_FIELDS if kind == DEVICE_PROFILE else ()
        packages = () if kind == DEVICE_PROFILE else [object_id.rsplit("/", 1)[-1]]
        return codec.policy_device_states(self._device_list, by_name, policy, settings, packages)

    # Reading back --------------------------------------------------------------------------

    def inventory(self, app_ids: Sequence[str] = catalog.APP_IDS) -> dict[str, Any]:
        """The policies' Mattermost entries (audited as the Android app reads them) and, per device,
        whether it runs the current version of its policy."""
        policies = self.policies()
        entries = [(policy, app) for policy in policies for app in codec.mattermost_entries(policy, app_ids)]
        by_name = {policy["name"]: policy for policy in policies}
        devices = [codec.device_state(device, by_name, app_ids) for device in self.devices()]
        return {
            "apps": [codec.describe_entry(policy, app) for policy, app in entries],
            "app_configurations": [codec.audit_configuration(policy, app) for policy, app in entries
                                   if app.get("managedConfiguration")],
            "managed_app_configurations": [],
            "device_profiles": [{"id": policy["name"], "type": "policy", "display_name": policy["name"], "owned": False,
                                 "settings": codec.profile_fields(policy)} for policy in policies],
            "app_protections": [],
            "groups": {},
            "policies": [{"name": policy["name"], "version": codec.version(policy.get("version")),
                          "devices": sum(1 for device in devices if device["policy"] == policy["name"]),
                          "devices_behind": sum(1 for device in devices
                                                if device["policy"] == policy["name"] and not device["current"])}
                         for policy in policies],
            "devices": devices,
        }


def _device_matches(device: Mapping[str, Any], selector: Any) -> bool:
    if selector.id:
        return device["name"] == selector.id or device["name"].rsplit("/", 1)[-1] == selector.id
    if selector.serial_number:
        return same_name((device.get("hardwareInfo") or {}).get("serialNumber"), selector.serial_number)
    return same_name(device.get("userName"), selector.user or "")


def _personal(device: Mapping[str, Any]) -> bool:
    return device.get("ownership") == "PERSONALLY_OWNED" or device.get("managementMode") == "PROFILE_OWNER"


def _summary(device: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": device["name"], "serial_number": (device.get("hardwareInfo") or {}).get("serialNumber"),
            "user": device.get("userName"), "ownership": device.get("ownership"), "policy": device.get("policyName"),
            "removes": "work_profile" if _personal(device) else "device", "matched_by": device.get("matched_by", [])}


def _describe_device(device: Mapping[str, Any]) -> str:
    return f"{device['name']} (serial {(device.get('hardwareInfo') or {}).get('serialNumber')}, {device.get('userName')})"
