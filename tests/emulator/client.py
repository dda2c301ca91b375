# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Starting the emulator from Python (in a thread or as a subprocess) and talking to it::

with run_emulator(page_size=2) as emu:
    emu.seed(groups=[{"displayName": "BYOD"}])
    status = emu.graph("GET", "/groups").status
    assert not emu.writes()
"""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from .config import COLLECTION_ROOT, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, EmulatorConfig
from .server import EmulatorServer

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
# Characters graph() leaves alone in a path: what URLs need as is, and "%" for already encoded ones.
_URL_SAFE = "/?&=$,()'@:%+"


@dataclass(frozen=True)
class HttpResult:
    """One HTTP answer: status, headers (lower-case names) and the body: parsed when it is JSON,
    text otherwise (Jamf's XML and HTML), None when empty."""

    status: int
    headers: Mapping[str, str]
    body: Any


def http_request(
    method: str,
    url: str,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10,
    context: ssl.SSLContext | None = None,
) -> HttpResult:
    """Sends one request; error statuses are returned, not raised. `body` is JSON-encoded unless
    it is bytes already (a form, or deliberately broken JSON); `context` verifies an https emulator."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    all_headers = {"Content-Type": "application/json", **(headers or {})} if data is not None else dict(headers or {})
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:
            return _result(answer.status, answer.headers.items(), answer.read())
    except urllib.error.HTTPError as error:
        return _result(error.code, error.headers.items(), error.read())


def _result(status: int, headers: Any, payload: bytes) -> HttpResult:
    lower = {name.lower(): value for name, value in headers}
    if not payload:
        body = None
    elif "json" in lower.get("content-type", "json"):
        body = json.loads(payload)
    else:
        body = payload.decode("utf-8")
    return HttpResult(status, lower, body)


class EmulatorClient:
    """A running emulator: its base URL, its control plane, and Graph calls with a token of its own."""

    def __init__(
        self,
        base_url: str,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        tenant: str = "emulator-tenant",
        jamf_path: str = "/jamf",
        ssl_context: ssl.SSLContext | None = None,
    ):
        self.base_url = base_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.tenant = tenant
        self.jamf_path = jamf_path
        self.ssl_context = ssl_context
        """Trusts the emulator's certificate when it serves https."""
        self._token: str | None = None
        self._jamf_token: str | None = None
        self._amapi_token: str | None = None

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/{self.tenant}/oauth2/v2.0/token"

    @property
    def jamf_url(self) -> str:
        """The Jamf Pro server URL (with its context path)."""
        return f"{self.base_url}{self.jamf_path}"

    # --- control plane ------------------------------------------------------------------------

    def requests(self) -> list[dict[str, Any]]:
        """The request log, oldest first."""
        return self._control("GET", "requests")["value"]

    def writes(self) -> list[dict[str, Any]]:
        """The logged requests that may change the tenant (inner batch requests included)."""
        return [entry for entry in self.requests() if entry["write"]]

    def clear_requests(self) -> None:
        self._control("DELETE", "requests")

    def state(self) -> dict[str, list[dict[str, Any]]]:
        """Every collection's objects, children inline (the shape `seed` takes)."""
        return self._control("GET", "state")

    def seed(self, **collections: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """Adds objects, e.g. seed(groups=[{"displayName": "BYOD"}]); returns them with their ids."""
        return self._control("POST", "seed", collections)

    def reset(self) -> None:
        """Empties the tenant, the request log and the fault rules."""
        self._control("POST", "reset")
        self._token = self._jamf_token = self._amapi_token = None

    def set_device_states(self, collection: str, object_id: str, statuses: list[dict[str, Any]]) -> dict[str, Any]:
        """Sets how devices applied an Intune object (collection mobileAppConfigurations or
        deviceConfigurations): each status a {deviceDisplayName, status, userPrincipalName}."""
        return self._control("POST", "device-states", {"collection": collection, "id": object_id, "statuses": statuses})

    def add_fault(self, path: str, status: int | None = None, **options: Any) -> list[dict[str, Any]]:
        """Adds a fault rule (options: method, count, retry_after, delay, drop, late, drip, code, message)."""
        rule = {"path": path, **({"status": status} if status is not None else {}), **options}
        return self._control("POST", "faults", rule)["value"]

    def lob(self, **settings: Any) -> dict[str, Any]:
        """Line-of-business uploads: fail_commits=n makes the next n commits fail, sas_lifetime
        sets how many seconds new upload URLs live."""
        return self._control("POST", "lob", settings)

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules still active."""
        return self._control("GET", "faults")["value"]

    def clear_faults(self) -> None:
        self._control("DELETE", "faults")

    def expire_tokens(self) -> None:
        """Expires every token issued so far (this client fetches a new one on its next call)."""
        self._control("POST", "faults", {"expire_tokens": True})
        self._token = self._jamf_token = self._amapi_token = None

    # --- Entra and Graph ----------------------------------------------------------------------

    def fetch_token(self) -> HttpResult:
        """A client-credentials token request with this client's credentials."""
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "scope": GRAPH_SCOPE,
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self._http("POST", self.token_url, urlencode(form).encode(), headers)

    def token(self) -> str:
        """A valid access token (fetched once, then reused)."""
        if self._token is None:
            answer = self.fetch_token()
            if answer.status != 200:
                raise RuntimeError(f"token request failed: {answer.status} {answer.body}")
            self._token = answer.body["access_token"]
        return self._token

    def graph(
        self, method: str, path: str, body: Any = None, *, version: str = "v1.0", token: str | None = None
    ) -> HttpResult:
        """One Graph call, e.g. graph("PATCH", "/deviceAppManagement/mobileApps/ID", {...}, version="beta").

        Spaces and other characters a URL cannot hold are percent-encoded, so a $filter can be
        written as is."""
        headers = {"Authorization": f"Bearer {token or self.token()}"}
        return self._http(method, f"{self.base_url}/{version}{quote(path, safe=_URL_SAFE)}", body, headers)

    # --- Jamf Pro -----------------------------------------------------------------------------

    def fetch_jamf_token(self, path: str = "/api/oauth/token") -> HttpResult:
        """An API client credentials token request (`path` may also be /api/v1/oauth/token)."""
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self._http("POST", f"{self.jamf_url}{path}", urlencode(form).encode(), headers)

    def jamf_token(self) -> str:
        """A valid Jamf access token (fetched once, then reused)."""
        if self._jamf_token is None:
            answer = self.fetch_jamf_token()
            if answer.status != 200:
                raise RuntimeError(f"Jamf token request failed: {answer.status} {answer.body}")
            self._jamf_token = answer.body["access_token"]
        return self._jamf_token

    def jamf(
        self, method: str, path: str, body: str | Any = None, *, json_answer: bool = True, token: str | None = None
    ) -> HttpResult:
        """One Jamf call, e.g. jamf("POST", "/JSSResource/mobiledevicegroups/id/0", "<mobile_device_group>...").

        A str body is sent as XML (Classic writes), anything else as JSON; `json_answer` asks
        the Classic API for JSON rather than XML. Paths are percent-encoded as graph() does."""
        headers = {"Authorization": f"Bearer {token or self.jamf_token()}"}
        if json_answer:
            headers["Accept"] = "application/json"
        if isinstance(body, str):
            body, headers["Content-Type"] = body.encode(), "text/xml"
        return self._http(method, f"{self.jamf_url}{quote(path, safe=_URL_SAFE)}", body, headers)

    # --- Android Management -------------------------------------------------------------------

    @property
    def amapi_url(self) -> str:
        """Android Management's root (the API at {amapi_url}/v1/, its token endpoint at {amapi_url}/token)."""
        return f"{self.base_url}/amapi"

    def amapi_key(self) -> dict[str, Any]:
        """A service-account key file the emulator's Google token endpoint accepts."""
        return self._control("GET", "amapi/service-account-key")

    def amapi_sync(self) -> list[dict[str, Any]]:
        """Every Android device applies its policy's current version; returns the devices."""
        return self._control("POST", "amapi/sync")["devices"]

    def fetch_amapi_token(self, assertion: str) -> HttpResult:
        form = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self._http("POST", f"{self.amapi_url}/token", urlencode(form).encode(), headers)

    def amapi_token(self) -> str:
        if self._amapi_token is None:
            from .amapi.auth import assertion  # needs cryptography, as the Android Management emulator does

            answer = self.fetch_amapi_token(assertion(self.amapi_key()))
            if answer.status != 200:
                raise RuntimeError(f"Android Management token request failed: {answer.status} {answer.body}")
            self._amapi_token = answer.body["access_token"]
        return self._amapi_token

    def amapi(self, method: str, path: str, body: Any = None, *, token: str | None = None) -> HttpResult:
        """One Android Management call, e.g. amapi("GET", "/v1/enterprises/LC00emu01/devices?pageSize=5")."""
        headers = {"Authorization": f"Bearer {token or self.amapi_token()}"}
        return self._http(method, f"{self.amapi_url}{quote(path, safe=_URL_SAFE)}", body, headers)

    def _http(self, method: str, url: str, body: Any = None, headers: Mapping[str, str] | None = None) -> HttpResult:
        return http_request(method, url, body, headers, context=self.ssl_context)

    def _control(self, method: str, name: str, body: Any = None) -> Any:
        answer = self._http(method, f"{self.base_url}/_emulator/{name}", body)
        if answer.status >= 400:
            raise RuntimeError(f"emulator control {method} {name} failed: {answer.status} {answer.body}")
        return answer.body


@contextmanager
def run_emulator(**options: Any) -> Iterator[EmulatorClient]:
    """Runs an emulator in a background thread of this process; options are `EmulatorConfig`'s."""
    config = EmulatorConfig(**options)
    server = EmulatorServer(config)
    # A short poll interval makes shutdown() quick (it waits for the serving loop to notice).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="emm-emulator", daemon=True
    )
    thread.start()
    try:
        yield _client_for(server.base_url, config)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def run_emulator_process(**options: Any) -> Iterator[EmulatorClient]:
    """Runs `python3 -m tests.emulator` as a subprocess; options become its --flags (so `specs`
    must be a path)."""
    config = EmulatorConfig(**options)
    command = [sys.executable, "-m", "tests.emulator", *_flags(options)]
    with subprocess.Popen(command, cwd=COLLECTION_ROOT, stdout=subprocess.PIPE, text=True) as process:
        try:
            base_url = process.stdout.readline().strip()
            if not base_url.startswith(("http://", "https://")):
                raise RuntimeError(f"the emulator did not print its URL first (got {base_url!r})")
            yield _client_for(base_url, config)
        finally:
            process.terminate()
            process.wait(timeout=10)


def _flags(options: Mapping[str, Any]) -> list[str]:
    """The command line for `EmulatorConfig` options; latency and jitter share --latency S:J."""
    rest = {name: value for name, value in options.items() if name not in ("latency", "latency_jitter")}
    flags = [f"--{name.replace('_', '-')}={value}" for name, value in rest.items()]
    if "latency" in options or "latency_jitter" in options:
        flags.append(f"--latency={options.get('latency', 0)}:{options.get('latency_jitter', 0)}")
    return flags


def _client_for(base_url: str, config: EmulatorConfig) -> EmulatorClient:
    context = ssl.create_default_context(cafile=str(config.tls_cert)) if config.tls_cert else None
    return EmulatorClient(base_url, config.client_id, config.client_secret, jamf_path=config.jamf_path,
                          ssl_context=context)
