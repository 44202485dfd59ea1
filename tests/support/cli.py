"""Drive the CLI the way a user does: its arguments, a clean environment, stdin and a folder.

``run_cli`` calls the command's entry point in this process (fast: no interpreter start-up
per call) with the same environment, working folder, standard input and captured output a
subprocess would get. Tests about the process itself (exit on a signal, a terminal, the
console script, what the interpreter prints) pass ``process=True``; setting
``OCTAVUS_TEST_SUBPROCESS=1`` runs every call as a subprocess, to check that both agree.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping, Sequence
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
    process: bool = False,
) -> CliResult:
    """Run ``octavus ARGS`` and capture everything.

    ``env`` is added to a clean environment (see :func:`clean_env`); with
    ``clean=False`` it is used exactly as given. ``process=True`` starts
    ``python -m octavus_cli`` as a subprocess (``timeout`` applies there only).
    """
    full_env = clean_env(env) if clean else dict(env or {})
    if process or os.environ.get("OCTAVUS_TEST_SUBPROCESS") == "1":
        return _run_process(args, full_env, cwd, input, timeout)
    return _run_in_process(args, full_env, cwd, input)


def _run_process(
    args: Sequence[str],
    env: dict[str, str],
    cwd: str | Path | None,
    input: str | None,
    timeout: float,
) -> CliResult:
    completed = subprocess.run(
        [sys.executable, "-m", "octavus_cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=str(cwd) if cwd is not None else None,
        input=input,
        timeout=timeout,
        check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr, args)


class _Stream(io.TextIOWrapper):
    """A text stream over bytes, like a pipe: UTF-8, not a terminal."""

    def __init__(self, data: bytes = b"") -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", errors="strict", newline=None)

    def text(self) -> str:
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue().decode("utf-8", "replace").replace("\r\n", "\n")


# One in-process call at a time: the environment, the folder and the streams are global.
_LOCK = threading.Lock()


def _run_in_process(
    args: Sequence[str],
    env: dict[str, str],
    cwd: str | Path | None,
    input: str | None,
) -> CliResult:
    from octavus_cli.__main__ import main

    stdin = _Stream((input or "").encode("utf-8"))
    stdout, stderr = _Stream(), _Stream()
    with _LOCK, _process_state(env, cwd, stdin, stdout, stderr):
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = _exit_code(exit_.code, stderr)
        except BaseException:  # what an uncaught exception does to a real process
            traceback.print_exc(file=stderr)
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
    return CliResult(code, stdout.text(), stderr.text(), args)


def _exit_code(code: object, stderr: _Stream) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    stderr.write(f"{code}\n")  # sys.exit("message") prints it and exits 1
    return 1


@contextlib.contextmanager
def _process_state(
    env: dict[str, str],
    cwd: str | Path | None,
    stdin: _Stream,
    stdout: _Stream,
    stderr: _Stream,
) -> Iterator[None]:
    """Give the call the environment, folder and streams a subprocess would have."""
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    os.environ.clear()
    os.environ.update(env)
    if cwd is not None:
        os.chdir(cwd)
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
