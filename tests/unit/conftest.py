# Copyright: Contributors to the mattermost.emm collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the checkout importable as ``ansible_collections.mattermost.emm``.

pytest.ini puts ``collections/`` on sys.path; this creates the symlink
``collections/ansible_collections/mattermost/emm -> ../../..`` when it is
missing (a bare ``pytest`` run without ``make``), and checks that the package
really resolves to this checkout, not to an installed copy of the collection.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO_ROOT / "collections"
LINK = COLLECTIONS / "ansible_collections" / "mattermost" / "emm"


def _ensure_collection_link() -> None:
    if not LINK.is_symlink():
        LINK.parent.mkdir(parents=True, exist_ok=True)
        LINK.symlink_to(Path("..", "..", ".."), target_is_directory=True)
    if str(COLLECTIONS) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS))
    # A failed lookup of the path before the link existed may be cached.
    importlib.invalidate_caches()

    package = importlib.import_module("ansible_collections.mattermost.emm")
    first = Path(list(package.__path__)[0]).resolve()
    if first != REPO_ROOT:
        raise RuntimeError(
            "ansible_collections.mattermost.emm resolves to %s, not to this checkout %s" % (first, REPO_ROOT)
        )


_ensure_collection_link()
