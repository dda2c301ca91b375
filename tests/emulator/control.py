# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The control plane under /_emulator/: request log, state, seed, reset and fault rules.

It is shared by every vendor and part of none: no token, no faults, not logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .faults import FaultRule
from .protocol import PLAIN_JSON, Request, Response

if TYPE_CHECKING:
    from .app import Emulator

CONTROL_PREFIX = "/_emulator/"


def handle(emulator: Emulator, request: Request) -> Response:
    name = request.path[len(CONTROL_PREFIX) :].strip("/")
    handler = _ROUTES.get((request.method, name))
    if handler is None:
        allowed = sorted(method for method, route in _ROUTES if route == name)
        status = 405 if allowed else 404
        return _error(status, f"{request.method} {request.path} is not a control endpoint; allowed: {allowed}")
    try:
        return handler(emulator, request)
    except ValueError as exc:
        return _error(400, str(exc))


def _ok(body: Any = None) -> Response:
    return Response(200 if body is not None else 204, body, content_type=PLAIN_JSON)


def _error(status: int, message: str) -> Response:
    code = {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed"}[status]
    return Response(status, {"error": {"code": code, "message": message}}, content_type=PLAIN_JSON)


def _requests(emulator: Emulator, request: Request) -> Response:
    return _ok({"value": emulator.log.entries()})


def _clear_requests(emulator: Emulator, request: Request) -> Response:
    emulator.log.clear()
    return _ok()


def _state(emulator: Emulator, request: Request) -> Response:
    return _ok(emulator.state())


def _seed(emulator: Emulator, request: Request) -> Response:
    body = request.json()
    if not isinstance(body, dict) or not all(isinstance(objects, list) for objects in body.values()):
        raise ValueError('seed takes an object of collection name -> list of objects, e.g. {"groups": [...]}')
    return _ok(emulator.seed(body))


def _reset(emulator: Emulator, request: Request) -> Response:
    emulator.reset()
    return _ok()


def _faults(emulator: Emulator, request: Request) -> Response:
    return _ok({"value": emulator.faults.active()})


def _add_faults(emulator: Emulator, request: Request) -> Response:
    """Takes one rule, a list of rules, or {"expire_tokens": true}."""
    body = request.json()
    if isinstance(body, dict) and body.get("expire_tokens") is True and set(body) == {"expire_tokens"}:
        emulator.expire_tokens()
    else:
        emulator.faults.add([FaultRule.from_json(rule) for rule in (body if isinstance(body, list) else [body])])
    return _ok({"value": emulator.faults.active()})


def _clear_faults(emulator: Emulator, request: Request) -> Response:
    emulator.faults.clear()
    return _ok()


def _amapi_key(emulator: Emulator, request: Request) -> Response:
    """A service-account key file that the Android Management token endpoint accepts."""
    return _ok(emulator.amapi.key_file(request.base_url))


def _amapi_sync(emulator: Emulator, request: Request) -> Response:
    """Every Android device applies its policy's current version."""
    return _ok({"devices": emulator.amapi.store.sync()})


def _device_states(emulator: Emulator, request: Request) -> Response:
    """Sets the per-device statuses of an app configuration or a device configuration."""
    return _ok(emulator.device_states.set(request.json()))


def _lob(emulator: Emulator, request: Request) -> Response:
    """Line-of-business uploads: {"fail_commits": n} makes the next n commits end in
    commitFileFailed; {"sas_lifetime": seconds} sets how long new upload URLs live."""
    body = request.json()
    if not isinstance(body, dict) or not body or set(body) - {"fail_commits", "sas_lifetime"}:
        raise ValueError('lob takes {"fail_commits": n} and/or {"sas_lifetime": seconds}')
    if "fail_commits" in body:
        emulator.lob.fail_commits = int(body["fail_commits"])
    if "sas_lifetime" in body:
        emulator.lob.storage.sas_lifetime = float(body["sas_lifetime"])
    return _ok({"fail_commits": emulator.lob.fail_commits, "sas_lifetime": emulator.lob.storage.sas_lifetime})


_ROUTES: dict[tuple[str, str], Callable[[Emulator, Request], Response]] = {
    ("GET", "requests"): _requests,
    ("DELETE", "requests"): _clear_requests,
    ("GET", "state"): _state,
    ("POST", "seed"): _seed,
    ("POST", "reset"): _reset,
    ("GET", "faults"): _faults,
    ("POST", "faults"): _add_faults,
    ("DELETE", "faults"): _clear_faults,
    ("POST", "device-states"): _device_states,
    ("GET", "amapi/service-account-key"): _amapi_key,
    ("POST", "amapi/sync"): _amapi_sync,
    ("POST", "lob"): _lob,
}
