# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The offline provider: any vendor's planning, with the "tenant" kept in a directory.

Each object is a JSON file holding the object as the vendor would hold it once the collection
wrote it (Intune: the Graph body sent, with its assignments; Jamf Pro: the Classic record as its
API answers), and `plan.json` records the operations of the last run that changed anything. The
directory is reviewable in Git, and re-running against it converges like a real tenant.

`OfflineStore` is the directory; it goes in front of a vendor class, in place of that vendor's
tenant reads and writes, so the vendor's own codec decides what is wanted. Group and app ids are
unknown offline, so they are written as readable placeholders (``<group:Sales>``,
``<ios:com.mattermost.rn>``) to be resolved on the real tenant.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any, Callable, Iterable, Mapping, Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_lob
from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    ASSIGN,
    DELETE,
    Capabilities,
    Identity,
    Operation,
    Plan,
    ProviderError,
    Wishes,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.intune import IntuneVendor
from ansible_collections.mattermost.emm.plugins.module_utils.emm.jamf import records as jamf_records
from ansible_collections.mattermost.emm.plugins.module_utils.emm.jamf.vendor import JamfVendor
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppConfigSpec, DeviceProfileSpec, GroupTarget
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import intune as profile_bodies

PLAN_FILE = "plan.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(name: str) -> str:
    """A file name for an object's name, unique and stable per name: readable as it is when safe,
    else made safe with a digest of the exact name, so that `Rel a&b` and `Rel a b` never share a file."""
    safe = _UNSAFE.sub("_", name).strip("_")
    if safe == name:
        return name
    return f"{safe}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _write_file(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _read(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def offline_capabilities(online: Capabilities) -> Capabilities:
    """A vendor's capabilities, less what needs devices."""
    return Capabilities(
        vendor=f"the offline provider ({online.vendor})", modules=online.modules - {"device_action"},
        platforms=online.platforms, assignments=online.assignments, refusals={
            **online.refusals, "device_action": "it has no devices: device actions need a real EMM"},
        validation_gaps={**online.validation_gaps, "devices": "the offline provider has no devices: whether they "
                         "applied each object is checked against a real EMM",
                         "channel": "the offline provider holds only what the collection writes, which never uses "
                         "a channel the app does not read"},
    )


class OfflineStore:
    """A directory in place of a vendor's tenant. `folders` maps each neutral kind to the folder
    named as the vendor names the collection; `stored` is the object as the vendor would hold it
    after a write: (operation, object id, what the file held before) -> the new file."""

    folders: Mapping[str, str] = {}

    def __init__(self, dest: str, **vendor: Any):
        super().__init__(client=None, **vendor)
        self.dest = dest

    def stored(self, op: Operation, object_id: str, previous: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def file_id(self, kind: str, name: str) -> str:
        return f"{self.folders[kind]}/{file_name(name)}"

    def stored_objects(self, kind: str) -> list[dict]:
        folder = os.path.join(self.dest, self.folders[kind])
        if not os.path.isdir(folder):
            return []
        return [_read(os.path.join(folder, entry)) for entry in sorted(os.listdir(folder)) if entry.endswith(".json")]

    def group_ids(self, targets: Iterable[GroupTarget]) -> dict[str, str]:
        return {target.group: f"<group:{target.group}>" for target in targets if target.group}

    def send(self, action: str, operations: Sequence[Operation], created: Mapping[Identity, str],
             work: Plan) -> list[str | None]:
        ids = [self._apply(op) for op in operations]
        if operations:  # the same record whichever phase writes it last
            _write_file(os.path.join(self.dest, PLAN_FILE), _dump({"operations": self._results(work), "diff": work.diff()}))
        return ids

    def _apply(self, op: Operation) -> str:
        object_id = op.id or self.file_id(op.kind, op.name)
        path = os.path.join(self.dest, object_id + ".json")
        if op.action == DELETE:
            if os.path.exists(path):  # a hand-edited id names no file
                os.remove(path)
        else:
            _write_file(path, _dump(self.stored(op, object_id, _read(path) if os.path.exists(path) else {})))
        return object_id

    def _results(self, work: Plan) -> list[dict[str, Any]]:
        return [{"action": op.action, "kind": op.kind, "name": op.name, "type": op.variant,
                 "id": op.id or self.file_id(op.kind, op.name)} for op in work.operations]


class OfflineIntune(OfflineStore, IntuneVendor):
    """Intune's planning over a directory of Graph bodies. A device profile's iOS settings are also
    written as one .mobileconfig beside its JSON files, for review or for an EMM that takes
    Apple profiles."""

    capabilities = offline_capabilities(IntuneVendor.capabilities)
    folders = {kind: path.rsplit("/", 1)[-1] for kind, path in objects.COLLECTION.items()}

    def __init__(self, dest: str):
        super().__init__(dest, settle_seconds=0)
        self._placeholders: dict[str, dict] = {}
        # iOS body's display name -> the profile's .mobileconfig (file name, bytes or None for none)
        self._mobileconfigs: dict[str, tuple[str, bytes | None]] = {}

    def _list(self, kind: str) -> list[dict]:
        """The directory's objects, and the stand-ins of apps no run has written yet."""
        found = self.stored_objects(kind)
        if kind == objects.APPS:
            written = {item["id"] for item in found}
            found += [raw for object_id, raw in self._placeholders.items() if object_id not in written]
        return found

    def mattermost_apps(self, app_id: str) -> dict[str, list[dict]]:
        found = super().mattermost_apps(app_id)
        if not found[catalog.ANDROID]:
            # Managed Google Play apps are synced, never created: a stand-in records their assignments.
            stand_in = {"id": self.file_id(objects.APPS, f"android:{app_id}"), "@odata.type": objects.ANDROID_STORE_APP,
                        "displayName": "Mattermost", "packageId": app_id}
            self._placeholders[stand_in["id"]] = stand_in
            found[catalog.ANDROID] = [stand_in]
        return found

    def _required_apps(self, app_id: str, specs: list[AppConfigSpec], check_mode: bool,
                       notes: list[str]) -> dict[str, list[dict]]:
        found = self.mattermost_apps(app_id)
        if not found[catalog.IOS]:
            found[catalog.IOS] = [{"id": f"<ios:{app_id}>", "@odata.type": objects.IOS_STORE_APP, "bundleId": app_id}]
        return found

    def desired_device_profiles(self, spec: DeviceProfileSpec) -> Wishes:
        wishes = super().desired_device_profiles(spec)
        wanted = spec.state == "present" and catalog.IOS in spec.platforms
        mobileconfig = (profile_bodies.mobileconfig_file_name(spec.profile),
                        profile_bodies.ios_mobileconfig(spec.profile) if wanted else None)
        for suffix in profile_bodies.IOS_SUFFIXES:
            self._mobileconfigs[spec.profile.name + suffix] = mobileconfig
        return wishes

    def _apply(self, op: Operation) -> str:
        object_id = super()._apply(op)
        if op.action != ASSIGN:
            self._sync_mobileconfig(op.name)
        return object_id

    def stored(self, op: Operation, object_id: str, previous: Mapping[str, Any]) -> dict[str, Any]:
        """The Graph body with its assignments, as the assign action (and targetApps) would record them."""
        document = dict(previous or self._placeholders.get(object_id, {}))
        if op.action == ASSIGN:
            body = objects.assign_payload(op.kind, op.assignments, lambda name: self.file_id(objects.FILTERS, name))
            document["assignments"] = next(iter(body.values()))
        elif op.variant == intune_lob.IOS_LOB_APP:
            document = {**intune_lob.offline_record(op.after, self._ipas[op.name]),
                        "assignments": document.get("assignments", [])}
        else:
            document = {**objects.payload(op.kind, op.after), "assignments": document.get("assignments", [])}
            if op.kind in objects.TARGETS_APPS:
                document["apps"] = objects.target_apps_payload(op.after)["apps"]
        document["id"] = object_id
        return document

    def _sync_mobileconfig(self, object_name: str) -> None:
        """The .mobileconfig as the profile's iOS settings now are: written, or removed with the last of them."""
        if object_name not in self._mobileconfigs:
            return
        name, data = self._mobileconfigs[object_name]
        path = os.path.join(self.dest, self.folders[objects.DEVICE_CONFIGS], name)
        if data is not None:
            with open(path, "wb") as handle:
                handle.write(data)
        elif os.path.exists(path):
            os.remove(path)

    # The inventory is Intune's, read from the directory: it holds no MAM configuration (the
    # collection never writes one) and its group ids are placeholders without a directory to ask.
    def _mam_configurations(self) -> list[dict]:
        return []

    def _group_names(self, items) -> dict[str, str]:
        return {}


class OfflineJamf(OfflineStore, JamfVendor):
    """Jamf Pro's planning over a directory of Classic records. The app record holds the app and
    its AppConfig, so both kinds live in one file per bundle id."""

    capabilities = offline_capabilities(JamfVendor.capabilities)
    folders = {kind: resource[0].rsplit("/", 1)[-1] for kind, resource in jamf_records.RESOURCES.items()}

    def _read(self, kind: str, wanted: Callable[[Mapping[str, Any]], bool]) -> list[dict]:
        return [record for record in self.stored_objects(kind) if wanted(_list_entry(record))]

    def stored(self, op: Operation, object_id: str, previous: Mapping[str, Any]) -> dict[str, Any]:
        return jamf_records.stored_record(op, object_id, previous)


def _list_entry(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as a Classic list shows it: id, name and (for apps) the bundle id."""
    general = record.get("general") or {}
    return {name: general.get(name) for name in ("id", "name", "bundle_id")}


VENDORS = {"intune": OfflineIntune, "jamf": OfflineJamf}


def connect(settings: Mapping[str, Any]) -> OfflineStore:
    """The offline provider from the `provider` settings: `dest`, and `vendor` (default intune)."""
    vendor = settings.get("vendor") or "intune"
    if vendor not in VENDORS:
        raise ProviderError(f"provider vendor {vendor!r} cannot be planned offline; choose one of {', '.join(VENDORS)}")
    return VENDORS[vendor](settings["dest"])
