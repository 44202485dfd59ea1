"""`octavus sync --dry-run --exit-code`: a drift check a scheduled CI job can trust."""

from __future__ import annotations

from pathlib import Path

from octavus_cli.emulator import Emulator
from octavus_cli.errors import ExitCode
from tests.management.conftest import EXAMPLE_NAMES, break_protocol, copy_example, writes
from tests.support.cli import run_cli

CHANGES = int(ExitCode.CHANGES_PENDING)


def test_exit_code_is_0_in_sync_and_4_with_drift_and_names_the_agents(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    for name in EXAMPLE_NAMES:
        emulator.seed_agent(agents / name)

    clean = run_cli("sync", str(agents), "--dry-run", "--exit-code", "--json", env=emulator_env)
    assert clean.code == 0, clean
    assert clean.json()["wouldChange"] == []

    system = agents / "support-chat" / "prompts" / "system.md"
    system.write_text(system.read_text(encoding="utf-8") + "\nBe brief.\n", encoding="utf-8")
    drift = run_cli("sync", str(agents), "--dry-run", "--exit-code", "--json", env=emulator_env)
    assert CHANGES == 4
    assert drift.code == CHANGES, drift
    assert drift.json()["wouldChange"] == ["support-chat"]
    assert writes(emulator) == []

    # Without --exit-code a dry run with changes still succeeds (the old behaviour).
    plain = run_cli("sync", str(agents), "--dry-run", "--quiet", env=emulator_env)
    assert plain.code == 0, plain
    assert plain.stdout == "support-chat\n"


def test_one_folder_that_would_be_created(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")
    result = run_cli("sync", str(folder), "--dry-run", "--exit-code", "--json", env=emulator_env)
    assert result.code == CHANGES, result
    doc = result.json()
    assert doc["status"] == "create"
    assert doc["wouldChange"] == ["minimal-chat"]


def test_a_failure_wins_over_drift(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    break_protocol(agents / "minimal-chat")
    result = run_cli("sync", str(agents), "--dry-run", "--exit-code", "--json", env=emulator_env)
    assert result.code == 1, result
    assert sorted(result.json()["wouldChange"]) == ["research-worker", "support-chat"]


def test_exit_code_without_dry_run_is_a_usage_error(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    result = run_cli("sync", str(agents), "--exit-code", env=emulator_env)
    assert result.code == 2, result
    assert "--exit-code only works with --dry-run" in result.stderr
    assert writes(emulator) == []


def test_piped_human_output_starts_with_the_first_result_not_a_blank_line(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    for name in EXAMPLE_NAMES:
        emulator.seed_agent(agents / name)
    result = run_cli("sync", str(agents), env=emulator_env)
    assert result.code == 0, result
    assert result.stdout.splitlines()[0].startswith("STATUS"), result
    assert result.stdout.splitlines()[-1] == "3 agents: 3 unchanged"
    assert "Syncing 3 of 3 agent folders, 3 at a time..." in result.stderr


def test_sync_appends_its_summary_to_the_job_summary(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path, tmp_path: Path
) -> None:
    emulator.seed_agent(agents / "minimal-chat")
    summary = tmp_path / "summary.md"
    env = {**emulator_env, "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_cli("sync", str(agents), "--dry-run", "--quiet", env=env)
    assert result.code == 0, result
    assert result.stdout == "research-worker\nsupport-chat\n"
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### octavus sync --dry-run\n")
    assert "3 agents: 2 to create, 1 unchanged (dry run: nothing was sent)" in text
    assert "| create | support-chat | - |" in text
    assert "| unchanged | minimal-chat |" in text
