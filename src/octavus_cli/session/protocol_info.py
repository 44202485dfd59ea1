"""The facts of an agent protocol that a run needs: inputs, triggers and tools.

Only what ``octavus run`` uses is read, leniently: a protocol that the
validator would reject still yields whatever it declares clearly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TOOL_DISPLAY = "description"
MESSAGE_INPUT = "USER_MESSAGE"


@dataclass(frozen=True)
class InputSpec:
    """One declared input (session or trigger)."""

    name: str
    type: str = "unknown"
    optional: bool = False
    has_default: bool = False
    enum: tuple[str, ...] = ()
    description: str | None = None

    @property
    def required(self) -> bool:
        return not self.optional and not self.has_default


@dataclass(frozen=True)
class ToolInfo:
    name: str
    display: str = DEFAULT_TOOL_DISPLAY
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ProtocolInfo:
    session_inputs: dict[str, InputSpec] = field(default_factory=dict)
    triggers: dict[str, dict[str, InputSpec]] = field(default_factory=dict)
    tools: dict[str, ToolInfo] = field(default_factory=dict)
    custom_types: frozenset[str] = frozenset()

    def trigger_inputs(self, trigger: str) -> dict[str, InputSpec] | None:
        """The trigger's inputs, or ``None`` when the trigger is not declared."""
        return self.triggers.get(trigger)

    def message_input(self, trigger: str) -> str | None:
        """The input a chat message fills: ``USER_MESSAGE``, or the one string input."""
        inputs = self.triggers.get(trigger)
        if inputs is None:
            return None
        if MESSAGE_INPUT in inputs:
            return MESSAGE_INPUT
        strings = [spec.name for spec in inputs.values() if spec.type == "string"]
        return strings[0] if len(strings) == 1 else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _inputs(section: Any) -> dict[str, InputSpec]:
    if not isinstance(section, Mapping):
        return {}
    specs: dict[str, InputSpec] = {}
    for name, raw in section.items():
        if not isinstance(name, str):
            continue
        spec = raw if isinstance(raw, Mapping) else {}
        enum = spec.get("enum")
        specs[name] = InputSpec(
            name=name,
            type=_text(spec.get("type")) or "unknown",
            optional=spec.get("optional") is True,
            has_default="default" in spec,
            enum=tuple(str(v) for v in enum) if isinstance(enum, list) else (),
            description=_text(spec.get("description")),
        )
    return specs


def protocol_info(data: Any) -> ProtocolInfo:
    """Read the run facts from a parsed protocol document."""
    if not isinstance(data, Mapping):
        return ProtocolInfo()
    triggers: dict[str, dict[str, InputSpec]] = {}
    raw_triggers = data.get("triggers")
    if isinstance(raw_triggers, Mapping):
        for name, spec in raw_triggers.items():
            if isinstance(name, str):
                body = spec if isinstance(spec, Mapping) else {}
                triggers[name] = _inputs(body.get("input"))
    tools: dict[str, ToolInfo] = {}
    raw_tools = data.get("tools")
    if isinstance(raw_tools, Mapping):
        for name, spec in raw_tools.items():
            if isinstance(name, str):
                body = spec if isinstance(spec, Mapping) else {}
                tools[name] = ToolInfo(
                    name=name,
                    display=_text(body.get("display")) or DEFAULT_TOOL_DISPLAY,
                    title=_text(body.get("title")),
                    description=_text(body.get("description")),
                )
    raw_types = data.get("types")
    types = (
        frozenset(k for k in raw_types if isinstance(k, str))
        if isinstance(raw_types, Mapping)
        else frozenset()
    )
    return ProtocolInfo(
        session_inputs=_inputs(data.get("input")),
        triggers=triggers,
        tools=tools,
        custom_types=types,
    )


def parse_protocol(text: str) -> ProtocolInfo | None:
    """Parse protocol YAML text; ``None`` when it is not a YAML document we can read."""
    from octavus_cli.protocol.yaml_source import YamlError, load_yaml

    try:
        return protocol_info(load_yaml(text).data)
    except YamlError:
        return None
