# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The provider layer: one HTTP client (`http`) and, on top of it, one module per EMM vendor API.

Nothing in this package imports Ansible's module machinery; `http` uses only
`ansible.module_utils.urls` and the standard library.
"""

from __future__ import annotations
