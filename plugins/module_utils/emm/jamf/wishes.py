# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the user's specs mean in Jamf Pro: the records wanted, and the refusals of what Jamf cannot do.

Pure: the tenant is read only through the callables passed in (group names to ids, the app
records), and only once every refusal has had its chance, so bad input fails before any request,
saying why and what to do instead.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

from ansible_collections.mattermost.emm.plugins.module_utils.appconfig import catalog
from ansible_collections.mattermost.emm.plugins.module_utils.emm.engine import (
    APP,
    APP_CONFIG,
    DEVICE_PROFILE,
    Actual,
    Desired,
    ProviderError,
    Wishes,
)
from ansible_collections.mattermost.emm.plugins.module_utils.emm.jamf import records
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import (
    COMPANY_OWNED,
    AppConfigSpec,
    AppSpec,
    DeviceProfileSpec,
    GroupTarget,
)
from ansible_collections.mattermost.emm.plugins.module_utils.profiles import apple

APPLE_ONLY = ("Jamf Pro manages Apple devices only, so it cannot serve Android: set platforms to [ios] for a Jamf "
              "tenant and manage Android with an EMM that has it")
# Group display name -> id, for the targets given (a missing or ambiguous name raises).
Resolver = Callable[[Iterable[GroupTarget]], Mapping[str, str]]
PER_APP_VPN_BINDING = (
    "device profile {name!r} holds a per-app VPN: Jamf Pro ties an app to a per-app VPN in the app record, which "
    "its API does not expose, so the Mattermost app uses this VPN only once you select it in the Mattermost app "
    "record in the Jamf Pro console"
)


# app ----------------------------------------------------------------------------------------

# Why an .ipa is not uploaded to Jamf Pro, and what to give instead.
CUSTOM_BUILD_IPA_REFUSED = (
    "ipa is not uploaded to Jamf Pro: the Classic API takes an in-house app's .ipa only as a multipart upload to an "
    "existing record (fileuploads/mobiledeviceapplicationsipa) and its record shows no digest of the file, so a second "
    "run could not tell an unchanged .ipa from a new one without uploading it again; host the build (its manifest) "
    "where your devices can download it and give that URL as hosted_url instead; nothing was sent"
)
CUSTOM_BUILD_URL_MISSING = (
    "a custom build on Jamf Pro is an in-house app record hosted externally: give hosted_url, the https URL where "
    "the organisation hosts the build's manifest; nothing was sent"
)


def app_wish(spec: AppSpec, resolve: Resolver) -> Desired:
    """The App Store app record for `spec.app_id` (one record per bundle id)."""
    if spec.state == "absent":
        return Desired(APP, spec.app_id, {}, present=False)
    _refuse_app_options(spec)
    return Desired(APP, spec.app_id, records.app_body(spec), records.scope(spec.assignments, resolve(spec.assignments)))


def _refuse_app_options(spec: AppSpec) -> None:
    if spec.custom_build and spec.ipa is not None:
        raise ProviderError(f"app {spec.app_id}: {CUSTOM_BUILD_IPA_REFUSED}")
    if spec.custom_build and spec.hosted_url is None and spec.state == "present":
        raise ProviderError(f"app {spec.app_id}: {CUSTOM_BUILD_URL_MISSING}")
    if catalog.ANDROID in spec.platforms:
        raise ProviderError(f"app {spec.app_id}: {APPLE_ONLY}")
    if spec.vpn_configuration_id is not None:
        raise ProviderError(
            f"app {spec.app_id}: vpn_configuration_id {spec.vpn_configuration_id!r} cannot be set for Jamf Pro, which ties "
            "an app to a per-app VPN in the app record without exposing it in its API: leave vpn_configuration_id "
            "out, deploy the VPN with mattermost.emm.device_profile (per_app_vpn) and select it in the app record "
            "in the Jamf Pro console")
    if spec.removable is not None:
        raise ProviderError(f"app {spec.app_id}: removable {spec.removable!r} has no Jamf Pro equivalent (its app record "
                            "cannot stop users removing the app); leave removable out")
    intents = {target.intent for target in spec.assignments if not target.exclude}
    if "uninstall" in intents:
        raise ProviderError(f"app {spec.app_id}: intent 'uninstall' does not exist in Jamf Pro, whose scope only says "
                            "who gets the app: keep a group's devices from it with exclude: true instead")
    if len(intents) > 1:
        raise ProviderError(
            f"app {spec.app_id}: the assignments mix the intents {', '.join(sorted(intents))}, but a Jamf Pro app "
            "record has one deployment type for its whole scope (required: 'Install Automatically/Prompt Users "
            "to Install', available: 'Make Available in Self Service'): give every included group the same intent")


# app_config ---------------------------------------------------------------------------------

def app_config_wishes(specs: Sequence[AppConfigSpec], resolve: Resolver,
                      read_apps: Callable[[], Mapping[str, Actual]], check_mode: bool) -> Wishes:
    """One APP_CONFIG per app record: Jamf keeps one AppConfig in the app record, for its whole
    scope. `read_apps` gives the records by bundle id. Several present specs for one app must
    carry the same keys; their groups join the app's scope. With only absent specs for an app,
    its preferences are emptied, if the collection made the record."""
    present = [spec for spec in specs if spec.state == "present"]
    notes = [note for spec in present for note in _refuse_config_options(spec)]
    app_ids = sorted({spec.config.app_id for spec in specs})
    settings = {app_id: _one_configuration(app_id, [spec for spec in present if spec.config.app_id == app_id])
                for app_id in app_ids}
    apps = read_apps()
    group_ids = resolve(target for spec in present for target in spec.groups)
    desired: list[Desired] = []
    for app_id in app_ids:
        targets = [target for spec in present if spec.config.app_id == app_id for target in spec.groups]
        if settings[app_id] is not None:
            if app_id not in apps:
                notes.append(_missing_app(app_id, check_mode))
            assignments = records.scope(targets, group_ids) if targets else None
            desired.append(Desired(APP_CONFIG, app_id, {"preferences": settings[app_id]}, assignments))
        elif app_id in apps and apps[app_id].owned:
            desired.append(Desired(APP_CONFIG, app_id, {"preferences": {}}))
        elif app_id in apps:  # emptying a colleague's AppConfig would remove what the collection never made
            notes.append(f"app record {app_id} ({apps[app_id].id}) was not created by this collection; "
                         "its AppConfig is left in place")
    return Wishes(desired, notes)


def _refuse_config_options(spec: AppConfigSpec) -> list[str]:
    if catalog.ANDROID in spec.config.platforms:
        raise ProviderError(f"app_config {spec.name!r}: {APPLE_ONLY}")
    if spec.intune_app_protection:
        raise ProviderError(f"app_config {spec.name!r}: intune_app_protection adds Intune's own keys, which mean "
                            "nothing in Jamf Pro: leave it out")
    if len(spec.enrollment) == 1:
        other = "byod" if spec.enrollment[0] == COMPANY_OWNED else COMPANY_OWNED
        return [f"app_config {spec.name!r}: Jamf Pro cannot limit an AppConfig to {spec.enrollment[0]} devices, so it also "
                f"reaches the {other} devices in the app's scope; scope the app to groups of {spec.enrollment[0]} devices"]
    return []


def _one_configuration(app_id: str, specs: Sequence[AppConfigSpec]) -> dict[str, str] | None:
    """The one configuration the present specs give the app (None when there are none)."""
    configurations = {spec.name: spec.config.for_platform(catalog.IOS) for spec in specs}
    if not configurations:
        return None
    if len({tuple(sorted(settings.items())) for settings in configurations.values()}) > 1:
        raise ProviderError(
            f"app_config entries {', '.join(map(repr, configurations))} give {app_id} different configurations, but "
            "a Jamf Pro app record holds one AppConfig for everyone it reaches: merge them into one entry, and "
            "let Jamf variables such as $EMAIL or $USERNAME fill in what differs per user or device")
    return next(iter(configurations.values()))


def _missing_app(app_id: str, check_mode: bool) -> str:
    if not check_mode:
        raise ProviderError(f"Jamf Pro has no app record for {app_id}, and its AppConfig lives in that record: add the "
                            "app first with mattermost.emm.app")
    return f"check mode: Jamf Pro has no app record for {app_id} yet; its AppConfig is planned as if it had one"


# device_profile -----------------------------------------------------------------------------

def profile_wishes(spec: DeviceProfileSpec, resolve: Resolver) -> Wishes:
    """One mobile device configuration profile carrying the generated .mobileconfig."""
    name = spec.profile.name
    if spec.state == "absent":
        return Wishes([Desired(DEVICE_PROFILE, name, {}, present=False)])
    if catalog.ANDROID in spec.platforms:
        raise ProviderError(f"device profile {name!r}: {APPLE_ONLY}")
    body = records.profile_body(apple.document(spec.profile))
    notes = [PER_APP_VPN_BINDING.format(name=name)] if spec.profile.per_app_vpn else []
    if spec.profile.android is not None:
        notes.append(f"device profile {name!r}: its android section is not used, since Jamf Pro manages Apple devices only")
    return Wishes([Desired(DEVICE_PROFILE, name, body, records.scope(spec.groups, resolve(spec.groups)))], notes)
