"""`octavus init`: a new folder that validates, syncs and runs against the emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.support.cli import run_cli


def test_interactive_agent_validates_syncs_and_runs(
    tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    folder = tmp_path / "hello-chat"
    created = run_cli("init", str(folder), "--name", "Hello Chat")
    assert created.code == 0, created
    assert "Created interactive agent hello-chat" in created.stdout
    settings = json.loads((folder / "settings.json").read_text())
    assert settings["slug"] == "hello-chat"
    assert settings["name"] == "Hello Chat"
    assert settings["format"] == "interactive"

    report = run_cli("validate", str(folder), "--strict", "--json").json()
    assert report["valid"] is True
    assert report["errors"] == []
    assert report["warnings"] == []

    synced = run_cli("sync", str(folder), env=emulator_env)
    assert synced.code == 0, synced
    ran = run_cli("run", str(folder), "-m", "Hello there", env=emulator_env)
    assert ran.code == 0, ran
    assert ran.stdout.strip() != ""


def test_worker_agent_validates_syncs_and_runs(
    tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    folder = tmp_path / "notes"
    created = run_cli("init", str(folder), "--format", "worker", "--slug", "note-writer")
    assert created.code == 0, created
    settings = json.loads((folder / "settings.json").read_text())
    assert settings == {
        "slug": "note-writer",
        "name": "Note Writer",
        "description": "A worker that writes a note.",
        "format": "worker",
    }
    report = run_cli("validate", str(folder), "--strict", "--json").json()
    assert report["valid"] is True
    assert report["errors"] == []
    assert report["warnings"] == []
    synced = run_cli("sync", str(folder), "--json", env=emulator_env)
    assert synced.code == 0, synced


def test_worker_agent_runs(tmp_path: Path, emulator_env: dict[str, str]) -> None:
    folder = tmp_path / "notes"
    assert run_cli("init", str(folder), "--format", "worker").code == 0
    assert run_cli("sync", str(folder), env=emulator_env).code == 0
    ran = run_cli("run", str(folder), "-i", "TOPIC=tides", env=emulator_env)
    assert ran.code == 0, ran


def test_skill_folder_matches_the_skill_format(
    tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    folder = tmp_path / "qr-code"
    created = run_cli(
        "init", str(folder), "--skill", "--description", "Generate QR codes from text."
    )
    assert created.code == 0, created
    text = (folder / "SKILL.md").read_text()
    assert text.startswith("---\n")
    checked = run_cli("skills", "validate", str(folder))
    assert checked.code == 0, checked
    synced = run_cli("skills", "sync", str(folder), "--json", env=emulator_env)
    assert synced.code == 0, synced
    assert synced.json()["created"] is True
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["name"] == "qr-code"
    assert front["description"] == "Generate QR codes from text."
    assert (folder / "scripts" / "run.py").is_file()
    assert not (folder / "protocol.yaml").exists()


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = run_cli("init", str(tmp_path))
    assert result.code == 2
    assert "is not empty" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_empty_existing_folder_is_fine_and_the_slug_comes_from_its_name(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "Order Bot"
    folder.mkdir()
    result = run_cli("init", "--json", cwd=folder)
    assert result.code == 0, result
    doc = result.json()
    assert doc["slug"] == "order-bot"
    assert doc["kind"] == "interactive"
    assert "protocol.yaml" in doc["files"]


def test_bad_slug_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "x"), "--slug", "My Agent")
    assert result.code == 2
    assert "lowercase" in result.stderr
    assert not (tmp_path / "x").exists()


def test_skill_with_a_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "s"), "--skill", "--format", "worker")
    assert result.code == 2


def test_asks_slug_and_name_on_a_terminal(tmp_path: Path) -> None:
    import os
    import sys

    pty = pytest.importorskip("pty")
    from tests.run.test_chat import Terminal
    from tests.support.cli import clean_env

    folder = tmp_path / "faq-bot"
    env = clean_env({"NO_COLOR": "1", "TERM": "dumb"})
    argv = [sys.executable, "-m", "octavus_cli", "init", str(folder)]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI, with the pty as its terminal
        os.execve(sys.executable, argv, env)
    terminal = Terminal(fd)
    try:
        terminal.expect("Slug [faq-bot]: ")
        terminal.type("faq\r")
        terminal.expect("Name [Faq]: ")
        terminal.type("FAQ Bot\r")
        terminal.expect("Created interactive agent faq")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    settings = json.loads((folder / "settings.json").read_text())
    assert (settings["slug"], settings["name"]) == ("faq", "FAQ Bot")
