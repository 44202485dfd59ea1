"""The Workers API (CONTRACT section 8): execute a worker agent and continue it after tools."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from octavus_cli.platform.headers import session_headers
from octavus_cli.platform.http import PlatformClient, path_segment
from octavus_cli.platform.sessions import EventStream
from octavus_cli.records import record


@record(frozen=False)
class WorkersApi:
    client: PlatformClient
    trace: bool = False  # X-Octavus-Trace: true on every request (a traced run)

    @contextmanager
    def start(self, agent_id: str, worker_input: dict[str, Any]) -> Iterator[EventStream]:
        """``{type: "start", input}``: yields the stream of the run's events."""
        with self._stream(agent_id, {"type": "start", "input": worker_input}, agent_id) as events:
            yield events

    @contextmanager
    def continue_execution(
        self, agent_id: str, execution_id: str, tool_results: list[dict[str, Any]]
    ) -> Iterator[EventStream]:
        """``{type: "continue", executionId, toolResults}`` after client tools ran."""
        body = {"type": "continue", "executionId": execution_id, "toolResults": tool_results}
        with self._stream(agent_id, body, execution_id) as events:
            yield events

    @contextmanager
    def _stream(self, agent_id: str, body: dict[str, Any], run_id: str) -> Iterator[EventStream]:
        headers = {**session_headers(trace=self.trace), "Accept": "text/event-stream"}
        with self.client.stream(
            "POST",
            f"/api/agents/{path_segment(agent_id)}/execute",
            body=body,
            idempotent=False,
            what=f"worker {agent_id!r}",
            headers=headers,
        ) as response:
            yield EventStream(response, run_id, self.client.timeout.read)
