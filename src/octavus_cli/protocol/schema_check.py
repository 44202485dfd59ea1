"""A yes/no JSON Schema check, so a valid document never loads jsonschema.

Importing jsonschema (with referencing, rpds and attrs) costs more start-up time
than checking an agent. Most documents are valid, and a valid document needs no
error messages, so :func:`conforms` answers "valid?" for the draft 2020-12 keywords
the bundled schemas use; only when the answer is "no" (or a keyword is not one of
those) does :func:`octavus_cli.protocol.schema.protocol_errors` ask jsonschema for
the errors. The tests check that both agree on every fixture and on generated
documents (``tests/protocol/test_schema_check.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

# Keywords that only annotate: they never make a document invalid.
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "title",
        "description",
        "markdownDescription",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)


class Unsupported(Exception):
    """The schema uses a keyword this check does not implement: ask jsonschema."""


@cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _has_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if name == "number":
        return _is_number(value)
    if name == "integer":
        return _is_number(value) and (isinstance(value, int) or float(value).is_integer())
    raise Unsupported(f"type {name!r}")


def equal(one: Any, two: Any) -> bool:
    """JSON equality as jsonschema has it: booleans are not numbers, 1 == 1.0."""
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(equal(one[k], two[k]) for k in one)
    if isinstance(one, (list, dict)) or isinstance(two, (list, dict)):
        return False
    return bool(one == two)


def _const_test(value: Any, schema: Any) -> bool | None:
    """``schema`` is ``{"required": [K], "properties": {K: {"const": C}}}`` (how the
    protocol schema picks a block's kind): whether ``value`` passes it, without the three
    nested checks; ``None`` for any other schema."""
    if not isinstance(schema, dict) or len(schema) != 2:
        return None
    required, properties = schema.get("required"), schema.get("properties")
    if not (isinstance(required, list) and len(required) == 1 and isinstance(properties, dict)):
        return None
    key = required[0]
    test = properties.get(key) if len(properties) == 1 else None
    if not (isinstance(test, dict) and len(test) == 1 and "const" in test):
        return None
    if not isinstance(value, dict):
        return True  # required and properties say nothing about other values
    return key in value and equal(value[key], test["const"])


class _Checker:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise Unsupported(f"$ref {ref!r}")
        node: Any = self.root
        for part in ref[1:].split("/")[1:] if ref != "#" else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise Unsupported(f"$ref {ref!r}")
            node = node[part]
        return node

    def valid(self, value: Any, schema: Any) -> bool:
        if schema is True:
            return True
        if schema is False:
            return False
        if not isinstance(schema, dict):
            raise Unsupported("schema is not an object")
        for keyword, arg in schema.items():
            if keyword in ANNOTATIONS or keyword in ("then", "else"):
                continue
            if keyword == "$ref":
                ok = self.valid(value, self.resolve(arg))
            elif keyword == "type":
                names = [arg] if isinstance(arg, str) else arg
                ok = any(_has_type(value, name) for name in names)
            elif keyword == "const":
                ok = equal(value, arg)
            elif keyword == "enum":
                ok = any(equal(value, option) for option in arg)
            elif keyword == "properties":
                ok = not isinstance(value, dict) or all(
                    self.valid(value[name], sub) for name, sub in arg.items() if name in value
                )
            elif keyword == "patternProperties":
                ok = not isinstance(value, dict) or all(
                    self.valid(item, sub)
                    for pattern, sub in arg.items()
                    for key, item in value.items()
                    if _pattern(pattern).search(key)
                )
            elif keyword == "additionalProperties":
                named = schema.get("properties", {})
                patterns = [_pattern(p) for p in schema.get("patternProperties", {})]
                ok = not isinstance(value, dict) or all(
                    self.valid(item, arg)
                    for key, item in value.items()
                    if key not in named and not any(p.search(key) for p in patterns)
                )
            elif keyword == "required":
                ok = not isinstance(value, dict) or all(name in value for name in arg)
            elif keyword == "minProperties":
                ok = not isinstance(value, dict) or len(value) >= arg
            elif keyword == "maxProperties":
                ok = not isinstance(value, dict) or len(value) <= arg
            elif keyword == "propertyNames":
                ok = not isinstance(value, dict) or all(self.valid(key, arg) for key in value)
            elif keyword == "items":
                ok = not isinstance(value, list) or all(self.valid(item, arg) for item in value)
            elif keyword == "minItems":
                ok = not isinstance(value, list) or len(value) >= arg
            elif keyword == "maxItems":
                ok = not isinstance(value, list) or len(value) <= arg
            elif keyword == "minLength":
                ok = not isinstance(value, str) or len(value) >= arg
            elif keyword == "maxLength":
                ok = not isinstance(value, str) or len(value) <= arg
            elif keyword == "pattern":
                ok = not isinstance(value, str) or _pattern(arg).search(value) is not None
            elif keyword == "minimum":
                ok = not _is_number(value) or value >= arg
            elif keyword == "maximum":
                ok = not _is_number(value) or value <= arg
            elif keyword == "exclusiveMinimum":
                ok = not _is_number(value) or value > arg
            elif keyword == "exclusiveMaximum":
                ok = not _is_number(value) or value < arg
            elif keyword == "allOf":
                ok = all(self.valid(value, sub) for sub in arg)
            elif keyword == "anyOf":
                ok = any(self.valid(value, sub) for sub in arg)
            elif keyword == "oneOf":
                ok = sum(1 for sub in arg if self.valid(value, sub)) == 1
            elif keyword == "not":
                ok = not self.valid(value, arg)
            elif keyword == "if":
                matched = _const_test(value, arg)
                if matched is None:
                    matched = self.valid(value, arg)
                branch = "then" if matched else "else"
                ok = self.valid(value, schema.get(branch, True))
            else:
                raise Unsupported(f"keyword {keyword!r}")
            if not ok:
                return False
        return True


def conforms(value: Any, schema: Mapping[str, Any]) -> bool | None:
    """Whether ``value`` is valid against ``schema``; ``None`` when this check cannot tell."""
    try:
        return _Checker(schema).valid(value, schema)
    except (Unsupported, RecursionError, TypeError, re.error):
        return None
