"""`octavus validate` of many agents: one core against every core (issue 15).

Generates N agents (copies of the examples, each with its own slug) and runs
``octavus validate DIR --quiet`` as fresh processes, alternating between a process
pinned to one core (``sched_setaffinity``: the validator then stays serial) and one
free to use every core (a process pool for many agents). Interleaved rounds, so both
see the same machine load; read the **ratio** of the medians.

Usage (from the repository root, in the project's virtualenv; Linux only):

    python benchmarks/bulk_bench.py                  # 1000 agents, 5 rounds
    python benchmarks/bulk_bench.py --agents 500 --repeat 3 --json

Goal (issue 15): all cores / one core <= 0.6 on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import our_cli
from validate_bench import generate_agents


def timed(argv: list[str], cores: set[int] | None) -> tuple[float, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OCTAVUS_", "GITHUB_"))}

    def pin() -> None:
        if cores is not None:
            os.sched_setaffinity(0, cores)

    start = time.perf_counter()
    completed = subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, preexec_fn=pin
    )
    return time.perf_counter() - start, completed.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    every = os.sched_getaffinity(0)
    one = {min(every)}
    with tempfile.TemporaryDirectory(prefix="octavus-bulk-") as tmp:
        agents = generate_agents(Path(tmp) / "agents", args.agents)
        argv = [*our_cli(), "validate", str(agents), "--quiet"]
        timed(argv, None)  # warm-up
        serial: list[float] = []
        pooled: list[float] = []
        codes: set[int] = set()
        for _ in range(args.repeat):
            seconds, code = timed(argv, one)
            serial.append(seconds)
            codes.add(code)
            seconds, code = timed(argv, None)
            pooled.append(seconds)
            codes.add(code)
    ratio = statistics.median(pooled) / statistics.median(serial)
    if args.json:
        print(json.dumps({
            "agents": args.agents, "cores": len(every), "repeat": args.repeat,
            "one_core_median_s": statistics.median(serial),
            "all_cores_median_s": statistics.median(pooled),
            "ratio": ratio, "goal": 0.6, "exit_codes": sorted(codes),
        }, indent=2))  # fmt: skip
    else:
        print(f"octavus validate, {args.agents} agents, {args.repeat} interleaved rounds")
        print(f"one core    {statistics.median(serial):7.2f} s (median)")
        print(f"{len(every)} cores     {statistics.median(pooled):7.2f} s (median)")
        print(f"ratio       {ratio:7.2f}  (goal <= 0.60)   exit codes {sorted(codes)}")
    return 0 if codes == {0} else 1


if __name__ == "__main__":
    raise SystemExit(main())
