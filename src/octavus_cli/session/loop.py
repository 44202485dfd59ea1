"""One trigger and its tool loop, until a ``finish`` that is not ``tool-calls``.

A stream that carries ``tool-request`` ends with ``finish`` reason
``tool-calls``; the calls are run locally and their results POSTed to the same
trigger URL with the ``executionId``, which starts the next stream. A stream
that ends without ``finish`` (and without an ``error`` event) is a failure the
caller reports with the session id, so the user can resume.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from octavus_cli.debug_log import debug_on
from octavus_cli.errors import ApiError
from octavus_cli.platform.sessions import EventStream, SessionsApi, StreamFailed
from octavus_cli.records import field, record
from octavus_cli.session.render import Renderer
from octavus_cli.session.tools import ToolCall, ToolRunner, fit_results

MAX_TOOL_ROUNDS = 100
TOOL_CALLS = "tool-calls"

StreamOpener = Callable[[], AbstractContextManager[EventStream]]


@record
class TurnResult:
    finish_reason: str | None
    error_events: int

    @property
    def failed(self) -> bool:
        return self.error_events > 0 or self.finish_reason == "error"


@record(frozen=False)
class _StreamState:
    execution_id: str | None = None
    finish_reason: str | None = None
    finished: bool = False
    error_events: int = 0
    calls: list[ToolCall] = field(default_factory=list)

    def see(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        execution_id = event.get("executionId")
        if isinstance(execution_id, str) and execution_id:
            self.execution_id = execution_id
        if kind == "finish":
            self.finished = True
            reason = event.get("finishReason")
            self.finish_reason = reason if isinstance(reason, str) else None
        elif kind == "error":
            self.error_events += 1
        elif kind == "tool-request":
            raw_calls = event.get("toolCalls")
            for raw in raw_calls if isinstance(raw_calls, list) else []:
                call = ToolCall.from_event(raw)
                if call is not None:
                    self.calls.append(call)


def play(stream: EventStream, state: _StreamState, renderer: Renderer) -> None:
    """Hand each event of ``stream`` to ``state`` and ``renderer``. What the renderer
    holds back is shown whenever the stream waits for the network, and at its end."""
    stream.before_read = renderer.caught_up
    try:
        for event in stream:
            state.see(event)
            renderer.event(event, stream.decoder.last_text)
    finally:
        renderer.caught_up()


@record(frozen=False)
class SessionRun:
    """Sends triggers to one session and drives each through its tool loop."""

    sessions: SessionsApi
    session_id: str
    renderer: Renderer
    tools: ToolRunner

    def send(self, trigger: str, trigger_input: dict[str, Any] | None) -> TurnResult:
        def first() -> AbstractContextManager[EventStream]:
            return self.sessions.trigger(self.session_id, trigger, trigger_input)

        try:
            return self._send(first)
        except BaseException:
            self.renderer.end_turn()  # never leave a live line behind
            raise

    def _send(self, first: StreamOpener) -> TurnResult:
        opener: StreamOpener = first
        errors = 0
        for _ in range(MAX_TOOL_ROUNDS):
            state = self._consume(opener)
            errors += state.error_events
            if not state.finished:
                if state.error_events:
                    return TurnResult(None, errors)
                raise StreamFailed(
                    "The event stream ended before the run finished (no finish event)",
                    session_id=self.session_id,
                )
            if state.finish_reason != TOOL_CALLS:
                return TurnResult(state.finish_reason, errors)
            opener = self._tool_round(state)
        raise ApiError(
            f"The agent asked for tools more than {MAX_TOOL_ROUNDS} times in one turn; stopped",
            hint="Check the agent's maxSteps and the tool results it receives.",
        )

    def _tool_round(self, state: _StreamState) -> StreamOpener:
        """Run the requested calls; return the opener of the continuation stream."""
        execution_id = state.execution_id
        if not state.calls or execution_id is None:
            what = "no tool calls" if not state.calls else "no executionId to continue with"
            raise StreamFailed(
                f"The platform finished with reason tool-calls but sent {what}",
                session_id=self.session_id,
            )
        results = fit_results(execution_id, self.tools.run_all(state.calls))
        self.renderer.tool_results(results)
        wire = [result.to_wire() for result in results]

        def continuation() -> AbstractContextManager[EventStream]:
            return self.sessions.continue_execution(self.session_id, execution_id, wire)

        return continuation

    def _consume(self, opener: StreamOpener) -> _StreamState:
        state = _StreamState()
        self.renderer.waiting("Waiting for the agent…")
        with opener() as stream:
            try:
                play(stream, state, self.renderer)
            finally:
                self._report_skipped(stream)
        return state

    def _report_skipped(self, stream: EventStream) -> None:
        skipped = stream.decoder.skipped
        if not skipped:
            return
        self.renderer.status(
            f"Skipped {len(skipped)} malformed line{'s' if len(skipped) > 1 else ''} "
            "in the event stream"
        )
        if debug_on():
            for line in skipped:
                self.renderer.status(f"  skipped: {line}")
