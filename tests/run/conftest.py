"""The shared emulator fixture seeded with the example agents, and `octavus run` against it."""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.recording import RecordedRequest
from octavus_cli.emulator.store import AgentRecord
from octavus_cli.emulator.testing import TEST_PROJECT_KEY, emulator_env_for
from tests.support.cli import CliResult, run_cli

ROOT = Path(__file__).resolve().parents[2]
SUPPORT_CHAT_DIR = ROOT / "examples" / "agents" / "support-chat"
LEGACY_DIR = ROOT / "tests" / "fixtures" / "agents" / "resources-legacy"
KEY = TEST_PROJECT_KEY  # what `octavus run` uses (OCTAVUS_API_KEY); "project" in the log
# The session input support-chat requires.
REQUIRED = ["-i", "COMPANY_NAME=Acme", "-i", "PRODUCT_NAME=Widget", "-i", "PLAN_TIER=pro"]


@dataclass
class Octavus:
    emulator: Emulator
    support_chat: AgentRecord
    legacy: AgentRecord

    def env(self, **extra: str) -> dict[str, str]:
        return {**emulator_env_for(self.emulator), **extra}

    def run(
        self,
        *args: str,
        input: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> CliResult:
        return run_cli("run", *args, env=env or self.env(), input=input, timeout=timeout)

    def posts(self, suffix: str = "/trigger") -> list[RecordedRequest]:
        return [r for r in self.emulator.requests if r.method == "POST" and r.path.endswith(suffix)]

    def session(self, session_id: str) -> dict[str, Any]:
        import httpx

        response = httpx.get(
            f"{self.emulator.url}/api/agent-sessions/{session_id}",
            headers={"Authorization": f"Bearer {KEY}"},
        )
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data


@pytest.fixture
def octavus(emulator: Emulator) -> Octavus:
    return Octavus(emulator, emulator.seed_agent(SUPPORT_CHAT_DIR), emulator.seed_agent(LEGACY_DIR))


def tool_command(script: Path, *args: str) -> str:
    """A --tool COMMAND that runs a Python script with this interpreter."""
    return shlex.join([sys.executable, str(script), *args])


def write_script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, "utf-8")
    return path
