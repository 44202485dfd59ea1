"""Prompt files: referenced prompts exist, includes resolve without cycles, none unused."""

from __future__ import annotations

from collections.abc import Iterator

from octavus_cli.protocol.context import Context
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from octavus_cli.protocol.folder import PROMPTS_DIR
from octavus_cli.protocol.names import closest, quoted_list
from octavus_cli.protocol.prompt_graph import included_names, includes, prompt_file, renders
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.yaml_source import Span

UNDEFINED_PROMPT = define(
    "OCT201",
    "undefined-prompt",
    Severity.ERROR,
    "agent.system, a start-thread system or an add-message prompt names a prompt that does "
    "not exist",
    "Prompts are the .md files under prompts/, named by their path without .md "
    "(prompts/shared/tone.md is shared/tone).",
    family="prompts",
    example=Example(
        files={"protocol.yaml": BASE_INTERACTIVE.replace("system: system", "system: sytem")},
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=8,
        column=11,
    ),
)

UNRESOLVED_INCLUDE = define(
    "OCT202",
    "unresolved-include",
    Severity.ERROR,
    "A {{@path.md}} include names a prompt that does not exist",
    "Include paths are relative to prompts/: {{@shared/tone.md}} includes prompts/shared/tone.md.",
    family="prompts",
    example=Example(
        files={
            "prompts/system.md": "You are a helpful assistant.\n\n{{@shared/tone.md}}\n",
            "prompts/shared/voice.md": "Be brief.\n",
        },
        fixed={"prompts/system.md": "You are a helpful assistant.\n\n{{@shared/voice.md}}\n"},
        file="prompts/system.md",
        line=3,
        column=1,
    ),
)

INCLUDE_CYCLE = define(
    "OCT203",
    "include-cycle",
    Severity.ERROR,
    "Prompts include each other in a cycle",
    "Circular includes are not allowed; move the shared part into a prompt that includes "
    "nothing back.",
    family="prompts",
    example=Example(
        files={
            "prompts/system.md": "You are a helpful assistant.\n\n{{@shared/tone.md}}\n",
            "prompts/shared/tone.md": "Be brief.\n\n{{@system.md}}\n",
        },
        fixed={"prompts/shared/tone.md": "Be brief.\n"},
        file="prompts/shared/tone.md",
        line=3,
        column=1,
    ),
)

RELATIVE_INCLUDE = define(
    "OCT204",
    "relative-include",
    Severity.WARNING,
    "An include resolves only relative to the including prompt's folder",
    "The docs write include paths from prompts/ ({{@shared/x.md}}) and do not say that paths "
    "relative to the including file work; write the full path from prompts/.",
    family="prompts",
    example=Example(
        files={
            "prompts/system.md": "You are a helpful assistant.\n\n{{@shared/tone.md}}\n",
            "prompts/shared/tone.md": "Be brief.\n\n{{@rules.md}}\n",
            "prompts/shared/rules.md": "Never guess.\n",
        },
        fixed={"prompts/shared/tone.md": "Be brief.\n\n{{@shared/rules.md}}\n"},
        file="prompts/shared/tone.md",
        line=3,
        column=1,
    ),
)

UNUSED_PROMPT = define(
    "OCT205",
    "unused-prompt",
    Severity.WARNING,
    "A prompt file is never used",
    "Use it (agent.system, a start-thread system, an add-message prompt or an include) or "
    "delete it; it is uploaded with the agent either way.",
    family="prompts",
    example=Example(
        files={"prompts/old-system.md": "You were a helpful assistant.\n"},
        fixed={"prompts/old-system.md": None},
        file="prompts/old-system.md",
        line=1,
        column=1,
    ),
)


def _protocol_ok(ctx: Context) -> bool:
    return ctx.doc is not None and isinstance(ctx.doc.data, dict)


@check
def undefined_prompts(ctx: Context) -> Iterator[Diagnostic]:
    if not _protocol_ok(ctx):
        return
    names = list(ctx.prompts)
    for render in renders(ctx):
        name = render.prompt
        if name in ctx.prompts or ctx.is_unreadable(prompt_file(name)):
            continue
        if ctx.is_unreadable(PROMPTS_DIR):  # already reported: prompts/ cannot be read
            continue
        hint = None
        bare = name.removeprefix("prompts/").removesuffix(".md")
        if bare != name and bare in ctx.prompts:
            hint = f'Name prompts without "prompts/" and ".md": write {bare}.'
        else:
            match = closest(name, names)
            if match:
                hint = f'Did you mean "{match}"? Prompts: {quoted_list(names)}.'
            elif names:
                hint = f"Prompts in this agent: {quoted_list(names)}."
            else:
                hint = f"This agent has no prompts/ folder; create {prompt_file(name)}."
        yield ctx.report(
            UNDEFINED_PROMPT,
            render.prompt_path,
            f'{render.owner} uses prompt "{name}", but there is no {prompt_file(name)}',
            hint=hint,
        )


@check
def include_targets(ctx: Context) -> Iterator[Diagnostic]:
    for source in ctx.prompts:
        for include in includes(ctx, source):
            path = include.tag.name or ""
            file = prompt_file(source)
            if not path.strip().endswith(".md"):
                yield ctx.report_at(
                    UNRESOLVED_INCLUDE,
                    file,
                    include.tag.span,
                    f"{{{{@{path}}}}} does not end in .md, so it is not an include: the "
                    "platform leaves it in the prompt as literal text",
                    hint=f"Write {{{{@{path.strip()}.md}}}}.",
                )
                continue
            if include.target is None:
                wanted = path.strip().lstrip("/").removesuffix(".md")
                if ctx.is_unreadable(prompt_file(wanted)):
                    continue
                match = closest(wanted, list(ctx.prompts))
                hint = (
                    f"Did you mean {{{{@{match}.md}}}}? Paths are relative to prompts/."
                    if match
                    else None
                )
                yield ctx.report_at(
                    UNRESOLVED_INCLUDE,
                    file,
                    include.tag.span,
                    f"{{{{@{path}}}}} includes prompts/{wanted}.md, which does not exist",
                    hint=hint,
                )
            elif include.relative_only:
                yield ctx.report_at(
                    RELATIVE_INCLUDE,
                    file,
                    include.tag.span,
                    f"{{{{@{path}}}}} is found only relative to {file}; "
                    f"write {{{{@{include.target}.md}}}}",
                )


@check
def include_cycles(ctx: Context) -> Iterator[Diagnostic]:
    graph = {name: [i for i in includes(ctx, name) if i.target] for name in ctx.prompts}
    state: dict[str, int] = {}  # 1 = on the path being explored, 2 = done
    reported: set[frozenset[str]] = set()
    # Start from the prompts blocks render, so a cycle closes at the deepest include.
    roots = [r.prompt for r in renders(ctx)] if _protocol_ok(ctx) else []
    for start in [*(r for r in roots if r in graph), *sorted(graph)]:
        if start in state:
            continue
        path = [start]
        state[start] = 1
        pending = [iter(graph[start])]
        while pending:
            include = next(pending[-1], None)
            if include is None:
                state[path.pop()] = 2
                pending.pop()
                continue
            target = include.target or ""
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    chain = " -> ".join(f"{n}.md" for n in cycle)
                    yield ctx.report_at(
                        INCLUDE_CYCLE,
                        prompt_file(path[-1]),
                        include.tag.span,
                        f"{{{{@{include.tag.name}}}}} closes an include cycle: {chain}",
                    )
            elif target not in state:
                state[target] = 1
                path.append(target)
                pending.append(iter(graph.get(target, [])))


@check
def unused_prompts(ctx: Context) -> Iterator[Diagnostic]:
    if not _protocol_ok(ctx):
        return
    all_renders = renders(ctx)
    used = {render.prompt for render in all_renders} | included_names(ctx)
    # A prompt that a misspelt reference was meant for is reported there, not here.
    for render in all_renders:
        if render.prompt not in ctx.prompts:
            meant = closest(render.prompt, list(ctx.prompts))
            if meant is not None:
                used.add(meant)
    for name in sorted(ctx.prompts):
        if name not in used:
            yield ctx.report_at(
                UNUSED_PROMPT,
                prompt_file(name),
                Span(1, 1, 1, 1),
                f'prompt "{name}" is never used: no system prompt, add-message or include names it',
            )
