"""Bearer keys: project keys (agents and sessions APIs) and per-agent workforce keys.

Keys live in memory only, for comparison; everything user-visible names a key
by its label.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Mapping, Sequence
from typing import Literal

from octavus_cli.records import record

PrincipalKind = Literal["project", "agent"]


@record
class Principal:
    """Who a request is authenticated as."""

    kind: PrincipalKind
    label: str
    agent_id: str | None = None  # for agent keys: the one agent they drive


INVALID_LABEL = "invalid"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if there is one."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class KeyRing:
    """The accepted keys and who each one authenticates."""

    def __init__(
        self,
        project_keys: Sequence[str] | Mapping[str, str] = (),
        agent_keys: Mapping[str, str] | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._keys: list[tuple[str, Principal]] = []
        if isinstance(project_keys, Mapping):
            for label, key in project_keys.items():
                self.add_project_key(key, label=label)
        else:
            for key in project_keys:
                self.add_project_key(key)
        for agent_id, key in (agent_keys or {}).items():
            self.add_agent_key(agent_id, key)

    def add_project_key(self, key: str, *, label: str | None = None) -> Principal:
        with self._lock:
            count = sum(1 for _, p in self._keys if p.kind == "project")
            principal = Principal("project", label or f"project:{count}")
            self._keys.append((key, principal))
            return principal

    def add_agent_key(self, agent_id: str, key: str) -> Principal:
        with self._lock:
            principal = Principal("agent", f"agent:{agent_id}", agent_id)
            self._keys.append((key, principal))
            return principal

    def remove_key(self, key: str) -> Principal | None:
        """Stop accepting ``key``; the principal it authenticated, or ``None``."""
        with self._lock:
            for index, (known, principal) in enumerate(self._keys):
                if hmac.compare_digest(known.encode(), key.encode()):
                    del self._keys[index]
                    return principal
            return None

    @property
    def project_keys(self) -> list[str]:
        with self._lock:
            return [key for key, p in self._keys if p.kind == "project"]

    @property
    def agent_keys(self) -> dict[str, str]:
        """``{agentId: key}`` (the first key of each agent)."""
        with self._lock:
            found: dict[str, str] = {}
            for key, p in self._keys:
                if p.kind == "agent" and p.agent_id is not None:
                    found.setdefault(p.agent_id, key)
            return found

    def identify(self, token: str) -> Principal | None:
        """The principal ``token`` authenticates, compared in constant time."""
        with self._lock:
            keys = list(self._keys)
        match: Principal | None = None
        encoded = token.encode("utf-8", "surrogateescape")
        for key, principal in keys:
            if hmac.compare_digest(encoded, key.encode("utf-8", "surrogateescape")):
                match = match or principal
        return match
