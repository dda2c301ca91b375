# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Documents that once made validation slow or unbounded: each is read within bounds, and right.

The speed figures are in benchmarks/appconfig_bench.py; these tests check the results."""

from __future__ import annotations

import itertools
import os
import string

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_document
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.xmlsafe import DEFAULT_MAX_BYTES
from ansible_collections.mattermost.emm.plugins.module_utils.files import UnreadableDocument, read_document


def test_two_thousand_duplicated_keys_are_each_reported_at_their_line():
    document = "{\n" + ",\n".join(['"serverUrl": "https://chat.example.com"'] * 2000) + "\n}"
    duplicates = [f for f in validate_document(document).findings if f.code == "duplicate-key"]
    assert [f.line for f in duplicates] == list(range(3, 2002))
    assert "first on line 2" in duplicates[-1].message


def test_a_hundred_thousand_keys_each_get_their_finding():
    names = ("".join(letters) for letters in itertools.product(string.ascii_letters, repeat=3))
    document = "{" + ",".join(f'"{name}":""' for name in itertools.islice(names, 100_000)) + "}"
    assert len(document) < DEFAULT_MAX_BYTES
    report = validate_document(document, "amapi")
    assert report.counts == {"error": 0, "warning": 100_000, "info": 0}


@pytest.mark.parametrize("document", [
    '{"vendor": "' + "x" * 1_650_000 + '"}',
    ("<dict><key>vendor</key><string>" + "x" * 1_650_000 + "</string></dict>").encode(),
])
def test_a_document_over_the_cap_is_refused_before_parsing(document):
    (finding,) = validate_document(document).findings
    assert (finding.severity, finding.code) == ("error", "too-large")
    assert f"limit of {DEFAULT_MAX_BYTES} bytes" in finding.message


def test_deep_nesting_is_an_error_not_a_crash():
    (finding,) = validate_document('{"vendor": ' + "[" * 100_000 + "]" * 100_000 + "}", "amapi").findings
    assert finding.code == "malformed-json"


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null"])
def test_a_device_is_never_read(path):
    with pytest.raises(UnreadableDocument, match="not a regular file"):
        read_document(path, DEFAULT_MAX_BYTES)


def test_a_fifo_is_never_opened(tmp_path):
    fifo = tmp_path / "document.json"
    os.mkfifo(fifo)  # nobody writes to it: opening it for reading would block forever
    with pytest.raises(UnreadableDocument, match="not a regular file"):
        read_document(str(fifo), DEFAULT_MAX_BYTES)


def test_a_large_file_is_refused_from_its_size_alone(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * DEFAULT_MAX_BYTES + b"}")
    with pytest.raises(UnreadableDocument, match="over the limit"):
        read_document(str(big), DEFAULT_MAX_BYTES)
    small = tmp_path / "small.json"
    small.write_bytes(b'{"vendor": "Example"}')
    assert read_document(str(small), DEFAULT_MAX_BYTES) == b'{"vendor": "Example"}'
