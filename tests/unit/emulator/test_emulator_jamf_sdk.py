# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jamf's own Python SDK (jamf-pro-sdk) against the emulator, unchanged.

The SDK builds its server URL as scheme://server:port with no path, so it cannot address a
context path such as {base}/jamf; these tests serve Jamf at the server root (`jamf_path=""`).
"""

from urllib.parse import urlsplit

import pytest

from tests.emulator import run_emulator

sdk = pytest.importorskip("jamf_pro_sdk", reason="jamf-pro-sdk is not installed (requirements-pytest.txt lists it)")
from jamf_pro_sdk.clients.classic_api import parse_response_id  # noqa: E402

BYOD = "Mattermost BYOD"
APP = (
    "<mobile_device_application><general><name>Mattermost</name><bundle_id>com.mattermost.rn</bundle_id>"
    "<version>2.0</version></general></mobile_device_application>"
)


@pytest.fixture(scope="module")
def jamf_at_root():
    with run_emulator(jamf_path="") as emu:
        yield emu


@pytest.fixture(params=["api client", "user"])
def client(request, jamf_at_root):
    jamf_at_root.reset()
    jamf_at_root.seed(**{"jamf/mobile_device_groups": [{"name": BYOD}, {"name": "All iPads", "is_smart": True}]})
    if request.param == "api client":
        credentials = sdk.ApiClientCredentialsProvider(jamf_at_root.client_id, jamf_at_root.client_secret)
    else:
        credentials = sdk.UserCredentialsProvider(jamf_at_root.client_id, jamf_at_root.client_secret)
    url = urlsplit(jamf_at_root.jamf_url)
    return sdk.JamfProClient(url.hostname, credentials, port=url.port, session_config=sdk.SessionConfig(scheme="http"))


def test_the_classic_client_lists_groups_and_creates_an_app(client):
    groups = client.classic_api_request("get", "mobiledevicegroups").json()["mobile_device_groups"]
    app_id = parse_response_id(client.classic_api_request("post", "mobiledeviceapplications/id/0", data=APP).text)
    apps = client.classic_api_request("get", "mobiledeviceapplications").json()["mobile_device_applications"]

    assert [group["name"] for group in groups] == [BYOD, "All iPads"]
    assert [(app["id"], app["bundle_id"]) for app in apps] == [(app_id, "com.mattermost.rn")]


def test_the_pro_client_lists_and_searches_groups(client):
    groups = client.pro_api_request("get", "v1/mobile-device-groups").json()
    found = client.pro_api_request(
        "get", "v1/mobile-device-groups/static-groups", query_params={"filter": f'groupName=="{BYOD}"'}
    ).json()

    assert [(group["name"], group["isSmartGroup"]) for group in groups] == [(BYOD, False), ("All iPads", True)]
    assert [row["groupName"] for row in found["results"]] == [BYOD]
