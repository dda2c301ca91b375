# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One Android Enterprise in memory: its policies, devices, the apps Google Play knows, and the
wipes asked for, behind one re-entrant lock.

Policies and devices are kept as the API answers them (full resource names, int64 fields as JSON
strings). A device reports the policy version it applied; it lags behind a policy change until
`sync` (the control plane's `POST /_emulator/amapi/sync`) says every device has caught up.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Mapping
from typing import Any

PREFIX = "amapi/"
ENTERPRISE = "enterprises/LC00emu01"
COLLECTIONS = ("policies", "devices", "applications", "wipes")

# The managed properties Mattermost's Android app declares: the keys it reads, every one a STRING.
MATTERMOST_PROPERTIES = (
    ("inAppPinCode", "Require device authentication", "false"),
    ("blurApplicationScreen", "Blur the app in the background", "false"),
    ("jailbreakProtection", "Block rooted devices", "false"),
    ("copyAndPasteProtection", "Block copy and paste", "false"),
    ("serverUrl", "Default server URL", None),
    ("serverName", "Default server name", None),
    ("allowOtherServers", "Allow other servers", "true"),
    ("username", "Username", None),
    ("timeout", "Request timeout", "10000"),
    ("vendor", "Vendor name", "Mattermost"),
    ("inAppSessionAuth", "In-app session authentication", "false"),
)
MATTERMOST_PACKAGES = ("com.mattermost.rn", "com.mattermost.rnbeta")


def mattermost_application(package: str) -> dict[str, Any]:
    properties = []
    for key, title, default in MATTERMOST_PROPERTIES:
        prop: dict[str, Any] = {"key": key, "type": "STRING", "title": title}
        if default is not None:
            prop["defaultValue"] = default
        properties.append(prop)
    return {
        "name": f"{ENTERPRISE}/applications/{package}",
        "title": "Mattermost" if package == MATTERMOST_PACKAGES[0] else "Mattermost Beta",
        "author": "Mattermost, Inc.",
        "playStoreUrl": f"https://play.google.com/store/apps/details?id={package}",
        "managedProperties": properties,
    }


def full_name(kind: str, name: str) -> str:
    """`name` as a full resource name of the emulated enterprise (a short id is completed)."""
    return name if name.startswith("enterprises/") else f"{ENTERPRISE}/{kind}/{name}"


class AmapiStore:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.policies: dict[str, dict[str, Any]] = {}
            self.devices: dict[str, dict[str, Any]] = {}
            self.applications = {package: mattermost_application(package) for package in MATTERMOST_PACKAGES}
            self.wipes: list[dict[str, Any]] = []

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        with self.lock:
            return copy.deepcopy({
                PREFIX + "policies": list(self.policies.values()),
                PREFIX + "devices": list(self.devices.values()),
                PREFIX + "applications": list(self.applications.values()),
                PREFIX + "wipes": self.wipes,
            })

    def bump(self, policy: dict[str, Any]) -> None:
        """A policy changed: its version goes up by one (an int64, written as a string)."""
        policy["version"] = str(int(policy.get("version") or "0") + 1)

    def sync(self) -> list[dict[str, Any]]:
        """Every device applies its policy's current version (and reports nothing wrong)."""
        with self.lock:
            for device in self.devices.values():
                policy = self.policies.get(device.get("policyName", ""))
                if policy is not None:
                    device["appliedPolicyName"] = policy["name"]
                    device["appliedPolicyVersion"] = policy["version"]
                    device["nonComplianceDetails"] = []
                    device["policyCompliant"] = True
            return copy.deepcopy(list(self.devices.values()))

    def seed(self, collections: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        """Adds policies, devices, applications and past wipes given as the API shows them (short ids are
        completed); a device without `appliedPolicyVersion` runs its policy's current version.
        Raises ValueError for an unknown collection."""
        unknown = sorted(name for name in collections if name.removeprefix(PREFIX) not in COLLECTIONS)
        if unknown:
            raise ValueError(f"unknown Android Management collections {unknown}; known: "
                             f"{[PREFIX + name for name in COLLECTIONS]}")
        seeded: dict[str, list[dict[str, Any]]] = {}
        with self.lock:
            for kind in COLLECTIONS:  # policies before the devices that follow them
                objects = collections.get(PREFIX + kind)
                if objects is None:
                    continue
                seeded[PREFIX + kind] = [getattr(self, f"_seed_{kind}")(dict(obj)) for obj in objects]
        return copy.deepcopy(seeded)

    def _seed_policies(self, policy: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(policy.get("name"), str):
            raise ValueError("a seeded policy needs a name")
        policy["name"] = full_name("policies", policy["name"])
        policy["version"] = str(policy.get("version") or "1")
        self.policies[policy["name"]] = policy
        return policy

    def _seed_devices(self, device: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(device.get("name"), str):
            raise ValueError("a seeded device needs a name")
        device["name"] = full_name("devices", device["name"])
        if device.get("policyName"):
            device["policyName"] = full_name("policies", device["policyName"])
        policy = self.policies.get(device.get("policyName", ""), {})
        device.setdefault("state", "ACTIVE")
        device.setdefault("ownership", "COMPANY_OWNED")
        device.setdefault("managementMode", "DEVICE_OWNER" if device["ownership"] == "COMPANY_OWNED" else "PROFILE_OWNER")
        device.setdefault("appliedPolicyName", policy.get("name", device.get("policyName")))
        device["appliedPolicyVersion"] = str(device.get("appliedPolicyVersion") or policy.get("version") or "1")
        device.setdefault("nonComplianceDetails", [])
        self.devices[device["name"]] = device
        return device

    def _seed_wipes(self, wipe: dict[str, Any]) -> dict[str, Any]:
        self.wipes.append(wipe)
        return wipe

    def _seed_applications(self, application: dict[str, Any]) -> dict[str, Any]:
        package = application.get("packageName") or str(application.get("name", "")).rsplit("/", 1)[-1]
        if not package:
            raise ValueError("a seeded application needs a name (its package name)")
        application.pop("packageName", None)
        application["name"] = f"{ENTERPRISE}/applications/{package}"
        self.applications[package] = application
        return application
