# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""JSON batching: limits, per-request statuses, faults inside a batch, and the log."""

from graph_bodies import APPS, IOS_APP

JSON = {"Content-Type": "application/json"}


def _batch(emulator, requests, version="v1.0"):
    return emulator.graph("POST", "/$batch", {"requests": requests}, version=version)


def test_each_inner_request_gets_its_own_response(emulator, ios_app):
    answer = _batch(
        emulator,
        [
            {"id": "1", "method": "GET", "url": f"{APPS}/{ios_app['id']}"},
            {"id": "2", "method": "POST", "url": APPS, "body": IOS_APP, "headers": JSON},
            {"id": "3", "method": "GET", "url": "/groups/missing"},
        ],
    )

    assert answer.status == 200
    by_id = {item["id"]: item for item in answer.body["responses"]}
    assert by_id["1"]["status"] == 200
    assert by_id["1"]["body"]["id"] == ios_app["id"]
    assert by_id["2"]["status"] == 201
    assert by_id["3"]["status"] == 404
    assert by_id["3"]["body"]["error"]["code"] == "Request_ResourceNotFound"
    assert len(emulator.graph("GET", APPS).body["value"]) == 2


def test_more_than_twenty_requests_is_a_400(emulator):
    requests = [{"id": str(n), "method": "GET", "url": "/groups"} for n in range(21)]

    answer = _batch(emulator, requests)

    assert answer.status == 400
    assert answer.body["error"]["code"] == "BadRequest"
    assert emulator.writes() == []


def test_a_429_can_hide_inside_a_200_batch(emulator):
    emulator.add_fault("/deviceAppManagement/mobileApps", status=429, retry_after=7, method="POST")

    answer = _batch(
        emulator,
        [
            {"id": "a", "method": "POST", "url": APPS, "body": IOS_APP, "headers": JSON},
            {"id": "b", "method": "POST", "url": APPS, "body": IOS_APP, "headers": JSON},
        ],
    )

    assert answer.status == 200
    first, second = answer.body["responses"]
    assert first["status"] == 429
    assert first["headers"]["Retry-After"] == "7"
    assert first["body"]["error"]["code"] == "TooManyRequests"
    assert second["status"] == 201


def test_inner_requests_are_logged_as_batch_members(emulator):
    _batch(emulator, [{"id": "1", "method": "POST", "url": APPS, "body": IOS_APP, "headers": JSON}])

    log = [entry for entry in emulator.requests() if not entry["path"].endswith("/token")]
    assert [(entry["path"], entry["batch"], entry["write"]) for entry in log] == [
        ("/v1.0/deviceAppManagement/mobileApps", True, True),
        ("/v1.0/$batch", False, False),
    ]
    assert [entry["body"]["displayName"] for entry in emulator.writes()] == ["Mattermost"]


def test_depends_on_a_failed_request_is_a_424(emulator):
    answer = _batch(
        emulator,
        [
            {"id": "1", "method": "GET", "url": "/groups/missing"},
            {"id": "2", "method": "POST", "url": APPS, "body": IOS_APP, "headers": JSON, "dependsOn": ["1"]},
        ],
    )

    assert [item["status"] for item in answer.body["responses"]] == [404, 424]
    assert emulator.writes() == []


def test_batch_inner_urls_resolve_against_the_batch_version(emulator):
    body = {"@odata.type": "#microsoft.graph.androidManagedStoreApp", "displayName": "Mattermost"}

    v1 = _batch(emulator, [{"id": "1", "method": "POST", "url": APPS, "body": body, "headers": JSON}])
    beta = _batch(emulator, [{"id": "1", "method": "POST", "url": APPS, "body": body, "headers": JSON}], version="beta")

    assert v1.body["responses"][0]["status"] == 400
    assert beta.body["responses"][0]["status"] == 201


def test_a_batch_needs_a_token(emulator):
    answer = emulator.graph("POST", "/$batch", {"requests": []}, token="bogus")

    assert answer.status == 401


def test_an_inner_body_needs_a_content_type_header(emulator):
    answer = _batch(emulator, [{"id": "1", "method": "POST", "url": APPS, "body": IOS_APP}])

    assert answer.status == 400
    assert answer.body["error"]["message"] == "Write request id : 1 does not contain Content-Type header or body."


def test_request_ids_may_be_json_numbers_and_depends_on_may_name_them(emulator, ios_app):
    answer = _batch(
        emulator,
        [
            {"id": 1, "method": "GET", "url": f"{APPS}/{ios_app['id']}"},
            {"id": 2, "method": "get", "url": "/groups", "dependsOn": [1]},
            {"id": "3", "method": "GET", "url": "/groups", "dependsOn": ["2"]},
        ],
    )

    assert answer.status == 200, answer.body
    assert [(item["id"], item["status"]) for item in answer.body["responses"]] == [("1", 200), ("2", 200), ("3", 200)]


def test_a_batch_id_used_twice_even_as_number_and_string_is_a_400(emulator):
    answer = _batch(emulator, [{"id": 1, "method": "GET", "url": "/groups"}, {"id": "1", "method": "GET", "url": "/groups"}])

    assert answer.status == 400
    assert answer.body["error"]["code"] == "BadRequest"
