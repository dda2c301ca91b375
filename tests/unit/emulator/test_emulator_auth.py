# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Entra token endpoint and the bearer check on Graph calls."""

import json
import time
from urllib.parse import urlencode

from tests.emulator import http_request, run_emulator

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _token_request(emulator, **overrides):
    form = {
        "grant_type": "client_credentials",
        "client_id": emulator.client_id,
        "client_secret": emulator.client_secret,
        "scope": "https://graph.microsoft.com/.default",
        **overrides,
    }
    return http_request("POST", emulator.token_url, urlencode(form).encode(), FORM)


def test_client_credentials_give_an_opaque_bearer_token(emulator):
    answer = _token_request(emulator)

    assert answer.status == 200
    assert answer.body["token_type"] == "Bearer"
    assert answer.body["expires_in"] == 3600
    assert len(answer.body["access_token"]) > 30
    assert emulator.graph("GET", "/groups", token=answer.body["access_token"]).status == 200


def test_wrong_secret_is_an_entra_invalid_client_error(emulator):
    answer = _token_request(emulator, client_secret="wrong")

    assert answer.status == 401
    assert answer.body["error"] == "invalid_client"
    assert answer.body["error_codes"] == [7000215]
    assert answer.body["error_description"].startswith("AADSTS7000215: Invalid client secret provided")
    assert {"timestamp", "trace_id", "correlation_id"} <= set(answer.body)


def test_unknown_client_is_rejected_with_aadsts700016(emulator):
    answer = _token_request(emulator, client_id="someone-else")

    assert answer.status == 400
    assert answer.body["error"] == "unauthorized_client"
    assert answer.body["error_codes"] == [700016]


def test_scope_must_end_with_default(emulator):
    answer = _token_request(emulator, scope="https://graph.microsoft.com/User.Read")

    assert answer.status == 400
    assert answer.body["error"] == "invalid_scope"


def test_any_tenant_is_accepted(emulator):
    form = {
        "grant_type": "client_credentials",
        "client_id": emulator.client_id,
        "client_secret": emulator.client_secret,
        "scope": "https://graph.microsoft.com/.default",
    }
    url = f"{emulator.base_url}/00000000-1111-2222-3333-444444444444/oauth2/v2.0/token"

    assert http_request("POST", url, urlencode(form).encode(), FORM).status == 200


def test_graph_without_a_token_is_401_invalid_authentication_token(emulator):
    answer = http_request("GET", f"{emulator.base_url}/v1.0/groups", headers={"client-request-id": "abc"})

    assert answer.status == 401
    error = answer.body["error"]
    assert error["code"] == "InvalidAuthenticationToken"
    assert error["message"] == "Access token is empty."
    assert error["innerError"]["client-request-id"] == "abc"
    assert {"date", "request-id"} <= set(error["innerError"])
    assert "www-authenticate" in answer.headers


def test_an_unknown_token_is_rejected(emulator):
    assert emulator.graph("GET", "/groups", token="not-a-token").status == 401


def test_tokens_expire_after_their_lifetime():
    with run_emulator(token_lifetime=0.05) as emu:
        token = emu.token()
        time.sleep(0.1)
        answer = emu.graph("GET", "/groups", token=token)

    assert answer.status == 401
    assert answer.body["error"]["message"] == "Lifetime validation failed, the token is expired."


def test_expire_tokens_invalidates_every_issued_token(emulator):
    token = emulator.token()
    emulator.expire_tokens()

    assert emulator.graph("GET", "/groups", token=token).status == 401
    assert emulator.graph("GET", "/groups").status == 200  # the helper fetched a new token


def test_the_client_secret_never_reaches_the_request_log(emulator):
    emulator.token()
    _token_request(emulator, client_secret="wrong-secret-value")

    logged = json.dumps(emulator.requests())
    assert emulator.client_secret not in logged
    assert "wrong-secret-value" not in logged
    token_entries = [entry for entry in emulator.requests() if entry["path"].endswith("/token")]
    assert [entry["write"] for entry in token_entries] == [False, False]
    assert token_entries[0]["body"]["client_secret"] == "**REDACTED**"
