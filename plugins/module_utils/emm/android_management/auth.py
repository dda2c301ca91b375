# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Google service account's access token: the JWT bearer grant (RFC 7523), signed with RS256.

The assertion `{iss, scope, aud, iat, exp}` is signed with the key file's private key by
`cryptography` (a dependency of ansible-core) and posted to the key file's `token_uri`; like
Google's own client, the audience is always Google's fixed token URL. The token is renewed
shortly before it expires and at once after a 401. The private key, every assertion and every
token are registered with the client's redactor before they can appear anywhere.
"""

from __future__ import annotations

import base64
import json
import os
import time
from typing import Any, Callable, Iterable, Mapping

from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import ProviderError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import ApiError, HttpClient, RenewedToken, renewal_time

try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
except ImportError:  # reported when a token is needed, as a ProviderError naming the library
    serialization = None

SCOPE = "https://www.googleapis.com/auth/androidmanagement"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
LIFETIME = 3600  # the longest assertion Google accepts
_KEY_FIELDS = ("client_email", "private_key", "token_uri")


def load_key(value: Any) -> dict[str, Any]:
    """A service-account key from the JSON itself (text or a mapping) or the path of its file."""
    if isinstance(value, Mapping):
        key = dict(value)
    elif isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            key = json.loads(value)
        except ValueError as error:
            raise ProviderError(f"provider service_account_key is not valid JSON ({error.msg} at line {error.lineno}); "
                                "give the key file's path or its whole JSON text") from None
    elif isinstance(value, str) and value:
        path = os.path.expanduser(value)
        try:
            with open(path, encoding="utf-8") as handle:
                key = json.load(handle)
        except OSError as error:
            raise ProviderError(f"cannot read the service-account key file {value}: {error.strerror}") from None
        except ValueError:
            raise ProviderError(f"the service-account key file {value} is not JSON: download a JSON key for the "
                                "service account from the Google Cloud console") from None
    else:
        raise ProviderError("provider type android_management needs service_account_key (the key file's path or its "
                            "JSON), or the environment variable GOOGLE_APPLICATION_CREDENTIALS naming the file")
    if not isinstance(key, dict) or key.get("type") != "service_account":
        raise ProviderError("provider service_account_key is not a service-account key (its type must be "
                            '"service_account"); create a JSON key for the service account in the Google Cloud console')
    missing = [name for name in _KEY_FIELDS if not isinstance(key.get(name), str) or not key[name]]
    if missing:
        raise ProviderError(f"the service-account key lacks {', '.join(missing)}; download a new JSON key")
    return key


class ServiceAccountToken(RenewedToken):
    def __init__(self, key: Mapping[str, Any], *, scope: str = SCOPE, clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], float] = time.time):
        super().__init__(clock)
        self.token_uri = key["token_uri"]
        self.client_email = key["client_email"]
        self._private_key = key["private_key"]
        self._key_id = key.get("private_key_id")
        self.scope = scope
        self._now = now
        self._assertions: list[str] = []

    def secrets(self) -> Iterable[str]:
        return (self._private_key, *self._assertions)

    def assertion(self) -> str:
        """The signed JWT for one token request."""
        if serialization is None:
            raise ProviderError("the Python library cryptography is needed to sign Google's token request: install it "
                                "on the controller (pip install cryptography)")
        issued = int(self._now())
        header = {"alg": "RS256", "typ": "JWT", **({"kid": self._key_id} if self._key_id else {})}
        claims = {"iss": self.client_email, "scope": self.scope, "aud": GOOGLE_TOKEN_URI, "iat": issued,
                  "exp": issued + LIFETIME}
        signing_input = ".".join(_b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims))
        try:
            key = serialization.load_pem_private_key(self._private_key.encode(), password=None)
            signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, TypeError, AttributeError):
            raise ProviderError("the service-account key's private_key is not an RSA private key in PEM form; "
                                "download a new JSON key") from None
        return f"{signing_input}.{_b64(signature)}"

    def fetch(self, client: HttpClient) -> tuple[str, float | None]:
        signed = self.assertion()
        self._assertions.append(signed)
        client.add_secret(signed)
        asked_at = self._clock()
        # A token request changes nothing on the server, so it is safe to repeat after a lost answer.
        answer = client.request("POST", self.token_uri, form={"grant_type": JWT_BEARER, "assertion": signed},
                                authenticated=False, idempotent=True)
        body = answer.body if isinstance(answer.body, Mapping) else {}
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise ApiError("POST", client.redact(self.token_uri), answer.status, message="the answer holds no access_token")
        client.add_secret(token)
        return token, renewal_time(asked_at, body.get("expires_in"))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")
