"""Configuration is read once into Settings: the --env file never lands in os.environ,
and what it sets (keys, OCTAVUS_DEBUG, proxies) still reaches the commands."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import emulator_env_for
from octavus_cli.errors import ConfigError
from octavus_cli.settings import Settings
from tests.support.cli import run_cli
from tests.support.pacing import FAST
from tests.support.ports import closed_port


def test_the_env_file_is_read_under_the_process_environment(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "OCTAVUS_API_URL=https://from-file.example\nOCTAVUS_DEBUG=1\nFROM_FILE_ONLY=yes\n"
    )
    before = dict(os.environ)
    settings = Settings.load(
        None, environ={"OCTAVUS_API_URL": "https://from-env.example"}, cwd=tmp_path
    )
    assert dict(os.environ) == before  # nothing written
    assert settings.env_file == tmp_path / ".env"
    assert settings.base_url == "https://from-env.example"  # the environment wins
    assert settings.env["FROM_FILE_ONLY"] == "yes"
    assert settings.debug is True  # OCTAVUS_DEBUG from the file


def test_debug_flag_timeout_and_trace(tmp_path: Path) -> None:
    settings = Settings.load(
        None, debug=True, environ={"OCTAVUS_TIMEOUT": "5", "OCTAVUS_TRACE": "on"}, cwd=tmp_path
    )
    assert (settings.debug, settings.timeout, settings.trace, settings.env_file) == (
        True,
        5.0,
        True,
        None,
    )
    with pytest.raises(ConfigError, match="OCTAVUS_TIMEOUT"):
        _ = Settings.load(None, environ={"OCTAVUS_TIMEOUT": "soon"}, cwd=tmp_path).timeout


def test_the_key_is_not_in_the_repr(tmp_path: Path) -> None:
    settings = Settings.load(None, environ={"OCTAVUS_API_KEY": "oct_sk_test_hidden"}, cwd=tmp_path)
    assert "oct_sk_test_hidden" not in repr(settings)


def test_octavus_debug_in_the_env_file_turns_on_request_lines(
    emulator: Emulator, tmp_path: Path
) -> None:
    env = emulator_env_for(emulator)
    (tmp_path / ".env").write_text("OCTAVUS_DEBUG=1\n")
    result = run_cli("list", "--json", env=env, cwd=tmp_path)
    assert result.code == 0, result
    assert "[debug] -> GET" in result.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    quiet = run_cli("list", "--json", env=env, cwd=plain)
    assert "[debug]" not in quiet.stderr, quiet


def test_a_proxy_from_the_env_file_is_used_and_no_proxy_bypasses_it(
    emulator: Emulator, tmp_path: Path
) -> None:
    env = {**emulator_env_for(emulator), **FAST}
    proxy = f"http://127.0.0.1:{closed_port()}"
    (tmp_path / "proxied.env").write_text(f"HTTP_PROXY={proxy}\n")
    (tmp_path / "bypassed.env").write_text(f"HTTP_PROXY={proxy}\nNO_PROXY=127.0.0.1\n")
    proxied = run_cli("--env", "proxied.env", "list", "--json", env=env, cwd=tmp_path)
    assert proxied.code == 1, proxied
    assert proxied.json()["code"] == "API_ERROR"
    assert not emulator.requests  # the request went to the (closed) proxy
    bypassed = run_cli("--env", "bypassed.env", "list", "--json", env=env, cwd=tmp_path)
    assert bypassed.code == 0, bypassed
    assert [r.path for r in emulator.requests] == ["/api/agents"]
