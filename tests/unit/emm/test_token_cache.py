# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The token cache: one Entra token for the module runs of a play, kept privately and briefly."""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible_collections.mattermost.emm.plugins.module_utils.emm import intune
from ansible_collections.mattermost.emm.plugins.module_utils.emm.token_cache import TokenCache, default_directory

TOKEN_PATH = "/oauth2/v2.0/token"


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _settings(emu, cache=True, secret=None):
    return {"graph_url": emu.base_url, "login_url": emu.base_url, "tenant_id": "contoso.onmicrosoft.com",
            "client_id": emu.client_id, "client_secret": secret or emu.client_secret, "token_cache": cache}


def _token_requests(emu):
    return [entry for entry in emu.requests() if entry["path"].endswith(TOKEN_PATH)]


def _groups(emu, settings):
    """One module run's worth of Graph: a new vendor (a new process, in a play), one listing."""
    return intune.connect(settings).client.get_all("/v1.0/groups")


@pytest.fixture
def token_dir(tmp_path, monkeypatch):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    return runtime / "mattermost.emm" / "tokens"


def test_module_runs_of_a_play_share_one_token(emulator, token_dir):
    for _run in range(4):
        _groups(emulator, _settings(emulator))

    assert len(_token_requests(emulator)) == 1
    assert [path.name for path in token_dir.iterdir()] and len(list(token_dir.iterdir())) == 1


def test_turned_off_every_run_asks_for_its_own_token(emulator, token_dir):
    for _run in range(3):
        _groups(emulator, _settings(emulator, cache=False))

    assert len(_token_requests(emulator)) == 3
    assert not token_dir.exists()


def test_the_file_is_private_and_holds_no_secret(emulator, token_dir):
    _groups(emulator, _settings(emulator))

    [path] = token_dir.iterdir()
    text = path.read_text(encoding="utf-8")
    assert stat.S_IMODE(token_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert emulator.client_secret not in text and emulator.client_secret not in path.name
    assert set(json.loads(text)) == {"access_token", "expires_at"}


def test_another_secret_or_tenant_gets_a_token_of_its_own(emulator, token_dir):
    _groups(emulator, _settings(emulator))
    emulator.clear_requests()

    with pytest.raises(Exception, match="invalid_client|401"):
        _groups(emulator, _settings(emulator, secret="wrong"))
    other_tenant = dict(_settings(emulator), tenant_id="fabrikam.onmicrosoft.com")
    _groups(emulator, other_tenant)

    assert len(_token_requests(emulator)) == 2


def test_a_refused_token_is_dropped_and_replaced(emulator, token_dir):
    _groups(emulator, _settings(emulator))
    emulator.expire_tokens()  # Entra revoked it, or the clocks disagree

    _groups(emulator, _settings(emulator))
    _groups(emulator, _settings(emulator))

    assert len(_token_requests(emulator)) == 2
    statuses = [entry["status"] for entry in emulator.requests() if entry["path"] == "/v1.0/groups"]
    assert statuses == [200, 401, 200, 200]


def test_a_token_is_kept_only_until_it_would_be_renewed(tmp_path):
    clock = Clock()
    cache = TokenCache(str(tmp_path / "tokens"), "key", clock)
    cache.store("eyJ.token", 3240)

    clock.now += 3239
    assert cache.load() == ("eyJ.token", pytest.approx(1))
    clock.now += 2
    assert cache.load() is None
    assert not os.path.exists(cache.path)


def test_storing_removes_other_expired_tokens(tmp_path):
    clock = Clock()
    old = TokenCache(str(tmp_path), "old", clock)
    old.store("eyJ.old", 10)
    clock.now += 60

    TokenCache(str(tmp_path), "new", clock).store("eyJ.new", 100)

    assert sorted(os.listdir(tmp_path)) == ["new.json"]


@pytest.mark.parametrize("mode", [0o755, 0o770, 0o701])
def test_a_directory_others_may_enter_is_not_used(tmp_path, mode):
    folder = tmp_path / "tokens"
    folder.mkdir()
    folder.chmod(mode)
    cache = TokenCache(str(folder), "key")

    cache.store("eyJ.token", 100)

    assert list(folder.iterdir()) == []
    assert cache.load() is None


def test_a_file_others_may_read_is_not_trusted(tmp_path):
    cache = TokenCache(str(tmp_path / "tokens"), "key")
    cache.store("eyJ.token", 100)
    os.chmod(cache.path, 0o644)

    assert cache.load() is None


def test_an_unreadable_file_is_removed(tmp_path):
    cache = TokenCache(str(tmp_path / "tokens"), "key")
    cache.store("eyJ.token", 100)
    with open(cache.path, "w", encoding="utf-8") as stream:
        stream.write("{not json")

    assert cache.load() is None
    assert not os.path.exists(cache.path)


def test_the_directory_is_the_users_own():
    assert default_directory({"XDG_RUNTIME_DIR": "/run/user/1000"}) == "/run/user/1000/mattermost.emm/tokens"
    assert default_directory({"XDG_CACHE_HOME": "/home/me/.cache"}) == "/home/me/.cache/mattermost.emm/tokens"
    assert default_directory({}).endswith("/.cache/mattermost.emm/tokens")
    assert default_directory({"XDG_RUNTIME_DIR": "relative"}).endswith("/.cache/mattermost.emm/tokens")
