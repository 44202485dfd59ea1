"""`octavus sync PATH` for one agent folder: the official output, and no needless writes."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.protocol.folder import read_agent_dir
from tests.management.conftest import (
    break_protocol,
    calls,
    copy_example,
    run_on_terminal,
    stored,
    writes,
)
from tests.support.cli import run_cli

BY_SLUG = {"by": "slug"}


def test_create_then_unchanged_then_update(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")

    created = run_cli("sync", str(folder), env=emulator_env)
    assert created.code == 0, created
    assert f"ℹ Reading agent from {folder}..." in created.stderr
    assert "ℹ Syncing minimal-chat..." in created.stderr
    lines = created.stdout.splitlines()
    assert lines[0] == "✓ Created: minimal-chat"
    agent_id = stored(emulator, "minimal-chat").id
    assert lines[1] == f"  Agent ID: {agent_id}"
    assert calls(emulator) == [
        ("GET", "/api/agents/minimal-chat", BY_SLUG),
        ("POST", "/api/agents", {}),
    ]
    assert emulator.requests[1].body == read_agent_dir(folder).upload_body()
    assert emulator.requests[1].key == "cli"  # OCTAVUS_CLI_API_KEY comes first

    emulator.clear_requests()
    unchanged = run_cli("sync", str(folder), env=emulator_env)
    assert unchanged.code == 0, unchanged
    assert unchanged.stdout.splitlines() == ["✓ Unchanged: minimal-chat", f"  Agent ID: {agent_id}"]
    assert calls(emulator) == [("GET", "/api/agents/minimal-chat", BY_SLUG)]

    emulator.clear_requests()
    prompt = folder / "prompts" / "system.md"
    prompt.write_text(prompt.read_text(encoding="utf-8") + "\nAlways answer in English.\n")
    updated = run_cli("sync", str(folder), env=emulator_env)
    assert updated.code == 0, updated
    assert updated.stdout.splitlines() == ["✓ Updated: minimal-chat", f"  Agent ID: {agent_id}"]
    assert calls(emulator) == [
        ("GET", "/api/agents/minimal-chat", BY_SLUG),
        ("PATCH", "/api/agents/minimal-chat", BY_SLUG),
    ]
    patch = emulator.requests[1].body
    assert "slug" not in patch["settings"]
    assert patch == read_agent_dir(folder).update_body()
    system = stored(emulator, "minimal-chat").prompt("system")
    assert system is not None
    assert system.endswith("in English.\n")


def test_settings_and_references_changes_are_updates(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("research-worker", tmp_path / "rw")
    emulator.seed_agent(folder)
    reference = folder / "references" / "source-guidelines.md"
    reference.write_text(reference.read_text(encoding="utf-8") + "\n\n\n")  # trimmed: no change
    assert run_cli("sync", str(folder), env=emulator_env).stdout.startswith("✓ Unchanged")
    settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
    settings["name"] = "Research Worker 2"
    (folder / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    result = run_cli("sync", str(folder), "--json", env=emulator_env)
    assert result.code == 0, result
    assert result.json()["status"] == "updated"
    assert stored(emulator, "research-worker").name == "Research Worker 2"


def test_json_keeps_the_official_shape(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")
    first = run_cli("sync", str(folder), "--json", env=emulator_env)
    assert first.code == 0, first
    agent_id = stored(emulator, "minimal-chat").id
    assert first.json() == {
        "slug": "minimal-chat",
        "agentId": agent_id,
        "created": True,
        "status": "created",
    }
    assert first.stderr == ""
    second = run_cli("sync", str(folder), "--json", env=emulator_env)
    assert second.json() == {
        "slug": "minimal-chat",
        "agentId": agent_id,
        "created": False,
        "status": "unchanged",
    }


def test_quiet_prints_only_the_agent_id(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")
    result = run_cli("sync", str(folder), "--quiet", env=emulator_env)
    assert result.code == 0, result
    agent_id = stored(emulator, "minimal-chat").id
    assert result.stdout == f"{agent_id}\n"
    assert result.stderr == ""


def test_dry_run_sends_no_write_and_shows_a_diff(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")
    record = emulator.seed_agent(folder)
    protocol = folder / "protocol.yaml"
    protocol.write_text(
        protocol.read_text(encoding="utf-8").replace("claude-sonnet-4-5", "claude-opus-4-1")
    )

    result = run_cli("sync", str(folder), "--dry-run", env=emulator_env)
    assert result.code == 0, result
    out = result.stdout.splitlines()
    assert out[:2] == ["✓ Would update: minimal-chat", f"  Agent ID: {record.id}"]
    assert "--- remote/protocol.yaml" in out
    assert "+++ local/protocol.yaml" in out
    assert "-  model: anthropic/claude-sonnet-4-5" in out
    assert "+  model: anthropic/claude-opus-4-1" in out
    assert not any(line.startswith("+++ local/prompts") for line in out)  # prompts unchanged
    assert "\x1b[" not in result.stdout  # no colour in a pipe
    assert "Dry run: nothing was sent." in result.stderr

    as_json = run_cli("sync", str(folder), "--dry-run", "--json", env=emulator_env).json()
    assert as_json["status"] == "update"
    assert as_json["dryRun"] is True
    assert "+  model: anthropic/claude-opus-4-1" in as_json["diff"].splitlines()

    assert writes(emulator) == []
    assert stored(emulator, "minimal-chat").protocol == record.protocol


def test_dry_run_of_a_new_agent_would_create_it(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")
    result = run_cli("sync", str(folder), "--dry-run", "--json", env=emulator_env)
    assert result.code == 0, result
    doc = result.json()
    assert (doc["status"], doc["created"], doc["agentId"]) == ("create", True, None)
    assert "+++ local/protocol.yaml" in doc["diff"].splitlines()
    quiet = run_cli("sync", str(folder), "--dry-run", "-q", env=emulator_env)
    assert quiet.stdout == "minimal-chat\n"  # the slugs that would change
    assert writes(emulator) == []
    assert emulator.store.list_agents() == []


def test_a_locally_invalid_agent_is_not_sent(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "broken")
    break_protocol(folder)

    human = run_cli("sync", str(folder), env=emulator_env)
    assert human.code == 1, human
    assert human.stdout == ""
    assert "missing-prompt" in human.stderr
    assert "OCT201" in human.stderr
    assert f"1 error in {folder}" in human.stderr
    assert "the agent was not sent" in human.stderr

    as_json = run_cli("sync", str(folder), "--json", env=emulator_env)
    assert as_json.code == 1
    doc = as_json.json()
    assert doc["code"] == "VALIDATION_ERROR"
    assert [e["code"] for e in doc["errors"]] == ["OCT201"]
    assert [w["code"] for w in doc["warnings"]] == ["OCT205"]
    assert emulator.requests == []  # not even a GET


def test_sync_reports_the_same_diagnostics_as_validate(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "broken")
    break_protocol(folder)
    validate = run_cli("validate", str(folder), env=emulator_env)
    sync = run_cli("sync", str(folder), env=emulator_env)
    assert validate.code == sync.code == 1
    shown = [line for line in (validate.stdout + validate.stderr).splitlines() if "OCT2" in line]
    assert shown, validate
    for line in shown:
        assert line in sync.stderr.splitlines(), (line, sync)
    assert emulator.requests == []


def test_warnings_do_not_block(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "warned")
    (folder / "prompts" / "unused.md").write_text("Nobody includes me.\n", encoding="utf-8")
    result = run_cli("sync", str(folder), "--json", env=emulator_env)
    assert result.code == 0, result
    doc = result.json()
    assert doc["status"] == "created"
    assert [w["code"] for w in doc["warnings"]] == ["OCT205"]


def test_a_missing_folder_is_a_file_error(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    result = run_cli("sync", str(tmp_path / "nowhere"), "--json", env=emulator_env)
    assert result.code == 1
    assert result.json()["code"] == "FILE_ERROR"
    assert emulator.requests == []


def test_usage_errors_exit_2(emulator_env: dict[str, str]) -> None:
    assert run_cli("sync", env=emulator_env).code == 2
    assert run_cli("sync", ".", "--jobs", "0", env=emulator_env).code == 2


def test_help_has_examples() -> None:
    for command in ("sync", "list", "get", "archive"):
        result = run_cli(command, "--help")
        assert result.code == 0
        assert "Examples:" in result.stdout
        assert re.search(rf"octavus {command}\b", result.stdout), result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("color", [True, False], ids=["terminal", "NO_COLOR"])
def test_the_diff_is_coloured_only_on_a_terminal_without_no_color(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path, color: bool
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")
    emulator.seed_agent(folder)
    (folder / "prompts" / "user-message.md").write_text("Changed.\n", encoding="utf-8")
    code, output = run_on_terminal(
        ["sync", str(folder), "--dry-run"], emulator_env, None, color=color
    )
    assert code == 0, output
    assert "+Changed." in output.replace("\x1b[0m", "").replace("\x1b[32m", "")
    green_addition = re.search(r"\x1b\[[0-9;]*32m\+Changed\.", output)
    assert (green_addition is not None) is color, output
    assert ("\x1b[" in output) is color
    assert writes(emulator) == []
