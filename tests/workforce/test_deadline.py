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
        "workforce", "wait", AGENT, thread_id, "--timeout", "1.5", env=emulator_env, timeout=60
    )
    elapsed = time.monotonic() - started
    assert result.code == 3, result
    assert "Gave up waiting" in result.stderr
    # 1.5 s, the last poll's 1 s of grace and the process start on a busy machine:
    # never the 60 s read timeout, nor 16 s of backoff past the deadline.
    assert elapsed < 10, (elapsed, result)
    assert "Traceback" not in result.stderr
