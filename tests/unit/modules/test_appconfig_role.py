# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The appconfig role through playbooks/site.yml, as `make site` runs it, and its argument spec."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
SITE = REPO_ROOT / "playbooks" / "site.yml"
INVENTORY = REPO_ROOT / "playbooks" / "inventory"
HOST = "example_org"
TUNNEL = {"connection_name": "Tunnel", "server": "vpn.example.com", "vpn_type": "ikev2", "local_identifier": "me"}
DOCUMENTS = sorted([
    "mattermost-appconfig.xml", "mattermost-ios.plist",
    "mattermost-android-managed-properties.json", "mattermost-android-amapi.json",
])


@pytest.fixture(scope="module")
def runs(playbook_runner):
    """site.yml on the example inventory, and alongside on two tenants whose variables break the
    role's argument spec."""
    runner = playbook_runner("site")
    build = runner.workdir / "build"
    site = runner.start_playbook(SITE, "-i", str(INVENTORY), "-e", json.dumps({"mattermost_build_dir": str(build)}))
    rejected_build = runner.workdir / "rejected-build"
    inventory = {"emm_tenants": {
        "hosts": {
            "bad_platform": {"mattermost_platforms": ["windows"], "mattermost_config": {"serverUrl": "https://chat.example.com"}},
            "bad_config": {"mattermost_config": "not a dict"},
            "vpn_not_awaited": {
                "mattermost_config": {"serverUrl": "https://chat.example.com", "useVPN": True},
                "mattermost_app_configurations": [{"name": "Personal", "config": {"useVPN": False}}],
                "mattermost_device_profiles": [{"name": "Tunnel", "per_app_vpn": TUNNEL}],
            },
            "two_vpns": {
                "mattermost_config": {"serverUrl": "https://chat.example.com", "useVPN": True},
                "mattermost_device_profiles": [{"name": "Tunnel A", "per_app_vpn": TUNNEL},
                                               {"name": "Tunnel B", "per_app_vpn": TUNNEL}],
            },
        },
        "vars": {
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            "mattermost_build_dir": f"{rejected_build}/{{{{ inventory_hostname }}}}",
        },
    }}
    path = runner.workdir / "inventory.yml"
    path.write_text(yaml.safe_dump(inventory), encoding="utf-8")
    rejected = runner.start_playbook(SITE, "-i", str(path))
    return {"site": (site.wait(), build), "rejected": (rejected.wait(), rejected_build)}


@pytest.fixture(scope="module")
def site(runs):
    return runs["site"]


@pytest.fixture(scope="module")
def rejected(runs):
    return runs["rejected"]


def test_site_renders_and_validates_the_example_organisation(site):
    result, build = site
    assert result.rc == 0, result.stderr
    assert result["stats"][HOST]["failures"] == 0
    # The directory also holds what the EMM step of site.yml writes (emm-offline/).
    documents = [path for path in build.iterdir() if path.is_file()]
    assert sorted(path.name for path in documents) == DOCUMENTS
    for path in documents:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    validated = result.task("Validate every rendered document", HOST)["results"]
    assert [item["format"] for item in validated] == ["specfile", "plist", "managed_properties", "amapi"]
    assert all(item["counts"]["error"] == 0 and not item["changed"] for item in validated)


def test_site_summary_counts_documents_and_errors(site):
    result, build = site
    summary = result.task("Summarise the Mattermost app configuration", HOST)["msg"]
    assert summary[0] == f"4 documents in {build} (4 changed), 0 errors and 0 warnings in the documents"
    assert "info: useVPN is left out of the managed_properties document: the android app does not read it" in summary[1:]
    assert "info: timeoutVPN is left out of the amapi document: the android app does not read it" in summary[1:]


def test_site_writes_what_the_inventory_describes(site):
    _unused, build = site
    plist = (build / "mattermost-ios.plist").read_text(encoding="utf-8")
    assert "<key>username</key>\n\t<string>{{userprincipalname}}</string>" in plist
    assert "<key>jailbreakProtection</key>\n\t<string>true</string>" in plist
    amapi = json.loads((build / "mattermost-android-amapi.json").read_text(encoding="utf-8"))
    assert amapi["allowOtherServers"] == "false" and amapi["timeout"] == "30000"
    assert "useVPN" not in amapi


SITE_SPEC = "Check the inventory's variables against the playbook's argument spec"
SITE_NAMES = "Refuse mattermost_ variables the playbook does not read (a misspelt name would be ignored)"


@pytest.mark.parametrize("host, expected", [
    ("bad_platform", ["mattermost_platforms", "windows", "ios, android"]),
    ("bad_config", ["mattermost_config", "dict"]),
])
def test_argument_spec_rejects_bad_input_before_anything_runs(rejected, host, expected):
    result, build = rejected
    assert result.rc != 0
    assert result["stats"][host]["failures"] == 1
    # The site's own argument spec is the first task: nothing after it ran.
    assert result.statuses(host) == {SITE_SPEC: "failed"}
    task = result.task(SITE_SPEC, host)
    for text in expected:
        assert text in task["msg"]
    assert not build.exists()


@pytest.mark.parametrize("host, expected", [
    ("vpn_not_awaited", ["Personal:", "Tunnel", "useVPN to true"]),
    ("two_vpns", ["Tunnel A, Tunnel B", "mattermost_app_vpn_profile"]),
])
def test_site_refuses_a_per_app_vpn_the_app_configuration_does_not_wait_for(rejected, host, expected):
    result, build = rejected
    check = "Check that the app's configuration matches the per-app VPN before anything changes"
    assert result.statuses(host) == {SITE_SPEC: "ok", SITE_NAMES: "ok", check: "failed"}
    message = result.task(check, host)["results"][-1]["msg"]
    for text in expected:
        assert text in message
    assert not (build / host).exists()
