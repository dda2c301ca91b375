# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writing rendered documents to files the Ansible way: only when content differs, with check
mode, diff, backup and file attributes. Shared by every module that renders files."""

from __future__ import annotations

import os
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
