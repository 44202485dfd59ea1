"""The official Node CLI (@octavus/cli@2.0.0) works against the emulator unchanged.

The package is installed with npm once per machine into the pytest cache
(``.pytest_cache/d/octavus-official-cli-2.0.0``). The tests are skipped, with the
reason, when node or npm is missing or the install fails (no registry).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import TEST_CLI_KEY
from tests.compat.npm import npm_installed
from tests.support.cli import clean_env

pytestmark = pytest.mark.compat

PACKAGE = "@octavus/cli@2.0.0"
ROOT = Path(__file__).resolve().parents[2]
MINIMAL_CHAT = ROOT / "examples" / "agents" / "minimal-chat"


@pytest.fixture(scope="session")
def official_cli(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of the official CLI's entry point, installed with npm (cached)."""
    return npm_installed(
        PACKAGE, "node_modules/@octavus/cli/dist/index.js", pytestconfig, tmp_path_factory
    )


@dataclass
class NodeResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"NodeResult(code={self.code}\n{self.stdout}\n--- stderr ---\n{self.stderr})"


@pytest.fixture
def octavus(official_cli: Path, emulator: Emulator, tmp_path: Path) -> Any:
    """Run the official CLI against the emulator, from an empty folder (no .env)."""
    workdir = tmp_path / "cwd"
    workdir.mkdir()

    def run(*args: str, key: str = TEST_CLI_KEY) -> NodeResult:
        env = clean_env({"OCTAVUS_API_URL": emulator.url, "OCTAVUS_CLI_API_KEY": key})
        completed = subprocess.run(
            ["node", str(official_cli), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=workdir,
            timeout=60,
            check=False,
        )
        return NodeResult(completed.returncode, completed.stdout, completed.stderr)

    return run


@pytest.fixture
def agent_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "minimal-chat"
    shutil.copytree(MINIMAL_CHAT, folder)
    return folder


def test_validate(octavus: Any, emulator: Emulator, agent_dir: Path) -> None:
    validated = octavus("validate", str(agent_dir), "--json")
    assert validated.code == 0, validated
    assert validated.json() == {
        "slug": "minimal-chat",
        "valid": True,
        "errors": [],
        "warnings": validated.json()["warnings"],
    }
    calls = [(r.method, r.path, r.query, r.status, r.key) for r in emulator.requests]
    assert calls == [("POST", "/api/agents/validate", {}, 200, "cli")]


def test_sync_creates_then_updates(octavus: Any, emulator: Emulator, agent_dir: Path) -> None:
    created = octavus("sync", str(agent_dir), "--json")
    assert created.code == 0, created
    agent_id = created.json()["agentId"]
    assert created.json() == {"slug": "minimal-chat", "agentId": agent_id, "created": True}

    (agent_dir / "prompts" / "system.md").write_text("You are terse.\n")
    updated = octavus("sync", str(agent_dir), "--json")
    assert updated.code == 0, updated
    assert updated.json() == {"slug": "minimal-chat", "agentId": agent_id, "created": False}

    calls = [(r.method, r.path, r.query, r.status) for r in emulator.requests]
    assert calls == [
        ("GET", "/api/agents/minimal-chat", {"by": "slug"}, 404),
        ("POST", "/api/agents", {}, 201),
        ("GET", "/api/agents/minimal-chat", {"by": "slug"}, 200),
        ("PATCH", "/api/agents/minimal-chat", {"by": "slug"}, 200),
    ]
    patch = emulator.requests[3]
    assert set(patch.body) == {"protocol", "prompts"}
    assert all(r.key == "cli" for r in emulator.requests)


def test_list_and_get(octavus: Any, emulator: Emulator, agent_dir: Path) -> None:
    (agent_dir / "prompts" / "system.md").write_text("You are terse.\n")
    agent_id = emulator.seed_agent(agent_dir).id
    listed = octavus("list", "--json")
    assert listed.code == 0, listed
    (item,) = listed.json()["agents"]
    assert item["id"] == agent_id
    assert item["slug"] == "minimal-chat"
    assert item["projectId"]

    got = octavus("get", "minimal-chat", "--json")
    assert got.code == 0, got
    definition = emulator.store.get_agent(agent_id)
    assert definition is not None
    assert got.json() == {
        "settings": definition.settings(),
        "protocol": definition.protocol,
        "prompts": definition.prompts,
        "id": agent_id,
    }
    assert {"name": "system", "content": "You are terse.\n"} in got.json()["prompts"]

    calls = [(r.method, r.path, r.query, r.status) for r in emulator.requests]
    assert calls == [
        ("GET", "/api/agents", {}, 200),
        ("GET", "/api/agents/minimal-chat", {"by": "slug"}, 200),
    ]
    assert all(r.key == "cli" for r in emulator.requests)


def test_api_errors_reach_the_official_cli(octavus: Any) -> None:
    missing = octavus("get", "nope", "--json")
    assert missing.code == 1, missing
    assert missing.json() == {"error": "Agent not found: nope", "code": "NOT_FOUND"}

    bad_key = octavus("list", "--json", key="fake-wrong-key")
    assert bad_key.code == 1, bad_key
    assert bad_key.json() == {"error": "Invalid API key", "code": "API_ERROR"}


def test_validation_errors_reach_the_official_cli(octavus: Any, agent_dir: Path) -> None:
    protocol = agent_dir / "protocol.yaml"
    protocol.write_text(protocol.read_text().replace("next-message", "next-mesage"))
    invalid = octavus("validate", str(agent_dir), "--json")
    assert invalid.code == 1, invalid
    assert invalid.json()["valid"] is False
    assert "next-mesage" in invalid.json()["errors"][0]["message"]
