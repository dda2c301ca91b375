# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Intune's per-device and summary statuses of app configurations and device configurations.

Read endpoints, with Graph's shapes (beta and v1.0):

- ``/deviceAppManagement/mobileAppConfigurations/{id}/deviceStatuses`` (managedDeviceMobileAppConfigurationDeviceStatus)
  and ``.../deviceStatusSummary`` (managedDeviceMobileAppConfigurationDeviceSummary);
- ``/deviceManagement/deviceConfigurations/{id}/deviceStatuses`` (deviceConfigurationDeviceStatus)
  and ``.../deviceStatusOverview`` (deviceConfigurationDeviceOverview).

The summary is computed from the per-device statuses, as Intune's is. A tenant's objects start
with no device reported; ``POST /_emulator/device-states`` sets them:
``{"collection": "mobileAppConfigurations", "id": "...", "statuses": [{"deviceDisplayName": "iPhone-7",
"status": "error", "userPrincipalName": "ann@contoso.com"}]}`` (an empty list clears them).
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Mapping

from .errors import GraphError, method_not_allowed, utc_now_text
from .kinds import KINDS_BY_NAME
from .protocol import Request, Response
from .store import Store

# collection -> (status entity, summary navigation, summary entity)
SERVED = {
    "mobileAppConfigurations": ("managedDeviceMobileAppConfigurationDeviceStatus", "deviceStatusSummary",
                                "managedDeviceMobileAppConfigurationDeviceSummary"),
    "deviceConfigurations": ("deviceConfigurationDeviceStatus", "deviceStatusOverview",
                             "deviceConfigurationDeviceOverview"),
}
STATES = ("unknown", "notApplicable", "compliant", "remediated", "nonCompliant", "error", "conflict", "notAssigned")
_PATH = re.compile(
    r"^/(?P<version>v1\.0|beta)/(?:deviceAppManagement|deviceManagement)/(?P<collection>mobileAppConfigurations|"
    r"deviceConfigurations)/(?P<id>[^/]+)/(?P<navigation>deviceStatuses|deviceStatusSummary|deviceStatusOverview)/?$"
)
# The summary's counts: (property, the per-device states it counts).
_SUMMARY = (
    ("successCount", ("compliant", "remediated")),
    ("pendingCount", ("unknown",)),
    ("failedCount", ("nonCompliant",)),
    ("errorCount", ("error",)),
    ("conflictCount", ("conflict",)),
    ("notApplicableCount", ("notApplicable",)),
)


class DeviceStates:
    """The device statuses of one emulated tenant, beside its Graph store."""

    def __init__(self, store: Store):
        self._store = store
        self._statuses: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def reset(self) -> None:
        self._statuses.clear()

    @staticmethod
    def serves(path: str) -> bool:
        return _PATH.match(path) is not None

    def handle(self, request: Request) -> Response:
        match = _PATH.match(request.path)
        if request.method != "GET":
            raise method_not_allowed(request.method)
        collection, object_id, navigation = match["collection"], match["id"], match["navigation"]
        status_type, summary_name, summary_type = SERVED[collection]
        self._require(collection, object_id)
        statuses = self._statuses.get((collection, object_id), [])
        context = f"{request.base_url}/{match['version']}/$metadata#"
        if navigation == "deviceStatuses":
            return Response(200, {"@odata.context": context + f"{collection}('{object_id}')/deviceStatuses",
                                  "value": [{"@odata.type": f"#microsoft.graph.{status_type}", **status}
                                            for status in statuses]})
        if navigation != summary_name:
            raise GraphError(400, "BadRequest", f"Resource not found for the segment '{navigation}'.")
        return Response(200, {"@odata.context": context + f"{collection}('{object_id}')/{navigation}/$entity",
                              "@odata.type": f"#microsoft.graph.{summary_type}", **summary(object_id, statuses)})

    def set(self, body: Any) -> dict[str, Any]:
        """The control endpoint: the per-device statuses of one object, replacing what it had."""
        if not isinstance(body, Mapping) or body.get("collection") not in SERVED or not isinstance(body.get("id"), str):
            raise ValueError(f"give collection (one of {', '.join(SERVED)}), id and statuses")
        statuses = body.get("statuses")
        if not isinstance(statuses, list) or not all(isinstance(item, Mapping) for item in statuses):
            raise ValueError("statuses must be a list of objects")
        with self._store.lock:
            try:
                self._require(body["collection"], body["id"])
            except GraphError as exc:
                raise ValueError(exc.message) from None
            made = [_status(item) for item in statuses]
            self._statuses[(body["collection"], body["id"])] = made
        return {"statuses": made}

    def _require(self, collection: str, object_id: str) -> None:
        if object_id not in self._store.items(KINDS_BY_NAME[collection]):
            raise GraphError(404, "ResourceNotFound", f"{collection} {object_id!r} was not found.")


def _status(item: Mapping[str, Any]) -> dict[str, Any]:
    state = item.get("status", "compliant")
    if state not in STATES:
        raise ValueError(f"status {state!r} is not one of {', '.join(STATES)}")
    now = utc_now_text()
    return {
        "id": str(item.get("id") or uuid.uuid4()),
        "deviceDisplayName": item.get("deviceDisplayName"),
        "deviceModel": item.get("deviceModel"),
        "userName": item.get("userName"),
        "userPrincipalName": item.get("userPrincipalName"),
        "platform": int(item.get("platform") or 0),
        "status": state,
        "lastReportedDateTime": item.get("lastReportedDateTime") or now,
        "complianceGracePeriodExpirationDateTime": item.get("complianceGracePeriodExpirationDateTime") or now,
    }


def summary(object_id: str, statuses: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {name: sum(1 for status in statuses if status["status"] in states) for name, states in _SUMMARY}
    return {"id": object_id, **counts, "notApplicablePlatformCount": 0, "configurationVersion": 1,
            "lastUpdateDateTime": utc_now_text()}
