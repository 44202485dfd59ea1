"""The GitHub Action (action.yml): its step script, run locally as the runner would run it.

Not run here, each for a reason:

* ``actions/setup-python`` and ``github/codeql-action/upload-sarif``: other repositories'
  actions that need GitHub's runner and API;
* the install step (``pip install <action path>``): it needs the package index; the test
  environment has this package installed already, from this same checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from octavus_cli.emulator import Emulator
from tests.commands.test_sarif import assert_valid_sarif
from tests.protocol.helpers import EXAMPLES
from tests.support.cli import clean_env

REPO = Path(__file__).resolve().parents[1]
EXPRESSION = re.compile(r"\$\{\{\s*([a-z._-]+)\s*\}\}")


def action() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    return document


def step(step_id: str) -> dict[str, Any]:
    steps: list[dict[str, Any]] = action()["runs"]["steps"]
    return next(s for s in steps if s.get("id") == step_id)


def substitute(text: str, inputs: dict[str, str]) -> str:
    """The ``${{ inputs.X }}`` and ``${{ github.action_path }}`` of a step, as GitHub does."""
    defaults = {name: str(spec.get("default", "")) for name, spec in action()["inputs"].items()}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "github.action_path":
            return str(REPO)
        assert name.startswith("inputs."), f"the test does not know {name}"
        key = name.removeprefix("inputs.")
        assert key in defaults, f"action.yml declares no input {key}"
        return inputs.get(key, defaults[key])

    return EXPRESSION.sub(value, text)


def run_step(
    inputs: dict[str, str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """Run the action's `octavus` step with bash; return its code, outputs and summary."""
    spec = step("run")
    assert spec["shell"] == "bash"
    outputs = cwd / "github-output"
    summary = cwd / "step-summary.md"
    step_env = {key: substitute(str(v), inputs) for key, v in spec["env"].items()}
    full_env = clean_env(
        {
            **(env or {}),
            **step_env,
            "GITHUB_ACTIONS": "true",
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_STEP_SUMMARY": str(summary),
            # python3 is the interpreter this package is installed in (the install step's).
            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        }
    )
    workdir = cwd / substitute(spec["working-directory"], inputs)
    process = subprocess.run(
        ["bash", "-e", "-c", substitute(spec["run"], inputs)],
        cwd=workdir,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = dict(
        line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines() if line
    )
    text = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return process.returncode, found, text + process.stdout + process.stderr


def test_the_action_installs_itself_and_uploads_only_when_asked() -> None:
    document = action()
    assert document["runs"]["using"] == "composite"
    install = next(s for s in document["runs"]["steps"] if "pip install" in s.get("run", ""))
    assert '"${{ github.action_path }}"' in install["run"]
    upload = next(s for s in document["runs"]["steps"] if "upload-sarif" in s.get("uses", ""))
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert upload["if"].startswith("always()")
    assert document["inputs"]["command"]["default"] == "validate ."


def test_default_validate_writes_sarif_for_upload(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "minimal-chat", tmp_path / "agents" / "minimal-chat")
    protocol = tmp_path / "agents" / "minimal-chat" / "protocol.yaml"
    protocol.write_text(protocol.read_text().replace("system: system", "system: sytem", 1))

    code, outputs, log = run_step({"upload-sarif": "true"}, tmp_path)
    assert code == 1, log
    assert outputs == {"sarif-file": "octavus.sarif", "exit-code": "1"}
    import json

    sarif = json.loads((tmp_path / "octavus.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(sarif)
    [result] = sarif["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "agents/minimal-chat/protocol.yaml"
    assert "### octavus validate" in log  # the job summary


def test_a_drift_check_exits_4(
    emulator: Emulator, emulator_env: dict[str, str], tmp_path: Path
) -> None:
    shutil.copytree(EXAMPLES / "minimal-chat", tmp_path / "agents" / "minimal-chat")
    inputs = {"command": "octavus sync agents --dry-run --exit-code", "working-directory": "."}
    code, outputs, log = run_step(inputs, tmp_path, emulator_env)
    assert code == 4, log
    assert outputs == {"exit-code": "4"}
    emulator.seed_agent(tmp_path / "agents" / "minimal-chat")
    code, outputs, log = run_step(inputs, tmp_path, emulator_env)
    assert code == 0, log
