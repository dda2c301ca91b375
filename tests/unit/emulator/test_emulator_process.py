# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The `python3 -m tests.emulator` entry point."""

import signal
import subprocess
import sys
import time

from tests.emulator import run_emulator_process
from tests.emulator.config import COLLECTION_ROOT


def test_the_subprocess_prints_its_url_first_and_serves_graph():
    with run_emulator_process(client_secret="s3cret", page_size=1) as emu:
        emu.seed(groups=[{"displayName": "a"}, {"displayName": "b"}])
        answer = emu.graph("GET", "/groups")

    assert emu.base_url.startswith("http://127.0.0.1:")
    assert answer.status == 200
    assert len(answer.body["value"]) == 1
    assert "@odata.nextLink" in answer.body


def test_sigterm_stops_it_cleanly_and_quickly():
    command = [sys.executable, "-m", "tests.emulator", "--port", "0"]
    started = time.monotonic()
    with subprocess.Popen(command, cwd=COLLECTION_ROOT, stdout=subprocess.PIPE, text=True) as process:
        first_line = process.stdout.readline()
        ready = time.monotonic() - started
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=10)

    assert first_line.startswith("http://127.0.0.1:")
    assert code == 0
    assert ready < 5  # about 0.2 s on a quiet machine; generous for busy CI
