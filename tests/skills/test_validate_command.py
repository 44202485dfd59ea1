"""`octavus skills validate` output formats and exit codes, and `octavus validate` on a
folder holding agents and skills."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.skills.helpers import make_skill
from tests.support.cli import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "agents"
BAD_NAME = "---\nname: My Skill\ndescription: Something useful.\nversoin: '1'\n---\n# Doc\n"


def broken_skill(root: Path) -> Path:
    folder = make_skill(root, "broken")
    (folder / "SKILL.md").write_text(BAD_NAME, encoding="utf-8")
    return folder


def test_valid_skill_human_and_json(tmp_path: Path) -> None:
    folder = make_skill(tmp_path / "github", "github")
    human = run_cli("skills", "validate", "github", cwd=tmp_path)  # named as the user did
    assert human.code == 0, human
    assert human.stdout.strip() == "✓ github is valid"
    doc = run_cli("skills", "validate", str(folder), "--json").json()
    assert doc == {
        "slug": "github",
        "valid": True,
        "errors": [],
        "warnings": [],
        "path": str(folder),
    }


def test_findings_with_positions_in_every_format(tmp_path: Path) -> None:
    folder = broken_skill(tmp_path / "broken")
    human = run_cli("skills", "validate", str(folder))
    assert human.code == 1, human
    assert f"{folder}/SKILL.md:2:7: error[SKL004]" in human.stdout
    assert "2 | name: My Skill" in human.stdout
    assert (
        f"{folder}/SKILL.md:4:1: warning[SKL007] unknown front-matter key versoin" in human.stdout
    )
    assert 'did you mean "version"?' in human.stdout

    doc = run_cli("skills", "validate", str(folder), "--json").json()
    assert doc["valid"] is False
    assert [(e["code"], e["line"], e["column"]) for e in doc["errors"]] == [("SKL004", 2, 7)]
    assert [w["code"] for w in doc["warnings"]] == ["SKL007"]

    github = run_cli("skills", "validate", str(folder), "--format", "github")
    assert github.code == 1
    assert "::error file=" in github.stdout
    assert "line=2,col=7" in github.stdout
    assert "title=SKL004 invalid-name::" in github.stdout

    quiet = run_cli("skills", "validate", str(folder), "--quiet")
    assert quiet.stdout.count("error[SKL004]") == 1
    assert "SKL007" not in quiet.stdout


def test_strict_fails_on_warnings_and_usage_errors_are_exit_2(tmp_path: Path) -> None:
    folder = make_skill(tmp_path / "github", "github")
    text = (folder / "SKILL.md").read_text(encoding="utf-8")
    (folder / "SKILL.md").write_text(text.replace("version: '1.0.0'", "version: 1.0"))
    assert run_cli("skills", "validate", str(folder)).code == 0
    assert run_cli("skills", "validate", str(folder), "--strict").code == 1
    assert run_cli("skills", "validate", str(folder), "--json", "--format", "github").code == 2
    assert run_cli("skills", "validate", str(tmp_path / "nowhere")).code == 1


def test_a_folder_of_skills_json_summary(tmp_path: Path) -> None:
    make_skill(tmp_path / "skills" / "one", "one")
    broken_skill(tmp_path / "skills" / "two")
    result = run_cli("skills", "validate", str(tmp_path / "skills"), "--json")
    assert result.code == 1
    doc = result.json()
    assert doc["summary"] == {"skills": 2, "invalid": 1, "errors": 1, "warnings": 1}
    assert [s["slug"] for s in doc["skills"]] == ["one", None]


def test_validate_checks_agents_and_skills_in_one_folder(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "minimal-chat", repo / "agents" / "minimal-chat")
    make_skill(repo / "skills" / "github", "github")
    ok = run_cli("validate", str(repo), "--json")
    assert ok.code == 0, ok
    doc = ok.json()
    assert [a["slug"] for a in doc["agents"]] == ["minimal-chat"]
    assert [s["slug"] for s in doc["skills"]] == ["github"]
    assert doc["summary"]["skills"] == 1

    broken_skill(repo / "skills" / "broken")
    bad = run_cli("validate", str(repo))
    assert bad.code == 1, bad
    assert "error[SKL004]" in bad.stdout
    assert "of 3 folders" in bad.stdout

    only_skill = run_cli("validate", str(repo / "skills" / "github"))
    assert only_skill.code == 0, only_skill
    assert "github is valid" in only_skill.stdout


def test_skills_are_found_beside_agents_not_inside_them(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    agent = repo / "agents" / "minimal-chat"
    shutil.copytree(EXAMPLES / "minimal-chat", agent)
    # A SKILL.md among an agent's references is one of its documents, not a skill.
    make_skill(agent / "references", "notes")
    make_skill(repo / "tools" / "deep" / "github", "github")
    (repo / "link").symlink_to(repo / "tools", target_is_directory=True)
    result = run_cli("validate", str(repo), "--json")
    assert result.code == 0, result
    assert [a["slug"] for a in result.json()["agents"]] == ["minimal-chat"]
    assert [s["slug"] for s in result.json()["skills"]] == ["github"], "beside the agent, once"


def test_changed_files_inside_a_skill_stand_for_the_skill(tmp_path: Path) -> None:
    folder = broken_skill(tmp_path / "skills" / "broken")
    script = folder / "scripts" / "list-issues.py"
    result = run_cli("validate", "--skip-unrelated", str(script), str(tmp_path / "notes.txt"))
    assert result.code == 1, result
    assert "error[SKL004]" in result.stdout
    assert "Skipped" in result.stderr
    assert "notes.txt" in result.stderr
    assert "list-issues.py: not inside" not in result.stderr
