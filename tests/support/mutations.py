"""Check that the suite can fail: apply one small mutation at a time and expect red.

Run from the repository root: ``.venv/bin/python -m tests.support.mutations``. Each mutation
changes one fact in ``src/`` (the retry count, the exit-code table, a rule's severity, a
parser limit), runs the tests that should notice, and restores the file whatever happens.
A mutation that leaves its tests green is reported as SURVIVED and the exit code is 1.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "octavus_cli"


@dataclass(frozen=True)
class Mutation:
    name: str
    file: Path
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = (
    Mutation(
        "two retries become one",
        SRC / "platform" / "http.py",
        "max_retries: int = 2",
        "max_retries: int = 1",
        ("tests/platform/test_http.py", "tests/management/test_faults.py"),
    ),
    Mutation(
        "usage errors exit 4 instead of 2",
        SRC / "errors.py",
        "USAGE = 2",
        "USAGE = 4",
        ("tests/test_cli_basics.py", "tests/management/test_config_errors.py"),
    ),
    Mutation(
        "Ctrl-C exits 131 instead of 130",
        SRC / "errors.py",
        "INTERRUPTED = 130",
        "INTERRUPTED = 131",
        ("tests/run/test_reliability.py", "tests/workforce/test_interactive.py"),
    ),
    Mutation(
        "OCT201 (undefined prompt) becomes a warning",
        SRC / "protocol" / "rules" / "prompts.py",
        '"undefined-prompt",\n    Severity.ERROR,',
        '"undefined-prompt",\n    Severity.WARNING,',
        ("tests/protocol/test_rule_examples.py",),
    ),
    Mutation(
        "YAML nesting limit 100 becomes 1000",
        SRC / "protocol" / "yaml_source.py",
        "MAX_DEPTH = 100",
        "MAX_DEPTH = 1000",
        ("tests/test_yaml_source.py",),
    ),
)


def first_failure(output: str) -> str:
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" - ")[0]
    return "(no FAILED line)"


def run(mutation: Mutation) -> bool:
    """Apply ``mutation``, run its tests, restore; True when a test went red."""
    original = mutation.file.read_text("utf-8")
    if original.count(mutation.old) != 1:
        raise SystemExit(f"{mutation.name}: {mutation.old!r} is not in {mutation.file} once")
    try:
        mutation.file.write_text(original.replace(mutation.old, mutation.new), "utf-8")
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutation.tests],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        mutation.file.write_text(original, "utf-8")
    killed = completed.returncode != 0
    verdict = f"killed by {first_failure(completed.stdout)}" if killed else "SURVIVED"
    print(f"{mutation.name}: {verdict}")
    return killed


def main() -> int:
    results = [run(mutation) for mutation in MUTATIONS]
    print(f"{sum(results)} of {len(results)} mutations made a test fail")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
