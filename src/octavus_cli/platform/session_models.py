"""Typed answers of the Sessions API reads: session state and execution logs."""

from __future__ import annotations

from typing import Any

from octavus_cli.errors import ApiError
from octavus_cli.records import field, record

EXPIRED = "expired"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _object(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _objects(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [dict(item) for item in value if isinstance(item, dict)]


@record
class SessionState:
    """``GET /api/agent-sessions/{id}``: an active session, or the expired shape."""

    session_id: str
    agent_id: str | None
    status: str
    created_at: str | None = None
    updated_at: str | None = None
    input: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    resources: dict[str, Any] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def expired(self) -> bool:
        return self.status == EXPIRED

    @classmethod
    def from_wire(cls, data: dict[str, Any], requested: str) -> SessionState:
        session_id = _text(data.get("id")) or _text(data.get("sessionId")) or requested
        status = _text(data.get("status")) or "active"
        return cls(
            session_id=session_id,
            agent_id=_text(data.get("agentId")),
            status=status,
            created_at=_text(data.get("createdAt")),
            updated_at=_text(data.get("updatedAt")),
            input=_object(data.get("input")),
            variables=_object(data.get("variables")),
            resources=_object(data.get("resources")),
            messages=_objects(data.get("messages")),
        )

    def to_json(self) -> dict[str, Any]:
        if self.expired:
            return {
                "sessionId": self.session_id,
                "agentId": self.agent_id,
                "status": self.status,
                "createdAt": self.created_at,
            }
        return {
            "sessionId": self.session_id,
            "agentId": self.agent_id,
            "status": self.status,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "input": self.input,
            "variables": self.variables,
            "resources": self.resources,
            "messageCount": len(self.messages),
        }


@record
class LogEntry:
    """One execution log entry; ``fields`` keeps everything the platform sent."""

    type: str
    timestamp: str
    sequence: int | None
    fields: dict[str, Any]

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> LogEntry:
        sequence = data.get("sequence")
        return cls(
            type=_text(data.get("type")) or "unknown",
            timestamp=_text(data.get("timestamp")) or "",
            sequence=sequence if isinstance(sequence, int) else None,
            fields=data,
        )


@record
class SessionLogs:
    """``GET .../logs``: entries ordered by timestamp then sequence (or expired)."""

    session_id: str
    expired: bool
    agent_id: str | None = None
    entries: list[LogEntry] = field(default_factory=list)
    total: int | None = None
    truncated: bool = False

    @classmethod
    def from_wire(cls, data: dict[str, Any], requested: str) -> SessionLogs:
        session_id = _text(data.get("sessionId")) or requested
        if data.get("status") == EXPIRED:
            return cls(session_id, True, agent_id=_text(data.get("agentId")))
        raw = data.get("entries")
        if not isinstance(raw, list):
            raise ApiError("The platform answered the session logs without an entries list")
        entries = [LogEntry.from_wire(item) for item in raw if isinstance(item, dict)]
        entries.sort(key=lambda e: (e.timestamp, e.sequence if e.sequence is not None else 0))
        total = data.get("total")
        return cls(
            session_id,
            False,
            entries=entries,
            total=total if isinstance(total, int) else None,
            truncated=data.get("truncated") is True,
        )
