"""One client factory: every command family announces a retry in the same one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import emulator_env_for
from octavus_cli.platform.connect import announce_retries
from tests.support.cli import run_cli
from tests.support.pacing import FAST

RETRY_LINE = "The platform answered HTTP 503; retrying in"


def test_announce_retries_says_the_reason_once() -> None:
    said: list[str] = []
    announce_retries(said.append)("The platform answered HTTP 503", 1.04)
    assert said == ["The platform answered HTTP 503; retrying in 1.0 s"]


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("sessions", "show", "cm-missing"),
        ("skills", "sync", "SKILL_DIR"),
    ],
    ids=["management", "sessions", "skills"],
)
def test_every_family_says_a_retry_the_same_way(
    emulator: Emulator, tmp_path: Path, args: tuple[str, ...]
) -> None:
    skill = tmp_path / "skill"
    skill.mkdir()
    (skill / "SKILL.md").write_text(
        "---\nname: my-skill\ndescription: Does one small thing, for tests.\n---\n\n# My skill\n"
    )
    emulator.faults.fail_first = 1
    argv = [str(skill) if a == "SKILL_DIR" else a for a in args]
    result = run_cli(*argv, env={**emulator_env_for(emulator), **FAST}, cwd=tmp_path)
    assert result.stderr.count(RETRY_LINE) == 1, result
    assert "answered The platform" not in result.stderr, result
