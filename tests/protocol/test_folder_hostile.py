"""Issue 14 item 13: what cannot be read is described truthfully (and never opened)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from octavus_cli.app import app

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "examples" / "agents" / "minimal-chat"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX files")


def agent(tmp_path: Path) -> Path:
    folder = tmp_path / "agent"
    shutil.copytree(MINIMAL, folder)
    return folder


def messages(folder: Path) -> list[str]:
    result = CliRunner().invoke(app, ["validate", str(folder), "--json"])
    assert result.exit_code == 1, result.output
    return [e["message"] for e in json.loads(result.stdout)["errors"]]


@POSIX
def test_a_symlink_loop_is_called_a_loop(tmp_path: Path) -> None:
    folder = agent(tmp_path)
    (folder / "protocol.yaml").unlink()
    (folder / "protocol.yaml").symlink_to("protocol.yaml")
    assert messages(folder) == [
        "protocol.yaml is a symlink loop (following it never reaches a file)"
    ]


@POSIX
def test_a_prompt_symlink_loop_is_called_a_loop(tmp_path: Path) -> None:
    folder = agent(tmp_path)
    (folder / "prompts" / "loop.md").symlink_to("loop.md")
    found = messages(folder)
    assert any("prompts/loop.md is a symlink loop" in m for m in found), found
    assert not any("outside the agent folder" in m for m in found), found


@POSIX
def test_a_fifo_named_protocol_yaml_is_not_a_regular_file(tmp_path: Path) -> None:
    folder = agent(tmp_path)
    (folder / "protocol.yaml").unlink()
    os.mkfifo(folder / "protocol.yaml")  # opening it would block: it must not be read
    assert messages(folder) == [
        "protocol.yaml is a named pipe (FIFO), not a regular file; it is not read"
    ]


def test_a_folder_named_protocol_yaml_is_not_a_file(tmp_path: Path) -> None:
    folder = agent(tmp_path)
    (folder / "protocol.yaml").unlink()
    (folder / "protocol.yaml").mkdir()
    assert messages(folder) == ["protocol.yaml is a folder, not a file"]


def test_an_unreadable_prompts_folder_is_not_called_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = agent(tmp_path)
    prompts = folder / "prompts"
    real = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == prompts:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    found = messages(folder)
    assert any("prompts/ cannot be read: Permission denied" in m for m in found), found
    assert not any("no prompts/ folder" in m for m in found), found
    result = CliRunner().invoke(app, ["validate", str(folder), "--json"])
    hints = [e.get("hint") or "" for e in json.loads(result.stdout)["errors"]]
    assert not any("has no prompts/ folder" in h for h in hints), hints
