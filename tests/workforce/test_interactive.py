"""A person at a terminal: Ctrl-C while waiting, and the live status line."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import TEST_WORKFORCE_AGENT_ID, emulator_env_for, wait_until
from octavus_cli.emulator.workforce import WorkforceDurations
from tests.support.cli import clean_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and terminals")

AGENT = TEST_WORKFORCE_AGENT_ID
THREADS = f"/api/v1/workforce/agents/{AGENT}/threads/"
# `python -m octavus_cli`, with Python's own Ctrl-C handler even when the test runner was
# started in the background (where SIGINT is inherited as ignored).
BOOTSTRAP = (
    "import runpy, signal\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "runpy.run_module('octavus_cli', run_name='__main__', alter_sys=True)\n"
)


@contextmanager
def cli_process(
    args: list[str], env: dict[str, str], **kwargs: object
) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", BOOTSTRAP, *args],
        text=True,
        encoding="utf-8",
        env=clean_env(env),
        **kwargs,  # type: ignore[call-overload]
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def first_polled_thread(emulator: Emulator, timeout: float = 20.0) -> str:
    """The thread id of the first poll the CLI makes (so it is waiting by then)."""
    polls: list[str] = []

    def polled() -> bool:
        polls.extend(
            r.path.rsplit("/", 1)[1]
            for r in emulator.requests
            if r.method == "GET" and r.path.startswith(THREADS)
        )
        return bool(polls)

    wait_until(polled, timeout=timeout, what="the CLI's first poll of the thread")
    return polls[0]


@pytest.mark.parametrize("output", ["human", "json"])
def test_ctrl_c_stops_waiting_and_says_how_to_read_it_later(
    emulator: Emulator, emulator_env: dict[str, str], output: str
) -> None:
    args = ["workforce", "run", AGENT, "Long [slow]", "--poll-interval", "0.05"]
    if output == "json":
        args.append("--json")
    with cli_process(args, emulator_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        thread_id = first_polled_thread(emulator)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    later = f"octavus workforce get {AGENT} {thread_id}"
    if output == "json":
        import json

        document = json.loads(stdout)
        assert document["code"] == "INTERRUPTED"
        assert document["threadId"] == thread_id
        assert later in document["error"]
    else:
        assert f"Stopped waiting for thread {thread_id}; the run goes on" in stderr
        assert later in stderr
        assert stdout == ""
    # the run was not cancelled: it is still going on the platform
    assert not any(r.path.endswith("/cancel") for r in emulator.requests)


def read_terminal(fd: int, process: subprocess.Popen[str], timeout: float = 20.0) -> str:
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    return b"".join(chunks).decode("utf-8", "replace")


def test_live_status_line_on_a_terminal(emulator_factory: Callable[..., Emulator]) -> None:
    import pty

    emulator = emulator_factory(
        workforce_durations=WorkforceDurations(pending=0.05, running=1.5, slow=3600.0)
    )
    env = {**emulator_env_for(emulator), "TERM": "xterm-256color", "COLUMNS": "200"}
    controller, terminal = pty.openpty()
    try:
        with cli_process(
            ["workforce", "run", AGENT, "Watch me", "--poll-interval", "0.05"],
            env,
            stdout=subprocess.PIPE,
            stderr=terminal,
        ) as process:
            os.close(terminal)
            terminal = -1
            shown = read_terminal(controller, process)
            stdout, _ = process.communicate(timeout=20)
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    assert process.returncode == 0, shown
    assert stdout == "Task 1 complete. You asked: Watch me\n"
    assert ": running · " in shown  # the live line: status and time waited
    thread_id = first_polled_thread(emulator)
    assert f"Thread {thread_id} completed after" in shown
    # on a terminal the status changes update the live line instead of adding lines
    assert f"ℹ Thread {thread_id}: running" not in shown
