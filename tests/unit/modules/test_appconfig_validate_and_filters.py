# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""mattermost.emm.appconfig_validate and the two filters, as a playbook uses them.

Two plays, run side by side, hold every case; the documents are written by hand, the way a person or another tool
would, so the validator is not only checked against the collection's own rendering.
"""

from __future__ import annotations

import json

import pytest

# A trailing comma: valid in YAML and JavaScript, refused by JSON.
MALFORMED_JSON = '{\n  "serverUrl": "https://chat.example.com",\n}\n'

SPECFILE = """<?xml version="1.0" encoding="UTF-8"?>
<managedAppConfiguration>
  <version>3</version>
  <bundleId>com.mattermost.rn</bundleId>
  <dict>
    <string keyName="serverUrl">
      <defaultValue><value>https://chat.example.com</value></defaultValue>
    </string>
    <string keyName="serverName">
      <defaultValue><value>Example Chat</value></defaultValue>
    </string>
  </dict>
</managedAppConfiguration>
"""
PLIST = """<dict>
  <key>serverUrl</key>
  <string>https://chat.example.com</string>
  <key>serverName</key>
  <string>Example Chat</string>
</dict>
"""
MANAGED_PROPERTIES = json.dumps({
    "kind": "androidenterprise#managedConfiguration",
    "productId": "app:com.mattermost.rn",
    "managedProperty": [{"key": "serverUrl", "valueString": "https://chat.example.com"},
                        {"key": "serverName", "valueString": "Example Chat"}],
}, indent=2)
AMAPI = json.dumps({"serverUrl": "https://chat.example.com", "serverName": "Example Chat"}, indent=2)
# What Mattermost's own documentation suggests, and the app ignores.
BROKEN_PLIST = """<dict>
  <key>jailbreakDetection</key>
  <true/>
  <key>inAppPinCode</key>
  <true/>
  <key>serverUrl</key>
  <string>https://chat.example.com</string>
</dict>
"""
SECRET = "top-secret-marker-4711"
# Short timeout: a warning, not an error.
WARNED_CONFIG = {"serverUrl": "https://chat.example.com", "serverName": "Example Chat", "timeout": 30}
FILTER_CONFIG = {"serverUrl": "https://chat.example.com", "inAppPinCode": True, "timeout": 30000, "useVPN": True}


def hostile_xml(secret_path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE dict [
  <!ENTITY passwd SYSTEM "file:///etc/passwd">
  <!ENTITY secret SYSTEM "file://{secret_path}">
]>
<dict>
  <key>serverName</key>
  <string>&passwd;&secret;</string>
</dict>
"""


def validate(name: str, **options) -> dict:
    return {"name": name, "mattermost.emm.appconfig_validate": options}


def may_fail(task: dict) -> dict:
    return dict(task, ignore_errors=True)


def failed(task_result: dict) -> bool:
    return task_result["_status"] in ("failed", "ignored")


@pytest.fixture(scope="module")
def run(playbook_runner):
    runner = playbook_runner("validate")
    specfile = runner.workdir / "exported-appconfig.xml"
    specfile.write_text(SPECFILE, encoding="utf-8")
    secret = runner.workdir / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    documents = runner.start([
        validate("specfile from path", path=str(specfile)),
        validate("plist content", content=PLIST),
        validate("managed properties content", content=MANAGED_PROPERTIES),
        validate("amapi content", content=AMAPI),
        validate("amapi content named", content=AMAPI, format="amapi"),
        may_fail(validate("malformed json", content=MALFORMED_JSON)),
    ])
    others = runner.start([
        validate("config with a warning", config=WARNED_CONFIG),
        may_fail(validate("config with a warning, strict", config=WARNED_CONFIG, strict=True)),
        may_fail(validate("document with errors", content=BROKEN_PLIST)),
        may_fail(validate("hostile xml", content=hostile_xml(secret))),
        may_fail(validate("missing file", path=str(runner.workdir / "nothing-here.xml"))),
        {"name": "render with the filter", "ansible.builtin.set_fact": {
            "rendered": {fmt: f"{{{{ filter_config | mattermost.emm.appconfig_render('{fmt}') }}}}"
                         for fmt in ("specfile", "plist", "managed_properties", "amapi")},
            "rendered_full": "{{ filter_config | mattermost.emm.appconfig_render('plist', full=true) }}",
            "rendered_ios_default": "{{ filter_config | mattermost.emm.appconfig_render(platforms=['ios']) }}",
            "rendered_beta": "{{ filter_config | mattermost.emm.appconfig_render('managed_properties', platforms=android, app_id=beta) }}",
        }, "vars": {"filter_config": FILTER_CONFIG, "android": ["android"], "beta": "com.mattermost.rnbeta"}},
        may_fail({"name": "render a bad config", "ansible.builtin.debug": {
            "msg": "{{ {'serverUrl': 'https://chat.example.com', 'timeout': 'soon'} | mattermost.emm.appconfig_render('plist') }}",
        }}),
        may_fail({"name": "render an unknown format", "ansible.builtin.debug": {
            "msg": "{{ {'serverUrl': 'https://chat.example.com'} | mattermost.emm.appconfig_render('docx') }}",
        }}),
        {"name": "findings with the filter", "ansible.builtin.set_fact": {
            "on_string": "{{ broken_plist | mattermost.emm.appconfig_findings }}",
            "on_mapping": "{{ {'serverUrl': 'http://chat.example.com', 'useVPN': true} | mattermost.emm.appconfig_findings(platforms=['android']) }}",
            "on_good_string": "{{ amapi_text | mattermost.emm.appconfig_findings('amapi') }}",
        }, "vars": {"broken_plist": BROKEN_PLIST, "amapi_text": AMAPI}},
    ])
    return documents.wait().combined_with(others.wait()), runner.workdir


VALID_DOCUMENTS = {
    "specfile from path": "specfile",
    "plist content": "plist",
    "managed properties content": "managed_properties",
    "amapi content": "amapi",
    "amapi content named": "amapi",
}


def test_the_play_runs_to_the_end(run):
    result, _unused = run
    assert result.rc == 0, result.stderr
    expected_failures = {"malformed json", "config with a warning, strict", "document with errors", "hostile xml", "missing file",
                         "render a bad config", "render an unknown format"}
    assert {name for name, status in result.statuses().items() if status != "ok"} == expected_failures


def test_it_never_reports_changed(run):
    result, _unused = run
    validations = [task["hosts"]["localhost"] for task in result.tasks if task["action"] == "mattermost.emm.appconfig_validate"]
    assert len(validations) == 11
    assert not any(task["changed"] for task in validations)


@pytest.mark.parametrize("name", list(VALID_DOCUMENTS))
def test_valid_documents_pass_with_their_format_detected(run, name):
    result, _unused = run
    task = result.task(name)
    assert task["format"] == VALID_DOCUMENTS[name]
    assert task["counts"] == {"error": 0, "warning": 0, "info": 0}
    assert task["findings"] == []
    assert task["app_id"] == (None if VALID_DOCUMENTS[name] in ("plist", "amapi") else "com.mattermost.rn")


def test_a_config_is_validated_and_a_warning_passes(run):
    result, _unused = run
    task = result.task("config with a warning")
    assert task["format"] is None
    assert task["counts"] == {"error": 0, "warning": 1, "info": 0}
    assert [(f["code"], f["key"], f["hint"]) for f in task["findings"]] == [("short-timeout", "timeout", 'did you mean "30000"?')]


def test_strict_turns_the_warning_into_a_failure(run):
    result, _unused = run
    task = result.task("config with a warning, strict")
    assert failed(task)
    assert task["msg"] == "0 error(s), 1 warning(s): timeout is 30 milliseconds; values are milliseconds, not seconds"
    assert task["counts"]["warning"] == 1


def test_errors_fail_with_the_first_findings_and_still_return_them(run):
    result, _unused = run
    task = result.task("document with errors")
    assert failed(task)
    assert task["format"] == "plist"
    assert task["counts"] == {"error": 2, "warning": 0, "info": 1}
    assert task["msg"] == (
        "2 error(s), 0 warning(s): "
        "line 2: jailbreakDetection is not read by the app, so this setting has no effect; the app reads jailbreakProtection; "
        'line 4: inAppPinCode is a boolean (true); the app compares it to the string "true", so it reads as off'
    )
    assert [(f["severity"], f["code"], f["key"], f["line"]) for f in task["findings"]] == [
        ("error", "misspelled-key", "jailbreakDetection", 2),
        ("error", "typed-boolean", "inAppPinCode", 4),
        ("info", "server-name-missing", "serverName", 6),
    ]
    assert task["findings"][1]["hint"] == 'send the string "true"'


def test_hostile_xml_is_refused_and_no_file_content_leaks(run):
    result, _unused = run
    task = result.task("hostile xml")
    assert failed(task)
    assert [(f["severity"], f["code"], f["line"]) for f in task["findings"]] == [("error", "unsafe-xml", 3)]
    assert task["msg"].startswith("1 error(s), 0 warning(s): line 3: refused: the DOCTYPE declares the entity 'passwd'")
    with open("/etc/passwd", encoding="utf-8") as handle:
        first_line = handle.readline().strip()
    for output in (result.stdout, result.stderr):
        assert SECRET not in output
        assert first_line not in output


def json_error(document: str) -> json.JSONDecodeError:
    try:
        json.loads(document)
    except json.JSONDecodeError as error:
        return error
    raise AssertionError(f"{document!r} is valid JSON")


def test_malformed_json_names_its_line_once(run):
    # Where and how JSON is wrong is the parser's account of it, and Python's parser words a
    # trailing comma differently from one version to the next (3.13 names the comma's own line):
    # the finding carries whatever the running Python reports, once.
    result, _unused = run
    task = result.task("malformed json")
    error = json_error(MALFORMED_JSON)
    assert failed(task)
    assert task["format"] == "json"  # malformed: its shape, and so its format, is unknown
    assert [(f["code"], f["line"]) for f in task["findings"]] == [("malformed-json", error.lineno)]
    assert task["msg"] == f"1 error(s), 0 warning(s): line {error.lineno}: {error.msg} at column {error.colno}"


def test_an_unreadable_path_fails_naming_it(run):
    result, workdir = run
    task = result.task("missing file")
    assert failed(task)
    assert task["msg"] == f"1 error(s), 0 warning(s): cannot read {workdir / 'nothing-here.xml'}: No such file or directory"


def test_render_filter_gives_every_format(run):
    result, _unused = run
    rendered = result.task("render with the filter")["ansible_facts"]
    documents = rendered["rendered"]
    assert documents["plist"] == (
        "<dict>\n\t<key>inAppPinCode</key>\n\t<string>true</string>\n\t<key>serverUrl</key>\n\t<string>https://chat.example.com</string>\n"
        "\t<key>timeout</key>\n\t<string>30000</string>\n\t<key>useVPN</key>\n\t<string>true</string>\n</dict>\n"
    )
    assert json.loads(documents["amapi"]) == {"inAppPinCode": "true", "serverUrl": "https://chat.example.com", "timeout": "30000"}
    managed = json.loads(documents["managed_properties"])
    assert managed["productId"] == "app:com.mattermost.rn"
    assert {"key": "inAppPinCode", "valueString": "true"} in managed["managedProperty"]
    assert documents["specfile"].startswith('<?xml version="1.0" encoding="UTF-8"?>\n<managedAppConfiguration>')
    assert '<string keyName="useVPN">' in documents["specfile"]
    assert rendered["rendered_full"].startswith("<?xml") and "<plist" in rendered["rendered_full"]
    assert rendered["rendered_ios_default"] == documents["plist"]
    beta = json.loads(rendered["rendered_beta"])
    assert beta["productId"] == "app:com.mattermost.rnbeta"
    assert {"key": "inAppPinCode", "valueString": "true"} in beta["managedProperty"]


def test_render_filter_errors_are_clear(run):
    result, _unused = run
    bad_config = result.task("render a bad config")
    assert failed(bad_config)
    assert "appconfig_render: key 'timeout': value 'soon' is not allowed; expected a whole number of milliseconds" in bad_config["msg"]
    bad_format = result.task("render an unknown format")
    assert failed(bad_format)
    assert "appconfig_render: format 'docx' is not one of specfile, plist, managed_properties, amapi" in bad_format["msg"]


def test_findings_filter_on_a_string_and_on_a_mapping(run):
    result, _unused = run
    facts = result.task("findings with the filter")["ansible_facts"]
    assert [(f["severity"], f["code"], f["key"], f["line"]) for f in facts["on_string"]] == [
        ("error", "misspelled-key", "jailbreakDetection", 2),
        ("error", "typed-boolean", "inAppPinCode", 4),
        ("info", "server-name-missing", "serverName", 6),
    ]
    assert [(f["severity"], f["code"], f["key"], f["line"]) for f in facts["on_mapping"]] == [
        ("warning", "insecure-url", "serverUrl", None),
        ("warning", "platform-unsupported", "useVPN", None),
        ("info", "server-name-missing", "serverName", None),
    ]
    assert facts["on_mapping"][1]["message"] == "useVPN is read only by the ios app; on android it does nothing"
    assert facts["on_good_string"] == []


# The shipped playbook, run as CI and pre-commit run it -------------------------------------------

@pytest.fixture(scope="module")
def shipped(start_command, tmp_path_factory):
    from tests.unit.appconfig.report_schemas import check_junit, check_sarif  # pylint: disable=import-outside-toplevel
    from pathlib import Path  # pylint: disable=import-outside-toplevel

    repo = tmp_path_factory.mktemp("repo")
    documents = Path(__file__).parents[1] / "appconfig" / "documents"
    (repo / "emm" / "intune").mkdir(parents=True)
    for name in ("graph-ios-settings.json", "graph-mam.json"):
        (repo / "emm" / "intune" / name).write_bytes((documents / name).read_bytes())
    (repo / "emm" / "jamf-record.xml").write_bytes((documents / "jamf-record.xml").read_bytes())
    (repo / "emm" / "clean.plist").write_text(PLIST, encoding="utf-8")
    variables = json.dumps({"documents": ["emm/**/*.json", "emm/*.xml", "emm/clean.plist"], "documents_root": str(repo)})
    run = start_command("ansible-playbook", "mattermost.emm.validate_documents", "-e", variables).wait()
    return run, check_junit((repo / "appconfig-validation.junit.xml").read_text("utf-8")), \
        check_sarif((repo / "appconfig-validation.sarif").read_text("utf-8"))


def test_the_shipped_playbook_fails_on_errors_and_names_the_documents(shipped):
    run, _junit, _sarif = shipped
    assert run.returncode == 2, run.stdout + run.stderr
    assert "emm/intune/graph-mam.json: line 2:" in run.stdout


def test_its_junit_report_has_one_case_per_document(shipped):
    _run, junit, _sarif = shipped
    cases = {case.get("name"): case.find("failure") is not None for case in junit.iter("testcase")}
    assert cases == {"emm/clean.plist": False, "emm/intune/graph-ios-settings.json": True,
                     "emm/intune/graph-mam.json": True, "emm/jamf-record.xml": True}


def test_its_sarif_report_annotates_each_finding_at_its_line(shipped):
    _run, _junit, sarif = shipped
    places = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"],
               r["locations"][0]["physicalLocation"].get("region", {}).get("startLine")) for r in sarif["runs"][0]["results"]}
    assert ("emm/intune/graph-ios-settings.json", "misspelled-key", 23) in places
    assert ("emm/jamf-record.xml", "wrong-case-value", 26) in places
    assert ("emm/intune/graph-mam.json", "mam-channel", 2) in places
