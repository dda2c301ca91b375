# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one HTTP client every EMM provider uses.

`HttpClient` sends JSON, form or raw bodies with the TLS, proxy and timeout options of
`ansible.module_utils.urls`, adds authentication (`BearerToken`, `ClientCredentials`), retries what
is safe to retry (429 with Retry-After, 5xx, lost connections of idempotent requests), follows
`@odata.nextLink` paging, runs Microsoft Graph JSON batches, keeps cookies when given a jar (Jamf
Cloud's load balancer), reads Jamf Classic's HTML error pages, and replaces every registered secret
with "********" in errors and logs. A request that was not answered and may have been applied is
never re-sent: the caller looks before it creates again.
"""

from __future__ import annotations

import email.utils
import functools
import html
import http.client
import http.cookiejar
import json
import random
import re
import socket
import ssl
import time
import urllib.error
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol
from urllib.parse import quote, quote_plus, urlencode, urlsplit

from ansible.module_utils.urls import Request, make_context

REDACTED = "********"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"})
# Left as they are in query values: "$" for nested OData options, quotes, parentheses and commas for readability.
_QUERY_SAFE = "$'(),:@/*!"
_MAX_TEXT_MESSAGE = 300
# Jamf's Classic API answers an error with an HTML page; its "<p>Error: ...</p>" says what went wrong.
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_ERROR_PREFIX = "Error:"


class ApiError(Exception):
    """An API call that did not succeed; every text in it has the registered secrets redacted.

    `status` is None when no HTTP answer came; `code` and `message` are the API's own (Graph's
    error.code, an OAuth2 `error`), `body` the parsed answer.
    """

    def __init__(
        self,
        method: str,
        url: str,
        status: int | None = None,
        code: str | None = None,
        message: str = "",
        request_id: str | None = None,
        body: Any = None,
    ):
        self.method = method
        self.url = url
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.body = body
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        outcome = " ".join(str(part) for part in (self.status, self.code) if part is not None)
        return f"{self.method} {self.url}: {outcome}" + (f": {self.message}" if self.message else "")


class TransportError(ApiError):
    """No HTTP answer (refused, dropped, timed out, TLS failure), after the retries that were safe."""

    def _sentence(self) -> str:
        return f"{self.method} {self.url}: no answer: {self.message}"


class NotFound(ApiError):
    """A definite 404: the only answer that lets a caller treat an object as absent."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: Any  # parsed JSON, text, or None when empty
    url: str = ""  # the absolute URL answered (a batch's inner URL for its answers), for error messages


@dataclass(frozen=True)
class BatchRequest:
    method: str
    url: str  # relative to the API version root, e.g. "/deviceAppManagement/mobileApps"
    body: Any = None
    headers: Mapping[str, str] | None = None
    idempotent: bool | None = None  # None: by method; True for an action that replaces state (Graph's assign)

    @property
    def may_repeat(self) -> bool:
        return self.idempotent if self.idempotent is not None else self.method.upper() in IDEMPOTENT_METHODS


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one request tries before its error is raised.

    A wait is the server's Retry-After when it sends one, else exponential backoff with jitter;
    either is capped at `max_delay` (a longer Retry-After is shortened to it). A request gives up
    as soon as its next wait would take the waits past `max_total`, so a call never hangs.
    """

    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_total: float = 180.0
    retry_statuses: frozenset = frozenset({429, 500, 502, 503, 504})
    # Statuses saying the request was not processed, so a request that is not idempotent (a POST)
    # is re-sent too; after a 500, 502 or 504 a POST may have been applied.
    non_idempotent_retry_statuses: frozenset = frozenset({429, 503})

    def retries(self, status: int, idempotent: bool) -> bool:
        return status in self.retry_statuses and (idempotent or status in self.non_idempotent_retry_statuses)

    def backoff(self, retry: int) -> float:
        """The pause before retry number `retry` (1 for the first): between half and all of
        base_delay * 2 ** (retry - 1), capped at max_delay. The jitter spreads parallel clients."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return random.uniform(ceiling / 2, ceiling)


class Auth(Protocol):
    def headers(self, client: HttpClient) -> dict[str, str]:
        """The headers that authenticate the next request, e.g. {"Authorization": "Bearer ..."}."""

    def invalidate(self) -> None:
        """The server answered 401: renew the credential before the next request."""


class BearerToken:
    """A static bearer token (it cannot be renewed, so a second 401 in a row is raised)."""

    def __init__(self, token: str):
        self._token = token

    def headers(self, client: HttpClient) -> dict[str, str]:
        client.add_secret(self._token)
        return {"Authorization": f"Bearer {self._token}"}

    def invalidate(self) -> None:
        pass


class RenewedToken:
    """A bearer token fetched on first use and again when it is due or after a 401. Subclasses
    say which secrets to redact and how to fetch a token with its renewal time."""

    def __init__(self, clock: Callable[[], float]):
        self._clock = clock
        self._token: str | None = None
        self._renew_at: float | None = None

    def secrets(self) -> Iterable[str]:
        raise NotImplementedError

    def fetch(self, client: HttpClient) -> tuple[str, float | None]:
        raise NotImplementedError

    def headers(self, client: HttpClient) -> dict[str, str]:
        for secret in self.secrets():
            client.add_secret(secret)
        if self._token is None or (self._renew_at is not None and self._clock() >= self._renew_at):
            self._token, self._renew_at = self.fetch(client)
        return {"Authorization": f"Bearer {self._token}"}

    def invalidate(self) -> None:
        self._token = None


class ClientCredentials(RenewedToken):
    """The OAuth2 client-credentials grant (Entra ID; Jamf and Workspace ONE API clients).

    The token is cached until shortly before its `expires_in` (a tenth of its lifetime, at most a
    minute, so that Jamf's 60-second tokens are still reused); `invalidate` drops it. The secret
    and every token issued are registered with the client's redactor before they can appear anywhere.
    With a `cache` (token_cache.TokenCache) the token also outlives the process, until that moment.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str | None = None,
        extra: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        cache: Any = None,
    ):
        super().__init__(clock)
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self.scope = scope
        self.extra = dict(extra or {})
        self.cache = cache

    def secrets(self) -> Iterable[str]:
        return (self._client_secret,)

    def fetch(self, client: HttpClient) -> tuple[str, float | None]:
        cached = self.cache.load() if self.cache else None
        if cached:
            client.add_secret(cached[0])
            return cached[0], self._clock() + cached[1]
        token, renew_at = self._request_token(client)
        if self.cache and renew_at is not None:
            self.cache.store(token, renew_at - self._clock())
        return token, renew_at

    def invalidate(self) -> None:
        super().invalidate()
        if self.cache:
            self.cache.drop()

    def _request_token(self, client: HttpClient) -> tuple[str, float | None]:
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self._client_secret}
        if self.scope:
            form["scope"] = self.scope
        form.update(self.extra)
        asked_at = self._clock()
        # A token request changes nothing on the server, so it is safe to repeat after a lost answer.
        answer = client.request("POST", self.token_url, form=form, authenticated=False, idempotent=True)
        body = answer.body if isinstance(answer.body, Mapping) else {}
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            message = "the answer holds no access_token"
            raise ApiError("POST", client.redact(self.token_url), answer.status, message=message)
        client.add_secret(token)
        return token, renewal_time(asked_at, body.get("expires_in"))


def renewal_time(asked_at: float, expires_in: Any) -> float | None:
    """When to fetch a new token asked for at `asked_at` and valid for `expires_in` seconds: a
    tenth of its lifetime (at most a minute) early; None (renew only on 401) when the lifetime is not given."""
    try:
        lifetime = float(expires_in)
    except (TypeError, ValueError):
        return None
    return asked_at + lifetime - min(60.0, lifetime / 10)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header as seconds to wait (it holds seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class _Redactor:
    """Replaces registered secrets, also in their URL- and JSON-escaped spellings."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, secret: str) -> None:
        if secret:
            spellings = {secret, quote(secret), quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}
            self._secrets.update(spelling for spelling in spellings if spelling)

    def text(self, text: str) -> str:
        spans = sorted(span for secret in self._secrets for span in _occurrences(text, secret))
        if not spans:
            return text
        # Overlapping secrets are redacted as one span, so no fragment of either survives.
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        pieces, cursor = [], 0
        for start, end in merged:
            pieces += [text[cursor:start], REDACTED]
            cursor = end
        return "".join(pieces) + text[cursor:]

    def value(self, value: Any) -> Any:
        """A parsed JSON value with every string in it redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(key)): self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value


def _occurrences(text: str, secret: str) -> Iterable[tuple[int, int]]:
    start = text.find(secret)
    while start >= 0:
        yield start, start + len(secret)
        start = text.find(secret, start + 1)


class _NoAnswer(Exception):
    """No HTTP answer came back: the connection failed, was dropped or timed out."""

    def __init__(self, error: BaseException):
        reason = getattr(error, "reason", None)
        cause = reason if isinstance(reason, BaseException) else error
        self.description = f"{type(cause).__name__}: {cause}"
        super().__init__(self.description)
        # Refused or unresolvable: nothing reached the server, so even a POST may be sent again.
        self.unsent = isinstance(cause, (ConnectionRefusedError, socket.gaierror))
        # Why trying again would only delay the error: a refused connection or an unknown host
        # name is a wrong URL (or a stopped service) far more often than a blip, and a rejected
        # certificate stays rejected.
        self.permanent = _permanent_reason(cause)

    def may_resend(self, idempotent: bool) -> bool:
        return not self.permanent and (idempotent or self.unsent)


def _permanent_reason(cause: BaseException) -> str:
    """Why a failure to connect is not retried, or "" when it may be transient."""
    if isinstance(cause, ConnectionRefusedError):
        return "nothing accepts connections there: check the URL and that the service runs"
    if isinstance(cause, socket.gaierror) and cause.errno == socket.EAI_NONAME:
        return "the host name is unknown: check the URL"
    if isinstance(cause, ssl.SSLCertVerificationError):
        return "the certificate is not trusted: give the CA with ca_path"
    return ""


class _RunBudget:
    """The time every retry of a client (one module run) may take in all: the failed attempts and
    the waits after them. None: no limit but each request's own."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.spent = 0.0

    def allows(self, seconds: float) -> bool:
        return self.seconds is None or self.spent + seconds <= self.seconds


class _RetryBudget:
    """The attempts and waits one request (or one batch chunk) has spent, within the run's budget."""

    def __init__(self, policy: RetryPolicy, run: _RunBudget):
        self.policy = policy
        self.run = run
        self.attempts = 1
        self.waited = 0.0

    def next_wait(self, retry_after: float | None, failed_for: float = 0.0) -> float | None:
        """The pause before one more attempt, or None when the policy or the run's budget allows no
        more; `failed_for` is how long the attempt that failed took."""
        if self.attempts >= self.policy.attempts:
            return None
        wait = self.policy.backoff(self.attempts) if retry_after is None else min(retry_after, self.policy.max_delay)
        if self.waited + wait > self.policy.max_total or not self.run.allows(failed_for + wait):
            return None
        self.attempts += 1
        self.waited += wait
        self.run.spent += failed_for + wait
        return wait


class HttpClient:
    """One API endpoint: every request of a provider goes through here.

    `stats` counts "requests" (HTTP requests sent, retries and token requests included, a batch
    as one), "batched" (inner requests of answered batches), "retries" (re-sends, renewals after a
    401 included) and each method ("GET": 3). `log` holds one redacted line per HTTP exchange.
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: Auth | None = None,
        timeout: float = 30,
        validate_certs: bool = True,
        ca_path: str | None = None,
        use_proxy: bool = True,
        retry: RetryPolicy = RetryPolicy(),
        secrets: Iterable[str] = (),
        user_agent: str = "mattermost.emm",
        sleep: Callable[[float], None] = time.sleep,
        default_headers: Mapping[str, str] | None = None,
        cookies: http.cookiejar.CookieJar | None = None,
        retry_seconds: float | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.retry = retry
        self._run_budget = _RunBudget(retry_seconds)
        self.sleep = sleep
        self.stats: dict[str, int] = {"requests": 0, "batched": 0, "retries": 0}
        self.log: list[str] = []
        self._redactor = _Redactor()
        for secret in secrets:
            self.add_secret(secret)
        self._default_headers = {"Accept": "application/json", **(default_headers or {})}
        self._transport = {"timeout": timeout, "use_proxy": use_proxy, "http_agent": user_agent}
        self._tls = {"cafile": ca_path, "validate_certs": validate_certs}
        # Kept across requests when given: a load balancer (Jamf Cloud's) pins the session with one.
        self._cookies = cookies

    # --- secrets ------------------------------------------------------------------------------

    def add_secret(self, secret: str) -> None:
        """Redacts `secret` in every error and log line from now on."""
        self._redactor.add(secret)

    def redact(self, text: str) -> str:
        return self._redactor.text(text)

    # --- requests -----------------------------------------------------------------------------

    def url_for(self, url: str, params: Mapping[str, Any] | None = None) -> str:
        """`url` when absolute, else joined to base_url with one "/"; `params` appended, encoded."""
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            url = f"{self.base_url}/{url.lstrip('/')}"
        if not params:
            return url
        return url + ("&" if "?" in url else "?") + _encode_params(params)

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        form: Mapping[str, Any] | None = None,
        body: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        authenticated: bool = True,
        idempotent: bool | None = None,
    ) -> Response:
        """Sends one request, with the retries `retry` allows, and returns its 2xx answer.

        Raises NotFound for 404, ApiError for any other answer, TransportError when no answer
        came. A lost connection is retried only when the request is idempotent (by default GET,
        HEAD, PUT, DELETE, OPTIONS and PATCH) or never reached the server (refused).
        """
        method = method.upper()
        data, content_headers = _encode_body(json, form, body)
        all_headers = {**self._default_headers, **content_headers, **(headers or {})}
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        return self._send(method, self.url_for(url, params), data, all_headers, authenticated, idempotent)

    def get_all(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        items: str = "value",
        next_link: str = "@odata.nextLink",
    ) -> list[Any]:
        """Every item of a paged collection, following next links to the end; a failed page raises."""
        collected: list[Any] = []
        seen: set[str] = set()
        page_url: str | None = self.url_for(url, params)
        while page_url:
            if page_url in seen:
                raise ApiError("GET", self.redact(page_url), message="the next link repeats an earlier page")
            seen.add(page_url)
            page = self.request("GET", page_url)
            if not isinstance(page.body, Mapping) or not isinstance(page.body.get(items), list):
                message = f"the answer has no '{items}' list"
                raise ApiError("GET", self.redact(page_url), page.status, message=message)
            collected.extend(page.body[items])
            link = page.body.get(next_link)
            page_url = self.url_for(link) if isinstance(link, str) and link else None
        return collected

    def batch(self, requests: Sequence[BatchRequest], *, url: str = "$batch", limit: int = 20) -> list[Response]:
        """Runs requests through Microsoft Graph JSON batching, `limit` per call; answers in request order.

        Inner answers throttled (or failed with a 5xx, for idempotent requests) are re-sent alone
        within the retry policy. Inner errors are returned, not raised: `raise_for` raises them.
        When the batch call itself gets no answer and holds a request that is not idempotent,
        TransportError is raised rather than the whole batch being sent again.
        """
        if limit < 1:
            raise ValueError("limit must be at least 1")
        answers: dict[int, Response] = {}
        for start in range(0, len(requests), limit):
            chunk = {index: requests[index] for index in range(start, min(start + limit, len(requests)))}
            answers.update(self._run_batch(url, chunk))
        return [answers[index] for index in range(len(requests))]

    def raise_for(self, response: Response, request: BatchRequest) -> Response:
        """The response when it is a success, else raises what request() would have: NotFound or ApiError."""
        if 200 <= response.status < 300:
            return response
        raise self._api_error(request.method.upper(), response.url or self.url_for(request.url), response)

    # --- retries ------------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: dict,
        authenticated: bool,
        idempotent: bool,
        note: str = "",
    ) -> Response:
        budget = _RetryBudget(self.retry, self._run_budget)
        renewed = False
        while True:
            started = time.monotonic()
            try:
                response = self._exchange(method, url, data, self._with_auth(headers, authenticated), note)
            except _NoAnswer as failure:
                wait = budget.next_wait(None, time.monotonic() - started) if failure.may_resend(idempotent) else None
                if wait is None:
                    raise self._transport_error(method, url, failure, budget.attempts, idempotent) from None
            else:
                if response.status == 401 and authenticated and self.auth is not None and not renewed:
                    # An expired or revoked token: renew it once, without spending an attempt.
                    self.auth.invalidate()
                    renewed = True
                    self._count("retries")
                    continue
                retry_after = retry_after_seconds(response.headers.get("retry-after"))
                retries = self.retry.retries(response.status, idempotent)
                wait = budget.next_wait(retry_after, time.monotonic() - started) if retries else None
                if wait is None:
                    return self._checked(method, url, response)
            self._count("retries")
            self.sleep(wait)

    def _with_auth(self, headers: dict, authenticated: bool) -> dict:
        if not authenticated or self.auth is None:
            return headers
        return {**headers, **self.auth.headers(self)}

    def _checked(self, method: str, url: str, response: Response) -> Response:
        if 200 <= response.status < 300:
            return response
        raise self._api_error(method, url, response)

    def _api_error(self, method: str, url: str, response: Response) -> ApiError:
        code, message, request_id = _error_details(response)
        error_class = NotFound if response.status == 404 else ApiError
        return error_class(
            method,
            self.redact(url),
            response.status,
            self.redact(code) if code else None,
            self.redact(message or http.client.responses.get(response.status, "")),
            request_id,
            self._redactor.value(response.body),
        )

    def _transport_error(
        self, method: str, url: str, failure: _NoAnswer, attempts: int, idempotent: bool
    ) -> TransportError:
        if failure.may_resend(idempotent):
            detail = f"after {attempts} attempt{'s' if attempts > 1 else ''}"
        elif failure.permanent:
            detail = f"not retried: {failure.permanent}"
        else:
            detail = "not re-sent, as the server may have applied it"
        return TransportError(method, self.redact(url), message=self.redact(f"{failure.description} ({detail})"))

    # --- one exchange -------------------------------------------------------------------------

    def _exchange(self, method: str, url: str, data: bytes | None, headers: dict, note: str) -> Response:
        """One HTTP request and its answer (any status); raises _NoAnswer when none came."""
        self._count("requests")
        self._count(method)
        started = time.monotonic()
        try:
            status, raw_headers, payload = self._open(method, url, data, headers)
        except _NoAnswer as failure:
            self._record(method, url, f"no answer: {failure.description}", started)
            raise
        body = _parse_body(payload, raw_headers.get("Content-Type"))
        response = Response(status, _lower_headers(raw_headers), body, url)
        self._record(method, url, str(status), started, note)
        return response

    def _open(self, method: str, url: str, data: bytes | None, headers: dict) -> tuple[int, Any, bytes]:
        # The timeout holds for the whole answer, not for each read of it: a server sending a byte
        # now and then would otherwise keep a request going for as long as it likes.
        deadline = time.monotonic() + self._transport["timeout"]
        try:
            with self._opener.open(method, url, data=data, headers=headers) as answer:
                return answer.status, answer.headers, _read_before(answer, deadline)
        except urllib.error.HTTPError as error:
            return error.code, error.headers, _read_error_body(error, deadline)
        except (OSError, http.client.HTTPException) as error:  # URLError, timeouts and TLS errors are OSErrors
            raise _NoAnswer(error) from None

    @functools.cached_property
    def _opener(self) -> Request:
        # Built on first use, with one TLS context for all requests (building one reads the
        # system's CA bundle). Redirects are followed for GET and HEAD only and never carry the
        # Authorization header along; ~/.netrc is ignored so that it cannot replace the credentials.
        return Request(
            follow_redirects="safe",
            use_netrc=False,
            unredirected_headers=["Authorization"],
            context=make_context(**self._tls),
            cookies=self._cookies,
            **self._transport,
        )

    def _record(self, method: str, url: str, outcome: str, started: float, note: str = "") -> None:
        """Logs one exchange, e.g. "POST /beta/$batch -> 200 (3 inner, 0.12 s)"."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        details = ", ".join(filter(None, (note, f"{time.monotonic() - started:.2f} s")))
        self.log.append(self.redact(f"{method} {target} -> {outcome} ({details})"))

    def _count(self, name: str, amount: int = 1) -> None:
        self.stats[name] = self.stats.get(name, 0) + amount

    # --- batches ------------------------------------------------------------------------------

    def _run_batch(self, url: str, chunk: dict[int, BatchRequest]) -> dict[int, Response]:
        """One chunk, re-sending only the inner requests the policy retries, while it allows."""
        answers: dict[int, Response] = {}
        pending = chunk
        budget = _RetryBudget(self.retry, self._run_budget)
        renewed = False
        while True:
            started = time.monotonic()
            answers.update(self._post_batch(url, pending))
            retried = {index: request for index, request in pending.items()
                       if self.retry.retries(answers[index].status, request.may_repeat)}
            longest = _longest_retry_after(answers[index] for index in retried)
            wait = budget.next_wait(longest, time.monotonic() - started) if retried else None
            retried = retried if wait is not None else {}
            # A token revoked or expired mid-run: renewed once, and exactly the refused requests
            # sent again (a 401 means the server applied nothing).
            refused = {} if renewed or self.auth is None else {
                index: request for index, request in pending.items() if answers[index].status == 401}
            if not retried and not refused:
                return answers
            if refused:
                self.auth.invalidate()
                renewed = True
            self._count("retries")
            if retried:
                self.sleep(wait)
            pending = {**refused, **retried}

    def _post_batch(self, url: str, chunk: dict[int, BatchRequest]) -> dict[int, Response]:
        payload = {"requests": [_batch_item(str(index), request) for index, request in chunk.items()]}
        data, content_headers = _encode_body(payload, None, None)
        headers = {**self._default_headers, **content_headers}
        # Sending the batch again after a lost answer would repeat any POST inside it.
        idempotent = all(request.may_repeat for request in chunk.values())
        batch_url = self.url_for(url)
        envelope = self._send("POST", batch_url, data, headers, True, idempotent, note=f"{len(chunk)} inner")
        self._count("batched", len(chunk))
        return self._batch_answers(batch_url, envelope, chunk)

    def _batch_answers(self, url: str, envelope: Response, chunk: dict[int, BatchRequest]) -> dict[int, Response]:
        replies = envelope.body.get("responses") if isinstance(envelope.body, Mapping) else None
        by_id = {str(reply.get("id")): reply for reply in replies or () if isinstance(reply, Mapping)}
        # Inner URLs are relative to the batch's own version root, e.g. https://graph.microsoft.com/beta.
        root = url.rsplit("/", 1)[0]
        answers = {}
        for index, request in chunk.items():
            reply = by_id.get(str(index))
            if reply is None or not isinstance(reply.get("status"), int):
                message = f"no answer for batch request {index}"
                raise ApiError("POST", self.redact(url), envelope.status, message=message)
            headers = _lower_headers(reply.get("headers") or {})
            answers[index] = Response(reply["status"], headers, reply.get("body"), f"{root}/{request.url.lstrip('/')}")
        return answers


def connection_options(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The HttpClient options every vendor takes from the module's `provider` settings."""
    return {"timeout": settings.get("timeout") or 30, "validate_certs": settings.get("validate_certs", True),
            "ca_path": settings.get("ca_path"), "retry_seconds": settings.get("retry_seconds")}


def _batch_item(request_id: str, request: BatchRequest) -> dict[str, Any]:
    item: dict[str, Any] = {"id": request_id, "method": request.method.upper(), "url": request.url}
    headers = dict(request.headers or {})
    if request.body is not None:
        item["body"] = request.body
        # Graph refuses an inner body without its Content-Type.
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = "application/json"
    if headers:
        item["headers"] = headers
    return item


def _longest_retry_after(responses: Iterable[Response]) -> float | None:
    waits = [retry_after_seconds(response.headers.get("retry-after")) for response in responses]
    known = [wait for wait in waits if wait is not None]
    return max(known) if known else None


def _encode_body(
    json_value: Any, form: Mapping[str, Any] | None, body: bytes | str | None
) -> tuple[bytes | None, dict]:
    if sum(value is not None for value in (json_value, form, body)) > 1:
        raise ValueError("pass at most one of json, form and body")
    if json_value is not None:
        return json.dumps(json_value).encode("utf-8"), {"Content-Type": "application/json"}
    if form is not None:
        return urlencode(form).encode("ascii"), {"Content-Type": "application/x-www-form-urlencoded"}
    if isinstance(body, str):
        return body.encode("utf-8"), {}
    return body, {}


def _encode_params(params: Mapping[str, Any]) -> str:
    return "&".join(
        f"{quote(str(name), safe='$')}={quote(_param_text(value), safe=_QUERY_SAFE)}" for name, value in params.items()
    )


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read_error_body(error: urllib.error.HTTPError, deadline: float) -> bytes:
    # The status is what matters: a body cut short is read as none.
    try:
        return _read_before(error, deadline)
    except (OSError, http.client.HTTPException, ValueError):
        return b""
    finally:
        error.close()


def _read_before(answer: Any, deadline: float) -> bytes:
    """The whole body, read as it comes; socket.timeout once `deadline` passes."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("the answer took longer than the timeout")
        _limit_next_read(answer, remaining)
        chunk = answer.read1(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _limit_next_read(answer: Any, seconds: float) -> None:
    """The socket under an HTTP answer (or an HTTPError's) waits at most `seconds` for its next bytes."""
    stream = getattr(answer, "fp", None)
    stream = getattr(stream, "fp", stream)  # an HTTPError wraps the HTTPResponse
    sock = getattr(getattr(stream, "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _lower_headers(headers: Any) -> dict[str, str]:
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        lowered[key] = f"{lowered[key]}, {value}" if key in lowered else str(value)
    return lowered


def _parse_body(payload: bytes, content_type: str | None) -> Any:
    if not payload or not payload.strip():
        return None
    text = payload.decode("utf-8", errors="replace")
    if "json" in (content_type or "").lower() or text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _error_details(response: Response) -> tuple[str | None, str, str | None]:
    """(code, message, request id) from Graph, OAuth2, Jamf or plain-text error answers."""
    headers = response.headers
    request_id = headers.get("request-id") or headers.get("x-ms-request-id") or headers.get("x-request-id")
    body = response.body
    if isinstance(body, str):
        return None, _text_message(body)[:_MAX_TEXT_MESSAGE], request_id
    if not isinstance(body, Mapping):
        return None, "", request_id
    error = body.get("error")
    if isinstance(error, Mapping):  # Graph; Google's {code: <HTTP status>, status: "RESOURCE_EXHAUSTED", message}
        inner = error.get("innerError") or error.get("innererror") or {}
        code = error.get("status") if isinstance(error.get("status"), str) else error.get("code")
        return _text(code), _text(error.get("message")) or "", _text(inner.get("request-id")) or request_id
    if isinstance(error, str):  # OAuth2 token endpoints
        return error, _text(body.get("error_description")) or "", request_id
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):  # Jamf Pro API
        return _text(errors[0].get("code")), _text(errors[0].get("description")) or "", request_id
    return _text(body.get("code") or body.get("errorCode")), _text(body.get("message")) or "", request_id


def _text_message(text: str) -> str:
    """A text answer in one line: the "Error: ..." paragraph of an HTML page, else the whole text."""
    paragraphs = (" ".join(html.unescape(_TAG.sub(" ", paragraph)).split()) for paragraph in _PARAGRAPH.findall(text))
    said = next((paragraph[len(_ERROR_PREFIX):].strip() for paragraph in paragraphs if paragraph.startswith(_ERROR_PREFIX)), "")
    return said or " ".join(text.split())


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
