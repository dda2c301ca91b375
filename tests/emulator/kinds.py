# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Graph collections the emulator serves, one declarative `Kind` each.

Routing, CRUD, paging, query options, actions and body checks are generic (graph.py); serving
another collection is one more entry in `KINDS`. Type names are written in full
("microsoft.graph.iosStoreApp"); stored objects carry them as "#microsoft.graph.iosStoreApp".
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import GraphError, bad_request, utc_now_text

BOTH = frozenset({"v1.0", "beta"})
BETA = frozenset({"beta"})
ODATA_TYPE = "@odata.type"


def type_name(odata_type: str) -> str:
    """'#microsoft.graph.x' -> 'microsoft.graph.x' (Graph accepts both spellings)."""
    return odata_type.removeprefix("#")


def unresolvable_type(name: str) -> GraphError:
    return bad_request(
        f"A type named '{name}' could not be resolved by the model. "
        "When a model is available, each type name must resolve to a valid type."
    )


def incompatible_type(name: str, expected: str) -> GraphError:
    return bad_request(f"The type '{name}' is not assignable to the expected type '{expected}'.")


# What Intune computes from an object's child collections, never stored, always current.
COMPUTED: Mapping[str, Callable[[Mapping[str, Mapping[str, Any]]], Any]] = {
    "isAssigned": lambda children: bool(children.get("assignments")),
    # The apps the policy targets (its apps navigation): what it is deployed to.
    "deployedAppCount": lambda children: len(children.get("apps") or ()),
}
# Intune puts every new object in the built-in "Default" scope tag unless the body names others.
DEFAULT_SCOPE_TAG = "0"
_SCOPE_TAGGED = {"roleScopeTagIds": [DEFAULT_SCOPE_TAG]}


@dataclass(frozen=True)
class Mark:
    """What an action does to objects of another collection where Graph shows it in no property:
    the emulator notes `name` on each matching object, visible in /_emulator/state only."""

    collection: str
    """The marked collection's short name."""
    owner: str
    """The marked objects' property that must equal the bound item's id."""
    params: Mapping[str, str] = field(default_factory=dict)
    """The marked objects' property -> the action parameter it must equal."""
    name: str = ""

    def applies_to(self, obj: Mapping[str, Any], owner_id: str, params: Mapping[str, Any]) -> bool:
        wanted = {self.owner: owner_id, **{prop: params.get(param) for prop, param in self.params.items()}}
        return all(str(obj.get(prop) or "").casefold() == str(value or "").casefold() for prop, value in wanted.items())


@dataclass(frozen=True)
class Action:
    """A bound action, POST .../{id}/{name} (or .../{id}/microsoft.graph.{name})."""

    params: Mapping[str, str]
    """Parameter name -> Graph type, e.g. "Collection(microsoft.graph.mobileAppAssignment)"."""
    beta_only: frozenset[str] = frozenset()
    replaces: tuple[str, str] | None = None
    """(parameter, child collection): the parameter's items replace the whole child collection."""
    sets: Mapping[str, Any] = field(default_factory=dict)
    """Properties the action sets on the object (e.g. the pending state a wipe leaves)."""
    returns_items: bool = False
    """Answer 200 with the new child items instead of 204."""
    marks: Mark | None = None

    def params_in(self, version: str) -> Mapping[str, str]:
        if version == "beta":
            return self.params
        return {name: type_ref for name, type_ref in self.params.items() if name not in self.beta_only}


@dataclass(frozen=True)
class Kind:
    """One Graph collection: where it lives, what it holds and which server fields it keeps."""

    name: str
    """Short name used by the control plane (seed, state)."""
    path: str
    """URL path under the version root, or the navigation property name of a child collection."""
    entity_type: str
    versions: frozenset[str] = BOTH
    derived_types: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Creatable @odata.types and the versions that know them; when set, entity_type is abstract."""
    stamps: tuple[str, ...] = ("createdDateTime", "lastModifiedDateTime")
    version_style: str | None = None
    """"counter" (Int32, +1 per write) or "etag" (opaque string, new per write)."""
    server_defaults: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Per type: read-only properties the server owns, with their initial values."""
    children: Mapping[str, Kind] = field(default_factory=dict)
    actions: Mapping[str, Action] = field(default_factory=dict)
    not_found_code: str = "ResourceNotFound"
    directory: bool = False
    """A directory collection (groups, users): $count and $search need ConsistencyLevel: eventual."""
    computed: tuple[str, ...] = ()
    """Properties Intune derives from the child collections (see COMPUTED)."""
    initial: Mapping[str, Any] = field(default_factory=dict)
    """Values a new object gets when its body leaves them out (a client may set them)."""
    builtin: tuple[Mapping[str, Any], ...] = ()
    """Objects every tenant has from the start (they come back on reset)."""
    union_of: tuple[str, ...] = ()
    """A collection that shows these collections' objects together (managedAppPolicies); an item
    reached through it is served by the collection that holds it."""

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.path.split("/"))

    def computed_values(self, children: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        return {name: COMPUTED[name](children) for name in self.computed}

    def creatable_type(self, requested: str | None, version: str) -> str:
        """The type a POST body creates, or the 400 Graph gives for it."""
        if not self.derived_types:
            if requested and requested != self.entity_type:
                raise incompatible_type(requested, self.entity_type)
            return self.entity_type
        if not requested or requested == self.entity_type:
            raise bad_request(
                f"Cannot create an instance of the abstract type '{self.entity_type}'; "
                f"set '{ODATA_TYPE}' to one of its derived types."
            )
        if version not in self.derived_types.get(requested, ()):
            raise unresolvable_type(requested)
        return requested

    def server_owned(self, obj_type: str) -> set[str]:
        owned = {"id", ODATA_TYPE, *self.stamps, *self.computed, *self._defaults_for(obj_type)}
        return owned | ({"version"} if self.version_style else set())

    def new_object(self, body: Mapping[str, Any], obj_type: str, *, keep_server_fields: bool = False) -> dict:
        """A stored object made from a request body (or a seed, which may set server fields)."""
        owned = set() if keep_server_fields else self.server_owned(obj_type)
        obj = {key: value for key, value in body.items() if key not in owned}
        now = utc_now_text()
        server_fields = {
            "id": str(uuid.uuid4()),
            **{stamp: now for stamp in self.stamps},
            **self._defaults_for(obj_type),
            **({"version": self._fresh_version()} if self.version_style else {}),
        }
        for key, value in {**server_fields, **copy.deepcopy(self.initial)}.items():
            obj.setdefault(key, value)
        obj[ODATA_TYPE] = f"#{obj_type}"
        return obj

    def apply_update(self, obj: dict, body: Mapping[str, Any]) -> None:
        """PATCH semantics: the given top-level properties replace the stored ones."""
        owned = self.server_owned(type_name(obj[ODATA_TYPE]))
        obj.update({key: value for key, value in body.items() if key not in owned})
        if "lastModifiedDateTime" in self.stamps:
            obj["lastModifiedDateTime"] = utc_now_text()
        if self.version_style == "counter":
            obj["version"] = int(obj.get("version") or 0) + 1
        elif self.version_style == "etag":
            obj["version"] = self._fresh_version()

    def _fresh_version(self) -> int | str:
        return 1 if self.version_style == "counter" else f'"{uuid.uuid4().hex[:16]}"'

    def _defaults_for(self, obj_type: str) -> dict[str, Any]:
        return {**self.server_defaults.get(self.entity_type, {}), **self.server_defaults.get(obj_type, {})}


def _assignments(entity_type: str) -> Kind:
    return Kind(name="assignments", path="assignments", entity_type=entity_type, stamps=())


_MANAGED_MOBILE_APPS = Kind(name="apps", path="apps", entity_type="microsoft.graph.managedMobileApp", stamps=())
_POLICY_ASSIGNMENTS = _assignments("microsoft.graph.targetedManagedAppPolicyAssignment")
_POLICY_ASSIGN = Action(
    params={"assignments": "Collection(microsoft.graph.targetedManagedAppPolicyAssignment)"},
    replaces=("assignments", "assignments"),
)
_TARGET_APPS = Action(
    params={
        "apps": "Collection(microsoft.graph.managedMobileApp)",
        "appGroupType": "microsoft.graph.targetedManagedAppGroupType",
    },
    replaces=("apps", "apps"),
)
_POLICY_COMPUTED = ("isAssigned", "deployedAppCount")


def _app_protection(name: str, entity_type: str) -> Kind:
    return Kind(
        name=name,
        path=f"deviceAppManagement/{name}",
        entity_type=entity_type,
        version_style="etag",
        computed=_POLICY_COMPUTED,
        initial=_SCOPE_TAGGED,
        children={"apps": _MANAGED_MOBILE_APPS, "assignments": _POLICY_ASSIGNMENTS},
        actions={"assign": _POLICY_ASSIGN, "targetApps": _TARGET_APPS},
    )


# A line-of-business app's uploads: content versions, each with its files; the upload states
# and the storage behind them are lob.py's.
CONTENT_FILES = "files"
CONTENT_VERSIONS = "contentVersions"
_CONTENT_VERSIONS = Kind(
    name=CONTENT_VERSIONS,
    path=CONTENT_VERSIONS,
    entity_type="microsoft.graph.mobileAppContent",
    stamps=(),
    children={
        CONTENT_FILES: Kind(
            name=CONTENT_FILES,
            path=CONTENT_FILES,
            entity_type="microsoft.graph.mobileAppContentFile",
            stamps=("createdDateTime",),
            server_defaults={"microsoft.graph.mobileAppContentFile": {
                "uploadState": "azureStorageUriRequestPending", "isCommitted": False, "azureStorageUri": None,
                "azureStorageUriExpirationDateTime": None}},
            actions={
                "commit": Action(params={"fileEncryptionInfo": "microsoft.graph.fileEncryptionInfo"}),
                "renewUpload": Action(params={}),
            },
        )
    },
)

KINDS: tuple[Kind, ...] = (
    Kind(
        name="groups",
        path="groups",
        entity_type="microsoft.graph.group",
        stamps=("createdDateTime",),
        not_found_code="Request_ResourceNotFound",
        directory=True,
    ),
    Kind(
        name="users",
        path="users",
        entity_type="microsoft.graph.user",
        stamps=("createdDateTime",),
        not_found_code="Request_ResourceNotFound",
        directory=True,
        # Graph answers 204 and shows the request nowhere in the registrations' properties; the
        # app wipes its company data when it next checks in.
        actions={
            "wipeManagedAppRegistrationsByDeviceTag": Action(
                params={"deviceTag": "Edm.String"},
                marks=Mark("managedAppRegistrations", owner="userId", params={"deviceTag": "deviceTag"},
                           name="wipeRequested"),
            )
        },
    ),
    Kind(
        name="assignmentFilters",
        path="deviceManagement/assignmentFilters",
        entity_type="microsoft.graph.deviceAndAppManagementAssignmentFilter",
        versions=BETA,
        initial={"roleScopeTags": [DEFAULT_SCOPE_TAG]},
    ),
    Kind(
        name="roleScopeTags",
        path="deviceManagement/roleScopeTags",
        entity_type="microsoft.graph.roleScopeTag",
        versions=BETA,
        stamps=(),
        builtin=({"id": DEFAULT_SCOPE_TAG, "displayName": "Default", "description": "", "isBuiltIn": True},),
    ),
    Kind(
        name="mobileApps",
        path="deviceAppManagement/mobileApps",
        entity_type="microsoft.graph.mobileApp",
        derived_types={
            "microsoft.graph.iosStoreApp": BOTH,
            "microsoft.graph.iosVppApp": BOTH,
            "microsoft.graph.managedAndroidStoreApp": BOTH,
            # On a real tenant these come from Managed Google Play (approveApps/syncApps); the
            # emulator also lets a client create one directly so tests need no sync step.
            "microsoft.graph.androidManagedStoreApp": BETA,
            "microsoft.graph.iosLobApp": BOTH,
        },
        # Store apps need no content upload: Graph shows them published from the start. A
        # line-of-business app is published once a content version is committed (lob.py).
        server_defaults={"microsoft.graph.mobileApp": {"publishingState": "published"},
                         "microsoft.graph.iosLobApp": {"publishingState": "notPublished", "size": 0}},
        computed=("isAssigned",),
        initial=_SCOPE_TAGGED,
        children={"assignments": _assignments("microsoft.graph.mobileAppAssignment"), "contentVersions": _CONTENT_VERSIONS},
        actions={
            "assign": Action(
                params={"mobileAppAssignments": "Collection(microsoft.graph.mobileAppAssignment)"},
                replaces=("mobileAppAssignments", "assignments"),
            )
        },
    ),
    Kind(
        name="mobileAppConfigurations",
        path="deviceAppManagement/mobileAppConfigurations",
        entity_type="microsoft.graph.managedDeviceMobileAppConfiguration",
        derived_types={
            "microsoft.graph.iosMobileAppConfiguration": BOTH,
            "microsoft.graph.androidManagedStoreAppConfiguration": BETA,
        },
        version_style="counter",
        server_defaults={"microsoft.graph.androidManagedStoreAppConfiguration": {"appSupportsOemConfig": False}},
        initial=_SCOPE_TAGGED,
        children={"assignments": _assignments("microsoft.graph.managedDeviceMobileAppConfigurationAssignment")},
        actions={
            "assign": Action(
                params={"assignments": "Collection(microsoft.graph.managedDeviceMobileAppConfigurationAssignment)"},
                replaces=("assignments", "assignments"),
            )
        },
    ),
    Kind(
        name="targetedManagedAppConfigurations",
        path="deviceAppManagement/targetedManagedAppConfigurations",
        entity_type="microsoft.graph.targetedManagedAppConfiguration",
        version_style="etag",
        computed=_POLICY_COMPUTED,
        initial=_SCOPE_TAGGED,
        children={"apps": _MANAGED_MOBILE_APPS, "assignments": _POLICY_ASSIGNMENTS},
        actions={"assign": _POLICY_ASSIGN, "targetApps": _TARGET_APPS},
    ),
    _app_protection("iosManagedAppProtections", "microsoft.graph.iosManagedAppProtection"),
    _app_protection("androidManagedAppProtections", "microsoft.graph.androidManagedAppProtection"),
    Kind(
        name="managedAppPolicies",
        path="deviceAppManagement/managedAppPolicies",
        entity_type="microsoft.graph.managedAppPolicy",
        union_of=("targetedManagedAppConfigurations", "iosManagedAppProtections", "androidManagedAppProtections"),
    ),
    Kind(
        name="deviceConfigurations",
        path="deviceManagement/deviceConfigurations",
        entity_type="microsoft.graph.deviceConfiguration",
        derived_types={
            "microsoft.graph.iosCustomConfiguration": BOTH,
            "microsoft.graph.iosGeneralDeviceConfiguration": BOTH,
            "microsoft.graph.androidWorkProfileGeneralDeviceConfiguration": BOTH,
            "microsoft.graph.iosVpnConfiguration": BETA,
            "microsoft.graph.iosikEv2VpnConfiguration": BETA,
            "microsoft.graph.androidDeviceOwnerGeneralDeviceConfiguration": BETA,
        },
        version_style="counter",
        initial=_SCOPE_TAGGED,
        children={"assignments": _assignments("microsoft.graph.deviceConfigurationAssignment")},
        actions={
            "assign": Action(
                params={
                    "assignments": "Collection(microsoft.graph.deviceConfigurationAssignment)",
                    "deviceConfigurationGroupAssignments": (
                        "Collection(microsoft.graph.deviceConfigurationGroupAssignment)"
                    ),
                },
                beta_only=frozenset({"deviceConfigurationGroupAssignments"}),
                replaces=("assignments", "assignments"),
                returns_items=True,
            )
        },
    ),
    Kind(
        name="managedAppRegistrations",
        path="deviceAppManagement/managedAppRegistrations",
        entity_type="microsoft.graph.managedAppRegistration",
        derived_types={
            "microsoft.graph.iosManagedAppRegistration": BOTH,
            "microsoft.graph.androidManagedAppRegistration": BOTH,
        },
        stamps=("createdDateTime", "lastSyncDateTime"),
    ),
    Kind(
        name="managedDevices",
        path="deviceManagement/managedDevices",
        entity_type="microsoft.graph.managedDevice",
        stamps=(),
        # A device action only queues work on the device; Graph shows it as a pending management state.
        actions={
            "wipe": Action(
                params={
                    "keepEnrollmentData": "Edm.Boolean",
                    "keepUserData": "Edm.Boolean",
                    "macOsUnlockCode": "Edm.String",
                    "persistEsimDataPlan": "Edm.Boolean",
                    "useProtectedWipe": "Edm.Boolean",
                    "obliterationBehavior": "microsoft.graph.obliterationBehavior",
                },
                beta_only=frozenset({"useProtectedWipe", "obliterationBehavior"}),
                sets={"managementState": "wipePending"},
            ),
            "retire": Action(params={}, sets={"managementState": "retirePending"}),
        },
    ),
)

KINDS_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
