"""``octavus run WORKER``: a ``format: worker`` agent through the execute endpoint.

The input is typed from the worker's declared ``input`` (``--input``,
``--input-file``); tools run through ``--tool`` commands; text streams to stdout
and the output value comes at the end (``--output-only``: just the output as
JSON; ``--json``: every event as NDJSON). The ``usage`` event's cost and tokens
go to stderr.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from octavus_cli.errors import ExitCode, Interrupted
from octavus_cli.output import Reporter
from octavus_cli.platform.workers import WorkersApi
from octavus_cli.session.agent_ref import AgentTarget, refuse_worker
from octavus_cli.session.render import Renderer
from octavus_cli.session.tools import TerminalPrompt, ToolResult, ToolRunner
from octavus_cli.session.worker import WorkerRun, cost_line, failure, output_text

if TYPE_CHECKING:
    from octavus_cli.platform.http import PlatformClient
    from octavus_cli.session.execute import LocalPlan, RunOptions


def check_worker_options(options: RunOptions, label: str) -> None:
    """Options that have no meaning for a worker: refused before any run request."""
    from octavus_cli.session.execute import DEFAULT_TRIGGER

    hint = "Give its input with --input NAME=VALUE or --input-file FILE."
    if options.message is not None:
        raise refuse_worker(label, "it takes no message", hint)
    if options.session is not None:
        raise refuse_worker(label, "each run is new; there is no session to continue", hint)
    if options.trigger != DEFAULT_TRIGGER or options.trigger_inputs:
        raise refuse_worker(label, "it has no triggers", hint)
    if options.files:
        raise refuse_worker(
            label,
            "--file needs a session to upload to, and a worker run has none",
            "Upload elsewhere and pass the FileReference with --input-file.",
        )


class OutputOnlyRenderer:
    """``--output-only``: no events on stdout; status lines still on stderr."""

    def __init__(self, out: Reporter) -> None:
        self.out = out

    def session(self, session_id: str, agent_id: str, *, created: bool) -> None:
        return

    def event(self, event: dict[str, Any], text: str | None = None) -> None:
        return

    def tool_results(self, results: list[ToolResult]) -> None:
        return

    def status(self, message: str) -> None:
        self.out.note(message)

    def warning(self, message: str) -> None:
        self.out.note(f"warning: {message}")

    def end_turn(self) -> None:
        return

    def waiting(self, message: str) -> None:
        return

    def caught_up(self) -> None:
        return


def worker_input(options: RunOptions, plan: LocalPlan, target: AgentTarget) -> dict[str, Any]:
    from octavus_cli.session.execute import session_input

    return session_input(options, plan, target.protocol)


def execute_worker(
    out: Reporter,
    options: RunOptions,
    plan: LocalPlan,
    target: AgentTarget,
    client: PlatformClient,
    renderer: Renderer,
) -> int:
    from octavus_cli.session.tools import stdin_is_terminal

    check_worker_options(options, target.label)
    values = worker_input(options, plan, target)
    shown: Renderer = OutputOnlyRenderer(out) if options.output_only else renderer
    tools = ToolRunner(
        plan.tools,
        options.tool_timeout,
        TerminalPrompt(sys.stdin, sys.stderr) if stdin_is_terminal() else None,
        options.environment.env,
    )
    run = WorkerRun(WorkersApi(client, trace=options.trace), target.agent_id, shown, tools)
    shown.status(f"Running worker {target.label}")
    try:
        outcome = run.run(values)
    except KeyboardInterrupt:
        tools.processes.kill_all()
        shown.end_turn()
        raise Interrupted("Interrupted") from None
    shown.end_turn()
    if outcome.usage is not None:
        shown.status(cost_line(outcome.usage))
    if options.trace and outcome.run_id:
        shown.status(f"Traces: octavus sessions logs {outcome.run_id}")
    if outcome.failed:
        raise failure(outcome)
    if options.output_only:
        out.stdout.write(json.dumps(outcome.output, ensure_ascii=False) + "\n")
        out.stdout.flush()
    elif not out.is_json and outcome.output is not None:
        shown.status("Output:")
        out.stdout.write(output_text(outcome.output) + "\n")
        out.stdout.flush()
    return int(ExitCode.OK)
