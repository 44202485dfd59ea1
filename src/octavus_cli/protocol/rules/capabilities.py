"""Tools, skills, MCP servers, references and workers: declared once, used by name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from octavus_cli.protocol.context import Context, names_in
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE
from octavus_cli.protocol.model import as_mapping
from octavus_cli.protocol.names import closest, quoted_list
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.yaml_source import PathKey, Span
from octavus_cli.records import record


def _with(sections: str = "", agent: str = "", handler: str = "") -> str:
    """The base interactive protocol with extra sections, agent fields and blocks."""
    text = BASE_INTERACTIVE
    if agent:
        text = text.replace("  system: system\n", "  system: system\n" + agent)
    if sections:
        text = text.replace("agent:\n", sections + "\nagent:\n")
    if handler:
        text += handler
    return text


_TOOLS = """\
tools:
  get-user-account:
    description: Look up the user's account
    parameters:
      userId: { type: string }
"""

UNDEFINED_TOOL = define(
    "OCT301",
    "undefined-tool",
    Severity.ERROR,
    "agent.tools, a start-thread's tools or a tool-call block names a tool that tools: does "
    "not define",
    "Define the tool under tools: (description and parameters), or fix the name. MCP tools "
    "come from mcpServers, skills from skills:, workers from workers:.",
    family="capabilities",
    example=Example(
        files={"protocol.yaml": _with(_TOOLS, "  tools: [get-user-acount]\n")},
        fixed={"protocol.yaml": _with(_TOOLS, "  tools: [get-user-account]\n")},
        file="protocol.yaml",
        line=15,
        column=11,
    ),
)

UNDEFINED_SKILL = define(
    "OCT302",
    "undefined-skill",
    Severity.ERROR,
    "agent.skills or a start-thread's skills names a skill that skills: does not declare",
    "Declare every skill in the protocol's skills: section, then enable it in agent.skills "
    "or a start-thread's skills.",
    family="capabilities",
    example=Example(
        files={"protocol.yaml": _with("", "  skills: [qr-code]\n")},
        fixed={
            "protocol.yaml": _with(
                "skills:\n  qr-code:\n    description: Generating QR codes\n",
                "  skills: [qr-code]\n",
            )
        },
        file="protocol.yaml",
        line=9,
        column=12,
    ),
)

UNDEFINED_MCP_SERVER = define(
    "OCT303",
    "undefined-mcp-server",
    Severity.ERROR,
    "agent.mcpServers or a start-thread's mcpServers names a server mcpServers: does not declare",
    "Declare the server under mcpServers: with its source (remote, device or consumer).",
    family="capabilities",
    example=Example(
        files={"protocol.yaml": _with("", "  mcpServers: [figma]\n")},
        fixed={
            "protocol.yaml": _with(
                "mcpServers:\n  figma:\n    description: Figma design files\n    source: remote\n",
                "  mcpServers: [figma]\n",
            )
        },
        file="protocol.yaml",
        line=9,
        column=16,
    ),
)

UNDEFINED_REFERENCE = define(
    "OCT304",
    "undefined-reference",
    Severity.ERROR,
    "agent.references or a start-thread's references names a file references/ does not have",
    "Each reference is references/<name>.md with a description in its front matter.",
    family="capabilities",
    example=Example(
        files={"protocol.yaml": _with("", "  references: [refund-policy]\n")},
        fixed={
            "references/refund-policy.md": "---\ndescription: When refunds are allowed\n---\n"
            "\nRefunds within 30 days.\n"
        },
        file="protocol.yaml",
        line=9,
        column=16,
    ),
)

UNDEFINED_WORKER = define(
    "OCT305",
    "undefined-worker",
    Severity.ERROR,
    "agent.workers, a run-worker block or contextManagement.summarizerWorker names a worker "
    "workers: does not declare",
    "Declare the worker (the slug of a worker agent) under workers: first.",
    family="capabilities",
    example=Example(
        files={"protocol.yaml": _with("", "  workers: [generate-title]\n")},
        fixed={
            "protocol.yaml": _with(
                "workers:\n  generate-title:\n    description: Generating a title\n",
                "  workers: [generate-title]\n",
            )
        },
        file="protocol.yaml",
        line=9,
        column=13,
    ),
)

UNDEFINED_ON_DEMAND_SOURCE = define(
    "OCT306",
    "undefined-on-demand-source",
    Severity.WARNING,
    "A scope opts into on-demand MCP servers of a source that onDemandMcpServers: does not "
    "configure",
    "Add the source (remote is the only one supported today) under onDemandMcpServers: "
    "with its description and display.",
    family="capabilities",
    example=Example(
        files={"protocol.yaml": _with("", "  onDemandMcpServers: [remote]\n")},
        fixed={
            "protocol.yaml": _with(
                "onDemandMcpServers:\n  remote:\n    description: Connected integrations\n"
                "    display: name\n",
                "  onDemandMcpServers: [remote]\n",
            )
        },
        file="protocol.yaml",
        line=9,
        column=24,
    ),
)

UNUSED_DECLARATION = define(
    "OCT307",
    "unused-declaration",
    Severity.WARNING,
    "A tool, skill, MCP server, worker or reference is declared but nothing uses it",
    "Declaring makes it available; list it where it is used (agent.tools, agent.skills, "
    "agent.mcpServers, agent.workers, agent.references or a start-thread), or remove it.",
    family="capabilities",
    example=Example(
        files={"protocol.yaml": _with(_TOOLS)},
        fixed={"protocol.yaml": _with(_TOOLS, "  tools: [get-user-account]\n")},
        file="protocol.yaml",
        line=7,
        column=3,
    ),
)

TITLE_MISSING = define(
    "OCT308",
    "display-title-without-title",
    Severity.WARNING,
    "display: title is set but there is no title to show",
    "With display: title the UI shows the title field (not the description); add title.",
    family="capabilities",
    example=Example(
        files={
            "protocol.yaml": _with(
                _TOOLS.replace("    parameters:", "    display: title\n    parameters:"),
                "  tools: [get-user-account]\n",
            )
        },
        fixed={
            "protocol.yaml": _with(
                _TOOLS.replace(
                    "    parameters:",
                    "    display: title\n    title: Looking up your account\n    parameters:",
                ),
                "  tools: [get-user-account]\n",
            )
        },
        file="protocol.yaml",
        line=9,
        column=14,
    ),
)

REMOTE_ONLY_OPTION = define(
    "OCT309",
    "remote-only-mcp-option",
    Severity.ERROR,
    "connection or execution is set on an MCP server whose source is not remote",
    "connection and execution apply to source: remote only; device and consumer servers "
    "already run outside the platform.",
    family="capabilities",
    example=Example(
        files={
            "protocol.yaml": _with(
                "mcpServers:\n  browser:\n    description: Browser automation\n"
                "    source: device\n    execution: device\n",
                "  mcpServers: [browser]\n",
            )
        },
        fixed={
            "protocol.yaml": _with(
                "mcpServers:\n  browser:\n    description: Browser automation\n"
                "    source: device\n",
                "  mcpServers: [browser]\n",
            )
        },
        file="protocol.yaml",
        line=10,
        column=5,
    ),
)

WORKER_TOOL_MAPPING = define(
    "OCT310",
    "worker-tool-mapping",
    Severity.WARNING,
    "A worker's tools mapping points at a parent tool that tools: does not define",
    "In workers.<name>.tools, each worker tool maps to a tool of this agent "
    "(search: web-search); define that tool here.",
    family="capabilities",
    example=Example(
        files={
            "protocol.yaml": _with(
                _TOOLS + "\nworkers:\n  research:\n    description: Researching\n"
                "    tools:\n      lookup: get-user-acount\n",
                "  tools: [get-user-account]\n  workers: [research]\n",
            )
        },
        fixed={
            "protocol.yaml": _with(
                _TOOLS + "\nworkers:\n  research:\n    description: Researching\n"
                "    tools:\n      lookup: get-user-account\n",
                "  tools: [get-user-account]\n  workers: [research]\n",
            )
        },
        file="protocol.yaml",
        line=16,
        column=15,
    ),
)

SUMMARIZER_WORKER = define(
    "OCT311",
    "summarizer-worker",
    Severity.WARNING,
    "contextManagement.summarizerWorker is listed in agent.workers, or never runs because "
    "recentPercent is not set",
    "Keep the summarizer out of agent.workers (the model must not call it) and set "
    "recentPercent, without which it never runs.",
    family="capabilities",
    example=Example(
        files={
            "protocol.yaml": _with(
                "workers:\n  summarizer:\n    description: Summarizing earlier turns\n",
                "  contextManagement:\n    summarizerWorker: summarizer\n"
                "    thresholdPercent: 0.8\n",
            )
        },
        fixed={
            "protocol.yaml": _with(
                "workers:\n  summarizer:\n    description: Summarizing earlier turns\n",
                "  contextManagement:\n    summarizerWorker: summarizer\n"
                "    thresholdPercent: 0.8\n    recentPercent: 0.3\n",
            )
        },
        file="protocol.yaml",
        line=14,
        column=23,
    ),
)

TOOL_CALL_ARGUMENTS = define(
    "OCT312",
    "tool-call-arguments",
    Severity.WARNING,
    "A tool-call block passes a parameter the tool does not have, or leaves out a required one",
    "Pass each parameter the tool declares (optional ones may be left out) under input:.",
    family="capabilities",
    example=Example(
        files={
            "protocol.yaml": _with(
                _TOOLS + "\nvariables:\n  ACCOUNT: { type: unknown }\n",
                "  input: [USER_ID]\n",
                "\n    Look up account:\n      block: tool-call\n      tool: get-user-account\n"
                "      input:\n        user: USER_ID\n      output: ACCOUNT\n",
            ).replace("triggers:", "input:\n  USER_ID: { type: string }\n\ntriggers:")
        },
        fixed={
            "protocol.yaml": _with(
                _TOOLS + "\nvariables:\n  ACCOUNT: { type: unknown }\n",
                "  input: [USER_ID]\n",
                "\n    Look up account:\n      block: tool-call\n      tool: get-user-account\n"
                "      input:\n        userId: USER_ID\n      output: ACCOUNT\n",
            ).replace("triggers:", "input:\n  USER_ID: { type: string }\n\ntriggers:")
        },
        file="protocol.yaml",
        line=38,
        column=9,
    ),
)


@record
class Scope:
    """The agent config or a start-thread block: where capabilities are enabled."""

    label: str
    path: PathKey
    data: dict[str, Any]


def scopes(ctx: Context) -> list[Scope]:
    found = []
    if not ctx.is_worker and isinstance(ctx.data.get("agent"), dict):
        found.append(Scope("agent", ("agent",), ctx.data["agent"]))
    for block in ctx.blocks_of("start-thread"):
        found.append(Scope(block.label, block.path, block.data))
    return found


@record
class _Kind:
    """A kind of capability: where it is declared and where referenced."""

    section: str  # the declaring section of protocol.yaml
    field: str  # the list field of a scope
    noun: str
    rule: Any


_KINDS = (
    _Kind("tools", "tools", "tool", UNDEFINED_TOOL),
    _Kind("skills", "skills", "skill", UNDEFINED_SKILL),
    _Kind("mcpServers", "mcpServers", "MCP server", UNDEFINED_MCP_SERVER),
    _Kind("workers", "workers", "worker", UNDEFINED_WORKER),
)


def _other_kind_hint(ctx: Context, name: str, kind: _Kind) -> str | None:
    if "__" in name and kind.section == "tools":
        namespace = name.split("__", 1)[0]
        return (
            f'"{name}" looks like an MCP tool; enable the server "{namespace}" in mcpServers '
            "instead (its tools are discovered at runtime)."
        )
    for other in _KINDS:
        if other is not kind and name in ctx.section(other.section):
            return f'"{name}" is declared under {other.section}:; list it in {other.field}.'
    return None


def _undefined(ctx: Context, kind: _Kind, name: str, path: PathKey, owner: str) -> Diagnostic:
    declared = list(ctx.section(kind.section))
    hint = _other_kind_hint(ctx, name, kind)
    match = closest(name, declared)
    if hint is None and match:
        hint = f'Did you mean "{match}"?'
    elif hint is None:
        hint = (
            f"Declared {kind.section}: {quoted_list(declared)}."
            if declared
            else f"This protocol has no {kind.section}: section."
        )
    return ctx.report(
        kind.rule,
        path,
        f'{owner} uses {kind.noun} "{name}", which {kind.section}: does not declare',
        hint=hint,
    )


@check
def undefined_capabilities(ctx: Context) -> Iterator[Diagnostic]:
    for scope in scopes(ctx):
        for kind in _KINDS:
            if kind.field == "workers" and scope.path != ("agent",):
                continue
            for index, name in names_in(scope.data.get(kind.field)):
                if name not in ctx.section(kind.section):
                    path = (*scope.path, kind.field, index)
                    yield _undefined(ctx, kind, name, path, scope.label)
        for index, name in names_in(scope.data.get("references")):
            if name in ctx.reference_names or ctx.is_unreadable(f"references/{name}.md"):
                continue
            available = sorted(ctx.reference_names)
            match = closest(name, available)
            yield ctx.report(
                UNDEFINED_REFERENCE,
                (*scope.path, "references", index),
                f'{scope.label} uses reference "{name}", but there is no references/{name}.md',
                hint=f'Did you mean "{match}"?' if match else None,
            )
        declared_sources = ctx.section("onDemandMcpServers")
        for index, source in names_in(scope.data.get("onDemandMcpServers")):
            if source not in declared_sources:
                yield ctx.report(
                    UNDEFINED_ON_DEMAND_SOURCE,
                    (*scope.path, "onDemandMcpServers", index),
                    f'{scope.label} opts into on-demand MCP servers of source "{source}", '
                    "which onDemandMcpServers: does not configure",
                )
    tools_kind, workers_kind = _KINDS[0], _KINDS[3]
    for block in ctx.blocks_of("tool-call"):
        tool = block.data.get("tool")
        if isinstance(tool, str) and tool not in ctx.section("tools"):
            yield _undefined(ctx, tools_kind, tool, block.field_path("tool"), block.label)
    for block in ctx.blocks_of("run-worker"):
        worker = block.data.get("worker")
        if isinstance(worker, str) and worker not in ctx.section("workers"):
            yield _undefined(ctx, workers_kind, worker, block.field_path("worker"), block.label)
    summarizer = _summarizer(ctx)
    if summarizer is not None and summarizer not in ctx.section("workers"):
        yield _undefined(
            ctx,
            workers_kind,
            summarizer,
            ("agent", "contextManagement", "summarizerWorker"),
            "contextManagement",
        )


def _summarizer(ctx: Context) -> str | None:
    if ctx.is_worker:
        return None
    management = as_mapping(ctx.section("agent").get("contextManagement"))
    name = management.get("summarizerWorker")
    return name if isinstance(name, str) else None


@check
def unused_declarations(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.doc is None or not isinstance(ctx.doc.data, dict):
        return
    used: dict[str, set[str]] = {kind.section: set() for kind in _KINDS}
    references: set[str] = set()
    for scope in scopes(ctx):
        for kind in _KINDS:
            used[kind.section].update(name for _, name in names_in(scope.data.get(kind.field)))
        references.update(name for _, name in names_in(scope.data.get("references")))
    for block in ctx.blocks_of("tool-call"):
        used["tools"].add(str(block.data.get("tool")))
    for block in ctx.blocks_of("run-worker"):
        used["workers"].add(str(block.data.get("worker")))
    for worker in ctx.section("workers").values():
        used["tools"].update(
            v for v in as_mapping(as_mapping(worker).get("tools")).values() if isinstance(v, str)
        )
    summarizer = _summarizer(ctx)
    if summarizer is not None:
        used["workers"].add(summarizer)
    for kind in _KINDS:
        for name in ctx.section(kind.section):
            if name not in used[kind.section]:
                where = "a start-thread" if ctx.is_worker else f"agent.{kind.field}"
                yield ctx.report(
                    UNUSED_DECLARATION,
                    (kind.section, name),
                    f'{kind.noun} "{name}" is declared but never used',
                    hint=f"List it in {where} (or a start-thread's {kind.field}) to make it "
                    "available, or remove it.",
                    key=True,
                )
    for reference in sorted(ctx.reference_names - references):
        where = "a start-thread's references" if ctx.is_worker else "agent.references"
        yield ctx.report_at(
            UNUSED_DECLARATION,
            f"references/{reference}.md",
            Span(1, 1, 1, 1),
            f'reference "{reference}" is not listed in any references: list, so no thread '
            "can read it",
            hint=f"Add it to {where}, or delete the file.",
        )


def _displayed(ctx: Context) -> Iterator[tuple[PathKey, str, dict[str, Any]]]:
    """Everything with a display mode: (path, label, mapping)."""
    for section, noun in (
        ("tools", "tool"),
        ("skills", "skill"),
        ("mcpServers", "MCP server"),
        ("workers", "worker"),
    ):
        for name, value in ctx.section(section).items():
            yield (section, name), f'{noun} "{name}"', as_mapping(value)
    for source, value in ctx.section("onDemandMcpServers").items():
        yield ("onDemandMcpServers", source), f'onDemandMcpServers "{source}"', as_mapping(value)
    yield ("onDemandSkills",), "onDemandSkills", ctx.section("onDemandSkills")
    if not ctx.is_worker:
        anthropic = as_mapping(ctx.section("agent").get("anthropic"))
        for group in ("tools", "skills"):
            for name, value in as_mapping(anthropic.get(group)).items():
                yield (
                    ("agent", "anthropic", group, name),
                    f'anthropic {group[:-1]} "{name}"',
                    as_mapping(value),
                )
    for block in ctx.blocks:
        yield block.path, block.label, block.data


@check
def display_titles(ctx: Context) -> Iterator[Diagnostic]:
    for path, label, data in _displayed(ctx):
        if data.get("display") == "title" and not data.get("title"):
            yield ctx.report(
                TITLE_MISSING,
                (*path, "display"),
                f"{label} has display: title but no title, so the UI has nothing to show",
            )


@check
def mcp_options(ctx: Context) -> Iterator[Diagnostic]:
    for name, value in ctx.section("mcpServers").items():
        server = as_mapping(value)
        source = server.get("source")
        if source in ("device", "consumer"):
            for option in ("connection", "execution"):
                if option in server:
                    yield ctx.report(
                        REMOTE_ONLY_OPTION,
                        ("mcpServers", name, option),
                        f'MCP server "{name}" sets {option}, which only applies to '
                        f"source: remote (this one is {source})",
                        key=True,
                    )


@check
def worker_tool_mappings(ctx: Context) -> Iterator[Diagnostic]:
    tools = list(ctx.section("tools"))
    for name, value in ctx.section("workers").items():
        for worker_tool, parent in as_mapping(as_mapping(value).get("tools")).items():
            if isinstance(parent, str) and parent not in tools:
                match = closest(parent, tools)
                yield ctx.report(
                    WORKER_TOOL_MAPPING,
                    ("workers", name, "tools", worker_tool),
                    f'worker "{name}" maps its tool "{worker_tool}" to "{parent}", which '
                    "tools: does not define",
                    hint=f'Did you mean "{match}"?' if match else None,
                )


@check
def summarizer_worker(ctx: Context) -> Iterator[Diagnostic]:
    summarizer = _summarizer(ctx)
    if summarizer is None:
        return
    agent = ctx.section("agent")
    management = as_mapping(agent.get("contextManagement"))
    path = ("agent", "contextManagement", "summarizerWorker")
    for index, name in names_in(agent.get("workers")):
        if name == summarizer:
            yield ctx.report(
                SUMMARIZER_WORKER,
                ("agent", "workers", index),
                f'the summarizer worker "{name}" is in agent.workers, so the model can call '
                "it as a tool",
                hint="Declare it in workers: but keep it out of agent.workers; context "
                "management invokes it automatically.",
            )
    if "recentPercent" not in management:
        yield ctx.report(
            SUMMARIZER_WORKER,
            path,
            f'summarizer worker "{summarizer}" never runs: contextManagement has no recentPercent',
            hint="Set recentPercent (the fraction of the context kept verbatim, e.g. 0.3).",
        )


@check
def tool_call_arguments(ctx: Context) -> Iterator[Diagnostic]:
    tools = ctx.section("tools")
    for block in ctx.blocks_of("tool-call"):
        name = block.data.get("tool")
        if not isinstance(name, str) or name not in tools:
            continue
        params = as_mapping(as_mapping(tools[name]).get("parameters"))
        arguments = as_mapping(block.data.get("input"))
        for argument in arguments:
            if argument not in params:
                match = closest(argument, list(params))
                yield ctx.report(
                    TOOL_CALL_ARGUMENTS,
                    block.field_path("input", argument),
                    f'{block.label} passes "{argument}", which tool "{name}" does not take'
                    + (f' (did you mean "{match}"?)' if match else ""),
                    hint=f'Parameters of "{name}": {quoted_list(params)}.',
                    key=True,
                )
        for param, spec in params.items():
            if param not in arguments and as_mapping(spec).get("optional") is not True:
                yield ctx.report(
                    TOOL_CALL_ARGUMENTS,
                    block.field_path("tool"),
                    f'{block.label} does not pass "{param}", a required parameter of tool "{name}"',
                    hint=f"Add {param}: <VARIABLE or value> under input:.",
                )
