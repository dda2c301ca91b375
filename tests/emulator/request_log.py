# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The request log: every API request the emulator answered, for tests to assert on.

Secrets never reach it: a token request's client secret is redacted and no header is kept (so
neither is a Basic authorization).
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

from .auth import redacted_form
from .errors import utc_now_text
from .protocol import Request, Response

_READS = frozenset({"GET", "HEAD"})


def is_write(request: Request, token_request: bool) -> bool:
    """Whether the request may change the tenant. A $batch only carries requests, which are
    logged (and judged) one by one; a token request changes nothing."""
    if request.method in _READS or token_request:
        return False
    return not request.path.endswith("/$batch")


def _logged_body(request: Request, token_request: bool) -> Any:
    """A token request's form (redacted), an XML body as its text, any other body parsed as JSON."""
    if token_request:
        return redacted_form(request)
    if (request.header("content-type") or "").startswith("application/octet-stream"):
        return {"bytes": len(request.body)}  # an upload block: its size is what tests look at
    if "xml" in (request.header("content-type") or ""):
        return request.body.decode("utf-8", "replace")
    try:
        return request.json()
    except ValueError:
        return None


class RequestLog:
    """An append-only, thread-safe list of request summaries."""

    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []
        self._sequence = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, request: Request, response: Response | None, fault: bool, token_request: bool) -> None:
        """Adds one entry; `response` is None when the connection was dropped."""
        entry = {
            "time": utc_now_text(),
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "status": response.status if response else None,
            "write": is_write(request, token_request),
            "batch": request.in_batch,
            "fault": fault,
            "body": _logged_body(request, token_request),
        }
        with self._lock:
            self._entries.append({"seq": next(self._sequence), **entry})

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
