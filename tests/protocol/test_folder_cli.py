"""Every agent-folder error, seen through the CLI: the file is named, nothing is sent."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.protocol.folder import MAX_FILE_BYTES
from tests.support.cli import run_cli

SETTINGS = {"slug": "broken-agent", "name": "Broken", "format": "interactive"}
PROTOCOL = """\
triggers:
  user-message:
    input:
      USER_MESSAGE: { type: string }
agent:
  model: anthropic/claude-sonnet-4-5
  system: system
handlers:
  user-message:
    Add:
      block: add-message
      role: user
      prompt: user-message
      input: [USER_MESSAGE]
    Respond:
      block: next-message
"""


def base_agent(root: Path) -> Path:
    (root / "prompts").mkdir(parents=True)
    (root / "settings.json").write_text(json.dumps(SETTINGS))
    (root / "protocol.yaml").write_text(PROTOCOL)
    (root / "prompts" / "system.md").write_text("You are helpful.")
    (root / "prompts" / "user-message.md").write_text("{{USER_MESSAGE}}")
    return root


def _missing_settings(root: Path) -> None:
    (root / "settings.json").unlink()


def _missing_protocol(root: Path) -> None:
    (root / "protocol.yaml").unlink()


def _bad_json(root: Path) -> None:
    (root / "settings.json").write_text('{"slug": "broken-agent",\n "name": }')


def _bad_settings(root: Path) -> None:
    (root / "settings.json").write_text(json.dumps({**SETTINGS, "slug": "Not A Slug"}))


def _not_utf8(root: Path) -> None:
    (root / "prompts" / "system.md").write_bytes(b"caf\xe9")


def _too_large(root: Path) -> None:
    (root / "prompts" / "system.md").write_text("x" * (MAX_FILE_BYTES + 1))


def _bad_front_matter(root: Path) -> None:
    (root / "references").mkdir()
    (root / "references" / "guide.md").write_text("# A reference without front matter\n")


def _symlink_outside(root: Path) -> None:
    outside = root.parent / "outside.md"
    outside.write_text("not part of the agent")
    (root / "prompts" / "system.md").unlink()
    (root / "prompts" / "system.md").symlink_to(outside)


CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    ("missing settings.json", _missing_settings, "OCT002", "settings.json"),
    ("missing protocol.yaml", _missing_protocol, "OCT002", "protocol.yaml"),
    ("invalid JSON", _bad_json, "OCT003", "settings.json"),
    ("invalid settings", _bad_settings, "OCT004", "settings.json"),
    ("not UTF-8", _not_utf8, "OCT005", "prompts/system.md"),
    ("too large", _too_large, "OCT006", "prompts/system.md"),
    ("front matter", _bad_front_matter, "OCT007", "references/guide.md"),
    ("symlink outside", _symlink_outside, "OCT008", "prompts/system.md"),
]


@pytest.mark.parametrize(("case", "breaks", "code", "file"), CASES, ids=[c[0] for c in CASES])
def test_validate_names_the_file(
    tmp_path: Path, case: str, breaks: Callable[[Path], None], code: str, file: str
) -> None:
    if case == "symlink outside" and os.name == "nt":
        pytest.skip("symlinks need privileges on Windows")
    root = base_agent(tmp_path / "agent")
    assert run_cli("validate", str(root), cwd=tmp_path).code == 0
    breaks(root)
    result = run_cli("validate", str(root), "--json", cwd=tmp_path)
    assert result.code == 1, result
    found = [(e["code"], e["file"]) for e in result.json()["errors"]]
    assert (code, file) in found
    human = run_cli("validate", str(root), cwd=tmp_path)
    assert f"{file}:" in human.stdout
    assert f"error[{code}]" in human.stdout


def test_missing_folder_through_validate(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nowhere"), "--json", cwd=tmp_path)
    assert result.code == 1
    [error] = result.json()["errors"]
    assert error["code"] == "OCT001"
    assert "nowhere" in error["message"]


@pytest.mark.parametrize(("case", "breaks", "code", "file"), CASES, ids=[c[0] for c in CASES])
def test_sync_refuses_with_a_file_error_and_sends_nothing(
    emulator: Emulator,
    emulator_env: dict[str, str],
    tmp_path: Path,
    case: str,
    breaks: Callable[[Path], None],
    code: str,
    file: str,
) -> None:
    if case == "symlink outside" and os.name == "nt":
        pytest.skip("symlinks need privileges on Windows")
    root = base_agent(tmp_path / "agent")
    breaks(root)
    result = run_cli("sync", str(root), "--json", env=emulator_env, cwd=tmp_path)
    assert result.code == 1, result
    doc = result.json()
    assert doc["code"] == "FILE_ERROR"
    assert doc["file"].endswith(file)
    assert code in {e["code"] for e in doc["errors"]}
    assert emulator.requests == []
    human = run_cli("sync", str(root), env=emulator_env, cwd=tmp_path)
    assert human.code == 1
    assert file in human.stderr
