"""Checking session and trigger input against the protocol's declarations.

A declared input is required unless it has ``optional: true`` or a ``default``.
Primitive types (string, number, integer, boolean, arrays ``X[]``) and string
``enum`` sets are checked; custom types and ``unknown`` accept any value. Inputs
that are not declared are accepted and ignored by prompts that do not map them.
An optional input that was not given reads as its ``default``, else ``"NONE"``
(docs: protocol/input-resources).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from octavus_cli.protocol.model import Declaration

NOT_PROVIDED = "NONE"


class InputError(ValueError):
    """Input that the protocol does not accept; the message names the input."""


def _type_ok(type_name: str, value: Any) -> bool:
    if type_name.endswith("[]"):
        return isinstance(value, list)
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return True  # unknown, file, custom types


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def check_inputs(
    declared: Mapping[str, Declaration], given: Mapping[str, Any], *, what: str
) -> None:
    """Raise :class:`InputError` for a missing required input or a wrong value."""
    missing = [name for name, decl in declared.items() if given.get(name) is None and decl.required]
    if missing:
        listed = ", ".join(missing)
        plural = "s" if len(missing) > 1 else ""
        raise InputError(f"Missing required {what} input{plural}: {listed}")
    for name, decl in declared.items():
        spec = decl.data
        if given.get(name) is None:
            continue
        value = given[name]
        type_name = spec.get("type")
        if isinstance(type_name, str) and not _type_ok(type_name, value):
            raise InputError(
                f"{what.capitalize()} input {name} must be {type_name}, got {_describe(value)}"
            )
        allowed = spec.get("enum")
        if isinstance(allowed, list) and isinstance(value, str) and value not in allowed:
            choices = ", ".join(str(a) for a in allowed)
            raise InputError(
                f"{what.capitalize()} input {name} must be one of {choices}, got {_describe(value)}"
            )


def with_defaults(declared: Mapping[str, Declaration], given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` plus the default of every declared input it lacks."""
    values = dict(given)
    for name, decl in declared.items():
        if values.get(name) is None:
            values[name] = decl.data.get("default", NOT_PROVIDED)
    return values
