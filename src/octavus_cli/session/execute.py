"""``octavus run`` from options to exit code.

Order: everything that can be checked locally first (options, input file, the
agent folder), then the key (or the OIDC token), the agent lookup, input typing
and required inputs, and only then the session requests.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from octavus_cli.config import Credentials, Family
from octavus_cli.errors import ApiError, ConfigError, ExitCode, Interrupted, NotFoundError
from octavus_cli.output import Reporter
from octavus_cli.platform.agents import AgentsApi
from octavus_cli.platform.connect import connect
from octavus_cli.platform.oidc import TOKEN_SOURCE, fetch_github_oidc_token
from octavus_cli.platform.sessions import SessionsApi, StreamFailed
from octavus_cli.records import field, record
from octavus_cli.session import inputs
from octavus_cli.session.agent_ref import (
    AgentTarget,
    LocalAgent,
    agent_for_token,
    read_local_agent,
    resolve_agent,
)
from octavus_cli.session.files import (
    LocalFile,
    check_file_inputs,
    parse_files,
    upload_files,
)
from octavus_cli.session.loop import SessionRun
from octavus_cli.session.notices import RetryNotices
from octavus_cli.session.protocol_info import MESSAGE_INPUT, message_input, trigger_inputs
from octavus_cli.session.render import HumanRenderer, JsonRenderer, Renderer
from octavus_cli.session.tools import (
    TerminalPrompt,
    ToolCommand,
    ToolRunner,
    parse_tool_commands,
    stdin_is_terminal,
)
from octavus_cli.settings import Settings

if TYPE_CHECKING:
    from octavus_cli.protocol.model import Declaration, ProtocolModel

DEFAULT_TRIGGER = "user-message"
DEFAULT_IDLE_TIMEOUT = 60.0


@record
class RunOptions:
    agent: str
    message: str | None = None
    inputs: list[str] = field(default_factory=list)
    input_file: Path | None = None
    trigger: str = DEFAULT_TRIGGER
    trigger_inputs: list[str] = field(default_factory=list)
    session: str | None = None
    tools: list[str] = field(default_factory=list)
    tool_timeout: float = 60.0
    show_reasoning: bool = False
    oidc_audience: str | None = None
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT
    trace: bool = False  # X-Octavus-Trace: true on the session requests of this run
    output_only: bool = False  # workers: print just the output value as JSON
    files: list[str] = field(default_factory=list)  # NAME=PATH for file trigger inputs
    # What the command read of its environment (keys, URL, tool environment); None:
    # the process environment.
    settings: Settings | None = None

    @property
    def environment(self) -> Settings:
        return self.settings if self.settings is not None else Settings.from_environ()


@record
class Message:
    """What the trigger gets as its message, and where it comes from."""

    input_name: str | None  # None: the trigger takes no message
    text: str | None  # None with input_name set: ask for it in a chat


# Typed session input, typed trigger input, and the message.
Prepared = tuple[dict[str, Any], dict[str, Any], Message]


def resume_command(options: RunOptions, session_id: str) -> str:
    command = f"octavus run {shlex.quote(options.agent)} --session {shlex.quote(session_id)}"
    if options.oidc_audience:
        command += f" --oidc-audience {shlex.quote(options.oidc_audience)}"
    return command


# -- local checks -------------------------------------------------------------------------


@record
class LocalPlan:
    tools: dict[str, ToolCommand]
    session_raw: dict[str, str]
    session_file: dict[str, Any]
    trigger_raw: dict[str, str]
    local: LocalAgent | None
    files: dict[str, list[LocalFile]] = field(default_factory=dict)


def plan_locally(options: RunOptions) -> LocalPlan:
    if options.tool_timeout <= 0:
        raise ConfigError("--tool-timeout must be more than 0 seconds")
    if options.idle_timeout <= 0:
        raise ConfigError("--idle-timeout must be more than 0 seconds")
    if not options.trigger.strip():
        raise ConfigError("--trigger is empty", hint=f"Leave it out to use {DEFAULT_TRIGGER}.")
    if options.session and (options.inputs or options.input_file):
        raise ConfigError(
            "Session input is fixed when a session is created; it cannot change with --session",
            hint="Leave out --input/--input-file, or leave out --session to start a new session.",
        )
    trigger_raw = inputs.parse_assignments(options.trigger_inputs, "--trigger-input")
    files = parse_files(options.files)
    both = sorted(set(files) & set(trigger_raw))
    if both:
        raise ConfigError(
            f"{', '.join(both)} given with both --file and --trigger-input",
            hint="Give each input once.",
        )
    return LocalPlan(
        tools=parse_tool_commands(options.tools),
        session_raw=inputs.parse_assignments(options.inputs, "--input"),
        session_file=inputs.read_input_file(options.input_file) if options.input_file else {},
        trigger_raw=trigger_raw,
        local=read_local_agent(options.agent),
        files=files,
    )


# -- inputs ---------------------------------------------------------------------------------


def session_input(
    options: RunOptions, plan: LocalPlan, protocol: ProtocolModel | None
) -> dict[str, Any]:
    specs = protocol.inputs if protocol else None
    values = dict(plan.session_file)
    if specs is not None and options.input_file is not None:
        inputs.check_names(values, specs, what="session input", source=str(options.input_file))
    values.update(
        inputs.typed_values(
            plan.session_raw,
            specs,
            option="--input",
            what="session input",
            custom_types=protocol.custom_types if protocol else frozenset(),
        )
    )
    if specs is not None and options.session is None:
        inputs.check_required(values, specs, what="session input", how="--input")
    return values


def trigger_specs(
    options: RunOptions, protocol: ProtocolModel | None
) -> dict[str, Declaration] | None:
    if protocol is None:
        return None
    specs = trigger_inputs(protocol, options.trigger)
    if specs is None:
        declared = ", ".join(protocol.triggers) or "none"
        raise ConfigError(
            f"The agent declares no trigger {options.trigger!r}",
            hint=f"Declared triggers: {declared}.",
        )
    return specs


def message_for(
    options: RunOptions,
    protocol: ProtocolModel | None,
    trigger_values: dict[str, Any],
    out: Reporter,
) -> Message:
    """Where the message comes from: --message, piped stdin, or a chat on a terminal."""
    if protocol is not None:
        name = message_input(protocol, options.trigger)
    else:
        name = MESSAGE_INPUT if options.trigger == DEFAULT_TRIGGER else None
    if name is None:
        if options.message is None:
            return Message(None, None)
        if protocol is not None:
            raise ConfigError(
                f"Trigger {options.trigger!r} takes no message",
                hint="Leave out --message, or give its inputs with --trigger-input NAME=VALUE.",
            )
        return Message(MESSAGE_INPUT, options.message)
    if options.message is not None:
        return Message(name, options.message)
    if name in trigger_values:
        return Message(None, None)
    if not sys.stdin.isatty():
        text = sys.stdin.read().strip()
        if not text:
            raise ConfigError(
                "No message: standard input was empty",
                hint='Give --message "..." or pipe the message in: echo "Hi" | octavus run AGENT',
            )
        return Message(name, text)
    if out.is_json or not out.stdout_is_tty:
        raise ConfigError(
            "No message given",
            hint='Give --message "..." or pipe it on stdin; the interactive chat needs a '
            "terminal on stdin and stdout and no --json.",
        )
    return Message(name, None)


# -- the platform -------------------------------------------------------------------------


def credentials_for(options: RunOptions) -> Credentials:
    settings = options.environment
    if options.oidc_audience is None:
        return settings.credentials(Family.RUN)
    token = fetch_github_oidc_token(options.oidc_audience, settings.env)
    return settings.credentials(Family.RUN, token=token, token_source=TOKEN_SOURCE)


def open_session(
    options: RunOptions,
    sessions: SessionsApi,
    target: AgentTarget,
    values: dict[str, Any],
    renderer: Renderer,
) -> str:
    if options.session is None:
        session_id = sessions.create(target.agent_id, values)
        renderer.session(session_id, target.agent_id, created=True)
        return session_id
    try:
        state = sessions.get(options.session)
    except NotFoundError as error:
        error.hint = (
            f'Check the id (`octavus run` prints it as "New session ..." on stderr, and '
            f"--json as a cli-session line), or start a new session: "
            f"octavus run {shlex.quote(options.agent)} without --session."
        )
        raise
    if state.get("status") == "expired":
        raise ApiError(
            f"Session {options.session} has expired",
            hint="Start a new session: leave out --session.",
        )
    owner = state.get("agentId")
    if isinstance(owner, str) and owner != target.agent_id:
        raise ConfigError(
            f"Session {options.session} belongs to agent {owner}, not to {target.label}",
            hint=f"Run it with that agent: octavus run {owner} --session {options.session}",
        )
    renderer.session(options.session, target.agent_id, created=False)
    return options.session


def execute_run(out: Reporter, options: RunOptions) -> int:
    """The whole command (in --json mode the reporter turns errors into ``cli-error`` lines)."""
    plan = plan_locally(options)
    token_target = (
        agent_for_token(options.agent, plan.local) if options.oidc_audience is not None else None
    )
    if plan.local is not None and plan.local.worker:
        from octavus_cli.session.worker_command import check_worker_options

        check_worker_options(options, plan.local.slug)
    elif options.output_only and plan.local is not None:
        raise ConfigError(
            "--output-only is for worker agents", hint="Leave it out for interactive agents."
        )
    prepared: Prepared | None = None
    if plan.local is not None and plan.local.protocol is not None and not plan.local.worker:
        # Folder agents: every input problem is found before any request.
        prepared = prepare_inputs(options, plan, plan.local.protocol, out)
    credentials = credentials_for(options)
    human = HumanRenderer(out, show_reasoning=options.show_reasoning)
    renderer: Renderer = JsonRenderer(out) if out.is_json else human
    notices = RetryNotices(renderer.status)
    with connect(
        Family.RUN,
        options.environment,
        credentials=credentials,
        on_retry=notices.on_retry,
        read_timeout=options.idle_timeout,
    ) as client:
        target = token_target or resolve_agent(options.agent, plan.local, AgentsApi(client))
        human.protocol = target.protocol
        if target.worker:
            from octavus_cli.session.worker_command import execute_worker

            return execute_worker(out, options, plan, target, client, renderer)
        if options.output_only:
            raise ConfigError(
                f"--output-only is for worker agents; {target.label} is interactive",
                hint="Leave out --output-only.",
            )
        prepared = prepared or prepare_inputs(options, plan, target.protocol, out)
        values, trigger_values, message = prepared

        sessions = SessionsApi(client, on_busy=notices.on_busy, trace=options.trace)
        session_id = open_session(options, sessions, target, values, renderer)
        if options.trace:
            renderer.status(
                f"Tracing model requests; see them with: octavus sessions logs {session_id}"
            )
        tools = ToolRunner(
            plan.tools,
            options.tool_timeout,
            TerminalPrompt(sys.stdin, sys.stderr) if stdin_is_terminal() else None,
            options.environment.env,
        )
        if plan.files:
            from octavus_cli.platform.files import FilesApi  # only to upload files

            trigger_values = {
                **trigger_values,
                **upload_files(
                    FilesApi(client, trace=options.trace),
                    session_id,
                    plan.files,
                    trigger_specs(options, target.protocol),
                ),
            }
        run = SessionRun(sessions, session_id, renderer, tools)
        resume = resume_command(options, session_id)
        if message.input_name is not None and message.text is None:
            from octavus_cli.session.chat import Chat  # not imported for one message

            return Chat(
                out,
                run,
                human,
                options.trigger,
                message.input_name,
                trigger_values,
                resume,
                notices=notices,
            ).loop()
        if message.text is not None and message.input_name is not None:
            trigger_values = {**trigger_values, message.input_name: message.text}
        code = send_once(run, options.trigger, trigger_values, resume)
        _job_summary(out, options, target, session_id, resume, ok=code == 0)
        return code


def _job_summary(
    out: Reporter,
    options: RunOptions,
    target: AgentTarget,
    session_id: str,
    resume: str,
    *,
    ok: bool,
) -> None:
    """The run's outcome in the GitHub job summary (when $GITHUB_STEP_SUMMARY is set)."""
    from octavus_cli.output.summary import RunSummary, append_summary, run_markdown

    facts = [
        ("Agent", target.label),
        ("Session", session_id),
        ("Trigger", options.trigger),
        ("Continue with", f"`{resume}`"),
    ]
    append_summary(out, run_markdown(RunSummary("octavus run", ok, facts)))


def send_once(run: SessionRun, trigger: str, trigger_input: dict[str, Any], resume: str) -> int:
    """One trigger through its tool loop; failures name the session and how to resume."""
    try:
        result = run.send(trigger, trigger_input)
    except StreamFailed as err:
        run.renderer.end_turn()
        err.hint = f"Session {run.session_id} may still hold the answer. Continue it with: {resume}"
        raise
    except ApiError as err:
        run.renderer.end_turn()
        if err.details.get("ambiguous"):
            # The trigger (or continuation) may be running: say how to pick it up.
            err.hint = (
                f"The message may have reached session {run.session_id}, which may be "
                f"answering it; do not send it again blindly. Continue it with: {resume}"
            )
            err.details["sessionId"] = run.session_id
        raise
    except KeyboardInterrupt:
        run.tools.processes.kill_all()
        run.renderer.end_turn()
        raise Interrupted(
            "Interrupted", hint=f"Continue session {run.session_id} with: {resume}"
        ) from None
    run.renderer.end_turn()
    return int(ExitCode.FAILURE if result.failed else ExitCode.OK)


def prepare_inputs(
    options: RunOptions, plan: LocalPlan, protocol: ProtocolModel | None, out: Reporter
) -> Prepared:
    """Typed session input, typed trigger input and the message; required inputs checked."""
    check_tool_names(plan.tools, protocol)
    values = session_input(options, plan, protocol)
    specs = trigger_specs(options, protocol)
    trigger_values = inputs.typed_values(
        plan.trigger_raw,
        specs,
        option="--trigger-input",
        what=f"input of trigger {options.trigger}",
        custom_types=protocol.custom_types if protocol else frozenset(),
    )
    check_file_inputs(plan.files, specs, options.trigger)
    message = message_for(options, protocol, trigger_values, out)
    if specs is not None:
        inputs.check_required(
            trigger_values,
            specs,
            what=f"input of trigger {options.trigger}",
            how="--trigger-input",
            exempt=[*([message.input_name] if message.input_name else []), *plan.files],
        )
    return values, trigger_values, message


def check_tool_names(tools: dict[str, ToolCommand], protocol: ProtocolModel | None) -> None:
    """Every --tool NAME is a tool the agent declares (namespaced MCP tools excepted)."""
    if protocol is None:
        return
    from octavus_cli.protocol.names import did_you_mean, quoted_list

    for name in tools:
        # ns__tool names come from MCP servers, known only at run time.
        if name in protocol.tools or "__" in name:
            continue
        declared = quoted_list(sorted(protocol.tools)) if protocol.tools else "none"
        raise ConfigError(
            f"--tool {name}: the agent declares no tool {name!r}"
            f"{did_you_mean(name, protocol.tools)}",
            hint=f"Its tools: {declared}.",
        )
