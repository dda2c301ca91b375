#!/usr/bin/env python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Requests and wall time of a no-change run, for each vendor, side by side.

One deployment (the Mattermost iOS app for two groups, its AppConfig and a passcode profile; for
Android Management, which has no groups, the Android app, its managed configuration and the work
profile's settings in two policies) is converged through the engine on the emulator, once per
vendor; then a run that changes nothing
is timed --repeat times (each module with a fresh provider, as ansible-playbook does). Printed:
the median wall time, and what the emulator received during one such run: requests, GETs,
writes and token requests. Jamf's Classic lists hold only ids and names, so its no-change run
also reads the owned records one by one; Intune's lists carry whole objects; Android Management
lists the policies once per module and reads the app's managed properties from Google Play.

Exits with 1 when a no-change run writes anything.

    .venv/bin/python benchmarks/vendor_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Callable

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(REPO, "collections"), REPO]  # the checkout's collection link, and tests.emulator

# pylint: disable=wrong-import-position
from ansible_collections.mattermost.emm.plugins.module_utils.emm import android_management, intune, jamf  # noqa: E402
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import Provider  # noqa: E402
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (  # noqa: E402
    AppConfigSpec,
    AppSpec,
    DeviceProfileSpec,
    parse,
)
from tests.emulator import run_emulator  # noqa: E402

GROUPS = ("Mattermost corporate", "Mattermost BYOD")
TARGETS = [{"group": name} for name in GROUPS]
POLICIES = ("company-owned", "work-profile")
CONFIG = {"serverUrl": "https://chat.example.com", "inAppPinCode": True}


def specs() -> list:
    app = parse(AppSpec, {"platforms": ["ios"], "assignments": TARGETS})
    configs = [AppConfigSpec.from_input({"name": "Mattermost", "platforms": ["ios"], "groups": TARGETS,
                                         "config": {"serverUrl": "https://chat.example.com", "inAppPinCode": True}}, {})]
    profile = DeviceProfileSpec.from_input({"name": "Mattermost device security", "passcode": {"min_length": 6}},
                                           platforms=["ios"], groups=TARGETS)
    return [lambda p: p.plan_apps(app), lambda p: p.plan_app_configs(configs), lambda p: p.plan_device_profiles(profile)]


def policy_specs() -> list:
    """The same deployment in Android Management's terms: policies instead of groups."""
    app = parse(AppSpec, {"platforms": ["android"], "policies": [{"policy": name} for name in POLICIES]})
    configs = [AppConfigSpec.from_input({"name": "Mattermost", "platforms": ["android"], "policies": list(POLICIES),
                                         "config": CONFIG}, {})]
    android = {"password_min_length": 6, "password_quality": "alphanumeric"}
    profile = DeviceProfileSpec.from_input({"name": "Mattermost device security", "android": android},
                                           platforms=["android"], enrollment=["byod"], policies=list(POLICIES))
    return [lambda p: p.plan_apps(app), lambda p: p.plan_app_configs(configs), lambda p: p.plan_device_profiles(profile)]


def intune_provider(emulator) -> Callable[[], Provider]:
    emulator.seed(groups=[{"displayName": name, "securityEnabled": True} for name in GROUPS])
    settings = {"graph_url": emulator.base_url, "login_url": emulator.base_url, "tenant_id": "bench.example.com",
                "client_id": emulator.client_id, "client_secret": emulator.client_secret, "settle_seconds": 0}
    return lambda: Provider(intune.connect(settings), settle_seconds=0)


def jamf_provider(emulator) -> Callable[[], Provider]:
    emulator.seed(**{"jamf/mobile_device_groups": [{"name": name, "is_smart": False} for name in GROUPS]})
    settings = {"url": emulator.jamf_url, "client_id": emulator.client_id, "client_secret": emulator.client_secret}
    return lambda: Provider(jamf.connect(settings))


def android_management_provider(emulator) -> Callable[[], Provider]:
    emulator.seed(**{"amapi/policies": [{"name": f"enterprises/LC00emu01/policies/{name}"} for name in POLICIES]})
    settings = {"enterprise": "enterprises/LC00emu01", "url": emulator.amapi_url,
                "service_account_key": emulator.amapi_key()}
    return lambda: Provider(android_management.connect(settings))


def run(connect, plans) -> bool:
    """One site run; whether it changed anything."""
    changed = False
    for make_plan in plans:
        provider = connect()
        work = make_plan(provider)
        provider.apply(work)
        changed = changed or work.changed
    return changed


def measure(vendor: str, make_connect, repeat: int, make_plans=specs) -> dict:
    with run_emulator() as emulator:
        connect = make_connect(emulator)
        plans = make_plans()
        run(connect, plans)
        times, changed = [], False
        while len(times) < repeat:
            emulator.clear_requests()
            started = time.perf_counter()
            changed = run(connect, plans) or changed
            times.append(time.perf_counter() - started)
        log = emulator.requests()
    tokens = [entry for entry in log if "token" in entry["path"]]
    return {"vendor": vendor, "seconds": statistics.median(times), "requests": len(log),
            "gets": sum(entry["method"] == "GET" for entry in log), "writes": sum(entry["write"] for entry in log),
            "tokens": len(tokens), "changed": changed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="no-change runs to time (the median is shown)")
    args = parser.parse_args()
    rows = [measure("intune", intune_provider, args.repeat), measure("jamf", jamf_provider, args.repeat),
            measure("android_management", android_management_provider, args.repeat, policy_specs)]
    print(f"{'vendor':18} {'wall s':>8} {'requests':>9} {'GETs':>6} {'writes':>7} {'tokens':>7}")
    for row in rows:
        print(f"{row['vendor']:18} {row['seconds']:8.3f} {row['requests']:9d} {row['gets']:6d} {row['writes']:7d} {row['tokens']:7d}")
    failed = [row["vendor"] for row in rows if row["writes"] or row["changed"]]
    if failed:
        print(f"FAILED: a no-change run wrote or changed something on {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
