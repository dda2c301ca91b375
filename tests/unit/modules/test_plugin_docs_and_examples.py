# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The documentation users read: every EXAMPLES block runs as written, and ansible-doc renders
every plugin without a warning.

The only change made to the examples is where they write: paths below /tmp move into pytest's
temporary directory.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ansible
import pytest
import yaml

PLUGINS = Path(__file__).resolve().parents[3] / "plugins"
# The ansible-core that the ansible-doc runs belong to: the one next to the interpreter running pytest.
ANSIBLE_PACKAGE = Path(ansible.__file__).resolve().parent
# In run order: appconfig_validate's example reads what appconfig_render's example wrote.
EXAMPLE_SOURCES = [
    PLUGINS / "modules" / "appconfig_render.py",
    PLUGINS / "modules" / "appconfig_validate.py",
    PLUGINS / "filter" / "appconfig_render.py",
    PLUGINS / "filter" / "appconfig_findings.py",
]
PATH_OPTIONS = ("dest", "path")


def examples_of(source: Path) -> list[dict]:
    """The EXAMPLES tasks of a module (a Python constant) or of a filter's YAML documentation."""
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".yml":
        return yaml.safe_load(yaml.safe_load(text)["EXAMPLES"])
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and [target.id for target in node.targets] == ["EXAMPLES"]:
            return yaml.safe_load(node.value.value)
    raise AssertionError(f"{source} has no EXAMPLES")


def into(tmp: Path, tasks: list[dict]) -> tuple[list[dict], list[str]]:
    """`tasks` with each dest/path option below /tmp moved below `tmp`; also the options moved."""
    moved = []
    for task in tasks:
        for key, args in task.items():
            if not isinstance(args, dict):
                continue
            for option in PATH_OPTIONS:
                value = args.get(option)
                if isinstance(value, str) and value.startswith("/tmp/"):
                    args[option] = str(tmp / value[len("/tmp/"):])
                    moved.append(f"{key}.{option}")
    return tasks, moved


ROLES = PLUGINS.parent / "roles"


def shipped(kind: str) -> list[str]:
    """Every plugin or role of one type that the collection ships, by its FQCN."""
    paths = {"module": (PLUGINS / "modules").glob("*.py"), "filter": (PLUGINS / "filter").glob("*.py"),
             "role": (path for path in ROLES.iterdir() if (path / "meta" / "argument_specs.yml").is_file())}[kind]
    return sorted(f"mattermost.emm.{path.stem}" for path in paths)


# ansible-doc for every plugin and role, and text each page must show.
DOC_RUNS = {
    "module": (shipped("module"), ["plist_style", "backup", "strict", "findings", "EXAMPLES", "RETURN VALUES"]),
    "filter": (shipped("filter"), ["managed_properties", "platforms", "EXAMPLES", "RETURN VALUES"]),
    "role": (shipped("role"), ["appconfig_config", "appconfig_strict", "validation_junit", "ENTRY POINT:"]),
}


@pytest.fixture(scope="module")
def runs(playbook_runner, start_command):
    """The examples in one play, and ansible-doc for each plugin type, all started together."""
    runner = playbook_runner("examples")
    tmp = runner.workdir / "tmp"
    tasks, moved = into(tmp, [task for source in EXAMPLE_SOURCES for task in examples_of(source)])
    assert "/tmp/" not in yaml.safe_dump(tasks).replace(str(tmp), "")
    playing = runner.start(tasks)
    docs = {kind: start_command("ansible-doc", "-t", kind, *names) for kind, (names, _unused) in DOC_RUNS.items()}
    return {"examples": (playing.wait(), tmp, moved), "docs": {kind: command.wait() for kind, command in docs.items()}}


@pytest.fixture(scope="module")
def examples(runs):
    return runs["examples"]


def test_examples_write_only_below_the_temporary_directory(examples):
    _unused, tmp, moved = examples
    assert moved == [
        "mattermost.emm.appconfig_render.dest", "mattermost.emm.appconfig_render.dest", "mattermost.emm.appconfig_validate.path",
    ]
    assert sorted(path.name for path in (tmp / "mattermost-emm").iterdir()) == [
        "mattermost-android-amapi.json", "mattermost-android-managed-properties.json",
        "mattermost-appconfig.xml", "mattermost-ios.plist",
    ]


def test_every_example_succeeds(examples):
    result, _unused, _moved = examples
    assert result.rc == 0, result.stderr
    names = [task["name"] for task in result.tasks]
    assert len(names) == sum(len(examples_of(source)) for source in EXAMPLE_SOURCES) == 8
    assert set(result.statuses().values()) == {"ok"}
    assert result["stats"]["localhost"]["failures"] == 0


def test_module_examples_do_what_they_say(examples):
    result, tmp, _moved = examples
    review = result.task("Render the Mattermost app configuration for review")
    assert review["changed"] is True and len(review["files"]) == 4
    # The Intune variable is kept literally, as the string the EMM substitutes.
    assert review["settings"]["username"] == "{{userprincipalname}}"
    assert review["settings"]["allowOtherServers"] == "false"
    ios = result.task("Only the iOS plist, as a complete document")
    assert [entry["format"] for entry in ios["files"]] == ["plist"]
    assert (tmp / "mattermost-emm" / "mattermost-ios.plist").read_text(encoding="utf-8").startswith("<?xml")
    validated = result.task("Validate a specfile exported from the EMM console")
    assert validated["format"] == "specfile" and validated["counts"]["error"] == 0
    pasted = result.task("Check a plist pasted by a colleague, without failing the play")
    assert pasted["msg"].startswith("1 error(s), 0 warning(s): line 2: jailbreakDetection is not read by the app")
    assert [(f["code"], f["key"]) for f in pasted["findings"]] == [("misspelled-key", "jailbreakDetection")]
    shown = result.task("Show what is wrong with it")["msg"]
    assert any("the app reads jailbreakProtection" in message for message in shown)


def test_filter_examples_do_what_they_say(examples):
    result, _unused, _moved = examples
    assert result.task("Fail early on errors in a plist kept in the inventory")["_status"] == "ok"
    plist = result.task("Paste-ready plist for the Intune console")["msg"]
    assert plist == "<dict>\n\t<key>inAppPinCode</key>\n\t<string>true</string>\n\t<key>serverUrl</key>\n\t<string>https://chat.example.com</string>\n</dict>\n"
    facts = result.task("Android Management API managedConfiguration as a mapping")["ansible_facts"]
    assert facts["managed_configuration"] == {"serverUrl": "https://chat.example.com"}


def problems_with_our_docs(output: str) -> list[str]:
    """The warnings and errors in ansible-doc's output but those about ansible-core's own files.

    ansible-core 2.20+ warns, on every role listing, that a collection inside its own package has
    no version; that says nothing about this collection's documentation.
    """
    lines = [line for line in output.splitlines() if "[WARNING]" in line or "ERROR" in line]
    return [line for line in lines if str(ANSIBLE_PACKAGE) not in line]


@pytest.mark.parametrize("plugin_type", list(DOC_RUNS))
def test_ansible_doc_renders_without_warnings(runs, plugin_type):
    done = runs["docs"][plugin_type]
    names, expected = DOC_RUNS[plugin_type]
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert problems_with_our_docs(output) == [], output
    for text in names + expected:
        assert text in done.stdout


def test_every_module_filter_and_role_is_documented():
    assert {kind: len(names) for kind, (names, _unused) in DOC_RUNS.items()} == {
        "module": len(list((PLUGINS / "modules").glob("*.py"))),
        "filter": len(list((PLUGINS / "filter").glob("*.py"))),
        "role": len([path for path in ROLES.iterdir() if path.is_dir()]),
    }


def test_only_warnings_about_ansible_core_itself_are_left_aside():
    own = f"[WARNING]: Collection at '{ANSIBLE_PACKAGE}/_internal/ansible_collections/ansible/_protomatter' does not have a MANIFEST.json file"
    ours = f"[WARNING]: Skipping invalid documentation in {PLUGINS}/modules/app.py"
    assert problems_with_our_docs("\n".join(["> ROLE: mattermost.emm.appconfig", own, ours, "ERROR! no such role"])) == [
        ours, "ERROR! no such role",
    ]
