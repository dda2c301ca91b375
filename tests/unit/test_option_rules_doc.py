# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every documented option of every module has a rule, every rule belongs to a documented
option, and docs/option-rules.md lists them as the modules hold them."""

from __future__ import annotations

import pytest

from tests.utils import option_rules_doc as generator


@pytest.fixture(scope="module")
def docs():
    return generator.module_docs()


@pytest.mark.parametrize("module", generator.MODULES)
def test_every_documented_option_has_a_rule(docs, module):
    options = docs[module]["options"]
    rules = generator.module_rules(module, options)

    assert sorted(set(generator.documented_paths(options)) - set(rules)) == []


@pytest.mark.parametrize("module", generator.MODULES)
def test_every_rule_is_for_an_option_the_module_documents(docs, module):
    options = docs[module]["options"]
    rules = generator.module_rules(module, options)

    assert sorted(path for path in rules if path.split(".")[0].removesuffix("[]") not in options) == []


def test_the_option_rules_page_is_current(docs):
    assert generator.DOC.read_text(encoding="utf-8") == generator.render(docs), (
        "docs/option-rules.md is out of date: run .venv/bin/python tests/utils/option_rules_doc.py --write")
