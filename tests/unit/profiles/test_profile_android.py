# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Android Enterprise policy fragments, checked against the Android Management API's discovery document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.profiles.android import fully_managed_settings, work_profile_settings
from ansible_collections.mattermost.emm.plugins.module_utils.profiles.model import DeviceProfile

DISCOVERY = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "google" / "androidmanagement.v1.discovery.json"
_JSON_TYPES = {"boolean": bool, "integer": int, "string": str, "array": list, "object": dict}


def faults(schemas: dict, schema: dict, value, path: str) -> list[str]:
    """Every name, type or enum value in `value` that the discovery `schema` does not allow."""
    schema = schemas[schema["$ref"]] if "$ref" in schema else schema
    kind = _JSON_TYPES[schema["type"]]
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        return [f"{path}: {value!r} is not {schema['type']}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path}: {value!r} is not one of {schema['enum']}"]
    if isinstance(value, list):
        return [fault for index, item in enumerate(value) for fault in faults(schemas, schema["items"], item, f"{path}[{index}]")]
    if isinstance(value, dict):
        known = schema["properties"]
        return [
            fault
            for name, item in value.items()
            for fault in (faults(schemas, known[name], item, f"{path}.{name}") if name in known else [f"{path}.{name}: no such field"])
        ]
    return []


@pytest.fixture(scope="module")
def policy_faults():
    if not DISCOVERY.is_file():
        pytest.skip(f"Android Management API description not found at {DISCOVERY}: contract tests skipped")
    schemas = json.loads(DISCOVERY.read_text())["schemas"]
    return lambda fragment: faults(schemas, {"$ref": "Policy"}, fragment, "Policy")


def test_work_profile_fragment(full):
    assert work_profile_settings(full) == {
        "passwordPolicies": [{
            "passwordScope": "SCOPE_PROFILE", "passwordQuality": "NUMERIC_COMPLEX",
            "passwordMinimumLength": 6, "maximumFailedPasswordsForWipe": 10,
        }],
        "screenCaptureDisabled": True,
        "crossProfilePolicies": {"crossProfileCopyPaste": "COPY_FROM_WORK_TO_PERSONAL_DISALLOWED"},
    }


def test_fully_managed_fragment_locks_the_device_and_has_no_cross_profile_policy(full):
    assert fully_managed_settings(full) == {
        "passwordPolicies": [{
            "passwordScope": "SCOPE_DEVICE", "passwordQuality": "NUMERIC_COMPLEX",
            "passwordMinimumLength": 6, "maximumFailedPasswordsForWipe": 10,
        }],
        "screenCaptureDisabled": True,
    }


def test_only_what_is_enforced_is_set():
    nothing = DeviceProfile.from_input({"name": "n", "android": {}})
    wipe_only = DeviceProfile.from_input({"name": "n", "android": {"max_failed_attempts": 5}})
    assert work_profile_settings(nothing) == fully_managed_settings(nothing) == {}
    assert work_profile_settings(DeviceProfile.from_input({"name": "n"})) == {}
    assert fully_managed_settings(wipe_only) == {
        "passwordPolicies": [{"passwordScope": "SCOPE_DEVICE", "passwordQuality": "SOMETHING", "maximumFailedPasswordsForWipe": 5}],
    }


@pytest.mark.parametrize("quality", ["numeric", "numeric_complex", "alphabetic", "alphanumeric", "complex"])
@pytest.mark.parametrize("fragment", [work_profile_settings, fully_managed_settings], ids=lambda f: f.__name__)
def test_fragments_use_only_fields_and_values_of_the_policy(policy_faults, full, quality, fragment):
    profile = DeviceProfile.from_input({**full.model_dump(), "android": {**full.android.model_dump(), "password_quality": quality}})
    assert policy_faults(fragment(profile)) == []


def test_the_contract_check_sees_wrong_names_values_and_types(policy_faults):
    assert [fault.split(":")[0] for fault in policy_faults({
        "screenshotsDisabled": True, "screenCaptureDisabled": "yes",
        "passwordPolicies": [{"passwordQuality": "PIN"}],
    })] == ["Policy.screenshotsDisabled", "Policy.screenCaptureDisabled", "Policy.passwordPolicies[0].passwordQuality"]
