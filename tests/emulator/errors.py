# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Graph's error vocabulary: the exception handlers raise and the body Graph answers with."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from .protocol import Request, Response

# Graph's error code for each status the emulator can answer with (faults may pick any of them).
CODE_BY_STATUS = {
    400: "BadRequest",
    401: "InvalidAuthenticationToken",
    403: "Forbidden",
    404: "ResourceNotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    412: "PreconditionFailed",
    424: "FailedDependency",
    429: "TooManyRequests",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


class GraphError(Exception):
    """A Graph error answer: status, code and message, plus any extra headers (Retry-After)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def bad_request(message: str) -> GraphError:
    return GraphError(400, "BadRequest", message)


def segment_not_found(segment: str) -> GraphError:
    # Graph answers an unknown URL segment with 400, not 404.
    return bad_request(f"Resource not found for the segment '{segment}'.")


def method_not_allowed(method: str) -> GraphError:
    return GraphError(405, "MethodNotAllowed", f"The HTTP method '{method}' is not supported on this resource.")


def utc_now_text() -> str:
    """The current time as Graph writes it (ISO 8601, UTC, 'Z')."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def error_response(error: GraphError, request: Request) -> Response:
    """The response Graph sends for `error`, with the innerError every Graph error carries."""
    request_id = str(uuid.uuid4())
    client_request_id = request.header("client-request-id") or request_id
    body = {
        "error": {
            "code": error.code,
            "message": error.message,
            "innerError": {
                "date": utc_now_text().split(".")[0],
                "request-id": request_id,
                "client-request-id": client_request_id,
            },
        }
    }
    headers = {"request-id": request_id, "client-request-id": client_request_id, **error.headers}
    return Response(error.status, body, headers)
