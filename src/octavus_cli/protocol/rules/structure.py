"""The sections each format uses: triggers + handlers + agent, or steps + output."""

from __future__ import annotations

from collections.abc import Iterator

from octavus_cli.protocol.context import PROTOCOL_FILE, Context
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.examples import BASE_INTERACTIVE, BASE_WORKER
from octavus_cli.protocol.registry import Example, check, define
from octavus_cli.protocol.yaml_source import Span

INTERACTIVE_ONLY = ("triggers", "handlers", "agent")
WORKER_ONLY = ("steps", "output")

WRONG_FORMAT_SECTION = define(
    "OCT116",
    "wrong-format-section",
    Severity.WARNING,
    "A section that belongs to the other agent format (steps in an interactive agent, "
    "triggers/handlers/agent in a worker)",
    "Interactive agents use triggers + handlers + agent; workers use steps + output. Check "
    '"format" in settings.json, or move the blocks to the section this format uses.',
    family="yaml",
    example=Example(
        format="worker",
        files={
            "protocol.yaml": BASE_WORKER
            + "\nagent:\n  model: anthropic/claude-sonnet-4-5\n  system: system\n"
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=28,
        column=1,
    ),
)

MISSING_AGENT = define(
    "OCT117",
    "missing-agent",
    Severity.ERROR,
    "An interactive agent has no agent: section",
    "Add agent: with at least model and system; it configures the main conversation thread.",
    family="yaml",
    example=Example(
        files={
            "protocol.yaml": BASE_INTERACTIVE.replace(
                "agent:\n  model: anthropic/claude-sonnet-4-5\n  system: system\n\n", ""
            )
        },
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=1,
        column=1,
    ),
)

NO_ENTRY_POINT = define(
    "OCT118",
    "no-entry-point",
    Severity.WARNING,
    "The agent can never do anything: an interactive agent without triggers, a worker "
    "without steps",
    "Interactive agents run when a trigger fires (for example user-message); workers run "
    "their steps in order.",
    family="yaml",
    example=Example(
        files={"protocol.yaml": "agent:\n  model: anthropic/claude-sonnet-4-5\n  system: system\n"},
        fixed={"protocol.yaml": None},
        file="protocol.yaml",
        line=1,
        column=1,
    ),
)


@check
def format_sections(ctx: Context) -> Iterator[Diagnostic]:
    if ctx.doc is None or not isinstance(ctx.doc.data, dict):
        return
    data = ctx.data
    foreign: tuple[str, ...]
    if ctx.is_worker:
        foreign, other, mine = INTERACTIVE_ONLY, "interactive", "steps"
    else:
        foreign, other, mine = WORKER_ONLY, "worker", "triggers"
    for key in foreign:
        if key in data:
            yield ctx.report(
                WRONG_FORMAT_SECTION,
                (key,),
                f'"{key}:" belongs to {other} agents, but settings.json says this agent is '
                f'"{ctx.format}"; the platform does not use it here',
                key=True,
            )
    if not ctx.is_worker and "agent" not in data:
        yield ctx.report_at(
            MISSING_AGENT,
            PROTOCOL_FILE,
            Span(1, 1, 1, 1),
            "this interactive agent has no agent: section (model and system prompt)",
        )
    if not data.get(mine):
        what = "triggers, so it can never be invoked" if mine == "triggers" else "steps to run"
        path = (mine,) if mine in data else ()
        yield ctx.report(NO_ENTRY_POINT, path, f"the agent has no {what}", key=bool(path))
