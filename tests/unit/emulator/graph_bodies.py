# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Graph paths and request bodies the emulator's tests share."""

APPS = "/deviceAppManagement/mobileApps"
APP_CONFIGS = "/deviceAppManagement/mobileAppConfigurations"
FILTERS = "/deviceManagement/assignmentFilters"
IOS_APP = {
    "@odata.type": "#microsoft.graph.iosStoreApp",
    "displayName": "Mattermost",
    "bundleId": "com.mattermost.rn",
    "appStoreUrl": "https://apps.apple.com/app/id1257222717",
}
IOS_APP_CONFIG = {
    "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
    "displayName": "Mattermost iOS",
    "targetedMobileApps": [],
    "settings": [
        {"appConfigKey": "serverUrl", "appConfigKeyType": "stringType", "appConfigKeyValue": "https://mm.example"}
    ],
}


def group_target(group_id):
    return {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": group_id}
