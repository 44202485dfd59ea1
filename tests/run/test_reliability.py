"""Retries before the stream, cut and silent streams, malformed lines, SESSION_BUSY, Ctrl-C."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from octavus_cli.config import Credentials
from octavus_cli.emulator.faults import LOST
from octavus_cli.emulator.recording import RecordedRequest
from octavus_cli.emulator.testing import wait_until
from octavus_cli.errors import ApiError
from octavus_cli.platform.http import PlatformClient
from octavus_cli.platform.sessions import SessionsApi
from tests.run.conftest import KEY, REQUIRED, Octavus
from tests.support.cli import clean_env
from tests.support.pacing import FAST


def session_id_of(octavus: Octavus) -> str:
    return octavus.posts()[0].path.split("/")[3]


def test_a_503_before_the_stream_is_retried(octavus: Octavus) -> None:
    octavus.emulator.faults.path_prefix = "/api/agent-sessions/"
    octavus.emulator.faults.fail_first = 1
    result = octavus.run("support-chat", "-m", "hi", *REQUIRED, env=octavus.env(**FAST))
    assert result.code == 0, result
    assert result.stdout == "You said: hi\n"
    assert [r.status for r in octavus.posts()] == [503, 200]
    assert re.search(r"HTTP 503; retrying in 1\.[0-2] s", result.stderr), result


def test_a_cut_stream_fails_and_says_how_to_resume(octavus: Octavus) -> None:
    octavus.emulator.faults.cut_stream_after = 3
    result = octavus.run("support-chat", "-m", "hi", *REQUIRED)
    assert result.code == 1, result
    session_id = session_id_of(octavus)
    assert "The event stream ended before the run finished (no finish event)" in result.stderr
    assert f"octavus run support-chat --session {session_id}" in result.stderr
    assert len(octavus.posts()) == 1  # not resent once the stream had begun


def test_a_cut_stream_with_json_ends_with_an_error_line(octavus: Octavus) -> None:
    octavus.emulator.faults.cut_stream_after = 2
    result = octavus.run("support-chat", "-m", "hi", *REQUIRED, "--json")
    assert result.code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[-1]["type"] == "cli-error"
    assert lines[-1]["sessionId"] == session_id_of(octavus)
    assert "--session" in lines[-1]["hint"]
    assert "ended before the run finished" in result.stderr


def test_malformed_lines_are_skipped(octavus: Octavus) -> None:
    octavus.emulator.faults.malformed_sse = True
    result = octavus.run("support-chat", "-m", "hi", *REQUIRED)
    assert result.code == 0, result
    assert result.stdout == "You said: hi\n"
    assert "Skipped 1 malformed line in the event stream" in result.stderr


def test_a_silent_stream_is_dead_after_the_idle_timeout(octavus: Octavus) -> None:
    octavus.emulator.faults.silent_stream = True
    octavus.emulator.faults.silent_seconds = 10
    started = time.monotonic()
    result = octavus.run("support-chat", "-m", "hi", *REQUIRED, "--idle-timeout", "0.5")
    elapsed = time.monotonic() - started
    assert result.code == 1, result
    assert elapsed < 8, elapsed
    assert "The event stream went silent (no data for 0.5 s)" in result.stderr
    assert f"--session {session_id_of(octavus)}" in result.stderr


def _pause_for_tools(octavus: Octavus) -> str:
    """A session whose run waits for tool results: busy, 429 SESSION_BUSY at once."""
    first = octavus.run(
        "support-chat", "-m", "x", *REQUIRED, "--json", "--tool", "check-order-status=true"
    )
    session_id: str = json.loads(first.stdout.splitlines()[0])["sessionId"]
    with httpx.Client(headers={"Authorization": f"Bearer {KEY}"}) as client:
        response = client.post(
            f"{octavus.emulator.url}/api/agent-sessions/{session_id}/trigger",
            json={
                "triggerName": "user-message",
                "input": {"USER_MESSAGE": '/call check-order-status {"orderId": "1"}'},
            },
        )
        assert "tool-calls" in response.text
    return session_id


def test_session_busy_waits_and_retries(octavus: Octavus) -> None:
    session_id = _pause_for_tools(octavus)
    seen = len(octavus.posts())
    _free_after_refusals(octavus, session_id, 1)  # the other run ends once we were refused
    env = octavus.env(**FAST)
    result = octavus.run("support-chat", "--session", session_id, "-m", "second", env=env)
    assert result.code == 0, result
    assert result.stdout == "You said: second\n"
    statuses = [r.status for r in octavus.posts()][seen:]
    assert statuses[0] == 429
    assert statuses[-1] == 200
    # Issue 14 item 8: one status line for the two retry layers, with the reason.
    assert result.stderr.count("The session is busy") == 1, result
    assert "retrying" not in result.stderr
    assert "an earlier answer" in result.stderr


def test_session_busy_waits_honour_retry_after_clamped(octavus: Octavus) -> None:
    session_id = _pause_for_tools(octavus)
    _free_after_refusals(octavus, session_id, 2)
    env = octavus.env(OCTAVUS_DEBUG="1", **FAST)
    result = octavus.run("support-chat", "--session", session_id, "-m", "second", env=env)
    assert result.code == 0, result
    # Retry-After (the paused run's ~60 s) honoured, clamped to 8 s (+ up to 25 % jitter).
    delays = [float(d) for d in re.findall(r"retrying in ([0-9.]+)s \(HTTP 429\)", result.stderr)]
    assert delays, result
    assert all(8.0 <= d <= 10.0 for d in delays), result


def _free_after_refusals(octavus: Octavus, session_id: str, refusals: int) -> None:
    """End the paused run the moment the emulator refuses the ``refusals``-th trigger.

    The emulator calls the listener before the refusal leaves, so the session is free
    when the CLI retries: no thread, no polling.
    """
    count = 0

    def on_request(record: RecordedRequest) -> None:
        nonlocal count
        if record.method == "POST" and record.path.endswith("/trigger") and record.status == 429:
            count += 1
            if count == refusals:
                octavus.emulator.context.runtime.forget(session_id)

    octavus.emulator.listen(on_request)


def test_a_lost_trigger_answer_says_how_to_continue_the_session(octavus: Octavus) -> None:
    """Issue 14 item 6: the `octavus run AGENT --session ID` command, not a network hint."""
    octavus.emulator.faults.path_prefix = "/api/agent-sessions/"
    first = octavus.run("support-chat", "-m", "x", *REQUIRED, "--json")
    session_id = json.loads(first.stdout.splitlines()[0])["sessionId"]
    octavus.emulator.faults.lose_answers = 1
    result = octavus.run(
        "support-chat", "--session", session_id, "-m", "again", env=octavus.env(**FAST)
    )
    assert result.code == 1, result
    assert f"octavus run support-chat --session {session_id}" in result.stderr
    assert "may have reached session" in result.stderr
    assert "OCTAVUS_API_URL" not in result.stderr
    assert [r.status for r in octavus.posts()][-1] == LOST  # sent once, not resent


def test_session_busy_gives_up_after_bounded_waits(octavus: Octavus) -> None:
    # A run paused for tool results keeps the session busy (429 with Retry-After at once).
    session_id = _pause_for_tools(octavus)
    sleeps: list[float] = []
    busy_rounds: list[int] = []
    credentials = Credentials(octavus.emulator.url, KEY, "OCTAVUS_API_KEY")
    with PlatformClient(credentials, sleep=sleeps.append) as client:
        sessions = SessionsApi(
            client, sleep=sleeps.append, on_busy=lambda delay, n: busy_rounds.append(n)
        )
        trigger = sessions.trigger(session_id, "user-message", {"USER_MESSAGE": "y"})
        with pytest.raises(ApiError) as info, trigger:
            pass
    assert info.value.api_code == "SESSION_BUSY"
    assert "The session is busy after 3 attempts" in info.value.message
    assert busy_rounds == [1, 2, 3]
    assert len(sleeps) == 2 * 4 + 3  # two retries in each of 4 rounds, 3 waits between rounds
    # Retry-After ~60 s, clamped to 8 s, plus up to 25 % jitter.
    assert all(8.0 <= delay <= 10.0 for delay in sleeps), sleeps
    assert [r.status for r in octavus.posts()][-12:] == [429] * 12


def test_ctrl_c_exits_130_and_says_how_to_resume(octavus: Octavus) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "octavus_cli",
            "run",
            "support-chat",
            "-m",
            "/wait 20 slow",
            *REQUIRED,
        ],
        env=clean_env(octavus.env()),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_until(lambda: octavus.posts(), what="the trigger")
    session_id = octavus.posts()[0].path.split("/")[3]
    runtime = octavus.emulator.context.runtime
    wait_until(lambda: runtime.is_streaming(session_id), what="the answer to stream")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "Interrupted" in stderr
    assert f"octavus run support-chat --session {session_id_of(octavus)}" in stderr
