"""The Agents API (CONTRACT section 3), as the official CLI calls it."""

from __future__ import annotations

from typing import Any

from octavus_cli.errors import ApiError, NotFoundError
from octavus_cli.platform.http import PlatformClient, expect_object, path_segment
from octavus_cli.records import record

BY_SLUG = {"by": "slug"}


def _agent_id(value: Any, what: str) -> str:
    data = expect_object(value, what)
    agent_id = data.get("agentId")
    if not isinstance(agent_id, str):
        raise ApiError(f"The platform answered {what} without an agentId")
    return agent_id


@record(frozen=False)
class AgentsApi:
    client: PlatformClient

    def list(self) -> list[dict[str, Any]]:
        data = expect_object(self.client.request_json("GET", "/api/agents"), "list")
        agents = data.get("agents")
        if not isinstance(agents, list):
            raise ApiError("The platform answered list without an 'agents' array")
        return [a for a in agents if isinstance(a, dict)]

    def get(self, id_or_slug: str, *, by_slug: bool) -> dict[str, Any]:
        """The agent definition; :class:`NotFoundError` when there is none."""
        what = f"agent {'slug' if by_slug else 'id'} {id_or_slug!r}"
        data = self.client.request_json(
            "GET",
            f"/api/agents/{path_segment(id_or_slug)}",
            params=BY_SLUG if by_slug else None,
            what=what,
        )
        return expect_object(data, f"get {what}")

    def find_by_slug(self, slug: str) -> dict[str, Any] | None:
        try:
            return self.get(slug, by_slug=True)
        except NotFoundError:
            return None

    def create(self, body: dict[str, Any]) -> str:
        """POST a full definition; returns the new agent id (not retried blindly)."""
        data = self.client.request_json(
            "POST", "/api/agents", body=body, idempotent=False, what="create agent"
        )
        return _agent_id(data, "create")

    def update(self, slug: str, body: dict[str, Any]) -> str:
        """PATCH by slug. Sending the same full content twice is harmless, so it may retry."""
        data = self.client.request_json(
            "PATCH",
            f"/api/agents/{path_segment(slug)}",
            params=BY_SLUG,
            body=body,
            idempotent=True,
            what=f"update agent {slug!r}",
        )
        return _agent_id(data, "update")

    def archive(self, id_or_slug: str, *, by_slug: bool = True) -> str:
        """Archive; not resent when its outcome is unknown (a resend would get 404)."""
        data = self.client.request_json(
            "DELETE",
            f"/api/agents/{path_segment(id_or_slug)}",
            params=BY_SLUG if by_slug else None,
            idempotent=False,
            what=f"agent {id_or_slug!r}",
        )
        return _agent_id(data, "archive")

    def validate(self, body: dict[str, Any]) -> dict[str, Any]:
        data = self.client.request_json(
            "POST", "/api/agents/validate", body=body, idempotent=True, what="validate agent"
        )
        return expect_object(data, "validate")
