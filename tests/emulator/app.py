# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One emulated tenant behind one base URL: the Entra token endpoint, Graph and the control plane.

Every API request, including each request inside a $batch, goes through `Emulator.handle_api`:
fault injection, then the token check, then Graph, then the request log.
"""

from __future__ import annotations

import logging
import time

from . import control
from .auth import TOKEN_PATH, TokenIssuer
from .config import EmulatorConfig
from .errors import GraphError, bad_request, error_response
from .faults import FaultBook, FaultRule
from .graph import VERSIONS, GraphApi
from .protocol import DropConnection, Request, Response
from .request_log import RequestLog
from .schema import schema_for
from .store import Store

LOG = logging.getLogger(__name__)


class Emulator:
    """The emulator's behaviour, independent of HTTP (the server feeds it `Request`s)."""

    def __init__(self, config: EmulatorConfig):
        self.config = config
        self.store = Store()
        self.tokens = TokenIssuer(config.client_id, config.client_secret, config.token_lifetime)
        self.faults = FaultBook()
        self.log = RequestLog()
        self.graph = GraphApi(
            self.store, schema_for(config.specs), config.page_size, config.listing_delay, self.handle_api
        )

    def handle(self, request: Request) -> Response:
        if request.path.startswith(control.CONTROL_PREFIX):
            return control.handle(self, request)
        return self.handle_api(request)

    def handle_api(self, request: Request) -> Response:
        """Answers one API request; raises DropConnection when a fault drops it."""
        rule = self.faults.take(request.method, request.path)
        try:
            response = self._respond(request, rule)
        except DropConnection:
            self.log.record(request, None, fault=True)
            raise
        self.log.record(request, response, fault=rule is not None)
        return response

    def reset(self) -> None:
        """An empty tenant, log and fault list (issued tokens stay valid)."""
        self.store.reset()
        self.log.clear()
        self.faults.clear()

    def _respond(self, request: Request, rule: FaultRule | None) -> Response:
        try:
            if rule:
                _inject(rule)
            return self._route(request)
        except GraphError as error:
            return error_response(error, request)
        except DropConnection:
            raise
        except Exception:  # an emulator bug: answer like Graph's own failures, keep the traceback
            LOG.exception("emulator failure on %s %s", request.method, request.path)
            return error_response(GraphError(500, "InternalServerError", "The emulator failed."), request)

    def _route(self, request: Request) -> Response:
        token_path = TOKEN_PATH.match(request.path)
        if token_path:
            return self.tokens.token_endpoint(request, token_path["tenant"])
        version = request.path.split("/")[1]
        if version not in VERSIONS:
            raise bad_request(f"Invalid version: {version}")
        if not request.in_batch:  # inner requests ride on the $batch request's token
            self.tokens.check(request)
        return self.graph.handle(request)


def _inject(rule: FaultRule) -> None:
    if rule.delay:
        time.sleep(rule.delay)
    if rule.drop:
        raise DropConnection
    if rule.status:
        raise rule.error()
