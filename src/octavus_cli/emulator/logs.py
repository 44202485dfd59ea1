"""Execution logs (CONTRACT section 5): what ran in a session, as timestamped entries.

The engine's events are watched on their way to the stream (:class:`LoggingSink`)
and turned into log entries: a ``model-request`` marker when a ``next-message``
block asks the model (with the request body only when the request that started
the execution was traced), ``llm-response`` for streamed text, ``tool-call`` for
each requested call and ``error`` for error events. The execution service adds
the ``trigger`` (``worker-execution``) entry and the ``tool-result`` entries.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Mapping
from typing import Any

from octavus_cli.emulator.ids import iso_at, new_id
from octavus_cli.emulator.state import SessionState

Entry = dict[str, Any]
MAX_ENTRIES = 3000
EMULATED_PROVIDER = "emulator"
EMULATED_MODEL = "emulator-deterministic"

_sequence = itertools.count(1)


def add_entry(session: SessionState, kind: str, **fields: Any) -> Entry:
    """Append one entry to the session's log and return it."""
    entry: Entry = {
        "id": new_id(),
        "timestamp": iso_at(time.time()),
        "type": kind,
        "sequence": next(_sequence),
    }
    entry.update({key: value for key, value in fields.items() if value is not None})
    session.logs.append(entry)
    return entry


def log_view(session: SessionState, *, exclude_model_requests: bool) -> dict[str, Any]:
    """The body of ``GET .../logs``: the latest entries, with ``total`` when cut."""
    entries = [
        copy.deepcopy(entry)
        for entry in session.logs
        if not (exclude_model_requests and entry.get("type") == "model-request")
    ]
    body: dict[str, Any] = {"sessionId": session.id, "entries": entries[-MAX_ENTRIES:]}
    if len(entries) > MAX_ENTRIES:
        body["total"] = len(entries)
        body["truncated"] = True
    return body


class LoggingSink:
    """Passes events on to ``inner`` and logs the ones an execution log shows."""

    def __init__(self, inner: Any, session: SessionState, *, traced: bool) -> None:
        self.inner = inner
        self.session = session
        self.traced = traced
        self._text: list[str] | None = None

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)

    def send(self, event: Mapping[str, Any]) -> None:
        self._observe(event)
        self.inner.send(event)

    def _observe(self, event: Mapping[str, Any]) -> None:
        kind = event.get("type")
        if kind == "block-start" and event.get("blockType") == "next-message":
            self._model_request(event)
        elif kind == "text-start":
            self._text = []
        elif kind == "text-delta" and self._text is not None:
            self._text.append(str(event.get("delta", "")))
        elif kind == "text-end" and self._text is not None:
            add_entry(self.session, "llm-response", response="".join(self._text))
            self._text = None
        elif kind == "tool-request":
            calls = event.get("toolCalls")
            for call in calls if isinstance(calls, list) else []:
                add_entry(
                    self.session,
                    "tool-call",
                    toolName=call.get("toolName"),
                    toolCallId=call.get("toolCallId"),
                    toolArguments=copy.deepcopy(call.get("args")),
                )
        elif kind == "error":
            details = {
                key: event.get(key)
                for key in ("message", "source", "retryable", "code", "provider")
                if event.get(key) is not None
            }
            add_entry(self.session, "error", error={"type": event.get("errorType"), **details})

    def _model_request(self, event: Mapping[str, Any]) -> None:
        request: dict[str, Any] = {
            "requestType": "llm",
            "provider": EMULATED_PROVIDER,
            "model": EMULATED_MODEL,
        }
        thread_name = str(event.get("thread") or "main")
        if self.traced:
            thread = self.session.threads.get(thread_name)
            request["requestBody"] = {
                "model": EMULATED_MODEL,
                "system": thread.system if thread else "",
                "messages": copy.deepcopy(thread.history) if thread else [],
                "tools": list(thread.tools) if thread else [],
            }
        add_entry(
            self.session,
            "model-request",
            blockName=event.get("blockName"),
            thread=None if thread_name == "main" else thread_name,
            model=EMULATED_MODEL,
            modelRequest=request,
        )
