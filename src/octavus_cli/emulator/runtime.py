"""One execution per session at a time, and the executions paused for tool results.

A session is *busy* while an execution streams, and while it waits for tool
results -- for at most ``pending_tool_timeout`` seconds (default 60). After that
the paused execution is abandoned: its tool calls are marked as failed, a new
trigger is accepted and a late continuation gets 400.

A trigger that finds the session streaming waits up to ``busy_wait`` seconds for
it to end (the platform "waits briefly"), then gets 429 ``SESSION_BUSY`` with
``Retry-After``. A trigger that finds it paused gets 429 at once.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from octavus_cli.emulator.engine import Execution
from octavus_cli.emulator.problems import ApiProblem, bad_request, retry_later
from octavus_cli.records import record

BUSY_MESSAGE = "The session is busy with another run. Please try again in a moment."


@record(frozen=False)
class _Active:
    execution: Execution | None  # None until a trigger's execution is created
    streaming: bool


class SessionRuntime:
    def __init__(
        self,
        *,
        busy_wait: float = 0.25,
        pending_tool_timeout: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.busy_wait = busy_wait
        self.pending_tool_timeout = pending_tool_timeout
        # When a paused execution was paused, and whether it waited too long, are read on
        # this clock (tests move a manual one instead of sleeping past the timeout).
        self.clock = clock
        self._cond = threading.Condition()
        self._active: dict[str, _Active] = {}

    def _busy(self, retry_after: float) -> ApiProblem:
        return retry_later(429, "SESSION_BUSY", BUSY_MESSAGE, max(1.0, retry_after))

    def _wait_while_streaming(self, session_id: str) -> _Active | None:
        deadline = time.monotonic() + self.busy_wait
        while True:
            active = self._active.get(session_id)
            if active is None or not active.streaming:
                return active
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._busy(1)
            self._cond.wait(remaining)

    def _expired(self, active: _Active) -> bool:
        paused_at = active.execution.paused_at if active.execution else None
        return paused_at is not None and self.clock() - paused_at >= self.pending_tool_timeout

    def begin_trigger(self, session_id: str) -> Execution | None:
        """Mark the session busy for a new trigger; returns an abandoned paused execution."""
        with self._cond:
            active = self._wait_while_streaming(session_id)
            abandoned: Execution | None = None
            if active is not None and active.execution is not None:
                if not self._expired(active):
                    now = self.clock()
                    paused_at = active.execution.paused_at or now
                    left = self.pending_tool_timeout - (now - paused_at)
                    raise self._busy(math.ceil(left))
                abandoned = active.execution
            self._active[session_id] = _Active(None, True)
            return abandoned

    def attach(self, session_id: str, execution: Execution) -> None:
        with self._cond:
            self._active[session_id] = _Active(execution, True)

    def begin_continuation(self, session_id: str, execution_id: str) -> Execution:
        """Mark the session busy again for the continuation of ``execution_id``."""
        with self._cond:
            active = self._wait_while_streaming(session_id)
            execution = active.execution if active else None
            if active is None or execution is None or execution.id != execution_id:
                raise bad_request(
                    f"No execution {execution_id} is waiting for tool results in this session",
                    code="INVALID_EXECUTION",
                )
            if self._expired(active):  # left in place: the next trigger abandons it
                raise bad_request(
                    f"Execution {execution_id} waited more than {self.pending_tool_timeout:g} s "
                    "for tool results and was abandoned; trigger again",
                    code="INVALID_EXECUTION",
                )
            active.streaming = True
            return execution

    def pending(self, session_id: str) -> Execution | None:
        with self._cond:
            active = self._active.get(session_id)
            return active.execution if active and not active.streaming else None

    def end(self, session_id: str, paused: Execution | None) -> None:
        """The stream is over: keep ``paused`` waiting for results, or free the session."""
        with self._cond:
            self._end(session_id, paused)

    def _end(self, session_id: str, paused: Execution | None) -> None:
        if paused is not None:
            paused.paused_at = self.clock()  # waits for results from now on
            self._active[session_id] = _Active(paused, False)
        else:
            self._active.pop(session_id, None)
        self._cond.notify_all()

    def end_if_running(
        self, session_id: str, execution: Execution, paused: Execution | None
    ) -> None:
        """End the stream of ``execution`` if it still streams (never another run's)."""
        with self._cond:
            active = self._active.get(session_id)
            if active is not None and active.streaming and active.execution is execution:
                self._end(session_id, paused)

    def forget(self, session_id: str) -> None:
        """Drop whatever the session was doing (clear, restore)."""
        with self._cond:
            self._active.pop(session_id, None)
            self._cond.notify_all()

    def is_streaming(self, session_id: str) -> bool:
        with self._cond:
            active = self._active.get(session_id)
            return bool(active and active.streaming)
