"""Fault injection: every fault, switched on and off while the emulator runs."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from octavus_cli.emulator import Emulator, Faults
from tests.emulator.helpers import EXAMPLES, api, new_session, read_stream, say


@pytest.fixture
def chat(emulator: Emulator) -> str:
    return emulator.seed_agent(EXAMPLES / "minimal-chat").id


def test_latency_delays_each_request(emulator: Emulator) -> None:
    emulator.faults.latency = 0.3
    with api(emulator) as client:
        started = time.monotonic()
        client.get("/api/agents")
        slow = time.monotonic() - started
        emulator.faults.latency = 0
        started = time.monotonic()
        client.get("/api/agents")
        fast = time.monotonic() - started
    assert slow >= 0.3
    assert fast < 0.3


def test_fail_first_answers_503_with_retry_after_then_recovers(emulator: Emulator) -> None:
    emulator.faults.fail_first = 2
    emulator.faults.retry_after = 3
    with api(emulator) as client:
        statuses = [client.get("/api/agents") for _ in range(3)]
    assert [r.status_code for r in statuses] == [503, 503, 200]
    assert statuses[0].headers["retry-after"] == "3"
    assert statuses[0].json()["code"] == "SERVICE_UNAVAILABLE"
    assert emulator.faults.fail_first == 0
    assert [r.status for r in emulator.requests] == [503, 503, 200]


def test_rate_limit_every_nth_request(emulator: Emulator) -> None:
    emulator.faults.rate_limit_every = 3
    with api(emulator) as client:
        statuses = [client.get("/api/agents").status_code for _ in range(6)]
        limited = client.get("/api/agents")
        emulator.faults.reset()
        after = [client.get("/api/agents").status_code for _ in range(3)]
    assert statuses == [200, 200, 429, 200, 200, 429]
    assert limited.status_code == 200
    assert after == [200, 200, 200]


def test_rate_limited_answer_has_retry_after_and_code(emulator: Emulator) -> None:
    emulator.faults.rate_limit_every = 1
    with api(emulator) as client:
        response = client.get("/api/agents")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert response.json()["code"] == "RATE_LIMITED"


def test_path_prefix_limits_the_counting_faults(emulator: Emulator, chat: str) -> None:
    emulator.faults.path_prefix = "/api/agent-sessions"
    emulator.faults.fail_first = 1
    with api(emulator) as client:
        agents = client.get("/api/agents")
        session = client.post("/api/agent-sessions", json={"agentId": chat})
        again = client.post("/api/agent-sessions", json={"agentId": chat})
    assert agents.status_code == 200
    assert session.status_code == 503
    assert again.status_code == 200


def test_cut_stream_closes_without_finish_or_done(emulator: Emulator, chat: str) -> None:
    with api(emulator) as client:
        session_id = new_session(client, chat)
        emulator.faults.cut_stream_after = 3
        cut = say(client, session_id, "one two three four five")
        emulator.faults.cut_stream_after = None
        after = say(client, session_id, "again")
    assert len(cut.events) == 3
    assert not cut.done
    assert not cut.of("finish")
    assert after.status == 200, "a cut stream frees the session"
    assert after.finish_reason == "stop"


def test_malformed_line_is_injected_after_start(emulator: Emulator, chat: str) -> None:
    emulator.faults.malformed_sse = True
    with api(emulator) as client:
        session_id = new_session(client, chat)
        stream = say(client, session_id, "hello")
    assert len(stream.bad_lines) == 1
    assert stream.bad_lines[0].startswith('data: {"type": "text-delta"')
    assert stream.text() == "You said: hello"
    assert stream.done


def test_silent_stream_sends_nothing_not_even_heartbeats(emulator: Emulator, chat: str) -> None:
    emulator.heartbeat_interval = 0.05
    emulator.faults.silent_stream = True
    emulator.faults.silent_seconds = 5
    with api(emulator) as client:
        session_id = new_session(client, chat)
        body = {"triggerName": "user-message", "input": {"USER_MESSAGE": "hello"}}
        timeout = httpx.Timeout(5, read=0.5)
        path = f"/api/agent-sessions/{session_id}/trigger"
        with client.stream("POST", path, json=body, timeout=timeout) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            with pytest.raises(httpx.ReadTimeout):
                next(response.iter_raw())
            emulator.faults.silent_stream = False
            with api(emulator) as other:
                retried = say(other, session_id, "again")
    assert retried.status == 200, "nothing ran: the session is free while the stream is silent"
    assert retried.text() == "You said: again"


def test_silent_stream_ends_when_its_time_is_up(emulator: Emulator, chat: str) -> None:
    emulator.faults.silent_stream = True
    emulator.faults.silent_seconds = 0.3
    with api(emulator) as client:
        session_id = new_session(client, chat)
        body = {"triggerName": "user-message", "input": {"USER_MESSAGE": "hello"}}
        with client.stream(
            "POST", f"/api/agent-sessions/{session_id}/trigger", json=body
        ) as response:
            stream = read_stream(response)
    assert stream.events == []
    assert not stream.done
    assert stream.heartbeats == 0


def test_faults_can_be_given_at_construction(emulator_factory: Any) -> None:
    emulator: Emulator = emulator_factory(faults=Faults(fail_first=1))
    with api(emulator) as client:
        assert client.get("/api/agents").status_code == 503
        assert client.get("/api/agents").status_code == 200


def test_stopping_ends_open_streams(emulator_factory: Any) -> None:
    emulator: Emulator = emulator_factory()
    agent = emulator.seed_agent(EXAMPLES / "minimal-chat")
    emulator.faults.silent_stream = True
    emulator.faults.silent_seconds = 60
    with api(emulator) as client:
        session_id = new_session(client, agent.id)
        body = {"triggerName": "user-message", "input": {"USER_MESSAGE": "hello"}}
        with client.stream(
            "POST", f"/api/agent-sessions/{session_id}/trigger", json=body
        ) as response:
            started = time.monotonic()
            emulator.stop()
            read_stream(response)
    assert time.monotonic() - started < 3
