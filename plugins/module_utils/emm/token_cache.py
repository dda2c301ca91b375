# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Access tokens kept between module runs, so that the tasks of one play ask for one token.

Each Ansible task runs its module in a new process, which would otherwise ask Entra ID for a new
token every time. A token is kept in a file of its own:

- in a per-user directory: `$XDG_RUNTIME_DIR/mattermost.emm/tokens` (a memory file system only
  the user can read, emptied at logout) or else `~/.cache/mattermost.emm/tokens`; the directory is
  made with mode 0700 and not used when it is not the user's own or others may enter it;
- written with mode 0600, atomically (a temporary file renamed into place);
- named by a SHA-256 digest of the token URL, the client id, the scope and the client secret, so
  a changed secret or another tenant never reuses a token; the file holds the token, its expiry
  and nothing else: never the secret;
- kept only until the client would renew the token (a little before it expires): an expired or
  unreadable file is removed when read, expired ones of other clients when a token is stored, and
  a token the API refuses is removed at once.

Any problem with the directory or a file turns the cache off for the run: a token is then
fetched as if there were no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from typing import Callable, Mapping

_FOLDER = ("mattermost.emm", "tokens")


def default_directory(environ: Mapping[str, str] | None = None) -> str:
    """The user's token directory (see the module docstring)."""
    environ = os.environ if environ is None else environ
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime):
        return os.path.join(runtime, *_FOLDER)
    cache_home = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache_home, *_FOLDER)


class TokenCache:
    """One client's token, in one file of a private directory."""

    def __init__(self, directory: str, key: str, clock: Callable[[], float] = time.time):
        self.directory = directory
        self.path = os.path.join(directory, key + ".json")
        self._clock = clock

    @classmethod
    def for_client(cls, token_url: str, client_id: str, client_secret: str, scope: str | None,
                   directory: str | None = None) -> TokenCache:
        digest = hashlib.sha256()
        for part in (token_url, client_id, scope or "", client_secret):
            digest.update(part.encode("utf-8") + b"\0")
        return cls(directory or default_directory(), digest.hexdigest())

    def load(self) -> tuple[str, float] | None:
        """(token, seconds it may still be used), or None when there is none usable."""
        if not self._private_directory(create=False):
            return None
        try:
            with open(self.path, encoding="utf-8") as stream:
                if not _private_file(stream.fileno()):
                    return None
                entry = json.load(stream)
            token, expires_at = entry["access_token"], float(entry["expires_at"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self.drop()
            return None
        left = expires_at - self._clock()
        if not isinstance(token, str) or not token or left <= 0:
            self.drop()
            return None
        return token, left

    def store(self, token: str, usable_for: float) -> None:
        """Keeps `token` for `usable_for` seconds from now; silently does nothing on failure."""
        if usable_for <= 0 or not self._private_directory(create=True):
            return
        self._remove_expired()
        entry = json.dumps({"access_token": token, "expires_at": self._clock() + usable_for})
        try:
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".token-")  # mode 0600
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(entry)
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return

    def drop(self) -> None:
        """Forgets the token (it was refused, or is unusable)."""
        try:
            os.unlink(self.path)
        except OSError:
            pass

    def _remove_expired(self) -> None:
        """Removes the files of tokens no longer usable, whoever's they were (only the user writes here)."""
        try:
            names = [name for name in os.listdir(self.directory) if name.endswith(".json")]
        except OSError:
            return
        for name in names:
            TokenCache(self.directory, name[: -len(".json")], self._clock).load()  # removes it when expired

    def _private_directory(self, create: bool) -> bool:
        """Whether the directory exists (made when `create`), is the user's and only the user's."""
        if create:
            try:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
            except OSError:
                return False
        try:
            info = os.stat(self.directory, follow_symlinks=False)
        except OSError:
            return False
        return stat.S_ISDIR(info.st_mode) and _owned_privately(info)


def _private_file(descriptor: int) -> bool:
    info = os.fstat(descriptor)
    return stat.S_ISREG(info.st_mode) and _owned_privately(info)


def _owned_privately(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
