# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""mattermost.emm.appconfig_render as a playbook runs it: files, idempotence, check mode, diff, backup,
file modes, format selection and the failures that must write nothing.

The lifecycle tasks share one directory and run in order in one play; every other task writes
into a directory of its own, in a second play that runs alongside.
"""

from __future__ import annotations

import json
import stat

import pytest

CONFIG = {
    "serverUrl": "https://chat.example.com",
    "serverName": "Example Chat",
    "inAppPinCode": True,
    "timeout": 30000,
    "useVPN": True,
}
CHANGED_CONFIG = dict(CONFIG, timeout=60000)
FILE_NAMES = {
    "specfile": "mattermost-appconfig.xml",
    "plist": "mattermost-ios.plist",
    "managed_properties": "mattermost-android-managed-properties.json",
    "amapi": "mattermost-android-amapi.json",
}

# Wrong keys and values, all in one configuration: the message must name each key, its value
# (where one matters) and what is allowed.
BAD_CONFIG = {"serverUrl": "https://chat.example.com", "colour": "blue", "jailbreakDetection": True, "timeout": "abc", "vendor": True}
BAD_CONFIG_NAMES = {
    "colour": ["unknown key 'colour'", "known keys: inAppPinCode,"],
    "jailbreakDetection": ["key 'jailbreakDetection' is not read by the Mattermost app; the app reads 'jailbreakProtection'"],
    "timeout": ["key 'timeout': value 'abc' is not allowed; expected a whole number of milliseconds"],
    "vendor": ["key 'vendor': value True is not allowed; expected a string"],
}


def appconfig(name: str, dest, config: dict, **options) -> dict:
    return {"name": name, "mattermost.emm.appconfig_render": dict(options, dest=str(dest), config=config)}


def expect_failure(task: dict) -> dict:
    return dict(task, ignore_errors=True)


def failed(task_result: dict) -> bool:
    return task_result["_status"] in ("failed", "ignored")


def files_in(directory) -> list[str]:
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


@pytest.fixture(scope="module")
def runs(playbook_runner):
    """Three runs started together: the lifecycle of one directory and the other options (both
    with --diff, combined as one result), and a --check --diff run into a directory that does not exist."""
    runner = playbook_runner("appconfig")
    out = runner.workdir / "out"
    lifecycle = out / "lifecycle"
    fresh = runner.workdir / "fresh" / "nested"
    in_order = runner.start([
        appconfig("first run", lifecycle, CONFIG),
        {**appconfig("other config in check mode", lifecycle, CHANGED_CONFIG), "check_mode": True},
        appconfig("second run", lifecycle, CONFIG),
        appconfig("changed with backup", lifecycle, CHANGED_CONFIG, backup=True),
        appconfig("mode alone", lifecycle, CHANGED_CONFIG, mode="0600"),
        appconfig("mode again", lifecycle, CHANGED_CONFIG, mode="0600"),
    ], diff=True)
    options = runner.start([
        appconfig("selected formats", out / "selected", CONFIG, formats=["plist", "specfile"], plist_style="full", version=99999),
        expect_failure(appconfig("amapi for ios", out / "ios-amapi", CONFIG, platforms=["ios"], formats=["amapi"])),
        expect_failure(appconfig("version zero", out / "version-0", CONFIG, version=0)),
        expect_failure(appconfig("version too high", out / "version-high", CONFIG, version=100000)),
        expect_failure(appconfig("bad keys and values", out / "bad-config", BAD_CONFIG)),
        expect_failure(appconfig("bad server url", out / "bad-url", dict(CONFIG, serverUrl="ftp://chat.example.com"))),
        expect_failure({"name": "name that is a path",
                        "mattermost.emm.appconfig_render": {"dest": str(out / "traversal" / "dest"), "config": CONFIG,
                                                            "name": "../escaped"}}),
        {"name": "old name", "mattermost.emm.appconfig": {"dest": str(out / "old-name"), "config": CONFIG}},
    ], diff=True)
    checked = runner.start([appconfig("render in check mode", fresh, CONFIG)], check=True, diff=True)
    return {"main": (in_order.wait().combined_with(options.wait()), out), "check": (checked.wait(), fresh)}


@pytest.fixture(scope="module")
def run(runs):
    return runs["main"]


@pytest.fixture(scope="module")
def checked(runs):
    return runs["check"]


def test_the_play_runs_to_the_end(run):
    result, _unused = run
    assert result.rc == 0, result.stderr
    expected_failures = {"amapi for ios", "version zero", "version too high", "bad keys and values", "bad server url",
                         "name that is a path"}
    assert {name for name, status in result.statuses().items() if status != "ok"} == expected_failures


def test_first_run_writes_the_four_documents(run):
    result, out = run
    first = result.task("first run")
    assert first["changed"] is True
    assert [entry["format"] for entry in first["files"]] == list(FILE_NAMES)
    for entry in first["files"]:
        assert entry["changed"] is True
        assert entry["path"] == str(out / "lifecycle" / FILE_NAMES[entry["format"]])
        assert "backup_file" not in entry


def test_the_name_before_1_0_0_renders_the_same_files_with_a_deprecation_warning(run):
    result, out = run
    assert result.task("old name")["files"] == [
        dict(entry, path=str(out / "old-name" / FILE_NAMES[entry["format"]])) for entry in result.task("first run")["files"]
    ]
    warning = " ".join(result.stderr.split())
    assert "mattermost.emm.appconfig has been deprecated" in warning
    assert "use mattermost.emm.appconfig_render" in warning and "version 2.0.0" in warning


def test_first_run_content_holds_strings_and_leaves_ios_keys_out_of_android(run):
    result, _unused = run
    documents = {diff["after_header"].rsplit("/", 1)[1]: diff["after"] for diff in result.task("first run")["diff"]}
    plist = documents[FILE_NAMES["plist"]]
    assert "<key>inAppPinCode</key>\n\t<string>true</string>" in plist
    assert "<key>useVPN</key>" in plist and "<true/>" not in plist
    assert "<value>30000</value>" in documents[FILE_NAMES["specfile"]]
    managed = json.loads(documents[FILE_NAMES["managed_properties"]])
    assert {"key": "timeout", "valueString": "30000"} in managed["managedProperty"]
    assert "useVPN" not in {prop["key"] for prop in managed["managedProperty"]}
    assert "valueBool" not in documents[FILE_NAMES["managed_properties"]]
    assert json.loads(documents[FILE_NAMES["amapi"]]) == {
        "serverUrl": "https://chat.example.com", "serverName": "Example Chat", "inAppPinCode": "true", "timeout": "30000",
    }


def test_settings_are_the_strings_the_app_reads(run):
    result, _unused = run
    assert result.task("first run")["settings"] == {
        "serverUrl": "https://chat.example.com",
        "serverName": "Example Chat",
        "inAppPinCode": "true",
        "timeout": "30000",
        "useVPN": "true",
    }


def test_findings_report_ios_keys_left_out_of_android_documents(run):
    result, _unused = run
    findings = result.task("first run")["findings"]
    omitted = [f for f in findings if f["code"] == "platform-key-omitted"]
    assert {(f["severity"], f["key"]) for f in omitted} == {("info", "useVPN")}
    assert sorted(f["message"].split(" document")[0] for f in omitted) == [
        "useVPN is left out of the amapi", "useVPN is left out of the managed_properties",
    ]
    assert all(f["severity"] != "error" for f in findings)


def test_diff_shows_before_and_after_of_each_changed_file(run):
    result, out = run
    first = result.task("first run")["diff"]
    assert [diff["before_header"] for diff in first] == [str(out / "lifecycle" / name) for name in FILE_NAMES.values()]
    assert all(diff["before"] == "" and diff["after"] for diff in first)
    changed = result.task("changed with backup")["diff"]
    assert len(changed) == 4
    for diff in changed:
        assert "30000" in diff["before"] and "60000" not in diff["before"]
        assert "60000" in diff["after"] and "30000" not in diff["after"]
    assert result.task("second run")["diff"] == []


def test_check_mode_task_reports_the_change_and_writes_nothing(run):
    result, _unused = run
    checked = result.task("other config in check mode")
    assert checked["changed"] is True
    assert all(entry["changed"] for entry in checked["files"])
    assert any("60000" in diff["after"] for diff in checked["diff"])
    # The next run with the first config finds the files untouched.
    assert result.task("second run")["changed"] is False


def test_second_run_changes_nothing(run):
    result, _unused = run
    second = result.task("second run")
    assert second["changed"] is False
    assert [entry["changed"] for entry in second["files"]] == [False] * 4


def test_backup_keeps_the_previous_content(run):
    result, out = run
    entries = result.task("changed with backup")["files"]
    assert all(entry["changed"] for entry in entries)
    for entry in entries:
        backup = out / "lifecycle" / entry["backup_file"].rsplit("/", 1)[1]
        assert entry["backup_file"] == str(backup)
        assert backup.name.startswith(FILE_NAMES[entry["format"]])
        assert "30000" in backup.read_text(encoding="utf-8")
        assert "60000" in (out / "lifecycle" / FILE_NAMES[entry["format"]]).read_text(encoding="utf-8")
    assert len(files_in(out / "lifecycle")) == 8


def test_mode_is_applied_and_a_mode_change_alone_is_a_change(run):
    result, out = run
    alone = result.task("mode alone")
    assert alone["changed"] is True
    assert all(entry["changed"] and "backup_file" not in entry for entry in alone["files"])
    assert alone["diff"] == []
    assert result.task("mode again")["changed"] is False
    for name in FILE_NAMES.values():
        assert stat.S_IMODE((out / "lifecycle" / name).stat().st_mode) == 0o600


def test_formats_select_the_documents_plist_style_and_version(run):
    result, out = run
    assert [entry["format"] for entry in result.task("selected formats")["files"]] == ["plist", "specfile"]
    assert files_in(out / "selected") == sorted([FILE_NAMES["plist"], FILE_NAMES["specfile"]])
    plist = (out / "selected" / FILE_NAMES["plist"]).read_text(encoding="utf-8")
    assert plist.startswith("<?xml")
    assert "<!DOCTYPE plist" in plist and '<plist version="1.0">' in plist
    assert plist.rstrip().endswith("</plist>")
    assert "<version>99999</version>" in (out / "selected" / FILE_NAMES["specfile"]).read_text(encoding="utf-8")
    # The default style, from the lifecycle run, is the bare <dict> consoles take.
    assert (out / "lifecycle" / FILE_NAMES["plist"]).read_text(encoding="utf-8").startswith("<dict>")


def test_a_format_of_a_platform_not_chosen_fails_clearly(run):
    result, out = run
    task = result.task("amapi for ios")
    assert failed(task)
    assert "format 'amapi' is read by the android app, but platforms is ['ios']" in task["msg"]
    assert "add 'android' to platforms or drop the format" in task["msg"]
    assert files_in(out / "ios-amapi") == []


def test_version_out_of_range_fails(run):
    result, out = run
    for name, value in (("version zero", 0), ("version too high", 100000)):
        task = result.task(name)
        assert failed(task)
        assert task["msg"] == (f"version: {value} is not allowed; allowed: a whole number from 1 to 99999 "
                               "(the specfile grammar's five digits); nothing was written")
    assert not (out / "version-0").exists() and not (out / "version-high").exists()


def test_a_name_that_would_write_outside_dest_fails_and_writes_nothing(run):
    result, out = run
    task = result.task("name that is a path")

    assert failed(task)
    assert task["msg"].startswith("name: '../escaped' is not allowed; allowed: a file name of 1 to 128 characters, without /")
    assert task["msg"].endswith("; nothing was written")
    assert not (out / "traversal").exists()


@pytest.mark.parametrize("key", list(BAD_CONFIG_NAMES))
def test_bad_keys_and_values_fail_naming_key_value_and_what_is_allowed(run, key):
    result, out = run
    task = result.task("bad keys and values")
    assert failed(task)
    assert task["msg"].startswith("invalid Mattermost configuration: ")
    for expected in BAD_CONFIG_NAMES[key]:
        assert expected in task["msg"]
    assert any(f["severity"] == "error" and f["key"] == key for f in task["findings"])
    assert files_in(out / "bad-config") == []


def test_an_invalid_server_url_fails_and_writes_nothing(run):
    result, out = run
    task = result.task("bad server url")
    assert failed(task)
    assert task["msg"].startswith("invalid Mattermost configuration: serverUrl is 'ftp://chat.example.com'")
    assert "https://" in task["msg"]
    assert [(f["code"], f["key"]) for f in task["findings"] if f["severity"] == "error"] == [("invalid-url", "serverUrl")]
    assert files_in(out / "bad-url") == []


def test_check_mode_on_a_fresh_directory_writes_nothing(checked):
    result, dest = checked
    assert result.rc == 0, result.stderr
    task = result.task("render in check mode")
    assert task["changed"] is True
    assert [(entry["format"], entry["path"], entry["changed"]) for entry in task["files"]] == [
        (fmt, str(dest / name), True) for fmt, name in FILE_NAMES.items()
    ]
    assert [diff["before"] for diff in task["diff"]] == [""] * 4
    assert all("chat.example.com" in diff["after"] for diff in task["diff"])
    assert task["settings"]["inAppPinCode"] == "true"
    assert not dest.parent.exists()
