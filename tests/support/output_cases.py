"""Stored `octavus validate` output for every rule example and example agent.

The speed work (issue 15) must not change a byte of what ``validate`` prints. These
cases are run against the stored expectations in ``tests/speed/test_output_stable.py``;
the expectations were generated from the code before the speed work with::

    python -m tests.support.output_cases > tests/fixtures/validate_output.json

Each case is a folder layout (rule examples, failing and fixed, and the bundled example
agents) and a mode; the paths in the output are relative to a scratch working folder.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from octavus_cli.protocol.examples import write_example
from octavus_cli.protocol.registry import all_rules

REPO = Path(__file__).resolve().parents[2]
EXPECTATIONS = REPO / "tests" / "fixtures" / "validate_output.json"
EXAMPLE_AGENTS = ("minimal-chat", "research-worker", "support-chat")
TMP_MARK = "<tmp>"

# Every output mode of validate, as flags.
MODES: dict[str, tuple[str, ...]] = {
    "human": (),
    "json": ("--json",),
    "github": ("--format", "github"),
    "quiet": ("--quiet",),
    "strict-human": ("--strict",),
}


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "stdout": self.stdout, "stderr": self.stderr}


def rule_folders() -> list[tuple[str, bool]]:
    """(rule code, fixed) for every rule with an example, in registry order."""
    return [
        (rule.code, fixed)
        for rule in all_rules()
        if rule.example is not None
        for fixed in (False, True)
    ]


def folder_name(code: str, fixed: bool) -> str:
    return f"rules/{code.lower()}{'-fixed' if fixed else ''}/my-agent"


def write_tree(root: Path) -> None:
    """Every rule example folder (failing and fixed) and the example agents under ``root``."""
    for rule in all_rules():
        if rule.example is None:
            continue
        for fixed in (False, True):
            write_example(rule.example, root / folder_name(rule.code, fixed), fixed=fixed)
    for name in EXAMPLE_AGENTS:
        shutil.copytree(REPO / "examples" / "agents" / name, root / "agents" / name)


@contextlib.contextmanager
def scratch_tree() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="octavus-out-") as tmp:
        root = Path(tmp).resolve()
        write_tree(root)
        yield root


def normalise(text: str, root: Path) -> str:
    return text.replace(str(root), TMP_MARK)


def case_args() -> dict[str, list[str]]:
    """Case id -> arguments after ``octavus``, paths relative to the scratch root."""
    cases: dict[str, list[str]] = {}
    for mode, flags in MODES.items():
        for code, fixed in rule_folders():
            case = f"{code}{'-fixed' if fixed else ''}/{mode}"
            cases[case] = ["validate", *flags, folder_name(code, fixed)]
        for name in EXAMPLE_AGENTS:
            cases[f"{name}/{mode}"] = ["validate", *flags, f"agents/{name}"]
        cases[f"all/{mode}"] = ["validate", *flags, "rules", "agents"]
    return cases


def run_in_process(args: list[str], root: Path) -> Outcome:
    """``octavus ARGS`` in this process, in ``root``, stdout/stderr captured."""
    from octavus_cli.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    saved = os.getcwd()
    os.chdir(root)
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(args)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(saved)
    return Outcome(code, normalise(out.getvalue(), root), normalise(err.getvalue(), root))


def generate() -> dict[str, dict[str, object]]:
    with scratch_tree() as root:
        return {case: run_in_process(args, root).as_json() for case, args in case_args().items()}


def load_expectations() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads(EXPECTATIONS.read_text(encoding="utf-8"))
    return data


if __name__ == "__main__":
    for variable in [k for k in os.environ if k.startswith(("OCTAVUS_", "GITHUB_"))]:
        del os.environ[variable]
    for variable in ("NO_COLOR", "COLUMNS", "FORCE_COLOR"):
        os.environ.pop(variable, None)
    sys.stdout.write(json.dumps(generate(), indent=1, ensure_ascii=False, sort_keys=True) + "\n")
