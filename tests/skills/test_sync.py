"""`octavus skills sync` against the emulator: create, update, many, JSON, bundle contents."""

from __future__ import annotations

from pathlib import Path

from octavus_cli.emulator import Emulator
from tests.skills.helpers import make_skill, received_files
from tests.support.cli import run_cli

EXPECTED = {"SKILL.md", "scripts/list-issues.py"}


def test_create_then_update_the_same_skill(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(tmp_path / "github", "github")

    created = run_cli("skills", "sync", str(folder), env=emulator_env)
    assert created.code == 0, created
    record = emulator.skills.get("github")
    assert record is not None
    assert created.stdout.splitlines() == ["✓ Created: github", f"  Skill ID: {record.id}"]
    assert f"ℹ Reading skill from {folder}..." in created.stderr
    assert "ℹ Packaging github..." in created.stderr

    (folder / "scripts" / "helper.py").write_text("X = 1\n", encoding="utf-8")
    updated = run_cli("skills", "sync", str(folder), env=emulator_env)
    assert updated.code == 0, updated
    assert updated.stdout.splitlines() == ["✓ Updated: github", f"  Skill ID: {record.id}"]
    assert record.uploads == 2
    assert set(received_files(emulator, "github")) == {*EXPECTED, "scripts/helper.py"}
    uploads = [r for r in emulator.requests if r.path == "/api/skills"]
    assert [r.status for r in uploads] == [201, 200]
    assert all(r.key == "cli" for r in uploads)
    assert all(r.content_type and r.content_type.startswith("multipart/form-data") for r in uploads)


def test_json_shape_for_one_skill(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(
        tmp_path / "github", "github", files={".env": "GITHUB_TOKEN=tok-123456789\n"}
    )
    first = run_cli("skills", "sync", str(folder), "--json", env=emulator_env)
    assert first.code == 0, first
    record = emulator.skills.get("github")
    assert record is not None
    doc = first.json()
    assert {k: doc[k] for k in ("slug", "skillId", "created", "secretsUpdated")} == {
        "slug": "github",
        "skillId": record.id,
        "created": True,
        "secretsUpdated": 1,
    }
    assert first.stderr == ""
    second = run_cli("skills", "sync", str(folder), "--json", env=emulator_env).json()
    assert (second["created"], second["skillId"]) == (False, record.id)


def test_a_folder_of_three_skills_in_one_call(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    for name in ("alpha", "beta", "gamma"):
        make_skill(tmp_path / "skills" / name, name)
    result = run_cli("skills", "sync", str(tmp_path / "skills"), "--json", env=emulator_env)
    assert result.code == 0, result
    doc = result.json()
    assert doc["ok"] is True
    assert doc["dryRun"] is False
    assert doc["summary"]["created"] == 3
    assert [s["slug"] for s in doc["skills"]] == ["alpha", "beta", "gamma"]
    for entry in doc["skills"]:
        record = emulator.skills.get(entry["slug"])
        assert record is not None
        assert (entry["skillId"], entry["created"], entry["secretsUpdated"]) == (record.id, True, 0)
        assert set(received_files(emulator, entry["slug"])) == EXPECTED

    human = run_cli("skills", "sync", str(tmp_path / "skills"), env=emulator_env)
    assert human.code == 0, human
    assert "3 skill(s): 3 updated" in human.stdout
    assert "Syncing 3 of 3 skill folder(s)" in human.stderr
    assert "[3/3]" in human.stderr  # progress on stderr, not stdout
    assert "[3/3]" not in human.stdout


def test_a_skill_with_errors_is_not_sent(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    good = make_skill(tmp_path / "skills" / "good", "good")
    bad = make_skill(tmp_path / "skills" / "bad", "bad")
    (bad / "SKILL.md").write_text("---\nname: Bad Name\n---\n", encoding="utf-8")
    one = run_cli("skills", "sync", str(bad), "--json", env=emulator_env)
    assert one.code == 1, one
    assert one.json()["code"] == "VALIDATION_ERROR"
    assert emulator.requests == []
    many = run_cli("skills", "sync", str(good.parent), env=emulator_env)
    assert many.code == 1, many
    assert "error[SKL004]" in many.stderr
    assert emulator.skills.get("good") is not None
    assert emulator.skills.get("bad") is None


def test_dry_run_lists_files_and_secret_names_and_sends_nothing(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(
        tmp_path / "github", "github", files={".env": "GITHUB_TOKEN=tok-abcdefgh\n"}
    )
    result = run_cli("skills", "sync", str(folder), "--dry-run", env=emulator_env)
    assert result.code == 0, result
    assert "Would upload: github (2 files" in result.stdout
    assert "scripts/list-issues.py" in result.stdout
    assert "secrets from .env: GITHUB_TOKEN" in result.stdout
    assert "tok-abcdefgh" not in result.stdout + result.stderr
    assert emulator.requests == []


def test_env_after_the_command_is_refused_with_a_pointer(
    emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(tmp_path / "github", "github")
    result = run_cli("skills", "sync", str(folder), "--env", "staging", env=emulator_env)
    assert result.code == 2, result
    assert "--environment NAME" in result.stderr


def test_quiet_prints_skill_ids_and_many_dry_run_json_lists_files(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(tmp_path / "skills" / "alpha", "alpha")
    make_skill(tmp_path / "skills" / "beta", "beta", files={".env": "GITHUB_TOKEN=tok-zzzzzzzz\n"})
    quiet = run_cli("skills", "sync", str(folder), "--quiet", env=emulator_env)
    assert quiet.code == 0, quiet
    record = emulator.skills.get("alpha")
    assert record is not None
    assert quiet.stdout == f"{record.id}\n"

    emulator.clear_requests()
    dry = run_cli(
        "skills", "sync", str(tmp_path / "skills"), "--dry-run", "--json", env=emulator_env
    )
    assert dry.code == 0, dry
    doc = dry.json()
    assert doc["dryRun"] is True
    assert doc["summary"]["upload"] == 2
    beta = doc["skills"][1]
    assert [f["name"] for f in beta["files"]] == sorted(EXPECTED)
    assert beta["secretNames"] == ["GITHUB_TOKEN"]
    assert "tok-zzzzzzzz" not in dry.stdout
    assert emulator.requests == []
