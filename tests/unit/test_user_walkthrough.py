# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A new user's path, from the built artifact and the README alone: the collection installed
into a plain project (not this checkout), the README's inventory written as printed, the site
playbook offline, then the emulator started from the installed copy and the site and validation
playbooks against it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TIMEOUT = 300
MANAGED_GOOGLE_PLAY_APP = {"@odata.type": "#microsoft.graph.androidManagedStoreApp", "displayName": "Mattermost",
                           "packageId": "com.mattermost.rn", "appIdentifier": "com.mattermost.rn"}


def readme_inventory() -> str:
    """The first YAML block of the README's "Inventory shape" section, as a user copies it."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Inventory shape"):]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


class Project:
    """A directory with an inventory and the installed collection, and nothing of the checkout."""

    def __init__(self, root: Path):
        self.root = root
        self.collections = root / "collections"
        self.installed = self.collections / "ansible_collections" / "mattermost" / "emm"
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
        self.env.update(PATH=f"{BIN}{os.pathsep}{self.env.get('PATH', '')}", ANSIBLE_COLLECTIONS_PATH=str(self.collections),
                        ANSIBLE_NOCOLOR="1", ANSIBLE_CONFIG=str(root / "ansible.cfg"))
        (root / "ansible.cfg").write_text("[defaults]\n", encoding="utf-8")

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=cwd or self.root, env=self.env, capture_output=True,
                              text=True, timeout=TIMEOUT, check=False)

    def playbook(self, name: str, *args: str) -> subprocess.CompletedProcess:
        return self.run("ansible-playbook", "-i", "inventory", f"mattermost.emm.{name}", *args)


def recap(done: subprocess.CompletedProcess) -> dict[str, int]:
    counts = re.search(r"example_org\s+:\s+(.*)", done.stdout)
    assert counts, done.stdout + done.stderr
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", counts.group(1))}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    dist = tmp_path_factory.mktemp("dist")
    project = Project(tmp_path_factory.mktemp("project"))
    built = project.run("ansible-galaxy", "collection", "build", "--output-path", str(dist), str(REPO_ROOT))
    assert built.returncode == 0, built.stdout + built.stderr
    [artifact] = dist.glob("mattermost-emm-*.tar.gz")
    installed = project.run("ansible-galaxy", "collection", "install", "--offline", str(artifact), "-p", str(project.collections))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    (project.root / "inventory").mkdir()
    (project.root / "inventory" / "hosts.yml").write_text(readme_inventory(), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def emulator(project):
    """The emulator as the README starts it, from the installed collection's root."""
    process = subprocess.Popen([sys.executable, "-m", "tests.emulator", "--port", "0"], cwd=project.installed,  # pylint: disable=consider-using-with
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = process.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:"), base
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_site_playbook_runs_offline_from_the_installed_collection(project):
    done = project.playbook("site")
    build = project.root / "inventory" / "build" / "example_org"

    assert done.returncode == 0, done.stdout + done.stderr
    assert str(REPO_ROOT) not in done.stdout + done.stderr
    assert {path.name for path in build.iterdir()} >= {"mattermost-appconfig.xml", "mattermost-ios.plist", "emm-offline"}


def test_the_site_and_validation_playbooks_converge_the_emulator_of_the_installed_copy(project, emulator):
    seed = urllib.request.Request(f"{emulator}/_emulator/seed", data=json.dumps({"mobileApps": [MANAGED_GOOGLE_PLAY_APP]}).encode(),
                                  headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(seed, timeout=30) as answer:
        assert answer.status == 200
    provider = {"mattermost_emm_provider": {"type": "intune", "tenant_id": "example.org", "client_id": "emulator-client",
                                            "client_secret": "emulator-secret", "graph_url": emulator, "login_url": emulator}}
    extra = ["-e", json.dumps(provider)]

    first, second, validated = project.playbook("site", *extra), project.playbook("site", *extra), project.playbook("validate", *extra)

    assert first.returncode == 0 and recap(first)["changed"] > 0, first.stdout + first.stderr
    assert second.returncode == 0 and recap(second)["changed"] == 0, second.stdout + second.stderr
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert re.search(r"\d+ tests: 0 failed", validated.stdout), validated.stdout
    assert "emulator-secret" not in first.stdout + second.stdout + validated.stdout
