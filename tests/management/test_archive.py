"""`octavus archive`: by slug, official JSON, unknown slugs, and confirmation only on a terminal."""

from __future__ import annotations

import sys

import pytest

from octavus_cli.emulator import Emulator
from tests.management.conftest import EXAMPLES, calls, run_on_terminal, writes
from tests.support.cli import run_cli


def test_archive_without_a_terminal_does_not_ask(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    record = emulator.seed_agent(EXAMPLES / "minimal-chat")
    result = run_cli("archive", "minimal-chat", env=emulator_env)
    assert result.code == 0, result
    assert result.stdout.splitlines() == ["✓ Archived: minimal-chat", f"  Agent ID: {record.id}"]
    assert calls(emulator) == [("DELETE", "/api/agents/minimal-chat", {"by": "slug"})]
    assert emulator.store.get_agent(record.id) is None


def test_json_is_the_official_shape(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    record = emulator.seed_agent(EXAMPLES / "minimal-chat")
    result = run_cli("archive", "minimal-chat", "--yes", "--json", env=emulator_env)
    assert result.code == 0, result
    assert result.json() == {"slug": "minimal-chat", "agentId": record.id, "archived": True}


def test_an_unknown_slug_is_not_found(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    human = run_cli("archive", "ghost", "--yes", env=emulator_env)
    assert human.code == 1
    assert "Agent not found: ghost" in human.stderr
    as_json = run_cli("archive", "ghost", "--json", env=emulator_env)
    assert as_json.code == 1
    assert as_json.json()["code"] == "NOT_FOUND"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_terminal_is_asked_and_no_keeps_the_agent(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    record = emulator.seed_agent(EXAMPLES / "minimal-chat")
    code, output = run_on_terminal(["archive", "minimal-chat"], emulator_env, "n")
    assert code == 1, output
    assert "Archive agent Minimal Chat (minimal-chat" in output
    assert "Not archived: minimal-chat" in output
    assert writes(emulator) == []
    assert emulator.store.get_agent(record.id) is not None

    code, output = run_on_terminal(["archive", "minimal-chat"], emulator_env, "y")
    assert code == 0, output
    assert "Archived: minimal-chat" in output
    assert emulator.store.get_agent(record.id) is None


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_yes_skips_the_question_on_a_terminal(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    emulator.seed_agent(EXAMPLES / "minimal-chat")
    code, output = run_on_terminal(["archive", "minimal-chat", "--yes"], emulator_env, None)
    assert code == 0, output
    assert "[y/N]" not in output
    assert [r.method for r in emulator.requests] == ["DELETE"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_terminal_with_an_unknown_slug_is_not_asked(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    code, output = run_on_terminal(["archive", "ghost"], emulator_env, None)
    assert code == 1, output
    assert "[y/N]" not in output
    assert "Agent not found: ghost" in output
