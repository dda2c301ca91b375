# Copyright: Contributors to the mattermost.emm collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check the release notes `antsibull-changelog release` just cut in a copy of the collection.

Usage: python tests/utils/release_notes.py COLLECTION_COPY VERSION

The release must be in changelogs/changelog.yaml and CHANGELOG.md with a summary. The first
release must also name every module, filter and role as new: antsibull-changelog lists a plugin
as new only when its version_added is that release, so a wrong version_added leaves it out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

FIRST_RELEASE = "1.0.0"


def shipped(root: Path) -> dict[str, set[str]]:
    """The plugins and roles in the copy, by antsibull-changelog's kind names."""
    modules = {path.stem for path in (root / "plugins" / "modules").glob("*.py") if path.stem != "__init__"}
    filters = {path.stem for path in (root / "plugins" / "filter").glob("*.py") if path.stem != "__init__"}
    roles = {path.name for path in (root / "roles").iterdir() if (path / "meta" / "argument_specs.yml").exists()}
    return {"module": modules, "filter": filters, "role": roles}


def announced(release: dict) -> dict[str, set[str]]:
    """What the release lists as new, by kind."""
    plugins = release.get("plugins", {})
    found = {kind: {entry["name"] for entry in entries} for kind, entries in plugins.items()}
    found["module"] = {entry["name"] for entry in release.get("modules", [])}
    found["role"] = {entry["name"] for entry in release.get("objects", {}).get("role", [])}
    return found


def problems(root: Path, version: str) -> list[str]:
    changelog = yaml.safe_load((root / "changelogs" / "changelog.yaml").read_text(encoding="utf-8"))
    release = (changelog.get("releases") or {}).get(version)
    if release is None:
        return [f"changelogs/changelog.yaml has no release {version}"]
    found = []
    if "release_summary" not in release.get("changes", {}):
        found.append(f"release {version} has no release_summary fragment")
    if f"v{version}".replace(".", "\\.") not in (root / "CHANGELOG.md").read_text(encoding="utf-8"):
        found.append(f"CHANGELOG.md has no section for v{version}")
    if version == FIRST_RELEASE:
        new = announced(release)
        for kind, names in shipped(root).items():
            for name in sorted(names - new.get(kind, set())):
                found.append(f"{kind} {name} is not listed as new in {version}: set its version_added to {version}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = problems(Path(argv[0]), argv[1])
    for line in found:
        print(f"release-notes: {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
