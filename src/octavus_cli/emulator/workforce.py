"""Workforce threads: runs whose status advances with time, deterministically.

Attached ``files`` (file references) appear as ``file`` parts of the user message.

A dispatch or follow-up adds a *run*. Runs of a thread go one after the other:
each is ``pending`` for ``pending`` seconds, then ``running`` for ``running``
seconds, then terminal. Markers in the message decide how it ends:

==============  ========================================================
marker          outcome
==============  ========================================================
(none)          ``completed``, with the reply ``Task N complete. You asked: <message>``
``[fail]``      ``failed``, with a ``failureReason``
``[cancel]``    ``cancelled`` at the end of its running time
``[slow]``      runs for ``slow`` seconds (an hour by default: timeout tests)
==============  ========================================================

``POST .../cancel`` cancels the run in flight at once. Times are wall-clock, so
threads stored in a data file keep advancing across restarts.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from octavus_cli.emulator.ids import iso_at, new_message_id
from octavus_cli.emulator.model import excerpt
from octavus_cli.records import field, record

FAIL_MARKER = "[fail]"
CANCEL_MARKER = "[cancel]"
SLOW_MARKER = "[slow]"
FAILURE_REASON = "The message asked for it with the [fail] marker (emulator)."
TERMINAL = ("completed", "failed", "cancelled")


@record
class WorkforceDurations:
    """Seconds each run spends pending and running (``slow``: running time of ``[slow]``)."""

    pending: float = 0.2
    running: float = 0.5
    slow: float = 3600.0


@record(frozen=False)
class Run:
    message: str
    dispatched: float
    pending: float
    running: float
    outcome: str  # completed | failed | cancelled
    user_message_id: str = field(default_factory=new_message_id)
    reply_message_id: str = field(default_factory=new_message_id)
    cancelled_at: float | None = None
    files: list[Any] = field(default_factory=list)

    @classmethod
    def for_message(
        cls, message: str, durations: WorkforceDurations, now: float, files: list[Any]
    ) -> Run:
        outcome = "completed"
        if FAIL_MARKER in message:
            outcome = "failed"
        elif CANCEL_MARKER in message:
            outcome = "cancelled"
        running = durations.slow if SLOW_MARKER in message else durations.running
        return cls(message, now, durations.pending, running, outcome, files=list(files))

    def to_json(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "dispatched": self.dispatched,
            "pending": self.pending,
            "running": self.running,
            "outcome": self.outcome,
            "userMessageId": self.user_message_id,
            "replyMessageId": self.reply_message_id,
            "cancelledAt": self.cancelled_at,
            "files": self.files,
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Run:
        return cls(
            message=str(doc["message"]),
            dispatched=float(doc["dispatched"]),
            pending=float(doc["pending"]),
            running=float(doc["running"]),
            outcome=str(doc["outcome"]),
            user_message_id=str(doc["userMessageId"]),
            reply_message_id=str(doc["replyMessageId"]),
            cancelled_at=None if doc.get("cancelledAt") is None else float(doc["cancelledAt"]),
            files=list(doc.get("files") or []),
        )


@record(frozen=False)
class _Span:
    run: Run
    start: float
    end: float
    outcome: str


@record(frozen=False)
class WorkforceThread:
    id: str
    agent_id: str
    created: float = field(default_factory=time.time)
    runs: list[Run] = field(default_factory=list)

    def _spans(self) -> list[_Span]:
        spans: list[_Span] = []
        previous_end = 0.0
        for run in self.runs:
            start = max(run.dispatched, previous_end)
            end = start + run.pending + run.running
            outcome = run.outcome
            if run.cancelled_at is not None and run.cancelled_at < end:
                end, outcome = max(run.cancelled_at, start), "cancelled"
            spans.append(_Span(run, start, end, outcome))
            previous_end = end
        return spans

    def status(self, now: float | None = None) -> tuple[str, str | None]:
        """``(status, failureReason)`` at ``now``."""
        now = time.time() if now is None else now
        spans = self._spans()
        for span in spans:
            if now < span.end:
                return ("pending" if now < span.start + span.run.pending else "running"), None
        if not spans:
            return "idle", None
        last = spans[-1]
        return last.outcome, FAILURE_REASON if last.outcome == "failed" else None

    def cancel(self, now: float | None = None) -> None:
        """Cancel the run in flight, if any."""
        now = time.time() if now is None else now
        for span in self._spans():
            if now < span.end:
                span.run.cancelled_at = now
                return

    def messages(self, now: float | None = None) -> list[dict[str, Any]]:
        """The UIMessages a user sees at ``now``: each message, and each completed reply."""
        now = time.time() if now is None else now
        items: list[dict[str, Any]] = []
        for number, span in enumerate(self._spans(), start=1):
            run = span.run
            items.append(
                _message(run.user_message_id, "user", run.message, run.dispatched, run.files)
            )
            if span.outcome == "completed" and now >= span.end:
                reply = f"Task {number} complete. You asked: {excerpt(run.message, 40)}"
                items.append(_message(run.reply_message_id, "assistant", reply, span.end))
        return items

    def view(self, now: float | None = None) -> dict[str, Any]:
        """The body of ``GET .../threads/{threadId}``."""
        now = time.time() if now is None else now
        status, reason = self.status(now)
        return {
            "threadId": self.id,
            "status": status,
            "failureReason": reason,
            "messages": self.messages(now),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agentId": self.agent_id,
            "created": self.created,
            "runs": [run.to_json() for run in self.runs],
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> WorkforceThread:
        return cls(
            id=str(doc["id"]),
            agent_id=str(doc["agentId"]),
            created=float(doc.get("created", time.time())),
            runs=[Run.from_json(r) for r in doc.get("runs", [])],
        )


def _message(
    message_id: str, role: str, text: str, at: float, files: list[Any] | None = None
) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"type": "text", "text": text, "status": "done"}]
    for file in files or []:
        if isinstance(file, Mapping) and all(isinstance(file.get(k), str) for k in _FILE_KEYS):
            part = {"type": "file", **{k: file[k] for k in _FILE_KEYS}}
            part.update({k: file[k] for k in ("filename", "size") if k in file})
            parts.append(part)
    return {
        "id": message_id,
        "role": role,
        "parts": parts,
        "status": "done",
        "createdAt": iso_at(at),
    }


_FILE_KEYS = ("id", "mediaType", "url")
