"""A new output format is one emitter class and one registration (issue 11, acceptance 3).

The stub below lives only in this test: registering it makes ``validate --format
tally`` use it, with no change to any command or other module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from octavus_cli.output.emitter import Emitter
from octavus_cli.output.registry import emitter_class, format_choices, register, unregister
from octavus_cli.output.results import ValidationReport
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from tests.protocol.helpers import EXAMPLES, write_agent
from tests.support.cli import run_cli

pytestmark = pytest.mark.skipif(
    os.environ.get("OCTAVUS_TEST_SUBPROCESS") == "1",
    reason="the stub is registered in this process",
)


class TallyEmitter(Emitter):
    """One line per checked folder: its name and how many errors and warnings it has."""

    def validation(self, report: ValidationReport) -> None:
        for result in report.checked:
            line = f"{result.name} errors={len(result.errors)} warnings={len(result.warnings)}"
            self.reporter.stdout.write(line + "\n")


@pytest.fixture
def tally() -> Iterator[str]:
    register("tally", TallyEmitter)
    try:
        yield "tally"
    finally:
        unregister("tally")


def test_a_registered_emitter_is_used_by_validate(tally: str, tmp_path: Path) -> None:
    protocol = BASE_INTERACTIVE.replace("  system: system\n", "  system: sytem\n  maxStep: 3\n")
    broken = write_agent(tmp_path / "broken", {"protocol.yaml": protocol})
    result = run_cli("validate", str(EXAMPLES / "support-chat"), str(broken), "--format", tally)
    assert result.code == 1, result
    assert result.stdout.splitlines() == [
        "support-chat errors=0 warnings=0",
        "my-agent errors=1 warnings=1",
    ]
    assert result.stderr == ""


def test_the_registered_format_is_offered_and_then_gone(tally: str) -> None:
    assert tally in format_choices()
    unregister(tally)
    assert tally not in format_choices()
    result = run_cli("validate", ".", "--format", tally)
    assert result.code == 2
    assert "'tally' is not one of 'human', 'json', 'github', 'sarif'." in result.stderr


def test_json_and_another_format_disagree(tally: str) -> None:
    result = run_cli("validate", str(EXAMPLES / "support-chat"), "--format", tally, "--json")
    assert result.code == 2, result
    assert result.json()["error"] == "--json and --format tally disagree; give one of them"


def test_a_format_says_what_it_cannot_show() -> None:
    """An emitter without a method for a result is a usage error that names the format."""
    register("bare", Emitter)
    try:
        result = run_cli("validate", str(EXAMPLES / "support-chat"), "--format", "bare")
    finally:
        unregister("bare")
    assert result.code == 2, result
    assert result.stdout == ""
    assert "--format bare cannot show this command's result (ValidationReport)" in result.stderr


@pytest.mark.parametrize("name", ["human", "json", "json-lines", "quiet", "github", "sarif"])
def test_every_built_in_format_has_its_emitter(name: str) -> None:
    emitter = emitter_class(name)
    assert issubclass(emitter, Emitter)
    assert emitter is not Emitter
    assert emitter.__module__ == f"octavus_cli.output.{ {'json-lines': 'jsonl'}.get(name, name) }"


def test_only_the_formats_without_a_flag_of_their_own_are_offered_by_format() -> None:
    assert [n for n in format_choices() if n != "tally"] == ["human", "json", "github", "sarif"]
