"""Prompt templates: {{#if}} blocks, their conditions, and the variables prompts use."""

from __future__ import annotations

from collections.abc import Iterator

from octavus_cli.protocol.context import Context
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from octavus_cli.protocol.names import closest, quoted_list, to_upper_snake
from octavus_cli.protocol.prompt_graph import (
    Render,
    Use,
    own_uses,
    prompt_file,
    prompt_tags,
    reachable,
    renders,
    uses,
)
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.templates import Tag, inner_span, structure_problems
from octavus_cli.records import field, record

_PLAN = BASE_INTERACTIVE.replace(
    "agent:\n  model: anthropic/claude-sonnet-4-5\n  system: system\n",
    "input:\n  PLAN_TIER:\n    type: string\n    enum: [free, pro, team]\n\n"
    "agent:\n  model: anthropic/claude-sonnet-4-5\n  system: system\n  input: [PLAN_TIER]\n",
)
_PLAN_SYSTEM = (
    'You are a helpful assistant.\n\n{{#if PLAN_TIER == "free"}}\n'
    "Mention the Pro plan once.\n{{/if}}\n"
)

UNBALANCED_CONDITIONAL = define(
    "OCT210",
    "unbalanced-conditional",
    Severity.ERROR,
    "An {{#if}} block is not closed, or {{else}} / {{/if}} has no {{#if}}",
    "Every {{#if COND}} needs its {{/if}}; {{else if}} and {{else}} go between them, "
    "{{else}} last.",
    family="prompts",
    example=Example(
        files={
            "protocol.yaml": _PLAN,
            "prompts/system.md": 'You are a helpful assistant.\n\n{{#if PLAN_TIER == "free"}}\n'
            "Mention the Pro plan once.\n",
        },
        fixed={"prompts/system.md": _PLAN_SYSTEM},
        file="prompts/system.md",
        line=3,
        column=1,
    ),
)

MALFORMED_CONDITION = define(
    "OCT211",
    "malformed-condition",
    Severity.ERROR,
    'An {{#if}} condition is not one of VAR, !VAR, VAR == "value", VAR != "value"',
    "A condition is one variable, at most one comparison, and one double-quoted string; "
    "write separate {{#if}} blocks instead of and/or.",
    family="prompts",
    example=Example(
        files={
            "protocol.yaml": _PLAN,
            "prompts/system.md": "You are a helpful assistant.\n\n{{#if PLAN_TIER == 'free'}}\n"
            "Mention the Pro plan once.\n{{/if}}\n",
        },
        fixed={"prompts/system.md": _PLAN_SYSTEM},
        file="prompts/system.md",
        line=3,
        column=1,
    ),
)

UNDECLARED_CONDITION_VARIABLE = define(
    "OCT212",
    "undeclared-condition-variable",
    Severity.ERROR,
    "An {{#if}} condition uses a variable that is neither declared nor passed to the prompt",
    "A condition may only use declared inputs, variables or resources, passed to the prompt "
    "through the input mapping like any {{VARIABLE}}.",
    family="prompts",
    example=Example(
        files={
            "protocol.yaml": _PLAN,
            "prompts/system.md": 'You are a helpful assistant.\n\n{{#if PLAN == "free"}}\n'
            "Mention the Pro plan once.\n{{/if}}\n",
        },
        fixed={"prompts/system.md": _PLAN_SYSTEM},
        file="prompts/system.md",
        line=3,
        column=1,
    ),
)

ENUM_LITERAL = define(
    "OCT213",
    "enum-literal-mismatch",
    Severity.ERROR,
    "A condition compares an enum input with a value outside its enum",
    "Compare with one of the values the input declares in enum (case-sensitive).",
    family="prompts",
    example=Example(
        files={
            "protocol.yaml": _PLAN,
            "prompts/system.md": 'You are a helpful assistant.\n\n{{#if PLAN_TIER == "Free"}}\n'
            "Mention the Pro plan once.\n{{/if}}\n",
        },
        fixed={"prompts/system.md": _PLAN_SYSTEM},
        file="prompts/system.md",
        line=3,
        column=20,
    ),
)

UNPASSED_VARIABLE = define(
    "OCT214",
    "unpassed-variable",
    Severity.WARNING,
    "A prompt uses {{VAR}} (or a condition on VAR) that the block rendering it does not pass",
    "Only variables listed in the rendering block's input are interpolated; others stay as "
    "written ({{VAR}}) and conditions on them are false. Add VAR to that input.",
    family="prompts",
    example=Example(
        files={
            "protocol.yaml": _PLAN.replace("  input: [PLAN_TIER]\n", ""),
            "prompts/system.md": "You are a helpful assistant on the {{PLAN_TIER}} plan.\n",
        },
        fixed={"protocol.yaml": _PLAN},
        file="prompts/system.md",
        line=1,
        column=36,
    ),
)

UNSUPPORTED_TAG = define(
    "OCT215",
    "unsupported-template-tag",
    Severity.WARNING,
    "A {{...}} tag that prompts do not support ({{VAR.field}}, {{#each}}, lowercase names)",
    "Prompts support {{UPPER_SNAKE_CASE}} variables, {{@path.md}} includes and {{#if}} "
    "blocks; anything else is kept as written. Objects are interpolated as JSON, so pass the "
    "whole variable.",
    family="prompts",
    example=Example(
        files={
            "protocol.yaml": _PLAN,
            "prompts/system.md": "You are a helpful assistant on the {{plan_tier}} plan.\n",
        },
        fixed={"prompts/system.md": "You are a helpful assistant on the {{PLAN_TIER}} plan.\n"},
        file="prompts/system.md",
        line=1,
        column=36,
    ),
)


def _protocol_ok(ctx: Context) -> bool:
    return ctx.doc is not None and isinstance(ctx.doc.data, dict)


@check
def conditional_structure(ctx: Context) -> Iterator[Diagnostic]:
    for name in ctx.prompts:
        file = prompt_file(name)
        tags = prompt_tags(ctx, name)
        for problem in structure_problems(tags):
            yield ctx.report_at(
                UNBALANCED_CONDITIONAL, file, problem.tag.span, problem.message, hint=problem.hint
            )
        for tag in tags:
            if tag.condition_error is not None:
                yield ctx.report_at(
                    MALFORMED_CONDITION,
                    file,
                    tag.span,
                    f"malformed condition {{{{{tag.inner}}}}}: {tag.condition_error}",
                )
            elif tag.kind in ("dotted", "block", "text"):
                message = _unsupported(tag)
                if message is not None:
                    yield ctx.report_at(UNSUPPORTED_TAG, file, tag.span, message)


def _unsupported(tag: Tag) -> str | None:
    shown = f"{{{{{tag.inner}}}}}"
    if tag.kind == "dotted":
        head = tag.inner.split(".", 1)[0]
        return (
            f"{shown}: dot notation is not supported; pass {{{{{to_upper_snake(head)}}}}} "
            "(objects are interpolated as JSON)"
        )
    if tag.kind == "block":
        return f"{shown} is not supported (only {{{{#if}}}} blocks are); it is kept as written"
    name = tag.inner
    if name and name.replace("_", "").isalnum() and not name[0].isdigit():
        return (
            f"{shown} is not a variable (variables are UPPER_SNAKE_CASE, like "
            f"{{{{{to_upper_snake(name)}}}}}); it is kept as written"
        )
    return None


@record(frozen=False)
class _Finding:
    """A variable use and the blocks whose rendering lacks it."""

    use: Use
    owners: list[str] = field(default_factory=list)


@check
def prompt_variables(ctx: Context) -> Iterator[Diagnostic]:
    """Variables and conditions against what each rendering block passes."""
    if not _protocol_ok(ctx):
        return
    all_renders = renders(ctx)
    every_label = {label for r in all_renders for label in r.labels}
    known = ctx.all_declared_names | every_label
    unpassed: dict[tuple[str, int, int], _Finding] = {}
    undeclared: dict[tuple[str, int, int], Use] = {}
    enum_problems: dict[tuple[str, int, int], Diagnostic] = {}
    rendered: set[str] = set()
    for render in all_renders:
        if render.prompt not in ctx.prompts:
            continue
        rendered.add(render.prompt)
        for use in uses(ctx, render.prompt):
            variable = use.variable
            if variable is None:
                continue
            key = (use.file, use.tag.span.line, use.tag.span.column)
            if variable not in render.labels:
                if use.tag.kind != "variable" and variable not in known:
                    undeclared[key] = use
                else:
                    unpassed.setdefault(key, _Finding(use)).owners.append(render.owner)
                continue
            problem = _enum_problem(ctx, render, use, render.labels[variable])
            if problem is not None:
                enum_problems.setdefault(key, problem)
    # Prompts that nothing renders (and what they include): check conditions by name.
    # One walk from all of them at once keeps an include chain linear.
    unrendered = [name for name in ctx.prompts if name not in rendered]
    for name in reachable(ctx, unrendered):
        for use in own_uses(ctx, name):
            variable = use.variable
            if variable is None or use.tag.kind == "variable":
                continue
            key = (use.file, use.tag.span.line, use.tag.span.column)
            if variable not in known:
                undeclared.setdefault(key, use)
            else:
                problem = _enum_problem(ctx, None, use, variable)
                if problem is not None:
                    enum_problems.setdefault(key, problem)
    for use in undeclared.values():
        yield _undeclared(ctx, use)
    for finding in unpassed.values():
        yield _unpassed(ctx, finding)
    yield from enum_problems.values()


# "Did you mean" is worked out for this many distinct names per agent; a prompt with
# tens of thousands of unknown names (hostile or generated) gets no more guesses,
# so that validation stays linear in the size of the input.
MAX_SUGGESTIONS = 500


def suggest(ctx: Context, variable: str) -> str | None:
    """The declared name ``variable`` was probably meant to be (memoized, bounded)."""
    memo: dict[str, str | None] = ctx.memo.setdefault("suggestions", {})
    if variable in memo:
        return memo[variable]
    if len(memo) >= MAX_SUGGESTIONS:
        return None
    memo[variable] = found = closest(variable, ctx.all_declared_names)
    return found


def _undeclared(ctx: Context, use: Use) -> Diagnostic:
    variable = use.variable or ""
    match = suggest(ctx, variable)
    hint = f'Did you mean "{match}"?' if match else None
    return ctx.report_at(
        UNDECLARED_CONDITION_VARIABLE,
        use.file,
        use.tag.span,
        f"condition variable {variable} is not declared (input, variables, resources or "
        "trigger input) and no block passes it",
        hint=hint,
    )


def _unpassed(ctx: Context, finding: _Finding) -> Diagnostic:
    use = finding.use
    variable = use.variable or ""
    owners = list(dict.fromkeys(finding.owners))
    by = owners[0] if len(owners) == 1 else f"{owners[0]} and {len(owners) - 1} more"
    declared = variable in ctx.all_declared_names
    if use.tag.kind == "variable":
        what = f"{{{{{variable}}}}}"
        effect = "it is left as written"
    else:
        what = f"condition variable {variable}"
        effect = "the condition is always false"
    message = f"{what} is not passed by {by}; {effect}"
    if declared:
        hint = f"Add {variable} to the input of {by}."
    else:
        match = suggest(ctx, variable)
        hint = f"{variable} is not declared either" + (
            f'; did you mean "{match}"?' if match else "; declare it and pass it in input."
        )
    return ctx.report_at(UNPASSED_VARIABLE, use.file, use.tag.span, message, hint=hint)


def _enum_problem(ctx: Context, render: Render | None, use: Use, source: str) -> Diagnostic | None:
    condition = use.tag.condition
    if condition is None or condition.literal is None:
        return None
    declaration = ctx.declaration(source, render.scope if render else None)
    if declaration is None or declaration.enum is None:
        return None
    allowed = [str(v).lower() if isinstance(v, bool) else str(v) for v in declaration.enum]
    if condition.literal in allowed:
        return None
    prompt = ctx.prompts.get(use.prompt)
    content = prompt.content if prompt is not None else ""
    span = (
        inner_span(content, use.tag, condition.literal_start, len(condition.literal) + 2)
        if content
        else use.tag.span
    )
    match = closest(condition.literal, allowed)
    message = f'"{condition.literal}" is not a value of {source} (enum: {quoted_list(allowed)})'
    if match:
        message += f'; did you mean "{match}"?'
    return ctx.report_at(ENUM_LITERAL, use.file, span, message)
