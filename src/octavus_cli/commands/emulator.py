"""`octavus emulator`: run a local Octavus platform for offline use and tests."""

import shlex
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.error_handler import run_command
from octavus_cli.errors import ConfigError
from octavus_cli.output import Reporter, mode_from_flags

if TYPE_CHECKING:
    from octavus_cli.emulator import Emulator, RecordedRequest

PortOption = Annotated[
    int,
    typer.Option(
        "--port", min=0, max=65535, help="Port on 127.0.0.1 (0 picks a free one).", metavar="N"
    ),
]
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        metavar="FILE",
        help="SQLite file that keeps agents, sessions and threads across restarts "
        "(default: in memory).",
    ),
]
KeyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--key",
        metavar="KEY",
        help="Accepted project key (repeatable). Default: one generated fake key "
        "(with --data, generated once and kept in the data file).",
    ),
]
AgentKeyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--agent-key",
        metavar="AGENT_ID=KEY",
        help="Per-agent Workforce key for AGENT_ID (repeatable).",
    ),
]


def _agent_keys(values: list[str]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for value in values:
        agent_id, sep, key = value.partition("=")
        if not sep or not agent_id.strip() or not key.strip():
            raise ConfigError(
                "--agent-key must look like AGENT_ID=KEY",
                hint="For example: --agent-key cmworkforceagent01=my-fake-agent-key",
            )
        keys[agent_id.strip()] = key.strip()
    return keys


def _startup_lines(emulator: "Emulator") -> list[str]:
    """The URL line, then the export lines a user pastes into a shell."""
    lines = [
        f"Octavus emulator listening on {emulator.url}",
        f"export OCTAVUS_API_URL={emulator.url}",
        f"export OCTAVUS_CLI_API_KEY={shlex.quote(emulator.key)}",
        f"export OCTAVUS_API_KEY={shlex.quote(emulator.key)}",
    ]
    for agent_id, key in emulator.agent_keys.items():
        lines.append(f"export OCTAVUS_AGENT_KEY={shlex.quote(key)}  # workforce agent {agent_id}")
    return lines


def emulator_command(
    ctx: typer.Context,
    port: PortOption = 7777,
    data: DataOption = None,
    key: KeyOption = None,
    agent_key: AgentKeyOption = None,
    error_shape: Annotated[
        str,
        typer.Option(
            "--error-shape",
            help='Error bodies: flat {"error", "code"} or nested {"error": {"code", "message"}}.',
            metavar="flat|nested",
        ),
    ] = "flat",
    token_delay: Annotated[
        float,
        typer.Option("--token-delay", min=0, metavar="SECONDS", help="Pause between words."),
    ] = 0.02,
    heartbeat: Annotated[
        float,
        typer.Option(
            "--heartbeat", min=0.01, metavar="SECONDS", help="Heartbeat interval of streams."
        ),
    ] = 15.0,
    workforce_pending: Annotated[
        float,
        typer.Option(
            "--workforce-pending", min=0, metavar="SECONDS", help="Time runs stay pending."
        ),
    ] = 1.0,
    workforce_running: Annotated[
        float,
        typer.Option(
            "--workforce-running", min=0, metavar="SECONDS", help="Time runs stay running."
        ),
    ] = 3.0,
    over_limit: Annotated[
        list[str] | None,
        typer.Option(
            "--over-limit",
            metavar="AGENT_ID",
            help="Workforce agent blocked by its spending limit: dispatches get 402 (repeatable).",
        ),
    ] = None,
    latency: Annotated[
        float,
        typer.Option("--latency", min=0, metavar="SECONDS", help="Fault: delay every request."),
    ] = 0.0,
    fail_first: Annotated[
        int,
        typer.Option("--fail-first", min=0, metavar="N", help="Fault: first N requests get 503."),
    ] = 0,
    rate_limit_every: Annotated[
        int,
        typer.Option("--rate-limit-every", min=0, metavar="N", help="Fault: every Nth gets 429."),
    ] = 0,
    cut_stream_after: Annotated[
        int | None,
        typer.Option(
            "--cut-stream-after", min=0, metavar="N", help="Fault: close streams after N events."
        ),
    ] = None,
    malformed_sse: Annotated[
        bool, typer.Option("--malformed-sse", help="Fault: one unparseable event line per stream.")
    ] = False,
    silent_stream: Annotated[
        bool, typer.Option("--silent-stream", help="Fault: streams send nothing, no heartbeats.")
    ] = False,
    lose_answers: Annotated[
        int,
        typer.Option(
            "--lose-answers",
            min=0,
            metavar="N",
            help="Fault: carry out the next N writes, then close without answering.",
        ),
    ] = 0,
    skill_bundle_limit: Annotated[
        int,
        typer.Option(
            "--skill-bundle-limit",
            min=1,
            metavar="BYTES",
            help="Skill bundles larger than this get 413 (default 10 MiB).",
        ),
    ] = 10 * 1024 * 1024,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Run a local emulator of the Octavus platform API on 127.0.0.1.

    Every command can then run offline: point OCTAVUS_API_URL at the printed
    URL and use the printed key. The emulator runs agents with a deterministic
    model: it answers "You said: ..."; "/call TOOL {json}" requests a tool,
    "/think", "/error", "/wait N" and "/system" do what they say. Workforce
    messages with [fail], [cancel] or [slow] end that way. Stop it with Ctrl-C.

    Examples:

      octavus emulator

      octavus emulator --port 0 --data emulator.db --key my-fake-key

      octavus emulator --agent-key cmworkforceagent01=my-fake-agent-key
    """

    def body(out: Reporter) -> int:
        from octavus_cli.emulator import Emulator, EmulatorError, Faults, WorkforceDurations

        if error_shape not in ("flat", "nested"):
            raise ConfigError(f"--error-shape must be flat or nested, got {error_shape!r}")
        faults = Faults(
            latency=latency,
            fail_first=fail_first,
            rate_limit_every=rate_limit_every,
            cut_stream_after=cut_stream_after,
            malformed_sse=malformed_sse,
            silent_stream=silent_stream,
            lose_answers=lose_answers,
        )

        def log_request(record: "RecordedRequest") -> None:
            out.info(f"{record.method} {record.path} -> {record.status}")

        try:
            emulator = Emulator(
                port=port,
                data=data,
                keys=list(key) if key else None,
                agent_keys=_agent_keys(list(agent_key or [])),
                error_shape="nested" if error_shape == "nested" else "flat",
                workforce_durations=WorkforceDurations(
                    pending=workforce_pending, running=workforce_running
                ),
                heartbeat_interval=heartbeat,
                token_delay=token_delay,
                blocked_agents=list(over_limit or []),
                faults=faults,
                skill_bundle_limit=skill_bundle_limit,
                log=lambda message: out.debug(message),
                on_request=log_request if out.emitter.shows_messages else None,
            )
            emulator.start()
        except EmulatorError as exc:
            raise ConfigError(
                str(exc), hint="Choose another --port (0 picks a free one) or another --data file."
            ) from None
        return _serve(emulator, out, data)

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output, quiet=quiet))


def _serve(emulator: "Emulator", out: Reporter, data: str | None) -> int:
    """Print where to connect, then serve until SIGINT or SIGTERM."""
    from octavus_cli.output.results.tools import EmulatorStarted

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous: dict[signal.Signals, Any] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, request_stop)
    try:
        out.report(
            EmulatorStarted(
                emulator.url,
                emulator.env(),
                emulator.agent_keys,
                data,
                emulator.key_reused,
                emulator.key_kept,
                _startup_lines(emulator),
            )
        )
        while not stop.wait(0.2):
            pass
    finally:
        emulator.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    out.info("Emulator stopped.")
    return 0
