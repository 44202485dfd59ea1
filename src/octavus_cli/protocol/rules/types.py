"""Custom types: references resolve, no recursion, sound unions and response types."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from octavus_cli.protocol.context import Context
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from octavus_cli.protocol.model import as_list, as_mapping
from octavus_cli.protocol.names import BUILTIN_TYPES, closest, quoted_list
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.rules.schema import show
from octavus_cli.protocol.yaml_source import PathKey
from octavus_cli.records import record

_RESPOND = "    Respond:\n      block: next-message\n"


def _typed(types: str, variables: str = "", respond: str = "") -> str:
    text = BASE_INTERACTIVE
    if respond:
        text = text.replace(_RESPOND, _RESPOND + respond)
    return f"types:\n{types}\n" + (f"variables:\n{variables}\n" if variables else "") + text


_ANSWER = "  ANSWER: { type: Answer }\n"
_ANSWER_TYPE = "  Answer:\n    text: { type: string }\n"

UNDEFINED_TYPE = define(
    "OCT701",
    "undefined-type",
    Severity.ERROR,
    "A type: names neither a built-in type nor a type declared under types:",
    "Built-in types: string, number, integer, boolean, unknown, file (add [] for a list). "
    "There is no standalone array or object type: use string[] or a named type.",
    family="types",
    example=Example(
        files={
            "protocol.yaml": _typed(
                _ANSWER_TYPE, "  ANSWER: { type: Anwser }\n", "      output: ANSWER\n"
            )
        },
        fixed={"protocol.yaml": _typed(_ANSWER_TYPE, _ANSWER, "      output: ANSWER\n")},
        file="protocol.yaml",
        line=6,
        column=19,
    ),
)

RECURSIVE_TYPE = define(
    "OCT702",
    "recursive-type",
    Severity.ERROR,
    "A custom type refers to itself, directly or through other types",
    "Recursive types are not allowed; flatten the structure or use unknown for the nested part.",
    family="types",
    example=Example(
        files={
            "protocol.yaml": _typed(
                "  Answer:\n    text: { type: string }\n    followUp: { type: Answer }\n",
                _ANSWER,
                "      output: ANSWER\n",
            )
        },
        fixed={
            "protocol.yaml": _typed(
                "  Answer:\n    text: { type: string }\n    followUp: { type: unknown }\n",
                _ANSWER,
                "      output: ANSWER\n",
            )
        },
        file="protocol.yaml",
        line=4,
        column=23,
    ),
)

_UNION = """\
  Result:
    anyOf: [Success, Failure]
    discriminator: status
  Success:
    status: { type: string, const: success }
    data: { type: unknown }
  Failure:
    status: { type: string, const: {failure} }
    message: { type: string }
  Envelope:
    result: { type: Result }
"""

INVALID_UNION = define(
    "OCT703",
    "invalid-union",
    Severity.ERROR,
    "A discriminated union's variants are not object types with a unique const discriminator",
    "Each variant of anyOf must be an object type with the discriminator property set to a "
    "const value no other variant uses.",
    family="types",
    example=Example(
        files={
            "protocol.yaml": _typed(
                _UNION.replace("{failure}", "success"),
                "  ENVELOPE: { type: Envelope }\n",
                "      responseType: Envelope\n      output: ENVELOPE\n",
            )
        },
        fixed={
            "protocol.yaml": _typed(
                _UNION.replace("{failure}", "failure"),
                "  ENVELOPE: { type: Envelope }\n",
                "      responseType: Envelope\n      output: ENVELOPE\n",
            )
        },
        file="protocol.yaml",
        line=9,
        column=36,
    ),
)

INVALID_RESPONSE_TYPE = define(
    "OCT704",
    "invalid-response-type",
    Severity.ERROR,
    "responseType is not an object type (a union, an array type or a built-in type)",
    "Providers need an object at the root of structured output; wrap unions and arrays in "
    "an object type.",
    family="types",
    example=Example(
        files={
            "protocol.yaml": _typed(
                _UNION.replace("{failure}", "failure"),
                "  RESULT: { type: Result }\n",
                "      responseType: Result\n      output: RESULT\n",
            )
        },
        fixed={
            "protocol.yaml": _typed(
                _UNION.replace("{failure}", "failure"),
                "  RESULT: { type: Envelope }\n",
                "      responseType: Envelope\n      output: RESULT\n",
            )
        },
        file="protocol.yaml",
        line=36,
        column=21,
    ),
)

ENUM_NOT_STRING = define(
    "OCT705",
    "enum-on-non-string",
    Severity.WARNING,
    "enum is set on an input whose type is not string",
    "enum lists the allowed values of a type: string input.",
    family="types",
    example=Example(
        files={
            "protocol.yaml": "input:\n  LEVEL:\n    type: integer\n    enum: [1, 2, 3]\n\n"
            + BASE_INTERACTIVE.replace("  system: system\n", "  system: system\n  input: [LEVEL]\n")
        },
        fixed={
            "protocol.yaml": "input:\n  LEVEL:\n    type: string\n    enum: ['1', '2', '3']\n\n"
            + BASE_INTERACTIVE.replace("  system: system\n", "  system: system\n  input: [LEVEL]\n")
        },
        file="protocol.yaml",
        line=4,
        column=5,
    ),
)

DEFAULT_MISMATCH = define(
    "OCT706",
    "default-mismatch",
    Severity.WARNING,
    "A default value does not match the declared type or enum",
    "Give a default of the declared type (and one of the enum values, if any).",
    family="types",
    example=Example(
        files={
            "protocol.yaml": "input:\n  MAX_RESULTS:\n    type: integer\n    optional: true\n"
            "    default: ten\n\n"
            + BASE_INTERACTIVE.replace(
                "  system: system\n", "  system: system\n  input: [MAX_RESULTS]\n"
            )
        },
        fixed={
            "protocol.yaml": "input:\n  MAX_RESULTS:\n    type: integer\n    optional: true\n"
            "    default: 10\n\n"
            + BASE_INTERACTIVE.replace(
                "  system: system\n", "  system: system\n  input: [MAX_RESULTS]\n"
            )
        },
        file="protocol.yaml",
        line=5,
        column=14,
    ),
)


def type_kind(definition: Any) -> str:
    """``union``, ``array`` or ``object`` (the schema reports other shapes)."""
    if not isinstance(definition, dict):
        return "invalid"
    if isinstance(definition.get("anyOf"), list):  # not a property named anyOf
        return "union"
    if isinstance(definition.get("type"), str):
        return "array"
    return "object"


@record
class TypeRef:
    """A type named in the protocol, where, and in which custom type."""

    name: str  # as written, e.g. "CartItem[]"
    path: PathKey  # the path of the type: value
    context: str  # declaration | parameter | property | items | variant | response
    owner: str | None = None  # the custom type it appears in


def _items(value: Any, path: PathKey, owner: str | None) -> Iterator[TypeRef]:
    items = as_mapping(value)
    item_type = items.get("type")
    if isinstance(item_type, str):
        yield TypeRef(item_type, (*path, "type"), "items", owner)
        if item_type == "array":
            yield from _items(items.get("items"), (*path, "items"), owner)


def type_refs(ctx: Context) -> Iterator[TypeRef]:
    declarations = [
        *ctx.inputs.values(),
        *ctx.resources.values(),
        *ctx.variables.values(),
        *(d for inputs in ctx.trigger_inputs.values() for d in inputs.values()),
    ]
    for declaration in declarations:
        if declaration.type_name is not None:
            yield TypeRef(declaration.type_name, (*declaration.path, "type"), "declaration")
    for tool, value in ctx.section("tools").items():
        for param, spec in as_mapping(as_mapping(value).get("parameters")).items():
            param_type = as_mapping(spec).get("type")
            if isinstance(param_type, str):
                yield TypeRef(param_type, ("tools", tool, "parameters", param, "type"), "parameter")
    for name, definition in ctx.types.items():
        kind = type_kind(definition)
        path: PathKey = ("types", name)
        if kind == "union":
            for index, variant in enumerate(as_list(definition.get("anyOf"))):
                if isinstance(variant, str):
                    yield TypeRef(variant, (*path, "anyOf", index), "variant", name)
        elif kind == "array":
            yield from _items(definition.get("items"), (*path, "items"), name)
        elif kind == "object":
            for prop, spec in definition.items():
                spec_map = as_mapping(spec)
                prop_type = spec_map.get("type")
                if isinstance(prop_type, str):
                    yield TypeRef(prop_type, (*path, prop, "type"), "property", name)
                    if prop_type == "array":
                        yield from _items(spec_map.get("items"), (*path, prop, "items"), name)
    for block in ctx.blocks_of("next-message"):
        response = block.data.get("responseType")
        if isinstance(response, str):
            yield TypeRef(response, block.field_path("responseType"), "response")


def _base(name: str) -> tuple[str, int]:
    depth = 0
    while name.endswith("[]"):
        name = name[:-2].strip()
        depth += 1
    return name, depth


@check
def undefined_types(ctx: Context) -> Iterator[Diagnostic]:
    known = [*BUILTIN_TYPES, *ctx.types]
    for ref in type_refs(ctx):
        if ref.context == "response":
            continue  # see response_types
        base, depth = _base(ref.name)
        if base in BUILTIN_TYPES or base in ctx.types:
            continue
        if base == "array" and depth == 0 and ref.context in ("property", "items"):
            continue
        if base in ("array", "object"):
            hint = (
                "There is no standalone array type: use string[] (any type plus []) or a "
                "named top-level array type."
                if base == "array"
                else "There is no standalone object type: define a custom type under types:, "
                "or use unknown."
            )
            yield ctx.report(
                UNDEFINED_TYPE, ref.path, f'"{ref.name}" is not a type here', hint=hint
            )
            continue
        match = closest(base, known)
        yield ctx.report(
            UNDEFINED_TYPE,
            ref.path,
            f'type "{base}" is not defined' + (f' (did you mean "{match}"?)' if match else ""),
            hint=f"Custom types: {quoted_list(ctx.types)}; built-in: {', '.join(BUILTIN_TYPES)}.",
        )


@check
def recursive_types(ctx: Context) -> Iterator[Diagnostic]:
    edges: dict[str, list[TypeRef]] = {name: [] for name in ctx.types}
    for ref in type_refs(ctx):
        if ref.owner is not None:
            base, _ = _base(ref.name)
            if base in ctx.types:
                edges[ref.owner].append(TypeRef(base, ref.path, ref.context, ref.owner))
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    for start in ctx.types:
        if start in state:
            continue
        path = [start]
        state[start] = 1
        pending = [iter(edges[start])]
        while pending:
            following = next(pending[-1], None)
            if following is None:
                state[path.pop()] = 2
                pending.pop()
                continue
            ref = following
            if state.get(ref.name) == 1:
                cycle = [*path[path.index(ref.name) :], ref.name]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield ctx.report(
                        RECURSIVE_TYPE,
                        ref.path,
                        "recursive type: " + " -> ".join(cycle),
                    )
            elif ref.name not in state:
                state[ref.name] = 1
                path.append(ref.name)
                pending.append(iter(edges.get(ref.name, [])))


@check
def unions(ctx: Context) -> Iterator[Diagnostic]:
    for name, definition in ctx.types.items():
        if type_kind(definition) != "union":
            continue
        discriminator = definition.get("discriminator")
        seen: dict[str, str] = {}
        for index, variant in enumerate(as_list(definition.get("anyOf"))):
            path: PathKey = ("types", name, "anyOf", index)
            if isinstance(variant, str) and _base(variant)[0] in BUILTIN_TYPES:
                yield ctx.report(
                    INVALID_UNION,
                    path,
                    f'variant "{variant}" of union "{name}" is a built-in type; each variant '
                    "must be an object type",
                )
                continue
            if not isinstance(variant, str) or variant not in ctx.types:
                continue
            variant_def = ctx.types[variant]
            if type_kind(variant_def) != "object":
                yield ctx.report(
                    INVALID_UNION,
                    path,
                    f'variant "{variant}" of union "{name}" is not an object type',
                )
                continue
            if not isinstance(discriminator, str):
                continue
            prop = variant_def.get(discriminator)
            if not isinstance(prop, dict):
                yield ctx.report(
                    INVALID_UNION,
                    path,
                    f'variant "{variant}" of union "{name}" has no "{discriminator}" property '
                    "(the discriminator)",
                )
                continue
            if "const" not in prop:
                yield ctx.report(
                    INVALID_UNION,
                    ("types", variant, discriminator),
                    f'"{discriminator}" of variant "{variant}" needs a const value to tell '
                    f'the variants of "{name}" apart',
                    key=True,
                )
                continue
            value = str(prop["const"])
            if value in seen:
                yield ctx.report(
                    INVALID_UNION,
                    ("types", variant, discriminator, "const"),
                    f'variants "{seen[value]}" and "{variant}" of union "{name}" both use '
                    f"{discriminator}: {show(prop['const'])}",
                )
            else:
                seen[value] = variant


@check
def response_types(ctx: Context) -> Iterator[Diagnostic]:
    for ref in type_refs(ctx):
        if ref.context != "response":
            continue
        if ref.name in ctx.types:
            kind = type_kind(ctx.types[ref.name])
            if kind == "object":
                continue
            what = "a discriminated union" if kind == "union" else "an array type"
            yield ctx.report(
                INVALID_RESPONSE_TYPE,
                ref.path,
                f'responseType "{ref.name}" is {what}; it must be an object type',
                hint=f"Wrap it in an object type: Wrapper: {{ value: {{ type: {ref.name} }} }}.",
            )
        elif _base(ref.name)[0] in BUILTIN_TYPES or ref.name.endswith("[]"):
            yield ctx.report(
                INVALID_RESPONSE_TYPE,
                ref.path,
                f'responseType "{ref.name}" is not an object type',
                hint="Define an object type under types: and use its name.",
            )
        else:
            match = closest(ref.name, list(ctx.types))
            yield ctx.report(
                UNDEFINED_TYPE,
                ref.path,
                f'responseType "{ref.name}" is not defined under types:'
                + (f' (did you mean "{match}"?)' if match else ""),
            )


def _fits(value: Any, type_name: str, ctx: Context) -> bool:
    base, depth = _base(type_name)
    if depth:
        return isinstance(value, list)
    if base == "string":
        return isinstance(value, str)
    if base == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if base == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if base == "boolean":
        return isinstance(value, bool)
    if base in ctx.types:
        kind = type_kind(ctx.types[base])
        return isinstance(value, list) if kind == "array" else isinstance(value, dict)
    return True  # unknown, file, or an undefined type (reported elsewhere)


def _non_string_values(
    ctx: Context, values: list[Any], path: PathKey, what: str
) -> Iterator[Diagnostic]:
    """The docs allow string enums only: each value must be a string."""
    for index, value in enumerate(values):
        if not isinstance(value, str):
            yield ctx.report(
                ENUM_NOT_STRING,
                (*path, "enum", index),
                f"enum value {show(value)} of {what} is not a string; enums list strings",
                hint=f"Quote it: '{value}'.",
            )


def _property_enums(ctx: Context) -> Iterator[Diagnostic]:
    """``enum`` on a property of an object type: only for type: string, only strings."""
    for name, definition in ctx.types.items():
        if type_kind(definition) != "object":
            continue
        for prop, spec in definition.items():
            spec_map = as_mapping(spec)
            values = spec_map.get("enum")
            if not isinstance(values, list):
                continue
            path: PathKey = ("types", name, prop)
            prop_type = spec_map.get("type")
            if prop_type not in (None, "string"):
                yield ctx.report(
                    ENUM_NOT_STRING,
                    (*path, "enum"),
                    f'property {prop} of type "{name}" has an enum but is of type '
                    f'"{prop_type}"; enum is for type: string',
                    key=True,
                )
            else:
                yield from _non_string_values(ctx, values, path, f'property {prop} of "{name}"')


@check
def enums_and_defaults(ctx: Context) -> Iterator[Diagnostic]:
    enum_holders = [
        *ctx.inputs.values(),
        *(d for inputs in ctx.trigger_inputs.values() for d in inputs.values()),
    ]
    for declaration in enum_holders:
        if declaration.enum is not None and declaration.type_name not in (None, "string"):
            yield ctx.report(
                ENUM_NOT_STRING,
                (*declaration.path, "enum"),
                f"{declaration.kind} {declaration.name} has an enum but is of type "
                f'"{declaration.type_name}"; enum is for type: string',
                key=True,
            )
        elif declaration.enum is not None:
            yield from _non_string_values(
                ctx, declaration.enum, declaration.path, f"{declaration.kind} {declaration.name}"
            )
    yield from _property_enums(ctx)
    declarations = [*enum_holders, *ctx.resources.values(), *ctx.variables.values()]
    for declaration in declarations:
        if "default" not in declaration.data:
            continue
        default = declaration.data["default"]
        path = (*declaration.path, "default")
        type_name = declaration.type_name
        if type_name is not None and default is not None and not _fits(default, type_name, ctx):
            yield ctx.report(
                DEFAULT_MISMATCH,
                path,
                f"the default of {declaration.name} is {show(default)}, which is not a {type_name}",
            )
        elif declaration.enum is not None and default not in declaration.enum and default:
            yield ctx.report(
                DEFAULT_MISMATCH,
                path,
                f"the default of {declaration.name} is {show(default)}, which its enum "
                f"does not allow ({', '.join(show(v) for v in declaration.enum)})",
            )
