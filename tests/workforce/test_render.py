"""Showing the latest turn: which messages, text as markdown, steps as a list."""

from __future__ import annotations

import io
from typing import Any

import pytest

from octavus_cli.output import Mode, Reporter
from octavus_cli.output.thread import final_text, latest_turn, render_turn


def message(role: str, *parts: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"m-{role}", "role": role, "parts": list(parts), "status": "done"}


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value, "status": "done"}


THREAD = [
    message("user", text("First task")),
    message("assistant", text("Old answer")),
    message("user", text("Second task")),
    message(
        "assistant",
        {"type": "step-start"},
        {"type": "reasoning", "text": "secret thoughts", "status": "done"},
        {
            "type": "tool-call",
            "toolCallId": "c1",
            "toolName": "web_search",
            "displayName": "Search the web",
            "args": {"q": "x"},
            "status": "done",
        },
        {
            "type": "tool-call",
            "toolCallId": "c2",
            "toolName": "read_file",
            "args": {},
            "status": "error",
            "error": "permission denied\nstack...",
        },
        {"type": "operation", "operationId": "o1", "name": "Load skill pdf", "status": "done"},
        text("# Report\n\nAll **good**."),
        {
            "type": "file",
            "id": "f1",
            "mediaType": "application/pdf",
            "url": "https://files.example/report.pdf",
            "filename": "report.pdf",
            "size": 2048,
        },
        {
            "type": "source",
            "sourceType": "url",
            "id": "s1",
            "url": "https://a.example",
            "title": "A",
        },
    ),
    message("assistant", text("Second paragraph.")),
]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def render(messages: Any, stdout: io.StringIO) -> str:
    out = Reporter(Mode.HUMAN, stdout=stdout, stderr=io.StringIO())
    render_turn(out, messages)
    return stdout.getvalue()


def test_latest_turn_is_everything_after_the_last_user_message() -> None:
    turn = latest_turn(THREAD)
    assert len(turn) == 2
    assert latest_turn([message("user", text("hi"))]) == []
    assert latest_turn(None) == []


def test_final_text_joins_the_text_parts_of_the_turn() -> None:
    assert final_text(THREAD) == "# Report\n\nAll **good**.\n\nSecond paragraph."


def test_pipe_gets_markdown_source_and_a_step_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    shown = render(THREAD, io.StringIO())
    lines = shown.splitlines()
    assert lines[:3] == [
        "  ✓ Search the web (web_search)",
        "  ✗ read_file: permission denied",
        "  ✓ Load skill pdf",
    ]
    assert "# Report\n\nAll **good**." in shown
    assert "  ↳ file report.pdf (application/pdf, 2.0 KB) https://files.example/report.pdf" in lines
    assert "  ↳ source A https://a.example" in lines
    assert "secret thoughts" not in shown
    assert "Old answer" not in shown
    assert "\x1b[" not in shown  # no colour into a pipe


def test_terminal_gets_rendered_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    shown = render(THREAD, Terminal())
    assert "Report" in shown
    assert "# Report" not in shown  # the heading is rendered, not printed as source
    assert "**good**" not in shown
    assert "Search the web" in shown


def test_nothing_to_show() -> None:
    stdout = io.StringIO()
    out = Reporter(Mode.HUMAN, stdout=stdout, stderr=io.StringIO())
    assert render_turn(out, [message("user", text("hi"))]) is False
    assert stdout.getvalue() == ""
