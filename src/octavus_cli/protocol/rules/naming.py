"""Naming conventions: UPPER_SNAKE_CASE variables, PascalCase types, kebab-case names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from octavus_cli.protocol.context import Context, input_mapping
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from octavus_cli.protocol.names import (
    PROMPT_NAME,
    is_kebab,
    is_pascal,
    is_upper_snake,
    to_kebab,
    to_pascal,
    to_upper_snake,
)
from octavus_cli.protocol.prompt_graph import prompt_file
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.yaml_source import PathKey, Span

VARIABLE_NAME = define(
    "OCT501",
    "variable-name",
    Severity.ERROR,
    "An input, resource, variable, trigger input or input-mapping label is not UPPER_SNAKE_CASE",
    "Variables must be UPPER_SNAKE_CASE (USER_ID); prompts interpolate only such names.",
    family="naming",
    example=Example(
        files={"protocol.yaml": BASE_INTERACTIVE.replace("USER_MESSAGE", "userMessage")},
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=4,
        column=7,
    ),
)

TYPE_NAME = define(
    "OCT502",
    "type-name",
    Severity.ERROR,
    "A custom type name is not PascalCase",
    "Type names must be PascalCase (SupportTicket).",
    family="naming",
    example=Example(
        files={
            "protocol.yaml": "types:\n  support_ticket:\n    ticketId: { type: string }\n\n"
            "variables:\n  TICKET: { type: support_ticket }\n\n"
            + BASE_INTERACTIVE.replace(
                "    Respond:\n      block: next-message\n",
                "    Respond:\n      block: next-message\n"
                "      responseType: support_ticket\n"
                "      output: TICKET\n",
            )
        },
        fixed={
            "protocol.yaml": "types:\n  SupportTicket:\n    ticketId: { type: string }\n\n"
            "variables:\n  TICKET: { type: SupportTicket }\n\n"
            + BASE_INTERACTIVE.replace(
                "    Respond:\n      block: next-message\n",
                "    Respond:\n      block: next-message\n"
                "      responseType: SupportTicket\n"
                "      output: TICKET\n",
            )
        },
        file="protocol.yaml",
        line=2,
        column=3,
    ),
)

KEBAB_NAME = define(
    "OCT503",
    "kebab-case-name",
    Severity.WARNING,
    "A trigger, tool, skill, MCP server, worker, prompt or reference name is not "
    "lowercase-with-dashes",
    "The naming conventions use lowercase-with-dashes for triggers, tools, prompts and "
    "references (get-user-account).",
    family="naming",
    example=Example(
        files={"protocol.yaml": BASE_INTERACTIVE.replace("user-message:", "userMessage:")},
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=2,
        column=3,
    ),
)


@check
def variable_names(ctx: Context) -> Iterator[Diagnostic]:
    declared = [
        *ctx.inputs.values(),
        *ctx.resources.values(),
        *ctx.variables.values(),
        *(d for inputs in ctx.trigger_inputs.values() for d in inputs.values()),
    ]
    for declaration in declared:
        if not is_upper_snake(declaration.name):
            yield ctx.report(
                VARIABLE_NAME,
                declaration.path,
                f'{declaration.kind} "{declaration.name}" is not UPPER_SNAKE_CASE; '
                f"write {to_upper_snake(declaration.name) or 'NAME'}",
                key=True,
            )
    mappings: list[tuple[Any, PathKey]] = []
    if not ctx.is_worker:
        mappings.append((ctx.section("agent").get("input"), ("agent", "input")))
    for block in ctx.blocks_of("add-message", "start-thread"):
        mappings.append((block.data.get("input"), block.field_path("input")))
    for value, path in mappings:
        for entry in input_mapping(value, path):
            if entry.renamed and not is_upper_snake(entry.label):
                yield ctx.report(
                    VARIABLE_NAME,
                    entry.label_path,
                    f'the prompt sees "{entry.label}", which is not UPPER_SNAKE_CASE; '
                    f"write {to_upper_snake(entry.label) or 'NAME'}",
                    key=True,
                )


@check
def type_names(ctx: Context) -> Iterator[Diagnostic]:
    for name in ctx.types:
        if not is_pascal(name):
            yield ctx.report(
                TYPE_NAME,
                ("types", name),
                f'type "{name}" is not PascalCase; write {to_pascal(name) or "TypeName"}',
                key=True,
            )


@check
def kebab_names(ctx: Context) -> Iterator[Diagnostic]:
    for section, noun in (
        ("triggers", "trigger"),
        ("tools", "tool"),
        ("skills", "skill"),
        ("mcpServers", "MCP server"),
        ("workers", "worker"),
    ):
        for name in ctx.section(section):
            if not is_kebab(name):
                hint = None
                if section == "mcpServers" and "__" in name:
                    hint = "MCP tool names are <server>__<tool>; a server name must not hold __."
                yield ctx.report(
                    KEBAB_NAME,
                    (section, name),
                    f'{noun} "{name}" is not lowercase-with-dashes; write '
                    f"{to_kebab(name) or 'name'}",
                    hint=hint,
                    key=True,
                )
    for name in ctx.prompts:
        if not PROMPT_NAME.match(name):
            fixed = "/".join(to_kebab(part) or part for part in name.split("/"))
            yield ctx.report_at(
                KEBAB_NAME,
                prompt_file(name),
                Span(1, 1, 1, 1),
                f'prompt "{name}" is not lowercase-with-dashes; name the file {fixed}.md',
            )
    for name in sorted(ctx.reference_names):
        if not is_kebab(name):
            yield ctx.report_at(
                KEBAB_NAME,
                f"references/{name}.md",
                Span(1, 1, 1, 1),
                f'reference "{name}" is not lowercase-with-dashes; name the file '
                f"{to_kebab(name) or name}.md",
            )
