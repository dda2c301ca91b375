# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The offline provider: plans exactly as the Intune provider does, but keeps the "tenant" in a
directory. Each object is a JSON file holding the Graph body that would be sent (with its
assignments), and `plan.json` records the operations of the last run that changed anything.
The directory is reviewable in Git, and re-running against it converges like a real tenant.

Group and app ids are unknown offline, so they are written as readable placeholders
(``<group:Sales>``, ``<ios:com.mattermost.rn>``) to be resolved on the real tenant.

A device profile's iOS settings are also written as one .mobileconfig beside its JSON files, for
review or for upload to an EMM that takes Apple profiles.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Iterable, Mapping, Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_objects as objects
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    ASSIGN,
    DELETE,
    Actual,
    Capabilities,
    Identity,
    Operation,
    Plan,
    Wishes,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.intune import CAPABILITIES, IntuneVendor
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import AppConfigSpec, DeviceProfileSpec, GroupTarget
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import intune as profile_bodies

PLAN_FILE = "plan.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _folder(kind: str) -> str:
    """The Graph collection's own name (mobileApps, deviceConfigurations, ...)."""
    return objects.COLLECTION[kind].rsplit("/", 1)[-1]


def _file_id(kind: str, name: str) -> str:
    return f"{_folder(kind)}/{_UNSAFE.sub('_', name).strip('_')}"


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _object_id(op: Operation) -> str:
    return op.id or _file_id(op.kind, op.name)


def _results(work: Plan) -> list[dict[str, Any]]:
    return [{"action": op.action, "kind": op.kind, "name": op.name, "type": op.variant, "id": _object_id(op)}
            for op in work.operations]


class OfflineVendor(IntuneVendor):
    """Intune's planning over a directory instead of Graph."""

    # No device to act on; a directory lists what was written at once.
    capabilities = Capabilities(
        vendor="the offline provider", modules=CAPABILITIES.modules - {"device_action"},
        assignments=CAPABILITIES.assignments,
        refusals={"device_action": "it has no devices: device actions need a real EMM"},
    )

    def __init__(self, dest: str):
        super().__init__(client=None, settle_seconds=0)
        self.dest = dest
        self._placeholders: dict[str, dict] = {}
        # iOS body's display name -> the profile's .mobileconfig (file name, bytes or None for none)
        self._mobileconfigs: dict[str, tuple[str, bytes | None]] = {}

    def _list(self, kind: str) -> list[dict]:
        folder = os.path.join(self.dest, _folder(kind))
        if not os.path.isdir(folder):
            return []
        items = []
        for entry in sorted(os.listdir(folder)):
            if entry.endswith(".json"):
                with open(os.path.join(folder, entry), encoding="utf-8") as handle:
                    items.append(json.load(handle))
        return items

    def list(self, kind: str) -> list[Actual]:
        """The directory's objects, and the stand-ins of apps no run has written yet."""
        found = super().list(kind)
        if kind == objects.APPS:
            written = {item.id for item in found}
            found += [objects.actual(kind, raw) for object_id, raw in self._placeholders.items() if object_id not in written]
        return found

    def group_ids(self, targets: Iterable[GroupTarget]) -> dict[str, str]:
        return {target.group: f"<group:{target.group}>" for target in targets if target.group}

    def mattermost_apps(self, app_id: str) -> dict[str, list[dict]]:
        found = super().mattermost_apps(app_id)
        if not found[catalog.ANDROID]:
            # Managed Google Play apps are synced, never created: a stand-in records their assignments.
            stand_in = {"id": _file_id(objects.APPS, f"android:{app_id}"), "@odata.type": objects.ANDROID_STORE_APP,
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

    def send(self, action: str, operations: Sequence[Operation], created: Mapping[Identity, str],
             work: Plan) -> list[str | None]:
        ids = [self._apply(op) for op in operations]
        if operations:  # the same record whichever phase writes it last
            self._write_file(os.path.join(self.dest, PLAN_FILE), _dump({"operations": _results(work), "diff": work.diff()}))
        return ids

    def _apply(self, op: Operation) -> str:
        object_id = _object_id(op)
        path = os.path.join(self.dest, object_id + ".json")
        if op.action == DELETE:
            if os.path.exists(path):  # a hand-edited id names no file
                os.remove(path)
        else:
            self._write(path, object_id, op)
        if op.action != ASSIGN:
            self._sync_mobileconfig(op.name)
        return object_id

    def _write(self, path: str, object_id: str, op) -> None:
        document = self._read(path) if os.path.exists(path) else dict(self._placeholders.get(object_id, {}))
        if op.action == ASSIGN:
            body = objects.assign_payload(op.kind, op.assignments, lambda name: _file_id(objects.FILTERS, name))
            document["assignments"] = next(iter(body.values()))
        else:
            document = {**objects.payload(op.kind, op.after), "assignments": document.get("assignments", [])}
            if op.kind in objects.TARGETS_APPS:  # what the targetApps action would record
                document["apps"] = objects.target_apps_payload(op.after)["apps"]
        document["id"] = object_id
        self._write_file(path, _dump(document))

    def _sync_mobileconfig(self, object_name: str) -> None:
        """The .mobileconfig as the profile's iOS settings now are: written, or removed with the last of them."""
        if object_name not in self._mobileconfigs:
            return
        file_name, data = self._mobileconfigs[object_name]
        path = os.path.join(self.dest, _folder(objects.DEVICE_CONFIGS), file_name)
        if data is not None:
            with open(path, "wb") as handle:
                handle.write(data)
        elif os.path.exists(path):
            os.remove(path)

    @staticmethod
    def _read(path: str) -> dict[str, Any]:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)

    @staticmethod
    def _write_file(path: str, text: str) -> None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)

    # The inventory is Intune's, read from the directory: it holds no MAM configuration (the
    # collection never writes one) and its group ids are placeholders without a directory to ask.
    def _mam_configurations(self) -> list[dict]:
        return []

    def _group_names(self, items) -> dict[str, str]:
        return {}
