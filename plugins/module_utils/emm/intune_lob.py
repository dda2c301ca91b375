# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An organisation's own Mattermost build in Intune: an iOS line-of-business app (`iosLobApp`)
uploaded from its `.ipa`.

Intune's upload flow: a content version of the app, a file entry in it (`size`, `sizeEncrypted`),
a wait until Intune hands out the file's Azure Storage URI (`azureStorageUriRequestSuccess`), the
encrypted file put there in blocks (Put Block, then Put Block List), `commit` with the file's
encryption info, a wait for `commitFileSuccess`, and the app's `committedContentVersion` set.

The encryption is Intune's "ProfileVersion1": AES-256-CBC (PKCS7 padding) with a random key and
IV, and HMAC-SHA256 with a random key over IV + ciphertext; the uploaded file is HMAC | IV |
ciphertext and the keys, the HMAC and the plain file's SHA-256 travel with the commit. The file
is read, encrypted and sent one block at a time; the HMAC, known only at the end, is a block of
its own put last and listed first. Memory stays at about two blocks whatever the file's size.

What makes a second run upload nothing: the plain file's SHA-256 is kept in the app's `notes`
once its content version is committed; an app without a committed version (an upload that
failed half-way) gets a new content version on the next run, never a second app.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import plistlib
import re
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterator, Mapping

from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import OWNER_MARKER, Actual, ProviderError
from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import ApiError, HttpClient

try:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
except ImportError:  # reported when a file is to be encrypted, as a ProviderError naming the library
    Cipher = None

IOS_LOB_APP = "#microsoft.graph.iosLobApp"
LOB_SETTINGS = "#microsoft.graph.iosLobAppAssignmentSettings"
CONTENT_FILE = "#microsoft.graph.mobileAppContentFile"
PROFILE = "ProfileVersion1"
# What the notes of an app say about its committed content; the rest of the notes is the admins'.
_DIGEST_NOTE = re.compile(r"mattermost\.emm content sha256:([0-9a-f]{64})")
BLOCK_BYTES = 4 * 1024 * 1024
_KEY_BYTES = 32
_IV_BYTES = 16
_MAC_BYTES = 32
_AES_BLOCK = 16
# How long Intune may take to hand out a URI or to commit a file, and how often to look.
WAIT_SECONDS = 600.0
POLL_SECONDS = 2.0
# Renew the upload URI when it has less than this left (Intune's URIs live a few minutes).
RENEW_MARGIN_SECONDS = 60.0


class IpaError(ProviderError):
    """An .ipa the collection cannot upload; the message says why."""


@dataclass(frozen=True)
class Ipa:
    """What Intune needs to know of an .ipa, read from it without unpacking it."""

    path: str
    file_name: str
    bundle_id: str
    version: str
    build: str
    minimum_os: str | None
    size: int
    sha256: str

    @property
    def content(self) -> str:
        """The comparable form of the app's content: the plain file's digest."""
        return f"sha256:{self.sha256}"


def read_ipa(path: str) -> Ipa:
    """The bundle id, version and build of an .ipa (its Payload/<name>.app/Info.plist), its size
    and its SHA-256 digest, read in blocks."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if _is_app_info_plist(name)]
            if len(names) != 1:
                raise IpaError(f"ipa: {path} is not an iOS app archive: it needs exactly one Payload/<name>.app/Info.plist "
                               f"(found {len(names)}); nothing was sent")
            info = plistlib.loads(archive.read(names[0]))
    except (OSError, zipfile.BadZipFile, plistlib.InvalidFileException, ValueError) as exc:
        if isinstance(exc, IpaError):
            raise
        raise IpaError(f"ipa: cannot read {path} as an .ipa ({exc}); nothing was sent") from None
    missing = [key for key in ("CFBundleIdentifier", "CFBundleShortVersionString", "CFBundleVersion")
               if not isinstance(info.get(key), str) or not info.get(key)]
    if missing:
        raise IpaError(f"ipa: the Info.plist of {path} has no {', '.join(missing)}; nothing was sent")
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(BLOCK_BYTES):
            digest.update(chunk)
    return Ipa(path, os.path.basename(path), info["CFBundleIdentifier"], info["CFBundleShortVersionString"],
               info["CFBundleVersion"], info.get("MinimumOSVersion"), os.path.getsize(path), digest.hexdigest())


def _is_app_info_plist(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 3 and parts[0] == "Payload" and parts[1].endswith(".app") and parts[2] == "Info.plist"


# The app object ---------------------------------------------------------------------------------

def desired_body(display_name: str, ipa: Ipa) -> dict[str, Any]:
    """The fields the collection sets on the app; `content` is compared, never sent."""
    return {
        "@odata.type": IOS_LOB_APP,
        "displayName": display_name,
        "description": f"The organisation's Mattermost app. {OWNER_MARKER}",
        "publisher": "Mattermost",
        "bundleId": ipa.bundle_id,
        "fileName": ipa.file_name,
        "versionNumber": ipa.version,
        "buildNumber": ipa.build,
        "content": ipa.content,
    }


def actual(raw: Mapping[str, Any], name: str, assignments: tuple) -> Actual:
    """A line-of-business app as the engine compares it: its content is the digest in its notes,
    and none while no content version is committed."""
    body = {field: raw.get(field) or "" for field in ("displayName", "description", "publisher", "bundleId", "fileName",
                                                      "versionNumber", "buildNumber")}
    found = _DIGEST_NOTE.search(raw.get("notes") or "")
    body.update({"@odata.type": IOS_LOB_APP,
                 "content": f"sha256:{found.group(1)}" if found and raw.get("committedContentVersion") else None})
    return Actual("app", name, raw["id"], body, assignments, OWNER_MARKER in (raw.get("description") or ""),
                  variant=IOS_LOB_APP, raw=raw)


def create_payload(body: Mapping[str, Any], minimum_os: str | None) -> dict[str, Any]:
    """The POST body: what is compared, less the content, and what Intune requires on create."""
    payload = {name: value for name, value in body.items() if name != "content"}
    payload.update(applicableDeviceType={"iPad": True, "iPhoneAndIPod": True},
                   minimumSupportedOperatingSystem={_minimum_os_field(minimum_os): True})
    return payload


def update_payload(body: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != "content"}


def _minimum_os_field(version: str | None) -> str:
    """Graph's flag for the oldest iOS the app runs on (v9_0 ... v18_0); iOS 15 when unknown."""
    major = int(version.split(".")[0]) if version and version.split(".")[0].isdigit() else 15
    return f"v{min(max(major, 9), 18)}_0"


def offline_record(body: Mapping[str, Any], ipa: Ipa) -> dict[str, Any]:
    """The app as Intune holds it once the .ipa is uploaded, for the offline provider, which
    uploads nothing: the content version is the real tenant's to make."""
    return {**update_payload(body), "committedContentVersion": "<uploaded on the tenant>",
            "notes": content_notes(None, ipa)}


def content_notes(notes: str | None, ipa: Ipa) -> str:
    """The app's notes with the committed file's digest, the admins' own notes kept."""
    kept = _DIGEST_NOTE.sub("", notes or "").strip()
    return (kept + "\n" if kept else "") + f"mattermost.emm content sha256:{ipa.sha256}"


# Encryption ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Keys:
    encryption: bytes
    mac: bytes
    iv: bytes

    @classmethod
    def fresh(cls) -> Keys:
        return cls(os.urandom(_KEY_BYTES), os.urandom(_KEY_BYTES), os.urandom(_IV_BYTES))


def encrypted_size(size: int) -> int:
    """HMAC + IV + the ciphertext, which PKCS7 pads to the next whole AES block."""
    return _MAC_BYTES + _IV_BYTES + (size // _AES_BLOCK + 1) * _AES_BLOCK


class EncryptedFile:
    """The file as Intune stores it, produced block by block: `blocks()` yields IV + ciphertext in
    blocks of `block_bytes`; once they are all out, `mac` is the HMAC that goes in front of them."""

    def __init__(self, path: str, keys: Keys, block_bytes: int = BLOCK_BYTES):
        self.path = path
        self.keys = keys
        self.block_bytes = block_bytes
        self.mac: bytes | None = None

    def blocks(self) -> Iterator[bytes]:
        if Cipher is None:
            raise ProviderError("the Python library cryptography is needed to encrypt the .ipa as Intune requires: "
                                "install it on the controller (pip install cryptography)")
        encryptor = Cipher(algorithms.AES(self.keys.encryption), modes.CBC(self.keys.iv)).encryptor()
        padder = padding.PKCS7(128).padder()
        # The HMAC covers IV + ciphertext: exactly the bytes of the blocks, the IV leading the first.
        signer = hmac.new(self.keys.mac, digestmod=hashlib.sha256)
        pending = bytearray(self.keys.iv)
        with open(self.path, "rb") as source:
            while chunk := source.read(self.block_bytes):
                pending += encryptor.update(padder.update(chunk))
                while len(pending) >= self.block_bytes:
                    block = bytes(pending[:self.block_bytes])
                    del pending[:self.block_bytes]
                    signer.update(block)
                    yield block
        pending += encryptor.update(padder.finalize()) + encryptor.finalize()
        signer.update(pending)
        yield bytes(pending)
        self.mac = signer.digest()

    def encryption_info(self, file_digest: bytes) -> dict[str, str]:
        """Graph's fileEncryptionInfo, sent with the commit."""
        if self.mac is None:
            raise ValueError("the file's blocks have not all been produced yet")
        return {
            "@odata.type": "#microsoft.graph.fileEncryptionInfo",
            "encryptionKey": _b64(self.keys.encryption),
            "macKey": _b64(self.keys.mac),
            "initializationVector": _b64(self.keys.iv),
            "mac": _b64(self.mac),
            "profileIdentifier": PROFILE,
            "fileDigest": _b64(file_digest),
            "fileDigestAlgorithm": "SHA256",
        }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def block_id(index: int) -> str:
    """Azure wants every block id of a blob of one length: a fixed-width counter, base64."""
    return _b64(f"block-{index:08d}".encode())


# The upload ---------------------------------------------------------------------------------------

class ContentUpload:
    """One .ipa into a new content version of an existing iosLobApp, committed and made current."""

    def __init__(self, client: HttpClient, app_path: str, ipa: Ipa, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, wait_seconds: float = WAIT_SECONDS,
                 block_bytes: int = BLOCK_BYTES):
        self.client = client
        self.app_path = app_path  # e.g. /beta/deviceAppManagement/mobileApps/{id}
        self.ipa = ipa
        self.sleep = sleep
        self.clock = clock
        self.wait_seconds = wait_seconds
        self.block_bytes = block_bytes
        self.uploaded_bytes = 0

    def run(self, notes: str | None) -> str:
        """Uploads and commits the file; returns the committed content version's id."""
        versions = f"{self.app_path}/microsoft.graph.iosLobApp/contentVersions"
        version = self.client.request("POST", versions, json={}).body["id"]
        files = f"{versions}/{version}/files"
        entry = self.client.request("POST", files, json={
            "@odata.type": CONTENT_FILE, "name": self.ipa.file_name, "size": self.ipa.size,
            "sizeEncrypted": encrypted_size(self.ipa.size), "manifest": None, "isDependency": False,
        }).body
        file_path = f"{files}/{entry['id']}"
        granted = self._wait(file_path, "azureStorageUriRequestSuccess", "Intune did not hand out an upload URI")
        encrypted = EncryptedFile(self.ipa.path, Keys.fresh(), self.block_bytes)
        for secret in (_b64(encrypted.keys.encryption), _b64(encrypted.keys.mac)):
            self.client.add_secret(secret)
        granted = self._put_blocks(file_path, granted, encrypted)
        self.client.request("POST", f"{file_path}/commit",
                            json={"fileEncryptionInfo": encrypted.encryption_info(bytes.fromhex(self.ipa.sha256))})
        self._wait(file_path, "commitFileSuccess", "Intune did not commit the uploaded file")
        self.client.request("PATCH", self.app_path, json={"@odata.type": IOS_LOB_APP, "committedContentVersion": version,
                                                          "notes": content_notes(notes, self.ipa)})
        return version

    def _put_blocks(self, file_path: str, granted: Mapping[str, Any], encrypted: EncryptedFile) -> Mapping[str, Any]:
        """Every block, then the HMAC block, then the block list with the HMAC first."""
        count = 0
        for count, block in enumerate(encrypted.blocks(), start=1):
            granted = self._put(file_path, granted, block_id(count), block)
        granted = self._put(file_path, granted, block_id(0), encrypted.mac or b"")
        listing = "".join(f"<Latest>{block_id(index)}</Latest>" for index in range(count + 1))
        body = f'<?xml version="1.0" encoding="utf-8"?><BlockList>{listing}</BlockList>'
        self._storage_put(file_path, granted, {"comp": "blocklist"}, body.encode(), "text/plain; charset=UTF-8")
        return granted

    def _put(self, file_path: str, granted: Mapping[str, Any], block: str, data: bytes) -> Mapping[str, Any]:
        granted = self._storage_put(file_path, granted, {"comp": "block", "blockid": block}, data,
                                    "application/octet-stream")
        self.uploaded_bytes += len(data)
        return granted

    def _storage_put(self, file_path: str, granted: Mapping[str, Any], params: Mapping[str, str], data: bytes,
                     content_type: str) -> Mapping[str, Any]:
        """One request to the storage URI, renewing the URI first when it is about to expire and
        once more when storage refuses it as expired. Returns the file entry with the URI used."""
        if self._expiring(granted):
            granted = self._renew(file_path)
        for attempt in (1, 2):
            uri = granted["azureStorageUri"]
            self.client.add_secret(_sas_signature(uri))
            try:
                self.client.request("PUT", uri, body=data, params=params, authenticated=False,
                                    headers={"Content-Type": content_type, "x-ms-blob-type": "BlockBlob"})
                return granted
            except ApiError as exc:
                if exc.status != 403 or attempt == 2:  # storage refuses an expired URI with 403
                    raise
                granted = self._renew(file_path)
        return granted

    def _renew(self, file_path: str) -> Mapping[str, Any]:
        self.client.request("POST", f"{file_path}/renewUpload", json={})
        return self._wait(file_path, "azureStorageUriRenewalSuccess", "Intune did not renew the upload URI")

    def _expiring(self, granted: Mapping[str, Any]) -> bool:
        expiry = _epoch(granted.get("azureStorageUriExpirationDateTime"))
        return expiry is not None and expiry - time.time() < RENEW_MARGIN_SECONDS

    def _wait(self, file_path: str, state: str, failure: str) -> Mapping[str, Any]:
        """The file entry once it reaches `state`; a failed or timed-out state, or the wait running
        out, is an error that names the state (the next run starts a new content version)."""
        deadline = self.clock() + self.wait_seconds
        while True:
            entry = self.client.request("GET", file_path).body
            current = entry.get("uploadState") or "unknown"
            if current == state:
                return entry
            if current.endswith(("Failed", "TimedOut")) or current == "error" or self.clock() >= deadline:
                raise ProviderError(f"{failure} for {self.ipa.file_name} (upload state {current}); the app has no new "
                                    "content version yet, and the next run uploads the file again")
            self.sleep(POLL_SECONDS)


def _sas_signature(uri: str) -> str:
    found = re.search(r"[?&]sig=([^&]+)", uri)
    return found.group(1) if found else uri


def _epoch(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
