"""`octavus list`: table with a count, the official JSON, slugs with --quiet."""

from __future__ import annotations

from pathlib import Path

from octavus_cli.emulator import Emulator
from tests.management.conftest import EXAMPLE_NAMES, calls
from tests.support.cli import run_cli


def test_table_json_and_quiet(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    records = [emulator.seed_agent(agents / name) for name in EXAMPLE_NAMES]

    human = run_cli("list", env=emulator_env)
    assert human.code == 0, human
    lines = human.stdout.splitlines()
    assert lines[0].split() == ["SLUG", "NAME", "FORMAT", "ID"]
    assert set(lines[1]) == {"─"}
    for record, line in zip(records, lines[2:5], strict=True):
        assert line.split()[0] == record.slug
        assert line.split()[-1] == record.id
        assert record.name in line
        assert record.format in line
    assert lines[-1] == "3 agents"
    assert calls(emulator) == [("GET", "/api/agents", {})]

    as_json = run_cli("list", "--json", env=emulator_env)
    assert as_json.json() == {"agents": [r.list_item() for r in records]}

    quiet = run_cli("list", "--quiet", env=emulator_env)
    assert quiet.stdout.splitlines() == [r.slug for r in records]
    assert quiet.stderr == ""


def test_an_empty_project(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    human = run_cli("list", env=emulator_env)
    assert human.code == 0
    assert human.stdout == ""
    assert "No agents found" in human.stderr
    assert run_cli("list", "--json", env=emulator_env).json() == {"agents": []}
    assert run_cli("list", "-q", env=emulator_env).stdout == ""


def test_archived_agents_are_not_listed(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    emulator.seed_agent(agents / "minimal-chat")
    kept = emulator.seed_agent(agents / "support-chat")
    assert run_cli("archive", "minimal-chat", "--yes", env=emulator_env).code == 0
    assert run_cli("list", "-q", env=emulator_env).stdout == f"{kept.slug}\n"
