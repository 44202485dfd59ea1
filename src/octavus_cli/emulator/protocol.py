"""The parts of an agent's ``protocol.yaml`` the engine needs, read leniently.

The protocol is parsed as YAML 1.2 with :func:`octavus_cli.protocol.yaml_source.load_yaml`
(the platform's reading). Validation is not repeated here: a malformed section is
treated as empty so that the emulator runs whatever it can.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MAIN_THREAD = "main"

# Default display mode of each block kind (docs: protocol/handlers "Display Modes").
_DEFAULT_DISPLAY = {
    "add-message": "hidden",
    "next-message": "stream",
    "tool-call": "description",
    "set-resource": "name",
    "generate-image": "description",
    "generate-speech": "description",
    "transcribe-audio": "description",
    "start-thread": "hidden",
    "serialize-thread": "name",
    "run-worker": "stream",
}
DISPLAY_MODES = ("hidden", "name", "description", "stream", "title")


class ProtocolError(Exception):
    """The protocol text is not a YAML mapping."""


def _mapping(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class Block:
    """One block of a handler or of a worker's steps."""

    index: int
    name: str
    spec: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.spec.get("block", ""))

    @property
    def thread(self) -> str:
        value = self.spec.get("thread")
        return value if isinstance(value, str) and value else MAIN_THREAD

    @property
    def display(self) -> str:
        value = self.spec.get("display")
        if isinstance(value, str) and value in DISPLAY_MODES:
            return value
        return _DEFAULT_DISPLAY.get(self.kind, "name")

    def text(self, key: str) -> str | None:
        value = self.spec.get(key)
        return value if isinstance(value, str) else None


@dataclass
class AgentProtocol:
    data: dict[str, Any]
    is_worker: bool = False

    @classmethod
    def parse(cls, text: str, *, format: str = "interactive") -> AgentProtocol:
        from octavus_cli.protocol.yaml_source import YamlError, load_yaml

        try:
            data = load_yaml(text).data
        except YamlError as exc:
            raise ProtocolError(f"protocol.yaml line {exc.line}: {exc.message}") from None
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ProtocolError("protocol.yaml must be a mapping of sections")
        protocol = cls(data=_mapping(data))
        protocol.is_worker = format == "worker" or (
            "steps" in protocol.data and "handlers" not in protocol.data
        )
        return protocol

    # -- sections ----------------------------------------------------------------------
    def section(self, name: str) -> dict[str, Any]:
        return _mapping(self.data.get(name))

    @property
    def inputs(self) -> dict[str, dict[str, Any]]:
        return {k: _mapping(v) for k, v in self.section("input").items()}

    @property
    def triggers(self) -> dict[str, dict[str, Any]]:
        return {k: _mapping(v) for k, v in self.section("triggers").items()}

    @property
    def tools(self) -> dict[str, dict[str, Any]]:
        return {k: _mapping(v) for k, v in self.section("tools").items()}

    @property
    def types(self) -> dict[str, Any]:
        return self.section("types")

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return {k: _mapping(v) for k, v in self.section("resources").items()}

    @property
    def variables(self) -> dict[str, dict[str, Any]]:
        return {k: _mapping(v) for k, v in self.section("variables").items()}

    @property
    def agent(self) -> dict[str, Any]:
        return self.section("agent")

    @property
    def output(self) -> str | None:
        value = self.data.get("output")
        return value if isinstance(value, str) else None

    def trigger_inputs(self, trigger: str) -> dict[str, dict[str, Any]]:
        return {
            k: _mapping(v) for k, v in _mapping(self.triggers.get(trigger, {}).get("input")).items()
        }

    def blocks(self, trigger: str | None) -> list[Block]:
        """The blocks a trigger runs (a worker's steps, whatever the trigger)."""
        source = (
            self.section("steps")
            if self.is_worker
            else _mapping(self.section("handlers").get(trigger or ""))
        )
        return [
            Block(index, str(name), _mapping(spec))
            for index, (name, spec) in enumerate(source.items())
        ]

    def has_handler(self, trigger: str) -> bool:
        return trigger in self.section("handlers")

    def declared_names(self, trigger: str | None = None) -> set[str]:
        """Every variable name a block may reference."""
        names = set(self.inputs) | set(self.variables) | set(self.resources)
        if trigger is not None:
            names |= set(self.trigger_inputs(trigger))
        for spec in self.triggers.values():
            names |= set(_mapping(spec.get("input")))
        return names

    def tool_display(self, tool: str) -> str:
        value = self.tools.get(tool, {}).get("display")
        return value if isinstance(value, str) and value in DISPLAY_MODES else "description"

    def tool_title(self, tool: str) -> str | None:
        value = self.tools.get(tool, {}).get("title")
        return value if isinstance(value, str) else None

    def main_tools(self) -> list[str]:
        return string_list(self.agent.get("tools"))


def string_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


@dataclass
class ProtocolCache:
    """Parsed protocols by (agent id, updatedAt): parse once per agent version."""

    limit: int = 64
    _entries: dict[tuple[str, str, str], AgentProtocol] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, agent_id: str, version: str, text: str, format: str) -> AgentProtocol:
        key = (agent_id, version, format)
        with self._lock:
            found = self._entries.get(key)
        if found is not None:
            return found
        protocol = AgentProtocol.parse(text, format=format)
        with self._lock:
            if len(self._entries) >= self.limit:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = protocol
        return protocol
