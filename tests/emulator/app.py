# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One emulated tenant behind one base URL: the Entra token endpoint, Graph, Jamf Pro, Android
Management and the control plane.

Every API request, including each request inside a $batch, goes through `Emulator.handle_api`:
fault injection, then the vendor (its token check, then its API), then the request log.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import replace
from typing import Any

from . import control, entra
from .device_states import DeviceStates
from .amapi import PREFIX as AMAPI_PREFIX
from .amapi import AmapiApi
from .auth import TOKEN_PATH, TokenIssuer
from .config import EmulatorConfig
from .errors import GraphError, bad_request, error_response
from .faults import FaultBook, FaultRule
from .graph import VERSIONS, GraphApi
from .jamf import PREFIX as JAMF_PREFIX
from .jamf import JamfApi
from .lob import LobContent
from .protocol import DropConnection, Request, Response
from .request_log import RequestLog
from .schema import schema_for
from .storage import BlobStorage
from .store import Store

LOG = logging.getLogger(__name__)


class Emulator:
    """The emulator's behaviour, independent of HTTP (the server feeds it `Request`s)."""

    def __init__(self, config: EmulatorConfig):
        self.config = config
        self.store = Store()
        self.tokens = TokenIssuer(config.client_id, config.client_secret, config.token_lifetime)
        self.faults = FaultBook()
        self._late: list[threading.Timer] = []  # requests still to be applied late
        self.log = RequestLog()
        self.lob = LobContent(BlobStorage())
        self.graph = GraphApi(
            self.store, schema_for(config.specs), config.page_size, config.listing_delay, self.handle_api, self.lob
        )
        self.jamf = JamfApi(config)
        self.device_states = DeviceStates(self.store)
        self.amapi = AmapiApi(config)

    def handle(self, request: Request) -> Response:
        """One HTTP request. API requests wait the configured latency first (once per HTTP
        request: the requests inside a $batch share their envelope's round trip)."""
        if request.path.startswith(control.CONTROL_PREFIX):
            return control.handle(self, request)
        if self.config.latency or self.config.latency_jitter:
            time.sleep(self.config.latency + random.uniform(0, self.config.latency_jitter))
        return self.handle_api(request)

    def handle_api(self, request: Request) -> Response:
        """Answers one API request; raises DropConnection when a fault drops it."""
        rule = self.faults.take(request.method, request.path)
        if rule and rule.late:
            self._apply_late(request, rule)
        try:
            response = self._respond(request, rule)
        except DropConnection:
            self.log.record(request, None, fault=True, token_request=self._is_token_request(request))
            raise
        self.log.record(request, response, fault=rule is not None, token_request=self._is_token_request(request))
        return replace(response, drip=rule.drip) if rule and rule.drip else response

    def _apply_late(self, request: Request, rule: FaultRule) -> None:
        """Applies `request` `rule.late` seconds from now, as a server still busy with it after the
        client gave up would; the client gets no answer (after `rule.delay`)."""
        def apply() -> None:
            response = self._respond(request, None)
            self.log.record(request, response, fault=True, token_request=False)

        timer = threading.Timer(rule.late, apply)
        self._late.append(timer)
        timer.start()
        if rule.delay:
            time.sleep(rule.delay)
        self.log.record(request, None, fault=True, token_request=False)
        raise DropConnection

    def reset(self) -> None:
        """An empty tenant, log and fault list (issued tokens stay valid)."""
        self.store.reset()
        self.device_states.reset()
        self.jamf.store.reset()
        self.amapi.store.reset()
        self.lob.reset()
        self.log.clear()
        self.faults.clear()
        for timer in self._late:  # a late request never reaches the next test's tenant
            timer.cancel()
        self._late.clear()

    def expire_tokens(self) -> None:
        """Expires every token issued so far, by every vendor."""
        self.tokens.expire_all()
        self.jamf.tokens.expire_all()
        self.amapi.tokens.expire_all()

    def state(self) -> dict[str, list[dict[str, Any]]]:
        """Graph's collections, then Jamf's (named "jamf/...") and Android Management's ("amapi/...")."""
        return {**self.store.dump(), **self.jamf.store.dump(), **self.amapi.store.dump()}

    def seed(self, collections: dict[str, list[Any]]) -> dict[str, list[dict[str, Any]]]:
        """Seeds each vendor with its collections; raises ValueError for an unknown one."""
        jamf = {name: objects for name, objects in collections.items() if name.startswith(JAMF_PREFIX)}
        amapi = {name: objects for name, objects in collections.items() if name.startswith(AMAPI_PREFIX)}
        graph = {name: objects for name, objects in collections.items() if name not in jamf and name not in amapi}
        return {**self.store.seed(graph), **self.jamf.store.seed(jamf), **self.amapi.store.seed(amapi)}

    def _is_token_request(self, request: Request) -> bool:
        return (TOKEN_PATH.match(request.path) is not None or self.jamf.is_token_request(request.path)
                or self.amapi.is_token_request(request.path))

    def _respond(self, request: Request, rule: FaultRule | None) -> Response:
        serve, answer_error = (
            (self.lob.storage.handle, self.lob.storage.error_response)
            if self.lob.storage.serves(request.path)
            else (self.jamf.handle, self.jamf.error_response)
            if self.jamf.serves(request.path)
            else (self.amapi.handle, self.amapi.error_response)
            if self.amapi.serves(request.path)
            else (self._route, error_response)
        )
        try:
            if rule:
                _inject(rule)
            return serve(request)
        except GraphError as error:
            return answer_error(error, request)
        except DropConnection:
            raise
        except Exception:  # an emulator bug: answer like the vendor's own failures, keep the traceback
            LOG.exception("emulator failure on %s %s", request.method, request.path)
            return answer_error(GraphError(500, "InternalServerError", "The emulator failed."), request)

    def _route(self, request: Request) -> Response:
        """Graph and Entra (its token endpoint and discovery documents)."""
        token_path = TOKEN_PATH.match(request.path)
        if token_path:
            return self.tokens.token_endpoint(request, token_path["tenant"])
        if entra.serves(request.path):
            return entra.handle(request)
        version = request.path.split("/")[1]
        if version not in VERSIONS:
            raise bad_request(f"Invalid version: {version}")
        if not request.in_batch:  # inner requests ride on the $batch request's token
            self.tokens.check(request)
        if self.device_states.serves(request.path):
            return self.device_states.handle(request)
        return self.graph.handle(request)


def _inject(rule: FaultRule) -> None:
    if rule.delay:
        time.sleep(rule.delay)
    if rule.drop:
        raise DropConnection
    if rule.status:
        raise rule.error()
