"""Ephemeral tokens (CONTRACT section 11): ``POST /api/tokens`` and ``/api/tokens/revoke``.

A minted token (``oct_et_`` plus random characters) is accepted like a project key
until it is revoked; the emulator does not narrow it to its agent or session and
does not expire it (the platform does both). Tokens cannot mint or revoke tokens.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from octavus_cli.emulator.auth import KeyRing
from octavus_cli.emulator.context import EmulatorContext, require_text
from octavus_cli.emulator.ids import iso_at, new_id
from octavus_cli.emulator.problems import ApiProblem, bad_request, not_found
from octavus_cli.emulator.routing import ApiRequest, JsonResponse, Response, Router

TOKEN_PREFIX = "oct_et_"
TOKEN_LABEL = "token:"
DEFAULT_TTL = 3600
MAX_TTL = 86400


class TokensRoutes:
    def __init__(self, ctx: EmulatorContext, keyring: KeyRing) -> None:
        self.ctx = ctx
        self.keyring = keyring

    def register(self, router: Router) -> None:
        router.add("POST", "/api/tokens", self.mint)
        router.add("POST", "/api/tokens/revoke", self.revoke)

    @staticmethod
    def _may_mint(request: ApiRequest) -> None:
        if request.principal.label.startswith(TOKEN_LABEL):
            raise ApiProblem(403, "FORBIDDEN", "An ephemeral token cannot mint or revoke tokens")

    def mint(self, request: ApiRequest, params: dict[str, str]) -> Response:
        self._may_mint(request)
        body = request.json_object()
        agent_id = require_text(body.get("agentId"), "agentId")
        if self.ctx.store.get_agent(agent_id) is None:
            raise not_found(f"Agent not found: {agent_id}")
        session_id = body.get("sessionId")
        if session_id is not None:
            doc = self.ctx.store.load_session(require_text(session_id, "sessionId"))
            if doc is None or doc.get("agentId") != agent_id:
                raise not_found(f"Session not found for agent {agent_id}: {session_id}")
        ttl: Any = body.get("ttlSeconds", DEFAULT_TTL)
        if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl <= 0:
            raise bad_request("ttlSeconds must be a positive integer")
        ttl = min(ttl, MAX_TTL)
        jti = new_id()
        token = TOKEN_PREFIX + secrets.token_urlsafe(24)
        self.keyring.add_project_key(token, label=f"{TOKEN_LABEL}{jti}")
        return JsonResponse(
            200, {"token": token, "jti": jti, "expiresAt": iso_at(time.time() + ttl)}
        )

    def revoke(self, request: ApiRequest, params: dict[str, str]) -> Response:
        self._may_mint(request)
        token = require_text(request.json_object().get("token"), "token")
        principal = self.keyring.remove_key(token) if token.startswith(TOKEN_PREFIX) else None
        if principal is None or not principal.label.startswith(TOKEN_LABEL):
            return JsonResponse(200, {"revoked": False})
        return JsonResponse(200, {"revoked": True, "jti": principal.label[len(TOKEN_LABEL) :]})
