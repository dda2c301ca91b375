# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Entra's OpenID configuration and instance discovery documents, and tokens shaped like Entra's."""

import base64
import json
import uuid
from urllib.parse import quote

from tests.emulator import http_request


def _claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_openid_configuration_names_the_emulators_own_endpoints(emulator):
    answer = http_request("GET", f"{emulator.base_url}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration")

    assert answer.status == 200
    document = answer.body
    tenant_id = document["token_endpoint"].split("/")[3]
    uuid.UUID(tenant_id)  # Entra names the tenant by its id, whatever name was asked for
    assert document["token_endpoint"] == f"{emulator.base_url}/{tenant_id}/oauth2/v2.0/token"
    assert document["authorization_endpoint"] == f"{emulator.base_url}/{tenant_id}/oauth2/v2.0/authorize"
    assert document["issuer"] == f"{emulator.base_url}/{tenant_id}/v2.0"
    assert "client_secret_post" in document["token_endpoint_auth_methods_supported"]
    assert document["jwks_uri"].startswith(emulator.base_url)


def test_the_tenant_id_is_stable_and_a_guid_tenant_keeps_its_id(emulator):
    def token_endpoint(tenant):
        url = f"{emulator.base_url}/{tenant}/v2.0/.well-known/openid-configuration"
        return http_request("GET", url).body["token_endpoint"]

    guid = "00000000-1111-2222-3333-444444444444"
    assert token_endpoint("contoso.com") == token_endpoint("contoso.com")
    assert token_endpoint("contoso.com") != token_endpoint("fabrikam.com")
    assert token_endpoint(guid) == f"{emulator.base_url}/{guid}/oauth2/v2.0/token"


def test_instance_discovery_answers_for_the_emulators_own_host(emulator):
    authorize = f"{emulator.base_url}/contoso.com/oauth2/v2.0/authorize"
    url = f"{emulator.base_url}/common/discovery/instance?api-version=1.1&authorization_endpoint={quote(authorize)}"

    answer = http_request("GET", url)

    assert answer.status == 200
    host = emulator.base_url.split("://")[1]
    assert answer.body["tenant_discovery_endpoint"] == (
        f"{emulator.base_url}/contoso.com/v2.0/.well-known/openid-configuration"
    )
    assert answer.body["metadata"][0]["aliases"] == [host]
    assert answer.body["metadata"][0]["preferred_network"] == host


def test_instance_discovery_refuses_another_host(emulator):
    authorize = quote("https://login.example.net/contoso.com/oauth2/v2.0/authorize")

    answer = http_request("GET", f"{emulator.base_url}/common/discovery/instance?authorization_endpoint={authorize}")

    assert answer.status == 400
    assert answer.body["error"] == "invalid_instance"
    assert answer.body["error_codes"] == [50049]


def test_tokens_are_shaped_like_entras(emulator):
    tokens = [emulator.fetch_token().body["access_token"] for _attempt in range(64)]

    assert all(token.startswith("eyJ") and token.count(".") == 2 for token in tokens)
    claims = _claims(tokens[0])
    assert claims["aud"] == "https://graph.microsoft.com"
    assert claims["appid"] == emulator.client_id
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["iss"] == f"https://sts.windows.net/{claims['tid']}/"
    assert len(set(tokens)) == 64
