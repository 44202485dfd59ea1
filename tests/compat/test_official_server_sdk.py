"""The official server SDK (@octavus/server-sdk@2.0.0) drives the emulator unchanged.

Sessions, the tool loop, messages, clear and restore, and upload URLs, with every
event parsed by the SDK's own schemas. The package is installed with npm once per
machine into the pytest cache; the test is skipped, with the reason, when node or
npm is missing or the install fails (no registry).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import TEST_PROJECT_KEY
from tests.compat.npm import npm_installed
from tests.support.cli import clean_env

pytestmark = pytest.mark.compat

PACKAGE = "@octavus/server-sdk@2.0.0"
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SUPPORT_CHAT = ROOT / "examples" / "agents" / "support-chat"


@pytest.fixture(scope="session")
def server_sdk(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the SDK is installed in (cached between runs)."""
    entry = "node_modules/@octavus/server-sdk/dist/index.js"
    return npm_installed(PACKAGE, entry, pytestconfig, tmp_path_factory).parents[4]


def test_sessions_tool_loop_restore_and_messages(server_sdk: Path, emulator: Emulator) -> None:
    agent = emulator.seed_agent(SUPPORT_CHAT)
    env = clean_env(
        {
            "OCTAVUS_API_URL": emulator.url,
            "OCTAVUS_API_KEY": TEST_PROJECT_KEY,
            "AGENT_ID": agent.id,
            "SDK_DIR": str(server_sdk),
        }
    )
    completed = subprocess.run(
        [str(shutil.which("node")), str(HERE / "server_sdk_driver.mjs")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    steps = report["steps"]
    assert report["invalidEvents"] == []
    assert report["events"] > 10
    # The SDK answers tool-request itself (it yields the tool output instead).
    assert "tool-output-available" in steps["toolLoop"]
    assert steps["toolLoop"].count("start") == 2  # the SDK continued after the tool
    assert steps["lastText"].startswith("The tool check-order-status returned")
    assert steps["uiMessagesValid"] is True
    assert steps["clearStatus"] == 200
    assert steps["expiredStatus"] == "expired"
    assert steps["restored"] is True
    assert steps["afterRestore"][-1] == "finish"
    assert steps["messageCount"] >= 4
    assert steps["uploadUrls"] == 1
    sdk_versions = {r.sdk_version for r in emulator.requests if r.path.startswith("/api/")}
    assert sdk_versions <= {"4", None}
