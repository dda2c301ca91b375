# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the appconfig_render and appconfig_findings filters do (each filter file holds its own documentation)."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import formats
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.model import AppConfig, ConfigError
from ansible_collections.mattermost.emm.plugins.module_utils.appconfig.validate import validate_config, validate_document
from ansible_collections.mattermost.emm.plugins.module_utils.third_party import missing_libraries


def _require_libraries() -> None:
    missing = missing_libraries()
    if missing:
        raise AnsibleFilterError(f"the mattermost.emm filters need {missing[0]} on the controller")


def _plain(value):
    """`value` as plain dicts and lists. ansible-core 2.19 passes filters lazy containers whose
    items, read the way pydantic reads a list, are still untemplated; iterating templates them."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def appconfig_render(config, format="plist", platforms=("ios", "android"), app_id="com.mattermost.rn",
                     version=1, full=False, custom_build=False):  # pylint: disable=redefined-builtin
    """A desired configuration rendered as one document."""
    _require_libraries()
    if format not in formats.FORMATS:
        raise AnsibleFilterError(f"appconfig_render: format {format!r} is not one of {', '.join(formats.FORMATS)}")
    try:
        model = AppConfig.from_input(_plain(config), _plain(platforms), app_id, bool(custom_build))
        return formats.render(model, format, version=int(version), full_plist=bool(full)).text
    except (ConfigError, ValueError) as exc:
        raise AnsibleFilterError(f"appconfig_render: {exc}") from None


def appconfig_findings(data, format=None, platforms=None, custom_app_ids=()):  # pylint: disable=redefined-builtin
    """The findings about a document (a string) or a desired configuration (a mapping); a document
    for one of `custom_app_ids` (the organisation's own Mattermost builds) is checked as Mattermost's."""
    _require_libraries()
    if isinstance(data, Mapping):
        report = validate_config(_plain(data), _plain(platforms) or ("ios", "android"))
    elif isinstance(data, (str, bytes)):
        if format is not None and format not in formats.READ_FORMATS:
            raise AnsibleFilterError(f"appconfig_findings: format {format!r} is not one of {', '.join(formats.READ_FORMATS)}")
        report = validate_document(data, format, platforms, _plain(custom_app_ids) or ())
    else:
        raise AnsibleFilterError(
            f"appconfig_findings: expected a document (string) or a configuration (mapping), got {type(data).__name__}"
        )
    return [finding.as_dict() for finding in report.findings]
