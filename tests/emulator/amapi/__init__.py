# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Android Management at `{base}/amapi`: Google's token endpoint for a service account at
`{base}/amapi/token` and the API at `{base}/amapi/v1/enterprises/...`, with one enterprise,
`enterprises/LC00emu01`, whose Google Play already holds Mattermost and its managed properties.

Point Google's own client at it with `client_options={"api_endpoint": f"{base}/amapi/"}` and a
key file from `GET {base}/_emulator/amapi/service-account-key`.
"""

from __future__ import annotations

from ..config import EmulatorConfig
from ..errors import GraphError
from ..protocol import Request, Response
from .api import ResourceApi
from .auth import ServiceAccount
from .errors import GoogleError, not_found
from .spec import discovery_for
from .store import ENTERPRISE, PREFIX, AmapiStore

__all__ = ["ENTERPRISE", "PREFIX", "MOUNT", "AmapiApi"]
MOUNT = "/amapi"
TOKEN_PATH = "/token"
_V1 = "/v1/"


class AmapiApi:
    def __init__(self, config: EmulatorConfig):
        self.store = AmapiStore()
        self.account = ServiceAccount(config.token_lifetime)
        self.tokens = self.account.tokens
        self._resources = ResourceApi(self.store, discovery_for(config.google_specs))

    def serves(self, path: str) -> bool:
        return path == MOUNT or path.startswith(MOUNT + "/")

    def is_token_request(self, path: str) -> bool:
        return path == MOUNT + TOKEN_PATH

    def key_file(self, base_url: str) -> dict:
        return self.account.key_file(f"{base_url}{MOUNT}{TOKEN_PATH}")

    def handle(self, request: Request) -> Response:
        path = request.path[len(MOUNT):]
        try:
            if path == TOKEN_PATH:
                return self.account.token_endpoint(request, f"{request.base_url}{MOUNT}{TOKEN_PATH}")
            if not path.startswith(_V1):
                raise not_found(f"The requested URL {request.path} was not found on this server.")
            self.account.check(request)
            return self._resources.handle(request, path[len(_V1):])
        except GoogleError as error:
            return error.response()

    @staticmethod
    def error_response(error: GraphError, request: Request) -> Response:
        """An injected fault or an emulator failure, as Google answers it (429 is RESOURCE_EXHAUSTED)."""
        message = error.message if error.status != 429 else "Quota exceeded for quota metric 'Requests' and limit " \
            "'Requests per 100 seconds' of service 'androidmanagement.googleapis.com'."
        return GoogleError(error.status, message, headers=error.headers).response()
