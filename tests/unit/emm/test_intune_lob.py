# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The .ipa reader and Intune's content upload against the emulator: blocks, upload URIs renewed
before they expire and after storage refuses one, and what the next run reads back."""

from __future__ import annotations

import zipfile

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune, intune_lob
from tests.emulator.ipa import make_ipa

APPS = "/beta/deviceAppManagement/mobileApps"


def vendor_for(emu) -> intune.IntuneVendor:
    return intune.connect({"tenant_id": "contoso.onmicrosoft.com", "client_id": emu.client_id,
                           "client_secret": emu.client_secret, "graph_url": emu.base_url, "login_url": emu.base_url,
                           "settle_seconds": 0})


def upload(emu, ipa, **options):
    vendor = vendor_for(emu)
    body = intune_lob.create_payload(intune_lob.desired_body("Chat", ipa), ipa.minimum_os)
    app = vendor.client.request("POST", APPS, json=body).body
    work = intune_lob.ContentUpload(vendor.client, f"{APPS}/{app['id']}", ipa, sleep=lambda seconds: None,
                                    block_bytes=64 * 1024, **options)
    version = work.run("Built by the mobile team.")
    return vendor, app["id"], version, work


def test_an_ipa_is_read_without_unpacking(tmp_path):
    ipa = intune_lob.read_ipa(str(make_ipa(tmp_path / "Chat.ipa", version="2.31.1", build="701", minimum_os="16.0")))
    assert (ipa.bundle_id, ipa.version, ipa.build, ipa.minimum_os, ipa.file_name) == (
        "com.example.chat", "2.31.1", "701", "16.0", "Chat.ipa")
    assert ipa.content == f"sha256:{ipa.sha256}" and len(ipa.sha256) == 64
    assert intune_lob.create_payload(intune_lob.desired_body("Chat", ipa), ipa.minimum_os)[
        "minimumSupportedOperatingSystem"] == {"v16_0": True}


@pytest.mark.parametrize("contents, message", [
    (None, "cannot read"),
    ({"Payload/Chat.app/Chat": b"binary"}, "found 0"),
    ({"Payload/Chat.app/Info.plist": b"<plist><dict></dict></plist>"}, "has no CFBundleIdentifier"),
])
def test_a_file_that_is_no_ipa_is_refused_before_any_request(tmp_path, contents, message):
    path = tmp_path / "broken.ipa"
    if contents is None:
        path.write_bytes(b"not a zip")
    else:
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in contents.items():
                archive.writestr(name, data)
    with pytest.raises(intune_lob.IpaError, match=message):
        intune_lob.read_ipa(str(path))


def test_the_upload_commits_and_leaves_the_digest_and_the_admins_notes(emulator, tmp_path):
    ipa = intune_lob.read_ipa(str(make_ipa(tmp_path / "Chat.ipa", size=200_000)))
    vendor, app_id, version, work = upload(emulator, ipa)
    raw = vendor.client.request("GET", f"{APPS}/{app_id}").body
    assert (version, raw["committedContentVersion"], raw["publishingState"]) == ("1", "1", "published")
    assert raw["notes"] == f"Built by the mobile team.\nmattermost.emm content sha256:{ipa.sha256}"
    assert work.uploaded_bytes == intune_lob.encrypted_size(ipa.size)
    blocks = [e for e in emulator.requests() if e["path"].startswith("/storage/") and e["query"].get("comp") == "block"]
    assert len(blocks) == -(-(ipa.size + 16) // (64 * 1024)) + 1  # IV + ciphertext in 64 KiB blocks, then the HMAC
    # The vendor reads it back as committed content, the collection's own.
    [item] = [item for item in vendor_for(emulator).list("app") if item.id == app_id]
    assert item.body["content"] == ipa.content and item.owned


def test_an_upload_uri_about_to_expire_is_renewed_first(emulator, tmp_path):
    emulator.lob(sas_lifetime=intune_lob.RENEW_MARGIN_SECONDS / 2)
    ipa = intune_lob.read_ipa(str(make_ipa(tmp_path / "Chat.ipa", size=100_000)))
    upload(emulator, ipa)
    renewals = [e for e in emulator.requests() if e["path"].endswith("/renewUpload")]
    assert renewals and all(e["status"] == 204 for e in renewals)


def test_an_upload_uri_storage_refuses_is_renewed_and_the_block_sent_again(emulator, tmp_path):
    emulator.add_fault("/storage/", status=403, count=1, method="PUT", code="AuthenticationFailed")
    ipa = intune_lob.read_ipa(str(make_ipa(tmp_path / "Chat.ipa", size=100_000)))
    _vendor, _app_id, version, _work = upload(emulator, ipa)
    assert version == "1"
    assert [e["path"].rsplit("/", 1)[-1] for e in emulator.requests() if e["path"].endswith("/renewUpload")] == ["renewUpload"]


def test_emm_info_reads_the_custom_build_as_the_collections_app(emulator, tmp_path):
    ipa = intune_lob.read_ipa(str(make_ipa(tmp_path / "Chat.ipa")))
    _vendor, app_id, _version, _work = upload(emulator, ipa)
    [app] = vendor_for(emulator).inventory([ipa.bundle_id])["apps"]
    assert (app["id"], app["type"], app["app_id"], app["owned"]) == (app_id, intune_lob.IOS_LOB_APP, ipa.bundle_id, True)
