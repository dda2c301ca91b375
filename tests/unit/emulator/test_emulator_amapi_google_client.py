# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Google's own Python client (google-api-python-client with google-auth) against the Android
Management emulator, unchanged: a service-account key file, the discovery document, and the
emulator's root as the API endpoint."""

import json
from pathlib import Path

import pytest

discovery = pytest.importorskip(
    "googleapiclient.discovery", reason="google-api-python-client is not installed (requirements-pytest.txt lists it)")
service_account = pytest.importorskip(
    "google.oauth2.service_account", reason="google-auth is not installed (requirements-pytest.txt lists it)")
from googleapiclient.errors import HttpError  # noqa: E402

from tests.emulator.config import default_google_specs_dir  # noqa: E402

SCOPE = "https://www.googleapis.com/auth/androidmanagement"
ENTERPRISE = "enterprises/LC00emu01"


@pytest.fixture
def service(emulator):
    document = Path(default_google_specs_dir(), "androidmanagement.v1.discovery.json")
    if not document.is_file():
        pytest.skip(f"Google's discovery document is not at {document}")
    credentials = service_account.Credentials.from_service_account_info(emulator.amapi_key(), scopes=[SCOPE])
    return discovery.build_from_document(json.loads(document.read_text()), credentials=credentials,
                                         client_options={"api_endpoint": f"{emulator.amapi_url}/"})


def test_google_s_client_patches_modifies_and_lists(emulator, service):
    emulator.seed(**{"amapi/devices": [{"name": f"d{index}", "policyName": "work"} for index in range(12)]})
    policies = service.enterprises().policies()
    created = policies.patch(name=f"{ENTERPRISE}/policies/work", updateMask="screenCaptureDisabled",
                             body={"screenCaptureDisabled": True}).execute()
    changed = policies.modifyPolicyApplications(
        name=created["name"], body={"changes": [{"application": {
            "packageName": "com.mattermost.rn", "installType": "FORCE_INSTALLED",
            "managedConfiguration": {"serverUrl": "https://chat.example.com"}}}]}).execute()
    app = service.enterprises().applications().get(name=f"{ENTERPRISE}/applications/com.mattermost.rn").execute()
    devices, request = [], service.enterprises().devices().list(parent=ENTERPRISE)
    while request is not None:
        answer = request.execute()
        devices.extend(answer.get("devices", []))
        request = service.enterprises().devices().list_next(request, answer)

    assert created["version"] == "1" and changed["policy"]["version"] == "2"
    assert len(app["managedProperties"]) == 11 and len(devices) == 12
    token_requests = [entry for entry in emulator.requests() if entry["path"] == "/amapi/token"]
    assert len(token_requests) == 1
    assert all(entry["query"].get("alt") == "json" for entry in emulator.requests() if entry["path"] != "/amapi/token")


def test_google_s_client_reads_google_s_errors(emulator, service):
    with pytest.raises(HttpError) as raised:
        service.enterprises().policies().modifyPolicyApplications(
            name=f"{ENTERPRISE}/policies/work", body={"changes": [{"application": {
                "packageName": "com.mattermost.rn", "installType": "REQUIRED_FOR_SETUP_TYPO"}}]}).execute()
    assert raised.value.status_code == 400
    assert "REQUIRED_FOR_SETUP_TYPO" in raised.value.reason
