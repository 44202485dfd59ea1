"""What the benchmark scripts share: the CLI to run, a clean environment, an emulator
as a child process, and one child run measured (wall time and peak memory).

Imported by the scripts beside it (``python benchmarks/NAME.py`` puts this folder
on ``sys.path``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "agents"
BENCH_KEY = "oct_sk_bench_fake"


def our_cli() -> list[str]:
    """The installed ``octavus`` executable next to this interpreter (what users run)."""
    script = Path(sys.executable).parent / "octavus"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "octavus_cli"]


def clean_env() -> dict[str, str]:
    """This environment without the CLI's variables and CI markers, colour off.

    ``PYTHONDONTWRITEBYTECODE`` is dropped: installed packages have bytecode caches,
    so the children may write and use them too.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OCTAVUS_", "GITHUB_")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["NO_COLOR"] = "1"
    return env


@contextmanager
def emulator(latency: float = 0.0, cli: list[str] | None = None) -> Iterator[dict[str, str]]:
    """A child-process emulator; yields the environment that points a CLI at it."""
    args = [*(cli or our_cli()), "emulator", "--port", "0", "--key", BENCH_KEY, "--json"]
    if latency:
        args += ["--latency", str(latency)]
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=clean_env()
    )
    try:
        assert process.stdout is not None
        text = ""
        while True:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("the emulator exited before it printed its address")
            text += line
            try:
                started = json.loads(text)
                break
            except json.JSONDecodeError:
                continue
        yield {**clean_env(), **started["env"]}
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    code: int


def run_once(argv: list[str], env: dict[str, str], cwd: Path = ROOT) -> Sample:
    """Run ``argv`` as a child process (output discarded): its wall time and peak RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    # ru_maxrss is KiB on Linux and bytes on macOS.
    divisor = 1024 * 1024 if sys.platform == "darwin" else 1024
    return Sample(elapsed, usage.ru_maxrss / divisor, os.waitstatus_to_exitcode(status))


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started
