"""Server-sent events as the platform sends them (CONTRACT section 5).

Events are ``data: <json>`` lines separated by blank lines; the stream ends with
``data: [DONE]``; lines starting with ``:`` are comments (``: heartbeat``). Lines end
at CRLF, LF or CR only (:func:`sse_lines`): a JSON payload may hold U+2028, U+0085 and
other characters that ``str.splitlines`` (and so httpx's ``iter_lines``) splits at.
Unknown event types and lines that do not parse are skipped, never fatal: the
decoder counts them so a caller can mention them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from octavus_cli.records import field, record

DONE_MARKER = "[DONE]"

# raw_decode parses a payload in about half the time json.loads takes (no whitespace
# scans around it): a stream can carry hundreds of thousands of events.
_DECODER = json.JSONDecoder()


def _decoded(payload: str) -> Any:
    """The JSON value of ``payload``; ``ValueError`` when it is not one JSON value."""
    try:
        value, end = _DECODER.raw_decode(payload)
    except ValueError:
        return json.loads(payload)  # leading whitespace, or the error to raise
    if end != len(payload) and payload[end:].strip():
        raise ValueError(f"extra data after the JSON value at {end}")
    return value


def sse_lines(texts: Iterable[str]) -> Iterator[str]:
    """The lines of an event stream whose text arrives in ``texts`` (any chunking)."""
    held: list[str] = []  # the start of a line that has not ended yet
    for text in texts:
        if held and held[-1].endswith("\r"):  # a CR at the end of a chunk: LF may follow
            text = held.pop() + text
        if "\n" not in text and "\r" not in text:
            held.append(text)
            continue
        if held:
            text = "".join(held) + text
            held = []
        carry = ""
        if text.endswith("\r"):
            text, carry = text[:-1], "\r"
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        rest = lines.pop() + carry
        if rest:
            held.append(rest)
        yield from lines
    rest = "".join(held)
    if rest:
        yield rest.removesuffix("\r")


@record(frozen=False)
class SseDecoder:
    """Turns text lines into event objects; remembers how the stream ended."""

    done: bool = False  # saw data: [DONE]
    heartbeats: int = 0
    skipped: list[str] = field(default_factory=list)  # malformed data, shortened
    # The text of the event last yielded, as received, when it is one line (None when
    # the event's data spread over several lines): `run --json` writes it as it came.
    last_text: str | None = None

    def frames(self, lines: Iterable[str]) -> Iterator[str]:
        """The ``data`` payload of each event (multi-line data joined with newlines)."""
        data: list[str] = []
        for raw in lines:
            line = raw.rstrip("\r\n")
            if not line:
                if data:
                    yield "\n".join(data)
                    data = []
                continue
            if line.startswith(":"):
                self.heartbeats += 1
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                data.append(value)
            elif name in ("event", "id", "retry"):
                continue
            else:
                self._skip(line)
        if data:
            yield "\n".join(data)

    def events(self, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
        """Decoded JSON events with a ``type``; stops at ``[DONE]``."""
        for payload in self.frames(lines):
            if payload == DONE_MARKER or (payload[:1] != "{" and payload.strip() == DONE_MARKER):
                self.done = True
                return
            try:
                event = _decoded(payload)
            except (ValueError, RecursionError):  # RecursionError: nested too deep
                self._skip(payload)
                continue
            if not isinstance(event, dict) or not isinstance(event.get("type"), str):
                self._skip(payload)
                continue
            self.last_text = None if "\n" in payload else payload
            yield event

    def _skip(self, text: str) -> None:
        self.skipped.append(text if len(text) <= 120 else text[:117] + "...")
