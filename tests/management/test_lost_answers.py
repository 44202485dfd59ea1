"""Writes whose answer was lost, and a server that stopped mid-request (issue 14 items 1, 2)."""

from __future__ import annotations

from pathlib import Path

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.faults import DROPPED, LOST
from octavus_cli.emulator.recording import RecordedRequest
from tests.management.conftest import EXAMPLES, copy_example, writes
from tests.support.cli import run_cli
from tests.support.pacing import FAST


def test_archive_whose_answer_was_lost_is_reconciled_by_reading(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    """Item 1: not resent (a resend gets 404), and not reported as "not found"."""
    record = emulator.seed_agent(EXAMPLES / "minimal-chat")
    emulator.faults.lose_answers = 1
    result = run_cli("archive", "minimal-chat", "--json", env={**emulator_env, **FAST})
    assert result.code == 0, result
    doc = result.json()
    assert doc["archived"] is True
    assert "answer was lost" in doc["note"]
    assert [(r.method, r.status) for r in writes(emulator)] == [("DELETE", LOST)]
    assert emulator.store.get_agent(record.id) is None


def test_archive_lost_then_server_gone_says_it_may_have_been_archived(
    emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    emulator.seed_agent(EXAMPLES / "minimal-chat")
    emulator.faults.stop_mid_request = True
    emulator.faults.path_prefix = "/api/agents/minimal-chat"
    result = run_cli("archive", "minimal-chat", "--json", env={**emulator_env, **FAST})
    assert result.code == 1, result
    doc = result.json()
    assert doc["ambiguous"] is True
    assert "may have been archived" in doc["error"]
    assert "Traceback" not in result.stderr


def test_sync_create_lost_and_reread_failed_says_it_may_have_been_created(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    """Item 2: one agent folder; the server stops while the POST is in flight."""
    folder = copy_example("minimal-chat", tmp_path / "minimal-chat")
    emulator.faults.path_prefix = "/api/agents"
    emulator.faults.stop_mid_request = False
    # The GET is answered; the POST is dropped and the server goes down.
    emulator.faults.lose_answers = 0
    env = {**emulator_env, **FAST}
    emulator.faults.path_prefix = "/api/agents"

    def stop_on_post() -> None:
        emulator.faults.stop_mid_request = True

    emulator_on_get(emulator, stop_on_post)
    result = run_cli("sync", str(folder), "--json", env=env)
    assert result.code == 1, result
    doc = result.json()
    assert doc["ambiguous"] is True
    assert "minimal-chat may have been created" in doc["error"]
    assert [r.status for r in writes(emulator)] == [DROPPED]


def test_bulk_sync_names_every_agent_that_may_exist_now(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    """Item 2: in a bulk sync the agents whose POSTs were in flight are named."""
    root = tmp_path / "agents"
    for name in ("minimal-chat", "support-chat"):
        copy_example(name, root / name)
    emulator_on_get(emulator, lambda: setattr(emulator.faults, "stop_mid_request", True), count=2)
    result = run_cli("sync", str(root), "--jobs", "1", "--json", env={**emulator_env, **FAST})
    assert result.code == 1, result
    agents = {a["slug"]: a for a in result.json()["agents"]}
    unsure = [slug for slug, a in agents.items() if a.get("ambiguous")]
    assert unsure, result
    for slug in unsure:
        assert "may have been created" in agents[slug]["error"]
    assert "may have been written on the platform anyway" in result.stderr
    assert "Traceback" not in result.stderr


def emulator_on_get(emulator: Emulator, action: object, *, count: int = 1) -> None:
    """Run ``action`` after the emulator answered ``count`` GETs (the lookups)."""
    seen = {"gets": 0}

    def on_request(record: RecordedRequest) -> None:
        if record.method == "GET":
            seen["gets"] += 1
            if seen["gets"] == count:
                action()  # type: ignore[operator]

    emulator.listen(on_request)
