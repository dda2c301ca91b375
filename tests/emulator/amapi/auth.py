# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A service account and Google's token endpoint for it: the JWT bearer grant (RFC 7523).

The emulator makes one RSA key when it starts and hands it out as a service-account key file
(`GET /_emulator/amapi/service-account-key`), whose `token_uri` is `{base}/amapi/token`. The
assertion must be RS256 over `{iss: client_email, scope, aud, iat, exp}` with `exp` at most an
hour after `iat`; `aud` may be Google's fixed token URL (which Google's own client always
signs) or the key's `token_uri`.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from typing import Any, Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ..auth import TokenBook, bearer_token, form_fields
from ..protocol import PLAIN_JSON, Request, Response
from .errors import unauthenticated

SCOPE = "https://www.googleapis.com/auth/androidmanagement"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
PROJECT = "mattermost-emm-emulator"
CLIENT_EMAIL = f"amapi-admin@{PROJECT}.iam.gserviceaccount.com"
_CLOCK_SKEW = 300


class ServiceAccount:
    """The one service account the emulator accepts, and the tokens it issued."""

    def __init__(self, lifetime: float, clock: Callable[[], float] = time.time):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_id = secrets.token_hex(20)
        self.tokens = TokenBook(lifetime, clock)
        self._clock = clock

    def key_file(self, token_uri: str) -> dict[str, Any]:
        """A service-account key file as the Cloud console writes it."""
        pem = self._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode()
        return {
            "type": "service_account",
            "project_id": PROJECT,
            "private_key_id": self.key_id,
            "private_key": pem,
            "client_email": CLIENT_EMAIL,
            "client_id": "100000000000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/{CLIENT_EMAIL}",
            "universe_domain": "googleapis.com",
        }

    def token_endpoint(self, request: Request, token_uri: str) -> Response:
        if request.method != "POST":
            return _oauth_error(405, "invalid_request", "The token endpoint only accepts POST.")
        fields = form_fields(request)
        if fields.get("grant_type") != JWT_BEARER:
            return _oauth_error(400, "unsupported_grant_type", "Invalid grant_type: " + fields.get("grant_type", ""))
        problem = self._problem(fields.get("assertion", ""), token_uri)
        if problem:
            return _oauth_error(400, "invalid_grant", problem)
        lifetime = int(self.tokens.lifetime)
        token = self.tokens.issue("ya29.emu-" + secrets.token_urlsafe(64))
        return Response(200, {"access_token": token, "expires_in": lifetime, "token_type": "Bearer"},
                        content_type=PLAIN_JSON)

    def check(self, request: Request) -> None:
        token = bearer_token(request)
        if token is None or not self.tokens.is_live(token):
            raise unauthenticated()

    def _problem(self, assertion: str, token_uri: str) -> str | None:
        """Why Google would refuse the assertion, None when it is good."""
        parts = assertion.split(".")
        if len(parts) != 3:
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe."
        try:
            header, claims = (json.loads(_unb64(part)) for part in parts[:2])
            signature = _unb64(parts[2])
        except ValueError:
            return "Invalid JWT: the header or claims are not base64url-encoded JSON."
        if not isinstance(header, dict) or header.get("alg") != "RS256":
            return "Invalid JWT: the signing algorithm must be RS256."
        try:
            self._key.public_key().verify(signature, f"{parts[0]}.{parts[1]}".encode(), padding.PKCS1v15(),
                                          hashes.SHA256())
        except InvalidSignature:
            return "Invalid JWT Signature."
        if not isinstance(claims, dict):
            return "Invalid JWT: the claims are not an object."
        if claims.get("iss") != CLIENT_EMAIL:
            return "Invalid grant: account not found"
        if claims.get("aud") not in (GOOGLE_TOKEN_URI, token_uri):
            return f"Invalid JWT: audience must be {GOOGLE_TOKEN_URI}."
        if SCOPE not in str(claims.get("scope", "")).split():
            return f"Invalid OAuth scope or ID token audience provided (the scope must include {SCOPE})."
        now, iat, exp = self._clock(), claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int) or exp - iat > 3600 or exp <= iat:
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe."
        if iat > now + _CLOCK_SKEW or exp < now - _CLOCK_SKEW:
            return ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                    "Check your iat and exp values in the JWT claim.")
        return None


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise ValueError(str(error)) from None


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response(status, {"error": error, "error_description": description}, content_type=PLAIN_JSON)


def assertion(key_file: dict[str, Any], *, audience: str = GOOGLE_TOKEN_URI, scope: str = SCOPE,
              lifetime: int = 3600, now: float | None = None) -> str:
    """A signed JWT bearer assertion for `key_file`, as Google's clients make it (for tests)."""
    issued = int(time.time() if now is None else now)
    header = {"alg": "RS256", "typ": "JWT", "kid": key_file["private_key_id"]}
    claims = {"iss": key_file["client_email"], "scope": scope, "aud": audience, "iat": issued, "exp": issued + lifetime}
    signing_input = ".".join(_b64(json.dumps(part).encode()) for part in (header, claims))
    key = serialization.load_pem_private_key(key_file["private_key"].encode(), password=None)
    return f"{signing_input}.{_b64(key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()))}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
