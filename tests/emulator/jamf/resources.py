# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Classic API resources the emulator serves: their paths, XML roots, lookups and templates.

Templates follow the records a Jamf Pro 11 server answers with (field names, order, defaults).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .xml_codec import ListOf

_ID_NAME = {"id": 0, "name": ""}
_DEVICE_REF = {"id": 0, "name": "", "udid": "", "wifi_mac_address": ""}
_SITE = {"id": -1, "name": "None"}
_CATEGORY = {"id": -1, "name": "No category assigned"}


def _targets() -> dict[str, Any]:
    return {
        "mobile_devices": ListOf("mobile_device", _DEVICE_REF),
        "buildings": ListOf("building", _ID_NAME),
        "departments": ListOf("department", _ID_NAME),
        "mobile_device_groups": ListOf("mobile_device_group", _ID_NAME),
        "jss_users": ListOf("user", _ID_NAME),
        "jss_user_groups": ListOf("user_group", _ID_NAME),
    }


SCOPE = {
    "all_mobile_devices": False,
    "all_jss_users": False,
    **_targets(),
    "limitations": {
        "users": ListOf("user", _ID_NAME),
        "user_groups": ListOf("user_group", _ID_NAME),
        "network_segments": ListOf("network_segment", _ID_NAME),
        "ibeacons": ListOf("ibeacon", _ID_NAME),
    },
    "exclusions": {
        **_targets(),
        "users": ListOf("user", _ID_NAME),
        "user_groups": ListOf("user_group", _ID_NAME),
        "network_segments": ListOf("network_segment", _ID_NAME),
        "ibeacons": ListOf("ibeacon", _ID_NAME),
    },
}

SCOPED_GROUP_LISTS = (("mobile_device_groups",), ("exclusions", "mobile_device_groups"))
"""Where a scope names mobile device groups (the server resolves each to an existing group)."""

APPLICATION = {
    "general": {
        "id": 0,
        "name": "",
        "display_name": "",
        "description": "",
        "bundle_id": "",
        "version": "",
        "internal_app": False,
        "os_type": "iOS",
        "category": _CATEGORY,
        "ipa": {"name": "", "uri": "", "data": ""},
        "icon": {"id": 0, "name": "", "uri": "", "data": ""},
        "mobile_device_provisioning_profile": -1,
        "itunes_store_url": "",
        "make_available_after_install": False,
        "itunes_country_region": "",
        "itunes_sync_time": 0,
        "deployment_type": "Install Automatically/Prompt Users to Install",
        "deploy_automatically": True,
        "deploy_as_managed_app": True,
        "remove_app_when_mdm_profile_is_removed": True,
        "prevent_backup_of_app_data": False,
        "keep_description_and_icon_up_to_date": False,
        "keep_app_updated_on_devices": False,
        "free": True,
        "take_over_management": False,
        "host_externally": False,
        "external_url": "",
        "site": _SITE,
    },
    "scope": SCOPE,
    "self_service": {
        "self_service_description": "",
        "self_service_icon": {"id": 0, "uri": "", "data": ""},
        "feature_on_main_page": False,
        "self_service_categories": ListOf("category", {"id": 0, "name": "", "display_in": True}),
        "notification": False,
        "notification_subject": "",
        "notification_message": "",
    },
    "vpp": {"assign_vpp_device_based_licenses": False, "vpp_admin_account_id": -1},
    "app_configuration": {"preferences": ""},
}

CONFIGURATION_PROFILE = {
    "general": {
        "id": 0,
        "name": "",
        "description": "",
        "site": _SITE,
        "category": _CATEGORY,
        "uuid": "",
        "deployment_method": "Install Automatically",
        "redeploy_on_update": "Newly Assigned",
        "redeploy_Days_before_certificate_expires": 0,
        "payloads": "",
    },
    "scope": SCOPE,
    "self_service": {
        "self_service_description": "",
        "security": {"removal_disallowed": "Never"},
        "self_service_icon": {"id": 0, "uri": "", "data": ""},
        "feature_on_main_page": False,
        "self_service_categories": ListOf("category", {"id": 0, "name": "", "priority": 1}),
    },
}

MOBILE_DEVICE_GROUP = {
    "id": 0,
    "name": "",
    "is_smart": False,
    "criteria": ListOf("criterion", {"name": "", "priority": 0, "and_or": "and", "search_type": "", "value": ""}),
    "site": _SITE,
    "mobile_devices": ListOf(
        "mobile_device",
        {"id": 0, "name": "", "mac_address": "", "udid": "", "wifi_mac_address": "", "serial_number": ""},
    ),
}

MOBILE_DEVICE = {
    "general": {
        "id": 0,
        "name": "",
        "device_name": "",
        "udid": "",
        "serial_number": "",
        "phone_number": "",
        "wifi_mac_address": "",
        "managed": True,
        "supervised": False,
        "model": "",
        "model_identifier": "",
        "model_display": "",
        "os_type": "iOS",
        "os_version": "",
    },
    "location": {"username": "", "real_name": "", "email_address": ""},
    # What the device's last inventory update reported installed (seed them; Jamf fills them in).
    "applications": ListOf("application", {"application_name": "", "application_version": "",
                                           "application_short_version": "", "identifier": ""}),
    "configuration_profiles": ListOf("configuration_profile", {"display_name": "", "version": "", "identifier": "",
                                                               "uuid": ""}),
}


@dataclass(frozen=True)
class Resource:
    """One Classic collection, e.g. /JSSResource/mobiledeviceapplications."""

    path: str
    collection: str
    """Its name in the control plane's state and seed, after "jamf/"."""
    root: str
    list_key: str
    """The list's root: the JSON key, and the XML element whose items are `root` elements."""
    template: Mapping[str, Any]
    list_fields: Mapping[str, str] = field(default_factory=lambda: {"id": "id", "name": "name"})
    """A list row's names -> the fields they show (of `general`, or of the record, or its `location`)."""
    lookups: Mapping[str, str] = field(default_factory=lambda: {"id": "id", "name": "name"})
    """URL key -> field (in `general` when the record has one) that finds a record."""
    subsets: Mapping[str, str] = field(default_factory=dict)
    """Subset names in URLs (case-insensitive) -> top-level record keys."""
    schema: str = ""
    """The Classic description's schema for this resource's records."""
    writable: bool = True
    delete_answers_400: bool = False
    """Deleting answers 400 even though the object is gone (Jamf does this for apps)."""

    def fields(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Where the record's id and name live: `general`, or the record itself."""
        return record["general"] if "general" in self.template else record

    def id_of(self, record: Mapping[str, Any]) -> int:
        return self.fields(record)["id"]

    def list_row(self, record: Mapping[str, Any]) -> dict[str, Any]:
        shown = {**record.get("location", {}), **self.fields(record)}
        return {name: shown[source] for name, source in self.list_fields.items()}


def _same_names(*names: str) -> dict[str, str]:
    return {name: name for name in names}


APPLICATIONS = Resource(
    "mobiledeviceapplications",
    "mobile_device_applications",
    "mobile_device_application",
    "mobile_device_applications",
    APPLICATION,
    list_fields=_same_names("id", "name", "display_name", "bundle_id", "version", "internal_app"),
    lookups={"id": "id", "name": "name", "bundleid": "bundle_id"},
    subsets={
        "general": "general",
        "scope": "scope",
        "selfservice": "self_service",
        "vpp": "vpp",
        "appconfiguration": "app_configuration",
    },
    schema="mobile_device_application",
    delete_answers_400=True,
)
CONFIGURATION_PROFILES = Resource(
    "mobiledeviceconfigurationprofiles",
    "mobile_device_configuration_profiles",
    "configuration_profile",
    "configuration_profiles",
    CONFIGURATION_PROFILE,
    subsets={"general": "general", "scope": "scope", "selfservice": "self_service"},
    schema="mobile_device_configuration_profile",
)
MOBILE_DEVICE_GROUPS = Resource(
    "mobiledevicegroups",
    "mobile_device_groups",
    "mobile_device_group",
    "mobile_device_groups",
    MOBILE_DEVICE_GROUP,
    list_fields=_same_names("id", "name", "is_smart"),
    schema="mobile_device_group",
)
MOBILE_DEVICES = Resource(
    "mobiledevices",
    "mobile_devices",
    "mobile_device",
    "mobile_devices",
    MOBILE_DEVICE,
    list_fields={
        **_same_names("id", "name", "device_name", "udid", "serial_number", "phone_number", "wifi_mac_address"),
        **_same_names("managed", "supervised", "model", "model_identifier"),
        # Jamf's JSON list spells this one in camel case too.
        "modelDisplay": "model_display",
        **_same_names("model_display", "username"),
    },
    lookups={"id": "id", "name": "name", "udid": "udid", "serialnumber": "serial_number"},
    subsets={"general": "general", "location": "location", "applications": "applications",
             "configurationprofiles": "configuration_profiles"},
    writable=False,
)
RESOURCES = (APPLICATIONS, CONFIGURATION_PROFILES, MOBILE_DEVICE_GROUPS, MOBILE_DEVICES)
RESOURCES_BY_PATH = {resource.path: resource for resource in RESOURCES}
