# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bearer tokens: the book every vendor keeps, the Entra ID token endpoint (client credentials) and
the bearer check on Graph calls."""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs

from .errors import GraphError, utc_now_text
from .protocol import PLAIN_JSON, Request, Response

TOKEN_PATH = re.compile(r"^/(?P<tenant>[^/]+)/oauth2/v2\.0/token$")
REDACTED = "**REDACTED**"
_TENANT_NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # RFC 4122's URL namespace
_SECRET_FIELDS = ("client_secret", "client_assertion", "assertion")


def tenant_id(tenant: str) -> str:
    """The directory id Entra answers for a tenant name: stable per name; an id stays itself."""
    try:
        return str(uuid.UUID(tenant))
    except ValueError:
        return str(uuid.uuid5(_TENANT_NAMESPACE, f"emulator-tenant:{tenant.lower()}"))


def form_fields(request: Request) -> dict[str, str]:
    """The token request's form fields (the first value of each)."""
    return {name: values[0] for name, values in parse_qs(request.body.decode("utf-8", "replace")).items()}


def redacted_form(request: Request) -> dict[str, str]:
    """The form as the request log may show it: secrets replaced."""
    fields = form_fields(request)
    return {name: REDACTED if name in _SECRET_FIELDS else value for name, value in fields.items()}


class TokenBook:
    """Opaque bearer tokens and when each expires; each vendor keeps a book of its own."""

    def __init__(self, lifetime: float, clock: Callable[[], float] = time.time):
        self.lifetime = lifetime
        self._clock = clock
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self, token: str | None = None) -> str:
        """Records `token` (an opaque one when None) as valid for the book's lifetime."""
        token = token or secrets.token_urlsafe(48)
        with self._lock:
            self._expiry[token] = self._clock() + self.lifetime
        return token

    def expiry(self, token: str) -> float | None:
        """When `token` expires (clock seconds), None when it was never issued or is revoked."""
        with self._lock:
            return self._expiry.get(token)

    def is_live(self, token: str) -> bool:
        expiry = self.expiry(token)
        return expiry is not None and expiry > self._clock()

    def revoke(self, token: str) -> None:
        with self._lock:
            self._expiry.pop(token, None)

    def expire_all(self) -> None:
        with self._lock:
            self._expiry = dict.fromkeys(self._expiry, 0.0)


def bearer_token(request: Request) -> str | None:
    """The request's bearer token, None when it carries none."""
    scheme, _space, token = (request.header("authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class TokenIssuer:
    """Issues opaque bearer tokens to the one client it knows, and checks them on Graph calls."""

    def __init__(self, client_id: str, client_secret: str, lifetime: float, clock: Callable[[], float] = time.time):
        self._client_id = client_id
        self._client_secret = client_secret
        self._clock = clock
        self._book = TokenBook(lifetime, clock)

    def token_endpoint(self, request: Request, tenant: str) -> Response:
        """POST {tenant}/oauth2/v2.0/token with grant_type=client_credentials, as Entra answers it."""
        if request.method != "POST":
            return entra_error(400, "invalid_request", 900561, "The endpoint only accepts POST requests.")
        fields = form_fields(request)
        problem = self._problem(fields, tenant)
        if problem:
            return entra_error(*problem)
        lifetime = int(self._book.lifetime)
        token = self._book.issue(self._access_token(tenant, fields["scope"], lifetime))
        body = {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token}
        return Response(200, body, content_type=PLAIN_JSON)

    def check(self, request: Request) -> None:
        """Raises Graph's 401 unless the request carries a live token."""
        token = bearer_token(request)
        if token is None:
            raise _unauthorized("Access token is empty.")
        expiry = self._book.expiry(token)
        if expiry is None:
            raise _unauthorized("Access token validation failure. Invalid audience.")
        if expiry <= self._clock():
            raise _unauthorized("Lifetime validation failed, the token is expired.")

    def expire_all(self) -> None:
        self._book.expire_all()

    def _access_token(self, tenant: str, scope: str, lifetime: int) -> str:
        """A token shaped like Entra's app-only tokens: a JWT (so it starts with "eyJ", never
        with "-") whose claims a client may read; its signature is random, as the emulator
        checks tokens against those it issued, not by signature."""
        now = int(self._clock())
        directory = tenant_id(tenant)
        header = {"typ": "JWT", "alg": "RS256", "kid": "emulator"}
        claims = {
            "aud": scope.removesuffix("/.default"),
            "iss": f"https://sts.windows.net/{directory}/",
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "appid": self._client_id,
            "appidacr": "1",
            "idtyp": "app",
            "oid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"emulator-app:{self._client_id}")),
            "roles": ["DeviceManagementApps.ReadWrite.All", "DeviceManagementConfiguration.ReadWrite.All",
                      "DeviceManagementManagedDevices.PrivilegedOperations.All", "Group.Read.All"],
            "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, f"emulator-app:{self._client_id}")),
            "tid": directory,
            "uti": secrets.token_urlsafe(16),
            "ver": "1.0",
        }
        return ".".join([_b64url(json.dumps(header).encode()), _b64url(json.dumps(claims).encode()),
                         _b64url(secrets.token_bytes(256))])

    def _problem(self, fields: dict[str, str], tenant: str) -> tuple[int, str, int, str] | None:
        if "grant_type" not in fields:
            return (
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'grant_type'.",
            )
        if fields["grant_type"] != "client_credentials":
            return 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
        if fields.get("client_id") != self._client_id:
            return (
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{fields.get('client_id', '')}' was not found in the directory "
                f"'{tenant}'. This can happen if the application has not been installed by the administrator "
                "of the tenant or consented to by any user in the tenant.",
            )
        if "client_secret" not in fields:
            return (
                401,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            )
        if not secrets.compare_digest(fields["client_secret"], self._client_secret):
            return (
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret "
                f"value, not the client secret ID, for a secret added to app '{self._client_id}'.",
            )
        if not fields.get("scope", "").endswith("/.default"):
            return (
                400,
                "invalid_scope",
                1002012,
                f"The provided value for scope {fields.get('scope', '')} is not valid. Client credential flows "
                "must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
            )
        return None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def entra_error(status: int, error: str, code: int, description: str) -> Response:
    trace_id, correlation_id, timestamp = str(uuid.uuid4()), str(uuid.uuid4()), utc_now_text()
    body = {
        "error": error,
        "error_description": (
            f"AADSTS{code}: {description} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}"
        ),
        "error_codes": [code],
        "timestamp": timestamp,
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": f"https://login.microsoftonline.com/error?code={code}",
    }
    return Response(status, body, content_type=PLAIN_JSON)


def _unauthorized(message: str) -> GraphError:
    challenge = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"'
    return GraphError(401, "InvalidAuthenticationToken", message, {"WWW-Authenticate": challenge})
