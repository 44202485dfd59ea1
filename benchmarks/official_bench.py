"""Side by side with the official Node CLI: start-up time and peak memory (issue 15).

Installs ``@octavus/cli`` with npm into a temporary folder (kept between runs under the
system's temp dir), starts the emulator once as a child process, and runs each pair of
commands -- ours and the official one -- interleaved, ``--repeat`` times, as fresh
processes. Interleaving matters on a shared machine: both sides of a pair see the same
load, so the **ratio** (median of ours / median of theirs) is what to read.

Usage (from the repository root, in the project's virtualenv):

    python benchmarks/official_bench.py                 # 15 rounds
    python benchmarks/official_bench.py --repeat 30 --json

Goals (issue 15): ``validate`` <= 0.35x, ``--help`` and ``validate --help`` <= 0.5x the
official ``--help``; peak memory of every command <= 0.5x the official CLI's.
Linux and macOS only (peak memory comes from ``os.wait4``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EXAMPLES, Sample, emulator, our_cli, run_once

SUPPORT_CHAT = EXAMPLES / "support-chat"
MINIMAL_CHAT = EXAMPLES / "minimal-chat"
PACKAGE = "@octavus/cli@2.0.0"


def official_cli() -> list[str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise SystemExit("node and npm are needed to install the official CLI")
    folder = Path(tempfile.gettempdir()) / "octavus-official-cli-2.0.0"
    entry = folder / "node_modules" / "@octavus" / "cli" / "dist" / "index.js"
    if not entry.is_file():
        subprocess.run(
            [npm, "install", "--prefix", str(folder), PACKAGE, "--no-audit", "--no-fund"]
            + ["--loglevel=error"],
            check=True,
            timeout=600,
        )
    return [node, str(entry)]


@dataclass
class Pair:
    label: str
    ours: list[str]
    theirs: list[str]
    time_goal: float | None  # ours / theirs at most this (None: no time goal)
    our_samples: list[Sample] = field(default_factory=list)
    their_samples: list[Sample] = field(default_factory=list)

    def median(self, samples: list[Sample]) -> float:
        return statistics.median(s.seconds for s in samples)

    def peak(self, samples: list[Sample]) -> float:
        return max(s.peak_mib for s in samples)

    @property
    def time_ratio(self) -> float:
        return self.median(self.our_samples) / self.median(self.their_samples)

    @property
    def paired_ratio(self) -> float:
        """Median of the per-round ratios (each round runs both back to back)."""
        return statistics.median(
            a.seconds / b.seconds for a, b in zip(self.our_samples, self.their_samples, strict=True)
        )

    @property
    def memory_ratio(self) -> float:
        return self.peak(self.our_samples) / self.peak(self.their_samples)

    def as_json(self) -> dict[str, object]:
        return {
            "label": self.label,
            "ours_median_s": self.median(self.our_samples),
            "theirs_median_s": self.median(self.their_samples),
            "time_ratio": self.time_ratio,
            "paired_ratio": self.paired_ratio,
            "time_goal": self.time_goal,
            "ours_peak_mib": self.peak(self.our_samples),
            "theirs_peak_mib": self.peak(self.their_samples),
            "memory_ratio": self.memory_ratio,
            "exit_codes": sorted({s.code for s in self.our_samples + self.their_samples}),
        }


def pairs(ours: list[str], theirs: list[str], work: Path) -> list[Pair]:
    agent = work / "support-chat"
    minimal = work / "minimal-chat"
    return [
        Pair("validate support-chat", [*ours, "validate", str(agent)],
             [*theirs, "validate", str(agent)], 0.35),
        Pair("--help", [*ours, "--help"], [*theirs, "--help"], 0.5),
        Pair("validate --help", [*ours, "validate", "--help"], [*theirs, "--help"], 0.5),
        Pair("sync minimal-chat", [*ours, "sync", str(minimal)],
             [*theirs, "sync", str(minimal)], None),
        Pair("list", [*ours, "list"], [*theirs, "list"], None),
        Pair("get minimal-chat", [*ours, "get", "minimal-chat"],
             [*theirs, "get", "minimal-chat"], None),
    ]  # fmt: skip


def measure(repeat: int) -> list[Pair]:
    ours, theirs = our_cli(), official_cli()
    with tempfile.TemporaryDirectory(prefix="octavus-bench-") as tmp, emulator() as env:
        work = Path(tmp)
        shutil.copytree(SUPPORT_CHAT, work / "support-chat")
        shutil.copytree(MINIMAL_CHAT, work / "minimal-chat")
        table = pairs(ours, theirs, work)
        for pair in table:  # warm-up: OS and bytecode caches, the agent on the emulator
            run_once(pair.ours, env, work)
            run_once(pair.theirs, env, work)
        for _ in range(repeat):
            for pair in table:
                pair.our_samples.append(run_once(pair.ours, env, work))
                pair.their_samples.append(run_once(pair.theirs, env, work))
    return table


def print_table(table: list[Pair], repeat: int) -> None:
    print(
        f"octavus vs official {PACKAGE}, {repeat} interleaved rounds, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(
        f"{'command':24} {'ours ms':>8} {'theirs ms':>9} {'ratio':>6} {'paired':>6} "
        f"{'goal':>5}  {'ours MiB':>8} {'theirs MiB':>10} {'mem':>5}"
    )
    for pair in table:
        goal = f"{pair.time_goal:.2f}" if pair.time_goal is not None else "-"
        print(
            f"{pair.label:24} {pair.median(pair.our_samples) * 1000:8.0f} "
            f"{pair.median(pair.their_samples) * 1000:9.0f} {pair.time_ratio:6.2f} "
            f"{pair.paired_ratio:6.2f} {goal:>5}  {pair.peak(pair.our_samples):8.1f} "
            f"{pair.peak(pair.their_samples):10.1f} {pair.memory_ratio:5.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="interleaved rounds")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    table = measure(args.repeat)
    if args.json:
        print(json.dumps([pair.as_json() for pair in table], indent=2))
    else:
        print_table(table, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
