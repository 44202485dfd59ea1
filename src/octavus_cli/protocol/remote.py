"""``validate --remote``: the platform's findings as diagnostics.

``POST /api/agents/validate`` answers ``{valid, errors: [{message, path?, severity}],
warnings: [...]}``. Each item becomes an ``OCT900`` diagnostic marked
``source="platform"``, placed in the file and at the line its ``path`` names when
that path can be found, else at the top of protocol.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.folder import PROTOCOL_FILE, SETTINGS_FILE, AgentDefinition
from octavus_cli.protocol.model import build_model
from octavus_cli.protocol.registry import PLATFORM_FINDING
from octavus_cli.protocol.yaml_source import PathKey, YamlError, load_yaml

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(path: str) -> PathKey:
    """``handlers.user-message.Respond.tool`` / ``agent.tools[1]`` as a path key."""
    parts: list[str | int] = []
    for match in _PART.finditer(path):
        name, index = match.groups()
        parts.append(int(index) if index is not None else name)
    return tuple(parts)


def _position(definition: AgentDefinition, path: str | None) -> tuple[str, int, int]:
    if not path:
        return PROTOCOL_FILE, 1, 1
    if path.startswith(("prompts/", "references/")):
        return path if path.endswith(".md") else f"{path}.md", 1, 1
    keys = parse_path(path)
    if keys and keys[0] == "settings":
        try:  # JSON is YAML: its loader knows the positions
            document = load_yaml(definition.settings_text or "")
        except YamlError:
            return SETTINGS_FILE, 1, 1
        span = document.value_span(keys[1:])
        return SETTINGS_FILE, span.line, span.column
    if keys and keys[0] == "protocol":
        keys = keys[1:]
    span = build_model(definition.protocol).span(keys)
    return PROTOCOL_FILE, span.line, span.column


def _positive(value: Any, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default


def platform_diagnostics(
    definition: AgentDefinition, response: Mapping[str, Any]
) -> list[Diagnostic]:
    """The findings of a ``POST /api/agents/validate`` answer."""
    found: list[Diagnostic] = []
    for key, default in (("errors", Severity.ERROR), ("warnings", Severity.WARNING)):
        items = response.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            item_map = item if isinstance(item, Mapping) else {"message": str(item)}
            message = item_map.get("message")
            severity = {"error": Severity.ERROR, "warning": Severity.WARNING}.get(
                str(item_map.get("severity", "")).lower(), default
            )
            raw_path = item_map.get("path")
            path = raw_path if isinstance(raw_path, str) and raw_path else None
            file, line, column = _position(definition, path)
            # Our emulator (like this CLI) also sends the position; the platform may not.
            if isinstance(item_map.get("file"), str) and item_map["file"]:
                file = item_map["file"]
                line = _positive(item_map.get("line"), line)
                column = _positive(item_map.get("column"), column)
            found.append(
                Diagnostic(
                    code=PLATFORM_FINDING.code,
                    severity=severity,
                    message=str(message) if message is not None else "(no message)",
                    file=file,
                    line=line,
                    column=column,
                    path=path,
                    source="platform",
                    extra={"rule": PLATFORM_FINDING.name},
                )
            )
    if response.get("valid") is False and not any(d.is_error for d in found):
        found.append(
            Diagnostic(
                code=PLATFORM_FINDING.code,
                severity=Severity.ERROR,
                message="the platform reports the agent as invalid without saying why",
                file=PROTOCOL_FILE,
                source="platform",
                extra={"rule": PLATFORM_FINDING.name},
            )
        )
    return found
