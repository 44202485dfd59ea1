"""`octavus sync` with several agents: concurrent, one result each, exit 1 on any failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from octavus_cli.emulator import Emulator
from tests.management.conftest import (
    EXAMPLE_NAMES,
    break_protocol,
    copy_example,
    set_setting,
    stored,
    writes,
)
from tests.support.cli import run_cli
from tests.support.pacing import FAST


def by_slug(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["slug"]: a for a in doc["agents"]}


def test_a_folder_of_agents_with_one_invalid(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    emulator.seed_agent(agents / "minimal-chat")
    broken = copy_example("minimal-chat", agents / "zz-broken", slug="broken-chat")
    break_protocol(broken)

    result = run_cli("sync", str(agents), "--json", env=emulator_env)
    assert result.code == 1, result
    doc = result.json()
    assert doc["ok"] is False
    assert doc["dryRun"] is False
    results = by_slug(doc)
    assert {slug: r["status"] for slug, r in results.items()} == {
        "minimal-chat": "unchanged",
        "research-worker": "created",
        "support-chat": "created",
        "broken-chat": "invalid",
    }
    assert results["broken-chat"]["path"] == str(broken)
    assert results["broken-chat"]["code"] == "VALIDATION_ERROR"
    assert [d["code"] for d in results["broken-chat"]["diagnostics"]] == ["OCT205", "OCT201"]
    for slug in ("research-worker", "support-chat"):
        assert results[slug]["agentId"] == stored(emulator, slug).id
    assert doc["summary"]["created"] == 2
    assert doc["summary"]["invalid"] == 1
    assert sorted((r.method, r.path) for r in writes(emulator)) == [
        ("POST", "/api/agents"),
        ("POST", "/api/agents"),
    ]
    assert not any("broken-chat" in r.path for r in emulator.requests)


def test_human_output_has_progress_a_table_and_the_failures(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    broken = copy_example("minimal-chat", agents / "zz-broken", slug="broken-chat")
    break_protocol(broken)
    result = run_cli("sync", str(agents), env=emulator_env)
    assert result.code == 1, result
    out = result.stdout.splitlines()
    assert out[0].split() == ["STATUS", "SLUG", "AGENT", "ID", "PATH"]
    rows = {line.split()[1]: line.split()[0] for line in out[2 : out.index("", 2)]}
    assert rows == {
        "minimal-chat": "created",
        "research-worker": "created",
        "support-chat": "created",
        "broken-chat": "invalid",
    }
    assert out[-1] == "4 agents: 3 created, 1 invalid"
    for done in range(1, 5):
        assert f"[{done}/4]" in result.stderr
    assert f"✗ broken-chat: 1 error in {broken}; the agent was not sent" in result.stderr
    assert "OCT201" in result.stderr  # the diagnostics themselves


def test_a_remote_failure_does_not_stop_the_others(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    # Every request about support-chat answers 503 (three attempts), the others work.
    emulator.faults.path_prefix = "/api/agents/support-chat"
    emulator.faults.fail_first = 3
    result = run_cli("sync", str(agents), "--json", env={**emulator_env, **FAST})
    assert result.code == 1, result
    results = by_slug(result.json())
    assert results["support-chat"]["status"] == "failed"
    assert results["support-chat"]["httpStatus"] == 503
    assert "after 3 attempts" in results["support-chat"]["error"]
    assert results["minimal-chat"]["status"] == "created"
    assert results["research-worker"]["status"] == "created"
    assert emulator.store.get_agent_by_slug("support-chat") is None


def test_several_paths_and_quiet(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    paths = [str(agents / name) for name in EXAMPLE_NAMES]
    result = run_cli("sync", *paths, "--quiet", env=emulator_env)
    assert result.code == 0, result
    ids = [stored(emulator, name).id for name in EXAMPLE_NAMES]
    assert result.stdout.splitlines() == ids  # in argument order
    assert result.stderr == ""


def test_second_sync_of_a_folder_writes_nothing(
    emulator: Emulator, emulator_env: dict[str, str], agents: Path
) -> None:
    assert run_cli("sync", str(agents), env=emulator_env).code == 0
    emulator.clear_requests()
    again = run_cli("sync", str(agents), "--jobs", "2", "--json", env=emulator_env)
    assert again.code == 0, again
    assert {a["status"] for a in again.json()["agents"]} == {"unchanged"}
    assert writes(emulator) == []
    assert len(emulator.requests) == len(EXAMPLE_NAMES)


def test_bulk_dry_run(emulator: Emulator, emulator_env: dict[str, str], agents: Path) -> None:
    emulator.seed_agent(agents / "minimal-chat")
    emulator.seed_agent(agents / "research-worker")
    set_setting(agents / "research-worker", "name", "Researcher")
    result = run_cli("sync", str(agents), "--dry-run", "--json", env=emulator_env)
    assert result.code == 0, result
    doc = result.json()
    assert doc["dryRun"] is True
    results = by_slug(doc)
    assert {s: r["status"] for s, r in results.items()} == {
        "minimal-chat": "unchanged",
        "research-worker": "update",
        "support-chat": "create",
    }
    assert results["minimal-chat"]["diff"] == ""
    assert '+  "name": "Researcher",' in results["research-worker"]["diff"].splitlines()
    assert writes(emulator) == []

    human = run_cli("sync", str(agents), "--dry-run", env=emulator_env)
    assert human.code == 0
    assert "✓ Would update: research-worker" in human.stdout
    assert human.stdout.splitlines()[-1] == (
        "3 agents: 1 to create, 1 to update, 1 unchanged (dry run: nothing was sent)"
    )
    assert writes(emulator) == []


def test_two_folders_with_one_slug_send_only_the_first(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    first = copy_example("minimal-chat", tmp_path / "a")
    second = copy_example("minimal-chat", tmp_path / "b")
    set_setting(second, "name", "Another name")
    result = run_cli("sync", str(first), str(second), "--json", env=emulator_env)
    assert result.code == 1, result
    agents = result.json()["agents"]
    assert [a["status"] for a in agents] == ["created", "invalid"]
    assert "also used by" in agents[1]["error"]
    assert stored(emulator, "minimal-chat").name == "Minimal Chat"
