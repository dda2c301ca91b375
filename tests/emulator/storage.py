# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Azure Blob Storage as Intune hands it out for app content: one blob per content file, reached
through a shared access signature (SAS) URL that expires.

Only what an upload uses: Put Block (``PUT {blob}?{sas}&comp=block&blockid={base64 id}``, the
bytes as the body, 201) and Put Block List (``PUT {blob}?{sas}&comp=blocklist``, an XML
``<BlockList>`` of ``<Latest>`` / ``<Committed>`` / ``<Uncommitted>`` ids, 201). Errors are
Azure's XML ``<Error><Code/><Message/></Error>`` with the code in ``x-ms-error-code``. Blocks are
kept in temporary files, so a 200 MB upload costs no memory here either.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import quote
from xml.etree import ElementTree

from .errors import GraphError
from .protocol import Request, Response

PREFIX = "/storage/"
ACCOUNT = "mmemustorage"
CONTAINER = "intune-content"
SAS_VERSION = "2019-02-02"
MAX_BLOCK_BYTES = 100 * 1024 * 1024  # Put Block's limit for the service version above
MAX_BLOCKS = 50_000
_XML = "application/xml"
_READ_CHUNK = 1024 * 1024


def _storage_error(status: int, code: str, message: str) -> GraphError:
    """An Azure Storage error: raised like Graph's, answered in Azure's XML."""
    return GraphError(status, code, message)


@dataclass
class Blob:
    """One content file's blob: the blocks put so far and, once a block list is put, its content."""

    directory: str
    blocks: dict[str, str] = field(default_factory=dict)  # block id -> file with its bytes
    committed: list[str] = field(default_factory=list)  # the block files, in order
    size: int = 0
    expires: float = 0.0
    signature: str = ""

    def read(self) -> Iterator[bytes]:
        """The committed content, in chunks."""
        for path in self.committed:
            with open(path, "rb") as block:
                while chunk := block.read(_READ_CHUNK):
                    yield chunk


class BlobStorage:
    """The storage account behind every content file's upload URL."""

    def __init__(self, clock: Callable[[], float] = time.time, sas_lifetime: float = 900.0):
        self.clock = clock
        self.default_lifetime = self.sas_lifetime = sas_lifetime
        self._lock = threading.Lock()
        self._root = tempfile.mkdtemp(prefix="emm-emulator-storage-")
        self._blobs: dict[str, Blob] = {}

    @staticmethod
    def serves(path: str) -> bool:
        return path.startswith(PREFIX)

    # --- what Graph's content files ask of it ---------------------------------------------------

    def new_upload_uri(self, base_url: str) -> tuple[str, str]:
        """A new blob's SAS URL and its expiry (Graph's azureStorageUriExpirationDateTime)."""
        name = f"{uuid.uuid4()}.bin"
        with self._lock:
            self._blobs[name] = Blob(tempfile.mkdtemp(dir=self._root))
        return self.renew(base_url, name)

    def renew(self, base_url: str, name: str) -> tuple[str, str]:
        """A fresh signature for the blob (renewUpload); the old URL stops working."""
        expires = self.clock() + self.sas_lifetime
        blob = self._blobs[name]
        blob.expires, blob.signature = expires, secrets.token_urlsafe(24)
        expiry = _iso(expires)
        query = f"sv={SAS_VERSION}&sr=b&sp=rcw&se={quote(expiry, safe='')}&sig={quote(blob.signature, safe='')}"
        return f"{base_url}{PREFIX}{ACCOUNT}/{CONTAINER}/{name}?{query}", expiry

    @staticmethod
    def blob_name(uri: str) -> str:
        return uri.split("?", 1)[0].rsplit("/", 1)[-1]

    def blob(self, uri: str) -> Blob | None:
        return self._blobs.get(self.blob_name(uri))

    def reset(self) -> None:
        with self._lock:
            self.sas_lifetime = self.default_lifetime
            self._blobs.clear()
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = tempfile.mkdtemp(prefix="emm-emulator-storage-")

    # --- the REST API ----------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        blob = self._authorised(request)
        if request.method != "PUT":
            raise _storage_error(405, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.")
        comp = request.query.get("comp")
        if comp == "block":
            return self._put_block(blob, request)
        if comp == "blocklist":
            return self._put_block_list(blob, request)
        raise _storage_error(400, "InvalidQueryParameterValue",
                             "Value for one of the query parameters specified in the request URI is invalid.")

    def error_response(self, error: GraphError, request: Request) -> Response:
        body = (f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{error.code}</Code>'
                f"<Message>{error.message}\nRequestId:{uuid.uuid4()}\nTime:{_iso(self.clock())}</Message></Error>")
        headers = {"x-ms-error-code": error.code, **error.headers}
        return Response(error.status, body.encode(), headers=headers, content_type=_XML)

    def _authorised(self, request: Request) -> Blob:
        parts = request.path[len(PREFIX):].split("/")
        blob = self._blobs.get(parts[-1]) if parts[:2] == [ACCOUNT, CONTAINER] and len(parts) == 3 else None
        if blob is None:
            raise _storage_error(404, "BlobNotFound", "The specified blob does not exist.")
        query = request.query
        if query.get("sig") != blob.signature or query.get("sv") != SAS_VERSION:
            raise _storage_error(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the "
                                 "value of Authorization header is formed correctly including the signature.")
        if self.clock() >= blob.expires:
            raise _storage_error(403, "AuthenticationFailed", "Server failed to authenticate the request. Signed "
                                 f"expiry time [{query.get('se')}] must be after signed start time.")
        return blob

    def _put_block(self, blob: Blob, request: Request) -> Response:
        block_id = request.query.get("blockid", "")
        try:
            decoded = base64.b64decode(block_id, validate=True)
        except (binascii.Error, ValueError):
            decoded = b""
        if not decoded or len(decoded) > 64:
            raise _storage_error(400, "InvalidQueryParameterValue", "The specified blockid is not a valid base64 "
                                 "string of at most 64 bytes.")
        if any(len(known) != len(block_id) for known in blob.blocks):
            raise _storage_error(400, "InvalidBlobOrBlock", "The specified blob or block content is invalid: every "
                                 "block id of a blob must have the same length.")
        if len(request.body) > MAX_BLOCK_BYTES:
            raise _storage_error(413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum "
                                 "permissible limit.")
        if block_id not in blob.blocks and len(blob.blocks) >= MAX_BLOCKS:
            raise _storage_error(409, "BlockCountExceedsLimit", "The uncommitted block count cannot exceed the maximum "
                                 "limit of 100,000 blocks.")
        path = os.path.join(blob.directory, f"{len(os.listdir(blob.directory))}.block")
        with open(path, "wb") as target:
            target.write(request.body)
        blob.blocks[block_id] = path
        return Response(201, None, headers=_stamped({"Content-MD5": _md5(request.body)}))

    def _put_block_list(self, blob: Blob, request: Request) -> Response:
        try:
            root = ElementTree.fromstring(request.body)
        except ElementTree.ParseError:
            root = None
        if root is None or root.tag != "BlockList":
            raise _storage_error(400, "InvalidXmlDocument", "XML specified is not syntactically valid.")
        ids = [item.text or "" for item in root if item.tag in ("Latest", "Committed", "Uncommitted")]
        missing = [block_id for block_id in ids if block_id not in blob.blocks]
        if missing or not ids:
            raise _storage_error(400, "InvalidBlockList", "The specified block list is invalid.")
        blob.committed = [blob.blocks[block_id] for block_id in ids]
        blob.size = sum(os.path.getsize(path) for path in blob.committed)
        return Response(201, None, headers=_stamped({}))


def _stamped(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "x-ms-request-id": str(uuid.uuid4()), "x-ms-version": SAS_VERSION,
            "ETag": f'"0x{secrets.token_hex(8).upper()}"'}


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()


def _iso(seconds: float) -> str:
    moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
