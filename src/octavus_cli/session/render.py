"""How a run shows its events: the terminal renderer and the NDJSON writer.

Terminal (human mode): the agent's text streams live to stdout and nothing else
goes there, so ``octavus run ... > answer.md`` keeps just the answer. Everything
else is a short line on stderr: blocks and tools as their display mode says
(``hidden``: nothing; ``name``; ``description``; ``title``; ``stream``: also the
arguments and the result), reasoning (only with ``--show-reasoning``, dimmed),
resource updates and files (dim), and ``error`` events with type and message.

``--json``: every event as received, one per line, plus ``cli-session`` and
``cli-tool-result`` lines for what the CLI itself did; nothing else on stdout.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from octavus_cli.output import Reporter, color_disabled
from octavus_cli.records import field, record
from octavus_cli.session.tools import ToolResult

if TYPE_CHECKING:
    from octavus_cli.protocol.model import ProtocolModel

SHORT_VALUE = 100
DIM = "\x1b[2m"
RESET = "\x1b[0m"
MAIN_THREAD = "main"


def short(value: Any, limit: int = SHORT_VALUE) -> str:
    """One line of at most ``limit`` characters for any value."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shortened_notice(result: ToolResult) -> str | None:
    if result.shortened_from is None:
        return None
    return (
        f"The result of {result.call.tool_name} ({result.shortened_from:,} bytes) was "
        "shortened to keep the continuation under 4 MiB"
    )


class Renderer(Protocol):
    def session(self, session_id: str, agent_id: str, *, created: bool) -> None: ...

    def event(self, event: dict[str, Any], text: str | None = None) -> None:
        """One event of the stream; ``text`` is its JSON as received, when one line."""
        ...

    def tool_results(self, results: list[ToolResult]) -> None: ...

    def status(self, message: str) -> None: ...

    def warning(self, message: str) -> None: ...

    def end_turn(self) -> None: ...

    def waiting(self, message: str) -> None: ...

    def caught_up(self) -> None:
        """The stream is about to wait for the network: show whatever is held back."""
        ...


class JsonRenderer:
    """NDJSON on stdout; status lines and warnings on stderr."""

    def __init__(self, out: Reporter) -> None:
        self.out = out

    def session(self, session_id: str, agent_id: str, *, created: bool) -> None:
        self.out.emit_json_line(
            {
                "type": "cli-session",
                "sessionId": session_id,
                "agentId": agent_id,
                "created": created,
            }
        )

    def event(self, event: dict[str, Any], text: str | None = None) -> None:
        # As received when it came on one line (no second encoding: a stream may carry
        # hundreds of thousands of events); held until the stream waits for the network
        # (caught_up): one write per chunk read, and nothing held while the agent is quiet.
        if text is None:
            self.out.emit_json_line(event, flush=False)
        else:
            self.out.emit_json_text(text, flush=False)

    def caught_up(self) -> None:
        self.out.stdout.flush()

    def tool_results(self, results: list[ToolResult]) -> None:
        for result in results:
            self.out.emit_json_line(result.to_event())
            notice = shortened_notice(result)
            if notice:
                self.warning(notice)

    def status(self, message: str) -> None:
        self.caught_up()  # the events before it first, where both go to one terminal
        self.out.note(message)

    def warning(self, message: str) -> None:
        self.caught_up()
        self.out.note(f"warning: {message}")

    def end_turn(self) -> None:
        return

    def waiting(self, message: str) -> None:
        return


@record(frozen=False)
class _Tool:
    name: str
    display: str
    label: str


@record(frozen=False)
class HumanRenderer:
    """The terminal view of a run."""

    out: Reporter
    protocol: ProtocolModel | None = None
    show_reasoning: bool = False
    _muted_block: str | None = None
    _mid_line: bool = False
    _reasoning_open: bool = False
    _tools: dict[str, _Tool] = field(default_factory=dict)
    _results_shown: set[str] = field(default_factory=set)
    _live: Any | None = None

    # -- plumbing ------------------------------------------------------------------
    @property
    def _stdout_dim(self) -> bool:
        return self.out.stdout_is_tty and not color_disabled()

    def _write(self, text: str) -> None:
        if not text:
            return
        self._stop_waiting()
        self.out.stdout.write(text)
        self.out.stdout.flush()
        self._mid_line = not text.endswith("\n")

    def _break_line(self) -> None:
        """Before a stderr line on a terminal, finish the half-written stdout line."""
        if self._mid_line and self.out.stdout_is_tty:
            self._write("\n")
        self._close_reasoning()

    def _line(self, symbol: str, message: str, style: str = "dim") -> None:
        from rich.text import Text

        self._stop_waiting()
        self._break_line()
        text = Text(f"{symbol} ", style=style)
        text.append(message, style=style)
        self.out.err.print(text)

    def _close_reasoning(self) -> None:
        if self._reasoning_open:
            self._reasoning_open = False
            self.out.stderr.write("\n")
            self.out.stderr.flush()

    # -- the Renderer protocol -------------------------------------------------------
    def session(self, session_id: str, agent_id: str, *, created: bool) -> None:
        self._line("•", f"{'New session' if created else 'Session'} {session_id}")

    def status(self, message: str) -> None:
        self._line("…", message)

    def warning(self, message: str) -> None:
        self._line("⚠", message, "yellow")

    def end_turn(self) -> None:
        self._stop_waiting()
        if self._mid_line:
            self._write("\n")
        self._close_reasoning()

    def waiting(self, message: str) -> None:
        """A live line (spinner) on a terminal's stderr until something is shown."""
        if self._live is not None or not (self.out.is_human and self.out.stderr_is_tty):
            return
        from rich.live import Live
        from rich.spinner import Spinner

        self._break_line()
        self._live = Live(
            Spinner("dots", text=message, style="dim"),
            console=self.out.rich_err,
            transient=True,
            refresh_per_second=10,
        )
        self._live.start(refresh=True)

    def caught_up(self) -> None:
        return  # every write is flushed (a terminal shows text as it streams)

    def _stop_waiting(self) -> None:
        if self._live is not None:
            live, self._live = self._live, None
            live.stop()

    def tool_results(self, results: list[ToolResult]) -> None:
        for result in results:
            call = result.call
            tool = self._tools.get(call.tool_call_id) or self._tool_info(call.tool_name, {})
            self._results_shown.add(call.tool_call_id)
            if result.handler == "none":
                self.warning(
                    f"No handler for the tool {call.tool_name}: sent an error result so the "
                    f"agent can go on (add --tool {call.tool_name}=COMMAND)"
                )
            elif not result.ok:
                self._line("✗", f"{call.tool_name}: {short(result.error, 300)}", "yellow")
            elif tool.display == "stream":
                self._line("  ↳", short(result.result))
            notice = shortened_notice(result)
            if notice:
                self.warning(notice)

    # -- events ----------------------------------------------------------------------
    def event(self, event: dict[str, Any], text: str | None = None) -> None:
        kind = event.get("type")
        handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
        if handler is not None:
            handler(self, event)

    def _block_start(self, event: dict[str, Any]) -> None:
        display = event.get("display") or "stream"
        block_id = event.get("blockId")
        # Only a `stream` block streams its content; the others show a label at most.
        self._muted_block = None if display == "stream" else str(block_id or "")
        if display == "hidden":
            return
        name = _text(event.get("blockName")) or _text(event.get("blockType")) or "block"
        description = _text(event.get("description"))
        title = _text(event.get("title"))
        thread = _text(event.get("thread"))
        label = {
            "name": name,
            "description": description or name,
            "title": title or description or name,
        }.get(display)
        if display == "stream":
            # The main answer needs no header; a side thread or described block does.
            if thread and thread != MAIN_THREAD:
                label = f"[{thread}] {description or name}"
            elif description:
                label = description
        if label:
            self._line("▸", label)

    def _block_end(self, event: dict[str, Any]) -> None:
        if self._muted_block is not None and event.get("blockId") in (self._muted_block, None):
            self._muted_block = None

    def _text_delta(self, event: dict[str, Any]) -> None:
        delta = event.get("delta")
        if self._muted_block is None and isinstance(delta, str):
            self._close_reasoning()
            self._write(delta)

    def _text_end(self, event: dict[str, Any]) -> None:
        if self._mid_line:
            self._write("\n")

    def _reasoning_delta(self, event: dict[str, Any]) -> None:
        delta = event.get("delta")
        if not self.show_reasoning or self._muted_block is not None or not isinstance(delta, str):
            if self._live is not None:
                from rich.spinner import Spinner

                self._live.update(Spinner("dots", text="The agent is thinking…", style="dim"))
            return
        self._stop_waiting()
        if not self._reasoning_open:
            if self._mid_line and self.out.stdout_is_tty:
                self._write("\n")
            self._reasoning_open = True
            self.out.stderr.write(self._dim("thinking: "))
        self.out.stderr.write(self._dim(delta))
        self.out.stderr.flush()

    def _dim(self, text: str) -> str:
        styled = self.out.stderr_is_tty and not color_disabled()
        return f"{DIM}{text}{RESET}" if styled else text

    def _reasoning_end(self, event: dict[str, Any]) -> None:
        self._close_reasoning()

    def _tool_info(self, name: str, event: dict[str, Any]) -> _Tool:
        from octavus_cli.protocol.model import DEFAULT_TOOL_DISPLAY

        declared = self.protocol.tools.get(name) if self.protocol else None
        display = _text(event.get("display")) or (
            declared.display if declared else DEFAULT_TOOL_DISPLAY
        )
        title = _text(event.get("title")) or (declared.title if declared else None)
        description = _text(event.get("description")) or (
            declared.description if declared else None
        )
        label = {
            "name": name,
            "title": f"{title} ({name})" if title else name,
            "description": short(description) if description else name,
            "stream": name,
        }.get(display, name)
        return _Tool(name, display, label)

    def _tool_start(self, event: dict[str, Any]) -> None:
        call_id, name = event.get("toolCallId"), event.get("toolName")
        if not isinstance(call_id, str) or not isinstance(name, str):
            return
        if call_id in self._tools:
            return
        tool = self._tool_info(name, event)
        self._tools[call_id] = tool
        if tool.display != "hidden" and tool.display != "stream":
            self._line("⚙", tool.label)

    def _tool_input(self, event: dict[str, Any]) -> None:
        call_id = event.get("toolCallId")
        if not isinstance(call_id, str):
            return
        if call_id not in self._tools:
            self._tool_start(event)
        tool = self._tools.get(call_id)
        if tool is not None and tool.display == "stream":
            self._line("⚙", f"{tool.name} {short(event.get('input', {}))}")

    def _tool_output(self, event: dict[str, Any]) -> None:
        call_id = event.get("toolCallId")
        tool = self._tools.get(call_id) if isinstance(call_id, str) else None
        if tool is None or tool.display != "stream" or call_id in self._results_shown:
            return
        self._results_shown.add(str(call_id))
        self._line("  ↳", short(event.get("output")))

    def _tool_error(self, event: dict[str, Any]) -> None:
        call_id = event.get("toolCallId")
        tool = self._tools.get(call_id) if isinstance(call_id, str) else None
        if (tool is not None and tool.display == "hidden") or call_id in self._results_shown:
            return  # hidden, or our own result, already shown
        name = tool.name if tool else "tool"
        self._line("✗", f"{name} failed: {short(event.get('error'), 300)}", "yellow")

    def _resource(self, event: dict[str, Any]) -> None:
        name = _text(event.get("name")) or "?"
        self._line("•", f"resource {name} = {short(event.get('value'), 80)}")

    def _file(self, event: dict[str, Any]) -> None:
        name = _text(event.get("filename")) or _text(event.get("id")) or "file"
        facts = [f for f in (_text(event.get("mediaType")), _size(event.get("size"))) if f]
        url = _text(event.get("url"))
        described = f" ({', '.join(facts)})" if facts else ""
        self._line("•", f"file {name}{described}" + (f" {url}" if url else ""))

    def _error(self, event: dict[str, Any]) -> None:
        kind = _text(event.get("errorType")) or "error"
        message = _text(event.get("message")) or "no message"
        self._line("✗", f"{kind}: {message}", "bold red")
        if event.get("retryable") is True:
            after = event.get("retryAfter")
            wait = f" after {after} s" if isinstance(after, (int, float)) else ""
            self._line(" ", f"The platform says this can be retried{wait}.")

    def _finish(self, event: dict[str, Any]) -> None:
        reason = event.get("finishReason")
        if reason == "length":
            self.warning("The answer was cut off: the model reached its output length limit")
        elif reason == "content-filter":
            self.warning("The answer was stopped by the provider's content filter")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _size(value: Any) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return None
    if value < 1024:
        return f"{value:,} B"
    if value < 1024 * 1024:
        return f"{value / 1024:.1f} KiB"
    return f"{value / (1024 * 1024):.1f} MiB"


_HANDLERS = {
    "block-start": HumanRenderer._block_start,
    "block-end": HumanRenderer._block_end,
    "text-delta": HumanRenderer._text_delta,
    "text-end": HumanRenderer._text_end,
    "reasoning-delta": HumanRenderer._reasoning_delta,
    "reasoning-end": HumanRenderer._reasoning_end,
    "tool-input-start": HumanRenderer._tool_start,
    "tool-input-available": HumanRenderer._tool_input,
    "tool-output-available": HumanRenderer._tool_output,
    "tool-output-error": HumanRenderer._tool_error,
    "resource-update": HumanRenderer._resource,
    "file-available": HumanRenderer._file,
    "error": HumanRenderer._error,
    "finish": HumanRenderer._finish,
}
