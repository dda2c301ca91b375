# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's settings, shared by the command line, `run_emulator` and the pytest fixture."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_CLIENT_ID = "emulator-client"
DEFAULT_CLIENT_SECRET = "emulator-secret"
COLLECTION_ROOT = Path(__file__).resolve().parents[2]


def default_specs_dir() -> Path:
    """Microsoft's Graph descriptions, next to the collection checkout (../shared/specs/graph)."""
    return COLLECTION_ROOT.parent / "shared" / "specs" / "graph"


def default_jamf_specs_dir() -> Path:
    """Jamf's API descriptions, next to the collection checkout (../shared/specs/jamf)."""
    return COLLECTION_ROOT.parent / "shared" / "specs" / "jamf"


def default_google_specs_dir() -> Path:
    """Google's discovery documents, next to the collection checkout (../shared/specs/google)."""
    return COLLECTION_ROOT.parent / "shared" / "specs" / "google"


@dataclass(frozen=True)
class EmulatorConfig:
    """How one emulator instance listens and behaves."""

    host: str = "127.0.0.1"
    port: int = 0
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    page_size: int = 100
    listing_delay: float = 0.0
    token_lifetime: float = 3600.0
    specs: Path | None = field(default_factory=default_specs_dir)
    jamf_specs: Path | None = field(default_factory=default_jamf_specs_dir)
    google_specs: Path | None = field(default_factory=default_google_specs_dir)
    jamf_path: str = "/jamf"
    """Jamf's context path; "" serves it at the server root (`/api`, `/JSSResource`)."""
    latency: float = 0.0
    """Seconds every API request waits before it is answered (a round trip to Graph)."""
    latency_jitter: float = 0.0
    """Up to this many seconds more, drawn uniformly per request."""
    tls_cert: Path | None = None
    tls_key: Path | None = None
    """A certificate (PEM, with its chain) and its key: serve https instead of http."""

    def __post_init__(self) -> None:
        if self.page_size < 1:
            raise ValueError("page_size must be at least 1")
        if self.listing_delay < 0 or self.token_lifetime <= 0:
            raise ValueError("listing_delay must be >= 0 and token_lifetime > 0")
        if self.latency < 0 or self.latency_jitter < 0:
            raise ValueError("latency and its jitter are seconds (>= 0)")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("tls_cert and tls_key go together")
        if self.jamf_path and (not self.jamf_path.startswith("/") or self.jamf_path.endswith("/")):
            raise ValueError('jamf_path is "" or a path like "/jamf" (a leading slash, no trailing one)')
