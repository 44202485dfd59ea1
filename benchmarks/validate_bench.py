"""Benchmark `octavus validate`: one example agent cold, and 500 agents in one call.

Each measurement runs the CLI as a fresh child process (a cold start: new
interpreter, nothing cached) and records its wall time and peak resident memory
(from ``wait4``). A bare ``python -c pass`` and ``octavus --version`` are measured
the same way, so the table can be read as ratios: how much validation costs on
top of starting Python and the CLI, and how the cost grows from 1 to N agents.

Usage (from the repository root, in the project's virtualenv):

    python benchmarks/validate_bench.py                 # 500 agents, 5 runs each
    python benchmarks/validate_bench.py --agents 1000 --repeat 3
    python benchmarks/validate_bench.py --json          # machine-readable

Linux and macOS only (peak memory comes from ``os.wait4``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, Sample, clean_env, run_once

EXAMPLES = ROOT / "examples" / "agents"
ONE_AGENT = EXAMPLES / "support-chat"
CLI = [sys.executable, "-m", "octavus_cli"]


def run_cold(argv: list[str]) -> Sample:
    """Run ``argv`` from the repository root as a child process; its wall time and peak RSS."""
    return run_once(argv, clean_env(), ROOT)


@dataclass
class Measurement:
    label: str
    command: str
    samples: list[Sample]

    @property
    def median_seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def best_seconds(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return max(s.peak_mib for s in self.samples)

    @property
    def exit_codes(self) -> set[int]:
        return {s.code for s in self.samples}


def measure(label: str, argv: list[str], repeat: int) -> Measurement:
    run_cold(argv)  # warm the file and bytecode caches; each run still starts Python cold
    samples = [run_cold(argv) for _ in range(repeat)]
    shown = " ".join(["python -m octavus_cli", *argv[3:]] if argv[:3] == CLI else argv)
    return Measurement(label, shown, samples)


def generate_agents(dest: Path, count: int) -> Path:
    """``count`` agent folders: copies of the examples, each with its own slug."""
    sources = sorted(p for p in EXAMPLES.iterdir() if (p / "settings.json").is_file())
    for index in range(count):
        source = sources[index % len(sources)]
        folder = dest / f"{source.name}-{index:04d}"
        shutil.copytree(source, folder)
        settings_file = folder / "settings.json"
        settings = json.loads(settings_file.read_text(encoding="utf-8"))
        settings["slug"] = folder.name
        settings_file.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=500, help="agents in the bulk run")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement")
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="octavus-bench-") as tmp:
        many = generate_agents(Path(tmp) / "agents", args.agents)
        rows = [
            measure("python -c pass", [sys.executable, "-c", "pass"], args.repeat),
            measure("octavus --version", [*CLI, "--version"], args.repeat),
            measure("validate 1 agent", [*CLI, "validate", str(ONE_AGENT)], args.repeat),
            measure(
                f"validate {args.agents} agents",
                [*CLI, "validate", str(many), "--quiet"],
                args.repeat,
            ),
        ]
    base, version, one, bulk = rows
    ratios = {
        "validate_1_over_python": one.median_seconds / base.median_seconds,
        "validate_1_over_version": one.median_seconds / version.median_seconds,
        "validate_n_over_validate_1": bulk.median_seconds / one.median_seconds,
        "ms_per_agent_in_bulk": 1000 * (bulk.median_seconds - version.median_seconds) / args.agents,
    }
    if args.json:
        doc = {
            "python": sys.version.split()[0],
            "platform": sys.platform,
            "agents": args.agents,
            "repeat": args.repeat,
            "rows": [
                {
                    "label": r.label,
                    "command": r.command,
                    "median_s": round(r.median_seconds, 4),
                    "best_s": round(r.best_seconds, 4),
                    "peak_mib": round(r.peak_mib, 1),
                    "exit_codes": sorted(r.exit_codes),
                }
                for r in rows
            ],
            "ratios": {k: round(v, 3) for k, v in ratios.items()},
        }
        print(json.dumps(doc, indent=2))
    else:
        print(f"Python {sys.version.split()[0]} on {sys.platform}; {args.repeat} runs each\n")
        print(f"{'measurement':<24} {'median s':>9} {'best s':>8} {'peak MiB':>9}  exit")
        for r in rows:
            codes = ",".join(str(c) for c in sorted(r.exit_codes))
            print(
                f"{r.label:<24} {r.median_seconds:>9.3f} {r.best_seconds:>8.3f} "
                f"{r.peak_mib:>9.1f}  {codes}"
            )
        print()
        print(f"validate 1 agent / python startup   {ratios['validate_1_over_python']:6.1f}x")
        print(f"validate 1 agent / octavus --version {ratios['validate_1_over_version']:5.2f}x")
        print(
            f"validate {args.agents} / validate 1         "
            f"{ratios['validate_n_over_validate_1']:6.1f}x"
        )
        print(f"per agent in the bulk run           {ratios['ms_per_agent_in_bulk']:6.1f} ms")
    failed = [r for r in rows if r.exit_codes != {0}]
    for r in failed:
        print(f"warning: {r.label} exited with {sorted(r.exit_codes)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
