"""The JSON Schema pass: required fields, types, allowed values and unknown keys.

jsonschema's errors are turned into findings that say what is wrong and what
would be right, at the position of the offending key or value. ``oneOf`` /
``anyOf`` failures are narrowed to the branch that matches the value's shape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from octavus_cli.protocol.context import PROTOCOL_FILE, SETTINGS_FILE, Context, describe
from octavus_cli.protocol.diagnostics import Diagnostic, Severity, position_of
from octavus_cli.protocol.model import as_mapping
from octavus_cli.protocol.names import closest, quoted_list
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.schema import load_schema, protocol_errors
from octavus_cli.protocol.yaml_source import PathKey, Span, YamlError, load_yaml

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_TOOL = """\
triggers:
  user-message:
    input:
      USER_MESSAGE: { type: string }

tools:
  get-user-account:
{body}
agent:
  model: anthropic/claude-sonnet-4-5
  system: system
  tools: [get-user-account]

handlers:
  user-message:
    Add user message:
      block: add-message
      role: user
      prompt: user-message
      input: [USER_MESSAGE]

    Respond:
      block: next-message
"""


def _tool(body: str) -> str:
    return _TOOL.replace("{body}\n", body)


def _agent(config: str) -> str:
    return (
        "triggers:\n  user-message:\n    input:\n      USER_MESSAGE: { type: string }\n\n"
        f"agent:\n{config}\n"
        "handlers:\n  user-message:\n    Add user message:\n      block: add-message\n"
        "      role: user\n      prompt: user-message\n      input: [USER_MESSAGE]\n\n"
        "    Respond:\n      block: next-message\n"
    )


MISSING_FIELD = define(
    "OCT110",
    "missing-field",
    Severity.ERROR,
    "A field the docs mark as required is missing",
    "Add the field; the docs' reference tables list what each part needs.",
    family="yaml",
    example=Example(
        files={"protocol.yaml": _tool("    parameters:\n      userId: { type: string }\n")},
        fixed={
            "protocol.yaml": _tool(
                "    description: Look up the user's account\n"
                "    parameters:\n      userId: { type: string }\n"
            )
        },
        file="protocol.yaml",
        line=7,
        column=3,
    ),
)

WRONG_TYPE = define(
    "OCT111",
    "wrong-type",
    Severity.ERROR,
    "A value has the wrong type (a list where a mapping belongs, text where a number does)",
    "Use the type the field takes; YAML 1.2 reads yes/no/on/off as text, so write true or false.",
    family="yaml",
    example=Example(
        files={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  agentic: yes\n"
            )
        },
        fixed={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  agentic: true\n"
            )
        },
        file="protocol.yaml",
        line=9,
        column=12,
    ),
)

INVALID_VALUE = define(
    "OCT112",
    "invalid-value",
    Severity.ERROR,
    "A value is not one of the values the field allows",
    "Use one of the listed values.",
    family="yaml",
    example=Example(
        files={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  thinking: meduim\n"
            )
        },
        fixed={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  thinking: medium\n"
            )
        },
        file="protocol.yaml",
        line=9,
        column=13,
    ),
)

OUT_OF_RANGE = define(
    "OCT113",
    "out-of-range",
    Severity.ERROR,
    "A number is outside its range, or a text or list has the wrong length or form",
    "Use a value inside the documented range.",
    family="yaml",
    example=Example(
        files={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  temperature: 2.5\n"
            )
        },
        fixed={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  temperature: 0.7\n"
            )
        },
        file="protocol.yaml",
        line=9,
        column=16,
    ),
)

UNKNOWN_KEY = define(
    "OCT114",
    "unknown-key",
    Severity.WARNING,
    "A key the docs do not describe (often a typo)",
    "Check the spelling. The platform may add keys before this tool knows them, so this is a "
    "warning; a typo usually also breaks a requirement that is reported as an error.",
    family="yaml",
    example=Example(
        files={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  maxStep: 5\n"
            )
        },
        fixed={
            "protocol.yaml": _agent(
                "  model: anthropic/claude-sonnet-4-5\n  system: system\n  maxSteps: 5\n"
            )
        },
        file="protocol.yaml",
        line=9,
        column=3,
    ),
)

MISSING_RECOMMENDED = define(
    "OCT115",
    "missing-recommended-field",
    Severity.WARNING,
    "A field the docs expect is missing where they are not clear that it is required",
    "Add the field. The docs' tables call it required but some of their own examples leave "
    "it out, so this is a warning, not an error.",
    family="yaml",
    example=Example(
        files={
            "protocol.yaml": """\
triggers:
  user-message:
    input:
      USER_MESSAGE: { type: string }

mcpServers:
  figma:
    source: remote

agent:
  model: anthropic/claude-sonnet-4-5
  system: system
  mcpServers: [figma]

handlers:
  user-message:
    Add user message:
      block: add-message
      role: user
      prompt: user-message
      input: [USER_MESSAGE]

    Respond:
      block: next-message
"""
        },
        fixed={
            "protocol.yaml": """\
triggers:
  user-message:
    input:
      USER_MESSAGE: { type: string }

mcpServers:
  figma:
    description: Figma design tool integration
    source: remote

agent:
  model: anthropic/claude-sonnet-4-5
  system: system
  mcpServers: [figma]

handlers:
  user-message:
    Add user message:
      block: add-message
      role: user
      prompt: user-message
      input: [USER_MESSAGE]

    Respond:
      block: next-message
"""
        },
        file="protocol.yaml",
        line=7,
        column=3,
    ),
)

# -- converting jsonschema errors ---------------------------------------------------

_RANGE_VALIDATORS = {
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "pattern",
    "multipleOf",
}

_JSON_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "null": "empty (null)",
}

_VARIABLE_PATTERN = "^[A-Z][A-Z0-9_]*$"


def kind_of(value: Any) -> str:
    """How a YAML value is named in messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value:g}"
    if isinstance(value, str):
        return f'the text "{value}"' if len(value) <= 40 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    return str(value)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class _Converter:
    """Turns the jsonschema errors of one document into diagnostics."""

    def __init__(self, report: Any, file: str) -> None:
        self.report = report  # (rule, path, message, hint=None, key=False) -> Diagnostic
        self.file = file
        self.seen: set[tuple[str, PathKey, str]] = set()
        self.prefix: PathKey = ()  # where the validated instance is in the document

    def convert(self, error: ValidationError) -> Iterator[Diagnostic]:
        path: PathKey = (*self.prefix, *error.absolute_path)
        name = str(error.validator)
        if "propertyNames" in error.relative_schema_path:
            yield from self._property_name(error, path)
        elif name == "additionalProperties":
            yield from self._unknown_keys(error, path)
        elif name == "required":
            yield from self._missing(error, path)
        elif name in ("oneOf", "anyOf"):
            yield from self._alternatives(error, path)
        elif name == "type":
            yield from self._type(error, path)
        elif name in ("enum", "const"):
            yield from self._value(error, path)
        elif name in _RANGE_VALIDATORS:
            yield from self._range(error, path)
        else:
            yield from self._once(WRONG_TYPE, path, f"{describe(path)}: {error.message}")

    def _once(
        self, rule: Any, path: PathKey, message: str, *, hint: str | None = None, key: bool = False
    ) -> Iterator[Diagnostic]:
        marker = (rule.code, path, message)
        if marker in self.seen:
            return
        self.seen.add(marker)
        yield self.report(rule, path, message, hint=hint, key=key)

    # -- keys ------------------------------------------------------------------------
    def _unknown_keys(self, error: ValidationError, path: PathKey) -> Iterator[Diagnostic]:
        instance = error.instance
        if not isinstance(instance, dict):
            return
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = list(as_mapping(schema.get("properties")))
        patterns = list(as_mapping(schema.get("patternProperties")))
        for key in instance:
            if key in allowed or any(re.search(p, key) for p in patterns):
                continue
            match = closest(key, allowed)
            where = describe(path) if path else "the top level of protocol.yaml"
            if self.file == SETTINGS_FILE:
                where = "settings.json"
            message = f'unknown key "{key}" in {where}'
            if match:
                message += f' (did you mean "{match}"?)'
            hint = f"Known keys here: {quoted_list(allowed, limit=12)}." if allowed else None
            yield from self._once(UNKNOWN_KEY, (*path, key), message, hint=hint, key=True)

    def _property_name(self, error: ValidationError, path: PathKey) -> Iterator[Diagnostic]:
        key = error.instance
        if not isinstance(key, str):
            return
        allowed = [v for v in (_value_of(error) or []) if isinstance(v, str)]
        message = f'"{key}" is not allowed in {describe(path)}; use {quoted_list(allowed)}'
        match = closest(key, allowed)
        if match:
            message += f' (did you mean "{match}"?)'
        yield from self._once(INVALID_VALUE, (*path, key), message, key=True)

    def _missing(self, error: ValidationError, path: PathKey) -> Iterator[Diagnostic]:
        instance = error.instance
        if not isinstance(instance, dict):
            return
        for field in _value_of(error) or []:
            if field in instance:
                continue
            hint = None
            typo = closest(field, [k for k in instance if isinstance(k, str)])
            if typo and typo != field:
                hint = f'"{typo}" looks like a misspelling of "{field}".'
            yield from self._once(
                MISSING_FIELD,
                path,
                f'{describe(path)} needs "{field}"',
                hint=hint,
                key=bool(path),
            )

    # -- values ----------------------------------------------------------------------
    def _type(self, error: ValidationError, path: PathKey) -> Iterator[Diagnostic]:
        expected = _value_of(error)
        types = [expected] if isinstance(expected, str) else list(expected or [])
        wanted = " or ".join(_JSON_TYPES.get(t, t) for t in types if t != "null")
        hint = None
        value = error.instance
        yes_no = ("yes", "no", "on", "off", "y", "n")
        if isinstance(value, str) and value.lower() in yes_no and "boolean" in types:
            hint = "YAML 1.2 reads yes/no/on/off as text; write true or false."
        type_like = isinstance(value, str) and re.fullmatch(r"[A-Za-z]\w*(\[\])?", value)
        if type_like and "object" in types:
            hint = f"A definition is a mapping; write {{ type: {value} }}."
        if value is None and "object" in types:
            message = f"{describe(path)} is empty; it must be {wanted}"
        else:
            message = f"{describe(path)} must be {wanted}, not {kind_of(value)}"
        yield from self._once(WRONG_TYPE, path, message, hint=hint)

    def _value(self, error: ValidationError, path: PathKey) -> Iterator[Diagnostic]:
        value = _value_of(error)
        allowed = [value] if error.validator == "const" else list(value or [])
        yield from self._bad_value(path, error.instance, allowed, variable=False)

    def _bad_value(
        self, path: PathKey, value: Any, allowed: list[Any], *, variable: bool
    ) -> Iterator[Diagnostic]:
        options = ", ".join(show(a) for a in allowed)
        if variable:
            options += ", or a variable (UPPER_SNAKE_CASE)"
        message = f"{describe(path)} must be {'one of ' if len(allowed) > 1 else ''}{options}"
        message += f", not {show(value) if not isinstance(value, (dict, list)) else kind_of(value)}"
        if isinstance(value, str):
            match = closest(value, [a for a in allowed if isinstance(a, str)])
            if match:
                message += f' (did you mean "{match}"?)'
        hint = None
        if len(path) == 3 and path[0] == "types" and path[2] == "type":
            hint = (
                "A named type is an object (a mapping of properties), a top-level array "
                "(type: array with items) or a union (anyOf with discriminator)."
            )
        yield from self._once(INVALID_VALUE, path, message, hint=hint)

    def _range(self, error: ValidationError, path: PathKey) -> Iterator[Diagnostic]:
        name = str(error.validator)
        limit = _value_of(error)
        value = error.instance
        where = describe(path)
        if name == "minimum":
            message = f"{where} must be at least {limit}, not {show(value)}"
        elif name == "maximum":
            message = f"{where} must be at most {limit}, not {show(value)}"
        elif name == "exclusiveMinimum":
            message = f"{where} must be greater than {limit}, not {show(value)}"
        elif name == "exclusiveMaximum":
            message = f"{where} must be less than {limit}, not {show(value)}"
        elif name == "minLength":
            message = f"{where} must not be empty"
        elif name == "minItems":
            message = f"{where} needs at least {limit} item{'s' if limit != 1 else ''}"
        elif name == "minProperties":
            message = f"{where} is empty"
        elif name == "maxProperties" and limit == 1:
            message = f"{where} must hold exactly one LABEL: SOURCE pair"
        elif name == "pattern":
            message = f"{where}: {show(value)} does not have the expected form"
            if limit == "^[0-9]+:[0-9]+$":
                message = f"{where} must be a ratio such as 16:9, not {show(value)}"
        else:
            message = f"{where}: {error.message}"
        yield from self._once(OUT_OF_RANGE, path, message)

    def _alternatives(self, error: ValidationError, path: PathKey) -> Iterator[Diagnostic]:
        """Pick the branch(es) of a oneOf/anyOf whose shape fits the value."""
        value = error.instance
        branches: dict[int, list[ValidationError]] = {}
        for sub in error.context or []:
            index = sub.relative_schema_path[0] if sub.relative_schema_path else 0
            branches.setdefault(int(index), []).append(sub)
        fitting = {i: errs for i, errs in branches.items() if _fits(errs, value)}
        if len(fitting) == 1:
            for sub in next(iter(fitting.values())):
                yield from self.convert(sub)
            return
        allowed: list[Any] = []
        variable = False
        types: list[str] = []
        for errs in (fitting or branches).values():
            for sub in errs:
                if list(sub.relative_path):
                    continue
                if sub.validator == "enum":
                    allowed.extend(_value_of(sub) or [])
                elif sub.validator == "const":
                    allowed.append(_value_of(sub))
                elif sub.validator == "pattern" and _value_of(sub) == _VARIABLE_PATTERN:
                    variable = True
                elif sub.validator == "type":
                    vv = _value_of(sub)
                    types.extend([vv] if isinstance(vv, str) else list(vv or []))
        if fitting and (allowed or variable):
            yield from self._bad_value(path, value, allowed, variable=variable)
            return
        shapes = [_JSON_TYPES.get(t, t) for t in dict.fromkeys(types)]
        shapes += [show(a) for a in allowed]
        if variable and "a string" not in shapes:
            shapes.append("a variable (UPPER_SNAKE_CASE)")
        wanted = " or ".join(shapes) if shapes else "something else"
        yield from self._once(
            WRONG_TYPE, path, f"{describe(path)} must be {wanted}, not {kind_of(value)}"
        )


def _value_of(error: ValidationError) -> Any:
    """The schema value of the failed keyword (typed loosely by jsonschema)."""
    value: Any = error.validator_value
    return value


def _fits(errors: list[ValidationError], value: Any) -> bool:
    """Whether a branch accepts the value's shape (its errors are about details)."""
    for sub in errors:
        if list(sub.relative_path):
            continue
        if sub.validator == "type":
            return False
        if sub.validator in ("enum", "const"):
            values = _value_of(sub) if sub.validator == "enum" else [_value_of(sub)]
            if _json_type(value) not in {_json_type(v) for v in values or []}:
                return False
    return True


def schema_diagnostics(ctx: Context) -> Iterable[Diagnostic]:
    """Validate the protocol document against the protocol schema."""
    if ctx.doc is None:
        return
    data = ctx.doc.data
    if data is None:
        yield ctx.report_at(
            WRONG_TYPE,
            PROTOCOL_FILE,
            Span(1, 1, 1, 1),
            "protocol.yaml is empty",
            hint="Write the protocol: triggers, agent and handlers for an interactive agent; "
            "steps and output for a worker.",
        )
        return
    if not isinstance(data, dict):
        yield ctx.report(
            WRONG_TYPE,
            (),
            f"protocol.yaml must be a mapping of sections, not {kind_of(data)}",
            hint="Start with the sections, for example 'triggers:', 'agent:' and 'handlers:'.",
        )
        return

    def report(
        rule: Any, path: PathKey, message: str, hint: str | None = None, key: bool = False
    ) -> Diagnostic:
        return ctx.report(rule, path, message, hint=hint, key=key)

    for path, value in non_finite_numbers(data):
        where = ".".join(str(part) for part in path) or "the value"
        yield ctx.report(
            OUT_OF_RANGE,
            path,
            f"{where} must be a finite number, not {value}",
            hint="YAML's .nan and .inf are not numbers the platform accepts (JSON has "
            "neither); write a number inside the documented range.",
        )
    converter = _Converter(report, PROTOCOL_FILE)
    for prefix, error in protocol_errors(data):
        if isinstance(error.instance, float) and not math.isfinite(error.instance):
            continue  # reported once above, whatever the schema says about it
        converter.prefix = prefix
        yield from converter.convert(error)


def non_finite_numbers(data: Any) -> Iterator[tuple[PathKey, float]]:
    """Every ``.nan``/``.inf`` in the document, with its path (iteratively: no recursion)."""
    pending: list[tuple[PathKey, Any]] = [((), data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            yield path, value
        elif isinstance(value, dict):
            pending.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            pending.extend(((*path, index), item) for index, item in enumerate(value))


@check
def protocol_schema(ctx: Context) -> Iterable[Diagnostic]:
    return schema_diagnostics(ctx)


# -- settings.json ---------------------------------------------------------------------


def _settings_positions(text: str) -> dict[str, Span]:
    """Positions of the top-level keys of settings.json."""
    try:
        document = load_yaml(text)
    except YamlError:
        document = None
    spans: dict[str, Span] = {}
    if document is not None and isinstance(document.data, dict):
        for key in document.data:
            spans[key] = document.key_span((key,))
        return spans
    for match in re.finditer(r'"((?:[^"\\]|\\.)*)"\s*:', text):
        line, column = position_of(text, match.start())
        spans.setdefault(match.group(1), Span(line, column, line, column + len(match.group(0))))
    return spans


@check
def settings_unknown_keys(ctx: Context) -> Iterator[Diagnostic]:
    """Unknown keys of settings.json (its required fields are checked when it is read)."""
    data = ctx.definition.settings_data
    if not isinstance(data, dict):
        return
    allowed = list(as_mapping(load_schema("settings").get("properties")))
    extras = [k for k in data if k not in allowed]
    if not extras:
        return
    spans = _settings_positions(ctx.definition.settings_text or "")
    for key in extras:
        match = closest(key, allowed)
        message = f'unknown key "{key}" in settings.json'
        if match:
            message += f' (did you mean "{match}"?)'
        yield ctx.report_at(
            UNKNOWN_KEY,
            SETTINGS_FILE,
            spans.get(key, Span(1, 1, 1, 1)),
            message,
            hint=f"settings.json holds {quoted_list(allowed)}; other keys are not uploaded.",
            path=key,
        )


# -- fields the docs expect but do not clearly require ---------------------------------


@check
def recommended_fields(ctx: Context) -> Iterator[Diagnostic]:
    for name, server in ctx.section("mcpServers").items():
        if isinstance(server, dict) and "description" not in server:
            yield ctx.report(
                MISSING_RECOMMENDED,
                ("mcpServers", name),
                f'MCP server "{name}" has no description',
                hint="The MCP server table lists description as required; say what the "
                "server provides.",
                key=True,
            )
    for name, resource in ctx.section("resources").items():
        if isinstance(resource, dict) and "type" not in resource:
            yield ctx.report(
                MISSING_RECOMMENDED,
                ("resources", name),
                f'resource "{name}" has no type',
                hint="The resource table lists type as required: string, number, integer, "
                "boolean, unknown or a custom type.",
                key=True,
            )
    for block in ctx.blocks_of("start-thread"):
        if "system" not in block.data:
            yield ctx.report(
                MISSING_RECOMMENDED,
                block.path,
                f"{block.label} starts a thread without a system prompt",
                hint="Add system: <prompt name>; the workers reference lists it as required.",
                key=True,
            )
        if ctx.is_worker and "model" not in block.data:
            yield ctx.report(
                MISSING_RECOMMENDED,
                block.path,
                f"{block.label} starts a thread without a model",
                hint="Workers have no agent: section to inherit a model from; add "
                "model: provider/model-id.",
                key=True,
            )
    for block in ctx.blocks_of("add-message"):
        for field, why in (
            ("role", "user, assistant or system"),
            ("prompt", "the prompt file that holds the message text"),
        ):
            if field not in block.data:
                yield ctx.report(
                    MISSING_RECOMMENDED,
                    block.path,
                    f'{block.label} has no "{field}"',
                    hint=f"Add {field}: {why}.",
                    key=True,
                )
