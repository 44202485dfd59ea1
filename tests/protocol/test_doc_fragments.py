"""The docs' incomplete protocols: exactly their documented gaps are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.protocol.validate import validate_path
from tests.protocol.helpers import FIXTURES, no_internal_errors

FRAGMENTS = FIXTURES / "rules" / "docs-fragments"

EXPECTED: dict[str, list[tuple[str, int, int]]] = {
    # request-human is declared but has no handler; resources are deprecated and
    # CONVERSATION_SUMMARY has no type.
    "01-overview--interactive-protocol-structure": [
        ("OCT801", 7, 1),
        ("OCT115", 8, 3),
        ("OCT402", 17, 3),
    ],
    # handlers but no triggers.
    "05-skills--example-qr-code-generation": [
        ("OCT118", 1, 1),
        ("OCT401", 13, 3),
        ("OCT403", 18, 15),
    ],
    # only handlers:, using names it never declares.
    "06-handlers--complete-example": [
        ("OCT117", 1, 1),
        ("OCT118", 1, 1),
        ("OCT401", 2, 3),
        ("OCT403", 8, 15),
        ("OCT401", 16, 3),
        ("OCT406", 21, 15),
        ("OCT403", 30, 15),
        ("OCT406", 48, 15),
        ("OCT802", 52, 14),
        ("OCT408", 53, 17),
        ("OCT301", 59, 13),
        ("OCT406", 63, 15),
    ],
    # the user-message trigger has no handler.
    "10-types--complete-example": [("OCT402", 60, 3)],
    # no triggers, an undefined tool, no reference files.
    "12-references--example": [
        ("OCT118", 1, 1),
        ("OCT301", 4, 11),
        ("OCT304", 5, 16),
        ("OCT304", 5, 34),
        ("OCT401", 9, 3),
        ("OCT403", 14, 15),
    ],
    # no triggers or handlers.
    "13-mcp-servers--cloud-only-agent": [("OCT118", 1, 1)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fragment_findings(name: str) -> None:
    result = validate_path(FRAGMENTS / name)
    no_internal_errors(result.diagnostics)
    found = [(d.code, d.line, d.column) for d in result.diagnostics]
    assert found == EXPECTED[name]
    assert {d.file for d in result.diagnostics} == {"protocol.yaml"}


def test_every_fragment_is_listed() -> None:
    folders = {p.name for p in Path(FRAGMENTS).iterdir() if p.is_dir()}
    assert folders == set(EXPECTED)
