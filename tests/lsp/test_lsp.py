"""`octavus lsp` over stdio: the findings of `validate --json`, hover, definition, completion."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.client import DEADLINE, Editor
from tests.protocol.helpers import EXAMPLES
from tests.support.cli import run_cli


@pytest.fixture
def agent(tmp_path: Path) -> Path:
    folder = tmp_path / "support-chat"
    shutil.copytree(EXAMPLES / "support-chat", folder)
    return folder


def drive(root: Path, scenario: Callable[[Editor], Awaitable[None]]) -> None:
    async def main() -> None:
        editor = Editor()
        await editor.start(root)
        try:
            await scenario(editor)
        finally:
            await editor.stop()

    asyncio.run(asyncio.wait_for(main(), 4 * DEADLINE))


def line_of(text: str, needle: str) -> tuple[int, int]:
    """0-based line and character of the first ``needle``."""
    for number, line in enumerate(text.splitlines()):
        if needle in line:
            return number, line.index(needle)
    raise AssertionError(f"{needle!r} not in the text")


def _triples(items: list[types.Diagnostic]) -> list[tuple[str, int, int, str]]:
    return sorted(
        (
            str(d.code),
            d.range.start.line + 1,
            d.range.start.character + 1,
            "error" if d.severity == types.DiagnosticSeverity.Error else "warning",
        )
        for d in items
    )


def test_diagnostics_equal_validate_json_and_a_fix_clears_them(agent: Path) -> None:
    protocol = agent / "protocol.yaml"
    good = protocol.read_text()
    broken = good.replace("  system: system\n", "  system: sytem\n  colour: blue\n", 1)
    protocol.write_text(broken)
    report = run_cli("validate", str(agent), "--json").json()
    expected = sorted(
        (d["code"], d["line"], d["column"], d["severity"])
        for d in report["errors"] + report["warnings"]
        if d["file"] == "protocol.yaml"
    )
    assert {code for code, *_ in expected} == {"OCT201", "OCT114"}

    async def scenario(editor: Editor) -> None:
        uri = editor.open(protocol)
        found = await editor.diagnostics_for(uri)
        assert _triples(found) == expected
        oct201 = next(d for d in found if d.code == "OCT201")
        assert oct201.source == "octavus"
        assert oct201.related_information is not None
        related = oct201.related_information[0].message
        assert related.startswith("OCT201 undefined-prompt: ")
        assert "octavus rules OCT201" in related
        # Unknown keys are warnings in the editor too, as in validate.
        oct114 = next(d for d in found if d.code == "OCT114")
        assert oct114.severity == types.DiagnosticSeverity.Warning

        editor.change(uri, good)
        assert await editor.diagnostics_for(uri) == []

    drive(agent, scenario)


def test_a_prompt_change_rechecks_the_agent(agent: Path) -> None:
    prompt = agent / "prompts" / "user-message.md"
    protocol_uri = (agent / "protocol.yaml").as_uri()

    async def scenario(editor: Editor) -> None:
        uri = editor.open(prompt, "markdown")
        # Nothing to report for a valid agent: no diagnostics are published yet.
        editor.change(uri, prompt.read_text() + "\n{{@missing.md}}\n")
        found = await editor.diagnostics_for(uri)
        assert [d.code for d in found] == ["OCT202"]
        editor.change(uri, prompt.read_text())
        assert await editor.diagnostics_for(uri) == []
        assert protocol_uri not in editor.latest

    drive(agent, scenario)


def test_hover_definition_completion_and_code_action(agent: Path) -> None:
    protocol = agent / "protocol.yaml"
    text = protocol.read_text().replace("  system: system\n", "  system: sytem\n", 1)
    protocol.write_text(text)
    system_md = (agent / "prompts" / "system.md").as_uri()

    async def scenario(editor: Editor) -> None:
        uri = editor.open(protocol)
        found = await editor.diagnostics_for(uri)
        oct201 = next(d for d in found if d.code == "OCT201")
        client = editor.client

        # Hover on a key: its schema description.
        line, char = line_of(text, "backupModel:")
        hover = await client.text_document_hover_async(
            types.HoverParams(**editor.where(uri, line, char + 2))
        )
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        assert "agent.backupModel" in hover.contents.value
        # Hover on a finding: the rule's summary and hint.
        line, char = line_of(text, "system: sytem")
        hover = await client.text_document_hover_async(
            types.HoverParams(**editor.where(uri, line, char + 9))
        )
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        assert "OCT201 undefined-prompt" in hover.contents.value
        assert 'Did you mean "system"?' in hover.contents.value

        # Definition: a tool name in agent.tools -> its declaration under tools:.
        line, char = line_of(text, "    - check-order-status")
        location = await client.text_document_definition_async(
            types.DefinitionParams(**editor.where(uri, line, char + 6))
        )
        assert isinstance(location, types.Location)
        assert location.uri == uri
        assert location.range.start.line == line_of(text, "  check-order-status:")[0]
        # A prompt name -> its file.
        line, char = line_of(text, "      prompt: user-message")
        location = await client.text_document_definition_async(
            types.DefinitionParams(**editor.where(uri, line, char + 16))
        )
        assert isinstance(location, types.Location)
        assert location.uri == (agent / "prompts" / "user-message.md").as_uri()

        # Completion: block kinds after "block:".
        line, char = line_of(text, "block: next-message")
        completion = await client.text_document_completion_async(
            types.CompletionParams(**editor.where(uri, line, char + len("block: ")))
        )
        assert isinstance(completion, types.CompletionList)
        labels = [item.label for item in completion.items]
        assert "next-message" in labels
        assert "run-worker" in labels
        # Prompt names after "system:".
        line, char = line_of(text, "system: sytem")
        completion = await client.text_document_completion_async(
            types.CompletionParams(**editor.where(uri, line, char + len("system: ")))
        )
        assert isinstance(completion, types.CompletionList)
        assert "system" in [item.label for item in completion.items]
        assert "escalation/summary-system" in [item.label for item in completion.items]

        # Code action: the did-you-mean fix replaces the wrong name.
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=oct201.range,
                context=types.CodeActionContext(diagnostics=[oct201]),
            )
        )
        assert actions is not None
        action = actions[0]
        assert isinstance(action, types.CodeAction)
        assert action.title == 'Change to "system"'
        assert action.edit is not None
        assert action.edit.changes is not None
        (edit,) = action.edit.changes[uri]
        assert edit.new_text == "system"
        assert (edit.range.start.line, edit.range.start.character) == (
            oct201.range.start.line,
            oct201.range.start.character,
        )
        assert edit.range.end.character - edit.range.start.character == len("sytem")
        assert system_md  # the fix names an existing prompt

    drive(agent, scenario)


def test_positions_are_utf16_for_the_client(agent: Path) -> None:
    prompt = agent / "prompts" / "user-message.md"
    prompt.write_text(prompt.read_text() + "\n😋 see {{@missing.md}}\n")
    report = run_cli("validate", str(agent), "--json").json()
    (finding,) = [d for d in report["errors"] if d["file"] == "prompts/user-message.md"]
    line = prompt.read_text().splitlines()[finding["line"] - 1]
    before = line[: finding["column"] - 1]
    assert "😋" in before
    utf16 = len(before.encode("utf-16-le")) // 2
    assert utf16 == finding["column"]  # the emoji is two UTF-16 units, one code point

    async def scenario(editor: Editor) -> None:
        uri = editor.open(prompt, "markdown")
        (found,) = await editor.diagnostics_for(uri)
        assert found.code == finding["code"]
        assert (found.range.start.line, found.range.start.character) == (
            finding["line"] - 1,
            utf16,
        )

    drive(agent, scenario)


def test_a_prompt_created_on_disk_rechecks_the_agent(agent: Path) -> None:
    protocol = agent / "protocol.yaml"
    protocol.write_text(protocol.read_text().replace("  system: system\n", "  system: main\n", 1))

    async def scenario(editor: Editor) -> None:
        uri = editor.open(protocol)
        assert [d.code for d in await editor.diagnostics_for(uri)] == ["OCT201"]
        created = agent / "prompts" / "main.md"
        created.write_text("You help.\n")
        editor.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=created.as_uri(), type=types.FileChangeType.Created)]
            )
        )
        found = await editor.diagnostics_for(uri)
        # The new prompt is found; it is unused elsewhere, and system.md now is too.
        assert "OCT201" not in [d.code for d in found]

    drive(agent, scenario)
