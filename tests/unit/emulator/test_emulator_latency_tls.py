# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""--latency (Graph's round trips) and --tls-cert/--tls-key (https, for clients that insist on it)."""

import subprocess
import sys
import time

import pytest

from tests.emulator import http_request, run_emulator, run_emulator_process
from tests.emulator.config import COLLECTION_ROOT

JSON = {"Content-Type": "application/json"}


def _timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def test_every_api_request_waits_the_latency_and_a_batch_waits_once():
    with run_emulator(latency=0.3) as emu:
        emu.token()
        answer, one = _timed(lambda: emu.graph("GET", "/groups"))
        batch = {"requests": [{"id": str(number), "method": "GET", "url": "/groups"} for number in range(6)]}
        batched, six = _timed(lambda: emu.graph("POST", "/$batch", batch))
        state, control = _timed(emu.state)

    assert answer.status == 200 and batched.status == 200
    assert one >= 0.3
    assert six < 6 * 0.3  # the inner requests share the envelope's round trip
    assert state and control < 0.3  # the control plane is no API: it never waits


def test_jitter_adds_up_to_its_seconds():
    with run_emulator(latency=0.1, latency_jitter=0.2) as emu:
        emu.token()
        waits = [_timed(lambda: emu.graph("GET", "/groups"))[1] for _attempt in range(8)]

    assert min(waits) >= 0.1
    assert len({round(wait, 3) for wait in waits}) > 1


def test_the_command_line_takes_seconds_and_jitter():
    with run_emulator_process(latency=0.25, latency_jitter=0.05) as emu:
        emu.token()
        answer, took = _timed(lambda: emu.graph("GET", "/groups"))

    assert answer.status == 200 and took >= 0.25


@pytest.mark.parametrize("value", ["fast", "-1", "0.1:x"])
def test_a_bad_latency_is_refused_naming_the_option(value):
    command = [sys.executable, "-m", "tests.emulator", "--latency", value]
    done = subprocess.run(command, cwd=COLLECTION_ROOT, capture_output=True, text=True, timeout=30, check=False)

    assert done.returncode == 2
    assert "--latency" in done.stderr and "SECONDS" in done.stderr


def test_tls_serves_https_with_the_given_certificate(tls_files):
    cert, key = tls_files
    with run_emulator(tls_cert=cert, tls_key=key) as emu:
        emu.seed(groups=[{"displayName": "a"}])
        answer = emu.graph("GET", "/groups")
        untrusted = pytest.raises(Exception, http_request, "GET", f"{emu.base_url}/_emulator/state")

    assert emu.base_url.startswith("https://127.0.0.1:")
    assert answer.status == 200
    assert answer.body["@odata.context"].startswith("https://127.0.0.1:")
    assert "CERTIFICATE_VERIFY_FAILED" in str(untrusted.value)


def test_tls_needs_both_files(tls_files):
    with pytest.raises(ValueError, match="tls_cert and tls_key"):
        run_emulator(tls_cert=tls_files[0]).__enter__()
