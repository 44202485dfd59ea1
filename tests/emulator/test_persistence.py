"""A data file keeps agents, sessions and workforce threads across restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from octavus_cli.emulator import Emulator, EmulatorError
from octavus_cli.emulator.testing import TEST_AGENT_KEY, TEST_WORKFORCE_AGENT_ID, fixture_defaults
from tests.emulator.helpers import EXAMPLES, api, new_session, say

THREADS = f"/api/v1/workforce/agents/{TEST_WORKFORCE_AGENT_ID}/threads"


def start(data: Path) -> Emulator:
    return Emulator(**{**fixture_defaults(), "data": data}).start()


def test_agents_sessions_and_threads_survive_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "emulator.db"
    with start(data) as first:
        kept = first.seed_agent(EXAMPLES / "minimal-chat")
        archived = first.seed_agent(EXAMPLES / "support-chat")
        with api(first) as client:
            client.delete(f"/api/agents/{archived.id}")
            session_id = new_session(client, kept.id)
            say(client, session_id, "Remember this")
            before = client.get("/api/agents").json()
            definition = client.get(f"/api/agents/{kept.id}").json()
        with api(first, key=TEST_AGENT_KEY) as client:
            thread_id = client.post(THREADS, json={"message": "Persist"}).json()["threadId"]

    with start(data) as second:
        with api(second) as client:
            after = client.get("/api/agents").json()
            same = client.get("/api/agents/minimal-chat?by=slug").json()
            messages = client.get(f"/api/agent-sessions/{session_id}?format=ui").json()["messages"]
            next_turn = say(client, session_id, "And this")
            recreated = client.post(
                "/api/agents",
                json={**definition, "settings": {**definition["settings"], "slug": "support-chat"}},
            )
        with api(second, key=TEST_AGENT_KEY) as client:
            thread = client.get(f"{THREADS}/{thread_id}").json()
    assert after == before
    assert [a["slug"] for a in after["agents"]] == ["minimal-chat"]
    assert same == definition
    assert [m["parts"][0]["text"] for m in messages] == ["Remember this", "You said: Remember this"]
    assert next_turn.text() == "You said: And this"
    assert recreated.status_code == 201, "the archived agent's slug stays free"
    assert thread["threadId"] == thread_id
    assert thread["messages"][0]["parts"][0]["text"] == "Persist"


def test_without_a_data_file_nothing_is_kept(emulator_factory: Any) -> None:
    first: Emulator = emulator_factory()
    first.seed_agent(EXAMPLES / "minimal-chat")
    second: Emulator = emulator_factory()
    with api(second) as client:
        assert client.get("/api/agents").json() == {"agents": []}


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "notes.txt"
    data.write_text("these are not the droids\n" * 100)
    with pytest.raises(EmulatorError, match="data file"):
        Emulator(data=data)
