"""Workforce API (CONTRACT section 6), for per-agent keys only.

A per-agent key drives only its agent: another agent's id in the path gets 403,
and so does a project key (the Workforce API never accepts project keys). An
agent marked over its spending limit gets 402 on dispatch and follow-up.
"""

from __future__ import annotations

from typing import Any

from octavus_cli.emulator.context import EmulatorContext, require_text
from octavus_cli.emulator.ids import new_id
from octavus_cli.emulator.problems import ApiProblem, bad_request, forbidden, not_found
from octavus_cli.emulator.routing import ApiRequest, JsonResponse, Response, Router
from octavus_cli.emulator.workforce import Run, WorkforceThread

BASE = "/api/v1/workforce/agents/{agent}/threads"


class WorkforceRoutes:
    def __init__(self, ctx: EmulatorContext) -> None:
        self.ctx = ctx

    def register(self, router: Router) -> None:
        router.add("POST", BASE, self.dispatch, scope="agent")
        router.add("GET", BASE + "/{thread}", self.get, scope="agent")
        router.add("POST", BASE + "/{thread}/messages", self.follow_up, scope="agent")
        router.add("POST", BASE + "/{thread}/cancel", self.cancel, scope="agent")

    # -- helpers ---------------------------------------------------------------------------
    def _agent(self, request: ApiRequest, params: dict[str, str]) -> str:
        agent_id = params["agent"]
        if request.principal.agent_id != agent_id:
            raise forbidden(f"This key is not authorized for agent {agent_id}")
        return agent_id

    def _not_blocked(self, agent_id: str) -> None:
        if agent_id in self.ctx.settings.blocked_agents:
            raise ApiProblem(
                402,
                "SPENDING_LIMIT_REACHED",
                "The agent is blocked by a usage or spending limit",
            )

    def _message(self, request: ApiRequest) -> tuple[str, list[Any]]:
        body = request.json_object()
        message = require_text(body.get("message"), "message")
        files = body.get("files")
        if files is not None and not isinstance(files, list):
            raise bad_request("files must be an array of file references")
        return message, list(files or [])

    def _thread(self, agent_id: str, thread_id: str) -> WorkforceThread:
        doc = self.ctx.store.load_thread(thread_id)
        thread = None if doc is None else WorkforceThread.from_json(doc)
        if thread is None or thread.agent_id != agent_id:
            raise not_found(f"Thread not found: {thread_id}")
        return thread

    def _save(self, thread: WorkforceThread) -> None:
        self.ctx.store.save_thread(thread.id, thread.agent_id, thread.to_json())

    # -- endpoints -------------------------------------------------------------------------
    def dispatch(self, request: ApiRequest, params: dict[str, str]) -> Response:
        agent_id = self._agent(request, params)
        message, files = self._message(request)
        self._not_blocked(agent_id)
        now = self.ctx.settings.clock()
        thread = WorkforceThread(id=new_id(), agent_id=agent_id, created=now)
        thread.runs.append(Run.for_message(message, self.ctx.settings.workforce, now, files))
        self._save(thread)
        return JsonResponse(201, {"threadId": thread.id, "status": thread.status(now)[0]})

    def get(self, request: ApiRequest, params: dict[str, str]) -> Response:
        thread = self._thread(self._agent(request, params), params["thread"])
        return JsonResponse(200, thread.view(self.ctx.settings.clock()))

    def follow_up(self, request: ApiRequest, params: dict[str, str]) -> Response:
        agent_id = self._agent(request, params)
        thread = self._thread(agent_id, params["thread"])
        message, files = self._message(request)
        self._not_blocked(agent_id)
        now = self.ctx.settings.clock()
        thread.runs.append(Run.for_message(message, self.ctx.settings.workforce, now, files))
        self._save(thread)
        return JsonResponse(202, {"threadId": thread.id, "status": thread.status(now)[0]})

    def cancel(self, request: ApiRequest, params: dict[str, str]) -> Response:
        thread = self._thread(self._agent(request, params), params["thread"])
        now = self.ctx.settings.clock()
        thread.cancel(now)
        self._save(thread)
        return JsonResponse(200, {"threadId": thread.id, "status": thread.status(now)[0]})
