"""Issue 14 item 7: --timeout is a deadline for every request of a wait, retries included."""

from __future__ import annotations

import time

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import TEST_WORKFORCE_AGENT_ID
from tests.support.cli import run_cli

AGENT = TEST_WORKFORCE_AGENT_ID
THREADS = f"/api/v1/workforce/agents/{AGENT}/threads"


def dispatch(env: dict[str, str], message: str) -> str:
    result = run_cli("workforce", "dispatch", AGENT, message, "--quiet", env=env)
    assert result.code == 0, result
    return result.stdout.strip()


@pytest.mark.parametrize("fault", ["slow", "down"])
def test_wait_ends_at_its_timeout_when_the_server_is_slow_or_failing(
    emulator: Emulator, emulator_env: dict[str, str], fault: str
) -> None:
    thread_id = dispatch(emulator_env, "Long [slow]")
    emulator.faults.path_prefix = THREADS + "/"
    if fault == "slow":
        emulator.faults.latency = 30  # each poll would wait its full read timeout
    else:
        emulator.faults.fail_first = 1000  # every poll is retried with real backoff
        emulator.faults.retry_after = 8  # each poll: 2 retries of 8 s without a deadline
    started = time.monotonic()
    result = run_cli(
        "workforce", "wait", AGENT, thread_id, "--timeout", "1", env=emulator_env, timeout=60
    )
    elapsed = time.monotonic() - started
    assert result.code == 3, result
    assert "Gave up waiting" in result.stderr
    # 1 s, the last poll's 1 s of grace and the process start on a busy machine:
    # never the 60 s read timeout, nor 16 s of backoff past the deadline.
    assert elapsed < 10, (elapsed, result)
    assert "Traceback" not in result.stderr


# -- the dispatch or follow-up before a wait is under the same --timeout ------------------

TIMEOUT = 2.0  # --timeout of the tests below
GRACE = 1.0  # the time the request that lands on the deadline may take (DEADLINE_GRACE)
LATE = 0.4  # scheduling slack for a request that starts on the deadline
SHORT_TIMEOUT = 1.0  # for a dispatch that never gets through


def _start_args(env: dict[str, str], command: str) -> list[str]:
    """The arguments of `workforce run` or `workforce follow-up --wait` for a slow run."""
    if command == "run":
        return ["run", AGENT, "Long [slow]"]
    thread_id = dispatch(env, "Long [slow]")
    return ["follow-up", AGENT, thread_id, "More [slow]", "--wait"]


@pytest.mark.parametrize("command", ["run", "follow-up"])
def test_the_time_a_dispatch_takes_counts_toward_the_timeout(
    emulator: Emulator, emulator_env: dict[str, str], command: str
) -> None:
    args = _start_args(emulator_env, command)
    emulator.clear_requests()
    emulator.faults.path_prefix = THREADS
    emulator.faults.fail_first = 1  # the POST waits a Retry-After of 1-1.25 s, then goes
    emulator.faults.retry_after = 1
    started = time.monotonic()
    result = run_cli(
        "workforce", *args, "--timeout", str(TIMEOUT), "--poll-interval", "0.1", env=emulator_env
    )
    elapsed = time.monotonic() - started
    assert result.code == 3, result
    assert "Gave up waiting after 2" in result.stderr
    requests = emulator.requests
    posts = [r for r in requests if r.method == "POST"]
    assert [r.status // 100 for r in posts] == [5, 2], requests  # a 503, then accepted
    polls = [r for r in requests if r.method == "GET"]
    assert polls, requests
    # No poll started after the deadline, counted from before the dispatch (so from
    # before the first POST arrived): the old code counted from after the dispatch,
    # polling on for the 1-1.25 s the dispatch took.
    assert max(r.received for r in polls) - posts[0].received <= TIMEOUT + LATE, requests
    assert elapsed < TIMEOUT + GRACE + 2, (elapsed, result)


@pytest.mark.parametrize("fault", ["slow", "down"])
@pytest.mark.parametrize("command", ["run", "follow-up"])
def test_a_dispatch_that_cannot_get_through_ends_by_the_timeout(
    emulator: Emulator, emulator_env: dict[str, str], command: str, fault: str
) -> None:
    args = _start_args(emulator_env, command)
    emulator.clear_requests()
    emulator.faults.path_prefix = THREADS
    if fault == "slow":
        emulator.faults.latency = 8  # longer than the deadline, shorter than a read timeout
    else:
        emulator.faults.fail_first = 1000  # 503 with Retry-After 8: each retry waits 8 s
        emulator.faults.retry_after = 8
    started = time.monotonic()
    # A shorter --timeout: this command always runs to its deadline plus the grace.
    result = run_cli("workforce", *args, "--timeout", str(SHORT_TIMEOUT), env=emulator_env)
    elapsed = time.monotonic() - started
    assert result.code == 1, result
    assert "Traceback" not in result.stderr
    # one POST, never resent, and nothing after it
    requests = emulator.requests
    assert [r.method for r in requests] == ["POST"], requests
    assert requests[0].received - started < SHORT_TIMEOUT, requests
    if fault == "slow":
        # the answer is lost to the deadline: the run may exist
        assert "reached the time limit (--timeout)" in result.stderr
        assert "may have reached the platform" in result.stderr
    else:
        assert "HTTP 503" in result.stderr
    # the deadline and its grace (2 s), never the latency (8 s) or two Retry-Afters
    # (16-20 s) the old code waited out
    assert elapsed < 6, (elapsed, result)
