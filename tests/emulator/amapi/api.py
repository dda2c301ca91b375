# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Android Management API's v1 resources the collection uses: policies (with
modifyPolicyApplications and removePolicyApplications), applications and devices.

Semantics as Google documents them: PATCH without `updateMask` overwrites every modifiable field,
and creates the policy when it does not exist; every change bumps the policy's `version`; a
`modifyPolicyApplications` change is matched by packageName (appended when new, only the masked
fields changed when it has an updateMask); `removePolicyApplications` ignores names it does not
find; a policy that a device follows cannot be deleted; devices list 10 per page by default, 100
at most; deleting a device wipes it (a personal device loses only its work profile).
"""

from __future__ import annotations

import base64
import copy
import json
from typing import Any
from urllib.parse import parse_qsl

from ..protocol import PLAIN_JSON, Request, Response
from .errors import GoogleError, invalid, not_found
from .spec import Discovery
from .store import ENTERPRISE, AmapiStore

_READ_ONLY_POLICY_FIELDS = frozenset({"name", "version"})
_METHOD_PARAMS = {
    ("policies", "list"): {"pageSize", "pageToken"},
    ("policies", "patch"): {"updateMask"},
    ("devices", "list"): {"pageSize", "pageToken"},
    ("devices", "delete"): {"wipeDataFlags", "wipeReasonMessage"},
}
_SYSTEM_PARAMS = {"alt", "prettyPrint", "fields", "key", "quotaUser", "$.xgafv", "access_token", "upload_protocol",
                  "uploadType", "callback"}
_WIPE_FLAGS = {"WIPE_DATA_FLAG_UNSPECIFIED", "PRESERVE_RESET_PROTECTION_DATA", "WIPE_EXTERNAL_STORAGE", "WIPE_ESIMS"}


class ResourceApi:
    def __init__(self, store: AmapiStore, discovery: Discovery, page_size: int = 10, max_page_size: int = 100):
        self.store = store
        self.discovery = discovery
        self.page_size = page_size
        self.max_page_size = max_page_size

    def handle(self, request: Request, path: str) -> Response:
        """`path` is what follows /v1/ (e.g. enterprises/E/policies/p:modifyPolicyApplications)."""
        name, _colon, verb = path.partition(":")
        parts = name.split("/")
        if len(parts) < 2 or parts[0] != "enterprises" or not parts[1]:
            raise not_found(f"The requested URL /v1/{path} was not found on this server.")
        enterprise = "/".join(parts[:2])
        if enterprise != ENTERPRISE:
            raise GoogleError(403, f"The caller does not have permission: {enterprise} is not an enterprise of "
                                   "this project.")
        collection = parts[2] if len(parts) > 2 else ""
        method = self._method(request.method, len(parts), verb, collection)
        params = self._params(request, collection, method)
        with self.store.lock:
            return self._json(getattr(self, f"_{collection}_{method}")(name, request, params))

    # Routing ----------------------------------------------------------------------------------

    @staticmethod
    def _method(http_method: str, depth: int, verb: str, collection: str) -> str:
        routes = {
            ("policies", 3, "", "GET"): "list",
            ("policies", 4, "", "GET"): "get",
            ("policies", 4, "", "PATCH"): "patch",
            ("policies", 4, "", "DELETE"): "delete",
            ("policies", 4, "modifyPolicyApplications", "POST"): "modify",
            ("policies", 4, "removePolicyApplications", "POST"): "remove",
            ("applications", 4, "", "GET"): "get",
            ("devices", 3, "", "GET"): "list",
            ("devices", 4, "", "GET"): "get",
            ("devices", 4, "", "DELETE"): "delete",
        }
        method = routes.get((collection, depth, verb, http_method))
        if method is None:
            raise GoogleError(404, f"Method not found: {http_method} {collection}{':' + verb if verb else ''}.")
        return method

    @staticmethod
    def _params(request: Request, collection: str, method: str) -> dict[str, list[str]]:
        params: dict[str, list[str]] = {}
        for key, value in parse_qsl(request.query_string, keep_blank_values=True):
            params.setdefault(key, []).append(value)
        allowed = _METHOD_PARAMS.get((collection, method), set())
        for key in params:
            if key not in allowed and key not in _SYSTEM_PARAMS:
                raise invalid(f'Invalid JSON payload received. Unknown name "{key}": Cannot bind query parameter. '
                              f"Field '{key}' could not be found in request message.")
        if params.get("alt", ["json"])[-1] != "json":
            raise invalid(f"Invalid value for the alt parameter: {params['alt'][-1]}; this method answers json only.")
        return params

    @staticmethod
    def _json(body: Any) -> Response:
        return Response(200, body, content_type=PLAIN_JSON)

    def _body(self, request: Request, schema: str, where: str) -> dict[str, Any]:
        try:
            body = request.json()
        except ValueError:
            raise invalid("Invalid JSON payload received. Unexpected token.") from None
        body = {} if body is None else body
        self.discovery.check(body, schema, where)
        return body

    def _page(self, items: list[dict[str, Any]], params: dict[str, list[str]], key: str) -> dict[str, Any]:
        try:
            size = int(params.get("pageSize", ["0"])[-1] or 0)
            start = int(base64.urlsafe_b64decode(params["pageToken"][-1]).decode()) if params.get("pageToken") else 0
        except ValueError:
            raise invalid("Invalid page token or page size.") from None
        size = min(size, self.max_page_size) if size > 0 else self.page_size
        page = items[start:start + size]
        body: dict[str, Any] = {key: copy.deepcopy(page)} if page else {}
        if start + size < len(items):
            body["nextPageToken"] = base64.urlsafe_b64encode(str(start + size).encode()).decode()
        return body

    # Policies ---------------------------------------------------------------------------------

    def _policy(self, name: str) -> dict[str, Any]:
        policy = self.store.policies.get(name)
        if policy is None:
            raise not_found()
        return policy

    def _policies_list(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        return self._page(list(self.store.policies.values()), params, "policies")

    def _policies_get(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        return copy.deepcopy(self._policy(name))

    def _policies_patch(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        body = self._body(request, "Policy", "policy")
        if body.get("name") not in (None, name):
            raise invalid(f"The policy name in the body ({body['name']}) differs from the one in the URL ({name}).")
        current = self.store.policies.get(name)
        mask = params.get("updateMask", [""])[-1]
        fields = [field.strip() for field in mask.split(",") if field.strip()]
        policy = copy.deepcopy(current) if current is not None else {"name": name}
        if fields:
            known = self.discovery.fields("Policy") or None
            for field in fields:
                top = field.split(".")[0]
                if top in _READ_ONLY_POLICY_FIELDS or (known is not None and top not in known):
                    raise invalid(f"Invalid field mask: the path '{field}' is not a modifiable field of Policy.",
                                  "update_mask")
                _set_path(policy, field, body)
        else:  # no mask: every modifiable field is overwritten, those left out are cleared
            policy = {"name": name, **{key: value for key, value in body.items() if key not in _READ_ONLY_POLICY_FIELDS}}
            if current is not None:
                policy["version"] = current.get("version")
        self._check_applications(policy)
        self.store.bump(policy)
        self.store.policies[name] = policy
        return copy.deepcopy(policy)

    def _policies_delete(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        self._policy(name)
        users = sorted(device["name"] for device in self.store.devices.values() if device.get("policyName") == name)
        if users:
            raise GoogleError(400, f"Policy {name} is in use by {len(users)} device(s) ({', '.join(users)}); assign "
                                   "them another policy first.", "FAILED_PRECONDITION")
        del self.store.policies[name]
        return {}

    def _policies_modify(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        body = self._body(request, "ModifyPolicyApplicationsRequest", "")
        policy = copy.deepcopy(self._policy(name))
        applications = policy.setdefault("applications", [])
        for index, change in enumerate(body.get("changes") or []):
            application = change.get("application") or {}
            package = application.get("packageName")
            if not package:
                raise invalid(f"changes[{index}].application.packageName is required.", f"changes[{index}]")
            entry = next((app for app in applications if app.get("packageName") == package), None)
            mask = [field.strip() for field in (change.get("updateMask") or "").split(",") if field.strip()]
            if entry is None:
                applications.append(copy.deepcopy(application))
            elif mask:
                known = self.discovery.fields("ApplicationPolicy") or None
                for field in mask:
                    if field == "packageName" or (known is not None and field.split(".")[0] not in known):
                        raise invalid(f"Invalid field mask: '{field}' is not a modifiable field of ApplicationPolicy.",
                                      f"changes[{index}].update_mask")
                    _set_path(entry, field, application)
            else:
                applications[applications.index(entry)] = copy.deepcopy(application)
        self._check_applications(policy)
        self.store.bump(policy)
        self.store.policies[name] = policy
        return {"policy": copy.deepcopy(policy)}

    def _policies_remove(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        body = self._body(request, "RemovePolicyApplicationsRequest", "")
        policy = copy.deepcopy(self._policy(name))
        removed = set(body.get("packageNames") or [])
        policy["applications"] = [app for app in policy.get("applications", []) if app.get("packageName") not in removed]
        if not policy["applications"]:
            del policy["applications"]
        self.store.bump(policy)
        self.store.policies[name] = policy
        return {"policy": copy.deepcopy(policy)}

    def _check_applications(self, policy: dict[str, Any]) -> None:
        """Every managedConfiguration against the managedProperties of its app (where Play knows it)."""
        for index, app in enumerate(policy.get("applications") or []):
            config = app.get("managedConfiguration")
            known = self.store.applications.get(app.get("packageName", ""))
            if config is None or known is None:
                continue
            where = f"policy.applications[{index}].managed_configuration"
            properties = {prop["key"]: prop for prop in known.get("managedProperties", [])}
            for key, value in config.items():
                if key not in properties:
                    raise invalid(f"Invalid value at '{where}': {app['packageName']} has no managed property "
                                  f"\"{key}\".", where)
                if properties[key].get("type") in ("STRING", "HIDDEN", "CHOICE") and not isinstance(value, str):
                    raise invalid(f"Invalid value at '{where}.{key}': the managed property is of type "
                                  f"{properties[key]['type']}, got {json.dumps(value)}.", where)

    # Applications and devices -----------------------------------------------------------------

    def _applications_get(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        application = self.store.applications.get(name.rsplit("/", 1)[-1])
        if application is None:
            raise not_found(f"No application with package name {name.rsplit('/', 1)[-1]} was found on Google Play.")
        return copy.deepcopy(application)

    def _devices_list(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        return self._page(list(self.store.devices.values()), params, "devices")

    def _devices_get(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        device = self.store.devices.get(name)
        if device is None:
            raise not_found()
        return copy.deepcopy(device)

    def _devices_delete(self, name: str, request: Request, params: dict) -> dict[str, Any]:
        device = self.store.devices.get(name)
        if device is None:
            raise not_found()
        flags = params.get("wipeDataFlags", [])
        unknown = [flag for flag in flags if flag not in _WIPE_FLAGS]
        if unknown:
            raise invalid(f"Invalid value at 'wipe_data_flags' (type.googleapis.com/enum), \"{unknown[0]}\"",
                          "wipe_data_flags")
        message = params.get("wipeReasonMessage", [""])[-1]
        if len(message) > 200:
            raise invalid("wipeReasonMessage is longer than 200 characters.", "wipe_reason_message")
        personal = device.get("ownership") == "PERSONALLY_OWNED" or device.get("managementMode") == "PROFILE_OWNER"
        self.store.wipes.append({"device": name, "wipeDataFlags": flags, "wipeReasonMessage": message,
                                 "removed": "work_profile" if personal else "device"})
        del self.store.devices[name]
        return {}


def _set_path(target: dict[str, Any], path: str, source: dict[str, Any]) -> None:
    """Copies the field at dotted `path` from `source` into `target` (absent in source: cleared)."""
    keys = path.split(".")
    for key in keys[:-1]:
        source = source.get(key) if isinstance(source.get(key), dict) else {}
        target = target.setdefault(key, {})
    if keys[-1] in source:
        target[keys[-1]] = copy.deepcopy(source[keys[-1]])
    else:
        target.pop(keys[-1], None)
