"""An aborted run frees its session within 1 s, even between heartbeats (SDK finding)."""

from __future__ import annotations

import time
from collections.abc import Callable

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import wait_until
from tests.emulator.helpers import EXAMPLES, api, new_session, say


def test_an_aborted_run_frees_its_session_within_a_second(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emulator = emulator_factory(heartbeat_interval=15.0, busy_wait=0.0)
    agent = emulator.seed_agent(EXAMPLES / "minimal-chat")
    with api(emulator) as client:
        session_id = new_session(client, agent.id)
        body = {"triggerName": "user-message", "input": {"USER_MESSAGE": "/wait 20 late"}}
        with client.stream(
            "POST", f"/api/agent-sessions/{session_id}/trigger", json=body
        ) as response:
            assert response.status_code == 200
            for line in response.iter_lines():
                if line.startswith("data:"):
                    break  # the run has started: abort it
        aborted = time.monotonic()
        statuses: list[int] = []

        def accepted() -> bool:
            response = client.post(f"/api/agent-sessions/{session_id}/trigger", json={
                "triggerName": "user-message", "input": {"USER_MESSAGE": "next"}
            })  # fmt: skip
            statuses.append(response.status_code)
            return response.status_code == 200

        wait_until(accepted, timeout=1.0, what="the session to take a new trigger")
        after = time.monotonic() - aborted
        assert statuses[-1] == 200, statuses
        assert after < 1.0
        next_run = say(client, session_id, "again")
    assert next_run.text() == "You said: again"


def test_an_aborted_answer_keeps_what_was_streamed(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emulator = emulator_factory(heartbeat_interval=15.0, token_delay=0.2)
    agent = emulator.seed_agent(EXAMPLES / "minimal-chat")
    words = " ".join(f"word{n}" for n in range(30))
    with api(emulator) as client:
        session_id = new_session(client, agent.id)
        body = {"triggerName": "user-message", "input": {"USER_MESSAGE": words}}
        with client.stream(
            "POST", f"/api/agent-sessions/{session_id}/trigger", json=body
        ) as response:
            for line in response.iter_lines():
                if '"text-delta"' in line:
                    break  # the answer has begun: abort it
        kept = ""

        def partial_answer_kept() -> bool:
            nonlocal kept
            messages = client.get(f"/api/agent-sessions/{session_id}").json()["messages"]
            assistant = [m for m in messages if m["role"] == "assistant"]
            kept = assistant[0]["content"] if assistant else ""
            return bool(kept)

        wait_until(partial_answer_kept, timeout=2.0, what="the partial answer to be stored")
    full = f"You said: {words}"
    assert kept  # the partial answer is kept ...
    assert full.startswith(kept)
    assert len(kept) < len(full)  # ... and the rest never ran
