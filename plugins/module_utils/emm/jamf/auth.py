# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jamf Pro's two ways in: an API client (OAuth2 client credentials) or a user account's token.

Both tokens are short-lived (an API client's lifetime is set per client and can be 60 seconds), so
each is renewed shortly before it expires and at once after a 401.
"""

from __future__ import annotations

import base64
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import (
    ApiError,
    ClientCredentials,
    HttpClient,
    RenewedToken,
    renewal_time,
)

# The original path: every Jamf Pro version that has API clients answers it.
API_CLIENT_TOKEN_PATH = "/api/oauth/token"
USER_TOKEN_PATH = "/api/v1/auth/token"


def api_client(base_url: str, client_id: str, client_secret: str) -> ClientCredentials:
    """An API client's token: a form post with no scope (the client's roles decide what it may do)."""
    return ClientCredentials(f"{base_url}{API_CLIENT_TOKEN_PATH}", client_id, client_secret)


class UserToken(RenewedToken):
    """A user account's bearer token: Basic authentication to /api/v1/auth/token, answered with
    ``{token, expires}`` where `expires` is a UTC time written with a trailing "Z".

    The password, its Basic header and every token are registered with the client's redactor
    before they can appear anywhere.
    """

    def __init__(self, token_url: str, username: str, password: str, *, clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        super().__init__(clock)
        self.token_url = token_url
        self.username = username
        self._password = password
        self._basic = base64.b64encode(f"{username}:{password}".encode("utf-8")).decode("ascii")
        self._now = now

    def secrets(self) -> Iterable[str]:
        return (self._password, self._basic)

    def fetch(self, client: HttpClient) -> tuple[str, float | None]:
        asked_at = self._clock()
        # Asking for a token changes nothing on the server, so it is safe to repeat after a lost answer.
        answer = client.request("POST", self.token_url, headers={"Authorization": f"Basic {self._basic}"},
                                authenticated=False, idempotent=True)
        body = answer.body if isinstance(answer.body, dict) else {}
        token = body.get("token")
        if not isinstance(token, str) or not token:
            raise ApiError("POST", client.redact(self.token_url), answer.status, message="the answer holds no token")
        client.add_secret(token)
        return token, renewal_time(asked_at, self._lifetime(body.get("expires")))

    def _lifetime(self, expires: Any) -> float | None:
        """Seconds from now until `expires`; None when it is missing or unreadable (renew on 401 only)."""
        try:
            when = datetime.fromisoformat(str(expires).replace("Z", "+00:00"))
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return (when - self._now()).total_seconds()
