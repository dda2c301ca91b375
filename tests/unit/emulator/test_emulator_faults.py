# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault injection: throttling, server errors, slow, dripping, dropped and late responses."""

import http.client
import time
import urllib.error

import pytest
from graph_bodies import APPS

from tests.emulator import http_request


def test_a_429_carries_retry_after_and_is_consumed(emulator):
    emulator.add_fault("/groups", status=429, retry_after=3, count=2)

    answers = [emulator.graph("GET", "/groups") for _attempt in range(3)]

    assert [answer.status for answer in answers] == [429, 429, 200]
    assert answers[0].headers["retry-after"] == "3"
    assert answers[0].body["error"]["code"] == "TooManyRequests"
    assert emulator.faults() == []
    assert [entry["fault"] for entry in emulator.requests() if entry["path"] == "/v1.0/groups"] == [True, True, False]


def test_a_429_without_retry_after_still_says_when_to_retry(emulator):
    emulator.add_fault("/groups", status=429)

    assert emulator.graph("GET", "/groups").headers["retry-after"] == "1"


@pytest.mark.parametrize(("status", "code"), [(500, "InternalServerError"), (503, "ServiceUnavailable")])
def test_server_errors(emulator, status, code):
    emulator.add_fault("/groups", status=status)

    answer = emulator.graph("GET", "/groups")

    assert answer.status == status
    assert answer.body["error"]["code"] == code
    assert "innerError" in answer.body["error"]


def test_rules_match_by_method_and_regular_expression(emulator):
    emulator.add_fault(r"/mobileApps/[^/]+/assign$", status=503, method="POST")

    listed = emulator.graph("GET", APPS)
    assign = emulator.graph("POST", f"{APPS}/some-id/assign", {"mobileAppAssignments": []})

    assert listed.status == 200
    assert assign.status == 503


def test_an_unlimited_rule_stays(emulator):
    emulator.add_fault("/groups", status=500, count=None)

    assert [emulator.graph("GET", "/groups").status for _attempt in range(3)] == [500, 500, 500]
    emulator.clear_faults()
    assert emulator.graph("GET", "/groups").status == 200


def test_a_delay_slows_the_response_down(emulator):
    emulator.add_fault("/groups", delay=0.3)

    started = time.monotonic()
    answer = emulator.graph("GET", "/groups")

    assert answer.status == 200
    assert time.monotonic() - started >= 0.3


def test_a_drop_closes_the_connection_without_a_response(emulator):
    emulator.add_fault("/groups", drop=True)
    token = emulator.token()

    with pytest.raises((urllib.error.URLError, http.client.RemoteDisconnected, ConnectionError)):
        http_request("GET", f"{emulator.base_url}/v1.0/groups", headers={"Authorization": f"Bearer {token}"})
    assert emulator.graph("GET", "/groups").status == 200
    dropped = [entry for entry in emulator.requests() if entry["path"] == "/v1.0/groups"][0]
    assert (dropped["status"], dropped["fault"]) == (None, True)


def test_a_late_request_gets_no_answer_and_is_applied_later(emulator):
    emulator.add_fault(r"^/v1\.0/groups$", method="POST", late=1)
    token = emulator.token()

    with pytest.raises((urllib.error.URLError, http.client.RemoteDisconnected, ConnectionError)):
        http_request("POST", f"{emulator.base_url}/v1.0/groups", {"displayName": "Late", "securityEnabled": True},
                     headers={"Authorization": f"Bearer {token}"})
    assert emulator.state()["groups"] == []
    time.sleep(1.5)

    assert [group["displayName"] for group in emulator.state()["groups"]] == ["Late"]
    logged = [(entry["status"], entry["fault"]) for entry in emulator.requests() if entry["path"] == "/v1.0/groups"]
    assert logged == [(None, True), (201, True)]


def test_a_dripping_answer_comes_one_byte_at_a_time(emulator):
    emulator.add_fault("/groups", drip=0.05)

    started = time.monotonic()
    answer = emulator.graph("GET", "/groups")

    assert answer.status == 200 and answer.body["value"] == []
    assert time.monotonic() - started >= 0.05 * (len(b'{"value": []}') - 1)


def test_the_token_endpoint_can_fail_too(emulator):
    emulator.add_fault("/oauth2/v2.0/token", status=503, retry_after=2)

    answer = emulator.fetch_token()

    assert answer.status == 503
    assert answer.headers["retry-after"] == "2"


@pytest.mark.parametrize(
    "rule",
    [
        {"status": 429},
        {"path": "/groups"},
        {"path": "/groups", "status": 200},
        {"path": "/groups", "status": 429, "bogus": 1},
        {"path": "/groups", "late": -1},
        {"path": "/groups", "drip": True},
    ],
)
def test_malformed_rules_are_refused(emulator, rule):
    answer = http_request("POST", f"{emulator.base_url}/_emulator/faults", rule)

    assert answer.status == 400
    assert emulator.faults() == []


def test_a_reset_drops_the_requests_still_to_be_applied_late(emulator):
    emulator.add_fault(r"^/v1\.0/groups$", method="POST", late=0.5)
    token = emulator.token()
    with pytest.raises((urllib.error.URLError, http.client.RemoteDisconnected, ConnectionError)):
        http_request("POST", f"{emulator.base_url}/v1.0/groups", {"displayName": "Late", "securityEnabled": True},
                     headers={"Authorization": f"Bearer {token}"})

    emulator.reset()
    time.sleep(1)

    assert emulator.state()["groups"] == []
