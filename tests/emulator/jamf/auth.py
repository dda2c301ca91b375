# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jamf Pro's token endpoints (API client credentials and user Basic auth) and the bearer check.

The emulator's one client id and secret serve as both the API client and the user account.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from datetime import datetime, timedelta, timezone

from ..auth import TokenBook, bearer_token, form_fields
from ..protocol import Request, Response
from .errors import JSON, JamfError

OAUTH_PATHS = frozenset({"/api/oauth/token", "/api/v1/oauth/token"})
USER_TOKEN_PATH = "/api/v1/auth/token"
KEEP_ALIVE_PATH = "/api/v1/auth/keep-alive"
INVALIDATE_PATH = "/api/v1/auth/invalidate-token"
TOKEN_PATHS = OAUTH_PATHS | {USER_TOKEN_PATH, KEEP_ALIVE_PATH, INVALIDATE_PATH}
API_ROLE_SCOPE = "api-role:1"


class JamfAuth:
    def __init__(self, client_id: str, client_secret: str, book: TokenBook):
        self._client_id = client_id
        self._client_secret = client_secret
        self._book = book

    def handle(self, request: Request, path: str) -> Response:
        """Answers a request to one of TOKEN_PATHS."""
        if request.method != "POST":
            raise JamfError(405, "Method not allowed")
        if path in OAUTH_PATHS:
            return self._client_credentials(request)
        if path == USER_TOKEN_PATH:
            return self._user_token(request)
        old_token = self.check(request)
        self._book.revoke(old_token)
        return self._user_token_answer() if path == KEEP_ALIVE_PATH else Response(204)

    def check(self, request: Request) -> str:
        """The request's live bearer token; raises 401 without one."""
        token = bearer_token(request)
        if token is None or not self._book.is_live(token):
            raise JamfError(401, "The request requires user authentication", code="INVALID_TOKEN")
        return token

    def _client_credentials(self, request: Request) -> Response:
        fields = form_fields(request)
        if fields.get("grant_type") != "client_credentials":
            return Response(400, {"error": "unsupported_grant_type"}, content_type=JSON)
        if not self._is_client(fields.get("client_id", ""), fields.get("client_secret", "")):
            return Response(401, {"error": "invalid_client"}, content_type=JSON)
        body = {
            "access_token": self._book.issue(),
            "scope": API_ROLE_SCOPE,
            "token_type": "Bearer",
            "expires_in": int(self._book.lifetime),
        }
        return Response(200, body, content_type=JSON)

    def _user_token(self, request: Request) -> Response:
        username, password = _basic_credentials(request)
        if not self._is_client(username, password):
            return Response(401, {"httpStatus": 401, "errors": []}, content_type=JSON)
        return self._user_token_answer()

    def _user_token_answer(self) -> Response:
        expires = datetime.now(timezone.utc) + timedelta(seconds=self._book.lifetime)
        body = {
            "token": self._book.issue(),
            "expires": expires.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        return Response(200, body, content_type=JSON)

    def _is_client(self, client_id: str, secret: str) -> bool:
        return client_id == self._client_id and secrets.compare_digest(secret.encode(), self._client_secret.encode())


def _basic_credentials(request: Request) -> tuple[str, str]:
    scheme, _space, encoded = (request.header("authorization") or "").partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        username, _colon, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    return username, password
