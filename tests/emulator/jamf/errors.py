# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jamf's two error vocabularies: the Classic API's HTML status pages and the Pro API's JSON."""

from __future__ import annotations

from html import escape
from http import HTTPStatus

from ..protocol import Response

HTML = "text/html;charset=UTF-8"
JSON = "application/json;charset=UTF-8"


class JamfError(Exception):
    """An error answer; `message` is the Classic page's "Error: ..." line or the Pro description."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        code: str | None = None,
        field: str | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.code = code
        self.field = field


def conflict(message: str) -> JamfError:
    return JamfError(409, f"Error: {message}")


def bad_request(message: str) -> JamfError:
    return JamfError(400, f"Error: {message}")


def not_found() -> JamfError:
    return JamfError(404, "The server has not found anything matching the request URI")


def classic_page(error: JamfError) -> Response:
    """The HTML status page the Classic API answers every error with (clients extract its text)."""
    reason = HTTPStatus(error.status).phrase
    page = (
        "<html>\n<head>\n   <title>Status page</title>\n</head>\n"
        '<body style="font-family: sans-serif;">\n'
        f"<p><b>{escape(reason)}</b></p>\n<p>{escape(error.message)}</p>\n"
        "</body>\n</html>\n"
    )
    return Response(error.status, page.encode(), dict(error.headers), HTML)


def pro_error(error: JamfError) -> Response:
    """The Pro API's error body: {"httpStatus", "errors": [{code, description, id, field}]}."""
    cause = {
        "code": error.code or HTTPStatus(error.status).name,
        "description": error.message,
        "id": "0",
        "field": error.field,
    }
    return Response(error.status, {"httpStatus": error.status, "errors": [cause]}, dict(error.headers), JSON)
