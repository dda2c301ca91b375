# Copyright: Contributors to the mattermost.emm collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mirror the checkout into an ``ansible_collections/<namespace>/<name>`` tree.

ansible-test only runs from a directory laid out as
``.../ansible_collections/mattermost/emm``. A symlink to the checkout is not
enough: ansible-test resolves the working directory to the real path and then
walks the files itself. So the harness keeps a copy under ``build/`` and
refreshes it before every run:

* the files copied are exactly the ones Git would take: tracked files plus
  untracked files that .gitignore does not exclude (``git ls-files -co
  --exclude-standard``); outside a Git work tree, every file except local
  state (virtualenvs, caches, build output);
* files that no longer exist in the checkout are removed from the copy, and
  unchanged files are not rewritten, so ansible-test's caches stay valid;
* the copy gets its own empty ``git init``: ansible-test looks for ``.git``
  upwards from the collection root, would otherwise find the checkout's
  repository (where ``build/`` is ignored) and see no files at all.

Usage: python tests/utils/collection_tree.py DEST_COLLECTIONS_ROOT
prints the collection directory inside DEST_COLLECTIONS_ROOT.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]

# Used only when the checkout is not a Git work tree (e.g. an unpacked archive).
SKIP_DIRS = {
    ".git",
    ".venv",
    ".ansible",
    ".cache",
    ".hypothesis",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    "__pycache__",
    "build",
    "collections",
    ".molecule",
}
SKIP_SUBDIRS = {Path("tests/output"), Path("benchmarks/output")}
SKIP_SUFFIXES = (".pyc", ".pyo", ".retry")

# Directories of the copy that are not mirrored: its own Git repository and
# ansible-test's output (a cache, hidden from ansible-test by .gitignore).
KEEP_IN_COPY = {Path(".git"), Path("tests/output")}


def collection_name(root: Path) -> tuple[str, str]:
    """Return (namespace, name) from galaxy.yml."""
    with open(root / "galaxy.yml", encoding="utf-8") as handle:
        meta = yaml.safe_load(handle)
    return meta["namespace"], meta["name"]


def source_files(root: Path) -> list[Path]:
    """List the files that belong to the collection, relative to root."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            check=True,
            capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return list(walk_files(root))
    names = [name for name in out.decode("utf-8").split("\0") if name]
    # --cached still lists tracked files deleted from the work tree.
    return sorted(Path(name) for name in names if (root / name).is_file())


def walk_files(root: Path):
    """Yield files under root, skipping local state, for non-Git checkouts."""
    for current, dirs, files in os.walk(root):
        rel = Path(current).relative_to(root)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and rel / d not in SKIP_SUBDIRS)
        for name in sorted(files):
            if not name.endswith(SKIP_SUFFIXES):
                yield rel / name


def sync(root: Path, dest: Path) -> None:
    """Make dest hold exactly the collection files of root."""
    wanted = set(source_files(root))
    dest.mkdir(parents=True, exist_ok=True)

    # Remove files, then directories left empty, that are gone from the checkout.
    emptied = []
    for current, dirs, files in os.walk(dest):
        rel = Path(current).relative_to(dest)
        dirs[:] = [d for d in dirs if rel / d not in KEEP_IN_COPY]
        for name in files:
            if rel / name not in wanted:
                (dest / rel / name).unlink()
        emptied.append(Path(current))
    for path in reversed(emptied):  # deepest first
        if path != dest and not any(path.iterdir()):
            path.rmdir()

    for rel in wanted:
        src = root / rel
        target = dest / rel
        if src.is_symlink():
            # Keep symlinks as symlinks; ansible-test has a test about them.
            if target.is_symlink() and os.readlink(target) == os.readlink(src):
                continue
            if target.exists() or target.is_symlink():
                target.unlink()
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(src), target)
            continue
        if target.is_file() and not target.is_symlink() and filecmp.cmp(src, target, shallow=False):
            shutil.copymode(src, target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        shutil.copy2(src, target)

    if not (dest / ".git").exists():
        subprocess.run(["git", "init", "-q", str(dest)], check=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: %s DEST_COLLECTIONS_ROOT" % argv[0], file=sys.stderr)
        return 2
    namespace, name = collection_name(REPO_ROOT)
    dest = Path(argv[1]).resolve() / "ansible_collections" / namespace / name
    if dest == REPO_ROOT or dest in REPO_ROOT.parents:
        # The sync deletes whatever is not part of the collection.
        print("refusing to mirror into %s" % dest, file=sys.stderr)
        return 2
    sync(REPO_ROOT, dest)
    print(dest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
