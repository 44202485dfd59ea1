"""The Sessions API (CONTRACT section 5): create, get, and trigger/continue as events.

A trigger or a continuation answers with a server-sent event stream. The
request is retried only before any byte of the stream arrived (the HTTP layer
does that); a ``429 SESSION_BUSY`` is waited out per ``Retry-After`` a bounded
number of extra times. Once the stream is open, a connection that breaks or
stays silent longer than the read timeout raises :class:`StreamFailed`;
malformed lines are skipped by the decoder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx

from octavus_cli.errors import ApiError
from octavus_cli.pacing import pace_sleep
from octavus_cli.platform.headers import session_headers
from octavus_cli.platform.http import PlatformClient, expect_object, path_segment
from octavus_cli.platform.session_models import SessionLogs, SessionState
from octavus_cli.platform.sse import SseDecoder, sse_lines
from octavus_cli.records import field, record

SESSION_BUSY = "SESSION_BUSY"
DEFAULT_BUSY_WAIT = 2.0
MAX_BUSY_WAIT = 8.0


class StreamFailed(ApiError):
    """The event stream broke off (cut, silent or unreadable) before ``finish``."""

    def __init__(self, message: str, *, session_id: str) -> None:
        super().__init__(message)
        self.session_id = session_id
        self.details["sessionId"] = session_id


@record(frozen=False)
class EventStream:
    """The decoded events of one open trigger or continuation response."""

    response: httpx.Response
    session_id: str
    idle_timeout: float | None
    decoder: SseDecoder = field(default_factory=SseDecoder)
    # Called before each read from the network, once every event of what was read has
    # been handed over: a consumer that holds output back shows it then.
    before_read: Callable[[], None] | None = None

    def _texts(self) -> Iterator[str]:
        chunks = self.response.iter_text()
        while True:
            if self.before_read is not None:
                self.before_read()
            text = next(chunks, None)
            if text is None:
                return
            yield text

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            yield from self.decoder.events(sse_lines(self._texts()))
        except httpx.TimeoutException:
            silent = f"{self.idle_timeout:g} s" if self.idle_timeout else "too long"
            raise StreamFailed(
                f"The event stream went silent (no data for {silent}); the connection is "
                "considered dead",
                session_id=self.session_id,
            ) from None
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise StreamFailed(
                f"The event stream was cut off ({type(exc).__name__})",
                session_id=self.session_id,
            ) from None


@record(frozen=False)
class SessionsApi:
    client: PlatformClient
    busy_retries: int = 3  # extra rounds after the HTTP layer's own retries
    on_busy: Callable[[float, int], None] | None = None
    sleep: Callable[[float], None] = pace_sleep
    trace: bool = False  # X-Octavus-Trace: true on every request (a traced run)

    @property
    def headers(self) -> dict[str, str]:
        return session_headers(trace=self.trace)

    def create(self, agent_id: str, session_input: dict[str, Any] | None = None) -> str:
        """A new session of ``agent_id`` (the id, not the slug); returns its id."""
        body: dict[str, Any] = {"agentId": agent_id}
        if session_input:
            body["input"] = session_input
        data = expect_object(
            self.client.request_json(
                "POST",
                "/api/agent-sessions",
                body=body,
                idempotent=False,
                what="create session",
                headers=self.headers,
            ),
            "create session",
        )
        session_id = data.get("sessionId")
        if not isinstance(session_id, str) or not session_id:
            raise ApiError("The platform answered create session without a sessionId")
        return session_id

    def get(self, session_id: str) -> dict[str, Any]:
        """The session state: ``status`` is ``active`` or ``expired``."""
        what = f"session {session_id!r}"
        data = self.client.request_json(
            "GET",
            f"/api/agent-sessions/{path_segment(session_id)}",
            what=what,
            headers=self.headers,
        )
        return expect_object(data, f"get {what}")

    def state(self, session_id: str) -> SessionState:
        """The session as a typed state (active or expired)."""
        return SessionState.from_wire(self.get(session_id), session_id)

    def ui_messages(self, session_id: str) -> SessionState:
        """``?format=ui``: the UI messages only (what a user saw)."""
        what = f"session {session_id!r}"
        data = self.client.request_json(
            "GET",
            f"/api/agent-sessions/{path_segment(session_id)}",
            params={"format": "ui"},
            what=what,
            headers=self.headers,
        )
        return SessionState.from_wire(expect_object(data, f"get {what}"), session_id)

    def logs(self, session_id: str, *, exclude_model_requests: bool = False) -> SessionLogs:
        """The execution log (``model-request`` entries left out on request)."""
        what = f"logs of session {session_id!r}"
        data = self.client.request_json(
            "GET",
            f"/api/agent-sessions/{path_segment(session_id)}/logs",
            params={"excludeModelRequests": "true"} if exclude_model_requests else None,
            what=what,
            headers=self.headers,
        )
        return SessionLogs.from_wire(expect_object(data, f"get {what}"), session_id)

    def clear(self, session_id: str) -> bool:
        """Clear the session (idempotent); returns the platform's ``cleared``."""
        what = f"session {session_id!r}"
        data = expect_object(
            self.client.request_json(
                "DELETE",
                f"/api/agent-sessions/{path_segment(session_id)}",
                what=what,
                headers=self.headers,
            ),
            f"clear {what}",
        )
        return data.get("cleared") is not False

    def restore(
        self,
        session_id: str,
        messages: list[dict[str, Any]],
        session_input: dict[str, Any] | None = None,
    ) -> bool:
        """Restore an expired session from stored UI messages; ``False`` if it was active."""
        what = f"session {session_id!r}"
        body: dict[str, Any] = {"messages": messages}
        if session_input:
            body["input"] = session_input
        data = expect_object(
            self.client.request_json(
                "POST",
                f"/api/agent-sessions/{path_segment(session_id)}/restore",
                body=body,
                idempotent=True,  # restoring the same messages twice is harmless
                what=what,
                headers=self.headers,
            ),
            f"restore {what}",
        )
        return data.get("restored") is True

    @contextmanager
    def trigger(
        self, session_id: str, trigger_name: str, trigger_input: dict[str, Any] | None = None
    ) -> Iterator[EventStream]:
        """Run a trigger; yields the stream of its events."""
        body: dict[str, Any] = {"triggerName": trigger_name}
        if trigger_input:
            body["input"] = trigger_input
        with self._stream(session_id, body) as events:
            yield events

    @contextmanager
    def continue_execution(
        self, session_id: str, execution_id: str, tool_results: list[dict[str, Any]]
    ) -> Iterator[EventStream]:
        """Send tool results to the same trigger URL; yields the stream that follows."""
        body = {"executionId": execution_id, "toolResults": tool_results}
        with self._stream(session_id, body) as events:
            yield events

    @contextmanager
    def _stream(self, session_id: str, body: dict[str, Any]) -> Iterator[EventStream]:
        with ExitStack() as stack:
            response = self._open(stack, session_id, body)
            yield EventStream(response, session_id, self.client.timeout.read)

    def _open(self, stack: ExitStack, session_id: str, body: dict[str, Any]) -> httpx.Response:
        """Open the stream, waiting out SESSION_BUSY a bounded number of extra times."""
        path = f"/api/agent-sessions/{path_segment(session_id)}/trigger"
        rounds = 0
        while True:
            try:
                return stack.enter_context(
                    self.client.stream(
                        "POST",
                        path,
                        body=body,
                        idempotent=False,
                        what=f"session {session_id!r}",
                        headers={**self.headers, "Accept": "text/event-stream"},
                    )
                )
            except ApiError as err:
                if err.api_code != SESSION_BUSY or rounds >= self.busy_retries:
                    raise
                rounds += 1
                delay = min(MAX_BUSY_WAIT, err.retry_after or DEFAULT_BUSY_WAIT)
                delay = self.client.retry.after(delay, self.client.rng)  # jitter, never sooner
                if self.on_busy is not None:
                    self.on_busy(delay, rounds)
                self.sleep(delay)
