# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`python3 -m tests.emulator`: run the emulator until SIGINT or SIGTERM.

The first line on stdout is the base URL (Graph at {base}/v1.0 and {base}/beta, the token
endpoint at {base}/{tenant}/oauth2/v2.0/token, Jamf Pro at {base}/jamf, the control plane at
{base}/_emulator/).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from types import FrameType

from .config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    EmulatorConfig,
    default_jamf_specs_dir,
    default_specs_dir,
)
from .server import EmulatorServer


def _parser() -> argparse.ArgumentParser:
    defaults = EmulatorConfig()
    parser = argparse.ArgumentParser(prog="python3 -m tests.emulator", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=defaults.host, help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=defaults.port, help="port; 0 picks a free one (default: 0)")
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID, help="accepted client id (default: %(default)s)")
    parser.add_argument(
        "--client-secret", default=DEFAULT_CLIENT_SECRET, help="accepted client secret (default: %(default)s)"
    )
    parser.add_argument("--page-size", type=int, default=defaults.page_size, help="items per page (default: 100)")
    parser.add_argument(
        "--listing-delay",
        type=float,
        default=defaults.listing_delay,
        help="seconds a new object stays missing from listings (default: 0)",
    )
    parser.add_argument(
        "--token-lifetime", type=float, default=defaults.token_lifetime, help="token lifetime in s (default: 3600)"
    )
    parser.add_argument(
        "--specs", type=Path, default=default_specs_dir(), help="Graph descriptions folder (default: %(default)s)"
    )
    parser.add_argument(
        "--jamf-specs",
        type=Path,
        default=default_jamf_specs_dir(),
        help="Jamf API descriptions folder (default: %(default)s)",
    )
    parser.add_argument(
        "--jamf-path",
        default=defaults.jamf_path,
        help='Jamf\'s context path; "" serves it at the server root (default: %(default)s)',
    )
    parser.add_argument(
        "--latency",
        type=_latency,
        default=(defaults.latency, defaults.latency_jitter),
        metavar="SECONDS[:JITTER]",
        help="wait this long before answering each API request, plus up to JITTER s more (default: 0)",
    )
    parser.add_argument("--tls-cert", type=Path, help="serve https with this PEM certificate (and chain)")
    parser.add_argument("--tls-key", type=Path, help="the certificate's PEM private key")
    return parser


def _latency(text: str) -> tuple[float, float]:
    seconds, _colon, jitter = text.partition(":")
    try:
        values = float(seconds), float(jitter or 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected SECONDS or SECONDS:JITTER, got {text!r}") from None
    if min(values) < 0:
        raise argparse.ArgumentTypeError(f"latency and jitter are seconds (>= 0), got {text!r}")
    return values


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    options = vars(parser.parse_args(argv))
    options["latency"], options["latency_jitter"] = options.pop("latency")
    try:
        config = EmulatorConfig(**options)
    except ValueError as error:
        parser.error(str(error))
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    server = EmulatorServer(config)
    signal.signal(signal.SIGTERM, _stop)
    try:
        sys.stdout.write(f"{server.base_url}\n")
        sys.stdout.flush()
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
