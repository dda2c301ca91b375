# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP face of the emulator: a threading HTTP/1.1 server on 127.0.0.1 (by default)."""

from __future__ import annotations

import logging
import socket
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from .app import Emulator
from .config import EmulatorConfig
from .protocol import DropConnection, Request, Response

LOG = logging.getLogger(__name__)


class EmulatorServer(ThreadingHTTPServer):
    """Serves one `Emulator`; each connection gets its own thread."""

    daemon_threads = True
    # socketserver's default backlog of 5 resets connections when parallel clients (forks, benchmarks) connect at once.
    request_queue_size = 128

    def __init__(self, config: EmulatorConfig):
        self.emulator = Emulator(config)
        super().__init__((config.host, config.port), _Handler)
        self.scheme = "http"
        if config.tls_cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(config.tls_cert, config.tls_key)
            # The handshake happens in the connection's own thread, on its first read.
            self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
            self.scheme = "https"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that drops the connection or refuses the certificate is no emulator failure."""
        if isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError)):
            LOG.debug("connection from %s ended: %s", client_address, sys.exc_info()[1])
            return
        super().handle_error(request, client_address)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"{self.scheme}://{host}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorServer

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, *args: Any) -> None:
        LOG.debug(*args)

    def _serve(self) -> None:
        request = self._read_request()
        try:
            response = self.server.emulator.handle(request)
        except DropConnection:
            self._drop()
            return
        self._write(response)

    def _read_request(self) -> Request:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        return Request(
            method=self.command,
            path=unquote(url.path),
            query_string=url.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
            base_url=f"{self.server.scheme}://{self.headers.get('Host') or self.server.base_url.split('://')[1]}",
        )

    def _write(self, response: Response) -> None:
        payload = response.payload()
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.body is not None:
            self.send_header("Content-Type", response.content_type)
        if response.status != 204:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if not response.drip:
            self.wfile.write(payload)
            return
        for index in range(len(payload)):  # ends with a broken pipe when the client gives up
            self.wfile.write(payload[index:index + 1])
            self.wfile.flush()
            time.sleep(response.drip)

    def _drop(self) -> None:
        """Closes the connection without a byte of response, as a network failure would."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
