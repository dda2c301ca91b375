# Copyright: Contributors to the mattermost.emm collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Consistency checks on the collection's own metadata files."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml
from ansible.release import __version__ as ansible_core_version
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

REPO_ROOT = Path(__file__).resolve().parents[2]


def load_yaml(relpath: str):
    with open(REPO_ROOT / relpath, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def requirement_names(relpath: str) -> set[str]:
    names = set()
    for line in (REPO_ROOT / relpath).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(Requirement(line).name.lower())
    return names


def test_galaxy_metadata():
    meta = load_yaml("galaxy.yml")
    assert (meta["namespace"], meta["name"]) == ("mattermost", "emm")
    assert re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", meta["version"])
    assert meta["license"] == ["GPL-3.0-or-later"]
    assert meta["dependencies"] == {}
    assert (REPO_ROOT / meta["readme"]).name == "README.md"


@pytest.mark.parametrize(
    "local_state",
    [".venv", ".ansible", ".hypothesis", ".pytest_cache", "__pycache__", "build", "collections", "tests/output"],
)
def test_local_state_stays_out_of_the_artifact(local_state):
    # ansible-galaxy collection build ignores .gitignore: local state must be
    # excluded in galaxy.yml as well, and from Git in .gitignore.
    assert local_state in load_yaml("galaxy.yml")["build_ignore"]
    gitignore = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert local_state + "/" in gitignore


def test_installed_ansible_core_is_supported():
    requires = load_yaml("meta/runtime.yml")["requires_ansible"]
    assert Version(ansible_core_version) in SpecifierSet(requires)


def test_action_group_is_well_formed():
    groups = load_yaml("meta/runtime.yml")["action_groups"]
    members = groups["emm"]
    assert members == sorted(set(members))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in members)


def test_execution_environment_requirements_match_local_ones():
    ee = load_yaml("meta/execution-environment.yml")
    assert ee["dependencies"]["python"] == "meta/ee-requirements.txt"
    assert requirement_names("meta/ee-requirements.txt") <= requirement_names("requirements.txt")


def test_collection_imports_from_this_checkout():
    package = importlib.import_module("ansible_collections.mattermost.emm")
    assert Path(list(package.__path__)[0]).resolve() == REPO_ROOT


def readme_contents_table() -> list[str]:
    """The first column of the README's Contents table: its rows up to the first line that is not one."""
    lines = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("## Contents\n", 1)[1].lstrip("\n").splitlines()
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append(line.split("|")[1].strip())
    return rows[2:]


def test_readme_contents_table_lists_every_module_filter_and_role_in_one_piece():
    shipped = {f"`mattermost.emm.{path.stem}` (module)" for path in (REPO_ROOT / "plugins" / "modules").glob("*.py")}
    shipped |= {f"`mattermost.emm.{path.stem}` (filter)" for path in (REPO_ROOT / "plugins" / "filter").glob("*.py")}
    shipped |= {f"`mattermost.emm.{path.name}` (role)" for path in (REPO_ROOT / "roles").iterdir() if path.is_dir()}
    assert set(readme_contents_table()) == shipped


def test_user_execution_environment_installs_this_collection():
    definition = load_yaml("execution-environment.yml")
    assert definition["version"] == 3
    assert [entry["name"] for entry in definition["dependencies"]["galaxy"]["collections"]] == ["mattermost.emm"]


def test_renamed_module_redirects_until_2_0_0():
    routing = load_yaml("meta/runtime.yml")["plugin_routing"]["modules"]["appconfig"]
    assert routing["redirect"] == "mattermost.emm.appconfig_render"
    assert routing["deprecation"]["removal_version"] == "2.0.0"
    assert (REPO_ROOT / "plugins" / "modules" / "appconfig_render.py").exists()
