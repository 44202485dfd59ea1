"""The terminal renderer on events the emulator does not produce (files, unknown types)."""

from __future__ import annotations

import io
import json

from octavus_cli.output import Mode, Reporter
from octavus_cli.protocol.model import build_model
from octavus_cli.session.render import HumanRenderer, JsonRenderer
from octavus_cli.session.tools import ToolCall, ToolResult


def renderer(**options: object) -> tuple[HumanRenderer, io.StringIO, io.StringIO]:
    stdout, stderr = io.StringIO(), io.StringIO()
    out = Reporter(Mode.HUMAN, stdout=stdout, stderr=stderr)
    return HumanRenderer(out, **options), stdout, stderr  # type: ignore[arg-type]


def test_files_appear_as_a_short_line_on_stderr() -> None:
    view, stdout, stderr = renderer()
    view.event(
        {
            "type": "file-available",
            "id": "f1",
            "mediaType": "image/png",
            "url": "https://files.example/f1.png",
            "filename": "chart.png",
            "size": 20480,
        }
    )
    view.event({"type": "file-available", "id": "f2", "mediaType": "text/plain", "url": "u"})
    assert stdout.getvalue() == ""
    lines = stderr.getvalue().splitlines()
    assert lines == [
        "• file chart.png (image/png, 20.0 KiB) https://files.example/f1.png",
        "• file f2 (text/plain) u",
    ]


def test_unknown_and_malformed_events_are_ignored() -> None:
    view, stdout, stderr = renderer()
    for event in (
        {"type": "worker-start", "workerId": "w"},
        {"type": "usage", "inputTokens": 3},
        {"type": "text-delta"},
        {"type": "tool-input-start"},
        {"type": "block-start"},
    ):
        view.event(event)
    view.end_turn()
    assert stdout.getvalue() == ""
    assert "✗" not in stderr.getvalue()


def test_text_of_a_block_that_does_not_stream_is_not_shown() -> None:
    view, stdout, stderr = renderer()
    view.event({"type": "block-start", "blockId": "b1", "blockName": "Classify",
                "blockType": "next-message", "display": "description",
                "description": "Classifying your feedback"})  # fmt: skip
    view.event({"type": "text-delta", "delta": '{"sentiment": "positive"}'})
    view.event({"type": "block-end", "blockId": "b1"})
    view.event({"type": "text-delta", "delta": "Thanks!"})
    view.end_turn()
    assert stdout.getvalue() == "Thanks!\n"
    assert stderr.getvalue() == "▸ Classifying your feedback\n"


def test_tool_display_comes_from_the_protocol_when_events_do_not_say() -> None:
    protocol = build_model("tools:\n  lookup:\n    display: description\n"
                           "    description: Looking things up\n")  # fmt: skip
    view, _, stderr = renderer(protocol=protocol)
    view.event({"type": "tool-input-start", "toolCallId": "c1", "toolName": "lookup"})
    view.event({"type": "tool-input-start", "toolCallId": "c2", "toolName": "unknown-tool"})
    assert stderr.getvalue().splitlines() == ["⚙ Looking things up", "⚙ unknown-tool"]


def test_no_colour_codes_when_not_a_terminal() -> None:
    view, stdout, stderr = renderer(show_reasoning=True)
    view.event({"type": "reasoning-delta", "delta": "hmm"})
    view.event({"type": "text-delta", "delta": "Answer"})
    view.event({"type": "error", "errorType": "rate_limit_error", "message": "slow down",
                "retryable": True, "retryAfter": 30})  # fmt: skip
    view.end_turn()
    assert "\x1b[" not in stdout.getvalue() + stderr.getvalue()
    assert stderr.getvalue().splitlines() == [
        "thinking: hmm",
        "✗ rate_limit_error: slow down",
        "  The platform says this can be retried after 30 s.",
    ]


def test_json_renderer_writes_only_json_lines_on_stdout() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    view = JsonRenderer(Reporter(Mode.JSON, stdout=stdout, stderr=stderr))
    view.session("s1", "a1", created=True)
    view.event({"type": "text-delta", "delta": "é"})
    view.tool_results([ToolResult(ToolCall("c1", "t", {}, {"thread": "side"}), error="nope")])
    view.status("retrying")
    lines = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert lines == [
        {"type": "cli-session", "sessionId": "s1", "agentId": "a1", "created": True},
        {"type": "text-delta", "delta": "é"},
        {"type": "cli-tool-result", "handler": "command", "toolCallId": "c1", "toolName": "t",
         "error": "nope", "thread": "side"},
    ]  # fmt: skip
    assert stderr.getvalue() == "retrying\n"
