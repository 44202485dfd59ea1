"""Generated hostile agent folders, and `validate` timed and measured on each.

Run: ``.venv/bin/python benchmarks/hostile_inputs.py`` (``--quick`` for smaller
inputs, ``--only TEXT`` for the cases whose name contains TEXT). Each case is
validated in a fresh child process (so memory is that of one validation), and the
table shows wall time and peak RSS; the run exits 1 when a case takes 2 s or more
or 200 MB or more (issue 14, acceptance 3).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "examples" / "agents" / "minimal-chat"
LIMIT_SECONDS = 2.0
LIMIT_MB = 200.0


def _agent(dest: Path) -> Path:
    shutil.copytree(BASE, dest)
    return dest


def deep_settings(dest: Path, depth: int) -> None:
    folder = _agent(dest)
    text = json.dumps({"slug": "deep", "name": "Deep", "format": "interactive"})
    nested = "[" * depth + "]" * depth
    (folder / "settings.json").write_text(text[:-1] + f', "x": {nested}}}', "utf-8")


def include_chain(dest: Path, length: int) -> None:
    folder = _agent(dest)
    prompts = folder / "prompts"
    (prompts / "system.md").write_text("Start {{@p0.md}}\n", "utf-8")
    for index in range(length):
        tail = f"{{{{@p{index + 1}.md}}}}" if index + 1 < length else "end"
        (prompts / f"p{index}.md").write_text(f"Part {index} {tail}\n", "utf-8")


def many_findings(dest: Path, count: int) -> None:
    folder = _agent(dest)
    lines = [
        f"Line {i} uses {{{{UNDECLARED_{i}}}}} and {{{{#if NOPE_{i}}}}}x{{{{/if}}}}"
        for i in range(count)
    ]
    (folder / "prompts" / "system.md").write_text("\n".join(lines) + "\n", "utf-8")


def deep_yaml(dest: Path, depth: int) -> None:
    folder = _agent(dest)
    text = (folder / "protocol.yaml").read_text("utf-8")
    (folder / "protocol.yaml").write_text(text + "extra: " + "[" * depth + "]" * depth + "\n")


def many_prompts(dest: Path, count: int) -> None:
    folder = _agent(dest)
    for index in range(count):
        (folder / "prompts" / f"unused-{index}.md").write_text(
            f"Prompt {index} {{{{#if FLAG_{index}}}}}yes{{{{/if}}}}\n", "utf-8"
        )


CASES: dict[str, tuple[Callable[[Path, int], None], int, int]] = {
    # name: (generator, size, quick size)
    "settings.json nested 100k deep": (deep_settings, 100_000, 2_000),
    "include chain 10k deep": (include_chain, 10_000, 1_000),
    "60k findings in a 1.9 MB prompt": (many_findings, 30_000, 3_000),
    "protocol.yaml nested 100k deep": (deep_yaml, 100_000, 2_000),
    "5k unused prompts": (many_prompts, 5_000, 500),
}

CHILD = """
import resource, sys, time
started = time.perf_counter()
from octavus_cli.__main__ import main
try:
    main(["validate", sys.argv[1], *sys.argv[2:]])
except SystemExit:
    pass
elapsed = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write(f"BENCH {elapsed:.3f} {peak_kb / 1024:.1f}\\n")
"""


def measure(folder: Path, *options: str) -> tuple[float, float]:
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    line = next((x for x in completed.stderr.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"validate crashed on {folder}:\n{completed.stderr[-2000:]}")
    _, seconds, megabytes = line.split()
    return float(seconds), float(megabytes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs")
    parser.add_argument("--only", metavar="TEXT", default="", help="cases whose name has TEXT")
    args = parser.parse_args()
    failed = False
    print(f"{'case':40} {'output':>6} {'seconds':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, (make, size, quick)) in enumerate(CASES.items()):
            if args.only not in name:
                continue
            folder = Path(tmp) / f"case{index}"
            make(folder, quick if args.quick else size)
            for output, options in (("human", ()), ("json", ("--json",))):
                seconds, megabytes = measure(folder, *options)
                over = seconds >= LIMIT_SECONDS or megabytes >= LIMIT_MB
                failed = failed or over
                flag = "  OVER" if over else ""
                print(f"{name:40} {output:>6} {seconds:8.2f} {megabytes:8.1f}{flag}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
