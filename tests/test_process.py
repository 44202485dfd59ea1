"""One real process per command: the console entry, exit codes and streams end to end.

Everything else drives the commands in-process (``run_cli``); these prove that the same
calls behave the same as a separate ``python -m octavus_cli`` process.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import TEST_WORKFORCE_AGENT_ID
from tests.support.cli import run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "agents"
SUPPORT_INPUT = ["-i", "COMPANY_NAME=Acme", "-i", "PRODUCT_NAME=Widget", "-i", "PLAN_TIER=pro"]


@pytest.fixture
def minimal_chat(tmp_path: Path) -> Path:
    folder = tmp_path / "minimal-chat"
    shutil.copytree(EXAMPLES / "minimal-chat", folder)
    return folder


def test_validate_and_schema(tmp_path: Path) -> None:
    valid = run_cli("validate", str(EXAMPLES / "support-chat"), process=True)
    assert valid.code == 0, valid
    assert "support-chat is valid" in valid.stdout
    broken = tmp_path / "broken"
    broken.mkdir()
    invalid = run_cli("validate", str(broken), "--json", process=True)
    assert invalid.code == 1, invalid
    assert [error["code"] for error in invalid.json()["errors"]] == ["OCT002", "OCT002"]
    schema = run_cli("schema", "protocol", process=True)
    assert schema.code == 0, schema
    assert json.loads(schema.stdout)["$schema"].startswith("https://json-schema.org/")


def test_sync_list_get_archive(
    emulator: Emulator, emulator_env: dict[str, str], minimal_chat: Path
) -> None:
    synced = run_cli("sync", str(minimal_chat), "--json", env=emulator_env, process=True)
    assert synced.code == 0, synced
    assert synced.json()["created"] is True
    listed = run_cli("list", "--json", env=emulator_env, process=True)
    assert [agent["slug"] for agent in listed.json()["agents"]] == ["minimal-chat"]
    got = run_cli("get", "minimal-chat", "--json", env=emulator_env, process=True)
    assert got.code == 0, got
    assert got.json()["settings"]["slug"] == "minimal-chat"
    archived = run_cli("archive", "minimal-chat", "--yes", env=emulator_env, process=True)
    assert archived.code == 0, archived
    missing = run_cli("get", "minimal-chat", env=emulator_env, process=True)
    assert missing.code == 1, missing
    assert "Traceback" not in missing.stderr


def test_run(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    emulator.seed_agent(EXAMPLES / "support-chat")
    result = run_cli(
        "run", "support-chat", "-m", "hello", *SUPPORT_INPUT, env=emulator_env, process=True
    )
    assert result.code == 0, result
    assert "You said: hello" in result.stdout
    assert "New session" in result.stderr


def test_workforce(emulator: Emulator, emulator_env: dict[str, str]) -> None:
    result = run_cli(
        "workforce",
        "run",
        TEST_WORKFORCE_AGENT_ID,
        "Write it",
        "--json",
        env=emulator_env,
        process=True,
    )
    assert result.code == 0, result
    assert result.json()["status"] == "completed"


def test_config_and_a_usage_error(tmp_path: Path) -> None:
    config = run_cli("config", "--json", cwd=tmp_path, process=True)
    assert config.code == 0, config
    json.loads(config.stdout)
    usage = run_cli("list", "--no-such-option", process=True)
    assert usage.code == 2, usage
    assert "No such option" in usage.stderr
    assert usage.stdout == ""
