# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stdout callback that prints the whole run as one JSON document, for the playbook tests.

ansible-core ships no JSON stdout callback (ansible.posix has one), so the tests bring their own:
plays, their tasks in order, each task's result per host (failures included), and the recap.
"""

from __future__ import annotations

import json

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: json_results
    type: stdout
    short_description: The whole run as one JSON document
    description:
      - Prints every play, task and per-host result as one JSON document when the run ends.
"""


def _payload(result):
    """The raw result dict (`result` from ansible-core 2.19 on, `_result` before)."""
    payload = getattr(result, "result", None)
    return payload if payload is not None else result._result  # pylint: disable=protected-access


class CallbackModule(CallbackBase):
    """Collect results and print them as JSON at the end of the run."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "json_results"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plays = []

    def v2_playbook_on_play_start(self, play):
        self._plays.append({"name": play.get_name(), "tasks": []})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._plays[-1]["tasks"].append({"name": task.get_name(), "action": task.action, "hosts": {}})

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def _record(self, result, status):
        entry = dict(_payload(result))
        entry["_status"] = status
        self._plays[-1]["tasks"][-1]["hosts"][result.host.get_name()] = entry

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "ignored" if ignore_errors else "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        recap = {host: stats.summarize(host) for host in sorted(stats.processed)}
        # default=str: warnings and tagged values are objects, only their text matters here.
        self._display.display(json.dumps({"plays": self._plays, "stats": recap}, default=str, sort_keys=True))
