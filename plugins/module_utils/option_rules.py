# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rule every module option is held to before anything is sent, in one place.

Ansible's argument spec checks types, choices and required options; a `Rule` adds what it
cannot say (ranges, non-empty text, URLs, GUIDs, lists without repeats). A module's rules map
option paths to rules: ``name``, ``provider.timeout``, ``groups[].group_id`` (``[]`` is every
element of a list). `problems` returns one sentence per broken rule, naming the option, the
value and what is allowed; docs/option-rules.md lists every option with its rule's `allowed`.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog

# Names end up in consoles, Graph bodies, plists and XML: one line of printable text.
_CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_DOMAIN = re.compile(r"(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+")
_BUNDLE_ID = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_USERINFO = re.compile(r"(?<=://)([^/?#@\s]*)@")
HIDDEN = "********"
MAX_NAME = 256


@dataclass(frozen=True)
class Rule:
    """`allowed` says in words what the option takes; `accepts(value, params)` checks a value
    Ansible has already converted to the option's type (`params`: all the module's options)."""

    allowed: str
    accepts: Callable[[Any, Mapping[str, Any]], bool] = lambda value, params: True
    secret: bool = False  # never shown in a message
    unique_by: Callable[[Any], Any] | None = None  # for lists: the identity no two elements may share

    def problems(self, where: str, value: Any, params: Mapping[str, Any]) -> list[str]:
        if not self.accepts(value, params):
            return [f"{where}: {self._shown(value)} is not allowed; allowed: {self.allowed}"]
        return self._repeats(where, value)

    def _shown(self, value: Any) -> str:
        return "the value given" if self.secret else repr(redact_url(value) if isinstance(value, str) else value)

    def _repeats(self, where: str, value: Any) -> list[str]:
        if self.unique_by is None:
            return []
        seen: dict[Any, list[int]] = {}
        for index, item in enumerate(value):
            identity = self.unique_by(item)
            if identity is not None:
                seen.setdefault(identity, []).append(index)
        return [f"{where}: {identity!r} is given {len(indexes)} times ({', '.join(f'{where}[{n}]' for n in indexes)}); "
                f"name each once" for identity, indexes in seen.items() if len(indexes) > 1]


def problems(params: Mapping[str, Any], rules: Mapping[str, Rule]) -> list[str]:
    """Every broken rule in `params`, in the order of `rules`; options left unset are not checked."""
    return [problem for path, rule in rules.items() for where, value in values_at(params, path)
            for problem in rule.problems(where, value, params)]


def values_at(params: Mapping[str, Any], path: str) -> Iterator[tuple[str, Any]]:
    """(concrete path, value) for every value set at `path`: ``groups[].group`` gives
    ``groups[0].group``, ``groups[1].group``, ..."""
    found: list[tuple[str, Any]] = [("", params)]
    for part in path.split("."):
        name, each = part.removesuffix("[]"), part.endswith("[]")
        found = [(f"{where}.{name}".lstrip("."), value.get(name)) for where, value in found if isinstance(value, Mapping)]
        if each:
            found = [(f"{where}[{index}]", item) for where, items in found if isinstance(items, list)
                     for index, item in enumerate(items)]
    return ((where, value) for where, value in found if value is not None)


def redact_url(text: str) -> str:
    """`text` with the user name and password of every URL in it hidden."""
    return _USERINFO.sub(HIDDEN + "@", text)


def url_passwords(value: Any) -> list[str]:
    """The passwords written into URLs anywhere in `value` (text, or lists and mappings of it),
    to be hidden wherever the value is shown."""
    if isinstance(value, str):
        return [userinfo.partition(":")[2] for userinfo in _USERINFO.findall(value) if userinfo.partition(":")[2]]
    if isinstance(value, Mapping):
        value = list(value.values())
    return [password for item in value for password in url_passwords(item)] if isinstance(value, list) else []


# Rules -----------------------------------------------------------------------------------------

def _text(value: Any, max_length: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= max_length and not _CONTROL.search(value)


def text(what: str = "text", max_length: int = MAX_NAME) -> Rule:
    return Rule(f"{what} of 1 to {max_length} characters, without control characters (NUL, line breaks, tabs)",
                lambda value, params: _text(value, max_length))


def secret() -> Rule:
    return Rule("non-empty text without NUL characters (never shown)",
                lambda value, params: isinstance(value, str) and value != "" and "\x00" not in value, secret=True)


def is_guid(value: Any) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


GUID_TEXT = "a GUID such as 0f0c3c2e-8a55-4f53-a8a4-5a1f3d0b9c11"


def guid(also: str = "", accepts_also: Callable[[Any], bool] = lambda value: False) -> Rule:
    return Rule(GUID_TEXT + also, lambda value, params: is_guid(value) or accepts_also(value))


def endpoint_url() -> Rule:
    """An API base URL: no credentials (every vendor takes them as separate options), query or fragment."""
    return Rule("an http:// or https:// URL with a host name and no user name, password, query or fragment, "
                "such as https://graph.microsoft.com or https://example.jamfcloud.com/jamf", _is_endpoint)


def _is_endpoint(value: Any, params: Mapping[str, Any]) -> bool:
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except (TypeError, ValueError):  # an unreadable port
        return False
    plain = not parts.query and not parts.fragment and not _CONTROL.search(value) and " " not in value
    return parts.scheme in ("http", "https") and bool(parts.hostname) and port_ok and "@" not in parts.netloc and plain


def https_url_on(hosts: Sequence[str]) -> Rule:
    def accepts(value: Any, params: Mapping[str, Any]) -> bool:
        try:
            parts = urlsplit(value)
        except (TypeError, ValueError):
            return False
        plain = "@" not in parts.netloc and not _CONTROL.search(value) and " " not in value
        return parts.scheme == "https" and (parts.hostname or "") in hosts and plain

    return Rule(f"an https:// URL on {' or '.join(hosts)}", accepts)


def https_url() -> Rule:
    """A URL the devices download from: https, a host, no credentials."""
    def accepts(value: Any, params: Mapping[str, Any]) -> bool:
        try:
            parts = urlsplit(value)
        except (TypeError, ValueError):
            return False
        plain = "@" not in parts.netloc and not _CONTROL.search(value) and " " not in value
        return parts.scheme == "https" and bool(parts.hostname) and plain

    return Rule("an https:// URL with a host name and no user name or password", accepts)


def integer(low: int, high: int, unit: str = "") -> Rule:
    return Rule(f"a whole number from {low} to {high}{unit}",
                lambda value, params: isinstance(value, int) and not isinstance(value, bool) and low <= value <= high)


def items(what: str, unique_by: Callable[[Any], Any] | None = lambda item: item, min_items: int = 1) -> Rule:
    """A list of at least `min_items` elements, each given once (`unique_by`: an element's identity)."""
    counted = f"at least one {what}" if min_items else _plural(what)
    return Rule(f"a list of {counted}" + (", each given once" if unique_by else ""),
                lambda value, params: isinstance(value, list) and len(value) >= min_items, unique_by=unique_by)


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def mapping(what: str) -> Rule:
    return Rule(f"a non-empty mapping of {what}", lambda value, params: isinstance(value, Mapping) and len(value) > 0)


def bundle_id() -> Rule:
    return Rule("an app identifier such as com.mattermost.rn",
                lambda value, params: isinstance(value, str) and bool(_BUNDLE_ID.fullmatch(value)))


def app_id() -> Rule:
    """Mattermost's app ids, or any app identifier when the module's custom_build says it is a Mattermost build."""
    return Rule(catalog.CUSTOM_BUILD_EXPLAINED,
                lambda value, params: catalog.is_known_app_id(value, bool(params.get("custom_build"))))


def tenant() -> Rule:
    return Rule("the tenant's GUID or one of its domain names, such as contoso.onmicrosoft.com",
                lambda value, params: is_guid(value) or (isinstance(value, str) and bool(_DOMAIN.fullmatch(value))))


def path() -> Rule:
    return text("a file system path", 4096)


def existing_file() -> Rule:
    return Rule("the path of an existing file", lambda value, params: _text(value, 4096) and os.path.isfile(value))


def file_stem() -> Rule:
    """A name that becomes part of a file name inside the destination directory, never a path."""
    return Rule("a file name of 1 to 128 characters, without /, \\ or control characters, not . or ..",
                lambda value, params: _text(value, 128) and not set("/\\") & set(value) and value not in (".", ".."))


def by_ansible(allowed: str) -> Rule:
    """What Ansible's argument spec already enforces (a type or its choices), listed for completeness."""
    return Rule(f"{allowed} (checked by Ansible's argument spec)")


BOOLEAN = by_ansible("true or false")


# The options of ansible.builtin.files that a module writing files takes, as Ansible checks them.
FILE_ATTRIBUTES = {name: by_ansible(f"as for ansible.builtin.file's {name}")
                   for name in ("mode", "owner", "group", "seuser", "serole", "selevel", "setype", "unsafe_writes",
                                "attributes")}


def by_model(allowed: str) -> Rule:
    """What the module's model (the spec it builds from its options) checks as a whole, before anything is sent."""
    return Rule(f"{allowed} (checked by the module's model)")


def choices(values: Sequence[str]) -> Rule:
    return by_ansible("one of " + ", ".join(values))
