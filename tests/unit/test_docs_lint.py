# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The docs lint repeats a run only when its sole errors are the tool's temporary directory name."""

from tests.utils.docs_lint import only_the_tool_fault

TOOL = 'plugins/module/app.rst:4:0: (ERROR/3) Unknown target name: "antsibull-docs-j6_g585".'
OURS = "plugins/module/app.rst:12:0: (ERROR/3) Unknown target name: \"serverurl\"."


def test_a_run_failing_only_on_the_temporary_directory_is_repeated():
    assert only_the_tool_fault("\n".join(["Linting docs config file", TOOL, TOOL.replace("app.rst", "emm_info.rst")]))


def test_any_other_error_fails_at_once():
    assert not only_the_tool_fault("\n".join([TOOL, OURS]))
    assert not only_the_tool_fault("docs/docsite/rst/providers.rst:3:0: (ERROR/3) Unexpected indentation.")
    assert not only_the_tool_fault("no error at all, yet a non-zero exit")
