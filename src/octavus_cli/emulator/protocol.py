"""An agent's protocol as the engine runs it: the protocol model, parsed once per version.

The protocol is read with :func:`octavus_cli.protocol.model.build_model` (YAML 1.2,
the platform's reading). Validation is not repeated here: a malformed section is
read as empty so that the emulator runs whatever it can.
"""

from __future__ import annotations

import threading

from octavus_cli.protocol.model import ProtocolModel, build_model
from octavus_cli.records import field, record


class ProtocolError(Exception):
    """The protocol text is not a YAML mapping."""


def load_protocol(text: str, *, format: str = "interactive") -> ProtocolModel:
    """The model of an agent's protocol; :class:`ProtocolError` when it is not a mapping.

    A worker agent runs its steps; an agent of another format that has steps and no
    handlers is run as a worker too.
    """
    model = build_model(text, worker=True if format == "worker" else None)
    if model.error is not None:
        raise ProtocolError(f"protocol.yaml line {model.error.line}: {model.error.message}")
    if not model.is_mapping:
        raise ProtocolError("protocol.yaml must be a mapping of sections")
    return model


@record(frozen=False)
class ProtocolCache:
    """Parsed protocols by (agent id, updatedAt): parse once per agent version."""

    limit: int = 64
    _entries: dict[tuple[str, str, str], ProtocolModel] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, agent_id: str, version: str, text: str, format: str) -> ProtocolModel:
        key = (agent_id, version, format)
        with self._lock:
            found = self._entries.get(key)
        if found is not None:
            return found
        protocol = load_protocol(text, format=format)
        with self._lock:
            if len(self._entries) >= self.limit:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = protocol
        return protocol
