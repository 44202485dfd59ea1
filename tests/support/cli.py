"""Drive the CLI the way a user does: a subprocess with a clean environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Variables that would make a test depend on the machine it runs on.
_DROPPED_PREFIXES = ("OCTAVUS_", "GITHUB_", "ACTIONS_", "RUNNER_")
_DROPPED = {"NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES", "TERM"}


def clean_env(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The current environment without Octavus/GitHub/colour variables, plus overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_DROPPED_PREFIXES) and key not in _DROPPED
    }
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(overrides or {})
    return env


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str
    args: Sequence[str]

    def json(self) -> Any:
        """The one JSON document on stdout (fails the test if there is anything else)."""
        return json.loads(self.stdout)

    def __repr__(self) -> str:  # shown by pytest when an assertion fails
        return (
            f"CliResult(args={list(self.args)!r}, code={self.code},\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr})"
        )


def run_cli(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    input: str | None = None,
    timeout: float = 120,
    clean: bool = True,
) -> CliResult:
    """Run ``python -m octavus_cli ARGS`` and capture everything.

    ``env`` is added to a clean environment (see :func:`clean_env`); with
    ``clean=False`` it is used exactly as given.
    """
    full_env = clean_env(env) if clean else dict(env or {})
    completed = subprocess.run(
        [sys.executable, "-m", "octavus_cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=str(cwd) if cwd is not None else None,
        input=input,
        timeout=timeout,
        check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr, args)
