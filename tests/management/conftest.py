"""Helpers for the management command tests (sync, list, get, archive)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from octavus_cli.emulator import AgentRecord, Emulator, RecordedRequest

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


@pytest.fixture
def agents(tmp_path: Path) -> Path:
    """A folder holding a copy of every example agent."""
    root = tmp_path / "agents"
    for name in EXAMPLE_NAMES:
        copy_example(name, root / name)
    return root
