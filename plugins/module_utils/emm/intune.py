# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Microsoft Intune through Microsoft Graph.

The Mattermost app reads only the OS channel, so its keys always go into managed-device app
configuration (`mobileAppConfigurations`): `iosMobileAppConfiguration`, and the Managed Google
Play `androidManagedStoreAppConfiguration` whose `profileApplicability` picks fully managed
devices or work profiles. Never into managed-apps (MAM) configuration, which the app never sees.

Graph calls go to beta where v1.0 lacks what is needed: Managed Google Play apps and their
configurations, assignment filters (the iOS ownership split) and `preventManagedAppBackup`. All
of deviceAppManagement is therefore read and written on beta, so one list shows every app;
groups, users, managed devices and app protection registrations are read on v1.0.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Mapping, Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_lob
from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm import engine
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    ASSIGN,
    CREATE,
    DELETE,
    Actual,
    Capabilities,
    Identity,
    Operation,
    Plan,
    ProviderError,
    Wishes,
    choose_devices,
    resolve_names,
    settle,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import (
    BatchRequest,
    ClientCredentials,
    HttpClient,
    TransportError,
    connection_options,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    SELECTIVE_WIPE,
    AppConfigSpec,
    AppProtectionSpec,
    AppSpec,
    DeviceActionSpec,
    DeviceProfileSpec,
    GroupTarget,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.token_cache import TokenCache
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import intune as profile_bodies

# Public cloud and the national clouds: (Graph, Entra login).
CLOUDS = {
    "global": ("https://graph.microsoft.com", "https://login.microsoftonline.com"),
    "usgov": ("https://graph.microsoft.us", "https://login.microsoftonline.us"),
    "usgov_dod": ("https://dod-graph.microsoft.us", "https://login.microsoftonline.us"),
    "china": ("https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn"),
}
BETA = "/beta"
V1 = "/v1.0"
GROUP_PAGE = "999"
# Graph takes at most 15 values in one `in (...)` of a directory filter.
GROUP_FILTER_VALUES = 15


CAPABILITIES = Capabilities(
    vendor="Microsoft Intune",
    modules=frozenset({engine.APP, engine.APP_CONFIG, engine.DEVICE_PROFILE, engine.APP_PROTECTION,
                       "device_action", "emm_info"}),
    assignments=engine.ASSIGN_ACTION,
    device_actions=frozenset({"wipe", "retire", SELECTIVE_WIPE}),
    lagging_listings=True,
    validation_gaps={"devices:" + engine.APP: "Intune reports an app's installation per device in its reports, not "
                     "through the app's Graph object; the app configurations and device profiles are checked per device",
                     "devices:" + engine.APP_PROTECTION: "app protection reports per user check-in, not per device"},
)


def connect(settings: Mapping[str, Any]) -> IntuneVendor:
    """Intune from the module's `provider` settings."""
    graph_default, login_default = CLOUDS[settings.get("cloud") or "global"]
    graph_url = (settings.get("graph_url") or graph_default).rstrip("/")
    login_url = (settings.get("login_url") or login_default).rstrip("/")
    token_url = f"{login_url}/{settings['tenant_id']}/oauth2/v2.0/token"
    scope = f"{graph_default if settings.get('graph_url') is None else graph_url}/.default"
    # One token for the tasks of a play: each module run is a process of its own.
    cache = (TokenCache.for_client(token_url, settings["client_id"], settings["client_secret"], scope)
             if settings.get("token_cache") else None)
    auth = ClientCredentials(token_url, settings["client_id"], settings["client_secret"], scope=scope, cache=cache)
    client = HttpClient(
        graph_url,
        auth=auth,
        **connection_options(settings),
        secrets=[settings["client_secret"]],
    )
    return IntuneVendor(client, settle_seconds=settings.get("settle_seconds", 10))


class IntuneVendor:
    """Mattermost's apps and configurations in one Intune tenant, in the engine's terms."""

    capabilities = CAPABILITIES

    def __init__(self, client: HttpClient | None, settle_seconds: float = 10):
        self.client = client
        self.settle_seconds = settle_seconds
        self._listed: dict[str, list[dict]] = {}
        self._ipas: dict[str, intune_lob.Ipa] = {}  # app name -> the custom build's .ipa to upload

    # Reading -------------------------------------------------------------------------------

    def list(self, kind: str) -> list[Actual]:
        return [_actual(kind, raw) for raw in self._list(kind)]

    def forget(self, kind: str) -> None:
        self._listed.pop(kind, None)

    def _list(self, kind: str) -> list[dict]:
        """Every object of a kind, paged to the end (cached for the run)."""
        if kind not in self._listed:
            expand = objects.EXPAND.get(kind, "assignments" if kind in objects.ASSIGNABLE else None)
            params = {"$expand": expand} if expand else None
            self._listed[kind] = self.client.get_all(BETA + objects.COLLECTION[kind], params=params)
        return self._listed[kind]

    def group_ids(self, targets: Iterable[GroupTarget]) -> dict[str, str]:
        """Group display name -> id for every target named by display name."""
        names = {target.group for target in targets if target.group}
        if not names:
            return {}
        groups = self._groups_where("displayName", names)
        return resolve_names(names, ((group["displayName"], group["id"]) for group in groups), "group", "the tenant")

    def _groups_where(self, field: str, values: Iterable[str]) -> list[dict]:
        """The groups whose `field` is one of `values`: a filtered read of only those, not the
        whole directory (which a large tenant serves in many pages)."""
        quoted = sorted("'" + value.replace("'", "''") + "'" for value in set(values))
        found: list[dict] = []
        for start in range(0, len(quoted), GROUP_FILTER_VALUES):
            chunk = ", ".join(quoted[start:start + GROUP_FILTER_VALUES])
            found += self.client.get_all(V1 + "/groups", params={"$select": "id,displayName", "$top": GROUP_PAGE,
                                                                 "$filter": f"{field} in ({chunk})"})
        return found

    def mattermost_apps(self, app_id: str) -> dict[str, list[dict]]:
        """The tenant's catalog entries of the Mattermost app, by platform."""
        return objects.mattermost_apps(self._list(objects.APPS), app_id)

    # Planning ------------------------------------------------------------------------------

    def desired_apps(self, spec: AppSpec) -> Wishes:
        if spec.hosted_url is not None:
            raise ProviderError("hosted_url is for EMMs that install an in-house build from the organisation's own "
                                "server (Jamf Pro); Intune hosts the build itself: give ipa, the build's .ipa file; "
                                "nothing was sent")
        ipa = _custom_ipa(spec)
        apps = self.mattermost_apps(spec.app_id)
        if spec.state == "present" and catalog.ANDROID in spec.platforms and not apps[catalog.ANDROID]:
            missing = CUSTOM_ANDROID_APP_MISSING if spec.custom_build else objects.ANDROID_APP_MISSING
            raise ProviderError(missing.format(app_id=spec.app_id))
        if spec.state == "present" and spec.custom_build and catalog.IOS in spec.platforms and not (ipa or apps[catalog.IOS]):
            raise ProviderError(f"the tenant has no iOS app {spec.app_id} and the App Store has no custom build: give "
                                "ipa, the build's .ipa file, to upload it as a line-of-business app; nothing was sent")
        wishes = objects.desired_apps(spec, apps, self.group_ids(spec.assignments))
        if ipa is None or spec.state != "present":
            return Wishes(wishes)
        self._ipas[f"{catalog.IOS}:{spec.app_id}"] = ipa
        return Wishes([_line_of_business(wish, spec, ipa) if wish.name == f"{catalog.IOS}:{spec.app_id}" else wish
                       for wish in wishes])

    def desired_app_configs(self, specs: Sequence[AppConfigSpec], check_mode: bool) -> Wishes:
        """With `check_mode`, an app entry still missing (one that an earlier task of the same
        check run would add) is planned against a placeholder instead of failing."""
        present = [spec for spec in specs if spec.state == "present"]
        app_ids = {spec.config.app_id for spec in present}
        notes: list[str] = []
        apps = {app_id: self._required_apps(app_id, present, check_mode, notes) for app_id in app_ids}
        groups = self.group_ids(target for spec in present for target in spec.groups)
        filters = self._filters() if any(objects.needs_filter(spec) for spec in present) else []
        desired = [
            wish for spec in specs for wish in objects.desired_configs(spec, apps.get(spec.config.app_id), groups, filters)
        ]
        return Wishes(desired + objects.desired_filters(present, filters), notes)

    def _required_apps(self, app_id: str, specs: Sequence[AppConfigSpec], check_mode: bool,
                       notes: list[str]) -> dict[str, list[dict]]:
        platforms = {p for spec in specs if spec.config.app_id == app_id for p in spec.config.platforms}
        apps = self.mattermost_apps(app_id) if check_mode else self._settled_apps(app_id, platforms)
        for platform in platforms:
            if not apps[platform] and check_mode:
                apps[platform] = [{"id": f"<{platform}:{app_id}>"}]
                notes.append(
                    f"check mode: the tenant has no {platform} entry for {app_id} yet; planned against a placeholder"
                )
            elif not apps[platform]:
                hint = " (Android: approve it in Managed Google Play and sync)" if platform == catalog.ANDROID else ""
                raise ProviderError(f"the tenant has no {platform} entry for {app_id}; add it first with mattermost.emm.app{hint}")
        return apps

    def _settled_apps(self, app_id: str, platforms: set[str]) -> dict[str, list[dict]]:
        """The app's entries, waited for: an earlier task may have just added them."""

        return settle(lambda: self.mattermost_apps(app_id), lambda found: all(found[p] for p in platforms),
                      self.settle_seconds, refresh=lambda: self.forget(objects.APPS))

    def _filters(self) -> list[dict]:
        return self._list(objects.FILTERS)

    def desired_device_profiles(self, spec: DeviceProfileSpec) -> Wishes:
        return Wishes(objects.desired_device_profiles(spec, self.group_ids(spec.groups)))

    def desired_app_protection(self, spec: AppProtectionSpec) -> Wishes:
        return Wishes(objects.desired_protections(spec, self.group_ids(spec.groups)))

    def per_app_vpn_name(self, profile_name: str) -> str:
        """Intune binds an app to a per-app VPN through the app's assignment (vpnConfigurationId)."""
        return profile_bodies.per_app_vpn_name(profile_name)

    # Writing -------------------------------------------------------------------------------

    def send(self, action: str, operations: Sequence[Operation], created: Mapping[Identity, str],
             work: Plan) -> list[str | None]:
        """One phase through $batch; an assign phase also names the apps of new or changed
        protection policies (targetApps)."""
        if action == CREATE:
            return self._create(operations)
        extra = self._target_apps(work, created) if action == ASSIGN else []
        self._send([self._request(op, created) for op in operations] + extra)
        if action == engine.UPDATE:
            self._upload_contents(operations, created)
        return [op.id or created.get(op.identity) for op in operations]

    def _create(self, operations: Sequence[Operation]) -> list[str | None]:
        # Filters go first: configurations are assigned with them.
        ordered = sorted(operations, key=lambda op: op.kind != objects.FILTERS)
        answers = self._send([self._request(op, {}) for op in ordered])
        ids = {op.identity: answer.body["id"] for op, answer in zip(ordered, answers)}
        self._upload_contents(operations, ids)
        return [ids[op.identity] for op in operations]

    def _upload_contents(self, operations: Sequence[Operation], ids: Mapping[Identity, str]) -> None:
        """The .ipa of every line-of-business app created, or updated with another file, uploaded
        and committed. A lost connection fails the run as it is (the app exists, without the new
        content): the next run uploads again into the same app."""
        for op in operations:
            if op.variant != intune_lob.IOS_LOB_APP or op.after.get("content") == (op.before or {}).get("content"):
                continue
            app_path = f"{BETA}{objects.COLLECTION[objects.APPS]}/{op.id or ids[op.identity]}"
            notes = op.current.raw.get("notes") if op.current else None
            try:
                intune_lob.ContentUpload(self.client, app_path, self._ipas[op.name]).run(notes)
            except TransportError as exc:
                raise ProviderError(f"the upload of {self._ipas[op.name].file_name} was cut off ({exc}); the app "
                                    "has no new content version yet, and the next run uploads the file again") from None

    def _request(self, op: Operation, created: Mapping[Identity, str]) -> BatchRequest:
        path = objects.COLLECTION[op.kind]
        object_id = op.id or created.get(op.identity)
        if op.action == CREATE and op.variant == intune_lob.IOS_LOB_APP:
            return BatchRequest("POST", path, intune_lob.create_payload(op.after, self._ipas[op.name].minimum_os))
        if op.action == CREATE:
            return BatchRequest("POST", path, objects.payload(op.kind, op.after))
        if op.action == DELETE:
            return BatchRequest("DELETE", f"{path}/{object_id}")
        if op.action != ASSIGN and op.variant == intune_lob.IOS_LOB_APP:
            return BatchRequest("PATCH", f"{path}/{object_id}", intune_lob.update_payload(op.after))
        if op.action != ASSIGN:
            return BatchRequest("PATCH", f"{path}/{object_id}", objects.payload(op.kind, op.after))
        body = objects.assign_payload(op.kind, op.assignments,
                                      lambda name: created.get(Identity(objects.FILTERS, name)))
        # Assign replaces the whole set, so repeating it after a server error is harmless.
        return BatchRequest("POST", f"{path}/{object_id}/assign", body, idempotent=True)

    def _target_apps(self, work: Plan, created: Mapping[Identity, str]) -> list[BatchRequest]:
        """targetApps for every new protection policy, or one whose apps changed."""
        return [
            BatchRequest("POST", f"{objects.COLLECTION[op.kind]}/{op.id or created[op.identity]}/targetApps",
                         objects.target_apps_payload(op.after), idempotent=True)
            for op in work.operations
            if _changes_target_apps(op)
        ]

    def _send(self, requests: list[BatchRequest]):
        if not requests:
            return []
        answers = self.client.batch(requests, url=BETA + "/$batch")
        for request, answer in zip(requests, answers):
            self.client.raise_for(answer, request)
        return answers

    # Device actions --------------------------------------------------------------------------

    def select_devices(self, spec: DeviceActionSpec) -> list[dict[str, Any]]:
        """What the selectors name, checked against max_devices before anything is sent: managed
        devices, or for a selective wipe the Mattermost app's app protection registrations."""
        if spec.action == SELECTIVE_WIPE:
            return self._select_registrations(spec)
        devices = self.client.get_all(V1 + objects.DEVICES, params={"$select": objects.DEVICE_FIELDS})
        chosen = choose_devices(spec, devices, objects.device_matches, ("managed device", "devices"), objects.describe_device)
        return [objects.device_summary(device) for device in chosen]

    def _select_registrations(self, spec: DeviceActionSpec) -> list[dict[str, Any]]:
        registrations = self.client.get_all(V1 + objects.REGISTRATIONS)
        mattermost = [item for item in registrations if objects.registration_app_id(item) in catalog.APP_IDS]
        user_ids = {selector.user: self._user_ids(selector.user) for selector in spec.devices if selector.user}
        chosen = choose_devices(
            spec, mattermost,
            lambda item, selector: objects.registration_matches(item, selector, user_ids.get(selector.user, ())),
            ("Mattermost app registration", "app registrations"), objects.describe_registration)
        unreachable = [objects.describe_registration(item) for item in chosen if not all(objects.wipe_target(item))]
        if unreachable:
            raise ProviderError(f"Intune gives no user or device tag for {', '.join(unreachable)}, so no wipe can name it; "
                                "nothing was sent")
        return [objects.registration_summary(item, _reached_with(item, registrations)) for item in chosen]

    def _user_ids(self, user: str) -> list[str]:
        """The Entra ids a `user` selector stands for: itself, or the id of the user with that UPN
        (registrations carry only the user's id)."""
        if "@" not in user:
            return [user]
        upn = user.replace("'", "''")
        found = self.client.get_all(V1 + objects.USERS, params={"$filter": f"userPrincipalName eq '{upn}'",
                                                                "$select": "id,userPrincipalName"})
        if not found:
            raise ProviderError(f"no user has the user principal name {user!r}; nothing was sent")
        return [item["id"] for item in found]

    def device_action(self, spec: DeviceActionSpec, devices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Ask each device for the action; Graph queues it until the device (or app) checks in."""
        if spec.action == SELECTIVE_WIPE:
            # Intune wipes by user and device tag: registrations sharing both need one request.
            targets = dict.fromkeys((device["user_id"], device["device_tag"]) for device in devices)
            requests = [BatchRequest("POST", f"{objects.USERS}/{user_id}/{objects.WIPE_BY_DEVICE_TAG}", {"deviceTag": tag})
                        for user_id, tag in targets]
        else:
            body = objects.device_action_body(spec)
            requests = [BatchRequest("POST", f"{objects.DEVICES}/{device['id']}/{spec.action}", body) for device in devices]
        self._send(requests)
        return [dict(device, requested=spec.action) for device in devices]

    # Reading back --------------------------------------------------------------------------

    def inventory(self, app_ids: Sequence[str] = catalog.APP_IDS) -> dict[str, Any]:
        """Mattermost's apps (with their per-app VPN binding checked) and every configuration that
        targets them or carries its keys, MAM ones included, the collection's device profiles and
        every app protection policy on the apps, with findings."""
        apps = [raw for raw in self._list(objects.APPS) if objects.app_identifier(raw) in app_ids]
        app_ids_in_tenant = {raw["id"] for raw in apps}
        configurations = [
            objects.audit_configuration(raw) for raw in self._list(objects.CONFIGS)
            if set(raw.get("targetedMobileApps") or ()) & app_ids_in_tenant or objects.carries_mattermost_keys(raw)
        ]
        mam = [
            objects.audit_mam_configuration(raw) for raw in self._mam_configurations()
            if objects.carries_mattermost_keys(raw) or objects.targets_mattermost(raw, app_ids)
        ]
        device_configs = self._list(objects.DEVICE_CONFIGS)
        described = objects.audit_apps(apps, device_configs, self._list(objects.CONFIGS))
        profiles = objects.owned_device_profiles(device_configs)
        protections = objects.audit_app_protections(self._list(objects.IOS_PROTECTIONS), app_ids)
        return {
            "apps": described,
            "app_configurations": configurations,
            "managed_app_configurations": mam,
            "device_profiles": profiles,
            "app_protections": protections,
            "groups": self._group_names(described + configurations + profiles + protections),
        }

    def _mam_configurations(self) -> list[dict]:
        return self.client.get_all(V1 + objects.MAM_COLLECTION, params={"$expand": "apps"})

    def device_states(self, kind: str, object_id: str) -> dict[str, Any] | None:
        """How the devices in scope applied an app configuration or a device profile: each
        per-device status counted by state, the devices in error named, and Intune's summary."""
        summary = objects.DEVICE_STATUS_SUMMARY.get(kind)
        if summary is None:
            return None
        base = BETA + objects.COLLECTION[kind] + "/" + object_id
        statuses = self.client.get_all(base + "/deviceStatuses")
        return objects.device_states(statuses, self.client.request("GET", base + "/" + summary).body)

    def _group_names(self, items: Sequence[Mapping[str, Any]]) -> dict[str, str]:
        """Display names of the groups the assignments of `items` name."""
        wanted = {a["target"].partition(":")[2] for item in items for a in item.get("assignments", ())}
        if not wanted:
            return {}
        return {group["id"]: group["displayName"] for group in self._groups_where("id", wanted)}


CUSTOM_ANDROID_APP_MISSING = (
    "the tenant has no Managed Google Play entry for {app_id}: publish the custom build as a private app in "
    "Managed Google Play (Google Play Console, or Managed Google Play's private apps page), approve it and sync it "
    "in Intune (Apps > Android > Managed Google Play); Graph cannot create such apps; nothing was sent"
)


def _actual(kind: str, raw: Mapping[str, Any]) -> Actual:
    item = objects.actual(kind, raw)
    if kind == objects.APPS and raw.get("@odata.type") == intune_lob.IOS_LOB_APP:
        return intune_lob.actual(raw, item.name, item.assignments)
    return item


def _custom_ipa(spec: AppSpec) -> intune_lob.Ipa | None:
    """The custom build's .ipa, read before any request: its bundle id must be the app id."""
    if spec.ipa is None or spec.state != "present" or catalog.IOS not in spec.platforms:
        return None
    ipa = intune_lob.read_ipa(spec.ipa)
    if ipa.bundle_id != spec.app_id:
        raise ProviderError(f"ipa: {spec.ipa} is the app {ipa.bundle_id!r}, not app_id {spec.app_id!r}; nothing was sent")
    return ipa


def _line_of_business(wish: engine.Desired, spec: AppSpec, ipa: intune_lob.Ipa) -> engine.Desired:
    """The iOS wish as a line-of-business app from the .ipa, its assignments' settings of that type."""
    assignments = tuple(
        replace(a, detail={**a.detail, "settings": {**a.detail["settings"], "@odata.type": intune_lob.LOB_SETTINGS}})
        if a.detail.get("settings") else a
        for a in wish.assignments or ())
    return engine.Desired(wish.kind, wish.name, intune_lob.desired_body(spec.display_name, ipa), assignments,
                          variant=intune_lob.IOS_LOB_APP)


def _changes_target_apps(op) -> bool:
    """A protection policy created, or updated with other apps."""
    if op.kind not in objects.TARGETS_APPS or op.action not in (engine.CREATE, engine.UPDATE):
        return False
    return (op.before or {}).get("apps") != op.after.get("apps")


def _reached_with(registration: Mapping[str, Any], registrations: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The other registrations a wipe request for `registration` reaches: Intune names only a user and a device tag."""
    target = objects.wipe_target(registration)
    return [other for other in registrations if other["id"] != registration["id"] and objects.wipe_target(other) == target]
