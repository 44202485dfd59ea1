"""`octavus get`: details, the agent JSON, lookup by slug then id, and --output round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.protocol.folder import read_agent_dir
from tests.management.conftest import EXAMPLE_NAMES, EXAMPLES, calls, writes
from tests.support.cli import run_cli


def test_details_like_the_official_cli_plus_references(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    record = emulator.seed_agent(EXAMPLES / "support-chat")
    result = run_cli("get", "support-chat", env=emulator_env)
    assert result.code == 0, result
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "",
        "✓ Agent: Support Chat",
        "",
        "  Slug: support-chat",
        f"  ID: {record.id}",
        "  Format: interactive",
    ]
    assert lines[6].startswith("  Description: Customer-support chat agent")
    prompts = ", ".join(p["name"] for p in record.prompts)
    assert f"  Prompts: {prompts}" in lines
    assert "  References: escalation-policy, refund-policy" in lines
    assert calls(emulator) == [("GET", "/api/agents/support-chat", {"by": "slug"})]


def test_json_is_the_agent_object_and_quiet_the_id(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    record = emulator.seed_agent(EXAMPLES / "research-worker")
    assert run_cli("get", "research-worker", "--json", env=emulator_env).json() == (
        record.definition()
    )
    assert run_cli("get", "research-worker", "-q", env=emulator_env).stdout == f"{record.id}\n"


def test_an_id_is_found_after_the_slug_lookup_misses(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    record = emulator.seed_agent(EXAMPLES / "minimal-chat")
    result = run_cli("get", record.id, "--json", env=emulator_env)
    assert result.code == 0, result
    assert result.json()["id"] == record.id
    assert calls(emulator) == [
        ("GET", f"/api/agents/{record.id}", {"by": "slug"}),
        ("GET", f"/api/agents/{record.id}", {}),
    ]


def test_an_unknown_agent_is_not_found(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    human = run_cli("get", "nope", env=emulator_env)
    assert human.code == 1
    assert human.stdout == ""
    assert "Agent not found: nope" in human.stderr
    assert "octavus list" in human.stderr
    as_json = run_cli("get", "nope", "--json", env=emulator_env)
    assert as_json.code == 1
    assert as_json.json()["code"] == "NOT_FOUND"
    assert as_json.json()["error"] == "Agent not found: nope"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_get_output_then_sync_is_unchanged(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path, name: str
) -> None:
    sync = run_cli("sync", str(EXAMPLES / name), env=emulator_env)
    assert sync.code == 0, sync
    pulled = tmp_path / "pulled"
    got = run_cli("get", name, "--output", str(pulled), env=emulator_env)
    assert got.code == 0, got
    assert got.stdout.startswith(f"✓ Wrote {name} to {pulled}")
    assert read_agent_dir(pulled).upload_body() == read_agent_dir(EXAMPLES / name).upload_body()

    emulator.clear_requests()
    again = run_cli("sync", str(pulled), env=emulator_env)
    assert again.code == 0, again
    assert again.stdout.startswith(f"✓ Unchanged: {name}")
    assert writes(emulator) == []


def test_output_refuses_a_non_empty_folder_without_force(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    emulator.seed_agent(EXAMPLES / "minimal-chat")
    dest = tmp_path / "occupied"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused = run_cli("get", "minimal-chat", "-o", str(dest), "--json", env=emulator_env)
    assert refused.code == 2, refused
    assert refused.json()["code"] == "CONFIG_ERROR"
    assert "not empty" in refused.json()["error"]
    assert sorted(p.name for p in dest.iterdir()) == ["notes.txt"]

    forced = run_cli("get", "minimal-chat", "-o", str(dest), "--force", "--json", env=emulator_env)
    assert forced.code == 0, forced
    doc = forced.json()
    assert doc["output"] == str(dest)
    assert str(dest / "settings.json") in doc["files"]
    assert (dest / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    settings = json.loads((dest / "settings.json").read_text(encoding="utf-8"))
    assert settings["slug"] == "minimal-chat"
