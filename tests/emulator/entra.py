# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Entra ID's discovery documents, naming the emulator's own endpoints, so that Microsoft's
authentication libraries (MSAL) find the token endpoint as they do on a real tenant:

- `GET {base}/{tenant}/v2.0/.well-known/openid-configuration`: the OpenID configuration;
- `GET {base}/common/discovery/instance?authorization_endpoint=...`: instance discovery (which
  authority hosts are aliases of one another, and where each tenant's configuration lives);
- `GET {base}/{tenant}/discovery/v2.0/keys`: the signing keys (none: the emulator's tokens are
  shaped like Entra's but not signed, and Graph calls are checked against the tokens it issued).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .auth import entra_error, tenant_id
from .protocol import PLAIN_JSON, Request, Response

OPENID_PATH = re.compile(r"^/(?P<tenant>[^/]+)/v2\.0/\.well-known/openid-configuration$")
INSTANCE_PATH = re.compile(r"^/(?P<tenant>[^/]+)/discovery/instance$")
KEYS_PATH = re.compile(r"^/(?P<tenant>[^/]+)/discovery/v2\.0/keys$")
# Tenants that name an audience rather than a directory; Entra keeps them in the endpoints.
_AUDIENCES = frozenset({"common", "organizations", "consumers"})


def serves(path: str) -> bool:
    return any(pattern.match(path) for pattern in (OPENID_PATH, INSTANCE_PATH, KEYS_PATH))


def handle(request: Request) -> Response:
    if request.method != "GET":
        return entra_error(400, "invalid_request", 900561, "The endpoint only accepts GET requests.")
    openid = OPENID_PATH.match(request.path)
    if openid:
        return Response(200, openid_configuration(request.base_url, openid["tenant"]), content_type=PLAIN_JSON)
    if KEYS_PATH.match(request.path):
        return Response(200, {"keys": []}, content_type=PLAIN_JSON)
    return _instance_discovery(request)


def openid_configuration(base_url: str, tenant: str) -> dict:
    directory = tenant if tenant.lower() in _AUDIENCES else tenant_id(tenant)
    authority = f"{base_url}/{directory}"
    return {
        "token_endpoint": f"{authority}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": f"{authority}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"{base_url}/{'{tenantid}' if directory in _AUDIENCES else directory}/v2.0",
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": f"{base_url}/oidc/userinfo",
        "authorization_endpoint": f"{authority}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{authority}/oauth2/v2.0/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{authority}/oauth2/v2.0/logout",
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver", "at_hash"],
        "tenant_region_scope": "EU",
        "cloud_instance_name": urlsplit(base_url).netloc,
        "cloud_graph_host_name": urlsplit(base_url).netloc,
        "msgraph_host": urlsplit(base_url).netloc,
    }


def _instance_discovery(request: Request) -> Response:
    """Entra knows its own hosts only; the emulator knows itself only."""
    endpoint = request.query.get("authorization_endpoint")
    if not endpoint:
        return entra_error(400, "invalid_request", 900144,
                           "The request body must contain the following parameter: 'authorization_endpoint'.")
    asked = urlsplit(endpoint)
    own = urlsplit(request.base_url)
    tenant = asked.path.strip("/").split("/")[0] if asked.path.strip("/") else ""
    # MSAL names the host without its port (it knows authorities by host name).
    if asked.hostname != own.hostname or not tenant:
        return entra_error(400, "invalid_instance", 50049, "Unknown or invalid instance.")
    body = {
        "tenant_discovery_endpoint": f"{request.base_url}/{tenant}/v2.0/.well-known/openid-configuration",
        "api-version": request.query.get("api-version", "1.1"),
        "metadata": [{"preferred_network": own.netloc, "preferred_cache": own.netloc, "aliases": [own.netloc]}],
    }
    return Response(200, body, content_type=PLAIN_JSON)
