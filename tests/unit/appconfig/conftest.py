# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hypothesis profiles for the AppConfig tests.

``dev`` (the default) explores new random examples on every run; ``ci`` (chosen when the
``CI`` environment variable is set, or with ``--hypothesis-profile=ci``) is deterministic and
keeps no example database, so a CI failure reproduces exactly on a laptop. Tests choose their
own ``max_examples``; neither profile imposes a deadline, as XML schema validation on a busy
runner is slow to start.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
