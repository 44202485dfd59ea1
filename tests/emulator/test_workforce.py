"""Workforce API over real HTTP: statuses over time, markers, follow-ups, keys, limits."""

from __future__ import annotations

from typing import Any

import httpx

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import (
    TEST_AGENT_KEY,
    TEST_OTHER_WORKFORCE_AGENT_ID,
    TEST_PROJECT_KEY,
    TEST_WORKFORCE_AGENT_ID,
    ManualClock,
    wait_until,
)
from octavus_cli.emulator.workforce import FAILURE_REASON, WorkforceDurations
from tests.emulator.helpers import api

THREADS = f"/api/v1/workforce/agents/{TEST_WORKFORCE_AGENT_ID}/threads"
TERMINAL = ("completed", "failed", "cancelled")


def dispatch(client: httpx.Client, message: str) -> str:
    response = client.post(THREADS, json={"message": message})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "pending"
    return str(response.json()["threadId"])


def wait(client: httpx.Client, thread_id: str, timeout: float = 5.0) -> dict[str, Any]:
    """The thread once it has ended (runs advance in real time here)."""
    seen: list[dict[str, Any]] = []

    def ended() -> bool:
        seen.append(client.get(f"{THREADS}/{thread_id}").json())
        return seen[-1]["status"] in TERMINAL

    wait_until(ended, timeout=timeout, what=f"thread {thread_id} to end")
    return seen[-1]


def test_run_advances_pending_running_completed(emulator_factory: Any) -> None:
    clock = ManualClock()
    emulator: Emulator = emulator_factory(
        workforce_durations=WorkforceDurations(pending=0.3, running=0.3), clock=clock
    )
    with api(emulator, key=TEST_AGENT_KEY) as client:
        thread_id = dispatch(client, "Summarize the latest sales report")
        seen = [client.get(f"{THREADS}/{thread_id}").json()["status"]]
        clock.advance(0.35)
        seen.append(client.get(f"{THREADS}/{thread_id}").json()["status"])
        clock.advance(0.3)
        thread = client.get(f"{THREADS}/{thread_id}").json()
    assert seen == ["pending", "running"]
    assert thread["threadId"] == thread_id
    assert thread["status"] == "completed"
    assert thread["failureReason"] is None
    user, reply = thread["messages"]
    assert user["role"] == "user"
    assert user["parts"] == [
        {"type": "text", "text": "Summarize the latest sales report", "status": "done"}
    ]
    assert reply["role"] == "assistant"
    assert reply["parts"][0]["text"] == (
        "Task 1 complete. You asked: Summarize the latest sales report"
    )
    assert reply["status"] == "done"


def test_fail_marker_ends_failed_with_a_reason(emulator: Emulator) -> None:
    with api(emulator, key=TEST_AGENT_KEY) as client:
        thread = wait(client, dispatch(client, "Do the impossible [fail]"))
    assert thread["status"] == "failed"
    assert thread["failureReason"] == FAILURE_REASON
    assert [m["role"] for m in thread["messages"]] == ["user"]


def test_cancel_marker_ends_cancelled(emulator: Emulator) -> None:
    with api(emulator, key=TEST_AGENT_KEY) as client:
        thread = wait(client, dispatch(client, "Start, then stop [cancel]"))
    assert thread["status"] == "cancelled"
    assert thread["failureReason"] is None


def test_slow_marker_keeps_running_until_cancelled(emulator_factory: Any) -> None:
    clock = ManualClock()
    emulator: Emulator = emulator_factory(clock=clock)
    with api(emulator, key=TEST_AGENT_KEY) as client:
        thread_id = dispatch(client, "Take your time [slow]")
        clock.advance(600)  # long past the pending time, far from the end of a slow run
        running = client.get(f"{THREADS}/{thread_id}").json()["status"]
        cancelled = client.post(f"{THREADS}/{thread_id}/cancel", json={})
        after = client.get(f"{THREADS}/{thread_id}").json()
    assert running == "running"
    assert cancelled.json() == {"threadId": thread_id, "status": "cancelled"}
    assert after["status"] == "cancelled"


def test_follow_up_runs_after_the_first_turn(emulator_factory: Any) -> None:
    clock = ManualClock()
    emulator: Emulator = emulator_factory(clock=clock)
    with api(emulator, key=TEST_AGENT_KEY) as client:
        thread_id = dispatch(client, "Draft the Q3 board update")
        queued = client.post(f"{THREADS}/{thread_id}/messages", json={"message": "Shorter"})
        clock.advance(60)  # both turns are over
        thread = client.get(f"{THREADS}/{thread_id}").json()
        after = client.post(f"{THREADS}/{thread_id}/messages", json={"message": "Thanks"})
    assert queued.status_code == 202
    assert queued.json() == {"threadId": thread_id, "status": "pending"}
    texts = [m["parts"][0]["text"] for m in thread["messages"]]
    assert texts == [
        "Draft the Q3 board update",
        "Task 1 complete. You asked: Draft the Q3 board update",
        "Shorter",
        "Task 2 complete. You asked: Shorter",
    ]
    assert thread["status"] == "completed"
    assert after.json()["status"] == "pending"


def test_follow_up_while_running_reports_running(emulator_factory: Any) -> None:
    emulator: Emulator = emulator_factory(
        workforce_durations=WorkforceDurations(pending=0.0, running=1.0)
    )
    with api(emulator, key=TEST_AGENT_KEY) as client:
        thread_id = dispatch_any(client)
        queued = client.post(f"{THREADS}/{thread_id}/messages", json={"message": "More"})
    assert queued.json()["status"] == "running"


def dispatch_any(client: httpx.Client) -> str:
    return str(client.post(THREADS, json={"message": "Go"}).json()["threadId"])


def test_keys_only_drive_their_own_agent(emulator: Emulator) -> None:
    other_threads = f"/api/v1/workforce/agents/{TEST_OTHER_WORKFORCE_AGENT_ID}/threads"
    with api(emulator, key=TEST_AGENT_KEY) as client:
        thread_id = dispatch(client, "Mine")
        foreign = client.post(other_threads, json={"message": "Not mine"})
        foreign_get = client.get(f"{other_threads}/{thread_id}")
    with api(emulator, key=TEST_PROJECT_KEY) as client:
        project = client.post(THREADS, json={"message": "Project key"})
    with api(emulator, key=None) as client:
        missing = client.post(THREADS, json={"message": "No key"})
    with api(emulator, key="fake-unknown-key") as client:
        unknown = client.get(f"{THREADS}/{thread_id}")
    assert foreign.status_code == 403
    assert foreign.json() == {
        "error": f"This key is not authorized for agent {TEST_OTHER_WORKFORCE_AGENT_ID}",
        "code": "FORBIDDEN",
    }
    assert foreign_get.status_code == 403
    assert project.status_code == 403
    assert "agent's own API key" in project.json()["error"]
    assert missing.status_code == 401
    assert unknown.status_code == 401


def test_spending_limit_is_402(emulator: Emulator) -> None:
    emulator.block_agent(TEST_WORKFORCE_AGENT_ID)
    with api(emulator, key=TEST_AGENT_KEY) as client:
        blocked = client.post(THREADS, json={"message": "Work"})
        emulator.block_agent(TEST_WORKFORCE_AGENT_ID, blocked=False)
        allowed = client.post(THREADS, json={"message": "Work"})
    assert blocked.status_code == 402
    assert blocked.json() == {
        "error": "The agent is blocked by a usage or spending limit",
        "code": "SPENDING_LIMIT_REACHED",
    }
    assert allowed.status_code == 201


def test_files_appear_as_file_parts(emulator: Emulator) -> None:
    file = {"id": "f1", "mediaType": "text/plain", "url": "https://files.invalid/f1", "size": 3}
    with api(emulator, key=TEST_AGENT_KEY) as client:
        thread_id = client.post(THREADS, json={"message": "Read this", "files": [file]}).json()[
            "threadId"
        ]
        thread = client.get(f"{THREADS}/{thread_id}").json()
    assert thread["messages"][0]["parts"][1] == {"type": "file", **file}


def test_unknown_thread_and_bad_bodies(emulator: Emulator) -> None:
    with api(emulator, key=TEST_AGENT_KEY) as client:
        unknown = client.get(f"{THREADS}/cmnosuchthread")
        follow = client.post(f"{THREADS}/cmnosuchthread/messages", json={"message": "hi"})
        empty = client.post(THREADS, json={"message": "  "})
        files = client.post(THREADS, json={"message": "hi", "files": "nope"})
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "NOT_FOUND"
    assert follow.status_code == 404
    assert empty.status_code == 400
    assert "message is required" in empty.json()["error"]
    assert files.status_code == 400


def test_agent_keys_added_at_runtime(emulator: Emulator) -> None:
    emulator.add_agent_key("cmlateagent000000000001", "test-late-agent-key")
    with api(emulator, key="test-late-agent-key") as client:
        response = client.post(
            "/api/v1/workforce/agents/cmlateagent000000000001/threads", json={"message": "hi"}
        )
    assert response.status_code == 201
    assert emulator.requests[-1].key == "agent:cmlateagent000000000001"


def test_thread_ids_are_url_decoded(emulator: Emulator) -> None:
    with api(emulator, key=TEST_AGENT_KEY) as client:
        thread_id = dispatch(client, "hi")
        response = client.get(f"{THREADS}/{thread_id}".replace("cm", "%63m", 1))
    assert response.status_code == 200
