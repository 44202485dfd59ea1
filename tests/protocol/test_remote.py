"""The platform's validate answer, turned into diagnostics marked as from the platform."""

from __future__ import annotations

import pytest

from octavus_cli.protocol.diagnostics import Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from octavus_cli.protocol.folder import AgentDefinition, AgentSettings
from octavus_cli.protocol.remote import parse_path, platform_diagnostics

DEFINITION = AgentDefinition(
    AgentSettings("my-agent", "My agent", "interactive"),
    BASE_INTERACTIVE,
    settings_text='{\n  "slug": "my-agent",\n  "name": "My agent",\n  "format": "interactive"\n}',
)


def test_parse_path() -> None:
    assert parse_path("agent.tools[1]") == ("agent", "tools", 1)
    assert parse_path("handlers.user-message.Respond.block") == (
        "handlers",
        "user-message",
        "Respond",
        "block",
    )


def test_items_become_platform_diagnostics() -> None:
    response = {
        "valid": False,
        "errors": [{"message": "bad model", "path": "agent.model", "severity": "error"}],
        "warnings": [
            {"message": "deprecated", "severity": "warning"},
            {"message": "name", "path": "settings.name"},
            "a bare string",
        ],
    }
    found = platform_diagnostics(DEFINITION, response)
    assert [(d.severity, d.file, d.line, d.column, d.path) for d in found] == [
        (Severity.ERROR, "protocol.yaml", 7, 10, "agent.model"),
        (Severity.WARNING, "protocol.yaml", 1, 1, None),
        (Severity.WARNING, "settings.json", 3, 11, "settings.name"),
        (Severity.WARNING, "protocol.yaml", 1, 1, None),
    ]
    assert {d.code for d in found} == {"OCT900"}
    assert {d.source for d in found} == {"platform"}
    assert found[3].message == "a bare string"
    assert found[0].to_json()["source"] == "platform"


def test_positions_sent_by_the_emulator_win() -> None:
    item = {
        "message": "m",
        "severity": "error",
        "file": "prompts/system.md",
        "line": 3,
        "column": 2,
    }
    (diag,) = platform_diagnostics(DEFINITION, {"valid": False, "errors": [item]})
    assert (diag.file, diag.line, diag.column) == ("prompts/system.md", 3, 2)


@pytest.mark.parametrize("response", [{"valid": False}, {"valid": False, "errors": "x"}])
def test_invalid_without_items_is_still_an_error(response: dict[str, object]) -> None:
    (diag,) = platform_diagnostics(DEFINITION, response)
    assert diag.is_error
    assert "without saying why" in diag.message


def test_valid_answer_has_no_findings() -> None:
    assert platform_diagnostics(DEFINITION, {"valid": True, "errors": [], "warnings": []}) == []
