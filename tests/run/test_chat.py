"""The interactive chat, driven under a pseudo-terminal like a person at a keyboard."""

from __future__ import annotations

import codecs
import os
import select
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.recording import RecordedRequest
from octavus_cli.emulator.testing import wait_until
from octavus_cli.pacing import SCALE_VARIABLE
from tests.run.conftest import LEGACY_DIR, REQUIRED, SUPPORT_CHAT_DIR, Octavus, tool_command
from tests.support.cli import clean_env

pty = pytest.importorskip("pty")


class Terminal:
    """The parent side of a pty: type into it, wait for text to appear."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.raw = ""
        self.position = 0

    @property
    def seen(self) -> str:
        return self.raw.replace("\r\n", "\n")

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def expect(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while True:
            found = self.seen.find(text, self.position)
            if found >= 0:
                self.position = found + len(text)
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{text!r} did not appear; the terminal shows:\n{self.seen}")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    raise AssertionError(
                        f"{text!r} never appeared; the terminal showed:\n{self.seen}"
                    )
                self.raw += self.decoder.decode(chunk)


def test_chat_two_turns_a_stopped_answer_then_ctrl_d(octavus: Octavus) -> None:
    env = clean_env({**octavus.env(), "NO_COLOR": "1", "TERM": "dumb"})
    argv = [sys.executable, "-m", "octavus_cli", "run", "support-chat", *REQUIRED]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI, with the pty as its terminal
        os.execve(sys.executable, argv, env)
    terminal = Terminal(fd)
    try:
        terminal.expect("Ctrl-D leaves")
        terminal.expect("› ")
        terminal.type("hello there\r")
        terminal.expect("You said: hello there\n")
        terminal.expect("› ")
        terminal.type("second turn\r")
        terminal.expect("You said: second turn\n")
        terminal.expect("› ")
        # Ctrl-C during an answer stops that answer, not the program.
        terminal.type("/wait 30 too slow\r")
        wait_until(lambda: len(octavus.posts()) == 3, what="the third trigger")
        slow_session = octavus.posts()[-1].path.split("/")[3]
        runtime = octavus.emulator.context.runtime
        wait_until(lambda: runtime.is_streaming(slow_session), what="the answer to stream")
        terminal.type("\x03")
        terminal.expect("Stopped this answer.")
        terminal.expect("› ")
        terminal.type("\x04")
        terminal.expect("Resume it with: octavus run support-chat --session ")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    triggers = octavus.posts()
    session_id = triggers[0].path.split("/")[3]
    assert f"New session {session_id}" in terminal.seen
    assert f"--session {session_id}" in terminal.seen
    assert [t.path for t in triggers] == [f"/api/agent-sessions/{session_id}/trigger"] * 3
    assert [t.body["input"]["USER_MESSAGE"] for t in triggers] == [
        "hello there",
        "second turn",
        "/wait 30 too slow",
    ]
    assert "too slow" not in terminal.seen.split("/wait 30 too slow", 1)[1]


def spawn(octavus: Octavus, *args: str, **env_extra: str) -> tuple[int, Terminal]:
    env = clean_env({**octavus.env(**env_extra), "NO_COLOR": "1", "TERM": "dumb"})
    argv = [sys.executable, "-m", "octavus_cli", "run", *args]
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, argv, env)
    return pid, Terminal(fd)


def test_on_a_terminal_a_tool_without_handler_asks_for_its_result(octavus: Octavus) -> None:
    pid, terminal = spawn(
        octavus, "support-chat", *REQUIRED, "-m", '/call check-order-status {"orderId": "O-7"}'
    )
    try:
        terminal.expect('The agent calls the tool check-order-status with {"orderId": "O-7"}')
        terminal.expect("check-order-status result> ")
        terminal.type("not json\r")
        terminal.expect("That is not JSON")
        terminal.expect("check-order-status result> ")
        terminal.type('{"status": "shipped"}\r')
        terminal.expect('The tool check-order-status returned {"status": "shipped"}.')
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(terminal.fd)
    assert os.waitstatus_to_exitcode(status) == 0
    [continuation] = [r.body for r in octavus.posts() if "toolResults" in r.body]
    assert continuation["toolResults"][0]["result"] == {"status": "shipped"}


def test_no_chat_when_stdout_is_not_a_terminal(octavus: Octavus) -> None:
    import subprocess

    leader, follower = pty.openpty()
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "octavus_cli", "run", "support-chat", *REQUIRED],
            stdin=follower,
            capture_output=True,
            text=True,
            env=clean_env(octavus.env()),
            timeout=60,
            check=False,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert completed.returncode == 2, completed.stderr
    assert "No message given" in completed.stderr
    assert "the interactive chat needs a terminal on stdin and stdout" in completed.stderr
    assert octavus.posts("/api/agent-sessions") == []


# Says it has started (creates the file named by its argument), then never answers.
BLOCKING_TOOL = (
    "import pathlib, sys, time\nsys.stdin.read()\npathlib.Path(sys.argv[1]).touch()\n"
    "time.sleep(120)\n"
)


BUSY_REFUSALS = 4


def exit_code(pid: int, timeout: float = 20) -> int:
    """The child's exit code, failing the test if it has not exited within ``timeout``."""
    statuses: list[int] = []

    def reaped() -> bool:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            statuses.append(status)
        return bool(done)

    wait_until(reaped, timeout=timeout, what=f"process {pid} to exit")
    return os.waitstatus_to_exitcode(statuses[0])


def test_after_ctrl_c_the_next_message_shows_one_busy_line(
    emulator_factory: Callable[..., Emulator], tmp_path: Path
) -> None:
    """Issue 14 item 8: the answer stopped with Ctrl-C goes on holding the session (here
    it waits for a tool result); the next message waits for it behind one status line
    that says why, not a line per retry of the two retry layers."""
    refusals: list[RecordedRequest] = []

    def on_request(record: RecordedRequest) -> None:
        # The stopped answer ends once the next message has been refused 4 times: the
        # HTTP layer's 3 attempts and one round of the Sessions API's own waiting.
        if record.path.endswith("/trigger") and record.status == 429:
            refusals.append(record)
            if len(refusals) == BUSY_REFUSALS:
                emulator.context.runtime.forget(record.path.split("/")[3])

    emulator = emulator_factory(on_request=on_request)
    octavus = Octavus(
        emulator, emulator.seed_agent(SUPPORT_CHAT_DIR), emulator.seed_agent(LEGACY_DIR)
    )
    script = tmp_path / "slow_tool.py"
    script.write_text(BLOCKING_TOOL, "utf-8")
    started = tmp_path / "tool-started"
    tool = f"check-order-status={tool_command(script, str(started))}"
    # The waits (Retry-After: the paused run's 60 s, clamped to 8 s) last 0.4 s.
    scale = {SCALE_VARIABLE: "0.05"}
    pid, terminal = spawn(octavus, "support-chat", *REQUIRED, "--tool", tool, **scale)
    try:
        terminal.expect("› ")
        terminal.type('/call check-order-status {"orderId": "O-9"}\r')
        # The answer waits for the tool's result, which the tool never gives.
        terminal.expect("⚙ check-order-status")
        wait_until(started.exists, what="the tool to start")
        stopped_at = terminal.position
        terminal.type("\x03")
        terminal.expect("Stopped this answer.")
        terminal.expect("› ")
        terminal.type("are you there\r")
        terminal.expect("You said: are you there\n")
        after_stop = terminal.seen[stopped_at : terminal.position]
        terminal.expect("› ")
        terminal.type("\x04")
        terminal.expect("Resume it with: octavus run support-chat --session ")
        # Promptly: the old code waited for the killed answer's tool thread at exit.
        assert exit_code(pid) == 0
    finally:
        os.close(terminal.fd)
    session_id = octavus.posts()[0].path.split("/")[3]
    assert f"--session {session_id}" in terminal.seen
    statuses = [r.status for r in octavus.posts()[1:]]
    assert statuses == [429] * BUSY_REFUSALS + [200], statuses  # both layers waited
    # What the user sees: the stopped answer may still run; one line while waiting.
    assert "Stopped this answer. It may still be running on the platform" in after_stop
    assert after_stop.count("The session is busy") == 1, after_stop
    assert "a stopped one goes on running on the platform" in after_stop
    assert "retrying" not in after_stop, after_stop
    assert "HTTP 429" not in after_stop, after_stop
