# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's line-of-business upload: Graph's content versions and files with Intune's
upload states, and the Azure Storage blocks behind the SAS URLs it hands out."""

from __future__ import annotations

import hashlib
import time

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune_lob
from tests.emulator.client import http_request
from tests.emulator.ipa import make_ipa

APPS = "/deviceAppManagement/mobileApps"
LOB = {"@odata.type": "#microsoft.graph.iosLobApp", "displayName": "Chat", "bundleId": "com.example.chat",
       "fileName": "chat.ipa", "publisher": "Example", "applicableDeviceType": {"iPad": True, "iPhoneAndIPod": True},
       "minimumSupportedOperatingSystem": {"v15_0": True}}


@pytest.fixture
def ipa(tmp_path):
    return intune_lob.read_ipa(str(make_ipa(tmp_path / "chat.ipa", size=300_000)))


def graph(emulator, method, path, body=None):
    answer = emulator.graph(method, path, body, version="beta")
    assert answer.status < 300, answer.body
    return answer.body


def new_file(emulator, ipa, size_encrypted=None):
    """A new app, content version and file entry; returns the file's path and its entry once granted."""
    app = graph(emulator, "POST", APPS, LOB)
    versions = f"{APPS}/{app['id']}/microsoft.graph.iosLobApp/contentVersions"
    version = graph(emulator, "POST", versions, {})
    assert version["id"] == "1"
    entry = graph(emulator, "POST", f"{versions}/1/files", {
        "@odata.type": "#microsoft.graph.mobileAppContentFile", "name": ipa.file_name, "size": ipa.size,
        "sizeEncrypted": size_encrypted or intune_lob.encrypted_size(ipa.size), "manifest": None, "isDependency": False})
    assert (entry["uploadState"], entry["azureStorageUri"]) == ("azureStorageUriRequestPending", None)
    path = f"{versions}/1/files/{entry['id']}"
    return app, path, graph(emulator, "GET", path)


def put_blocks(uri, blocks):
    for block_id, data in blocks:
        answer = http_request("PUT", f"{uri}&comp=block&blockid={block_id}", data,
                              {"Content-Type": "application/octet-stream", "x-ms-blob-type": "BlockBlob"})
        assert answer.status == 201, answer.body
    listing = "".join(f"<Latest>{block_id}</Latest>" for block_id, _data in [blocks[-1], *blocks[:-1]])
    return http_request("PUT", f"{uri}&comp=blocklist", f"<BlockList>{listing}</BlockList>".encode(),
                        {"Content-Type": "application/xml"})


def encrypted_blocks(ipa, tamper=False):
    encrypted = intune_lob.EncryptedFile(ipa.path, intune_lob.Keys.fresh(), block_bytes=64 * 1024)
    blocks = [(intune_lob.block_id(index), data) for index, data in enumerate(encrypted.blocks(), start=1)]
    if tamper:
        blocks[0] = (blocks[0][0], blocks[0][1][:-1] + bytes([blocks[0][1][-1] ^ 1]))
    blocks.append((intune_lob.block_id(0), encrypted.mac))
    return blocks, encrypted.encryption_info(bytes.fromhex(ipa.sha256))


def committed_state(emulator, path, info):
    graph(emulator, "POST", f"{path}/commit", {"fileEncryptionInfo": info})
    return graph(emulator, "GET", path)["uploadState"]


def test_an_uploaded_and_committed_file_publishes_the_app(emulator, ipa):
    app, path, entry = new_file(emulator, ipa)
    assert entry["uploadState"] == "azureStorageUriRequestSuccess"
    assert entry["azureStorageUri"].startswith(f"{emulator.base_url}/storage/") and entry["azureStorageUriExpirationDateTime"]
    blocks, info = encrypted_blocks(ipa)
    assert put_blocks(entry["azureStorageUri"], blocks).status == 201
    assert committed_state(emulator, path, info) == "commitFileSuccess"
    assert graph(emulator, "GET", path)["isCommitted"] is True
    graph(emulator, "PATCH", f"{APPS}/{app['id']}", {"@odata.type": LOB["@odata.type"], "committedContentVersion": "1"})
    shown = graph(emulator, "GET", f"{APPS}/{app['id']}")
    assert (shown["publishingState"], shown["committedContentVersion"], shown["size"]) == ("published", "1", ipa.size)
    logged = [entry for entry in emulator.requests() if entry["path"].startswith("/storage/")]
    assert sum(entry["body"]["bytes"] for entry in logged if entry["query"].get("comp") == "block") == \
        intune_lob.encrypted_size(ipa.size)


@pytest.mark.parametrize("spoil", ["ciphertext", "digest", "size", "fault"])
def test_a_commit_that_intune_cannot_verify_fails(emulator, ipa, spoil):
    app, path, entry = new_file(emulator, ipa, size_encrypted=1 if spoil == "size" else None)
    blocks, info = encrypted_blocks(ipa, tamper=spoil == "ciphertext")
    if spoil == "digest":
        info["fileDigest"] = intune_lob._b64(hashlib.sha256(b"another file").digest())
    if spoil == "fault":
        emulator.lob(fail_commits=1)
    put_blocks(entry["azureStorageUri"], blocks)
    assert committed_state(emulator, path, info) == "commitFileFailed"
    commit_version = {"@odata.type": LOB["@odata.type"], "committedContentVersion": "1"}
    refused = emulator.graph("PATCH", f"{APPS}/{app['id']}", commit_version, version="beta")
    assert refused.status == 400 and "no committed file" in refused.body["error"]["message"]
    # A failed commit may be retried with the same blob.
    if spoil == "fault":
        assert committed_state(emulator, path, info) == "commitFileSuccess"


def test_an_expired_upload_url_is_refused_until_renewed(emulator, ipa):
    emulator.lob(sas_lifetime=0.2)
    _app, path, entry = new_file(emulator, ipa)
    time.sleep(0.3)
    refused = http_request("PUT", f"{entry['azureStorageUri']}&comp=block&blockid={intune_lob.block_id(1)}", b"x",
                           {"Content-Type": "application/octet-stream"})
    assert refused.status == 403 and refused.headers["x-ms-error-code"] == "AuthenticationFailed"
    assert "<Code>AuthenticationFailed</Code>" in refused.body
    emulator.lob(sas_lifetime=600)
    graph(emulator, "POST", f"{path}/renewUpload", {})
    assert graph(emulator, "GET", path)["uploadState"] == "azureStorageUriRenewalSuccess"
    renewed = graph(emulator, "GET", path)["azureStorageUri"]
    assert renewed != entry["azureStorageUri"]
    blocks, info = encrypted_blocks(ipa)
    assert put_blocks(renewed, blocks).status == 201
    assert committed_state(emulator, path, info) == "commitFileSuccess"


def test_storage_answers_azures_errors(emulator, ipa):
    _app, _path, entry = new_file(emulator, ipa)
    uri = entry["azureStorageUri"]
    unknown = http_request("PUT", f"{uri}&comp=blocklist", b"<BlockList><Latest>bm9uZQ==</Latest></BlockList>")
    assert unknown.status == 400 and unknown.headers["x-ms-error-code"] == "InvalidBlockList"
    forged = http_request("PUT", uri.replace("sig=", "sig=x") + f"&comp=block&blockid={intune_lob.block_id(1)}", b"x")
    assert forged.status == 403
    assert http_request("PUT", f"{uri}&comp=block&blockid=not*base64", b"x").status == 400
    assert http_request("PUT", f"{uri}&comp=block&blockid={intune_lob.block_id(1)}", b"x").status == 201
    uneven = http_request("PUT", f"{uri}&comp=block&blockid=YWJj", b"x")
    assert uneven.status == 400 and uneven.headers["x-ms-error-code"] == "InvalidBlobOrBlock"


def test_a_file_cannot_be_committed_before_its_upload_url_is_granted(emulator, ipa):
    app = graph(emulator, "POST", APPS, LOB)
    files = f"{APPS}/{app['id']}/microsoft.graph.iosLobApp/contentVersions/1/files"
    graph(emulator, "POST", f"{APPS}/{app['id']}/microsoft.graph.iosLobApp/contentVersions", {})
    entry = graph(emulator, "POST", files, {"@odata.type": "#microsoft.graph.mobileAppContentFile", "name": "chat.ipa",
                                            "size": 1, "sizeEncrypted": 64})
    early = emulator.graph("POST", f"{files}/{entry['id']}/commit", {"fileEncryptionInfo": {}}, version="beta")
    assert early.status == 400 and "azureStorageUriRequestPending" in early.body["error"]["message"]
