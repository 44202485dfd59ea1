"""Acceptance 4: 503s, a lost upload answer, a wrong key and a 413 give the documented
exit codes and say what happened; a lost answer is settled by one re-send of the same bundle."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import emulator_env_for
from tests.skills.helpers import make_skill
from tests.support.cli import run_cli

TOKEN = "tok-fault-test-5566778899"


def test_503s_are_retried_then_the_upload_succeeds(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(tmp_path / "github", "github")
    emulator.faults.path_prefix = "/api/skills"
    emulator.faults.retry_after = 0
    emulator.faults.fail_first = 2
    result = run_cli("skills", "sync", str(folder), env=emulator_env)
    assert result.code == 0, result
    assert "The platform answered HTTP 503; retrying" in result.stderr
    assert [r.status for r in emulator.requests] == [503, 503, 201]


def test_503s_that_do_not_end_fail_with_exit_1(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(tmp_path / "github", "github")
    emulator.faults.retry_after = 0
    emulator.faults.fail_first = 10
    result = run_cli("skills", "sync", str(folder), "--json", env=emulator_env)
    assert result.code == 1, result
    doc = result.json()
    assert doc["code"] == "API_ERROR"
    assert doc["status"] == 503
    assert "after 3 attempts" in doc["error"]
    assert emulator.skills.get("github") is None


def test_a_lost_upload_answer_is_settled_by_one_resend_of_the_same_bundle(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(tmp_path / "github", "github", files={".env": f"GITHUB_TOKEN={TOKEN}\n"})
    emulator.faults.path_prefix = "/api/skills"
    emulator.faults.lose_answers = 1
    result = run_cli("skills", "sync", str(folder), "--json", env=emulator_env)
    assert result.code == 0, result
    doc = result.json()
    record = emulator.skills.get("github")
    assert record is not None
    assert doc["skillId"] == record.id
    assert doc["secretsUpdated"] == 1
    assert "answer was lost" in doc["note"]
    uploads = [r for r in emulator.requests if r.path == "/api/skills"]
    assert len(uploads) == 2  # one re-send, no more
    assert uploads[0].body["size"] == uploads[1].body["size"]
    assert record.uploads == 2
    assert TOKEN not in result.stdout + result.stderr


def test_a_lost_upload_answer_twice_fails_and_says_it_may_have_happened(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(tmp_path / "github", "github")
    emulator.faults.lose_answers = 2
    result = run_cli("skills", "sync", str(folder), env=emulator_env)
    assert result.code == 1, result
    assert "may have reached the platform" in result.stderr
    assert len([r for r in emulator.requests if r.path == "/api/skills"]) == 2


def test_a_wrong_key_is_exit_1_and_the_key_is_never_shown(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(tmp_path / "github", "github")
    wrong = "oct_sk_test_fake_wrong_key"
    result = run_cli(
        "skills", "sync", str(folder), env={**emulator_env, "OCTAVUS_CLI_API_KEY": wrong}
    )
    assert result.code == 1, result
    assert "rejected the API key from OCTAVUS_CLI_API_KEY (HTTP 401" in result.stderr
    assert wrong not in result.stdout + result.stderr
    missing = run_cli(
        "skills",
        "sync",
        str(folder),
        env={"OCTAVUS_API_URL": emulator_env["OCTAVUS_API_URL"]},
    )
    assert missing.code == 2, missing


def test_a_too_large_bundle_is_exit_1_with_413(
    emulator_factory: Callable[..., Emulator], tmp_path: Path
) -> None:
    small = emulator_factory(skill_bundle_limit=300)
    folder = make_skill(tmp_path / "github", "github", files={"assets/data.csv": "a,b\n" * 500})
    result = run_cli("skills", "sync", str(folder), "--json", env=emulator_env_for(small))
    assert result.code == 1, result
    doc = result.json()
    assert doc["status"] == 413
    assert "too large" in doc["error"]
    assert "smaller" in doc["hint"]
    assert len(small.requests) == 1  # not retried


def test_failing_secrets_say_the_skill_was_uploaded_and_never_show_a_value(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = make_skill(tmp_path / "github", "github", files={".env": f"GITHUB_TOKEN={TOKEN}\n"})
    emulator.faults.path_prefix = "/api/skills/"  # the secrets call, not the upload
    emulator.faults.retry_after = 0
    emulator.faults.fail_first = 3
    result = run_cli("skills", "sync", str(folder), "--json", env=emulator_env)
    assert result.code == 1, result
    doc = result.json()
    record = emulator.skills.get("github")
    assert record is not None
    assert doc["skillId"] == record.id
    assert doc["status"] == "failed"
    assert doc["error"].startswith("The skill was uploaded, but its secrets were not")
    assert doc["httpStatus"] == 503
    assert record.secret_names == set()
    assert TOKEN not in result.stdout + result.stderr

    human = run_cli("skills", "sync", str(folder), env=emulator_env)
    assert human.code == 0, human  # the fault is used up: the next run completes
    assert "✓ 1 secret(s) updated" in human.stdout
