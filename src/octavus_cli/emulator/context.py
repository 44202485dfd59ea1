"""What the API modules share: storage, the session runtime, settings and the log."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from octavus_cli.emulator.problems import ApiProblem, bad_request
from octavus_cli.emulator.protocol import ProtocolCache, ProtocolError
from octavus_cli.emulator.runtime import SessionRuntime
from octavus_cli.emulator.store import AgentRecord, Store
from octavus_cli.emulator.workforce import WorkforceDurations
from octavus_cli.protocol.model import ProtocolModel
from octavus_cli.records import field, record


@record(frozen=False)
class Settings:
    token_delay: float = 0.0  # seconds between streamed words
    session_ttl: float = 24 * 3600.0  # inactivity before a session expires
    workforce: WorkforceDurations = field(default_factory=WorkforceDurations)
    blocked_agents: set[str] = field(default_factory=set)  # workforce agents over their limit
    # Wall-clock time for Workforce runs (tests pass a clock they move, instead of sleeping).
    clock: Callable[[], float] = time.time


@record(frozen=False)
class EmulatorContext:
    store: Store
    runtime: SessionRuntime
    settings: Settings
    stopping: threading.Event
    log: Callable[[str], None] = lambda message: None
    protocols: ProtocolCache = field(default_factory=ProtocolCache)

    def protocol_of(self, agent: AgentRecord) -> ProtocolModel:
        """The agent's parsed protocol; 400 when it cannot be read."""
        try:
            return self.protocols.get(agent.id, agent.updated_at, agent.protocol, agent.format)
        except ProtocolError as exc:
            raise bad_request(
                f"Agent {agent.slug} cannot run: {exc}", code="INVALID_PROTOCOL"
            ) from None


def require_text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{what} is required and must be a non-empty string")
    return value


def require_object(value: object, what: str) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request(f"{what} must be a JSON object")
    return value


__all__ = ["ApiProblem", "EmulatorContext", "Settings", "require_object", "require_text"]
