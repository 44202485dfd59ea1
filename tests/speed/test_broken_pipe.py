"""A reader that went away (``octavus validate ... | head``): exit 1 quietly, as rich did."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.cli import clean_env

ROOT = Path(__file__).resolve().parents[2]


def test_closed_stdout_exits_1_without_a_message() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first write fails with EPIPE
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "octavus_cli", "validate", "examples/agents/support-chat"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(),
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (completed.returncode, completed.stderr) == (1, "")
