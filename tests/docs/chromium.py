# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Open pages in headless Chromium and give back the document it built."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome")

# No sandbox (CI runs as root in a container), and nothing that reaches the network on its own.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def find_chromium() -> str | None:
    """The Chromium executable on PATH, if any."""
    return next((found for found in map(shutil.which, NAMES) if found), None)


def dump_dom(browser: str, page: Path, timeout: float = 90) -> str:
    """The DOM Chromium built for a local page, serialised as HTML."""
    with tempfile.TemporaryDirectory(prefix="docs-chromium-") as profile:
        done = subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=timeout, check=False,
        )
    if done.returncode != 0 or "<body" not in done.stdout:
        raise AssertionError(f"{browser} could not render {page} (exit {done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def dump_doms(browser: str, pages: list[Path], workers: int = 2) -> dict[Path, str]:
    """Each page's DOM; one browser process per page, a few at a time."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(pages, pool.map(lambda page: dump_dom(browser, page), pages)))
