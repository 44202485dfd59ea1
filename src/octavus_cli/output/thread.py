"""Show a Workforce thread's latest turn: its text as markdown, its steps as a list.

(The text of the human and quiet emitters for a :class:`~.results.WorkforceThread`.)

The latest turn is every assistant message after the last user message. Text
parts become markdown (rendered by rich on a terminal, printed as markdown
source into pipes and CI logs); tool calls, skill operations, workers, files
and sources become one compact line each, in the order they happened.
Reasoning and step markers are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from octavus_cli.output.reporter import Reporter
from octavus_cli.records import field, record

if TYPE_CHECKING:
    from rich.text import Text

STEP_SYMBOLS = {
    "done": ("✓", "green"),
    "completed": ("✓", "green"),
    "error": ("✗", "red"),
    "cancelled": ("⊘", "yellow"),
}
RUNNING_SYMBOL = ("…", "cyan")
MAX_ERROR_CHARS = 200


def latest_turn(messages: object) -> list[dict[str, Any]]:
    """The assistant messages after the last user message (empty when there are none)."""
    if not isinstance(messages, list):
        return []
    turn: list[dict[str, Any]] = []
    for message in messages:
        if not isinstance(message, dict):
            continue
        if message.get("role") == "user":
            turn = []
        elif message.get("role") == "assistant":
            turn.append(message)
    return turn


def turn_parts(messages: object) -> list[dict[str, Any]]:
    return [
        part
        for message in latest_turn(messages)
        for part in message.get("parts") or []
        if isinstance(part, dict)
    ]


def final_text(messages: object) -> str:
    """The text of the latest turn, paragraphs joined by a blank line."""
    texts = [_text(part) for part in turn_parts(messages) if part.get("type") == "text"]
    return "\n\n".join(text for text in texts if text.strip())


@record(frozen=False)
class PartGroup:
    """A run of consecutive parts shown the same way: markdown or a step list.

    (Not a protocol block: those are :class:`octavus_cli.protocol.model.Block`.)
    """

    kind: str  # "markdown" or "steps"
    items: list[Any] = field(default_factory=list)


def group_parts(parts: Iterable[dict[str, Any]]) -> list[PartGroup]:
    """Group parts in order: text (and objects) as markdown, everything else as steps."""
    grouped: list[PartGroup] = []
    for part in parts:
        markdown = _markdown(part)
        item: str | Text | None = markdown if markdown is not None else step_line(part)
        if item is None:
            continue
        kind = "markdown" if markdown is not None else "steps"
        if not grouped or grouped[-1].kind != kind:
            grouped.append(PartGroup(kind))
        grouped[-1].items.append(item)
    return grouped


def render_turn(out: Reporter, messages: object) -> bool:
    """Print the latest turn in human mode; False when it has nothing to show."""
    from rich.markdown import Markdown

    shown = group_parts(turn_parts(messages))
    rich_markdown = out.stdout_is_tty
    for index, group in enumerate(shown):
        if index:
            out.blank()
        if group.kind == "markdown":
            source = "\n\n".join(group.items)
            if rich_markdown:
                out.render(Markdown(source))
            else:
                out.text(source)
        else:
            for line in group.items:
                out.render(line)
    return bool(shown)


def step_line(part: dict[str, Any]) -> Text | None:
    """One line for a step part, or None for parts that are not shown."""
    kind = part.get("type")
    if kind == "tool-call":
        name = _str(part.get("displayName")) or _str(part.get("toolName")) or "tool"
        tool = _str(part.get("toolName"))
        extra = f" ({tool})" if tool and tool != name else ""
        return _step(part.get("status"), name, extra, _str(part.get("error")))
    if kind == "operation":
        name = _str(part.get("name")) or _str(part.get("operationType")) or "operation"
        return _step(part.get("status"), name, "", "")
    if kind == "worker":
        slug = _str(part.get("workerSlug")) or "worker"
        description = _str(part.get("description"))
        extra = f": {description}" if description else ""
        return _step(part.get("status"), f"worker {slug}", extra, _str(part.get("error")))
    if kind == "file":
        name = _str(part.get("filename")) or _str(part.get("id")) or "file"
        facts = [_str(part.get("mediaType"))]
        if isinstance(part.get("size"), int):
            facts.append(_size(part["size"]))
        summary = ", ".join(fact for fact in facts if fact)
        return _note("file", name, summary, _str(part.get("url")))
    if kind == "source":
        title = _str(part.get("title")) or _str(part.get("filename")) or _str(part.get("id"))
        return _note("source", title or "source", "", _str(part.get("url")))
    if kind == "todo":
        todos = [t for t in part.get("todos") or [] if isinstance(t, dict)]
        done = sum(1 for t in todos if t.get("status") == "completed")
        return _step(part.get("status"), "task list", f" ({done}/{len(todos)} done)", "")
    return None


def _markdown(part: dict[str, Any]) -> str | None:
    kind = part.get("type")
    if kind == "text":
        text = _text(part)
        return text if text.strip() else None
    if kind == "object" and "object" in part:
        name = _str(part.get("typeName")) or "object"
        body = json.dumps(part["object"], indent=2, ensure_ascii=False)
        return f"**{name}**\n\n```json\n{body}\n```"
    return None


def _step(status: object, name: str, extra: str, error: str) -> Text:
    from rich.text import Text

    symbol, style = STEP_SYMBOLS.get(status if isinstance(status, str) else "", RUNNING_SYMBOL)
    line = Text("  ")
    line.append(symbol, style=style)
    line.append(f" {name}")
    if extra:
        line.append(extra, style="dim")
    if error:
        first = error.strip().splitlines()[0] if error.strip() else error
        line.append(f": {first[:MAX_ERROR_CHARS]}", style="red")
    return line


def _note(label: str, name: str, summary: str, url: str) -> Text:
    from rich.text import Text

    line = Text("  ")
    line.append("↳", style="blue")
    line.append(f" {label} {name}")
    if summary:
        line.append(f" ({summary})", style="dim")
    if url:
        line.append(f" {url}", style="dim")
    return line


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _text(part: dict[str, Any]) -> str:
    return _str(part.get("text"))
