"""Worker execution: ``POST /api/agents/{agentId}/execute``, as the Server SDK's
``workers.execute()`` calls it.

``{type: "start", input}`` runs the worker's steps and streams them between
``worker-start`` and ``worker-result {workerId, output}``; ``{type: "continue",
executionId, toolResults}`` continues after client tools. The worker's session
id is its execution id, so ``GET /api/agent-sessions/{executionId}`` shows it.
"""

from __future__ import annotations

from octavus_cli.emulator.context import EmulatorContext, require_object
from octavus_cli.emulator.executions import ExecutionService, save_session
from octavus_cli.emulator.ids import new_id
from octavus_cli.emulator.inputs import InputError, check_inputs
from octavus_cli.emulator.problems import bad_request, not_found
from octavus_cli.emulator.routing import ApiRequest, Response, Router
from octavus_cli.emulator.state import SessionState


class WorkersRoutes:
    def __init__(self, ctx: EmulatorContext, executions: ExecutionService) -> None:
        self.ctx = ctx
        self.executions = executions

    def register(self, router: Router) -> None:
        router.add("POST", "/api/agents/{agent}/execute", self.execute)

    def execute(self, request: ApiRequest, params: dict[str, str]) -> Response:
        agent = self.ctx.store.get_agent(params["agent"])
        if agent is None:
            raise not_found(f"Agent not found: {params['agent']}")
        body = request.json_object()
        kind = body.get("type", "start")
        if kind == "continue":
            execution_id = body.get("executionId")
            if (
                not isinstance(execution_id, str)
                or self.ctx.store.load_session(execution_id) is None
            ):
                raise bad_request(
                    f"No worker execution {execution_id} is waiting for tool results",
                    code="INVALID_EXECUTION",
                )
            return self.executions.resume(
                execution_id, execution_id, body.get("toolResults"), traced=request.trace
            )
        if kind != "start":
            raise bad_request("type must be 'start' or 'continue'")
        protocol = self.ctx.protocol_of(agent)
        if not protocol.is_worker:
            raise bad_request(
                f"Agent {agent.slug} is interactive, not a worker; use the Sessions API",
                code="NOT_A_WORKER",
            )
        worker_input = require_object(body.get("input"), "input")
        try:
            check_inputs(protocol.inputs, worker_input, what="worker")
        except InputError as exc:
            raise bad_request(str(exc), code="INVALID_INPUT") from None
        now = self.ctx.settings.clock()
        session = SessionState(
            id=new_id(), agent_id=agent.id, input=dict(worker_input), created=now, updated=now
        )
        save_session(self.ctx, session)
        return self.executions.start(
            session,
            agent,
            protocol,
            None,
            {},
            worker=True,
            execution_id=session.id,
            traced=request.trace,
        )
