#!/usr/bin/env python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/option-rules.md from the modules themselves: every documented option of every module,
with the rule it is held to before anything is sent or written (each module's RULES, and the
provider's PROVIDER_RULES once for all). tests/unit/test_option_rules_doc.py checks that the file
is current and that no documented option lacks a rule.

    .venv/bin/python tests/utils/option_rules_doc.py [--write]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, Mapping

REPO_ROOT = Path(__file__).resolve().parents[2]
DOC = REPO_ROOT / "docs" / "option-rules.md"
MODULES = sorted(path.stem for path in (REPO_ROOT / "plugins" / "modules").glob("*.py"))
PACKAGE = "ansible_collections.mattermost.emm.plugins"
HEADER = """# Option rules

Every option of every module is checked before the module sends a request or writes a file.
Ansible's argument spec checks types, choices and required options; the rules below add what it
cannot say. A broken rule fails the module with one sentence naming the option, the value and
what is allowed, ending in "nothing was sent" (modules that reach an EMM) or "nothing was
written" (modules that write files). `a[].b` is the option `b` of every element of the list `a`;
`a[]` is every element.

This file is generated from the modules (`tests/utils/option_rules_doc.py --write`); the test
suite fails when it is out of date or when a documented option has no rule.
"""


def module_docs() -> dict[str, dict[str, Any]]:
    """Each module's documentation as ansible-doc renders it (doc fragments merged)."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(REPO_ROOT / "collections"), ANSIBLE_NOCOLOR="1")
    command = [str(Path(sys.executable).parent / "ansible-doc"), "--json", "-t", "module",
               *(f"mattermost.emm.{name}" for name in MODULES)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=True)
    return {fqcn.rpartition(".")[2]: entry["doc"] for fqcn, entry in json.loads(done.stdout).items()}


def documented_paths(options: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Every option path a module documents: suboptions as `a.b`, those of list elements as `a[].b`."""
    for name, spec in options.items():
        path = prefix + name
        yield path
        if spec.get("suboptions"):
            yield from documented_paths(spec["suboptions"], path + ("[]." if spec.get("type") == "list" else "."))


def module_rules(name: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The rules a module holds its options to: its RULES, and the provider's for modules that take one."""
    rules = dict(getattr(importlib.import_module(f"{PACKAGE}.modules.{name}"), "RULES", {}))
    if "provider" in options:
        rules.update(provider_rules())
    return rules


def provider_rules() -> dict[str, Any]:
    return dict(importlib.import_module(f"{PACKAGE}.module_utils.provider_support").PROVIDER_RULES)


def render(docs: Mapping[str, Mapping[str, Any]]) -> str:
    sections = [HEADER]
    sections.append(_table("The `provider` option (every module that reaches an EMM)", provider_rules()))
    for name in MODULES:
        rules = {path: rule for path, rule in module_rules(name, docs[name]["options"]).items()
                 if path.split(".")[0] != "provider"}
        title = f"`mattermost.emm.{name}`" + (" (and `provider`, above)" if "provider" in docs[name]["options"] else "")
        sections.append(_table(title, rules))
    return "\n".join(sections)


def _table(title: str, rules: Mapping[str, Any]) -> str:
    rows = "".join(f"| `{path}` | {rule.allowed} |\n" for path, rule in sorted(rules.items()))
    return f"## {title}\n\n| option | allowed |\n| --- | --- |\n{rows}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {DOC.relative_to(REPO_ROOT)} instead of printing it")
    args = parser.parse_args()
    text = render(module_docs())
    if args.write:
        DOC.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT / "collections"))
    sys.exit(main())
