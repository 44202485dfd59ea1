"""`octavus validate` prints exactly what it printed before the speed work (issue 15).

Every rule example (failing and fixed) and every example agent, in every output mode,
compared byte for byte with ``tests/fixtures/validate_output.json`` (generated from the
code before the start-up work; see ``tests/support/output_cases.py``). In-process for
the many small cases; as a real process for the example agents and the bulk call, where
the process itself (lazy imports, the fast exit) is what could change the bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.output_cases import (
    EXAMPLE_AGENTS,
    MODES,
    Outcome,
    case_args,
    load_expectations,
    normalise,
    run_in_process,
    scratch_tree,
)

EXPECTED = load_expectations()
CASES = case_args()
IN_PROCESS = sorted(case for case in CASES if not case.startswith("all/"))
# As a process: one example agent in every mode (the one-agent path: lazy imports, the
# fast exit), and the bulk call (148 agents on the process pool, about a second each,
# marked slow). Every example agent is also compared in-process above.
PROCESS_AGENT = "support-chat"
assert PROCESS_AGENT in EXAMPLE_AGENTS
AS_PROCESS = [f"{PROCESS_AGENT}/{mode}" for mode in MODES] + [
    pytest.param(f"all/{mode}", marks=pytest.mark.slow) for mode in MODES
]


@pytest.fixture(scope="module")
def tree(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[Path]:
    with scratch_tree() as root:
        yield root


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        for variable in ("NO_COLOR", "COLUMNS", "FORCE_COLOR", "GITHUB_ACTIONS"):
            patch.delenv(variable, raising=False)
        yield patch


def test_every_case_has_an_expectation() -> None:
    assert sorted(CASES) == sorted(EXPECTED)


@pytest.mark.parametrize("case", IN_PROCESS)
def test_same_output_in_process(case: str, tree: Path) -> None:
    outcome = run_in_process(CASES[case], tree)
    assert outcome.as_json() == EXPECTED[case]


@pytest.mark.parametrize("case", AS_PROCESS)
def test_same_output_as_a_process(case: str, tree: Path) -> None:
    result = run_cli(*CASES[case], cwd=tree, process=True)
    outcome = Outcome(result.code, normalise(result.stdout, tree), normalise(result.stderr, tree))
    assert outcome.as_json() == EXPECTED[case]
