"""One worker run through the execute endpoint, with its tool loop, to a result.

Read as the SDK's ``generate()`` does: the whole stream is drained; an ``error``
event or a ``worker-result`` with ``error`` is a failure (the error event's
message is preferred), a stream without ``worker-result`` is a failure too, and
otherwise the output is ``worker-result.output``. ``usage`` is read wherever it
arrives. The run's session id is the ``start`` event's ``executionId``.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from typing import Any

from octavus_cli.errors import ApiError, RunFailed
from octavus_cli.platform.sessions import EventStream, StreamFailed
from octavus_cli.platform.workers import WorkersApi
from octavus_cli.records import record
from octavus_cli.session.loop import MAX_TOOL_ROUNDS, TOOL_CALLS, _StreamState, play
from octavus_cli.session.render import Renderer
from octavus_cli.session.tools import ToolRunner, fit_results


@record(frozen=False)
class _WorkerState(_StreamState):
    result: dict[str, Any] | None = None
    error_message: str | None = None
    usage: dict[str, Any] | None = None
    worker_id: str | None = None

    def see(self, event: dict[str, Any]) -> None:
        super().see(event)
        kind = event.get("type")
        if kind == "worker-start" and isinstance(event.get("workerId"), str):
            self.worker_id = event["workerId"]
        elif kind == "worker-result":
            self.result = event
        elif kind == "usage":
            self.usage = event
        elif kind == "error" and self.error_message is None:
            message = event.get("message")
            kind_name = event.get("errorType") or "error"
            self.error_message = f"{kind_name}: {message}" if message else str(kind_name)


@record(frozen=False)
class WorkerOutcome:
    run_id: str | None
    output: Any = None
    usage: dict[str, Any] | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


def cost_line(usage: dict[str, Any]) -> str:
    """``Cost: 0.0012 USD (provider 0.001, bandwidth 0.0002); tokens: in 120, out 45``."""
    raw_cost, raw_tokens = usage.get("cost"), usage.get("tokens")
    cost: dict[str, Any] = raw_cost if isinstance(raw_cost, dict) else {}
    tokens: dict[str, Any] = raw_tokens if isinstance(raw_tokens, dict) else {}
    text = (
        f"Cost: {cost.get('totalFee', '?')} {cost.get('currency', '')}".rstrip()
        + f" (provider {cost.get('providerFee', '?')}, bandwidth {cost.get('bandwidthFee', '?')}"
        + (", BYOK" if cost.get("byok") is True else "")
        + ")"
    )
    return (
        f"{text}; tokens: in {tokens.get('inputTokens', '?')}, "
        f"out {tokens.get('outputTokens', '?')}, total {tokens.get('totalTokens', '?')}"
    )


def output_text(value: Any) -> str:
    """The output value as printed at the end of a human run."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=2)


@record(frozen=False)
class WorkerRun:
    workers: WorkersApi
    agent_id: str
    renderer: Renderer
    tools: ToolRunner

    def run(self, worker_input: dict[str, Any]) -> WorkerOutcome:
        def first() -> AbstractContextManager[EventStream]:
            return self.workers.start(self.agent_id, worker_input)

        opener = first
        outcome = WorkerOutcome(None)
        for _ in range(MAX_TOOL_ROUNDS):
            state = self._consume(opener)
            outcome.run_id = state.execution_id or state.worker_id or outcome.run_id
            if state.usage is not None:
                outcome.usage = state.usage
            if state.error_events or state.finish_reason != TOOL_CALLS:
                return self._finish(state, outcome)
            opener = self._tool_round(state, outcome.run_id)
        raise ApiError(
            f"The worker asked for tools more than {MAX_TOOL_ROUNDS} times; stopped",
            hint="Check the worker's maxSteps and the tool results it receives.",
        )

    def _finish(self, state: _WorkerState, outcome: WorkerOutcome) -> WorkerOutcome:
        if state.error_message is not None:
            outcome.error = state.error_message
        elif state.result is not None and state.result.get("error"):
            outcome.error = str(state.result.get("error"))
        elif state.result is None:
            outcome.error = "The worker completed without producing a result"
        else:
            outcome.output = state.result.get("output")
        return outcome

    def _tool_round(self, state: _WorkerState, run_id: str | None) -> Any:
        execution_id = state.execution_id
        if not state.calls or execution_id is None:
            what = "no tool calls" if not state.calls else "no executionId to continue with"
            raise StreamFailed(
                f"The platform finished with reason tool-calls but sent {what}",
                session_id=run_id or self.agent_id,
            )
        results = fit_results(execution_id, self.tools.run_all(state.calls))
        self.renderer.tool_results(results)
        wire = [result.to_wire() for result in results]

        def continuation() -> AbstractContextManager[EventStream]:
            return self.workers.continue_execution(self.agent_id, execution_id, wire)

        return continuation

    def _consume(self, opener: Any) -> _WorkerState:
        state = _WorkerState()
        with opener() as stream:
            play(stream, state, self.renderer)
        return state


def failure(outcome: WorkerOutcome) -> RunFailed:
    hint = (
        f"See what ran: octavus sessions logs {outcome.run_id}"
        if outcome.run_id
        else "Run again with --json to see every event."
    )
    error = RunFailed(f"The worker run failed: {outcome.error}", hint=hint)
    if outcome.run_id:
        error.details["sessionId"] = outcome.run_id
    return error
