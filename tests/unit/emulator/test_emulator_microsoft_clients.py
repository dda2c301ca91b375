# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Microsoft's own Python clients against the emulator, changed in nothing but where they point:
MSAL acquires the token (a confidential client, the emulator as its authority, found through the
instance discovery and OpenID configuration documents the emulator serves), and the Graph SDK
for Python (msgraph-sdk, on kiota) drives the collection's kinds on v1.0: list with paging,
create, read back, assign, count and delete. A shape the SDK cannot parse fails here.

MSAL accepts only https authorities, so the emulator serves https here with a certificate made
for the test session (`tls_files`); MSAL and the SDK's httpx client trust that certificate only.
"""

import asyncio
import ssl

import pytest

msal = pytest.importorskip("msal", reason="msal is not installed (requirements-pytest.txt lists it)")
pytest.importorskip("msgraph", reason="msgraph-sdk is not installed (requirements-pytest.txt lists it)")
import httpx
from kiota_abstractions.api_error import APIError
from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.device_app_management.mobile_app_configurations.item.assign.assign_post_request_body import (
    AssignPostRequestBody as ConfigAssignBody,
)
from msgraph.generated.device_app_management.mobile_apps.item.assign.assign_post_request_body import (
    AssignPostRequestBody as AppAssignBody,
)
from msgraph.generated.device_app_management.targeted_managed_app_configurations.item.assign.assign_post_request_body import (
    AssignPostRequestBody as PolicyAssignBody,
)
from msgraph.generated.device_app_management.targeted_managed_app_configurations.item.target_apps.target_apps_post_request_body import (
    TargetAppsPostRequestBody,
)
from msgraph.generated.device_management.device_configurations.item.assign.assign_post_request_body import (
    AssignPostRequestBody as ProfileAssignBody,
)
from msgraph.generated.models.app_configuration_setting_item import AppConfigurationSettingItem
from msgraph.generated.models.device_configuration_assignment import DeviceConfigurationAssignment
from msgraph.generated.models.group_assignment_target import GroupAssignmentTarget
from msgraph.generated.models.install_intent import InstallIntent
from msgraph.generated.models.ios_custom_configuration import IosCustomConfiguration
from msgraph.generated.models.ios_managed_app_protection import IosManagedAppProtection
from msgraph.generated.models.ios_mobile_app_configuration import IosMobileAppConfiguration
from msgraph.generated.models.ios_mobile_app_identifier import IosMobileAppIdentifier
from msgraph.generated.models.ios_store_app import IosStoreApp
from msgraph.generated.models.managed_device_mobile_app_configuration_assignment import (
    ManagedDeviceMobileAppConfigurationAssignment,
)
from msgraph.generated.models.managed_mobile_app import ManagedMobileApp
from msgraph.generated.models.mdm_app_config_key_type import MdmAppConfigKeyType
from msgraph.generated.models.mobile_app_assignment import MobileAppAssignment
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.targeted_managed_app_configuration import TargetedManagedAppConfiguration
from msgraph.generated.models.targeted_managed_app_policy_assignment import TargetedManagedAppPolicyAssignment
from msgraph_core import GraphClientFactory

from tests.emulator import run_emulator
import needs_specs

TENANT = "contoso.onmicrosoft.com"
SCOPES = ["https://graph.microsoft.com/.default"]
BYOD = "0b5b1d5c-4a1e-4c36-9c43-35a9d5b8e2f1"


class MsalTokens(AccessTokenProvider):
    """Kiota's token seam, filled by MSAL's client-credentials flow (MSAL caches the token)."""

    def __init__(self, app: msal.ConfidentialClientApplication, host: str):
        self._app = app
        self._hosts = AllowedHostsValidator([host])

    async def get_authorization_token(self, uri, additional_authentication_context=None) -> str:
        result = self._app.acquire_token_for_client(scopes=SCOPES)
        if "access_token" not in result:
            raise RuntimeError(f"MSAL got no token: {result}")
        return result["access_token"]

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return self._hosts


@pytest.fixture(scope="module")
def tenant(tls_files):
    cert, key = tls_files
    with run_emulator(tls_cert=cert, tls_key=key, page_size=2) as emu:
        yield emu


@pytest.fixture
def emu(tenant, monkeypatch):
    # requests (under MSAL) lets these variables override the session's `verify`, so MSAL would
    # not trust the emulator's certificate on a machine that sets them.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    tenant.reset()
    return tenant


def _msal_app(emu, cert):
    return msal.ConfidentialClientApplication(
        emu.client_id,
        client_credential=emu.client_secret,
        authority=f"{emu.base_url}/{TENANT}",
        instance_discovery=f"{emu.base_url}/common/discovery/instance",
        verify=str(cert),
    )


def _graph_client(emu, cert):
    host = emu.base_url.split("://")[1].split(":")[0]
    auth = BaseBearerTokenAuthenticationProvider(MsalTokens(_msal_app(emu, cert), host))
    http = GraphClientFactory.create_with_default_middleware(
        client=httpx.AsyncClient(verify=ssl.create_default_context(cafile=str(cert)), timeout=30)
    )
    adapter = GraphRequestAdapter(auth, http)
    adapter.base_url = f"{emu.base_url}/v1.0"
    return GraphServiceClient(request_adapter=adapter)


def _target(group_id=BYOD):
    return GroupAssignmentTarget(odata_type="#microsoft.graph.groupAssignmentTarget", group_id=group_id)


def test_msal_finds_the_token_endpoint_through_discovery_and_caches_the_token(emu, tls_files):
    app = _msal_app(emu, tls_files[0])

    first = app.acquire_token_for_client(scopes=SCOPES)
    second = app.acquire_token_for_client(scopes=SCOPES)

    assert first["token_type"] == "Bearer" and first["access_token"].startswith("eyJ")
    assert second["access_token"] == first["access_token"]
    assert second["token_source"] == "cache"
    paths = [entry["path"] for entry in emu.requests()]
    assert paths[0] == "/common/discovery/instance"
    assert paths[1] == f"/{TENANT}/v2.0/.well-known/openid-configuration"
    assert [path for path in paths if path.endswith("/oauth2/v2.0/token")] == [paths[2]]  # once, by tenant id
    assert emu.graph("GET", "/groups", token=first["access_token"]).status == 200


def test_msal_reports_a_wrong_secret_as_entra_does(emu, tls_files):
    app = msal.ConfidentialClientApplication(
        emu.client_id, client_credential="wrong", authority=f"{emu.base_url}/{TENANT}",
        instance_discovery=False, verify=str(tls_files[0]),
    )

    result = app.acquire_token_for_client(scopes=SCOPES)

    assert result["error"] == "invalid_client"
    assert 7000215 in result["error_codes"]


def test_the_sdk_lists_groups_page_by_page_and_counts_them(emu, tls_files):
    emu.seed(groups=[{"displayName": f"Mattermost {number}"} for number in range(5)])
    graph = _graph_client(emu, tls_files[0])

    async def scenario():
        names, page = [], await graph.groups.get()
        pages = 1
        names += [group.display_name for group in page.value]
        while page.odata_next_link:
            page = await graph.groups.with_url(page.odata_next_link).get()
            names += [group.display_name for group in page.value]
            pages += 1
        eventual = RequestConfiguration()
        eventual.headers.add("ConsistencyLevel", "eventual")
        count = await graph.groups.count.get(request_configuration=eventual)
        with pytest.raises(ODataError) as refused:
            await graph.groups.count.get()
        return names, pages, count, refused.value

    names, pages, count, refused = asyncio.run(scenario())

    assert sorted(names) == [f"Mattermost {number}" for number in range(5)]
    assert pages == 3
    assert count == 5
    assert refused.response_status_code == 400 and refused.error.code == "Request_UnsupportedQuery"


def test_the_sdk_creates_reads_assigns_and_deletes_an_ios_store_app(emu, tls_files):
    graph = _graph_client(emu, tls_files[0])
    apps = graph.device_app_management.mobile_apps

    async def scenario():
        created = await apps.post(IosStoreApp(odata_type="#microsoft.graph.iosStoreApp", display_name="Mattermost",
                                              bundle_id="com.mattermost.rn",
                                              app_store_url="https://apps.apple.com/app/id1257222717"))
        read = await apps.by_mobile_app_id(created.id).get()
        cast = await apps.by_mobile_app_id(created.id).graph_ios_store_app.get()
        await apps.by_mobile_app_id(created.id).assign.post(AppAssignBody(mobile_app_assignments=[
            MobileAppAssignment(odata_type="#microsoft.graph.mobileAppAssignment", intent=InstallIntent.Available,
                                target=_target())]))
        assignments = await apps.by_mobile_app_id(created.id).assignments.get()
        count = await apps.count.get()
        await apps.by_mobile_app_id(created.id).delete()
        with pytest.raises(ODataError) as gone:
            await apps.by_mobile_app_id(created.id).get()
        return created, read, cast, assignments, count, gone.value

    created, read, cast, assignments, count, gone = asyncio.run(scenario())

    assert isinstance(read, IosStoreApp) and read.bundle_id == "com.mattermost.rn"
    assert cast.id == created.id and read.created_date_time is not None
    assert [(item.intent, item.target.group_id) for item in assignments.value] == [(InstallIntent.Available, BYOD)]
    assert count == 1
    assert gone.response_status_code == 404 and gone.error.code == "ResourceNotFound"


def test_the_sdk_drives_an_ios_app_configuration(emu, tls_files):
    graph = _graph_client(emu, tls_files[0])
    configs = graph.device_app_management.mobile_app_configurations
    setting = AppConfigurationSettingItem(app_config_key="serverUrl", app_config_key_type=MdmAppConfigKeyType.StringType,
                                          app_config_key_value="https://chat.contoso.com")

    async def scenario():
        created = await configs.post(IosMobileAppConfiguration(
            odata_type="#microsoft.graph.iosMobileAppConfiguration", display_name="Mattermost iOS",
            targeted_mobile_apps=[], settings=[setting]))
        await configs.by_managed_device_mobile_app_configuration_id(created.id).assign.post(ConfigAssignBody(
            assignments=[ManagedDeviceMobileAppConfigurationAssignment(target=_target())]))
        listed = await configs.get()
        assignments = await configs.by_managed_device_mobile_app_configuration_id(created.id).assignments.get()
        await configs.by_managed_device_mobile_app_configuration_id(created.id).delete()
        return created, listed, assignments, await configs.get()

    created, listed, assignments, after = asyncio.run(scenario())

    assert isinstance(listed.value[0], IosMobileAppConfiguration)
    assert [(item.app_config_key, item.app_config_key_value) for item in listed.value[0].settings] == [
        ("serverUrl", "https://chat.contoso.com")]
    assert listed.value[0].id == created.id
    assert [item.target.group_id for item in assignments.value] == [BYOD]
    assert after.value == []


def test_the_sdk_drives_app_protection_and_managed_app_configuration(emu, tls_files):
    graph = _graph_client(emu, tls_files[0])
    dam = graph.device_app_management
    mattermost = ManagedMobileApp(mobile_app_identifier=IosMobileAppIdentifier(
        odata_type="#microsoft.graph.iosMobileAppIdentifier", bundle_id="com.mattermost.rn"))

    async def scenario():
        protection = await dam.ios_managed_app_protections.post(IosManagedAppProtection(
            odata_type="#microsoft.graph.iosManagedAppProtection", display_name="Mattermost iOS protection",
            minimum_required_os_version="17.0"))
        config = await dam.targeted_managed_app_configurations.post(TargetedManagedAppConfiguration(
            display_name="Mattermost MAM"))
        item = dam.targeted_managed_app_configurations.by_targeted_managed_app_configuration_id(config.id)
        await item.target_apps.post(TargetAppsPostRequestBody(apps=[mattermost]))
        await item.assign.post(PolicyAssignBody(assignments=[TargetedManagedAppPolicyAssignment(target=_target())]))
        read = await item.get()
        policies = await dam.managed_app_policies.get()
        await dam.ios_managed_app_protections.by_ios_managed_app_protection_id(protection.id).delete()
        await item.delete()
        return protection, read, policies, await dam.managed_app_policies.get()

    protection, read, policies, after = asyncio.run(scenario())

    assert protection.minimum_required_os_version == "17.0" and protection.is_assigned is False
    assert (read.is_assigned, read.deployed_app_count) == (True, 1)
    assert sorted(type(policy).__name__ for policy in policies.value) == [
        "IosManagedAppProtection", "TargetedManagedAppConfiguration"]
    assert after.value == []


def test_the_sdk_drives_an_ios_custom_profile(emu, tls_files):
    graph = _graph_client(emu, tls_files[0])
    profiles = graph.device_management.device_configurations
    payload = b"<?xml version='1.0'?><plist version='1.0'><dict/></plist>"

    async def scenario():
        created = await profiles.post(IosCustomConfiguration(
            odata_type="#microsoft.graph.iosCustomConfiguration", display_name="Mattermost VPN",
            payload_name="vpn", payload_file_name="vpn.mobileconfig", payload=payload))
        item = profiles.by_device_configuration_id(created.id)
        assigned = await item.assign.post(ProfileAssignBody(assignments=[
            DeviceConfigurationAssignment(target=_target())]))
        read = await item.get()
        await item.delete()
        return assigned, read

    assigned, read = asyncio.run(scenario())

    assert [item.target.group_id for item in assigned.value] == [BYOD]
    assert isinstance(read, IosCustomConfiguration) and read.payload == payload


@needs_specs.GRAPH
def test_a_refused_body_reaches_the_sdk_as_an_odata_error(emu, tls_files):
    graph = _graph_client(emu, tls_files[0])

    async def scenario():
        with pytest.raises(APIError) as refused:
            await graph.device_app_management.mobile_apps.post(IosStoreApp(
                odata_type="#microsoft.graph.iosStoreApp", display_name="x", additional_data={"bogus": 1}))
        return refused.value

    refused = asyncio.run(scenario())

    assert refused.response_status_code == 400
    assert "bogus" in refused.error.message
