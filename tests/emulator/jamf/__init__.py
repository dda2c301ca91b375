# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jamf Pro under its context path (`{base}/jamf` by default): token endpoints, the Classic API
at /JSSResource and the Pro API's mobile device groups at /api."""

from __future__ import annotations

from ..auth import TokenBook
from ..config import EmulatorConfig
from ..errors import GraphError
from ..protocol import Request, Response
from .auth import TOKEN_PATHS, JamfAuth
from .classic import ClassicApi
from .errors import JamfError, classic_page, not_found, pro_error
from .pro import ProApi
from .spec import classic_spec_for
from .store import PREFIX, JamfStore

__all__ = ["PREFIX", "JamfApi"]
_CLASSIC = "/JSSResource"
_PRO = "/api"


class JamfApi:
    def __init__(self, config: EmulatorConfig):
        self.store = JamfStore()
        self.tokens = TokenBook(config.token_lifetime)
        self._context_path = config.jamf_path
        self._auth = JamfAuth(config.client_id, config.client_secret, self.tokens)
        self._classic = ClassicApi(self.store, classic_spec_for(config.jamf_specs), config.listing_delay)
        self._pro = ProApi(self.store)

    def serves(self, path: str) -> bool:
        return self._local(path) is not None

    def is_token_request(self, path: str) -> bool:
        return self._local(path) in TOKEN_PATHS

    def handle(self, request: Request) -> Response:
        path = self._local(request.path) or ""
        try:
            if path in TOKEN_PATHS:
                return self._auth.handle(request, path)
            self._auth.check(request)
            if _is_under(path, _CLASSIC):
                return self._classic.handle(request, path[len(_CLASSIC) :])
            if _is_under(path, _PRO):
                return self._pro.handle(request, path[len(_PRO) :])
            raise not_found()
        except JamfError as error:
            return self._error(error, path)

    def error_response(self, error: GraphError, request: Request) -> Response:
        """An injected fault or an emulator failure, in the form the addressed API answers with."""
        path = self._local(request.path) or ""
        message = error.message if _is_under(path, _PRO) else f"Error: {error.message}"
        return self._error(JamfError(error.status, message, error.headers, error.code), path)

    def _local(self, path: str) -> str | None:
        """The path within Jamf (e.g. /JSSResource/...), None when it is not Jamf's."""
        if self._context_path:
            return path[len(self._context_path) :] if _is_under(path, self._context_path) else None
        return path if _is_under(path, _CLASSIC) or _is_under(path, _PRO) else None

    @staticmethod
    def _error(error: JamfError, path: str) -> Response:
        return pro_error(error) if _is_under(path, _PRO) else classic_page(error)


def _is_under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")
