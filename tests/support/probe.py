"""Run a snippet of Python in a fresh interpreter (a clean environment) and return its stdout.

For tests about what a new process imports or sets up: the test process has imported
everything already, so only a fresh one can tell.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.cli import clean_env

ROOT = Path(__file__).resolve().parents[2]


def python_output(code: str, *args: str, cwd: Path = ROOT) -> str:
    """The stdout of ``python -c CODE ARGS...`` run in ``cwd``; a non-zero exit raises."""
    completed = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=cwd,
        timeout=60,
        check=True,
    )
    return completed.stdout
