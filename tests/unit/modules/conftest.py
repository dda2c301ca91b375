# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the collection the way users do: ``ansible-playbook`` and ``ansible-doc`` as subprocesses.

Every run uses the ansible of the Python running pytest, finds ``mattermost.emm`` in this checkout
(``collections/``), ignores the caller's Ansible configuration and writes only below pytest's
temporary directories. ansible-core has no JSON stdout callback of its own, so the runs use
``callback_plugins/json_results.py`` and return the whole run as parsed JSON.

A playbook run costs a second or two, and each module task most of a second more: tests share
one run per topic (module-scoped fixtures built with ``playbook_runner``) and assert many things
about it, and a fixture starts its independent runs together so that they overlap.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
COLLECTIONS = REPO_ROOT / "collections"
CALLBACKS = HERE / "callback_plugins"
# The ansible installed next to the interpreter running the tests (the project's venv).
BIN = Path(sys.executable).parent
RUN_TIMEOUT = 180


class PlaybookResult(dict):
    """The parsed JSON of one run (``plays``, ``stats``), with the exit code and stderr."""

    def __init__(self, data: dict, rc: int, stdout: str, stderr: str):
        super().__init__(data)
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr

    @property
    def tasks(self) -> list[dict]:
        return [task for play in self["plays"] for task in play["tasks"]]

    def task(self, name: str, host: str = "localhost") -> dict:
        """The result on `host` of the one task called `name` (in a role: "role : name")."""
        matches = [task for task in self.tasks if name in (task["name"], task["name"].rpartition(" : ")[2])]
        assert len(matches) == 1, f"expected one task named {name!r}, ran: {[task['name'] for task in self.tasks]}"
        assert host in matches[0]["hosts"], f"task {name!r} did not run on {host}: {matches[0]['hosts']}"
        return matches[0]["hosts"][host]

    def combined_with(self, other: PlaybookResult) -> PlaybookResult:
        """Both runs as one: plays in order, the worse exit code, the recap counts added up."""
        stats = {host: dict(counts) for host, counts in self["stats"].items()}
        for host, counts in other["stats"].items():
            mine = stats.setdefault(host, dict.fromkeys(counts, 0))
            for key, value in counts.items():
                mine[key] = mine.get(key, 0) + value
        data = {"plays": self["plays"] + other["plays"], "stats": stats}
        return PlaybookResult(data, max(self.rc, other.rc), self.stdout + other.stdout, self.stderr + other.stderr)

    def statuses(self, host: str = "localhost") -> dict[str, str]:
        """Task name to status (ok, failed, ignored, skipped) on `host`."""
        return {task["name"]: task["hosts"][host]["_status"] for task in self.tasks if host in task["hosts"]}


def ansible_env(workdir: Path) -> dict[str, str]:
    """The environment of every ansible command: this checkout's collection, no user configuration."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    config = workdir / "ansible.cfg"
    if not config.exists():
        config.write_text("[defaults]\n", encoding="utf-8")
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PAGER="cat",
        ANSIBLE_CONFIG=str(config),
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
        ANSIBLE_CALLBACK_PLUGINS=str(CALLBACKS),
        ANSIBLE_STDOUT_CALLBACK="json_results",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCALHOST_WARNING="False",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
        ANSIBLE_RETRY_FILES_ENABLED="False",
        ANSIBLE_LOCAL_TEMP=str(workdir / ".ansible-tmp"),
    )
    return env


class Command:
    """`command` from the venv's bin, started in `workdir` at once; `wait()` returns its outcome.

    Runs started together overlap, which is how the fixtures keep the folder fast.
    """

    def __init__(self, workdir: Path, command: str, *args: str):
        self.args = [str(BIN / command), *map(str, args)]
        self._stdout = tempfile.TemporaryFile(mode="w+", encoding="utf-8", dir=workdir)  # pylint: disable=consider-using-with
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8", dir=workdir)  # pylint: disable=consider-using-with
        self._process = subprocess.Popen(  # pylint: disable=consider-using-with
            self.args, cwd=workdir, env=ansible_env(workdir), stdout=self._stdout, stderr=self._stderr, text=True,
        )

    def wait(self) -> subprocess.CompletedProcess:
        try:
            returncode = self._process.wait(timeout=RUN_TIMEOUT)
        finally:
            if self._process.poll() is None:
                self._process.kill()
                self._process.wait()
        outputs = []
        for handle in (self._stdout, self._stderr):
            handle.seek(0)
            outputs.append(handle.read())
            handle.close()
        return subprocess.CompletedProcess(self.args, returncode, *outputs)


class PendingPlaybook:
    """An ansible-playbook run under way; `wait()` returns its PlaybookResult."""

    def __init__(self, command: Command):
        self._command = command

    def wait(self) -> PlaybookResult:
        done = self._command.wait()
        try:
            data = json.loads(done.stdout)
        except ValueError:
            pytest.fail(f"ansible-playbook printed no JSON (rc {done.returncode})\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}")
        return PlaybookResult(data, done.returncode, done.stdout, done.stderr)


class PlaybookRunner:
    """Writes plays into `workdir` and runs them: `start...` returns at once, the others wait."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self._numbers = itertools.count(1)

    def start_playbook(self, playbook: Path | str, *args: str, check: bool = False, diff: bool = False) -> PendingPlaybook:
        """Start an existing playbook file."""
        options = [*args, *(["--check"] if check else []), *(["--diff"] if diff else [])]
        return PendingPlaybook(Command(self.workdir, "ansible-playbook", playbook, *options))

    def start(self, tasks: list[dict], *args: str, check: bool = False, diff: bool = False) -> PendingPlaybook:
        """Start `tasks` in one play on localhost."""
        play = {"name": "Tasks under test", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
        path = self.workdir / f"playbook-{next(self._numbers)}.yml"
        path.write_text(yaml.safe_dump([play], sort_keys=False), encoding="utf-8")
        return self.start_playbook(path, *args, check=check, diff=diff)

    def playbook(self, playbook: Path | str, *args: str, check: bool = False, diff: bool = False) -> PlaybookResult:
        return self.start_playbook(playbook, *args, check=check, diff=diff).wait()

    def __call__(self, tasks: list[dict], *args: str, check: bool = False, diff: bool = False) -> PlaybookResult:
        return self.start(tasks, *args, check=check, diff=diff).wait()


@pytest.fixture
def run_playbook(tmp_path) -> PlaybookRunner:
    """``run_playbook(tasks, *args, check=False, diff=False)`` runs `tasks` on localhost in tmp_path."""
    return PlaybookRunner(tmp_path)


@pytest.fixture(scope="session")
def playbook_runner(tmp_path_factory):
    """``playbook_runner(name)``: a PlaybookRunner in a new temporary directory, for module-scoped runs."""
    return lambda name: PlaybookRunner(tmp_path_factory.mktemp(name))


@pytest.fixture(scope="session")
def start_command(tmp_path_factory):
    """``start_command(name, *args)`` starts `name` (ansible-doc, ...) from the venv in a temporary directory."""
    workdir = tmp_path_factory.mktemp("commands")
    return lambda command, *args: Command(workdir, command, *args)
