"""Server-sent events as the platform sends them (CONTRACT section 5).

Events are ``data: <json>`` lines separated by blank lines; the stream ends with
``data: [DONE]``; lines starting with ``:`` are comments (``: heartbeat``).
Unknown event types and lines that do not parse are skipped, never fatal: the
decoder counts them so a caller can mention them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from octavus_cli.records import field, record

DONE_MARKER = "[DONE]"


@record(frozen=False)
class SseDecoder:
    """Turns text lines into event objects; remembers how the stream ended."""

    done: bool = False  # saw data: [DONE]
    heartbeats: int = 0
    skipped: list[str] = field(default_factory=list)  # malformed data, shortened

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
            if payload.strip() == DONE_MARKER:
                self.done = True
                return
            try:
                event = json.loads(payload)
            except (json.JSONDecodeError, ValueError):
                self._skip(payload)
                continue
            if not isinstance(event, dict) or not isinstance(event.get("type"), str):
                self._skip(payload)
                continue
            yield event

    def _skip(self, text: str) -> None:
        self.skipped.append(text if len(text) <= 120 else text[:117] + "...")
