# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jamf Pro's tenant I/O: the Classic API for apps, profiles, devices and commands (the Pro API
has no mobile app or mobile profile resources), the Pro API for group names.

Classic lists hold only ids and names (apps also their bundle id), so full records are read only
for what the collection can manage: app records of the Mattermost bundle ids, and the profiles
the run's specs name. Requests go one at a time, well within Jamf's five connections, and the
load balancer's cookie is kept, so that a record just created is read from the same node.
"""

from __future__ import annotations

import http.cookiejar
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    APP,
    APP_CONFIG,
    APP_PROTECTION,
    ASSIGN_INLINE,
    CREATE,
    DELETE,
    DEVICE_PROFILE,
    Actual,
    Capabilities,
    Identity,
    Operation,
    Plan,
    ProviderError,
    Wishes,
    choose_devices,
    resolve_names,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import ApiError, HttpClient, NotFound, connection_options
from ansible_collections.mattermost.emm.plugins.module_utils.emm.jamf import records, wishes
from ansible_collections.mattermost.emm.plugins.module_utils.emm.jamf.auth import USER_TOKEN_PATH, UserToken, api_client
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    AppConfigSpec,
    AppSpec,
    DeviceActionSpec,
    DeviceProfileSpec,
    GroupTarget,
)

NO_APP_PROTECTION = (
    "Jamf Pro has no app protection policies; the Mattermost app protects its own data through its AppConfig "
    "keys inAppPinCode, blurApplicationScreen, jailbreakProtection and copyAndPasteProtection "
    "(mattermost.emm.app_config), and mattermost.emm.app's prevent_backup sets the app record's "
    "prevent_backup_of_app_data"
)
CAPABILITIES = Capabilities(
    vendor="Jamf Pro",
    modules=frozenset({APP, APP_CONFIG, DEVICE_PROFILE, "device_action", "emm_info"}),
    platforms=(catalog.IOS,),
    assignments=ASSIGN_INLINE,
    device_actions=frozenset(records.COMMANDS),
    refusals={APP_PROTECTION: NO_APP_PROTECTION},
    validation_gaps={
        "channel": "Jamf Pro delivers the AppConfig only inside the app record, through the OS channel the app reads: "
                   "there is no second channel to check",
        "devices:" + APP_CONFIG: "Jamf Pro reports no per-device state of an app's managed configuration (a device's "
                                 "inventory lists only the apps it has installed)",
    },
)
XML = {"Content-Type": "application/xml"}


def connect(settings: Mapping[str, Any]) -> JamfVendor:
    """Jamf Pro from the module's `provider` settings: `url` (with its context path, if any), and
    `client_id` + `client_secret` (an API client) or `username` + `password` (a user account);
    `validate_certs`, `ca_path` and `timeout` as for every vendor."""
    url = (settings.get("url") or "").rstrip("/")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ProviderError(f"provider url {url!r} is not a Jamf Pro URL; give one such as "
                            "https://example.jamfcloud.com or https://jamf.example.com:8443/jamf")
    if settings.get("client_id") and settings.get("client_secret"):
        auth: Any = api_client(url, settings["client_id"], settings["client_secret"])
        secret = settings["client_secret"]
    elif settings.get("username") and settings.get("password"):
        auth = UserToken(url + USER_TOKEN_PATH, settings["username"], settings["password"])
        secret = settings["password"]
    else:
        raise ProviderError("provider type jamf needs client_id and client_secret (an API client) "
                            "or username and password (a user account)")
    client = HttpClient(
        url,
        auth=auth,
        **connection_options(settings),
        secrets=[secret],
        cookies=http.cookiejar.CookieJar(),
    )
    return JamfVendor(client)


class JamfVendor:
    """Mattermost's app record, its AppConfig and the collection's profiles in one Jamf Pro, in the engine's terms."""

    capabilities = CAPABILITIES

    def __init__(self, client: HttpClient):
        self.client = client
        self._records: dict[str, list[dict]] = {}  # collection path -> full records
        self._profile_names: set[str] = set()  # the profiles the run's specs name: only those are read in full
        self._app_ids: set[str] = set(catalog.APP_IDS)  # the app records read in full: Mattermost's, and custom builds named
        self._inventories: dict[str, dict] = {}  # device id -> its last inventory (validation reads each once)
        self._members: dict[str, list[str]] = {}  # mobile device group id -> its devices' ids

    # Reading -------------------------------------------------------------------------------

    def list(self, kind: str) -> list[Actual]:
        if kind == DEVICE_PROFILE:
            return [records.profile_actual(raw) for raw in self._full_records(kind)]
        return [records.app_actual(kind, raw) for raw in self._full_records(kind)]

    def forget(self, kind: str) -> None:
        self._records.pop(records.RESOURCES[kind][0], None)

    def _full_records(self, kind: str) -> list[dict]:
        path = records.RESOURCES[kind][0]
        if path not in self._records:
            self._records[path] = self._read(kind, lambda item: self._manageable(kind, item))
        return self._records[path]

    def _manageable(self, kind: str, item: Mapping[str, Any]) -> bool:
        if kind == DEVICE_PROFILE:
            return item.get("name") in self._profile_names
        return item.get("bundle_id") in self._app_ids

    def _name_apps(self, app_ids: Iterable[str]) -> None:
        """Read the records of these bundle ids too (an organisation's own build), from the next listing on."""
        new = set(app_ids) - self._app_ids
        if new:
            self._app_ids |= new
            self.forget(APP)

    def _read(self, kind: str, wanted) -> list[dict]:
        """The full records of a kind whose list entries are `wanted`; one deleted meanwhile is left out."""
        path, root, list_key = records.RESOURCES[kind]
        listed = self._entries(path, list_key)
        found = []
        for item in (item for item in listed if wanted(item)):
            try:
                found.append(self.client.request("GET", f"{path}/id/{item['id']}").body[root])
            except NotFound:
                continue
        return found

    def _entries(self, path: str, key: str) -> list[dict]:
        """A whole Classic list (Classic lists are never paged)."""
        answer = self.client.request("GET", path)
        if not isinstance(answer.body, Mapping) or not isinstance(answer.body.get(key), list):
            raise ApiError("GET", self.client.url_for(path), answer.status, message=f"the answer has no '{key}' list")
        return answer.body[key]

    def group_ids(self, targets: Iterable[GroupTarget]) -> dict[str, str]:
        """Mobile device group name -> id for every target named by name; a missing or ambiguous
        name fails before anything is written."""
        names = {target.group for target in targets if target.group}
        if not names:
            return {}
        groups = self.client.request("GET", records.GROUPS_PATH).body
        return resolve_names(names, ((group["name"], str(group["id"])) for group in groups),
                             "mobile device group", CAPABILITIES.vendor)

    # Planning ------------------------------------------------------------------------------

    def per_app_vpn_name(self, profile_name: str) -> None:
        """None: no app assignment binds a per-app VPN by id in Jamf Pro (see wishes.PER_APP_VPN_BINDING)."""
        return None

    def desired_apps(self, spec: AppSpec) -> Wishes:
        self._name_apps([spec.app_id])
        return Wishes([wishes.app_wish(spec, self.group_ids)])

    def desired_app_configs(self, specs: Sequence[AppConfigSpec], check_mode: bool) -> Wishes:
        self._name_apps(spec.config.app_id for spec in specs)
        return wishes.app_config_wishes(specs, self.group_ids, lambda: {item.name: item for item in self.list(APP_CONFIG)},
                                        check_mode)

    def desired_device_profiles(self, spec: DeviceProfileSpec) -> Wishes:
        if spec.profile.name not in self._profile_names:
            self._profile_names.add(spec.profile.name)
            self.forget(DEVICE_PROFILE)
        return wishes.profile_wishes(spec, self.group_ids)

    def desired_app_protection(self, spec: Any) -> Wishes:
        raise ProviderError(NO_APP_PROTECTION)

    # Writing -------------------------------------------------------------------------------

    def send(self, action: str, operations: Sequence[Operation], created: Mapping[Identity, str],
             work: Plan) -> list[str | None]:
        """Each operation as one Classic request, in order. A create whose answer is lost raises
        TransportError (a POST is never sent twice): the engine looks before creating again."""
        return [self._send(op, created) for op in operations]

    def _send(self, op: Operation, created: Mapping[Identity, str]) -> str | None:
        path = records.RESOURCES[op.kind][0]
        if op.action == CREATE:
            if op.kind == APP_CONFIG:
                raise ProviderError(f"Jamf Pro has no app record for {op.name}: add the app first with mattermost.emm.app")
            answer = self.client.request("POST", f"{path}/id/0", body=records.write_xml(op), headers=XML)
            return records.created_id(answer.body)
        object_id = op.id or created[op.identity]
        if op.action == DELETE:
            self._delete(f"{path}/id/{object_id}")
        else:
            self.client.request("PUT", f"{path}/id/{object_id}", body=records.write_xml(op), headers=XML)
        return object_id

    def _delete(self, url: str) -> None:
        """Jamf answers 400 to some deletes that worked, so a 400 is judged by reading the record back."""
        try:
            self.client.request("DELETE", url)
        except NotFound:  # a retry after a lost answer: the first attempt deleted it
            return
        except ApiError as error:
            if error.status == 400 and self._gone(url):
                return
            raise

    def _gone(self, url: str) -> bool:
        try:
            self.client.request("GET", url)
        except NotFound:
            return True
        return False

    # Device actions --------------------------------------------------------------------------

    def select_devices(self, spec: DeviceActionSpec) -> list[dict[str, Any]]:
        for option in ("keep_enrollment_data", "keep_user_data"):
            if getattr(spec, option):
                raise ProviderError(f"{option} true has no Jamf Pro equivalent: Jamf's {records.COMMANDS[spec.action]} "
                                    "command takes no such option; nothing was sent: leave it out")
        devices = self._entries(records.DEVICES_PATH, "mobile_devices")
        chosen = choose_devices(spec, devices, records.device_matches, ("mobile device", "mobile devices"),
                                records.describe_device)
        return [records.device_summary(device) for device in chosen]

    def device_action(self, spec: DeviceActionSpec, devices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """One Classic command for all the devices; Jamf queues it until each device checks in."""
        ids = ",".join(device["id"] for device in devices)
        self.client.request("POST", f"{records.COMMANDS_PATH}/{records.COMMANDS[spec.action]}/id/{ids}")
        return [dict(device, requested=spec.action) for device in devices]

    # Devices' states -----------------------------------------------------------------------

    def device_states(self, kind: str, object_id: str) -> dict[str, Any] | None:
        """Whether each device the record's scope reaches reported the app or the profile installed
        in its last inventory (Jamf gives installation device by device, not per object)."""
        raw = next((raw for raw in self._full_records(kind) if str((raw.get("general") or {}).get("id")) == object_id), None)
        if raw is None:
            return None
        raw_scope = raw.get("scope") or {}
        groups = {str(group["id"]) for part in (raw_scope, raw_scope.get("exclusions") or {})
                  for group in part.get("mobile_device_groups") or ()}
        members = {group_id: self._group_members(group_id) for group_id in groups}
        every = ([str(device["id"]) for device in self._entries(records.DEVICES_PATH, "mobile_devices")]
                 if raw_scope.get("all_mobile_devices") else [])
        devices = [self._inventory(device_id) for device_id in records.scoped_device_ids(raw_scope, members, every)]
        return records.installation_states(kind, raw, devices)

    def _group_members(self, group_id: str) -> list[str]:
        if group_id not in self._members:
            group = self.client.request("GET", f"{records.GROUP_MEMBERS_PATH}/id/{group_id}").body["mobile_device_group"]
            self._members[group_id] = [str(device["id"]) for device in group.get("mobile_devices") or ()]
        return self._members[group_id]

    def _inventory(self, device_id: str) -> dict:
        if device_id not in self._inventories:
            path = f"{records.DEVICES_PATH}/id/{device_id}/subset/{records.DEVICE_SUBSETS}"
            self._inventories[device_id] = self.client.request("GET", path).body["mobile_device"]
        return self._inventories[device_id]

    # Reading back --------------------------------------------------------------------------

    def inventory(self, app_ids: Sequence[str] = catalog.APP_IDS) -> dict[str, Any]:
        """The Mattermost app records with their scope and AppConfig (audited as the iOS app reads
        it) and the collection's configuration profiles (every profile is read in full to find them)."""
        self._name_apps(app_ids)
        apps = [raw for raw in self._full_records(APP) if (raw.get("general") or {}).get("bundle_id") in app_ids]
        profiles = [raw for raw in self._read(DEVICE_PROFILE, lambda item: True) if records.profile_actual(raw).owned]
        scoped = apps + profiles
        return {
            "apps": [records.describe_app(raw) for raw in apps],
            "app_configurations": [records.audit_configuration(raw) for raw in apps if records.has_configuration(raw)],
            "managed_app_configurations": [],
            "device_profiles": [records.describe_profile(raw) for raw in profiles],
            "app_protections": [],
            "groups": {group_id: name for raw in scoped for group_id, name in records.group_names(raw.get("scope")).items()},
        }
