# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile documents given to mattermost.emm.appconfig_validate, as a playbook does: each is one
error finding that names the problem, never an exception from a parser or a codec."""

from __future__ import annotations

import os

import pytest

DOCUMENTS = {
    # Deeper than any configuration, yet shallow enough for the parser: refused by the depth cap.
    "json nested 200 deep": ('{"serverUrl": "https://chat.example.com", "x": ' + "[" * 200 + "]" * 200 + "}").encode(),
    "json nested 5000 deep": ("[" * 5000 + "]" * 5000).encode(),
    "json nested 100000 deep": ("[" * 100_000 + "]" * 100_000).encode(),
    "objects nested 5000 deep": ('{"serverUrl": ' * 5000 + '"https://chat.example.com"' + "}" * 5000).encode(),
    "binary garbage": bytes(range(256)) * 4 + os.urandom(1024),
    "binary garbage behind a json brace": b"{" + os.urandom(2048),
    "plist nested 5000 deep": ("<plist><dict><key>serverUrl</key>" + "<array>" * 5000 + "</array>" * 5000
                               + "</dict></plist>").encode(),
}
SAYS = {
    "json nested 200 deep": ("malformed-json", "more than 64 levels deep"),
    "json nested 5000 deep": ("malformed-json", "more than 64 levels deep"),
    "json nested 100000 deep": ("malformed-json", "more than 64 levels deep"),
    "objects nested 5000 deep": ("malformed-json", "more than 64 levels deep"),
    "binary garbage": ("unknown-format", "neither XML nor JSON"),
    "binary garbage behind a json brace": ("malformed-json", "not UTF-8 text"),
    "plist nested 5000 deep": ("malformed-xml", "depth"),
}


@pytest.fixture(scope="module")
def run(playbook_runner):
    runner = playbook_runner("hostile")
    tasks = []
    for name, content in DOCUMENTS.items():
        path = runner.workdir / (name.replace(" ", "-") + ".bin")
        path.write_bytes(content)
        tasks.append({"name": name, "mattermost.emm.appconfig_validate": {"path": str(path)}, "ignore_errors": True})
    return runner.start(tasks).wait()


def test_the_play_runs_to_the_end(run):
    assert {task["name"] for task in run.tasks} >= set(DOCUMENTS)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_a_hostile_document_is_one_error_finding_naming_the_problem(run, name):
    task = run.task(name)
    code, words = SAYS[name]

    assert task["_status"] == "ignored" and "Traceback" not in task.get("module_stderr", "")
    assert [(finding["severity"], finding["code"]) for finding in task["findings"]] == [("error", code)]
    assert words in task["findings"][0]["message"] and task["msg"].startswith("1 error(s), 0 warning(s)")
