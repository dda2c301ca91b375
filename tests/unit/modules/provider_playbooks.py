# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the provider modules the way users do, with ansible-playbook in a subprocess, and reads
back every task's result.

Each task registers its result; a last `set_stats` task hands them all to the default callback,
which prints them as JSON under CUSTOM STATS (ansible-core ships no JSON stdout callback).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from tests.emulator import run_emulator

REPO_ROOT = Path(__file__).resolve().parents[3]
_STATS = "\tRUN: "


@dataclass
class PlaybookRun:
    returncode: int
    stdout: str
    stderr: str
    results: list[dict[str, Any]]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def intune_provider(emu, client_secret: str | None = None) -> dict[str, Any]:
    """The `provider` option that points the modules at an emulator."""
    return {
        "type": "intune",
        "tenant_id": "contoso.onmicrosoft.com",
        "client_id": emu.client_id,
        "client_secret": client_secret or emu.client_secret,
        "graph_url": emu.base_url,
        "login_url": emu.base_url,
    }


def jamf_provider(emu, client_secret: str | None = None) -> dict[str, Any]:
    """The `provider` option that points the modules at the emulator's Jamf Pro."""
    return {"type": "jamf", "url": emu.jamf_url, "client_id": emu.client_id,
            "client_secret": client_secret or emu.client_secret}


def android_management_provider(emu, key_file: Path, enterprise: str = "enterprises/LC00emu01") -> dict[str, Any]:
    """The `provider` option that points the modules at the emulator's Android Management, with
    the emulator's service-account key written to `key_file`."""
    key_file.write_text(json.dumps(emu.amapi_key()), encoding="utf-8")
    return {"type": "android_management", "enterprise": enterprise, "url": emu.amapi_url,
            "service_account_key": str(key_file)}


def run_provider_playbook(
    workdir: Path,
    provider: dict[str, Any],
    tasks: Sequence[tuple[str, dict[str, Any]]],
    *options: str,
    ignore_errors: bool = True,
) -> PlaybookRun:
    """Runs `tasks` ((module name, arguments) pairs of mattermost.emm) against `provider`, set once
    through the action group's module_defaults. `options` go to ansible-playbook (--check, --diff,
    -vvv). With `ignore_errors`, a failed task does not stop the run, so every result is read back."""
    playbook = workdir / "playbook.yml"
    playbook.write_text(json.dumps([_play(provider, tasks, ignore_errors)], indent=2), encoding="utf-8")
    command = [sys.executable, "-m", "ansible", "playbook", "-i", "localhost,", str(playbook), *options]
    done = subprocess.run(command, cwd=REPO_ROOT, env=_environment(workdir), capture_output=True, text=True, timeout=300,
                          check=False)
    return PlaybookRun(done.returncode, done.stdout, done.stderr, _results(done.stdout))


def _play(provider, tasks, ignore_errors: bool) -> dict[str, Any]:
    steps = [
        {"name": f"step {index}: {module}", f"mattermost.emm.{module}": arguments, "register": f"step_{index}",
         "ignore_errors": ignore_errors}
        for index, (module, arguments) in enumerate(tasks)
    ]
    report = {"ansible.builtin.set_stats": {"data": {"results": [f"{{{{ step_{index} }}}}" for index in range(len(tasks))]}}}
    return {
        "name": "mattermost.emm provider modules",
        "hosts": "localhost",
        "connection": "local",
        "gather_facts": False,
        "module_defaults": {"group/mattermost.emm.emm": {"provider": provider}},
        "tasks": steps + [dict(name="results", **report)],
    }


def _environment(workdir: Path) -> dict[str, str]:
    temp = workdir / "ansible-tmp"
    return dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default",
        ANSIBLE_CALLBACK_RESULT_FORMAT="json",
        ANSIBLE_SHOW_CUSTOM_STATS="true",
        ANSIBLE_NOCOLOR="true",
        ANSIBLE_LOCAL_TEMP=str(temp),
        ANSIBLE_REMOTE_TMP=str(temp),
        ANSIBLE_RETRY_FILES_ENABLED="false",
    )


def _results(stdout: str) -> list[dict[str, Any]]:
    start = stdout.rfind(_STATS)
    if start < 0:
        return []
    stats, _end = json.JSONDecoder().raw_decode(stdout, start + len(_STATS))
    return stats["results"]


SITE = REPO_ROOT / "playbooks" / "site.yml"


@dataclass
class SiteOutcome:
    """One tenant after a first site run, and the second run with the writes it sent."""

    first: Any  # conftest.PlaybookResult
    state: dict[str, list[dict[str, Any]]]
    second: Any
    writes: list[dict[str, Any]]
    groups: dict[str, str]  # what `seed` returned: group name -> id

    def by_name(self, collection: str) -> dict[str, dict[str, Any]]:
        return {item["displayName"]: item for item in self.state.get(collection, [])}


def site_twice(runner, names: Sequence[str], seed: Callable[[Any, str], dict[str, str]],
               arguments: Callable[[Any, str], list[str]]) -> dict[str, SiteOutcome]:
    """playbooks/site.yml twice on one emulator per name, the runs of all names at once:
    `seed(emulator, name)` prepares each tenant, `arguments(emulator, name)` gives each run's options."""
    def run_all(tenants):
        started = {name: runner.start_playbook(SITE, *arguments(emu, name)) for name, emu in tenants.items()}
        return {name: pending.wait() for name, pending in started.items()}

    with contextlib.ExitStack() as stack:
        tenants = {name: stack.enter_context(run_emulator()) for name in names}
        groups = {name: seed(emu, name) for name, emu in tenants.items()}
        first = run_all(tenants)
        states = {name: emu.state() for name, emu in tenants.items()}
        for emu in tenants.values():
            emu.clear_requests()
        second = run_all(tenants)
        return {name: SiteOutcome(first[name], states[name], second[name], tenants[name].writes(), groups[name])
                for name in names}
