"""The parts of `octavus validate`'s start-up and of `run --json`'s event loop, timed
one by one in fresh interpreters (issue 15), so a change to one of them can be measured
on its own.

Each part runs in its own child process (``python -c``), which imports what the part
needs first and then times only the part, best of N repeats inside the child; the
parent takes the median over the children. Run it with another tree's ``src`` first on
``PYTHONPATH`` to measure that tree's code the same way (a part the other code does not
have prints ``-``).

    python benchmarks/startup_parts.py
    PYTHONPATH=/tmp/old/src python benchmarks/startup_parts.py --children 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from _common import EXAMPLES, ROOT, clean_env

PRELUDE = """
import gc, json, sys, time
gc.disable()
def best(action, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) * 1000
"""

# name -> (what is measured, setup, the action timed, repeats inside one child)
PARTS: dict[str, tuple[str, str, str, int]] = {
    "record class": (
        "building one class of 5 fields with octavus_cli.records.record",
        "from octavus_cli.records import record, field\n"
        "SRC = 'class C:\\n a: int\\n b: str\\n c: list = field(default_factory=list)\\n"
        " d: int = 0\\n e: bool = False\\n'\n"
        "def make():\n    ns = {'field': field}\n    exec(SRC, ns)\n    record(ns['C'])\n",
        "make()",
        300,
    ),
    "dataclass class": (
        "the same class with dataclasses.dataclass(unsafe_hash=True)",
        "from dataclasses import dataclass, field\n"
        "SRC = 'class C:\\n a: int\\n b: str\\n c: list = field(default_factory=list)\\n"
        " d: int = 0\\n e: bool = False\\n'\n"
        "def make():\n    ns = {'field': field}\n    exec(SRC, ns)\n"
        "    dataclass(unsafe_hash=True)(ns['C'])\n",
        "make()",
        300,
    ),
    "top-level help app": (
        "building the app `octavus --help` shows (command_pick.app_for), imports included",
        "import typer\nfrom octavus_cli.command_pick import app_for\n",
        "app_for(['--help'])",
        1,
    ),
    "validate command": (
        "typer building validate's click command (get_command), the module imported",
        "import typer\nfrom typer.main import get_command\n"
        "from octavus_cli.command_pick import app_for\n"
        "APP = app_for(['validate', 'x'])\n",
        "get_command(APP)",
        1,
    ),
    "schema check": (
        "the yes/no schema check of support-chat's protocol.yaml (schema_check.conforms)",
        "import json, pathlib\nfrom octavus_cli.protocol.schema_check import conforms\n"
        "from octavus_cli.protocol.yaml_source import load_yaml\n"
        f"TEXT = pathlib.Path({str(EXAMPLES / 'support-chat' / 'protocol.yaml')!r}).read_text()\n"
        "DATA = load_yaml(TEXT).data\n"
        "SCHEMA = json.loads(pathlib.Path("
        f"{str(ROOT / 'src/octavus_cli/protocol/schema/protocol.schema.json')!r}).read_text())\n",
        "conforms(DATA, SCHEMA)",
        50,
    ),
    "yaml load": (
        "support-chat's protocol.yaml read with positions (yaml_source.load_yaml)",
        "import pathlib\nfrom octavus_cli.protocol.yaml_source import load_yaml\n"
        f"TEXT = pathlib.Path({str(EXAMPLES / 'support-chat' / 'protocol.yaml')!r}).read_text()\n"
        "load_yaml(TEXT)\n",
        "load_yaml(TEXT)",
        50,
    ),
    "event decode x1000": (
        "1000 text-delta events parsed from their SSE lines (platform.sse.SseDecoder)",
        "from octavus_cli.platform.sse import SseDecoder\n"
        'LINES = [\'data: {"type":"text-delta","id":"t","delta":"The"}\', \'\'] * 1000\n',
        "list(SseDecoder().events(LINES))",
        20,
    ),
}


# What `run` must import before its first request, against what a minimal http.client
# script imports: each a fresh `python -c`, wall time, the bare interpreter subtracted.
IMPORTS = {
    "typer": "import typer",
    "httpx": "import httpx",
    "http.client, json": "import http.client, json",
}


def import_costs(children: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall ms of ``python -c IMPORT`` minus that of ``python -c pass``, interleaved."""
    codes = {"pass": "pass", **IMPORTS}
    samples: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(children * 2):
        for name, code in codes.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
            samples[name].append((time.perf_counter() - start) * 1000)
    bare = statistics.median(samples["pass"])
    return {name: statistics.median(samples[name]) - bare for name in IMPORTS}


def run_part(name: str, env: dict[str, str]) -> float | None:
    _what, setup, action, repeat = PARTS[name]
    code = PRELUDE + setup + f"\nprint(json.dumps(best(lambda: {action}, {repeat})))\n"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if done.returncode != 0:
        return None  # the code under test does not have this part
    value: float = json.loads(done.stdout.strip().splitlines()[-1])
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=7, help="fresh interpreters per part")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    env = clean_env()
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    results: dict[str, float | None] = {}
    started = time.perf_counter()
    for name in PARTS:
        samples = [run_part(name, env) for _ in range(args.children)]
        good = [s for s in samples if s is not None]
        results[name] = statistics.median(good) if good else None
    imports = import_costs(args.children, env)
    if args.json:
        print(json.dumps({"ms": results, "imports_ms": imports, "children": args.children}))
        return 0
    print(f"start-up parts, median of {args.children} fresh interpreters each (ms)")
    for name, value in results.items():
        shown = "-" if value is None else f"{value:8.3f}"
        print(f"{name:22} {shown:>9}   {PARTS[name][0]}")
    print("imports over a bare interpreter (ms, wall, fresh processes)")
    for name, value in imports.items():
        print(f"{name:22} {value:9.1f}   python -c 'import {name}'")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
