"""Definition and completion on the support-chat example, in process (the server's logic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from octavus_cli.lsp.analysis import Analysis, analyze
from octavus_cli.lsp.navigation import completions, definition
from octavus_cli.lsp.server import hover_text
from tests.protocol.helpers import EXAMPLES

ROOT = (EXAMPLES / "support-chat").resolve()


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyze(ROOT, {})


def position(analysis: Analysis, file: str, needle: str, offset: int = 0) -> tuple[int, int]:
    for number, line in enumerate(analysis.texts[file].splitlines()):
        if needle in line:
            return number, line.index(needle) + offset
    raise AssertionError(f"{needle!r} not in {file}")


def labels(analysis: Analysis, file: str, line: int, character: int) -> list[str]:
    return [c.label for c in completions(analysis, file, line, character)]


def test_the_example_is_clean(analysis: Analysis) -> None:
    assert analysis.result.diagnostics == []


def test_include_goes_to_the_prompt_file(analysis: Analysis) -> None:
    line, char = position(analysis, "prompts/system.md", "{{@shared/tone.md}}", 5)
    target = definition(analysis, "prompts/system.md", line, char)
    assert target is not None
    assert target.file == "prompts/shared/tone.md"
    assert (ROOT / target.file).is_file()


def test_variable_in_a_prompt_goes_to_its_declaration(analysis: Analysis) -> None:
    line, char = position(analysis, "prompts/system.md", "{{COMPANY_NAME}}", 4)
    target = definition(analysis, "prompts/system.md", line, char)
    assert target is not None
    assert target.file == "protocol.yaml"
    declared = analysis.texts["protocol.yaml"].splitlines()[target.line]
    assert declared.strip().startswith("COMPANY_NAME:")


def test_handler_name_goes_to_its_trigger(analysis: Analysis) -> None:
    line, _ = position(analysis, "protocol.yaml", "handlers:")
    target = definition(analysis, "protocol.yaml", line + 1, 4)  # "  user-message:"
    assert target is not None
    assert target.line == position(analysis, "protocol.yaml", "  user-message:")[0]


def test_tool_call_tool_goes_to_the_tool(analysis: Analysis) -> None:
    line, char = position(analysis, "protocol.yaml", "tool: list-open-incidents", 8)
    target = definition(analysis, "protocol.yaml", line, char)
    assert target is not None
    assert target.line == position(analysis, "protocol.yaml", "  list-open-incidents:")[0]


def test_reference_name_goes_to_its_file(analysis: Analysis) -> None:
    line, char = position(analysis, "protocol.yaml", "references: [refund-policy]", 15)
    target = definition(analysis, "protocol.yaml", line, char)
    assert target is not None
    assert target.file == "references/refund-policy.md"


def test_completion_of_tools_display_models_and_includes(analysis: Analysis) -> None:
    line, char = position(analysis, "protocol.yaml", "tool: list-open-incidents", 6)
    assert "create-support-ticket" in labels(analysis, "protocol.yaml", line, char)
    line, char = position(analysis, "protocol.yaml", "display: hidden", 9)
    assert labels(analysis, "protocol.yaml", line, char) == [
        "hidden",
        "name",
        "description",
        "stream",
        "title",
    ]
    line, char = position(analysis, "protocol.yaml", "model: anthropic/", 7)
    assert "anthropic/claude-sonnet-4-5" in labels(analysis, "protocol.yaml", line, char)
    line, char = position(analysis, "prompts/system.md", "{{@shared/tone.md}}", 3)
    assert "shared/tone.md" in labels(analysis, "prompts/system.md", line, char)


def test_completion_of_tools_in_a_block_list(analysis: Analysis) -> None:
    line, char = position(analysis, "protocol.yaml", "    - get-user-account", 6)
    found = labels(analysis, "protocol.yaml", line, char)
    assert "search-help-center" in found
    assert "set-chat-title" in found


def test_variables_in_scope_include_the_trigger_inputs(analysis: Analysis) -> None:
    line, char = position(analysis, "protocol.yaml", "input: [USER_MESSAGE]", 8)
    found = labels(analysis, "protocol.yaml", line, char)
    assert "USER_MESSAGE" in found  # the user-message trigger's input
    assert "COMPANY_NAME" in found  # a protocol input


def test_trigger_names_under_handlers(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "support-chat"
    shutil.copytree(ROOT, folder)
    protocol = folder / "protocol.yaml"
    text = protocol.read_text()
    start = text.index("  submit-feedback:\n    ", text.index("handlers:"))
    text = text[:start] + "  \n"  # the submit-feedback handler is not written yet
    analysis = analyze(folder.resolve(), {str(protocol.resolve()): text})
    last = len(text.splitlines()) - 1
    assert labels(analysis, "protocol.yaml", last, 2) == ["submit-feedback"]


def test_hover_on_a_key(analysis: Analysis) -> None:
    line, char = position(analysis, "protocol.yaml", "agentic: true", 2)
    text = hover_text(analysis, "protocol.yaml", line, char)
    assert text is not None
    assert text == "**agent.agentic**: A boolean."
    line, char = position(analysis, "protocol.yaml", "backupModel:", 2)
    text = hover_text(analysis, "protocol.yaml", line, char)
    assert text is not None
    assert "provider/model-id" in text


def test_settings_hover_and_format_completion(analysis: Analysis) -> None:
    line, char = position(analysis, "settings.json", '"format"', 2)
    text = hover_text(analysis, "settings.json", line, char)
    assert text is not None
    assert text.startswith("**format**: interactive (chat")
    line, char = position(analysis, "settings.json", '"format": ', len('"format": "'))
    assert labels(analysis, "settings.json", line, char) == ["interactive", "worker"]


def test_model_completion_offers_every_provider(analysis: Analysis) -> None:
    line, char = position(analysis, "protocol.yaml", "model: anthropic/", 7)
    found = labels(analysis, "protocol.yaml", line, char)
    assert "openrouter/" in found
    assert "vercel/" in found
