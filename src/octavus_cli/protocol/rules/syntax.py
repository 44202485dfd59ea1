"""YAML syntax: the file must parse, keys must be unique, and limits hold."""

from __future__ import annotations

from collections.abc import Iterator

from octavus_cli.protocol.context import PROTOCOL_FILE, Context, describe, dotted
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.yaml_source import Span

YAML_SYNTAX = define(
    "OCT101",
    "yaml-syntax",
    Severity.ERROR,
    "protocol.yaml is not valid YAML",
    "Fix the syntax at the position shown: indentation, a missing ':' or an unclosed quote or "
    "bracket are typical. The other checks of the protocol run once it parses.",
    family="yaml",
    example=Example(
        files={
            "protocol.yaml": "triggers:\n  user-message:\n    input:\n"
            "      USER_MESSAGE: { type: string\n"
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=5,
        column=1,
    ),
)

DUPLICATE_KEY = define(
    "OCT102",
    "duplicate-key",
    Severity.ERROR,
    "A mapping has the same key twice (for example two blocks with one name)",
    "Give every key of a mapping a unique name. With a repeated key one of the two values "
    "is silently lost.",
    family="yaml",
    example=Example(
        files={
            "protocol.yaml": """\
triggers:
  user-message:
    input:
      USER_MESSAGE: { type: string }

agent:
  model: anthropic/claude-sonnet-4-5
  system: system

handlers:
  user-message:
    Respond:
      block: add-message
      role: user
      prompt: user-message
      input: [USER_MESSAGE]

    Respond:
      block: next-message
"""
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=18,
        column=5,
    ),
)

YAML_LIMITS = define(
    "OCT103",
    "yaml-limits",
    Severity.ERROR,
    "protocol.yaml is too large, too deeply nested, or uses aliases that expand too far",
    "Write the values out instead of expanding anchors and aliases, and keep the protocol "
    "under 2 MiB and 100 levels of nesting.",
    family="yaml",
    example=Example(
        files={
            "protocol.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=5,
        column=33,
    ),
)

_LIMIT_KINDS = ("too-large", "too-deep", "alias")


@check
def yaml_problems(ctx: Context) -> Iterator[Diagnostic]:
    error = ctx.yaml_error
    if error is not None:
        rule = YAML_LIMITS if error.kind in _LIMIT_KINDS else YAML_SYNTAX
        yield ctx.report_at(
            rule,
            PROTOCOL_FILE,
            Span(error.line, error.column, error.line, error.column),
            error.message,
        )
    if ctx.doc is None:
        return
    for duplicate in ctx.doc.duplicate_keys:
        key = duplicate.path[-1]
        parent = duplicate.path[:-1]
        where = f" in {describe(parent)}" if parent else ""
        yield ctx.report_at(
            DUPLICATE_KEY,
            PROTOCOL_FILE,
            duplicate.span,
            f'"{key}" is written twice{where}; the first one (line {duplicate.first.line}) '
            "is kept and this one is ignored",
            path=dotted(duplicate.path),
        )
