#!/usr/bin/python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: device_action
short_description: Wipe, retire or selectively wipe named devices through the EMM
version_added: 1.0.0
description:
  - Asks the EMM to wipe (factory reset) or retire (remove management, the managed Mattermost app
    and its data, keeping personal data) each device the task names, or to selectively wipe the
    Mattermost app's company data and nothing else of the device.
  - A selective wipe acts on Intune app protection (MAM) registrations of the Mattermost app, so it
    applies where the app is protected by an app protection policy, for example on unenrolled iOS
    devices. On enrolled devices, V(retire) removes the managed Mattermost app with its data.
  - Never implied. Each run names the devices (for a selective wipe, the app registrations), by id,
    serial number, user or device name, and the action. A selection that matches more than
    O(max_devices) fails and sends nothing; so does a selector that matches nothing.
  - In check mode it reports exactly which devices would be affected and sends nothing.
  - The action is queued by the EMM until the device checks in; the module reports what was
    requested of each device, not the device's later state.
  - This is not idempotent by nature; running it again asks again. Guard it in playbooks.
author:
  - Mattermost EMM contributors (@mattermost)
extends_documentation_fragment:
  - mattermost.emm.provider
attributes:
  check_mode:
    support: full
    description: Lists the devices that would be affected; sends nothing.
  diff_mode:
    support: none
    description: There is no state to compare.
options:
  action:
    description:
      - V(wipe) resets the device to factory settings (Intune C(managedDevices/{id}/wipe)).
      - V(retire) removes the device from management with its managed apps and their data,
        Mattermost included (Intune C(managedDevices/{id}/retire)).
      - V(selective_wipe) removes the company data of the Mattermost app (C(com.mattermost.rn) or
        C(com.mattermost.rnbeta)) protected by Intune app protection, leaving the rest of the device alone
        (Intune C(users/{userId}/wipeManagedAppRegistrationsByDeviceTag), one request per user and device
        tag). Intune addresses the request to a user and a device tag, so other apps of that user protected
        on the same device receive it too; the result lists them in RV(devices[].also_wipes).
      - B(Android Management) offers V(wipe) only; the device is deleted from the enterprise, which
        factory resets a company-owned device and removes only the work profile of a personal one
        (RV(devices[].removes) says which). Devices are named by id (the device's resource name or
        its last part), serial number or user; they carry no name to select by.
    type: str
    required: true
    choices: [wipe, retire, selective_wipe]
  devices:
    description:
      - The devices (for V(selective_wipe), the Mattermost app's registrations), each named one way.
    type: list
    elements: dict
    required: true
    suboptions:
      id:
        description: The EMM's device id; for V(selective_wipe), the app registration id.
        type: str
      serial_number:
        description: The device's serial number. App registrations carry none, so V(selective_wipe) refuses it.
        type: str
      user:
        description:
          - The user principal name; matches every device of that user.
          - For V(selective_wipe), a user principal name or the user's Entra object id; matches every
            registration of the Mattermost app of that user.
        type: str
      device_name:
        description: The device name (ignoring case); matches every device, or registration, of that name.
        type: str
  max_devices:
    description:
      - The most devices this run may affect (for V(selective_wipe), app registrations); a larger
        selection fails and sends nothing.
    type: int
    default: 1
  keep_enrollment_data:
    description: With V(wipe), keep the enrollment state and the user account.
    type: bool
    default: false
  keep_user_data:
    description: With V(wipe), keep the user's data.
    type: bool
    default: false
seealso:
  - module: mattermost.emm.emm_info
"""

EXAMPLES = r"""
- name: Retire a lost phone (its Mattermost data goes with it)
  mattermost.emm.device_action:
    provider:
      type: intune
      tenant_id: contoso.onmicrosoft.com
      client_id: "{{ intune_client_id }}"
      client_secret: "{{ intune_client_secret }}"
    action: retire
    devices:
      - serial_number: F2LXK0ABCD12

- name: Show which devices a user's wipe would touch, without sending anything
  mattermost.emm.device_action:
    provider:
      type: intune
      tenant_id: contoso.onmicrosoft.com
      client_id: "{{ intune_client_id }}"
      client_secret: "{{ intune_client_secret }}"
    action: wipe
    devices:
      - user: leaver@contoso.com
    max_devices: 3
  check_mode: true

- name: Show which Mattermost app registrations a selective wipe would clear, without sending anything
  mattermost.emm.device_action:
    provider:
      type: intune
      tenant_id: contoso.onmicrosoft.com
      client_id: "{{ intune_client_id }}"
      client_secret: "{{ intune_client_secret }}"
    action: selective_wipe
    devices:
      - user: leaver@contoso.com
    max_devices: 2
  check_mode: true
"""

RETURN = r"""
devices:
  description:
    - The devices the action was (or in check mode would be) requested of.
    - For V(selective_wipe), the Mattermost app's registrations.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The EMM's device id; for V(selective_wipe), the app registration id.
      type: str
    name:
      description: The device name.
      type: str
    serial_number:
      description: The serial number.
      type: str
      returned: unless O(action=selective_wipe)
    user:
      description: The user principal name.
      type: str
      returned: unless O(action=selective_wipe)
    os:
      description: The operating system.
      type: str
    os_version:
      description: The operating system version the app reported.
      type: str
      returned: when O(action=selective_wipe)
    device_tag:
      description: The device tag Intune's app protection gave the registration; the wipe request names it.
      type: str
      returned: when O(action=selective_wipe)
    user_id:
      description: The Entra object id of the registration's user; the wipe request is sent to that user.
      type: str
      returned: when O(action=selective_wipe)
    app_id:
      description: The registered app's bundle or package id.
      type: str
      returned: when O(action=selective_wipe)
    also_wipes:
      description: The app ids of the user's other registrations with the same device tag, which the same request reaches.
      type: list
      elements: str
      returned: when O(action=selective_wipe)
    ownership:
      description: Android Management's C(ownership), V(COMPANY_OWNED) or V(PERSONALLY_OWNED).
      type: str
      returned: with Android Management
    policy:
      description: The Android Management policy the device follows.
      type: str
      returned: with Android Management
    removes:
      description:
        - What an Android Management wipe removes, V(device) (a factory reset) or V(work_profile)
          (a personal device keeps its personal data).
      type: str
      returned: with Android Management
    removed:
      description: What the wipe requested removed, as RV(devices[].removes) (absent in check mode).
      type: str
      returned: with Android Management, unless in check mode
    requested:
      description: The action requested (absent in check mode).
      type: str
  sample: [{"id": "5a1c...", "name": "Alex's iPhone", "serial_number": "F2LXK0ABCD12",
            "user": "alex@contoso.com", "os": "iOS", "requested": "retire"}]
api_requests:
  description: HTTP requests sent, by method.
  returned: when the provider talks to an API
  type: dict
"""

from ansible_collections.mattermost.emm.plugins.module_utils import option_rules as rules
from ansible_collections.mattermost.emm.plugins.module_utils.emm.specs import SELECTORS, DeviceActionSpec, parse
from ansible_collections.mattermost.emm.plugins.module_utils.provider_support import provider_module, run

SPEC_FIELDS = ("action", "devices", "max_devices", "keep_enrollment_data", "keep_user_data")
RULES = {
    "action": rules.choices(["wipe", "retire", "selective_wipe"]),
    "devices": rules.items("device, each named by exactly one selector (checked by the module's model)",
                           unique_by=lambda device: tuple(sorted((k, v) for k, v in device.items() if v is not None))),
    **{f"devices[].{name}": rules.text(what) for name, what in zip(SELECTORS, ("an id", "a serial number", "a user", "a device name"))},
    "max_devices": rules.integer(1, 10000),
    "keep_enrollment_data": rules.BOOLEAN,
    "keep_user_data": rules.BOOLEAN,
}


def main() -> None:
    module = provider_module(
        dict(
            action=dict(type="str", required=True, choices=["wipe", "retire", "selective_wipe"]),
            devices=dict(type="list", elements="dict", required=True,
                         options={name: dict(type="str") for name in SELECTORS}),
            max_devices=dict(type="int", default=1),
            keep_enrollment_data=dict(type="bool", default=False),
            keep_user_data=dict(type="bool", default=False),
        ),
        RULES,
    )

    def act(provider) -> dict:
        spec = parse(DeviceActionSpec, {field: module.params[field] for field in SPEC_FIELDS})
        devices = provider.select_devices(spec)
        if module.check_mode:
            return {"changed": True, "devices": devices}
        return {"changed": True, "devices": provider.device_action(spec, devices)}

    run(module, act)


if __name__ == "__main__":
    main()
