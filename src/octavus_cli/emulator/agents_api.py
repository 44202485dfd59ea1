"""Agents API (CONTRACT section 3): list, get (by id or ``?by=slug``), create, update,
archive, validate.

Archiving is a soft delete: the agent leaves list and get, its slug is free for
a new agent, and its sessions keep working. Create and update refuse a protocol
that is not YAML (400 ``VALIDATION_ERROR``); full validation is the validate
endpoint's job, as on the platform.
"""

from __future__ import annotations

from octavus_cli.emulator.bodies import parse_create_body, parse_update_body
from octavus_cli.emulator.context import EmulatorContext
from octavus_cli.emulator.problems import bad_request, conflict, not_found
from octavus_cli.emulator.protocol import ProtocolError, load_protocol
from octavus_cli.emulator.routing import ApiRequest, JsonResponse, Response, Router
from octavus_cli.emulator.store import AgentRecord, DuplicateSlug
from octavus_cli.emulator.validation import validate_body


def _check_protocol(text: str, format: str) -> None:
    try:
        load_protocol(text, format=format)
    except ProtocolError as exc:
        raise bad_request(f"protocol is not valid: {exc}", code="VALIDATION_ERROR") from None


class AgentsRoutes:
    def __init__(self, ctx: EmulatorContext) -> None:
        self.ctx = ctx

    def register(self, router: Router) -> None:
        router.add("GET", "/api/agents", self.list)
        router.add("POST", "/api/agents", self.create)
        router.add("POST", "/api/agents/validate", self.validate)
        router.add("GET", "/api/agents/{agent}", self.get)
        router.add("PATCH", "/api/agents/{agent}", self.update)
        router.add("DELETE", "/api/agents/{agent}", self.archive)

    def _resolve(self, request: ApiRequest, ident: str) -> AgentRecord:
        by = request.query.get("by", "id")
        if by not in ("id", "slug"):
            raise bad_request(f"by must be 'id' or 'slug', got '{by}'")
        store = self.ctx.store
        agent = store.get_agent_by_slug(ident) if by == "slug" else store.get_agent(ident)
        if agent is None:
            raise not_found(f"Agent not found: {ident}")
        return agent

    def list(self, request: ApiRequest, params: dict[str, str]) -> Response:
        return JsonResponse(200, {"agents": [a.list_item() for a in self.ctx.store.list_agents()]})

    def get(self, request: ApiRequest, params: dict[str, str]) -> Response:
        return JsonResponse(200, self._resolve(request, params["agent"]).definition())

    def create(self, request: ApiRequest, params: dict[str, str]) -> Response:
        try:
            fields = parse_create_body(request.body)
        except ValueError as exc:
            raise bad_request(str(exc), code="VALIDATION_ERROR") from None
        _check_protocol(fields.protocol, fields.format)
        try:
            agent = self.ctx.store.create_agent(request.body)
        except DuplicateSlug as exc:
            raise conflict(str(exc)) from None
        return JsonResponse(201, {"agentId": agent.id, "message": "Agent created successfully"})

    def update(self, request: ApiRequest, params: dict[str, str]) -> Response:
        agent = self._resolve(request, params["agent"])
        try:
            changes = parse_update_body(request.body, agent.slug)
        except ValueError as exc:
            raise bad_request(str(exc), code="VALIDATION_ERROR") from None
        if changes.protocol is not None:
            _check_protocol(changes.protocol, changes.format or agent.format)
        updated = self.ctx.store.update_agent(agent.id, changes)
        if updated is None:
            raise not_found(f"Agent not found: {params['agent']}")
        return JsonResponse(200, {"agentId": updated.id, "message": "Agent updated successfully"})

    def archive(self, request: ApiRequest, params: dict[str, str]) -> Response:
        agent = self._resolve(request, params["agent"])
        if not self.ctx.store.archive_agent(agent.id):
            raise not_found(f"Agent not found: {params['agent']}")
        return JsonResponse(200, {"agentId": agent.id, "message": "Agent archived successfully"})

    def validate(self, request: ApiRequest, params: dict[str, str]) -> Response:
        return JsonResponse(200, validate_body(request.body))
