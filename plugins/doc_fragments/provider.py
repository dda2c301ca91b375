# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The `provider` option of every module that talks to an EMM, and what those modules need, documented once."""

    DOCUMENTATION = r"""
requirements:
  - pydantic >= 2
  - lxml
attributes:
  platform:
    platforms: posix
    support: full
    description: Runs where the EMM API can be reached, usually the controller.
  action_group:
    support: full
    membership: [mattermost.emm.emm]
    description: Set O(provider) once for a play with C(module_defaults) and C(group/mattermost.emm.emm).
options:
  provider:
    description:
      - The EMM to reconcile, and how to reach it.
      - Set it once for a whole play with C(module_defaults) and the action group
        C(group/mattermost.emm.emm).
      - Each O(provider.type) takes its own fields (and the common O(provider.validate_certs),
        O(provider.ca_path), O(provider.timeout), O(provider.retry_seconds) and O(provider.settle_seconds)); a field of
        another type is refused before any request, naming the fields the type takes.
      - A module asked for something the chosen EMM cannot do fails before any request, saying
        why and what to use instead.
    type: dict
    required: true
    suboptions:
      type:
        description:
          - V(intune) is Microsoft Intune through Microsoft Graph.
          - V(jamf) is Jamf Pro through its Classic API (apps, configuration profiles, devices and
            commands) and its Pro API (tokens, device groups). Jamf Pro manages Apple devices
            only, and has no app protection policies.
          - V(android_management) is Android Enterprise through Google's Android Management API.
            It has no groups; a device follows one policy, so modules name the policies the
            devices follow (C(policies)) instead of groups, and every change touches only the
            Mattermost entry of those policies, or the policy fields the collection sets. It
            manages Android devices only, and has no app protection policies.
          - V(offline) reaches no EMM. It plans exactly as V(intune) does, against a directory
            O(provider.dest) that holds one JSON file per object (the Graph body that would be
            sent, with its assignments) and C(plan.json), the operations of the last run that
            changed anything. Group and app ids are written as placeholders such as
            C(<group:Sales>). It does not plan as V(android_management), whose policies are
            created in Google's console or API, not by this collection; run check mode with
            O(provider.type=android_management) instead, which reads the policies and sends no write.
        type: str
        required: true
        choices: [android_management, intune, jamf, offline]
      tenant_id:
        description:
          - The Entra ID (Azure AD) tenant id or domain. Required for V(intune), which alone takes it.
          - If not set, the environment variable E(AZURE_TENANT_ID) is used.
        type: str
      client_id:
        description:
          - For V(intune), the application (client) id of the app registration, which needs the
            Graph application permissions C(DeviceManagementApps.ReadWrite.All),
            C(DeviceManagementConfiguration.ReadWrite.All) and C(Group.Read.All). If not set, the
            environment variable E(AZURE_CLIENT_ID) is used.
          - For V(jamf), the client id of a Jamf Pro API client (give O(provider.client_id) and
            O(provider.client_secret), or O(provider.username) and O(provider.password)). If not
            set, the environment variable E(JAMFPRO_CLIENT_ID) is used.
        type: str
      client_secret:
        description:
          - The client secret of the app registration (V(intune)) or of the API client (V(jamf)).
            Never logged or returned.
          - If not set, the environment variable E(AZURE_CLIENT_SECRET) (V(intune)) or
            E(JAMFPRO_CLIENT_SECRET) (V(jamf)) is used.
        type: str
      url:
        description:
          - For V(jamf), required. The Jamf Pro URL, with its context path if it has one, for
            example C(https://example.jamfcloud.com) or C(https://jamf.example.com:8443/jamf).
          - If not set, the environment variable E(JAMFPRO_INSTANCE_FQDN) is used.
          - For V(android_management), the API root, by default C(https://androidmanagement.googleapis.com);
            set it to reach the EMM emulator in tests (its C(/amapi) root).
        type: str
      enterprise:
        description:
          - For V(android_management), required. The enterprise's resource name, C(enterprises/)
            followed by its id, for example C(enterprises/LC01abcd23).
        type: str
      service_account_key:
        description:
          - For V(android_management), required. The Google Cloud service account's JSON key, the
            path of the key file, the file's JSON text, or the key as a mapping. The service
            account needs the role C(Android Management User) in the project of the enterprise.
            Never logged or returned.
          - If not set, the environment variable E(GOOGLE_APPLICATION_CREDENTIALS) (the key file's
            path, as Google's own tools read it) is used.
        type: raw
      username:
        description:
          - For V(jamf), a Jamf Pro user account to use instead of an API client.
          - If not set, the environment variable E(JAMFPRO_BASIC_AUTH_USERNAME) is used.
        type: str
      password:
        description:
          - The password of O(provider.username). Never logged or returned.
          - If not set, the environment variable E(JAMFPRO_BASIC_AUTH_PASSWORD) is used.
        type: str
      cloud:
        description:
          - The Microsoft cloud; picks the Graph and login endpoints. Defaults to V(global). For V(intune).
        type: str
        choices: [global, usgov, usgov_dod, china]
      graph_url:
        description:
          - For V(intune). Overrides the Graph endpoint of O(provider.cloud), for example to reach the EMM
            emulator in tests (set O(provider.login_url) to the same base URL).
        type: str
      login_url:
        description: For V(intune). Overrides the Entra login endpoint of O(provider.cloud).
        type: str
      token_cache:
        description:
          - For V(intune). Keep the Entra access token between tasks, so that the tasks of a play
            ask for one token instead of one each.
          - The token is kept in a file of its own, mode 0600, in a directory only the user can
            enter (C($XDG_RUNTIME_DIR/mattermost.emm/tokens), else C(~/.cache/mattermost.emm/tokens)),
            and only until it would be renewed (a few minutes before it expires); a token the API
            refuses is removed at once. The file never holds the client secret.
          - V(false) asks for a new token in every task and writes nothing. Defaults to V(true).
        type: bool
      validate_certs:
        description: Verify TLS certificates. Turn off only for a test endpoint you trust.
        type: bool
        default: true
      ca_path:
        description: A PEM file of CA certificates to trust, for TLS-inspecting proxies.
        type: path
      timeout:
        description:
          - Seconds one HTTP request may take, from sending it to the last byte of its answer (a
            server that answers a byte now and then cannot stretch it).
        type: int
        default: 30
      retry_seconds:
        description:
          - Seconds one task may spend retrying in all, over every request it sends; the failed
            attempts count, with the waits after them (after throttling, server errors and lost
            answers). When they are spent, the task fails with the last error. Each request also
            gives up after 6 attempts or 180 seconds of waiting.
          - After a create whose answer was lost, the task looks for the object for up to a minute
            (less when this budget is smaller) before it creates it again, since a server may
            apply a request after the answer was lost.
        type: int
        default: 300
      settle_seconds:
        description:
          - Graph lists a new object only after a moment. Before failing for an app entry that a
            previous task has just added, the module looks again for up to this many seconds.
          - After creating something, the module waits until the listing shows it, for this long
            or as long as it looks for the object of a lost answer (a minute, within
            O(provider.retry_seconds)), whichever is longer, so that the next task and the next
            run find it instead of creating it again; an object still not listed then fails the
            task, saying so.
        type: int
        default: 10
      dest:
        description: The directory of the V(offline) provider. Required for V(offline).
        type: path
      vendor:
        description:
          - The vendor the V(offline) provider plans as, keeping that vendor's objects in O(provider.dest).
          - Used only with V(offline); by default V(intune).
        type: str
        choices: [intune, jamf]
notes:
  - Throttling (HTTP 429, honouring C(Retry-After)) and server errors (5xx) are retried with
    backoff, within a bounded time; a failure half-way leaves a state the next run completes
    without duplicates.
"""
