# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Files the Ansible way: writing rendered documents only when content differs, with check
mode, diff, backup and file attributes (shared by every module that renders files), and reading
documents to validate with a bounded size."""

from __future__ import annotations

import os
import stat
import tempfile


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _write_atomically(module, path: str, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".mattermost-emm-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    module.atomic_move(temporary, path)


def sync_file(module, path: str, text: str, backup: bool = False) -> tuple[dict, dict | None]:
    """Make `path` hold exactly `text`; returns its result and its diff (None when the text is unchanged)."""
    before = _read(path)
    changed = before != text
    result = {"path": path, "changed": changed}
    if changed and not module.check_mode:
        if backup and before is not None:
            result["backup_file"] = module.backup_local(path)
        _write_atomically(module, path, text)
    # A change of file attributes alone has no text to show.
    diff = {"before_header": path, "after_header": path, "before": before or "", "after": text} if changed else None
    file_args = module.load_file_common_arguments(module.params, path=path)
    if os.path.exists(path) and module.set_fs_attributes_if_different(file_args, False, diff=None):
        result["changed"] = True
    return result, diff


def ensure_directory(module, path: str) -> bool:
    """Create `path` if missing (not in check mode); True when it had to be created."""
    if os.path.isdir(path):
        return False
    if os.path.exists(path):
        module.fail_json(msg=f"dest {path!r} exists and is not a directory")
    if not module.check_mode:
        os.makedirs(path)
    return True


class UnreadableDocument(ValueError):
    """A document path that cannot be read, or may not be: the message says why."""


def read_document(path: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, checked before anything is read.

    A FIFO, a device (/dev/zero) or a socket would hang or never end, so only regular files are
    opened, and without blocking: a FIFO swapped in after the check still cannot stall the read."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise UnreadableDocument(f"cannot read {path}: not a regular file (a directory, FIFO, device or socket)")
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnreadableDocument(f"cannot read {path}: {exc.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableDocument(f"cannot read {path}: not a regular file")
        if status.st_size > max_bytes:
            raise UnreadableDocument(
                f"refused before reading: {path} has {status.st_size} bytes, over the limit of {max_bytes} bytes")
        data = handle.read(max_bytes + 1)  # a file growing meanwhile is still cut at the limit
    if len(data) > max_bytes:
        raise UnreadableDocument(f"refused: {path} grew over the limit of {max_bytes} bytes while it was read")
    return data
