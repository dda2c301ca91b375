# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test .ipa files for the line-of-business upload: a zip with Payload/<name>.app/Info.plist and,
to reach a given size, a stored (uncompressed) binary of random bytes, written in chunks."""

from __future__ import annotations

import os
import plistlib
import zipfile
from pathlib import Path

_CHUNK = 1024 * 1024


def make_ipa(path: str | Path, bundle_id: str = "com.example.chat", version: str = "2.30.0", build: str = "630",
             size: int = 64 * 1024, name: str = "Chat", minimum_os: str = "15.1") -> Path:
    """Writes an .ipa of about `size` bytes; returns its path."""
    path = Path(path)
    info = plistlib.dumps({"CFBundleIdentifier": bundle_id, "CFBundleShortVersionString": version,
                           "CFBundleVersion": build, "CFBundleName": name, "MinimumOSVersion": minimum_os})
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"Payload/{name}.app/Info.plist", info, compress_type=zipfile.ZIP_DEFLATED)
        with archive.open(f"Payload/{name}.app/{name}", "w", force_zip64=size > 2**31) as binary:
            left = max(size - len(info) - 512, 0)
            while left > 0:
                chunk = os.urandom(min(_CHUNK, left))
                binary.write(chunk)
                left -= len(chunk)
    return path
