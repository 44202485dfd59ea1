"""Global options after the command (`octavus list --env x.env`) and official flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.cli_group import hoist_global_options
from octavus_cli.emulator import Emulator
from tests.protocol.helpers import EXAMPLES
from tests.support.cli import run_cli


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        (["list", "--env", "x.env"], ["--env", "x.env", "list"]),
        (["validate", "a", "--debug"], ["--debug", "validate", "a"]),
        (["--debug", "list", "--env=x.env", "-q"], ["--debug", "--env=x.env", "list", "-q"]),
        (["--env", "a.env", "list"], ["--env", "a.env", "list"]),
        (["workforce", "run", "A", "--debug", "m"], ["--debug", "workforce", "run", "A", "m"]),
        # after --, everything is data
        (["run", "a", "--", "--debug"], ["run", "a", "--", "--debug"]),
        (["--help"], ["--help"]),
        ([], []),
    ],
)
def test_hoisting(given: list[str], parsed: list[str]) -> None:
    assert hoist_global_options(given) == parsed


def test_env_after_the_command_is_loaded(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    emulator.seed_agent(EXAMPLES / "minimal-chat")
    env_file = tmp_path / "x.env"
    env_file.write_text(
        "".join(f"{key}={value}\n" for key, value in emulator_env.items()), encoding="utf-8"
    )
    result = run_cli("list", "--env", str(env_file), "--quiet")
    assert result.code == 0, result
    assert result.stdout == "minimal-chat\n"


def test_debug_after_the_command_is_accepted() -> None:
    result = run_cli("validate", str(EXAMPLES / "minimal-chat"), "--debug")
    assert result.code == 0, result
    missing = run_cli("validate", str(EXAMPLES / "minimal-chat"), "--env", "nosuch.env")
    assert missing.code == 2, missing
    assert "Environment file nosuch.env does not exist" in missing.stderr


def test_archive_quiet_prints_only_the_agent_id(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    record = emulator.seed_agent(EXAMPLES / "minimal-chat")
    result = run_cli("archive", "minimal-chat", "--quiet", env=emulator_env)
    assert result.code == 0, result
    assert result.stdout == f"{record.id}\n"
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        # Every flag the official CLI documents (docs: 02-server-sdk/05-cli.md).
        ["--help"],
        ["--version"],
        ["sync", "--json", "--quiet", "--help"],
        ["archive", "--json", "--quiet", "--help"],
        ["validate", "--json", "--help"],
        ["list", "--help"],
        ["get", "--help"],
    ],
)
def test_official_flags_are_accepted(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.code == 0, result
    assert "No such option" not in result.stderr
