"""Benchmark `octavus sync`: N generated agents in one call versus N separate calls.

An emulator runs as a child process (``octavus emulator --port 0 --json``); the
CLI runs as fresh child processes, as a user or a CI job would run it. Measured,
wall time each:

* ``one call``      -- ``octavus sync DIR`` creating N new agents (bounded pool, --jobs)
* ``N calls``       -- ``octavus sync DIR/agent-i`` once per agent, N new agents
* ``one call, -j1`` -- the same one call without concurrency (N more new agents)
* ``re-sync``       -- ``octavus sync DIR`` again: every agent unchanged, no writes

Every run creates agents with fresh slugs, so each scenario does the same work
(GET by slug, then POST). The emulator is started once per ``--latency`` value;
a latency of 0.05 s per request stands in for a real network round trip.

Usage (from the repository root, in the project's virtualenv):

    python benchmarks/sync_bench.py                      # 50 agents, latency 0 and 0.05 s
    python benchmarks/sync_bench.py --agents 100 --jobs 16
    python benchmarks/sync_bench.py --latency 0 --json   # machine-readable
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EXAMPLES, emulator, timed

TEMPLATE = EXAMPLES / "minimal-chat"
CLI = [sys.executable, "-m", "octavus_cli"]


@dataclass
class Row:
    latency: float
    scenario: str
    agents: int
    processes: int
    seconds: float

    @property
    def per_agent_ms(self) -> float:
        return self.seconds / self.agents * 1000


def generate(root: Path, prefix: str, count: int) -> list[Path]:
    """``count`` valid agents from the minimal example, each with its own slug and prompt."""
    folders = []
    for index in range(count):
        folder = root / f"{prefix}-{index:03d}"
        shutil.copytree(TEMPLATE, folder)
        settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
        settings["slug"] = folder.name
        settings["name"] = f"Bench agent {prefix} {index}"
        (folder / "settings.json").write_text(json.dumps(settings, indent=2), encoding="utf-8")
        system = folder / "prompts" / "system.md"
        system.write_text(system.read_text(encoding="utf-8") + f"\nAgent {index}.\n")
        folders.append(folder)
    return folders


def sync(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [*CLI, "sync", *args, "--quiet"], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"octavus sync {' '.join(args)} failed:\n{result.stderr}")


def measure(latency: float, count: int, jobs: int, work: Path) -> list[Row]:
    bulk = work / f"bulk-{latency}"
    single = work / f"single-{latency}"
    serial = work / f"serial-{latency}"
    generate(bulk, f"bulk{int(latency * 1000)}", count)
    folders = generate(single, f"single{int(latency * 1000)}", count)
    generate(serial, f"serial{int(latency * 1000)}", count)
    rows = []
    with emulator(latency, CLI) as env:
        seconds = timed(lambda: sync(env, str(bulk), "--jobs", str(jobs)))
        rows.append(Row(latency, f"one call (--jobs {jobs})", count, 1, seconds))
        seconds = timed(lambda: [sync(env, str(folder)) for folder in folders])
        rows.append(Row(latency, f"{count} separate calls", count, count, seconds))
        seconds = timed(lambda: sync(env, str(serial), "--jobs", "1"))
        rows.append(Row(latency, "one call (--jobs 1)", count, 1, seconds))
        seconds = timed(lambda: sync(env, str(bulk), "--jobs", str(jobs)))
        rows.append(Row(latency, "re-sync, all unchanged", count, 1, seconds))
    return rows


def print_table(rows: list[Row]) -> None:
    print(f"{'latency':>8}  {'scenario':<26} {'procs':>5}  {'wall s':>7}  {'ms/agent':>8}  vs one")
    for latency in sorted({r.latency for r in rows}):
        group = [r for r in rows if r.latency == latency]
        base = group[0].seconds
        for row in group:
            print(
                f"{row.latency:>7.3f}s  {row.scenario:<26} {row.processes:>5}  "
                f"{row.seconds:>7.2f}  {row.per_agent_ms:>8.1f}  {row.seconds / base:>5.1f}x"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=50, help="agents per scenario (50)")
    parser.add_argument("--jobs", type=int, default=8, help="--jobs of the bulk call (8)")
    parser.add_argument(
        "--latency",
        type=float,
        action="append",
        help="emulator latency per request in seconds (repeatable; default 0 and 0.05)",
    )
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    options = parser.parse_args()
    latencies = options.latency or [0.0, 0.05]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="octavus-sync-bench-") as tmp:
        for latency in latencies:
            rows += measure(latency, options.agents, options.jobs, Path(tmp))
    if options.json:
        print(json.dumps([{**asdict(r), "perAgentMs": r.per_agent_ms} for r in rows], indent=2))
    else:
        print(
            f"octavus sync, {options.agents} agents, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs"
        )
        print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
