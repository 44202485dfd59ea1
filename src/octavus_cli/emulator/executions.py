"""Starting and continuing executions as event streams (sessions and workers share this).

The request handler checks everything that can be checked up front (unknown
trigger, bad input, wrong ``executionId``, missing tool results, busy session),
so those errors are ordinary JSON answers. Only then does it return a
:class:`StreamResponse`, whose producer runs the engine. The producer saves the
session and frees it *before* it writes ``finish`` and ``[DONE]``.
"""

from __future__ import annotations

import copy
import json
import traceback
from collections.abc import Mapping
from typing import Any

from octavus_cli.emulator.context import EmulatorContext
from octavus_cli.emulator.engine import Engine, Execution, Outcome, abandon
from octavus_cli.emulator.ids import new_id, new_message_id
from octavus_cli.emulator.logs import LoggingSink, add_entry
from octavus_cli.emulator.problems import bad_request, not_found
from octavus_cli.emulator.routing import StreamResponse
from octavus_cli.emulator.sse import SseStream, StreamClosed
from octavus_cli.emulator.state import SessionState
from octavus_cli.emulator.store import AgentRecord
from octavus_cli.protocol.model import ProtocolModel

ABANDONED = "No result arrived for this tool call; the execution was abandoned"


def load_session(ctx: EmulatorContext, session_id: str) -> SessionState:
    doc = ctx.store.load_session(session_id)
    if doc is None:
        raise not_found(f"Session not found: {session_id}", code="SESSION_NOT_FOUND")
    return SessionState.from_json(doc)


def save_session(ctx: EmulatorContext, session: SessionState) -> None:
    ctx.store.save_session(session.id, session.agent_id, session.to_json())


def check_tool_results(execution: Execution, raw: Any) -> dict[str, Mapping[str, Any]]:
    """One result per pending call, by toolCallId; 400 otherwise."""
    if not isinstance(raw, list):
        raise bad_request("toolResults must be an array of {toolCallId, toolName, result|error}")
    results: dict[str, Mapping[str, Any]] = {}
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping) or not isinstance(item.get("toolCallId"), str):
            raise bad_request(f"toolResults[{index}] must be an object with a toolCallId")
        results[item["toolCallId"]] = item
    expected = [call.tool_call_id for call in execution.pending]
    missing = [call_id for call_id in expected if call_id not in results]
    if missing:
        raise bad_request(
            f"Missing tool results for: {', '.join(missing)} (one result per requested call)",
            code="MISSING_TOOL_RESULTS",
        )
    unknown = [call_id for call_id in results if call_id not in expected]
    if unknown:
        raise bad_request(
            f"Unknown toolCallId: {', '.join(unknown)}; this execution asked for "
            f"{', '.join(expected)}",
            code="UNKNOWN_TOOL_CALL",
        )
    return results


class ExecutionService:
    def __init__(self, ctx: EmulatorContext) -> None:
        self.ctx = ctx

    def start(
        self,
        session: SessionState,
        agent: AgentRecord,
        protocol: ProtocolModel,
        trigger_name: str | None,
        trigger_input: dict[str, Any],
        *,
        worker: bool = False,
        execution_id: str | None = None,
        rollback: tuple[bool, str | None] = (False, None),
        traced: bool = False,
    ) -> StreamResponse:
        """Claim the session (429 when busy) and stream a new execution."""
        runtime = self.ctx.runtime
        abandoned = runtime.begin_trigger(session.id)
        try:
            session = load_session(self.ctx, session.id)  # fresh, now that it is ours
            if abandoned is not None:
                abandon(abandoned, session, ABANDONED)
            if rollback[0]:
                _rollback(session, rollback[1])
            execution = Execution(
                id=execution_id or new_id(),
                session_id=session.id,
                agent=agent,
                protocol=protocol,
                trigger_name=trigger_name,
                trigger_input=dict(trigger_input),
                blocks=protocol.blocks_for(trigger_name),
                message_id=new_message_id(),
                worker=worker,
                traced=traced,
            )
        except BaseException:
            runtime.end(session.id, None)
            raise
        runtime.attach(session.id, execution)
        return StreamResponse(
            produce=lambda stream: self._produce(stream, session, execution, None),
            release=lambda: self._release(session.id, execution, None),
        )

    def resume(
        self, session_id: str, execution_id: Any, raw_results: Any, *, traced: bool = False
    ) -> StreamResponse:
        """Claim the session for the continuation of ``execution_id`` (400/429 otherwise)."""
        if not isinstance(execution_id, str) or not execution_id:
            raise bad_request(
                "executionId is required with toolResults: use the executionId of the "
                "start event of the stream that requested the tools",
                code="INVALID_EXECUTION",
            )
        runtime = self.ctx.runtime
        execution = runtime.begin_continuation(session_id, execution_id)
        try:
            results = check_tool_results(execution, raw_results)
            session = load_session(self.ctx, session_id)
            execution.traced = traced
        except BaseException:
            runtime.end(session_id, execution)  # still waiting for a valid continuation
            raise
        return StreamResponse(
            produce=lambda stream: self._produce(stream, session, execution, results),
            release=lambda: self._release(session_id, execution, execution),
        )

    def _release(self, session_id: str, execution: Execution, paused: Execution | None) -> None:
        """After the stream: free the session if the producer never got to.

        Only ``execution``'s own claim is ended: by the time a finished stream's
        connection closes, the client may already have started the next run.
        """
        self.ctx.runtime.end_if_running(session_id, execution, paused)

    def _produce(
        self,
        stream: SseStream,
        session: SessionState,
        execution: Execution,
        results: Mapping[str, Mapping[str, Any]] | None,
    ) -> None:
        runtime = self.ctx.runtime
        _log_inputs(session, execution, results)
        sink = LoggingSink(stream, session, traced=execution.traced)
        try:
            engine = Engine(execution, session, sink, token_delay=self.ctx.settings.token_delay)
            outcome = engine.start() if results is None else engine.resume(results)
        except StreamClosed:
            # The client went away (or a fault cut the stream): the execution ends here.
            session.touch(self.ctx.settings.clock())
            save_session(self.ctx, session)
            runtime.end(session.id, None)
            raise
        except Exception as exc:
            self.ctx.log(f"emulator: execution {execution.id} failed:\n{traceback.format_exc()}")
            session.touch(self.ctx.settings.clock())
            save_session(self.ctx, session)
            runtime.end(session.id, None)
            stream.send(
                {
                    "type": "error",
                    "errorType": "internal_error",
                    "message": f"The emulator failed to run this execution: {exc}",
                    "retryable": False,
                    "source": "platform",
                }
            )
            stream.done()
            return
        if outcome is Outcome.FINISHED and execution.worker:
            add_entry(session, "worker-output", workerOutput=copy.deepcopy(execution.output))
        session.touch(self.ctx.settings.clock())
        save_session(self.ctx, session)
        if outcome is Outcome.PAUSED:
            runtime.end(session.id, execution)
            stream.send(
                {"type": "finish", "finishReason": "tool-calls", "executionId": execution.id}
            )
        elif outcome is Outcome.FINISHED:
            runtime.end(session.id, None)
            stream.send({"type": "finish", "finishReason": "stop", "executionId": execution.id})
            if execution.worker:
                stream.send(usage_event(session, execution))
        else:
            runtime.end(session.id, None)
        stream.done()


def usage_event(session: SessionState, execution: Execution) -> dict[str, Any]:
    """The worker's ``usage`` (after ``finish``): nothing is billed, tokens are estimated."""
    words_in = len(json.dumps(session.input, ensure_ascii=False).split())
    words_out = len(json.dumps(execution.output, ensure_ascii=False).split())
    return {
        "type": "usage",
        "cost": {
            "currency": "USD",
            "bandwidthFee": 0,
            "providerFee": 0,
            "totalFee": 0,
            "byok": False,
        },
        "tokens": {
            "inputTokens": words_in,
            "outputTokens": words_out,
            "totalTokens": words_in + words_out,
        },
    }


def _log_inputs(
    session: SessionState,
    execution: Execution,
    results: Mapping[str, Mapping[str, Any]] | None,
) -> None:
    """The log entries of what starts this stream: the trigger, or the tool results."""
    if results is None:
        if execution.worker:
            add_entry(session, "worker-execution", workerInput=copy.deepcopy(session.input))
        else:
            add_entry(
                session,
                "trigger",
                triggerName=execution.trigger_name,
                triggerInput=copy.deepcopy(execution.trigger_input),
            )
        return
    for call in execution.pending:
        result = results.get(call.tool_call_id, {})
        error = result.get("error")
        value = {"error": error} if error is not None else result.get("result")
        add_entry(
            session,
            "tool-result",
            toolName=call.tool_name,
            toolCallId=call.tool_call_id,
            toolResult=copy.deepcopy(value),
        )


def _rollback(session: SessionState, after_message_id: str | None) -> None:
    """``rollbackAfterMessageId``: keep messages up to that one (``None``: none)."""
    from octavus_cli.emulator.state import ThreadState, rebuild_main_history

    if after_message_id is None:
        kept: list[dict[str, Any]] = []
    else:
        ids = [m.get("id") for m in session.messages]
        if after_message_id not in ids:
            return
        kept = session.messages[: ids.index(after_message_id) + 1]
    session.messages = kept
    main = session.threads.setdefault("main", ThreadState("main"))
    main.history = rebuild_main_history(kept)
