# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The validation tests' reports: JUnit XML for CI systems, one self-contained HTML page for
people (summary first, failures first, filterable, nothing fetched from a network) and a short
Markdown summary for job logs and merge requests."""

from __future__ import annotations

import html
from typing import Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.emm.validation import FAILED, PASSED, SKIPPED, Item, Outcome, show
from ansible_collections.mattermost.emm.plugins.module_utils.reports import TestCase, junit_xml

_ORDER = {FAILED: 0, SKIPPED: 1, PASSED: 2}
MARKDOWN_FAILURES = 50


def ordered(items: Sequence[Item]) -> list[Item]:
    """Failures first, then what could not be checked, then what passed; otherwise as made."""
    return sorted(items, key=lambda item: _ORDER[item.status])


def _details(item: Item) -> str:
    return f"desired: {show(item.desired)}\nactual: {show(item.actual)}"


def junit(outcome: Outcome) -> str:
    """One test suite for the tenant, one test case per item, desired and actual in each failure."""
    cases = []
    for item in outcome.items:
        case = TestCase(name=item.name, classname=f"{outcome.tenant}.{item.group}", output=item.output)
        if item.status == FAILED:
            case.failures.append((item.message, _details(item)))
        elif item.status == SKIPPED:
            case.skipped = item.message
        cases.append(case)
    return junit_xml(outcome.tenant, cases)


def _summary_line(outcome: Outcome) -> str:
    counts = outcome.counts()
    verdict = "FAILED" if counts[FAILED] else "PASSED"
    return (f"{verdict}: {counts['tests']} tests, {counts[FAILED]} failed, {counts[SKIPPED]} not checked, "
            f"{counts[PASSED]} passed")


def markdown(outcome: Outcome) -> str:
    """A short summary: the counts, then the failures (desired and actual), then what was not checked and why."""
    lines = [f"## Mattermost EMM validation: {outcome.tenant} ({outcome.provider})", "", f"**{_summary_line(outcome)}**", ""]
    failed = outcome.failed
    if failed:
        lines += ["| failed test | desired | actual |", "| --- | --- | --- |"]
        lines += [f"| {_cell(item.name)} | {_cell(show(item.desired))} | {_cell(show(item.actual))} |"
                  for item in failed[:MARKDOWN_FAILURES]]
        if len(failed) > MARKDOWN_FAILURES:
            lines.append(f"| and {len(failed) - MARKDOWN_FAILURES} more (see the JUnit or HTML report) | | |")
        lines.append("")
    skipped = [item for item in outcome.items if item.status == SKIPPED]
    if skipped:
        lines += ["Not checked:", ""] + [f"- {_cell(item.name)}: {_cell(item.message)}" for item in skipped] + [""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#1b1b1b}
h1{font-size:1.4em}
.summary{font-size:1.2em;padding:.6em 1em;border-radius:6px;margin-bottom:1em}
.summary.failed{background:#fde2e1;border:1px solid #d33}
.summary.passed{background:#e3f6e5;border:1px solid #2a8a3a}
.counts span{margin-right:1.5em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.9em}
tr.failed td.status{background:#fde2e1;font-weight:bold}
tr.skipped td.status{background:#fff4d6}
tr.passed td.status{background:#e3f6e5}
code{white-space:pre-wrap;word-break:break-word}
.controls{margin:1em 0}
.controls label{margin-right:1em}
"""

_SCRIPT = """
function applyFilter(){
  var text=document.getElementById('filter').value.toLowerCase();
  var shown={};
  document.querySelectorAll('input.status').forEach(function(box){shown[box.value]=box.checked;});
  var visible=0;
  document.querySelectorAll('#items tbody tr').forEach(function(row){
    var show=shown[row.dataset.status] && row.textContent.toLowerCase().indexOf(text)>=0;
    row.style.display=show?'':'none'; if(show){visible++;}
  });
  document.getElementById('visible').textContent=visible;
}
if(location.hash.length>1){document.getElementById('filter').value=decodeURIComponent(location.hash.slice(1));}
document.getElementById('filter').addEventListener('input',applyFilter);
document.querySelectorAll('input.status').forEach(function(box){box.addEventListener('change',applyFilter);});
applyFilter();
"""


def html_page(outcomes: Sequence[Outcome]) -> str:
    """One page for every tenant of the run; it fetches nothing, so it opens anywhere. The
    filter box starts with the page address's fragment (``report.html#jailbreak``)."""
    items = [(outcome, item) for outcome in outcomes for item in outcome.items]
    failed = sum(1 for _outcome, item in items if item.status == FAILED)
    skipped = sum(1 for _outcome, item in items if item.status == SKIPPED)
    verdict = FAILED if failed else PASSED
    title = f"Mattermost EMM validation: {'FAILED' if failed else 'PASSED'}"
    tenants = "".join(f"<li>{html.escape(outcome.tenant)} ({html.escape(outcome.provider)}): "
                      f"{html.escape(_summary_line(outcome))}</li>" for outcome in outcomes)
    rows = "".join(_row(outcome, item) for outcome, item in sorted(items, key=lambda pair: _ORDER[pair[1].status]))
    boxes = "".join(f'<label><input type="checkbox" class="status" value="{status}" checked> {status}</label>'
                    for status in (FAILED, SKIPPED, PASSED))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<div class="summary {verdict}" id="summary">
<div class="counts"><span>{len(items)} tests</span><span>{failed} failed</span><span>{skipped} not checked</span>
<span>{len(items) - failed - skipped} passed</span></div>
<ul>{tenants}</ul>
</div>
<div class="controls"><input id="filter" type="search" placeholder="filter tests" size="40"> {boxes}
<span><span id="visible">{len(items)}</span> shown</span></div>
<table id="items"><thead><tr><th>status</th><th>tenant</th><th>test</th><th>desired</th><th>actual</th><th>message</th></tr></thead>
<tbody>{rows}</tbody></table>
<script>{_SCRIPT}</script>
</body></html>
"""


def _row(outcome: Outcome, item: Item) -> str:
    message = item.message or item.output
    checked = item.status != SKIPPED
    cells = (item.status, outcome.tenant, item.name, show(item.desired) if checked else "",
             show(item.actual) if checked else "", message)
    inner = "".join(f'<td class="{name}"><code>{html.escape(value)}</code></td>'
                    for name, value in zip(("status", "tenant", "test", "desired", "actual", "message"), cells))
    return f'<tr class="{item.status}" data-status="{item.status}">{inner}</tr>\n'
