"""Configuration problems stop every management command before any request (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from tests.management.conftest import EXAMPLES
from tests.support.cli import run_cli

COMMANDS = [
    ["sync", str(EXAMPLES / "minimal-chat")],
    ["sync", str(EXAMPLES)],
    ["list"],
    ["get", "minimal-chat"],
    ["archive", "minimal-chat", "--yes"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(Path(x).name for x in a))
def test_no_key_exits_2_and_names_the_variables(emulator: Emulator, args: list[str]) -> None:
    human = run_cli(*args, env={"OCTAVUS_API_URL": emulator.url})
    assert human.code == 2, human
    assert human.stdout == ""
    assert "No API key found. Set OCTAVUS_CLI_API_KEY or OCTAVUS_API_KEY" in human.stderr
    as_json = run_cli(*args, "--json", env={"OCTAVUS_API_URL": emulator.url})
    assert as_json.code == 2
    assert as_json.json()["code"] == "CONFIG_ERROR"
    assert emulator.requests == []


def test_a_key_is_not_sent_over_plain_http_to_another_host() -> None:
    env = {"OCTAVUS_API_URL": "http://agents.example.com", "OCTAVUS_CLI_API_KEY": "test-cli-key"}
    result = run_cli("list", "--json", env=env)
    assert result.code == 2
    assert "plain http" in result.json()["error"]
