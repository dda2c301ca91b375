# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A line-of-business app's content upload, with the states Intune walks a content file through.

``POST .../mobileApps/{id}/microsoft.graph.iosLobApp/contentVersions`` makes version "1", "2", ...;
``POST .../contentVersions/{v}/files`` a file in ``azureStorageUriRequestPending``, which the next
read shows as ``azureStorageUriRequestSuccess`` with its ``azureStorageUri`` (a SAS URL of
storage.py) and its expiry. ``renewUpload`` goes through ``azureStorageUriRenewalPending`` to
``azureStorageUriRenewalSuccess`` with a new URL. ``commit`` (with ``fileEncryptionInfo``) goes to
``commitFilePending``; the next read checks the blob as Intune does and shows ``commitFileSuccess``
(``isCommitted``) or ``commitFileFailed``: the blob's size must be ``sizeEncrypted``, its first 32
bytes the HMAC-SHA256 (``macKey``) of the IV and ciphertext that follow, equal to ``mac``; the
AES-256-CBC decryption must be ``size`` bytes whose SHA-256 is ``fileDigest``. Setting an app's
``committedContentVersion`` to a committed version publishes it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .errors import GraphError, bad_request
from .kinds import CONTENT_FILES, CONTENT_VERSIONS, ODATA_TYPE
from .protocol import Request
from .storage import BlobStorage
from .store import Record

LOB_TYPES = frozenset({"#microsoft.graph.iosLobApp"})
_MAC_BYTES = 32
_IV_BYTES = 16
_UPLOAD_READY = frozenset({"azureStorageUriRequestSuccess", "azureStorageUriRenewalSuccess", "commitFileFailed"})


class LobContent:
    """What Graph does beyond storing objects for line-of-business content."""

    def __init__(self, storage: BlobStorage):
        self.storage = storage
        self.fail_commits = 0
        """Commits still to end in commitFileFailed, whatever the blob holds (a control-plane fault)."""
        self._encryption: dict[str, Mapping[str, Any]] = {}  # file id -> the fileEncryptionInfo committed

    def reset(self) -> None:
        self.fail_commits = 0
        self._encryption.clear()
        self.storage.reset()

    # --- hooks GraphApi calls ---------------------------------------------------------------------

    @staticmethod
    def new_id(kind_name: str, items: Mapping[str, Record]) -> str | None:
        """Content versions are numbered from 1, per app."""
        if kind_name != CONTENT_VERSIONS:
            return None
        return str(max((int(key) for key in items if key.isdigit()), default=0) + 1)

    def read(self, kind_name: str, record: Record, request: Request) -> None:
        """A content file moves on to its next state when it is read, as Intune's do after a moment."""
        if kind_name != CONTENT_FILES:
            return
        data = record.data
        state = data.get("uploadState")
        if state == "azureStorageUriRequestPending":
            self._grant(data, request, "azureStorageUriRequestSuccess", new=True)
        elif state == "azureStorageUriRenewalPending":
            self._grant(data, request, "azureStorageUriRenewalSuccess", new=False)
        elif state == "commitFilePending":
            committed = self._verified(data)
            data.update(uploadState="commitFileSuccess" if committed else "commitFileFailed", isCommitted=committed)

    def action(self, kind_name: str, action: str, record: Record, body: Mapping[str, Any]) -> bool:
        """Runs commit and renewUpload; False for an action this module does not handle."""
        if kind_name != CONTENT_FILES:
            return False
        state = record.data.get("uploadState")
        if action == "renewUpload":
            if record.data.get("azureStorageUri") is None:
                raise bad_request("The file has no upload URI to renew yet.")
            record.data["uploadState"] = "azureStorageUriRenewalPending"
            return True
        if state not in _UPLOAD_READY:
            raise bad_request(f"The file cannot be committed in the state '{state}'.")
        info = body.get("fileEncryptionInfo")
        if not isinstance(info, Mapping):
            raise bad_request("The parameter 'fileEncryptionInfo' is required.")
        self._encryption[record.data["id"]] = dict(info)
        record.data["uploadState"] = "commitFilePending"
        return True

    def updated(self, record: Record, body: Mapping[str, Any]) -> None:
        """committedContentVersion must name a version whose files are all committed; the app is then published."""
        if record.data.get(ODATA_TYPE) not in LOB_TYPES or "committedContentVersion" not in body:
            return
        version = record.children[CONTENT_VERSIONS].get(str(body["committedContentVersion"]))
        files = list(version.children[CONTENT_FILES].values()) if version else []
        if not files or not all(item.data.get("isCommitted") for item in files):
            raise GraphError(400, "BadRequest", f"Content version '{body['committedContentVersion']}' has no committed "
                             "file; commit its files first.")
        record.data.update(publishingState="published", size=sum(int(item.data.get("size") or 0) for item in files))

    # --- states -----------------------------------------------------------------------------------

    def _grant(self, data: dict[str, Any], request: Request, state: str, new: bool) -> None:
        if new:
            uri, expiry = self.storage.new_upload_uri(request.base_url)
        else:
            uri, expiry = self.storage.renew(request.base_url, self.storage.blob_name(data["azureStorageUri"]))
        data.update(uploadState=state, azureStorageUri=uri, azureStorageUriExpirationDateTime=expiry)

    def _verified(self, data: Mapping[str, Any]) -> bool:
        if self.fail_commits > 0:
            self.fail_commits -= 1
            return False
        blob = self.storage.blob(data.get("azureStorageUri") or "")
        info = self._encryption.get(data["id"]) or {}
        if blob is None or blob.size != data.get("sizeEncrypted"):
            return False
        try:
            keys = {name: base64.b64decode(info.get(name) or "", validate=True)
                    for name in ("encryptionKey", "macKey", "initializationVector", "mac", "fileDigest")}
        except (binascii.Error, ValueError):
            return False
        if info.get("profileIdentifier") != "ProfileVersion1" or info.get("fileDigestAlgorithm") != "SHA256":
            return False
        return _decrypts(blob.read(), keys, int(data.get("size") or 0))


def _decrypts(chunks: Iterator[bytes], keys: Mapping[str, bytes], size: int) -> bool:
    """Whether the blob is MAC | IV | AES-256-CBC(content) with the committed keys, MAC and digest."""
    if len(keys["encryptionKey"]) != 32 or len(keys["initializationVector"]) != _IV_BYTES:
        return False
    head = b""
    body = iter(chunks)
    for chunk in body:
        head += chunk
        if len(head) >= _MAC_BYTES + _IV_BYTES:
            break
    mac, iv, rest = head[:_MAC_BYTES], head[_MAC_BYTES:_MAC_BYTES + _IV_BYTES], head[_MAC_BYTES + _IV_BYTES:]
    if iv != keys["initializationVector"]:
        return False
    signer = hmac.new(keys["macKey"], iv, hashlib.sha256)
    decryptor = Cipher(algorithms.AES(keys["encryptionKey"]), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    digest = hashlib.sha256()
    plain_size = 0
    for chunk in itertools.chain([rest], body):
        signer.update(chunk)
        plain = unpadder.update(decryptor.update(chunk))
        digest.update(plain)
        plain_size += len(plain)
    try:
        plain = unpadder.update(decryptor.finalize()) + unpadder.finalize()
    except ValueError:
        return False
    digest.update(plain)
    plain_size += len(plain)
    expected_mac = signer.digest()
    return (hmac.compare_digest(mac, expected_mac) and hmac.compare_digest(keys["mac"], expected_mac)
            and plain_size == size and hmac.compare_digest(digest.digest(), keys["fileDigest"]))
