"""``POST /api/agents/validate``, answered by our own validator.

The definition is read with :func:`octavus_cli.protocol.folder.definition_from_body` and
checked by :func:`octavus_cli.protocol.validate.validate_definition`. Items have
the official ``{message, path?, severity}`` shape plus ``code``, ``file``,
``line``, ``column`` and ``hint``. When the validator is not importable (a
partial install), only the YAML syntax is checked and a warning says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from octavus_cli.emulator.problems import bad_request


def _item(message: str, severity: str, path: str | None = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"message": message}
    if path is not None:
        item["path"] = path
    item["severity"] = severity
    item.update(extra)
    return item


def _fallback_checks(protocol: str) -> list[dict[str, Any]]:
    from octavus_cli.protocol.model import build_model

    items = [
        _item(
            "Only the YAML syntax was checked: the full validator is not available here",
            "warning",
            code="EMULATOR_PARTIAL",
        )
    ]
    model = build_model(protocol)
    exc = model.error
    if exc is not None:
        items.append(
            _item(exc.message, "error", file="protocol.yaml", line=exc.line, column=exc.column)
        )
        return items
    if not model.is_mapping:
        items.append(_item("protocol.yaml must be a mapping of sections", "error"))
    return items


def validate_body(body: Any) -> dict[str, Any]:
    """``{valid, errors, warnings}`` for an upload body; 400 when it is not one."""
    if not isinstance(body, Mapping):
        raise bad_request("The body must be a JSON object {settings, protocol, prompts}")
    if not isinstance(body.get("protocol"), str):
        raise bad_request("protocol is required and must be the text of protocol.yaml")
    from octavus_cli.protocol.folder import definition_from_body

    try:
        definition = definition_from_body(body)
    except ValueError as exc:
        error = _item(f"settings: {exc}", "error", path="settings")
        return {"valid": False, "errors": [error], "warnings": []}
    try:
        from octavus_cli.protocol.validate import validate_definition
    except ImportError:
        items = _fallback_checks(definition.protocol)
    else:
        items = [diagnostic.to_json() for diagnostic in validate_definition(definition)]
    errors = [item for item in items if item.get("severity") == "error"]
    warnings = [item for item in items if item.get("severity") != "error"]
    return {"valid": not errors, "errors": errors, "warnings": warnings}
