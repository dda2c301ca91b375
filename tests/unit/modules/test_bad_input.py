# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input never reaches the EMM: each input a careless user or a hostile tester gave, run
through ansible-playbook against the emulator, fails before any request with a message naming
the option, the value and what is allowed; no traceback, no write, no password printed."""

from __future__ import annotations

import pytest

from provider_playbooks import intune_provider, run_provider_playbook
from tests.emulator import run_emulator

CONFIG = {"serverUrl": "https://chat.example.com"}
PASSWORD = "S3cretInTheUrl"

# (what was given, module, its arguments (provider: changes to the emulator's), what the message must say)
CASES = [
    ("negative timeout", "app", {"provider": {"timeout": -1}},
     ["provider.timeout: -1 is not allowed", "from 1 to 3600"]),
    ("URL that is not one", "app", {"provider": {"graph_url": "not a url"}},
     ["provider.graph_url: 'not a url' is not allowed", "an http:// or https:// URL"]),
    ("empty tenant", "app", {"provider": {"tenant_id": ""}}, ["provider type intune needs tenant_id"]),
    ("password in a URL", "app", {"provider": {"graph_url": f"http://user:{PASSWORD}@127.0.0.1:9"}},
     ["provider.graph_url: 'http://********@127.0.0.1:9' is not allowed", "no user name, password"]),
    ("empty group name", "app", {"assignments": [{"group": ""}]},
     ["assignments[0].group: '' is not allowed", "1 to 256 characters"]),
    ("group id that is not a GUID", "app", {"assignments": [{"group_id": "not-a-guid"}]},
     ["assignments[0].group_id: 'not-a-guid' is not allowed", "a GUID"]),
    ("one group assigned twice", "app", {"assignments": [{"group": "Sales"}, {"group": "Sales", "intent": "available"}]},
     ["assignments: 'Sales' is given 2 times (assignments[0], assignments[1])"]),
    ("javascript: store URL", "app", {"app_store_url": "javascript:alert(1)"},
     ["app_store_url: 'javascript:alert(1)' is not allowed", "https:// URL on apps.apple.com"]),
    ("empty display name", "app", {"display_name": ""}, ["display_name: '' is not allowed"]),
    # Newer ansible-core refuses a NUL in any argument itself (it cannot log it), before the module's rule.
    ("NUL in a display name", "app", {"display_name": "Matter\x00most"},
     [("display_name: 'Matter\\x00most' is not allowed; allowed: a name of 1 to 256 characters, without control characters",
       "Failed to log to syslog (embedded null character)")]),
    ("no platform", "app", {"platforms": []}, ["platforms: [] is not allowed", "at least one platform"]),
    ("no configuration", "app_config", {"config": CONFIG, "configurations": []},
     ["configurations: [] is not allowed", "at least one configuration"]),
    ("one configuration named twice", "app_config", {"config": CONFIG, "configurations": [{"name": "A"}, {"name": "A"}]},
     ["configurations: 'A' is given 2 times (configurations[0], configurations[1])"]),
    ("empty configuration name", "app_config", {"config": CONFIG, "configurations": [{"name": ""}]},
     ["configurations[0].name: '' is not allowed"]),
    ("PIN length of 10^20", "app_protection", {"name": "P", "minimum_pin_length": 10 ** 20},
     ["minimum_pin_length: 100000000000000000000 is not allowed", "from 4 to 16"]),
    ("no app id", "app_protection", {"name": "P", "app_ids": []}, ["app_ids: [] is not allowed"]),
    ("empty policy name", "app_protection", {"name": ""}, ["name: '' is not allowed"]),
    ("profile with only a name", "device_profile", {"name": "Mattermost device security"},
     ["missing: passcode, restrictions, per_app_vpn, android"]),
    ("audit of no app", "emm_info", {"app_ids": []}, ["app_ids: [] is not allowed"]),
    ("wipe of no device", "device_action", {"action": "wipe", "devices": []}, ["devices: [] is not allowed"]),
]


@pytest.fixture(scope="module")
def attempts(tmp_path_factory):
    """Every case in one run (each task's failure ignored), and what the emulator received."""
    with run_emulator() as emu:
        emu.seed(groups=[{"displayName": "Sales"}])
        provider = intune_provider(emu)
        tasks = [(module, dict(arguments, provider=dict(provider, **arguments["provider"])) if "provider" in arguments
                  else arguments) for _label, module, arguments, _said in CASES]
        run = run_provider_playbook(tmp_path_factory.mktemp("bad-input"), provider, tasks)
        return run, emu.requests()


@pytest.mark.parametrize(("label", "said"), [(label, said) for label, _module, _arguments, said in CASES],
                         ids=[label for label, *_rest in CASES])
def test_bad_input_fails_naming_the_option_the_value_and_what_is_allowed(attempts, label, said):
    run, _requests = attempts
    result = run.results[[case[0] for case in CASES].index(label)]

    assert result["failed"] is True
    for text in said:  # a tuple: any one of these messages
        assert any(option in result["msg"] for option in (text if isinstance(text, tuple) else (text,))), result["msg"]
    assert "module_stderr" not in result and result.get("exception") in (None, "(traceback unavailable)")


def test_nothing_reached_the_emm_and_no_secret_or_traceback_was_printed(attempts):
    run, requests = attempts

    assert len(run.results) == len(CASES)
    assert requests == []  # not even a token: every case fails before connecting
    assert PASSWORD not in run.output
    assert "Traceback (most recent call last)" not in run.output
