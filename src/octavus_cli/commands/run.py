"""`octavus run`: talk to an agent from the terminal, with tools run by local commands."""

from pathlib import Path
from typing import Annotated

import typer

from octavus_cli.error_handler import run_command
from octavus_cli.global_options import settings_of
from octavus_cli.output import Mode, Reporter


def run_agent_command(
    ctx: typer.Context,
    agent: Annotated[
        str,
        typer.Argument(
            metavar="AGENT",
            help="Agent id, agent slug, or a local agent folder (its slug from settings.json).",
            show_default=False,
        ),
    ],
    message: Annotated[
        str | None,
        typer.Option(
            "--message",
            "-m",
            metavar="TEXT",
            help="The message to send. Without it: stdin when piped, else an interactive chat.",
        ),
    ] = None,
    inputs: Annotated[
        list[str] | None,
        typer.Option(
            "--input",
            "-i",
            metavar="KEY=VALUE",
            help="Session input, typed by the agent's declared type (repeatable).",
        ),
    ] = None,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input-file",
            metavar="FILE",
            help="Session input from a JSON or YAML object; --input values win.",
        ),
    ] = None,
    trigger: Annotated[
        str,
        typer.Option("--trigger", "-t", metavar="NAME", help="The trigger to run."),
    ] = "user-message",
    trigger_inputs: Annotated[
        list[str] | None,
        typer.Option(
            "--trigger-input",
            metavar="KEY=VALUE",
            help="Trigger input, typed by the trigger's declared type (repeatable).",
        ),
    ] = None,
    files: Annotated[
        list[str] | None,
        typer.Option(
            "--file",
            "-f",
            metavar="NAME=PATH",
            help="Upload PATH for the file (or file[]) trigger input NAME (repeatable). "
            "JPEG, PNG, GIF, WebP, PDF, text, Markdown or JSON; 10 MiB each, 50 MiB in all.",
        ),
    ] = None,
    session: Annotated[
        str | None,
        typer.Option("--session", "-s", metavar="ID", help="Continue this session."),
    ] = None,
    tools: Annotated[
        list[str] | None,
        typer.Option(
            "--tool",
            metavar="NAME=COMMAND",
            help="Run COMMAND for calls of tool NAME: args as JSON on stdin, result on "
            "stdout (repeatable).",
        ),
    ] = None,
    tool_timeout: Annotated[
        float,
        typer.Option(
            "--tool-timeout",
            metavar="SECONDS",
            help="Stop a tool command after this long and send an error result.",
        ),
    ] = 60.0,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print every event as one JSON line on stdout (NDJSON), plus cli-session, "
            "cli-tool-result and cli-error lines; nothing else there.",
        ),
    ] = False,
    show_reasoning: Annotated[
        bool,
        typer.Option("--show-reasoning", help="Show the model's reasoning, dimmed, on stderr."),
    ] = False,
    oidc_audience: Annotated[
        str | None,
        typer.Option(
            "--oidc-audience",
            metavar="AUD",
            help="In GitHub Actions: use an OIDC token for AUD instead of an API key "
            "(AGENT must then be the agent id).",
        ),
    ] = None,
    idle_timeout: Annotated[
        float,
        typer.Option(
            "--idle-timeout",
            metavar="SECONDS",
            help="Consider the stream dead after this long without a byte "
            "(the platform sends a heartbeat every 15 s).",
        ),
    ] = 60.0,
    trace: Annotated[
        bool,
        typer.Option(
            "--trace",
            help="Trace model requests (X-Octavus-Trace: true on every session request of "
            "this run; also OCTAVUS_TRACE=1); see them with `octavus sessions logs ID`.",
        ),
    ] = False,
    output_only: Annotated[
        bool,
        typer.Option(
            "--output-only",
            help="Worker agents: print just the output value as JSON on stdout (for scripts).",
        ),
    ] = False,
) -> None:
    """Run an agent session: send a message, stream the answer, run its tools.

    AGENT is an agent id, a slug, or a local agent folder. The message comes from
    --message, else from stdin when it is piped; on a terminal without either you
    get an interactive chat (Ctrl-C stops an answer, Ctrl-D leaves). The answer
    streams to stdout; status lines go to stderr. With --json every event is one
    JSON line on stdout.

    Tools: --tool NAME=COMMAND runs COMMAND (split like a shell would, not through
    a shell) with the call's args as JSON on stdin and OCTAVUS_TOOL_NAME /
    OCTAVUS_TOOL_CALL_ID in its environment; its stdout is the result (JSON if it
    parses, else text). A non-zero exit or a timeout sends an error result.

    Worker agents (format: worker) run through the execute endpoint: their input
    comes from --input/--input-file, the tools from --tool; the text streams to
    stdout and the output value follows; --output-only prints only the output as
    JSON; the cost and token usage go to stderr. A failed run exits 1.

    Keys: OCTAVUS_API_KEY, then OCTAVUS_CLI_API_KEY; or --oidc-audience in GitHub
    Actions. Exit codes: 0 finished, 1 error event or failed stream, 2 usage or
    configuration, 130 interrupted.

    Examples:

    \b
      octavus run support-chat --input-file examples/input.yaml -m "Hi"
      echo "Is the API down?" | octavus run ./agents/support-chat --input-file input.yaml
      octavus run support-chat --input-file input.yaml --tool check-order-status=./order.sh
      octavus run support-chat --session cm5xyz123 --json -m "And the refund?"
      octavus run "$AGENT_ID" --oidc-audience "$AUDIENCE" -m "Nightly report"

      octavus run research-worker -i QUESTION="What changed?" --output-only
    """
    from octavus_cli.gc_pause import paused_gc
    from octavus_cli.records import replace

    with paused_gc():  # httpx and the session modules: many objects, none garbage (~3 ms)
        from octavus_cli.session.execute import RunOptions, execute_run

    options = RunOptions(
        agent=agent,
        message=message,
        inputs=list(inputs or []),
        input_file=input_file,
        trigger=trigger,
        trigger_inputs=list(trigger_inputs or []),
        session=session,
        tools=list(tools or []),
        tool_timeout=tool_timeout,
        show_reasoning=show_reasoning,
        oidc_audience=oidc_audience,
        idle_timeout=idle_timeout,
        trace=trace,
        output_only=output_only,
        files=list(files or []),
    )

    def body(out: Reporter) -> int:
        if output_only and json_output:
            from octavus_cli.errors import ConfigError

            raise ConfigError("--output-only and --json exclude each other", hint="Pick one.")
        # The settings hold the --env file too, so OCTAVUS_TRACE may come from there.
        settings = settings_of(ctx)
        traced = options.trace or settings.trace
        return execute_run(out, replace(options, trace=traced, settings=settings))

    run_command(ctx, body, mode=Mode.JSON_LINES if json_output else Mode.HUMAN)
