"""Show a session, its conversation and its execution log through the Reporter.

The text of the human emitter for ``octavus sessions`` (and ``logs_json``, the JSON
emitter's document of a log).
The conversation is rendered as text (one ``User:`` / ``Assistant:`` heading per
message, tool calls as one line each); the log is a timeline with the time since
the first entry, and durations: a tool call lasts until its result, a model
request until the model's answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from octavus_cli.output.reporter import Reporter

if TYPE_CHECKING:
    from octavus_cli.platform.session_models import LogEntry, SessionLogs, SessionState

SHORT = 160
MODEL_ANSWERS = frozenset({"llm-response", "llm-tool-request", "error"})


def short(value: Any, limit: int = SHORT) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def restore_hint(session_id: str) -> str:
    return (
        f"Restore it from an export written while it was active: "
        f"octavus sessions restore {session_id} --from FILE "
        f"(octavus sessions export ID > FILE saves one)."
    )


# -- show ------------------------------------------------------------------------------------


def render_state(out: Reporter, state: SessionState) -> None:
    if state.expired:
        out.warning(f"Session {state.session_id} has expired")
        out.detail("Agent ID", state.agent_id or "?")
        out.detail("Created", state.created_at or "?")
        out.info(restore_hint(state.session_id))
        return
    out.success(f"Session {state.session_id} (active)")
    out.detail("Agent ID", state.agent_id or "?")
    out.detail("Created", state.created_at or "?")
    out.detail("Updated", state.updated_at or "?")
    out.detail("Messages", str(len(state.messages)))
    for title, values in (
        ("Input", state.input),
        ("Resources", state.resources),
        ("Variables", state.variables),
    ):
        out.text(f"{title}:" if values else f"{title}: (none)")
        for name, value in values.items():
            out.detail(name, short(value))


# -- messages --------------------------------------------------------------------------------


def _part_lines(part: dict[str, Any]) -> list[str]:
    kind = part.get("type")
    if kind == "text":
        text = part.get("text")
        return [text] if isinstance(text, str) and text else []
    if kind == "tool-call":
        name = part.get("displayName") or part.get("toolName") or "tool"
        line = f"  → {name} {short(part.get('args', {}), 100)}"
        if part.get("status") == "error" or "error" in part:
            line += f"  ✗ {short(part.get('error', 'failed'), 100)}"
        elif "result" in part:
            line += f"  ✓ {short(part.get('result'), 100)}"
        return [line]
    if kind == "object":
        return [json.dumps(part.get("object"), ensure_ascii=False, indent=2)]
    if kind == "file":
        return [f"  [file {part.get('filename') or part.get('url') or part.get('id')}]"]
    if kind == "source":
        return [f"  [source {part.get('url') or part.get('title') or ''}]"]
    return []  # reasoning, operations, step markers: not part of the conversation text


def conversation_text(messages: Sequence[dict[str, Any]]) -> str:
    """The conversation as plain text (``User:`` / ``Assistant:`` headings)."""
    chunks: list[str] = []
    for message in messages:
        role = str(message.get("role", "?")).capitalize()
        sender = message.get("sender")
        if isinstance(sender, dict) and sender.get("name"):
            role = f"{role} ({sender['name']})"
        lines = [
            line
            for part in message.get("parts") or []
            if isinstance(part, dict)
            for line in _part_lines(part)
        ]
        chunks.append(f"{role}:\n" + ("\n".join(lines) if lines else "  (nothing to show)"))
    return "\n\n".join(chunks)


# -- logs ------------------------------------------------------------------------------------


def _moment(timestamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def _seconds(start: LogEntry, end: LogEntry) -> float | None:
    begin, finish = _moment(start.timestamp), _moment(end.timestamp)
    if begin is None or finish is None:
        return None
    return max(0.0, (finish - begin).total_seconds())


def durations(entries: Sequence[LogEntry]) -> dict[int, float]:
    """Seconds per entry index: tool call -> its result, model request -> the answer."""
    found: dict[int, float] = {}
    for index, entry in enumerate(entries):
        later = entries[index + 1 :]
        end: LogEntry | None = None
        if entry.type == "tool-call":
            call_id = entry.fields.get("toolCallId")
            name = entry.fields.get("toolName")
            end = next(
                (
                    e
                    for e in later
                    if e.type == "tool-result"
                    and (
                        e.fields.get("toolCallId") == call_id
                        if call_id
                        else e.fields.get("toolName") == name
                    )
                ),
                None,
            )
        elif entry.type == "model-request":
            end = next((e for e in later if e.type in MODEL_ANSWERS), None)
        if end is not None:
            seconds = _seconds(entry, end)
            if seconds is not None:
                found[index] = seconds
    return found


def _obj(fields: dict[str, Any], key: str) -> dict[str, Any]:
    value = fields.get(key)
    return value if isinstance(value, dict) else {}


def describe(entry: LogEntry) -> str:
    """What an entry says, in one line; unknown types show their fields generically."""
    f = entry.fields
    kind = entry.type
    if kind == "trigger":
        return f"{f.get('triggerName', '?')} {short(f.get('triggerInput', {}), 120)}"
    if kind == "message":
        return f"{f.get('role', '?')}: {short(f.get('content', ''))}"
    if kind == "tool-call":
        return f"{f.get('toolName', '?')} {short(f.get('toolArguments', {}), 120)}"
    if kind == "tool-result":
        return f"{f.get('toolName', '?')} → {short(f.get('toolResult'), 120)}"
    if kind == "llm-response":
        return short(f.get("response", ""))
    if kind == "llm-tool-request":
        raw_calls = f.get("toolCalls")
        calls = raw_calls if isinstance(raw_calls, list) else []
        return "calls " + ", ".join(str(c.get("name")) for c in calls if isinstance(c, dict))
    if kind == "model-request":
        request = _obj(f, "modelRequest")
        text = f"{request.get('provider', '?')}/{request.get('model', f.get('model', '?'))}"
        body = request.get("requestBody")
        if body is not None:
            text += f" traced: {short(body, 120)}"
        return text
    if kind == "step-stats":
        stats = _obj(f, "stepStats")
        usage = _obj(stats, "usage")
        return f"{stats.get('model', '?')}: in {usage.get('inputTokens', '?')}, out " + str(
            usage.get("outputTokens", "?")
        )
    if kind == "worker-execution":
        return short(f.get("workerInput", {}))
    if kind == "worker-output":
        return short(f.get("workerOutput"))
    if kind == "error":
        error = _obj(f, "error")
        text = f"{error.get('type', 'error')}: {error.get('message', '')}"
        provider = error.get("provider")
        if isinstance(provider, dict):
            text += f" ({provider.get('name', '?')}/{provider.get('model', '?')})"
        return text
    skip = {"id", "timestamp", "type", "sequence"}
    return short({k: v for k, v in f.items() if k not in skip})


def render_logs(out: Reporter, logs: SessionLogs) -> None:
    entries = logs.entries
    if logs.truncated:
        out.warning(f"Showing the latest {len(entries)} of {logs.total} entries")
    if not entries:
        out.info(f"Session {logs.session_id} has no log entries yet")
        return
    spans = durations(entries)
    first = _moment(entries[0].timestamp)
    for index, entry in enumerate(entries):
        moment = _moment(entry.timestamp)
        offset = (moment - first).total_seconds() if moment and first else 0.0
        stamp = f"+{offset:.3f}s"
        line = f"{stamp:>10}  {entry.type:<16} {describe(entry)}"
        if index in spans:
            line += f"  ({spans[index]:.3f} s)"
        if entry.fields.get("thread"):
            line += f"  [thread {entry.fields['thread']}]"
        out.text(line)


def logs_json(logs: SessionLogs) -> dict[str, Any]:
    spans = durations(logs.entries)
    entries = []
    for index, entry in enumerate(logs.entries):
        item = dict(entry.fields)
        if index in spans:
            item["durationMs"] = round(spans[index] * 1000)
        entries.append(item)
    doc: dict[str, Any] = {"sessionId": logs.session_id, "entries": entries}
    if logs.total is not None:
        doc["total"] = logs.total
    if logs.truncated:
        doc["truncated"] = True
    return doc
