"""The pre-commit hooks: well-formed, matching agent files, validating their folders."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from tests.protocol.helpers import REPO, write_agent
from tests.support.cli import run_cli

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BY_ID = {hook["id"]: hook for hook in HOOKS}


def test_hooks_are_declared() -> None:
    assert set(BY_ID) == {"octavus-validate", "octavus-validate-all"}
    for hook in HOOKS:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"
        assert shlex.split(hook["entry"])[:2] == ["octavus", "validate"]
    assert BY_ID["octavus-validate"]["pass_filenames"] is True
    assert "--skip-unrelated" in BY_ID["octavus-validate"]["entry"]
    assert BY_ID["octavus-validate-all"]["pass_filenames"] is False
    assert BY_ID["octavus-validate-all"]["args"] == ["."]


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("agents/support/protocol.yaml", True),
        ("agents/support/settings.json", True),
        ("agents/support/prompts/system.md", True),
        ("agents/support/prompts/shared/tone.md", True),
        ("agents/support/references/refunds.md", True),
        ("protocol.yaml", True),
        ("agents/support/references/nested/x.md", False),
        ("README.md", False),
        ("docs/prompts.md", False),
        ("agents/support/protocol.yml", False),
    ],
)
def test_files_pattern(path: str, matches: bool) -> None:
    for hook in HOOKS:
        assert bool(re.search(hook["files"], path)) is matches


def test_the_hook_validates_the_folders_of_the_changed_files(
    tmp_path: Path,
) -> None:
    """What pre-commit runs: the entry followed by the changed files that match."""
    good = write_agent(tmp_path / "agents" / "good")
    bad = write_agent(
        tmp_path / "agents" / "bad",
        {"prompts/user-message.md": "{{#if USER_MESSAGE}}\n{{USER_MESSAGE}}\n"},
    )
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "settings.json").write_text("{}")
    entry = shlex.split(BY_ID["octavus-validate"]["entry"])[1:]
    changed = [
        ".vscode/settings.json",
        "agents/good/prompts/system.md",
        "agents/good/protocol.yaml",
    ]
    ok = run_cli(*entry, *changed, cwd=tmp_path)
    assert ok.code == 0, ok
    assert ok.stdout.strip() == "✓ agents/good is valid"
    failing = run_cli(*entry, *changed, "agents/bad/prompts/user-message.md", cwd=tmp_path)
    assert failing.code == 1, failing
    assert "agents/bad/prompts/user-message.md:1:1: error[OCT210]" in failing.stdout
    assert good.is_dir()
    assert bad.is_dir()


def test_the_all_agents_hook(tmp_path: Path) -> None:
    write_agent(tmp_path / "agents" / "one")
    write_agent(tmp_path / "agents" / "two", {"prompts/system.md": None})
    hook = BY_ID["octavus-validate-all"]
    result = run_cli(*shlex.split(hook["entry"])[1:], *hook["args"], cwd=tmp_path)
    assert result.code == 1, result
    assert "error[OCT201]" in result.stdout
