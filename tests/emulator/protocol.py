# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's transport-neutral request and response.

The HTTP server turns each exchange into a `Request`; `$batch` builds inner `Request`s the same
way, so routing, fault injection and logging treat both alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
PLAIN_JSON = "application/json; charset=utf-8"
PLAIN_TEXT = "text/plain; charset=utf-8"


class DropConnection(Exception):
    """Raised to close the client's connection without any response (a dropped-connection fault)."""


@dataclass
class Request:
    """One API request. `headers` keys are lower case; `body` is the raw payload."""

    method: str
    path: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    base_url: str = ""
    in_batch: bool = False

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The body parsed as JSON (None when empty). Raises ValueError when it is not JSON."""
        if not self.body.strip():
            return None
        return json.loads(self.body)


@dataclass
class Response:
    """One API response; `body` is JSON-serialisable, raw bytes sent as they are (XML, HTML), or
    None for no content."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = GRAPH_JSON
    drip: float = 0.0  # seconds between the bytes of the answer (a dripping-answer fault)

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()
