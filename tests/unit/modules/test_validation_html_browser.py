# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The validation HTML report, opened in a headless Chromium (the system package): the page a
reader sees says FAILED first, lists the failures before what passed, and its filter runs."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm.validation import FAILED, PASSED, SKIPPED, Item, Outcome
from ansible_collections.mattermost.emm.plugins.module_utils.validation_reports import html_page

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER = next((path for path in map(shutil.which, BROWSERS) if path), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason=f"no headless browser on this machine (looked for {', '.join(BROWSERS)}; "
                                                        "Debian: apt-get install chromium); .ci/run installs it")
TYPED = "app_config 'Mattermost - Contoso (iOS)' key jailbreakProtection"


def _outcome() -> Outcome:
    items = [
        Item("app 'ios:com.mattermost.rn' present", "app", PASSED, "present", "present (2d5f)"),
        Item(TYPED, "app_config", FAILED, "true", "<boolean>true",
             f"{TYPED}: desired 'true', the EMM holds a typed boolean 'true'"),
        Item("devices app", "devices", SKIPPED, message="Intune reports an app's installation per device in its reports"),
        Item("app_config 'Mattermost - Contoso (iOS)' key serverUrl", "app_config", PASSED,
             "https://chat.contoso.com", "https://chat.contoso.com"),
    ]
    return Outcome("contoso <prod>", "Microsoft Intune", items)


def _dom(page, fragment: str = "") -> str:
    done = subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--virtual-time-budget=2000", "--dump-dom", page.as_uri() + fragment],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _rows(dom: str) -> list[tuple[str, bool]]:
    """(status, shown) of each row, in the page's order."""
    return [(status, "display: none" not in style)
            for status, style in re.findall(r'<tr class="(\w+)" data-status="\w+"(?: style="([^"]*)")?', dom)]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html_page([_outcome()]), encoding="utf-8")
    return path


def test_the_reader_sees_the_verdict_and_the_counts_first_then_the_failures(page):
    dom = _dom(page)
    text = re.sub(r"<[^>]+>", " ", dom)

    assert "<title>Mattermost EMM validation: FAILED</title>" in dom
    assert text.index("FAILED") < text.index("4 tests") < text.index("1 failed") < text.index(TYPED)
    assert "contoso &lt;prod&gt; (Microsoft Intune)" in dom
    assert [status for status, _shown in _rows(dom)] == [FAILED, SKIPPED, PASSED, PASSED]
    assert all(shown for _status, shown in _rows(dom))
    assert '<span id="visible">4</span>' in dom


def test_the_filter_runs_in_the_browser(page):
    dom = _dom(page, "#jailbreak")

    assert _rows(dom) == [(FAILED, True), (SKIPPED, False), (PASSED, False), (PASSED, False)]
    assert '<span id="visible">1</span>' in dom
