#!/usr/bin/env python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Render and validate a generated corpus of Mattermost configurations and documents.

Prints documents per second for rendering and for validation (one process, so one core), per
format and overall, and the peak resident memory. Target: validate at least 5,000 typical
documents per second.

    python benchmarks/appconfig_bench.py [--configs 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import os
import string
import random
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "collections"))

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog, formats  # noqa: E402
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import AppConfig  # noqa: E402
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_document  # noqa: E402

SAMPLE_VALUES = {
    catalog.SWITCH: (True, False),
    catalog.MILLISECONDS: (5000, 15000, 30000, 60000),
    catalog.URL: ("https://chat.example.com", "https://mm.corp.example.org:8065/team"),
    catalog.TEXT: ("Example Chat", "{{userprincipalname}}", "$EMAIL", "Ünïcode & <Co>"),
}

# Mistakes found in the wild, applied to a rendered document to make a broken one.
BREAKAGES = (
    ("<string>true</string>", "<true/>"),
    ('"valueString": "true"', '"valueBool": true'),
    ("jailbreakProtection", "jailbreakDetection"),
    ("serverUrl", "serverURL"),
    ("</dict>", "<dict>"),
    ('"true"', '"True"'),
)


def random_config(rng: random.Random) -> AppConfig:
    keys = rng.sample(catalog.KEYS[:-1], rng.randint(4, len(catalog.KEYS) - 1))
    settings = {key.name: rng.choice(SAMPLE_VALUES[key.kind]) for key in keys}
    return AppConfig.from_input(settings)


def broken(document: str, rng: random.Random) -> str:
    candidates = [(old, new) for old, new in BREAKAGES if old in document]
    if not candidates:
        return document[: len(document) // 2]  # truncated: malformed
    old, new = rng.choice(candidates)
    return document.replace(old, new, 1)


def exports(config: AppConfig) -> dict[str, str]:
    """The configuration as each EMM export the validator reads."""
    ios = config.for_platform("ios")
    android = config.for_platform("android")
    play = formats.render(config, "managed_properties").text if android else "[]"
    return {
        "graph (iOS settings)": json.dumps({
            "@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "id": "1", "displayName": "Mattermost",
            "settings": [{"appConfigKey": k, "appConfigKeyType": "stringType", "appConfigKeyValue": v} for k, v in ios.items()],
        }, indent=2),
        "graph (Android)": json.dumps({"@odata.type": "#microsoft.graph.androidManagedStoreAppConfiguration", "id": "2",
                                       "packageId": "app:com.mattermost.rn",
                                       "payloadJson": base64.b64encode(play.encode()).decode()}, indent=2),
        "jamf": ("<mobile_device_application><general><id>1</id><name>Mattermost</name><bundle_id>com.mattermost.rn"
                 "</bundle_id></general><app_configuration><preferences>"
                 + formats.render(config, "plist").text.replace("&", "&amp;").replace("<", "&lt;")
                 + "</preferences></app_configuration></mobile_device_application>"),
        "workspace_one": json.dumps({"assignments": [{"priority": 0, "distribution": {"name": "Mattermost"},
                                                      "application_configuration": [
            {"key": k, "value": v, "type": 1} for k, v in config.settings.items()]}]}, indent=2),
        "amapi_policy": json.dumps({"name": "enterprises/e/policies/p", "applications": [
            {"packageName": "com.mattermost.rn", "managedConfiguration": android}]}, indent=2),
    }


def hostile() -> dict[str, tuple[str, str | None]]:
    """Documents that were once slow or unbounded, as (document, format)."""
    names = ("".join(letters) for letters in itertools.product(string.ascii_letters, repeat=3))
    return {
        "2,000 duplicated keys": ("{" + ",".join(['"serverUrl":"https://chat.example.com"'] * 2000) + "}", None),
        "100,000 distinct keys": ("{" + ",".join(f'"{n}":""' for n in itertools.islice(names, 100_000)) + "}", "amapi"),
        "1.65 MB document": ('{"vendor": "' + "x" * 1_650_000 + '"}', None),
    }


def timed(function, items) -> float:
    start = time.perf_counter()
    for item in items:
        function(item)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=2000, help="configurations to generate")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    configs = [random_config(rng) for _config in range(args.configs)]
    start = time.perf_counter()
    for fmt in formats.FORMATS:  # first use builds the schema and parsers: measured apart
        validate_document(formats.render(configs[0], fmt).text)
    print(f"first use (schema and parser set-up): {(time.perf_counter() - start) * 1000:.0f} ms")

    print(f"corpus: {len(configs)} configurations x {len(formats.FORMATS)} formats, plus one broken copy of each")
    print(f"{'format':<20}{'render/s':>12}{'validate/s':>14}{'broken/s':>12}")
    all_documents, total_render = [], 0.0
    for fmt in formats.FORMATS:
        documents = []
        render_seconds = timed(lambda config: documents.append(formats.render(config, fmt).text), configs)
        damaged = [broken(document, rng) for document in documents]
        valid_seconds = timed(validate_document, documents)
        broken_seconds = timed(validate_document, damaged)
        print(f"{fmt:<20}{len(configs) / render_seconds:>12,.0f}{len(documents) / valid_seconds:>14,.0f}"
              f"{len(damaged) / broken_seconds:>12,.0f}")
        all_documents += documents + damaged
        total_render += render_seconds
    print(f"{'export format':<22}{'validate/s':>12}")
    corpus = [exports(config) for config in configs]
    for name in corpus[0]:
        documents = [item[name] for item in corpus]
        print(f"{name:<22}{len(documents) / timed(validate_document, documents):>12,.0f}")
    print("hostile documents (target: each under a second)")
    for name, (document, fmt) in hostile().items():
        seconds = timed(lambda text, fmt=fmt: validate_document(text, fmt), [document])
        print(f"  {name:<24}{len(document):>10,} bytes {seconds:>8.3f} s")
    rng.shuffle(all_documents)
    mixed_seconds = timed(validate_document, all_documents)
    print(f"overall: render {len(configs) * len(formats.FORMATS) / total_render:,.0f} documents/s, "
          f"validate {len(all_documents) / mixed_seconds:,.0f} documents/s (mixed formats, half broken)")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory: {peak_kib / 1024:.1f} MiB resident")


if __name__ == "__main__":
    main()
