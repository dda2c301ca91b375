# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What Jamf does to a configuration profile's `payloads` (the .mobileconfig plist, as text).

- It decodes the text once more after XML parsing, so a value that was escaped only once comes
  out with a bare `&` or `<` and the plist no longer parses: 409 "Unable to update the database".
- On create it gives the profile a new top-level PayloadUUID (PayloadIdentifier follows it) and
  sets PayloadOrganization, PayloadDisplayName (the profile's name) and PayloadEnabled.
- On update a top-level PayloadUUID other than the profile's makes it a new profile for devices:
  the profile takes that UUID (so a client that does not send Jamf's UUID back piles up profiles).
"""

from __future__ import annotations

import plistlib
import re
import uuid
from html import unescape
from typing import Any

from .errors import conflict

ORGANIZATION = "Emulated Org"
_XML_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);")


def decode_payloads(text: str) -> dict[str, Any]:
    """The plist Jamf reads from `payloads`, after its extra round of entity decoding."""
    decoded = _XML_ENTITY.sub(lambda match: unescape(match.group()), text)
    try:
        plist = plistlib.loads(decoded.encode("utf-8"), fmt=plistlib.FMT_XML)
    except Exception:  # plistlib raises several kinds (ExpatError, ValueError, ...) for a broken plist
        raise conflict("Unable to update the database") from None
    if not isinstance(plist, dict):
        raise conflict("Unable to update the database")
    return plist


def new_payload_uuid() -> str:
    return str(uuid.uuid4()).upper()


def render_payloads(plist: dict[str, Any], profile_uuid: str, name: str) -> str:
    """The stored `payloads`: the plist with the keys Jamf owns at its top level."""
    owned = {
        "PayloadUUID": profile_uuid,
        "PayloadIdentifier": profile_uuid,
        "PayloadOrganization": ORGANIZATION,
        "PayloadDisplayName": name,
        "PayloadEnabled": True,
    }
    return plistlib.dumps({**plist, **owned}, fmt=plistlib.FMT_XML, sort_keys=False).decode("utf-8")


def rename_payloads(stored: str, name: str) -> str:
    """Stored `payloads` after the profile was renamed (PayloadDisplayName follows the name)."""
    plist = plistlib.loads(stored.encode("utf-8"), fmt=plistlib.FMT_XML)
    return render_payloads(plist, plist["PayloadUUID"], name)
