"""Run the CLI with stdin/stdout/stderr on a pseudo-terminal and collect what it wrote."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Mapping

from tests.support.cli import clean_env


def run_in_pty(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 60
) -> tuple[int, bytes]:
    """Exit code and the raw bytes the process wrote to its terminal."""
    import pty

    leader, follower = pty.openpty()
    full_env = clean_env({"TERM": "xterm-256color", "COLUMNS": "100", **(env or {})})
    proc = subprocess.Popen(
        [sys.executable, "-m", "octavus_cli", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=full_env,
        close_fds=True,
    )
    os.close(follower)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output.extend(chunk)
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    return code, bytes(output)
