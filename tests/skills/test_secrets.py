"""Acceptance 2: nothing secret in the bundle; .env.<environment> values reach only the
secrets endpoint; no value in stdout, stderr, --debug output or the request log."""

from __future__ import annotations

from pathlib import Path

from octavus_cli.emulator import Emulator
from tests.skills.helpers import make_skill, received_files
from tests.support.cli import run_cli

PLAIN_TOKEN = "ghp-plain-0c1d2e3f4a5b"
STAGING_TOKEN = "ghp-staging-9f8e7d6c5b4a"
STAGING_ORG = "acme-staging-org-77"
UNDECLARED = "undeclared-value-31415"
VALUES = (PLAIN_TOKEN, STAGING_TOKEN, STAGING_ORG, UNDECLARED)


def secret_skill(tmp_path: Path) -> Path:
    return make_skill(
        tmp_path / "github",
        "github",
        files={
            ".env": f"GITHUB_TOKEN={PLAIN_TOKEN}\n",
            ".env.staging": (
                f"GITHUB_TOKEN={STAGING_TOKEN}\nGITHUB_ORG={STAGING_ORG}\n"
                f"EXTRA_SETTING={UNDECLARED}\n"
            ),
            ".git/config": "[core]\n",
            ".git/HEAD": "ref: refs/heads/main\n",
            "node_modules/left-pad/index.js": "module.exports = 1\n",
            ".DS_Store": "\x00\x01",
            "references/api.md": "# API\n",
        },
    )


def test_bundle_excludes_secrets_and_environment_values_go_to_the_secrets_endpoint(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = secret_skill(tmp_path)
    outputs = []
    for args in (
        ("skills", "sync", str(folder), "--environment", "staging"),
        ("--debug", "skills", "sync", str(folder), "-E", "staging"),
        ("skills", "sync", str(folder), "-E", "staging", "--json"),
        ("--debug", "skills", "sync", str(folder), "-E", "staging", "--dry-run"),
    ):
        result = run_cli(*args, env=emulator_env)
        assert result.code == 0, result
        outputs.append(result.stdout + result.stderr)

    files = received_files(emulator, "github")
    assert set(files) == {"SKILL.md", "scripts/list-issues.py", "references/api.md"}
    record = emulator.skills.get("github")
    assert record is not None
    assert record.secret_names == {"GITHUB_TOKEN", "GITHUB_ORG", "EXTRA_SETTING"}
    puts = [r for r in emulator.requests if r.method == "PUT"]
    assert len(puts) == 3
    assert puts[0].path == f"/api/skills/{record.id}/secrets"
    assert puts[0].body == {"secretNames": ["EXTRA_SETTING", "GITHUB_ORG", "GITHUB_TOKEN"]}

    # The warnings name the undeclared secret; --debug shows names only.
    assert "secret EXTRA_SETTING in .env.staging is not declared in SKILL.md" in outputs[0]
    assert "names: GITHUB_TOKEN, GITHUB_ORG, EXTRA_SETTING" in outputs[1]
    assert "[debug] -> PUT" in outputs[1]
    log = repr(emulator.requests)
    for value in VALUES:
        assert value not in log
        for bundle_file in files.values():
            assert value.encode() not in bundle_file
        for output in outputs:
            assert value not in output


def test_without_the_option_dot_env_is_used_and_json_carries_the_warnings(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = secret_skill(tmp_path)
    (folder / ".env").write_text(f"GITHUB_ORG={STAGING_ORG}\n", encoding="utf-8")
    result = run_cli("skills", "sync", str(folder), "--json", env=emulator_env)
    assert result.code == 0, result
    doc = result.json()
    assert doc["secretsFile"] == ".env"
    assert doc["missingSecrets"] == ["GITHUB_TOKEN"]
    assert doc["secretsUpdated"] == 1
    assert STAGING_ORG not in result.stdout + result.stderr


def test_missing_environment_file_falls_back_to_dot_env(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = secret_skill(tmp_path)
    result = run_cli("skills", "sync", str(folder), "-E", "production", env=emulator_env)
    assert result.code == 0, result
    assert ".env.production not found; using .env" in result.stderr
    record = emulator.skills.get("github")
    assert record is not None
    assert record.secret_names == {"GITHUB_TOKEN"}
    assert PLAIN_TOKEN not in result.stdout + result.stderr


def test_a_file_holding_a_secret_value_blocks_the_upload(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = secret_skill(tmp_path)
    (folder / "scripts" / "config.py").write_text(f"TOKEN = '{STAGING_TOKEN}'\n", encoding="utf-8")
    result = run_cli("skills", "sync", str(folder), "-E", "staging", env=emulator_env)
    assert result.code == 1, result
    assert "error[SKL016]" in result.stderr
    assert "scripts/config.py" in result.stderr
    assert STAGING_TOKEN not in result.stdout + result.stderr
    assert emulator.requests == []


def test_a_real_process_never_prints_a_value_even_with_debug(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    folder = secret_skill(tmp_path)
    result = run_cli(
        "--debug", "skills", "sync", str(folder), "-E", "staging", env=emulator_env, process=True
    )
    assert result.code == 0, result
    assert "names: GITHUB_TOKEN, GITHUB_ORG, EXTRA_SETTING" in result.stderr
    for value in VALUES:
        assert value not in result.stdout + result.stderr
        assert value not in repr(emulator.requests)
