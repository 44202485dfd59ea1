"""`octavus validate --watch`: a write gives a new result within a second; signals stop it."""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.protocol.helpers import EXAMPLES
from tests.support.cli import clean_env

DEADLINE = 10.0  # generous start-up allowance; the latency itself is asserted separately


class Watcher:
    """``octavus validate --watch`` in a subprocess, with its output read line by line."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "octavus_cli", "validate", "--watch", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=clean_env({"NO_COLOR": "1"}),
        )
        self.selector = selectors.DefaultSelector()
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self.buffers: dict[str, str] = {"stdout": "", "stderr": ""}
        self.lines: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.selector.register(self.process.stdout, selectors.EVENT_READ, "stdout")
        self.selector.register(self.process.stderr, selectors.EVENT_READ, "stderr")

    def next_line(self, stream: str, deadline: float = DEADLINE) -> str:
        """The next whole line on ``stream``, waiting at most ``deadline`` seconds."""
        end = time.monotonic() + deadline
        while not self.lines[stream]:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no line on {stream} in {deadline}s; seen {self.buffers}")
            for key, _ in self.selector.select(remaining):
                chunk = os.read(key.fileobj.fileno(), 65536).decode()  # type: ignore[union-attr]
                name: str = key.data
                if not chunk:
                    self.selector.unregister(key.fileobj)
                    continue
                self.buffers[name] += chunk
                *whole, self.buffers[name] = self.buffers[name].split("\n")
                self.lines[name] += whole
        return self.lines[stream].pop(0)

    def stop(self, signum: int) -> tuple[int, str]:
        self.process.send_signal(signum)
        code = self.process.wait(timeout=DEADLINE)
        assert self.process.stderr is not None
        rest = self.buffers["stderr"] + "\n".join(self.lines["stderr"])
        rest += self.process.stderr.read().decode()
        return code, rest


@pytest.fixture
def agent(tmp_path: Path) -> Path:
    folder = tmp_path / "minimal-chat"
    shutil.copytree(EXAMPLES / "minimal-chat", folder)
    return folder


@pytest.fixture
def watcher_factory() -> Iterator[list[Watcher]]:
    started: list[Watcher] = []
    yield started
    for watcher in started:
        if watcher.process.poll() is None:
            watcher.process.kill()
            watcher.process.wait()
        for stream in (watcher.process.stdout, watcher.process.stderr):
            if stream is not None:
                stream.close()


def _break(agent: Path) -> None:
    protocol = agent / "protocol.yaml"
    protocol.write_text(protocol.read_text().replace("system: system", "system: sytem", 1))


def test_a_write_gives_a_new_line_within_a_second_and_ctrl_c_exits_130(
    agent: Path, watcher_factory: list[Watcher]
) -> None:
    watcher = Watcher(str(agent))
    watcher_factory.append(watcher)
    assert watcher.next_line("stdout").endswith(f"ok: {agent} is valid")
    assert watcher.next_line("stderr").startswith("Watching ")
    written = time.monotonic()
    _break(agent)
    line = watcher.next_line("stdout", deadline=1.0)
    assert time.monotonic() - written < 1.0
    assert f"failed: Found 1 error in {agent}" in line
    code, stderr = watcher.stop(signal.SIGINT)
    assert code == 130
    assert "Traceback" not in stderr
    assert "Interrupted" in stderr


def test_json_lines_and_sigterm(agent: Path, watcher_factory: list[Watcher]) -> None:
    watcher = Watcher(str(agent), "--json")
    watcher_factory.append(watcher)
    assert json.loads(watcher.next_line("stdout"))["valid"] is True
    watcher.next_line("stderr")
    _break(agent)
    broken = json.loads(watcher.next_line("stdout", deadline=1.0))
    assert broken["valid"] is False
    assert [e["code"] for e in broken["errors"]] == ["OCT201"]
    protocol = agent / "protocol.yaml"
    protocol.write_text(protocol.read_text().replace("system: sytem", "system: system", 1))
    assert json.loads(watcher.next_line("stdout", deadline=1.0))["valid"] is True
    code, stderr = watcher.stop(signal.SIGTERM)
    assert code == 143
    assert "Traceback" not in stderr
    assert "Stopped watching" in stderr


def test_watch_with_remote_is_a_usage_error(agent: Path) -> None:
    from tests.support.cli import run_cli

    result = run_cli("validate", "--watch", "--remote", str(agent))
    assert result.code == 2
    assert "--watch and --remote" in result.stderr


def test_on_a_terminal_each_run_clears_the_screen(agent: Path) -> None:
    pty = pytest.importorskip("pty")
    from tests.run.test_chat import Terminal

    env = clean_env({"NO_COLOR": "1", "TERM": "dumb"})
    argv = [sys.executable, "-m", "octavus_cli", "validate", "--watch", str(agent)]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI, with the pty as its terminal
        os.execve(sys.executable, argv, env)
    terminal = Terminal(fd)
    try:
        terminal.expect("\x1b[2J\x1b[H")
        terminal.expect("minimal-chat is valid")
        terminal.expect("Watching ")
        _break(agent)
        terminal.expect("\x1b[2J\x1b[H")
        terminal.expect("error[OCT201]")
        terminal.expect("[undefined-prompt]")
        terminal.expect("Watching ")
        terminal.type("\x03")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130
