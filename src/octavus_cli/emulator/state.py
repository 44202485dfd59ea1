"""Session state as stored: input, variables, resources, messages and named threads."""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from typing import Any

from octavus_cli.emulator.ids import iso_at
from octavus_cli.emulator.messages import Message, message_text
from octavus_cli.records import field, record

ACTIVE = "active"
EXPIRED = "expired"


@record(frozen=False)
class ThreadState:
    """A conversation thread as the model sees it: system prompt, tools, history."""

    name: str
    system: str = ""
    tools: list[str] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)  # {role, content}

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "system": self.system,
            "tools": list(self.tools),
            "history": copy.deepcopy(self.history),
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> ThreadState:
        return cls(
            name=str(doc.get("name", "main")),
            system=str(doc.get("system", "")),
            tools=[str(t) for t in doc.get("tools", [])],
            history=[dict(h) for h in doc.get("history", [])],
        )

    def last_user_text(self) -> str | None:
        return next((h["content"] for h in reversed(self.history) if h.get("role") == "user"), None)

    def ends_with_user(self) -> bool:
        return bool(self.history) and self.history[-1].get("role") == "user"


@record(frozen=False)
class SessionState:
    id: str
    agent_id: str
    status: str = ACTIVE
    input: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    resources: dict[str, Any] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    threads: dict[str, ThreadState] = field(default_factory=dict)
    logs: list[dict[str, Any]] = field(default_factory=list)  # execution log entries
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)

    @property
    def created_at(self) -> str:
        return iso_at(self.created)

    @property
    def updated_at(self) -> str:
        return iso_at(self.updated)

    def touch(self, now: float) -> None:
        self.updated = now

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agentId": self.agent_id,
            "status": self.status,
            "input": copy.deepcopy(self.input),
            "variables": copy.deepcopy(self.variables),
            "resources": copy.deepcopy(self.resources),
            "messages": copy.deepcopy(self.messages),
            "threads": {name: t.to_json() for name, t in self.threads.items()},
            "logs": copy.deepcopy(self.logs),
            "created": self.created,
            "updated": self.updated,
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> SessionState:
        return cls(
            id=str(doc["id"]),
            agent_id=str(doc["agentId"]),
            status=str(doc.get("status", ACTIVE)),
            input=dict(doc.get("input") or {}),
            variables=dict(doc.get("variables") or {}),
            resources=dict(doc.get("resources") or {}),
            messages=[dict(m) for m in doc.get("messages") or []],
            threads={
                str(name): ThreadState.from_json(t)
                for name, t in (doc.get("threads") or {}).items()
            },
            logs=[dict(e) for e in doc.get("logs") or []],
            created=float(doc.get("created", time.time())),
            updated=float(doc.get("updated", time.time())),
        )


def rebuild_main_history(messages: list[Message]) -> list[dict[str, str]]:
    """The main thread's history as the model would see ``messages`` (after a restore)."""
    history: list[dict[str, str]] = []
    for message in messages:
        role = message.get("role")
        text = message_text(message)
        if role in ("user", "assistant") and text:
            history.append({"role": str(role), "content": text})
    return history
