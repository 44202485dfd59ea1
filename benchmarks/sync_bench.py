"""Benchmark `octavus sync`: N generated agents in one call versus N separate calls.

An emulator runs as a child process (``octavus emulator --port 0 --json``); the
CLI runs as fresh child processes, as a user or a CI job would run it. Measured,
wall time each:

* ``one call``      -- ``octavus sync DIR`` creating N new agents (bounded pool, --jobs)
* ``N calls``       -- ``octavus sync DIR/agent-i`` once per agent, N new agents
* ``one call, -j1`` -- the same one call without concurrency (N more new agents)
* ``re-sync``       -- ``octavus sync DIR`` again: every agent unchanged, no writes
* ``N official``    -- the official CLI (``@octavus/cli``, installed with npm as
  ``official_bench.py`` does), ``sync DIR/agent-i`` once per agent, N new agents;
  its ratio to the one call has a goal (issue 15): at least 10x. Skipped, saying
  so, when node/npm are missing or the install fails, or with ``--no-official``.

Every run creates agents with fresh slugs, so each scenario does the same work
(GET by slug, then POST). The emulator is started once per ``--latency`` value;
a latency of 0.05 s per request stands in for a real network round trip.

Usage (from the repository root, in the project's virtualenv):

    python benchmarks/sync_bench.py                      # 50 agents, latency 0 and 0.05 s
    python benchmarks/sync_bench.py --agents 100 --jobs 16
    python benchmarks/sync_bench.py --latency 0 --json   # machine-readable
    python benchmarks/sync_bench.py --latency 0          # no added latency only
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
from official_bench import PACKAGE, official_cli

TEMPLATE = EXAMPLES / "minimal-chat"
CLI = [sys.executable, "-m", "octavus_cli"]
OFFICIAL_GOAL = 10.0  # N official calls take at least this many times our one call


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


def official_syncs(official: list[str], env: dict[str, str], folders: list[Path]) -> None:
    """The official CLI's ``sync FOLDER``, one process per folder."""
    for folder in folders:
        result = subprocess.run(
            [*official, "sync", str(folder)], env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"official sync {folder} failed:\n{result.stderr}{result.stdout}")


def official_or_none() -> list[str] | None:
    """The official CLI, installed on first use; ``None`` (said on stderr) without it."""
    try:
        return official_cli()
    except SystemExit as exc:  # node or npm missing
        reason = str(exc)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        reason = f"npm could not install {PACKAGE} ({exc})"
    print(f"skipping the official CLI scenario: {reason}", file=sys.stderr)
    return None


def measure(
    latency: float, count: int, jobs: int, work: Path, official: list[str] | None = None
) -> list[Row]:
    bulk = work / f"bulk-{latency}"
    single = work / f"single-{latency}"
    serial = work / f"serial-{latency}"
    generate(bulk, f"bulk{int(latency * 1000)}", count)
    folders = generate(single, f"single{int(latency * 1000)}", count)
    generate(serial, f"serial{int(latency * 1000)}", count)
    theirs = generate(work / f"official-{latency}", f"official{int(latency * 1000)}", count)
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
        if official is not None:
            seconds = timed(lambda: official_syncs(official, env, theirs))
            rows.append(Row(latency, f"{count} official calls", count, count, seconds))
    return rows


def vs_one(rows: list[Row], row: Row) -> float:
    """``row``'s time over the first row's (the one call) at the same latency."""
    return row.seconds / next(r for r in rows if r.latency == row.latency).seconds


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
    parser.add_argument(
        "--no-official", action="store_true", help="leave out the official CLI's scenario"
    )
    options = parser.parse_args()
    latencies = options.latency or [0.0, 0.05]
    official = None if options.no_official else official_or_none()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="octavus-sync-bench-") as tmp:
        for latency in latencies:
            rows += measure(latency, options.agents, options.jobs, Path(tmp), official)
    if options.json:
        print(json.dumps([
            {**asdict(r), "perAgentMs": r.per_agent_ms, "vsOne": vs_one(rows, r),
             **({"goalVsOne": OFFICIAL_GOAL} if r.scenario.endswith("official calls") else {})}
            for r in rows
        ], indent=2))  # fmt: skip
    else:
        print(
            f"octavus sync, {options.agents} agents, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs"
        )
        print_table(rows)
        for row in rows:
            if row.scenario.endswith("official calls"):
                print(
                    f"official {PACKAGE}, latency {row.latency:.3f}s: {row.scenario} take "
                    f"{vs_one(rows, row):.1f}x our one call (goal >= {OFFICIAL_GOAL:.0f}x)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
