# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every managed configuration key the Mattermost mobile app reads.

Source: mattermost-mobile v2.43.0 (types/global/managed_config.d.ts, app/init/managed_app.ts,
android/app/src/main/res/xml/app_restrictions.xml) and @mattermost/react-native-emm 1.7.0.
The app reads every key as a string: a switch is on only for exactly ``"true"``.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

IOS = "ios"
ANDROID = "android"
PLATFORMS = (IOS, ANDROID)

APP_ID = "com.mattermost.rn"
BETA_APP_ID = "com.mattermost.rnbeta"
APP_IDS = (APP_ID, BETA_APP_ID)
# An iOS bundle id or an Android package name: two or more dot-separated parts. An organisation's
# own build of the app carries its own, and reads the same keys.
_APP_IDENTIFIER = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+")
CUSTOM_BUILD_EXPLAINED = ("'com.mattermost.rn', 'com.mattermost.rnbeta', or (with custom_build: true) the bundle id or "
                          "package name of the organisation's own Mattermost build, such as com.example.chat")

# Value kinds: how the app interprets the string it reads.
SWITCH = "switch"  # "true" / "false"
TEXT = "text"
URL = "url"
MILLISECONDS = "milliseconds"  # a whole number of milliseconds

SWITCH_VALUES = ("true", "false")

# The oldest app release the collection describes; keys older than it simply say so.
FIRST_KNOWN_VERSION = "2.0.0"


@dataclass(frozen=True)
class Key:
    """One managed configuration key, as the app reads it."""

    name: str
    kind: str
    title: str
    description: str
    default: str | None = None
    platforms: tuple[str, ...] = PLATFORMS
    since: str = FIRST_KNOWN_VERSION
    until: str | None = None

    @property
    def allowed_values(self) -> tuple[str, ...] | None:
        return SWITCH_VALUES if self.kind == SWITCH else None

    @property
    def deprecated(self) -> bool:
        return self.until is not None

    def allowed_text(self) -> str:
        """What a valid value looks like, for error messages."""
        return {
            SWITCH: 'the string "true" or "false"',
            TEXT: "a string",
            URL: "an absolute https:// URL",
            MILLISECONDS: "a whole number of milliseconds, as a string",
        }[self.kind]


KEYS: tuple[Key, ...] = (
    Key(
        "inAppPinCode", SWITCH, "Require device authentication",
        "Asks for the device passcode or biometrics when the app opens and after five minutes "
        "in the background; the app exits on devices without a passcode. When \"true\" it takes "
        "over from the server's and Intune's passcode checks.",
        default="false",
    ),
    Key(
        "blurApplicationScreen", SWITCH, "Blur the app in the background",
        "Blurs the app in the task switcher and blocks screenshots and screen recording. When "
        "\"true\" it takes over from the server's and Intune's screen protection.",
        default="false",
    ),
    Key(
        "jailbreakProtection", SWITCH, "Block jailbroken and rooted devices",
        "Refuses to run on jailbroken or rooted devices. Mattermost's documentation calls this "
        "key jailbreakDetection; the app reads only jailbreakProtection. When \"true\" it takes "
        "over from the server's and Intune's jailbreak checks.",
        default="false",
    ),
    Key(
        "copyAndPasteProtection", SWITCH, "Block copy and paste",
        "Disables copy and paste in message inputs and copy actions.",
        default="false",
    ),
    Key(
        "serverUrl", URL, "Default server URL",
        "The Mattermost server the app connects to. A managed URL also makes the app refuse "
        "deep links to other servers.",
    ),
    Key(
        "serverName", TEXT, "Default server name",
        "The display name of the default server; with serverUrl it lets the app connect without "
        "asking.",
    ),
    Key(
        "allowOtherServers", SWITCH, "Allow other servers",
        "\"false\" locks the app to serverUrl; it has no effect without serverUrl.",
        default="true",
    ),
    Key(
        "username", TEXT, "Username",
        "Pre-fills the login id; EMM variables such as {{userprincipalname}} are typical.",
    ),
    Key(
        "timeout", MILLISECONDS, "Request timeout",
        "Network request timeout in milliseconds.",
        default="10000",
    ),
    Key(
        "useVPN", SWITCH, "Wait for the per-app VPN",
        "Waits for connectivity through the per-app VPN (app tunnel) before connecting.",
        default="false", platforms=(IOS,),
    ),
    Key(
        "timeoutVPN", MILLISECONDS, "Per-app VPN timeout",
        "Resource timeout in milliseconds while the per-app VPN comes up (version 1 apps read "
        "seconds).",
        platforms=(IOS,), since="2.0.1",
    ),
    Key(
        "vendor", TEXT, "Vendor name",
        "The organisation name shown in security prompts.",
        default="Mattermost",
    ),
    Key(
        "inAppSessionAuth", SWITCH, "In-app session authentication (no effect)",
        "Deprecated: the app ignores it since 2.18.0.",
        until="2.18.0",
    ),
)

BY_NAME: dict[str, Key] = {key.name: key for key in KEYS}
_BY_FOLDED_NAME: dict[str, Key] = {key.name.casefold(): key for key in KEYS}

# Names people really write for a key the app reads under another name (compared casefolded).
_MISSPELLINGS: dict[str, str] = {
    "jailbreakdetection": "jailbreakProtection",
    "copypasteprotection": "copyAndPasteProtection",
    "allowotherserver": "allowOtherServers",
    "blurappscreen": "blurApplicationScreen",
    "pincode": "inAppPinCode",
    "vpntimeout": "timeoutVPN",
}

# Keys other readers take from the same channel (the Intune App SDK on iOS); they are legitimate
# in a Mattermost configuration but the app itself does not read them.
INTUNE_SDK_KEYS = (
    "IntuneMAMUPN",
    "IntuneMAMOID",
    "IntuneMAMDeviceID",
    "IntuneMAMAllowedAccountsOnly",
    "IntuneMAMTelemetry",
)


def lookup(name: str) -> Key | None:
    """The key read under exactly this name, or None."""
    return BY_NAME.get(name)


_SIMILAR = 0.8


@functools.lru_cache(maxsize=None)
def _of_similar_length(length: int) -> tuple[str, ...]:
    return tuple(known for known in BY_NAME if 2 * min(len(known), length) >= _SIMILAR * (len(known) + length))


def correction(name: str) -> tuple[str, str] | None:
    """The key meant by a name the app does not read, and why: misspelled, case or similar."""
    folded = name.casefold()
    if folded in _MISSPELLINGS:
        return _MISSPELLINGS[folded], "misspelled"
    if folded in _BY_FOLDED_NAME:
        return _BY_FOLDED_NAME[folded].name, "case"
    # difflib's ratio can reach the cutoff only for names of similar length: the others are
    # skipped cheaply, which keeps a document of many unknown keys fast.
    candidates = _of_similar_length(len(name))
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=_SIMILAR) if candidates else []
    return (close[0], "similar") if close else None


def reads_any(names) -> bool:
    """Whether any of `names` is a key the Mattermost app reads, a near miss of one or an Intune
    App SDK key that travels with them: a configuration with none of them is another app's."""
    return any(lookup(name) or name in INTUNE_SDK_KEYS or correction(name) for name in names)


def is_mattermost(app_id: str | None, names) -> bool:
    """Whether a configuration may be meant for the Mattermost app: its app id is Mattermost's (or
    a near miss of it), or, when unknown, one of its keys is."""
    return meant_app_id(app_id) is not None if app_id is not None else reads_any(names)


def is_app_identifier(text: object) -> bool:
    """Whether `text` is shaped like a bundle id or package name (``com.example.chat``)."""
    return isinstance(text, str) and bool(_APP_IDENTIFIER.fullmatch(text))


def is_known_app_id(app_id: object, custom_build: bool = False) -> bool:
    """Whether the keys of this catalog apply to `app_id`: one of Mattermost's own apps, or any app
    identifier the user says is a Mattermost build."""
    return app_id in APP_IDS or (custom_build and is_app_identifier(app_id))


def meant_app_id(app_id: str) -> str | None:
    """The Mattermost app id that `app_id` misses by a typo or by case, or None when it names
    another app."""
    folded = app_id.strip().casefold()
    exact = next((known for known in APP_IDS if known == folded), None)
    if exact is not None:
        return exact
    close = difflib.get_close_matches(folded, APP_IDS, n=1, cutoff=0.88)
    return close[0] if close else None


def keys_for(platform: str) -> tuple[Key, ...]:
    """The keys the app reads on one platform."""
    return tuple(key for key in KEYS if platform in key.platforms)
