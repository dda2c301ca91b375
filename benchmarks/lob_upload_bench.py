#!/usr/bin/env python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Upload a custom Mattermost build's .ipa to Intune (the emulator) as a line-of-business app.

For each size (default 20 MB and 200 MB) a test .ipa is written to a temporary directory, an
iosLobApp is created, and the Intune vendor's upload runs in this process: content version, file
entry, the file encrypted (AES-256-CBC, HMAC-SHA256) and put in blocks to the emulator's storage,
committed (the emulator decrypts the blob and checks its HMAC and digest), made the committed
version. It prints, per size, the wall time of the upload, the throughput, the number of storage
requests, and the upload's peak memory: the peak of Python's allocations during the upload
(tracemalloc) and the growth of the process's peak resident size (ru_maxrss) over what the
process had reached before. Memory must stay flat: the script exits with 1 when the largest
upload's peak allocations exceed the smallest's by more than one block or reach 6 blocks (a block
is read, encrypted and sent with a few copies of it alive, whatever the file's size), or when an
app is not published with the uploaded version.

The emulator runs as a subprocess on 127.0.0.1, so its own memory (it keeps the blocks in
temporary files) is not counted. Timings depend on the machine's load; the load average is printed.

    .venv/bin/python benchmarks/lob_upload_bench.py [--sizes 20,200] [--block-mib 4]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "collections"))
sys.path.insert(0, os.path.join(HERE, ".."))

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune, intune_lob  # noqa: E402
from tests.emulator.client import run_emulator_process  # noqa: E402
from tests.emulator.ipa import make_ipa  # noqa: E402

MB = 1000 * 1000
MIB = 1024 * 1024
APPS = "/beta/deviceAppManagement/mobileApps"
FLAT_LIMIT_BLOCKS = 6


def vendor_for(emu) -> intune.IntuneVendor:
    return intune.connect({"tenant_id": "contoso.onmicrosoft.com", "client_id": emu.client_id,
                           "client_secret": emu.client_secret, "graph_url": emu.base_url, "login_url": emu.base_url,
                           "settle_seconds": 0})


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def upload_once(emu, path: Path, block_bytes: int) -> dict:
    vendor = vendor_for(emu)
    ipa = intune_lob.read_ipa(str(path))
    body = intune_lob.create_payload(intune_lob.desired_body("Chat", ipa), ipa.minimum_os)
    app = vendor.client.request("POST", APPS, json=body).body
    emu.clear_requests()
    rss_before = peak_rss_mib()
    tracemalloc.start()
    started = time.monotonic()
    upload = intune_lob.ContentUpload(vendor.client, f"{APPS}/{app['id']}", ipa, sleep=lambda seconds: time.sleep(0.05),
                                      block_bytes=block_bytes)
    version = upload.run(None)
    seconds = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    shown = vendor.client.request("GET", f"{APPS}/{app['id']}").body
    storage = [entry for entry in emu.requests() if entry["path"].startswith("/storage/")]
    return {"size": ipa.size, "seconds": seconds, "peak": peak, "rss_growth": peak_rss_mib() - rss_before,
            "uploaded": upload.uploaded_bytes, "storage_requests": len(storage),
            "published": shown.get("publishingState") == "published" and shown.get("committedContentVersion") == version}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,200", help="file sizes in MB, comma-separated")
    parser.add_argument("--block-mib", type=int, default=intune_lob.BLOCK_BYTES // MIB)
    options = parser.parse_args()
    block_bytes = options.block_mib * MIB
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}; blocks of {options.block_mib} MiB")
    problems = []
    peaks = []
    with tempfile.TemporaryDirectory() as workdir, run_emulator_process() as emu:
        print(f"{'size':>8} {'time':>8} {'MB/s':>7} {'storage requests':>17} {'peak alloc':>11} {'peak RSS +':>11}")
        for size_mb in (int(size) for size in options.sizes.split(",")):
            path = make_ipa(Path(workdir) / f"chat-{size_mb}.ipa", size=size_mb * MB)
            result = upload_once(emu, path, block_bytes)
            print(f"{size_mb:>6}MB {result['seconds']:>7.2f}s {result['size'] / MB / result['seconds']:>7.1f} "
                  f"{result['storage_requests']:>17} {result['peak'] / MIB:>9.1f}Mi {result['rss_growth']:>9.1f}Mi")
            if not result["published"]:
                problems.append(f"{size_mb} MB: the app is not published with the uploaded version")
            if result["uploaded"] != intune_lob.encrypted_size(result["size"]):
                problems.append(f"{size_mb} MB: {result['uploaded']} bytes uploaded, not the encrypted size")
            peaks.append(result["peak"])
            if result["peak"] >= FLAT_LIMIT_BLOCKS * block_bytes:
                problems.append(f"{size_mb} MB: peak allocations {result['peak'] / MIB:.1f} MiB reach "
                                f"{FLAT_LIMIT_BLOCKS} blocks")
    if len(peaks) > 1 and peaks[-1] - peaks[0] > block_bytes:
        problems.append(f"peak allocations grow with the file: {peaks[0] / MIB:.1f} MiB to {peaks[-1] / MIB:.1f} MiB")
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
