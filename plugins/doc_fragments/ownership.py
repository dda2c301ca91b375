# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The `adopt` option of every reconciling module, documented once."""

    DOCUMENTATION = r"""
options:
  adopt:
    description:
      - What to do with an object that carries a name the module manages but was not created by
        the collection (its description lacks the collection's ownership marker), such as one
        made in the console by a colleague.
      - V(false) fails before anything is sent, naming each such object and its id.
      - V(true) updates it to what the task describes and reports it in RV(adopted); it stays
        unowned (the marker is not written), so O(state=absent) and the removal of what a
        description no longer calls for leave it in place.
      - An app entry that belongs to a store (an Intune C(iosVppApp) or Managed Google Play
        app) is never adopted, changed or deleted; only its assignments are managed.
      - The ownership rules are in the collection's Ownership and adoption guide (docs/docsite/rst/ownership.rst).
    type: bool
    default: false
notes:
  - The collection deletes only what it created and keeps assignments it did not make; see the
    Ownership and adoption guide (docs/docsite/rst/ownership.rst).
"""
