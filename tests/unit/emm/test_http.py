# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP client over real HTTP: against the Graph emulator, and a scripted local server for
answers the emulator does not give."""

from __future__ import annotations

import email.utils
import socket
import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.mattermost.emm.plugins.module_utils.emm.http import (
    REDACTED,
    ApiError,
    BatchRequest,
    BearerToken,
    ClientCredentials,
    HttpClient,
    NotFound,
    RetryPolicy,
    TransportError,
    retry_after_seconds,
)
from tests.emulator.client import GRAPH_SCOPE

GROUPS = "/groups"


def group(name):
    return {"displayName": name, "mailEnabled": False, "mailNickname": name.replace(" ", ""), "securityEnabled": True}


def credentials(emu, secret=None, client_id=None, **options):
    return ClientCredentials(
        emu.token_url, client_id or emu.client_id, secret or emu.client_secret, GRAPH_SCOPE, **options
    )


@pytest.fixture
def waits():
    """The pauses the client asked for; recorded instead of slept."""
    return []


@pytest.fixture
def graph(emulator, waits):
    """graph(**options) -> an HttpClient for the emulator's Graph v1.0 with a client-credentials token."""

    def make(auth=None, **options):
        options.setdefault("sleep", waits.append)
        options.setdefault("use_proxy", False)
        return HttpClient(f"{emulator.base_url}/v1.0", auth=auth or credentials(emulator), **options)

    return make


def logged(emu, path_end, method=None):
    """The emulator's log entries whose path ends with `path_end`."""
    return [
        entry
        for entry in emu.requests()
        if entry["path"].endswith(path_end) and (method is None or entry["method"] == method)
    ]


def wait_for_log(emu, path_end, count, method=None):
    """Waits (up to 5 s) until the emulator logged `count` such requests: a slowed request is
    logged only when the server is done with it, after the client gave up on it."""
    deadline = time.monotonic() + 5
    while len(logged(emu, path_end, method)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return logged(emu, path_end, method)


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- tokens -----------------------------------------------------------------------------------


def test_token_is_fetched_once_reused_and_redacted(emulator, graph):
    auth = credentials(emulator)
    client = graph(auth)

    client.request("GET", GROUPS)
    client.request("GET", GROUPS)

    assert len(logged(emulator, "/oauth2/v2.0/token")) == 1
    assert len(logged(emulator, "/v1.0/groups")) == 2
    token = auth.headers(client)["Authorization"].split()[1]
    assert client.redact(f"Bearer {token}") == f"Bearer {REDACTED}"
    assert client.redact(emulator.client_secret) == REDACTED
    assert not any(token in line or emulator.client_secret in line for line in client.log)


def test_wrong_secret_raises_entras_error_without_the_secret(emulator, graph):
    secret = "wrong-secret-Zx9~q"
    client = graph(credentials(emulator, secret=secret))

    with pytest.raises(ApiError) as caught:
        client.request("GET", GROUPS)

    error = caught.value
    assert (error.status, error.code) == (401, "invalid_client")
    assert error.message.startswith("AADSTS7000215: Invalid client secret provided.")
    assert str(error).startswith(f"POST {emulator.token_url}: 401 invalid_client: AADSTS7000215")
    for text in (str(error), repr(error), str(error.body), "\n".join(client.log)):
        assert secret not in text
    assert len(logged(emulator, "/oauth2/v2.0/token")) == 1
    assert logged(emulator, "/v1.0/groups") == []


def test_a_registered_value_echoed_by_the_server_is_redacted(emulator, graph):
    client_id = "contoso-app-7c1e"
    client = graph(credentials(emulator, client_id=client_id), secrets=[client_id])

    with pytest.raises(ApiError) as caught:
        client.request("GET", GROUPS)

    assert caught.value.code == "unauthorized_client"
    assert f"identifier '{REDACTED}' was not found" in caught.value.message
    assert client_id not in str(caught.value) + repr(caught.value.body)


def test_expired_token_is_renewed_transparently(emulator, graph):
    client = graph()
    client.request("GET", GROUPS)
    emulator.expire_tokens()

    assert client.request("GET", GROUPS).status == 200

    statuses = [(entry["path"].rsplit("/", 1)[1], entry["status"]) for entry in emulator.requests()]
    assert statuses == [("token", 200), ("groups", 200), ("groups", 401), ("token", 200), ("groups", 200)]
    assert client.stats["retries"] == 1


def test_token_is_renewed_shortly_before_it_expires(emulator, graph):
    now = [1000.0]
    client = graph(credentials(emulator, clock=lambda: now[0]))
    client.request("GET", GROUPS)

    now[0] += 3600 - 120
    client.request("GET", GROUPS)
    assert len(logged(emulator, "/oauth2/v2.0/token")) == 1

    now[0] += 90  # within the last minute of the token's hour
    client.request("GET", GROUPS)
    assert len(logged(emulator, "/oauth2/v2.0/token")) == 2
    assert [entry["status"] for entry in logged(emulator, "/v1.0/groups")] == [200, 200, 200]


def test_a_static_token_that_stops_working_raises_after_one_retry(emulator, graph):
    token = emulator.token()
    client = graph(BearerToken(token))
    client.request("GET", GROUPS)
    emulator.expire_tokens()

    with pytest.raises(ApiError) as caught:
        client.request("GET", GROUPS)

    assert (caught.value.status, caught.value.code) == (401, "InvalidAuthenticationToken")
    assert [entry["status"] for entry in logged(emulator, "/v1.0/groups")] == [200, 401, 401]
    assert token not in repr(caught.value.body) + "\n".join(client.log)


# --- retries ----------------------------------------------------------------------------------


def test_throttling_waits_exactly_as_long_as_retry_after_says(emulator, graph, waits):
    emulator.add_fault(GROUPS, 429, retry_after=2, count=3)

    assert graph().request("GET", GROUPS).status == 200

    assert waits == [2, 2, 2]
    assert [entry["status"] for entry in logged(emulator, "/v1.0/groups")] == [429, 429, 429, 200]


def test_a_retry_after_longer_than_max_delay_is_capped(emulator, graph, waits):
    emulator.add_fault(GROUPS, 429, retry_after=600, count=1)

    graph(retry=RetryPolicy(max_delay=5)).request("GET", GROUPS)

    assert waits == [5]


def test_server_errors_are_retried_with_growing_jittered_backoff(emulator, graph, waits):
    emulator.add_fault(GROUPS, 500, count=3)

    assert graph(retry=RetryPolicy(base_delay=1)).request("GET", GROUPS).status == 200

    assert len(waits) == 3
    for retry, wait in enumerate(waits, start=1):
        ceiling = 2 ** (retry - 1)
        assert ceiling / 2 <= wait <= ceiling


def test_a_server_error_storm_raises_after_the_attempts(emulator, graph, waits):
    emulator.add_fault(GROUPS, 503, count=None)

    with pytest.raises(ApiError) as caught:
        graph(retry=RetryPolicy(attempts=4)).request("GET", GROUPS)

    assert (caught.value.status, caught.value.code) == (503, "ServiceUnavailable")
    assert not isinstance(caught.value, NotFound)
    assert len(logged(emulator, "/v1.0/groups")) == 4
    assert len(waits) == 3


def test_the_total_wait_budget_is_never_exceeded(emulator, graph, waits):
    emulator.add_fault(GROUPS, 429, retry_after=3, count=None)

    with pytest.raises(ApiError) as caught:
        graph(retry=RetryPolicy(attempts=100, max_total=10)).request("GET", GROUPS)

    assert caught.value.status == 429
    assert waits == [3, 3, 3]
    assert len(logged(emulator, "/v1.0/groups")) == 4


def test_the_default_sleeper_really_waits_briefly(emulator, graph):
    emulator.add_fault(GROUPS, 502, count=2)
    started = time.monotonic()

    graph(sleep=time.sleep, retry=RetryPolicy(base_delay=0.05)).request("GET", GROUPS)

    assert 0.05 <= time.monotonic() - started < 2


def test_a_post_is_retried_after_429_but_not_after_a_500(emulator, graph, waits):
    client = graph()
    emulator.add_fault(GROUPS, 429, method="POST", count=1)
    assert client.request("POST", GROUPS, json=group("Throttled")).status == 201

    emulator.add_fault(GROUPS, 500, method="POST", count=1)
    with pytest.raises(ApiError) as caught:
        client.request("POST", GROUPS, json=group("Failed"))

    assert caught.value.status == 500
    assert waits == [1]
    assert [entry["status"] for entry in logged(emulator, "/v1.0/groups", "POST")] == [429, 201, 500]


# --- lost connections ---------------------------------------------------------------------------


def test_a_dropped_get_is_retried(emulator, graph, waits):
    emulator.add_fault(GROUPS, drop=True, count=1)
    client = graph()

    assert client.request("GET", GROUPS).status == 200

    assert [entry["status"] for entry in logged(emulator, "/v1.0/groups")] == [None, 200]
    assert len(waits) == 1
    assert "GET /v1.0/groups -> no answer: RemoteDisconnected" in client.log[1]


def test_a_dropped_post_is_raised_and_never_resent(emulator, graph, waits):
    emulator.add_fault(GROUPS, drop=True, method="POST", count=1)

    with pytest.raises(TransportError) as caught:
        graph().request("POST", GROUPS, json=group("Once"))

    assert caught.value.status is None
    assert "not re-sent" in str(caught.value)
    assert str(caught.value).startswith(f"POST {emulator.base_url}/v1.0/groups: no answer: RemoteDisconnected")
    assert len(logged(emulator, "/v1.0/groups", "POST")) == 1
    assert waits == []


def test_a_post_that_timed_out_is_not_resent_though_the_server_applied_it(emulator, graph):
    emulator.add_fault(GROUPS, delay=0.6, method="POST", count=1)

    with pytest.raises(TransportError) as caught:
        graph(timeout=0.2).request("POST", GROUPS, json=group("Slow"))

    assert "TimeoutError" in str(caught.value)
    assert len(wait_for_log(emulator, "/v1.0/groups", 1, "POST")) == 1
    assert [item["displayName"] for item in emulator.state()["groups"]] == ["Slow"]


def test_a_get_that_timed_out_is_retried(emulator, graph):
    emulator.add_fault(GROUPS, delay=0.6, method="GET", count=1)
    client = graph(timeout=0.2)

    assert client.request("GET", GROUPS).status == 200
    assert "no answer: TimeoutError" in client.log[1]
    assert len(wait_for_log(emulator, "/v1.0/groups", 2)) == 2


def test_a_refused_connection_fails_at_once_saying_to_check_the_url(waits):
    url = f"http://127.0.0.1:{closed_port()}"
    client = HttpClient(url, sleep=waits.append, retry=RetryPolicy(attempts=3), use_proxy=False)

    with pytest.raises(TransportError) as caught:
        client.request("GET", "/things")

    assert "ConnectionRefusedError" in str(caught.value)
    assert "not retried" in str(caught.value) and "check the URL" in str(caught.value)
    assert waits == []
    assert client.stats["requests"] == 1


# --- errors -----------------------------------------------------------------------------------


def test_404_raises_not_found_with_graphs_code_and_request_id(emulator, graph):
    with pytest.raises(NotFound) as caught:
        graph().request("GET", f"{GROUPS}/no-such-id")

    error = caught.value
    assert (error.status, error.code) == (404, "Request_ResourceNotFound")
    url = f"{emulator.base_url}/v1.0/groups/no-such-id"
    assert str(error) == f"GET {url}: 404 Request_ResourceNotFound: {error.message}"
    assert "no-such-id" in error.message
    assert error.request_id == error.body["error"]["innerError"]["request-id"]


def test_other_client_errors_are_api_errors_not_not_found(emulator, graph):
    with pytest.raises(ApiError) as caught:
        graph().request("GET", "/noSuchCollection")

    assert not isinstance(caught.value, NotFound)
    assert (caught.value.status, caught.value.code) == (400, "BadRequest")


def test_a_secret_in_the_url_is_redacted_in_the_error_and_log(emulator, graph):
    secret = "p@ss word/42"
    client = graph(secrets=[secret])

    with pytest.raises(ApiError) as caught:
        client.request("GET", f"/{secret}")

    everything = str(caught.value) + repr(caught.value) + repr(caught.value.body) + "\n".join(client.log)
    assert "p%40ss%20word" not in everything and "p@ss word" not in everything
    assert REDACTED in caught.value.url and REDACTED in client.log[-1]


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"error": "invalid_grant", "error_description": "token revoked"}, "invalid_grant", "token revoked"),
        (
            {"httpStatus": 400, "errors": [{"code": "INVALID_FIELD", "description": "name is taken", "id": "0"}]},
            "INVALID_FIELD",
            "name is taken",
        ),
        ({"errorCode": 1003, "message": "Smart group not found"}, "1003", "Smart group not found"),
        ("<html><body>\n  Bad   gateway\n</body></html>", None, "<html><body> Bad gateway </body></html>"),
        (
            '<html><body><p style="font-weight: bold">Conflict</p>\n<p>Error: Duplicate name &amp; bundle\n id</p>'
            '<p>You can get technical details <a href="x">here</a>.</p></body></html>',
            None,
            "Duplicate name & bundle id",
        ),
        (None, None, "Bad Request"),
    ],
    ids=["oauth2", "jamf", "workspace-one", "text", "jamf-classic-html", "empty"],
)
def test_error_answers_of_every_shape_are_read(scripted, body, code, message):
    scripted.answer(400, body, {"x-request-id": "req-7"})
    client = HttpClient(scripted.base_url, use_proxy=False)

    with pytest.raises(ApiError) as caught:
        client.request("PUT", "/api/thing", body="<thing/>", headers={"Content-Type": "application/xml"})

    assert (caught.value.status, caught.value.code, caught.value.message) == (400, code, message)
    assert caught.value.request_id == "req-7"
    assert scripted.received[0].headers["content-type"] == "application/xml"
    assert scripted.received[0].body == b"<thing/>"


def test_an_http_date_retry_after_is_honoured(scripted, waits):
    later = email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(seconds=20), usegmt=True)
    scripted.answer(503, "busy", {"Retry-After": later})
    scripted.answer(200, {"ok": True})
    client = HttpClient(scripted.base_url, sleep=waits.append, use_proxy=False)

    assert client.request("GET", "/x").body == {"ok": True}
    assert len(waits) == 1 and 17 <= waits[0] <= 20


def test_retry_after_values():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0
    assert retry_after_seconds("-3") == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_a_post_redirect_is_an_error_and_a_get_redirect_drops_the_token(scripted):
    client = HttpClient(scripted.base_url, auth=BearerToken("tok-123456"), use_proxy=False)
    scripted.answer(302, None, {"Location": "/elsewhere"})
    with pytest.raises(ApiError) as caught:
        client.request("POST", "/create", json={})
    assert caught.value.status == 302
    assert [request.method for request in scripted.received] == ["POST"]

    scripted.answer(302, None, {"Location": "/blob"})
    scripted.answer(200, "content")
    assert client.request("GET", "/download").body == "content"
    first, second = scripted.received[1:]
    assert first.headers["authorization"] == "Bearer tok-123456"
    assert (second.path, second.headers.get("authorization")) == ("/blob", None)


# --- paging -----------------------------------------------------------------------------------


def test_get_all_follows_next_links_in_order(emulator, graph):
    names = [f"Team {n}" for n in range(5)]
    emulator.seed(groups=[{"displayName": name} for name in names])

    items = graph().get_all(GROUPS, params={"$top": 2, "$select": "id,displayName"})

    assert [item["displayName"] for item in items] == names
    assert [entry["query"].get("$top") for entry in logged(emulator, "/v1.0/groups")] == ["2", "2", "2"]


def test_params_are_encoded_so_odata_filters_arrive_intact(emulator, graph):
    emulator.seed(groups=[{"displayName": "R&D + Ops #1"}, {"displayName": "Sales"}])
    odata_filter = "displayName eq 'R&D + Ops #1'"

    items = graph().get_all(GROUPS, params={"$filter": odata_filter})

    assert [item["displayName"] for item in items] == ["R&D + Ops #1"]
    assert logged(emulator, "/v1.0/groups")[0]["query"] == {"$filter": odata_filter}


class BreakAfterFirstPage:
    """Client credentials that make every listing request after the first one fail."""

    def __init__(self, emu):
        self.emu = emu
        self.inner = credentials(emu)
        self.calls = 0

    def headers(self, client):
        self.calls += 1
        if self.calls == 2:
            self.emu.add_fault(GROUPS, 503, count=None)
        return self.inner.headers(client)

    def invalidate(self):
        self.inner.invalidate()


def test_a_failure_on_a_later_page_raises_instead_of_returning_part(emulator, graph):
    emulator.seed(groups=[{"displayName": f"Team {n}"} for n in range(5)])

    with pytest.raises(ApiError) as caught:
        graph(BreakAfterFirstPage(emulator), retry=RetryPolicy(attempts=2)).get_all(GROUPS, params={"$top": 2})

    assert caught.value.status == 503
    assert [entry["status"] for entry in logged(emulator, "/v1.0/groups")] == [200, 503, 503]


def test_a_next_link_that_loops_raises(scripted):
    scripted.answer(200, {"value": [1], "@odata.nextLink": f"{scripted.base_url}/page2"})
    scripted.answer(200, {"value": [2], "@odata.nextLink": f"{scripted.base_url}/page2"})
    client = HttpClient(scripted.base_url, use_proxy=False)

    with pytest.raises(ApiError, match="repeats an earlier page"):
        client.get_all("/page1")
    assert len(scripted.received) == 2


# --- batching ---------------------------------------------------------------------------------


def test_a_batch_of_45_takes_3_calls_and_answers_in_order(emulator, graph):
    client = graph()
    requests = [BatchRequest("POST", GROUPS, group(f"Team {n}")) for n in range(45)]

    answers = client.batch(requests)

    assert [answer.status for answer in answers] == [201] * 45
    assert [answer.body["displayName"] for answer in answers] == [f"Team {n}" for n in range(45)]
    assert len(logged(emulator, "/v1.0/$batch")) == 3
    assert len(emulator.writes()) == 45
    assert [line.split(" (")[0] for line in client.log[1:]] == ["POST /v1.0/$batch -> 200"] * 3
    assert [line.split("(")[1].split(",")[0] for line in client.log[1:]] == ["20 inner", "20 inner", "5 inner"]


def test_a_429_inside_a_batch_resends_only_that_request(emulator, graph, waits):
    emulator.add_fault(GROUPS, 429, retry_after=4, method="POST", count=1)
    client = graph()
    requests = [BatchRequest("POST", GROUPS, group(f"Team {n}")) for n in range(3)]

    answers = client.batch(requests)

    assert [answer.status for answer in answers] == [201, 201, 201]
    assert [answer.body["displayName"] for answer in answers] == ["Team 0", "Team 1", "Team 2"]
    assert waits == [4]
    assert len(emulator.state()["groups"]) == 3
    assert [line.split("(")[1].split(",")[0] for line in client.log[1:]] == ["3 inner", "1 inner"]


def test_errors_inside_a_batch_are_returned_for_the_caller_to_raise(emulator, graph):
    # As the Intune provider uses it: the client at the Graph root, the batch on one version.
    client = HttpClient(emulator.base_url, auth=credentials(emulator), use_proxy=False)
    (existing,) = emulator.seed(groups=[{"displayName": "Existing"}])["groups"]
    requests = [
        BatchRequest("GET", f"{GROUPS}/{existing['id']}"),
        BatchRequest("GET", "/noSuchCollection"),
        BatchRequest("GET", f"{GROUPS}/missing"),
    ]

    found, bad, missing = client.batch(requests, url="/beta/$batch")

    assert (found.status, bad.status, missing.status) == (200, 400, 404)
    assert client.raise_for(found, requests[0]) is found
    with pytest.raises(ApiError) as caught:
        client.raise_for(bad, requests[1])
    assert caught.value.code == "BadRequest" and not isinstance(caught.value, NotFound)
    assert str(caught.value).startswith(f"GET {emulator.base_url}/beta/noSuchCollection: 400 BadRequest: ")
    with pytest.raises(NotFound) as caught:
        client.raise_for(missing, requests[2])
    assert caught.value.url == f"{emulator.base_url}/beta/groups/missing"


def test_a_batch_with_a_post_that_got_no_answer_is_not_resent(emulator, graph):
    emulator.add_fault("/v1.0/$batch", drop=True, count=1)
    requests = [BatchRequest("GET", GROUPS), BatchRequest("POST", GROUPS, group("Once"))]

    with pytest.raises(TransportError):
        graph().batch(requests)

    assert len(logged(emulator, "/v1.0/$batch")) == 1


def test_a_batch_of_reads_that_got_no_answer_is_resent(emulator, graph):
    emulator.add_fault("/v1.0/$batch", drop=True, count=1)

    answers = graph().batch([BatchRequest("GET", GROUPS), BatchRequest("GET", GROUPS)])

    assert [answer.status for answer in answers] == [200, 200]
    assert [entry["status"] for entry in logged(emulator, "/v1.0/$batch")] == [None, 200]


def test_stats_count_requests_retries_and_batched_requests(emulator, graph):
    client = graph()
    emulator.add_fault(GROUPS, 429, count=1)

    client.request("GET", GROUPS)
    client.request("POST", GROUPS, json=group("One"))
    client.batch([BatchRequest("GET", GROUPS)] * 3)

    assert client.stats == {"requests": 5, "batched": 3, "retries": 1, "POST": 3, "GET": 2}
    assert len(client.log) == 5


# --- TLS --------------------------------------------------------------------------------------


def test_certificates_are_validated_by_default(tls_scripted, waits):
    client = HttpClient(tls_scripted.base_url, sleep=waits.append, use_proxy=False)

    with pytest.raises(TransportError) as caught:
        client.request("GET", "/x")

    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert waits == [] and tls_scripted.received == []


def test_validation_can_be_turned_off_or_given_a_ca(tls_scripted, self_signed):
    tls_scripted.answer(200, {"ok": 1})
    tls_scripted.answer(200, {"ok": 2})

    unchecked = HttpClient(tls_scripted.base_url, validate_certs=False, use_proxy=False)
    trusting = HttpClient(tls_scripted.base_url, ca_path=str(self_signed[0]), use_proxy=False)

    assert unchecked.request("GET", "/x").body == {"ok": 1}
    assert trusting.request("GET", "/x").body == {"ok": 2}


# --- redaction --------------------------------------------------------------------------------

_NO_STARS = st.characters(blacklist_characters="*", blacklist_categories=("Cs",))


@settings(max_examples=200, deadline=None)
@given(
    secrets=st.lists(st.text(_NO_STARS, min_size=1, max_size=8), min_size=1, max_size=4),
    fillers=st.lists(st.text(_NO_STARS, max_size=6), min_size=1, max_size=6),
)
def test_no_registered_secret_survives_redaction(secrets, fillers):
    client = HttpClient("http://127.0.0.1", secrets=secrets)
    text = "".join(filler + secrets[n % len(secrets)] for n, filler in enumerate(fillers))

    redacted = client.redact(text)

    assert not any(secret in redacted for secret in secrets)


def test_redaction_covers_url_and_json_spellings_and_overlaps():
    client = HttpClient("http://127.0.0.1", secrets=["a+b/c", "abcdef", "defgh"])

    assert client.redact("q=a%2Bb%2Fc&r=a%2Bb/c&s=a+b/c") == f"q={REDACTED}&r={REDACTED}&s={REDACTED}"
    assert client.redact("xxabcdefghxx") == f"xx{REDACTED}xx"
    assert client.redact("nothing here") == "nothing here"
