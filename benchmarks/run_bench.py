"""`octavus run`: time from process start to the first text delta (issue 15).

Starts the emulator once (a child process), syncs ``examples/agents/support-chat``
into it, then alternates, as fresh processes:

- ``octavus run support-chat --message hi -i ... --json`` (stdout a pipe), and
- a minimal ``http.client`` script making the same three requests (agent by slug,
  create session, trigger with ``Accept: text/event-stream``),

timing each from ``Popen`` to the first line on stdout with a ``text-delta``. Both
start a Python interpreter, so the difference is what the CLI adds. Interleaved
rounds on a shared machine; read the **difference of the medians**.

Usage (from the repository root, in the project's virtualenv):

    python benchmarks/run_bench.py                 # 15 rounds
    python benchmarks/run_bench.py --repeat 30 --json

Goal (issue 15): ours - baseline <= 60 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emulator, our_cli

ROOT = Path(__file__).resolve().parent.parent
SUPPORT_CHAT = ROOT / "examples" / "agents" / "support-chat"
SESSION_INPUT = {"COMPANY_NAME": "Acme", "PRODUCT_NAME": "Widget", "PLAN_TIER": "pro"}

BASELINE = r"""
import http.client, json, os, sys
from urllib.parse import urlsplit
url = urlsplit(os.environ["OCTAVUS_API_URL"])
headers = {"Authorization": "Bearer " + os.environ["OCTAVUS_API_KEY"],
           "Content-Type": "application/json"}
conn = http.client.HTTPConnection(url.hostname, url.port)
def call(method, path, body=None, extra=None):
    conn.request(method, path, body=None if body is None else json.dumps(body),
                 headers={**headers, **(extra or {})})
    return conn.getresponse()
agent = json.loads(call("GET", "/api/agents/support-chat?by=slug").read())
session = json.loads(call("POST", "/api/agent-sessions",
                          {"agentId": agent["id"], "input": json.loads(sys.argv[1])}).read())
stream = call("POST", "/api/agent-sessions/%s/trigger" % session["sessionId"],
              {"triggerName": "user-message", "input": {"USER_MESSAGE": "hi"}},
              {"Accept": "text/event-stream"})
for raw in stream:
    line = raw.decode()
    if line.startswith("data:"):
        sys.stdout.write(line[5:].strip() + "\n")
        sys.stdout.flush()
"""


def first_delta(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from start to the first text-delta line on stdout."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if '"text-delta"' in line:
                return time.perf_counter() - start
        raise RuntimeError(f"no text-delta from {argv[:3]} (exit {process.wait()})")
    finally:
        process.stdout.close() if process.stdout else None
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    inputs = [part for name, value in SESSION_INPUT.items() for part in ("-i", f"{name}={value}")]
    with emulator() as env:
        subprocess.run(
            [*our_cli(), "sync", str(SUPPORT_CHAT), "--quiet"], env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        ours = [*our_cli(), "run", "support-chat", "--message", "hi", *inputs, "--json"]
        baseline = [sys.executable, "-c", BASELINE, json.dumps(SESSION_INPUT)]
        first_delta(ours, env)  # warm-up
        first_delta(baseline, env)
        our_times: list[float] = []
        base_times: list[float] = []
        for _ in range(args.repeat):
            our_times.append(first_delta(ours, env))
            base_times.append(first_delta(baseline, env))
    ours_ms = statistics.median(our_times) * 1000
    base_ms = statistics.median(base_times) * 1000
    extra = ours_ms - base_ms
    if args.json:
        print(json.dumps({
            "repeat": args.repeat, "ours_median_ms": ours_ms, "baseline_median_ms": base_ms,
            "extra_ms": extra, "goal_extra_ms": 60,
        }, indent=2))  # fmt: skip
    else:
        print(f"octavus run: first text delta, {args.repeat} interleaved rounds")
        print(f"octavus run --json       {ours_ms:7.1f} ms (median)")
        print(f"http.client script       {base_ms:7.1f} ms (median)")
        print(f"extra                    {extra:7.1f} ms  (goal <= 60 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
