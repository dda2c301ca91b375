#!/usr/bin/env python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`antsibull-docs lint-collection-docs` with the collection's options, repeated when it fails
only on its own temporary directory.

The lint copies the collection into a temporary directory with a random name and builds each
plugin page's edit link from that copy; when the name holds an underscore, every page reports
"Unknown target name: antsibull-docs-..." (about one run in five). That says nothing about the
documentation, so such a run is repeated; any other error fails at once.

    .venv/bin/python tests/utils/docs_lint.py
"""

from __future__ import annotations

import re
import subprocess
import sys

LINT = ["antsibull-docs", "lint-collection-docs", "--plugin-docs", "--check-extra-docs-refs",
        "--validate-collection-refs", "all", "--disallow-unknown-collection-refs", "."]
TOOL_FAULT = re.compile(r'\(ERROR/3\) Unknown target name: "antsibull-docs-[^"]*"\.$')
ATTEMPTS = 5


def only_the_tool_fault(output: str) -> bool:
    problems = [line for line in output.splitlines() if "ERROR" in line]
    return bool(problems) and all(TOOL_FAULT.search(line) for line in problems)


def main() -> int:
    for attempt in range(1, ATTEMPTS + 1):
        done = subprocess.run(LINT, capture_output=True, text=True, check=False)
        output = done.stdout + done.stderr
        if done.returncode == 0 or not only_the_tool_fault(output):
            sys.stdout.write(output)
            return done.returncode
        print(f"docs-lint: attempt {attempt} failed only on the lint's temporary directory name; repeating")
    sys.stdout.write(output)
    return 1


if __name__ == "__main__":
    sys.exit(main())
