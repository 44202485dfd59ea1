"""Paths on the command line (and from pre-commit) become agent folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from octavus_cli.protocol.targets import owning_folder, resolve_targets
from tests.protocol.helpers import write_agent
from tests.support.cli import run_cli


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_agent(tmp_path / "agents" / "alpha")
    write_agent(tmp_path / "agents" / "beta", {"prompts/shared/tone.md": "Be brief.\n"})
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "settings.json").write_text("{}")
    (tmp_path / "README.md").write_text("# repo\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_folder_of_agents(repo: Path) -> None:
    targets = resolve_targets(["agents"])
    assert targets.folders == [Path("agents/alpha"), Path("agents/beta")]
    assert not targets.single


def test_one_agent_folder_is_single(repo: Path) -> None:
    targets = resolve_targets(["agents/alpha"])
    assert targets.folders == [Path("agents/alpha")]
    assert targets.single


def test_files_stand_for_their_agent(repo: Path) -> None:
    targets = resolve_targets(
        [
            "agents/beta/prompts/shared/tone.md",
            "agents/beta/protocol.yaml",
            "agents/alpha/settings.json",
        ]
    )
    assert targets.folders == [Path("agents/beta"), Path("agents/alpha")]


def test_one_file_is_single(repo: Path) -> None:
    targets = resolve_targets(["agents/alpha/prompts/system.md"])
    assert targets.folders == [Path("agents/alpha")]
    assert targets.single


def test_unrelated_files_are_skipped_for_pre_commit(repo: Path) -> None:
    targets = resolve_targets(
        ["README.md", ".vscode/settings.json", "agents/alpha/prompts/system.md"],
        skip_unrelated=True,
    )
    assert targets.folders == [Path("agents/alpha")]
    assert targets.skipped == [Path("README.md"), Path(".vscode/settings.json")]


def test_unrelated_files_are_reported_otherwise(repo: Path) -> None:
    targets = resolve_targets(["README.md", ".vscode/settings.json"])
    assert targets.folders == [Path("README.md"), Path(".vscode")]


def test_absolute_paths_inside_the_cwd_read_as_relative(repo: Path) -> None:
    file = repo / "agents" / "alpha" / "prompts" / "system.md"
    assert owning_folder(file) == Path("agents/alpha")


def test_paths_outside_the_cwd_stay_absolute(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = write_agent(tmp_path_factory.mktemp("elsewhere") / "gamma")
    found = owning_folder(other / "protocol.yaml")
    assert found is not None
    assert found.is_absolute()
    assert os.path.samefile(found, other)


def test_missing_paths(repo: Path) -> None:
    assert resolve_targets(["nope"]).folders == [Path("nope")]
    assert resolve_targets(["nope"], skip_unrelated=True).skipped == [Path("nope")]


def test_duplicates_are_dropped(repo: Path) -> None:
    targets = resolve_targets(["agents/alpha", "agents", "agents/alpha/protocol.yaml"])
    assert targets.folders == [Path("agents/alpha"), Path("agents/beta")]


def test_for_sync_a_file_stands_for_itself(repo: Path) -> None:
    """sync's expansion: a file is read as a folder (and reported), not as its agent."""
    one = resolve_targets(["agents/alpha/protocol.yaml"], files_in_agents=False)
    assert one.folders == [Path("agents/alpha/protocol.yaml")]
    assert one.single
    many = resolve_targets(["agents", "agents/alpha"], files_in_agents=False)
    assert many.folders == [Path("agents/alpha"), Path("agents/beta")]
    assert not many.single


def test_sync_given_a_file_reports_it_is_not_an_agent_folder(repo: Path) -> None:
    result = run_cli("sync", "agents/alpha/protocol.yaml", "--dry-run", cwd=repo)
    assert result.code != 0, result
    assert "not a folder: agents/alpha/protocol.yaml" in result.stderr
