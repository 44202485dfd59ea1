"""Sessions API (CONTRACT section 5): create, get, restore, clear, trigger and continue.

* Sessions are created for an agent **id** (404 for an unknown or archived agent);
  the protocol's ``input`` is checked (400 ``INVALID_INPUT`` naming the input).
* A session expires after ``session_ttl`` seconds without activity, or when cleared;
  ``GET`` then answers ``{status: "expired", sessionId, agentId, createdAt}`` and a
  trigger answers 404 ``SESSION_EXPIRED`` until the session is restored.
* ``POST .../trigger`` with ``{triggerName, input?}`` starts an execution; with
  ``{executionId, toolResults}`` (other fields may ride along, as the SDK sends
  them) it continues the execution that asked for those tools.
* A worker agent's session runs the worker's steps for any trigger name, with the
  trigger input added to the session input.
"""

from __future__ import annotations

from typing import Any

from octavus_cli.emulator.context import EmulatorContext, require_object, require_text
from octavus_cli.emulator.executions import ExecutionService, load_session, save_session
from octavus_cli.emulator.ids import new_id
from octavus_cli.emulator.inputs import InputError, check_inputs
from octavus_cli.emulator.logs import log_view
from octavus_cli.emulator.messages import from_restored, full_view, ui_view
from octavus_cli.emulator.problems import bad_request, not_found
from octavus_cli.emulator.routing import ApiRequest, JsonResponse, Response, Router
from octavus_cli.emulator.state import (
    ACTIVE,
    EXPIRED,
    SessionState,
    ThreadState,
    rebuild_main_history,
)
from octavus_cli.protocol.model import ProtocolModel


class SessionsRoutes:
    def __init__(self, ctx: EmulatorContext, executions: ExecutionService) -> None:
        self.ctx = ctx
        self.executions = executions

    def register(self, router: Router) -> None:
        router.add("POST", "/api/agent-sessions", self.create)
        router.add("GET", "/api/agent-sessions/{session_id}", self.get)
        router.add("DELETE", "/api/agent-sessions/{session_id}", self.clear)
        router.add("POST", "/api/agent-sessions/{session_id}/restore", self.restore)
        router.add("POST", "/api/agent-sessions/{session_id}/trigger", self.trigger)
        router.add("GET", "/api/agent-sessions/{session_id}/logs", self.logs)

    # -- helpers ---------------------------------------------------------------------------
    def _is_expired(self, session: SessionState) -> bool:
        if session.status == EXPIRED:
            return True
        return self.ctx.settings.clock() - session.updated > self.ctx.settings.session_ttl

    def _initial_state(self, session: SessionState, protocol: ProtocolModel) -> None:
        session.variables = {
            name: decl.data["default"]
            for name, decl in protocol.variables.items()
            if "default" in decl.data
        }
        session.resources = {
            name: decl.data.get("default") for name, decl in protocol.resources.items()
        }

    def _agent_and_protocol(self, agent_id: str) -> tuple[Any, ProtocolModel]:
        agent = self.ctx.store.get_agent_any(agent_id)
        if agent is None:
            raise not_found(f"Agent not found: {agent_id}")
        return agent, self.ctx.protocol_of(agent)

    # -- endpoints -------------------------------------------------------------------------
    def create(self, request: ApiRequest, params: dict[str, str]) -> Response:
        body = request.json_object()
        agent_id = require_text(body.get("agentId"), "agentId")
        agent = self.ctx.store.get_agent(agent_id)
        if agent is None:
            hint = ""
            if self.ctx.store.get_agent_by_slug(agent_id) is not None:
                hint = " (that is a slug; sessions need the agent id, see GET /api/agents)"
            raise not_found(f"Agent not found: {agent_id}{hint}")
        protocol = self.ctx.protocol_of(agent)
        session_input = require_object(body.get("input"), "input")
        try:
            check_inputs(protocol.inputs, session_input, what="session")
        except InputError as exc:
            raise bad_request(str(exc), code="INVALID_INPUT") from None
        now = self.ctx.settings.clock()
        session = SessionState(
            id=new_id(), agent_id=agent.id, input=dict(session_input), created=now, updated=now
        )
        self._initial_state(session, protocol)
        save_session(self.ctx, session)
        return JsonResponse(200, {"sessionId": session.id})

    def _expired_body(self, session: SessionState) -> JsonResponse:
        return JsonResponse(
            200,
            {
                "status": EXPIRED,
                "sessionId": session.id,
                "agentId": session.agent_id,
                "createdAt": session.created_at,
            },
        )

    def logs(self, request: ApiRequest, params: dict[str, str]) -> Response:
        session = load_session(self.ctx, params["session_id"])
        if self._is_expired(session):
            return self._expired_body(session)
        exclude = request.query.get("excludeModelRequests") == "true"
        return JsonResponse(200, log_view(session, exclude_model_requests=exclude))

    def get(self, request: ApiRequest, params: dict[str, str]) -> Response:
        session = load_session(self.ctx, params["session_id"])
        if self._is_expired(session):
            return self._expired_body(session)
        if request.query.get("format") == "ui":
            return JsonResponse(
                200,
                {
                    "sessionId": session.id,
                    "agentId": session.agent_id,
                    "status": ACTIVE,
                    "messages": ui_view(session.messages),
                },
            )
        return JsonResponse(
            200,
            {
                "id": session.id,
                "agentId": session.agent_id,
                "status": ACTIVE,
                "input": session.input,
                "variables": session.variables,
                "resources": session.resources,
                "messages": full_view(session.messages),
                "createdAt": session.created_at,
                "updatedAt": session.updated_at,
            },
        )

    def clear(self, request: ApiRequest, params: dict[str, str]) -> Response:
        session = load_session(self.ctx, params["session_id"])
        self.ctx.runtime.forget(session.id)
        session.status = EXPIRED
        session.messages = []
        session.threads = {}
        session.variables = {}
        session.logs = []
        session.touch(self.ctx.settings.clock())
        save_session(self.ctx, session)
        return JsonResponse(200, {"sessionId": session.id, "cleared": True})

    def restore(self, request: ApiRequest, params: dict[str, str]) -> Response:
        session = load_session(self.ctx, params["session_id"])
        body = request.json_object()
        raw_messages = body.get("messages")
        if not isinstance(raw_messages, list):
            raise bad_request("messages is required: the UIMessage[] stored from the session")
        if not self._is_expired(session):
            return JsonResponse(200, {"sessionId": session.id, "restored": False})
        try:
            messages = from_restored(raw_messages)
        except ValueError as exc:
            raise bad_request(str(exc)) from None
        _agent, protocol = self._agent_and_protocol(session.agent_id)
        if body.get("input") is not None:
            new_input = require_object(body.get("input"), "input")
            try:
                check_inputs(protocol.inputs, new_input, what="session")
            except InputError as exc:
                raise bad_request(str(exc), code="INVALID_INPUT") from None
            session.input = dict(new_input)
        self.ctx.runtime.forget(session.id)
        session.status = ACTIVE
        session.messages = messages
        self._initial_state(session, protocol)
        session.threads = {"main": ThreadState("main", history=rebuild_main_history(messages))}
        session.touch(self.ctx.settings.clock())
        save_session(self.ctx, session)
        return JsonResponse(200, {"sessionId": session.id, "restored": True})

    def trigger(self, request: ApiRequest, params: dict[str, str]) -> Response:
        session = load_session(self.ctx, params["session_id"])
        if self._is_expired(session):
            raise not_found(
                f"Session {session.id} has expired; restore it or create a new session",
                code="SESSION_EXPIRED",
            )
        body = request.json_object()
        if body.get("executionId") is not None or body.get("toolResults"):
            return self.executions.resume(
                session.id, body.get("executionId"), body.get("toolResults"), traced=request.trace
            )
        agent, protocol = self._agent_and_protocol(session.agent_id)
        trigger_name = require_text(body.get("triggerName"), "triggerName")
        trigger_input = require_object(body.get("input"), "input")
        try:
            if protocol.is_worker:
                check_inputs(protocol.inputs, {**session.input, **trigger_input}, what="worker")
            else:
                if trigger_name not in protocol.triggers and not protocol.has_handler(trigger_name):
                    known = ", ".join(protocol.triggers) or "none"
                    raise bad_request(
                        f"Unknown trigger '{trigger_name}' for agent {agent.slug}; "
                        f"its triggers are: {known}",
                        code="UNKNOWN_TRIGGER",
                    )
                check_inputs(
                    protocol.trigger_inputs(trigger_name),
                    trigger_input,
                    what=f"trigger '{trigger_name}'",
                )
        except InputError as exc:
            raise bad_request(str(exc), code="INVALID_INPUT") from None
        rollback = ("rollbackAfterMessageId" in body, body.get("rollbackAfterMessageId"))
        if rollback[1] is not None and not isinstance(rollback[1], str):
            raise bad_request("rollbackAfterMessageId must be a message id or null")
        return self.executions.start(
            session,
            agent,
            protocol,
            trigger_name,
            trigger_input,
            rollback=rollback,
            traced=request.trace,
        )
