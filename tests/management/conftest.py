"""Helpers for the management command tests (sync, list, get, archive)."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from octavus_cli.emulator import AgentRecord, Emulator, RecordedRequest
from tests.support.cli import clean_env

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "agents"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "settings.json").is_file())
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def copy_example(name: str, dest: Path, *, slug: str | None = None) -> Path:
    """A copy of an example agent (optionally with another slug) that a test may change."""
    shutil.copytree(EXAMPLES / name, dest)
    if slug is not None:
        set_setting(dest, "slug", slug)
    return dest


def set_setting(folder: Path, key: str, value: str) -> None:
    settings_file = folder / "settings.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    settings[key] = value
    settings_file.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")


def break_protocol(folder: Path) -> None:
    """Make the agent invalid locally: its system prompt names a missing prompt."""
    protocol = folder / "protocol.yaml"
    text = protocol.read_text(encoding="utf-8")
    assert "  system: system\n" in text
    protocol.write_text(text.replace("  system: system\n", "  system: missing-prompt\n", 1))


def stored(emulator: Emulator, slug: str) -> AgentRecord:
    """The emulator's active agent with ``slug`` (fails the test when there is none)."""
    record = emulator.store.get_agent_by_slug(slug)
    assert record is not None, f"the emulator has no agent {slug!r}"
    return record


def writes(emulator: Emulator) -> list[RecordedRequest]:
    return [r for r in emulator.requests if r.method in WRITE_METHODS]


def calls(emulator: Emulator) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.path, r.query) for r in emulator.requests]


def run_on_terminal(
    args: list[str], env: dict[str, str], answer: str | None, *, color: bool = False
) -> tuple[int, str]:
    """Run the CLI with stdin/stdout/stderr on a pseudo-terminal; type ``answer`` at a prompt."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "octavus_cli", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=clean_env({**env, "TERM": "xterm-256color"} if color else {**env, "NO_COLOR": "1"}),
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 30
    answered = answer is None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if not answered and b"[y/N]" in seen:
                os.write(leader, (answer or "").encode() + b"\n")
                answered = True
        elif process.poll() is not None:
            break
    code = process.wait(timeout=30)
    os.close(leader)
    return code, seen.decode("utf-8", "replace")


@pytest.fixture
def agents(tmp_path: Path) -> Path:
    """A folder holding a copy of every example agent."""
    root = tmp_path / "agents"
    for name in EXAMPLE_NAMES:
        copy_example(name, root / name)
    return root
