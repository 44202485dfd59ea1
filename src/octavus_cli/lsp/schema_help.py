"""What a protocol.yaml key means: its description in the JSON Schema, found by path."""

from __future__ import annotations

import re
from typing import Any

from octavus_cli.protocol.schema import load_schema


def _deref(node: Any, defs: dict[str, Any]) -> Any:
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
        seen += 1
    return node


def _block_branch(node: dict[str, Any], value: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """A block's own schema, chosen by its ``block:`` kind."""
    kind = value.get("block") if isinstance(value, dict) else None
    for branch in node.get("allOf", []):
        condition = branch.get("if", {}).get("properties", {}).get("block", {})
        if condition.get("const") == kind:
            resolved = _deref(branch.get("then"), defs)
            if isinstance(resolved, dict):
                return resolved
    return node


def _child(node: Any, key: str | int, value: Any, defs: dict[str, Any]) -> Any:
    node = _deref(node, defs)
    if not isinstance(node, dict):
        return None
    if "allOf" in node:
        node = _block_branch(node, value, defs)
    if isinstance(key, int):
        items = node.get("items")
        return items if isinstance(items, dict) else None
    properties = node.get("properties", {})
    if key in properties:
        return properties[key]
    for pattern, schema in node.get("patternProperties", {}).items():
        if re.search(pattern, key):
            return schema
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def describe_path(path: tuple[str | int, ...], data: Any) -> str | None:
    """The schema description of the key at ``path`` of the protocol ``data``."""
    schema = load_schema("protocol")
    defs: dict[str, Any] = schema.get("$defs", {})
    node: Any = schema
    value = data
    for key in path:
        node = _child(node, key, value, defs)
        if node is None:
            return None
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            value = None
    if isinstance(node, dict) and "description" in node:
        return str(node["description"])
    resolved = _deref(node, defs)
    if isinstance(resolved, dict) and "allOf" in resolved:
        resolved = _block_branch(resolved, value, defs)
    if isinstance(resolved, dict) and "description" in resolved:
        return str(resolved["description"])
    return _shape(resolved)


def _shape(node: Any) -> str | None:
    """What a key without a description takes: its type or its values."""
    if not isinstance(node, dict):
        return None
    if "enum" in node:
        return "One of: " + ", ".join(f"`{v}`" for v in node["enum"]) + "."
    kind = node.get("type")
    if isinstance(kind, list):
        kind = " or ".join(str(k) for k in kind)
    return f"A {kind}." if kind else None


def enum_values(def_name: str) -> list[str]:
    """The ``enum`` of a ``$defs`` entry (block kinds, display modes)."""
    schema = load_schema("protocol")
    node = schema["$defs"].get(def_name, {})
    if def_name == "block":
        node = node.get("properties", {}).get("block", {})
    values = node.get("enum", [])
    return [str(v) for v in values]


def settings_key(name: str) -> str | None:
    """The description of a settings.json key."""
    node = load_schema("settings").get("properties", {}).get(name)
    return str(node["description"]) if isinstance(node, dict) and "description" in node else None


def settings_values(name: str) -> list[str]:
    node = load_schema("settings").get("properties", {}).get(name, {})
    return [str(v) for v in node.get("enum", [])] if isinstance(node, dict) else []
