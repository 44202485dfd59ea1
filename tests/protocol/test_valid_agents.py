"""Every example agent and every complete protocol from the docs validates with no errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.protocol.validate import validate_path
from tests.protocol.helpers import EXAMPLES, FIXTURES, no_internal_errors

AGENT_ROOTS = [EXAMPLES, FIXTURES / "agents", FIXTURES / "docs"]
VALID_AGENTS = sorted(
    folder
    for root in AGENT_ROOTS
    for folder in root.iterdir()
    if (folder / "settings.json").is_file()
)

# The only findings expected: deprecation warnings, which these agents exist to show.
EXPECTED_WARNINGS = {
    "resources-legacy": ["OCT801", "OCT802"],
    "07-agent-config--full-example": ["OCT801"],
}


def test_the_agents_are_all_found() -> None:
    names = {folder.name for folder in VALID_AGENTS}
    assert {"minimal-chat", "research-worker", "support-chat"} <= names
    assert {
        "07-agent-config--full-example",
        "08-provider-options--full-example",
        "11-workers--advanced-example",
        "11-workers--protocol-structure",
        "11-workers--simple-example",
        "13-mcp-servers--full-example",
        "resources-legacy",
    } <= names
    assert len(VALID_AGENTS) >= 10


@pytest.mark.parametrize("folder", VALID_AGENTS, ids=lambda p: p.name)
def test_agent_validates_without_errors(folder: Path) -> None:
    result = validate_path(folder)
    no_internal_errors(result.diagnostics)
    assert result.errors == [], [(d.code, d.file, d.line, d.message) for d in result.errors]
    assert [d.code for d in result.warnings] == EXPECTED_WARNINGS.get(folder.name, [])
    assert result.valid()


def test_docs_fixtures_are_complete_protocols() -> None:
    """The docs' full examples are copied verbatim: they keep their comments."""
    text = (FIXTURES / "docs" / "07-agent-config--full-example" / "protocol.yaml").read_text()
    assert "# Anthropic-specific options" in text


def test_every_feature_at_once_gives_no_findings() -> None:
    """A fixture using nearly everything the protocol docs describe: no false positives."""
    result = validate_path(FIXTURES / "rules" / "kitchen-sink")
    assert result.diagnostics == [], [(d.code, d.line, d.message) for d in result.diagnostics]
