"""`octavus workforce`: dispatch, wait for and follow up Workforce agent runs.

Each subcommand is a thin body over :mod:`octavus_cli.platform.workforce` (the
API), :mod:`octavus_cli.workforce.wait` (polling) and
:mod:`octavus_cli.output.thread` (showing the latest turn).
"""

import shlex
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.error_handler import run_command
from octavus_cli.errors import ConfigError, Interrupted, RunFailed, WaitTimedOut
from octavus_cli.global_options import global_options, settings_of
from octavus_cli.output import Mode, Reporter, mode_from_flags
from octavus_cli.output.thread import final_text
from octavus_cli.records import record
from octavus_cli.workforce.files import load_file_references
from octavus_cli.workforce.wait import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT,
    PollSchedule,
    ThreadWaiter,
    format_duration,
    is_terminal,
    parse_duration,
)

if TYPE_CHECKING:
    from octavus_cli.errors import ApiError
    from octavus_cli.output import StatusLine
    from octavus_cli.output.summary import RunSummary
    from octavus_cli.platform.workforce import ThreadRef, WorkforceApi
    from octavus_cli.settings import Settings

HELP = """\
Dispatch, wait for and follow up Workforce agent runs.

Workforce agents are the managed agents you hire in the Octavus dashboard. Each
is driven with its own key: OCTAVUS_AGENT_KEY (oct_agt_..., from the agent's
Settings → API), or OCTAVUS_API_KEY as a fallback. AGENT_ID is in the agent's
page URL.

Exit codes: 0 completed, 1 failed or cancelled (or an API error), 2 configuration
or usage error, 3 gave up waiting while the run goes on, 130 interrupted.

Examples:

  octavus workforce run cm5agent123 "Summarize the latest sales report"

  octavus workforce run cm5agent123 - --quiet < task.md > result.md

  octavus workforce wait cm5agent123 cm5thread456 --timeout 1h
"""

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _duration(text: str | float) -> float:
    if isinstance(text, (int, float)):  # click converts the defaults too
        return float(text)
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return seconds


AgentArg = Annotated[
    str,
    typer.Argument(metavar="AGENT_ID", help="The agent's id (in its page URL in the dashboard)."),
]
ThreadArg = Annotated[
    str,
    typer.Argument(metavar="THREAD_ID", help="The thread id that dispatch printed."),
]
MessageArg = Annotated[
    str,
    typer.Argument(metavar="MESSAGE", help="The task for the agent; - reads it from stdin."),
]
FilesOption = Annotated[
    Path | None,
    typer.Option(
        "--files",
        metavar="FILE.json",
        help="A JSON array of hosted file references ({id, mediaType, url, filename?, "
        "size?}) to attach to the message.",
    ),
]
PollIntervalOption = Annotated[
    float,
    typer.Option(
        "--poll-interval",
        metavar="DURATION",
        parser=_duration,
        help="Time between status checks once a run is under way (the first checks come "
        "sooner): seconds, or 500ms, 5s, 1m.  [default: 3s]",
        show_default=False,
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="DURATION",
        parser=_duration,
        help="Give up waiting after this long (exit 3), counting the dispatch or follow-up "
        "before the wait; the run goes on.  [default: 15m]",
        show_default=False,
    ),
]
WaitFlag = Annotated[
    bool, typer.Option("--wait", help="Wait for the run to finish and show its result.")
]


@record
class Waiting:
    poll_interval: float
    timeout: float

    def check(self) -> None:
        if self.poll_interval <= 0:
            raise ConfigError("--poll-interval must be more than 0", hint="E.g. 500ms or 5s.")
        if self.timeout < 0:
            raise ConfigError("--timeout must not be negative", hint="For example 30m or 1h.")


def _mode(json_output: bool, quiet: bool) -> Mode:
    return mode_from_flags(json_output=json_output, quiet=quiet)


# -- subcommands -------------------------------------------------------------------------


@app.command("run")
def run_command_(
    ctx: typer.Context,
    agent_id: AgentArg,
    message: MessageArg,
    files: FilesOption = None,
    poll_interval: PollIntervalOption = DEFAULT_POLL_INTERVAL,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Give an agent a task, wait for it to finish and show the result.

    Dispatches MESSAGE to the agent, polls until the run is completed, failed or
    cancelled, and prints the agent's latest turn: its text as markdown and its tool
    and skill steps as a short list. --quiet prints only the final text, --json the
    whole thread. Ctrl-C stops waiting; the run goes on and can be read later with
    `octavus workforce get`.

    Examples:

      octavus workforce run cm5agent123 "Summarize the latest sales report"

      octavus workforce run cm5agent123 - < task.md --files attachments.json

      octavus workforce run cm5agent123 "Triage issues" --timeout 30m --json
    """
    waiting = Waiting(poll_interval, timeout)

    def body(out: Reporter) -> int:
        waiting.check()
        text = read_message(out, message)
        attachments = load_file_references(files) if files else None
        with workforce_api(settings_of(ctx)) as api, timeout_from_now(api, waiting) as started:
            ref = api.dispatch(agent_id, text, attachments)
            out.info(f"Dispatched to agent {agent_id}: thread {ref.thread_id}")
            return wait_and_show(ctx, out, api, agent_id, ref.thread_id, waiting, started)

    run_command(ctx, body, mode=_mode(json_output, quiet))


@app.command("dispatch")
def dispatch_command(
    ctx: typer.Context,
    agent_id: AgentArg,
    message: MessageArg,
    files: FilesOption = None,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Give an agent a task and print the thread id, without waiting.

    The run starts on the platform right away; follow it with `octavus workforce
    wait` or read it with `octavus workforce get`. --quiet prints only the thread id,
    --json prints {threadId, status}.

    Examples:

      octavus workforce dispatch cm5agent123 "Research our top 3 competitors"

      THREAD=$(octavus workforce dispatch cm5agent123 - --quiet < task.md)
    """

    def body(out: Reporter) -> int:
        text = read_message(out, message)
        attachments = load_file_references(files) if files else None
        with workforce_api(settings_of(ctx)) as api:
            ref = api.dispatch(agent_id, text, attachments)
        show_ref(ctx, out, agent_id, ref, "Dispatched to")
        return 0

    run_command(ctx, body, mode=_mode(json_output, quiet))


@app.command("get")
def get_command(
    ctx: typer.Context,
    agent_id: AgentArg,
    thread_id: ThreadArg,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Show a thread as it is now: its status and the agent's latest turn.

    Does not wait. Exits 0 when the run is completed or still going, 1 when it
    failed (the reason goes to stderr) or was cancelled. --json prints the thread
    ({threadId, status, failureReason, messages}), --quiet only the final text.

    Examples:

      octavus workforce get cm5agent123 cm5thread456

      octavus workforce get cm5agent123 cm5thread456 --json | jq -r .status
    """

    def body(out: Reporter) -> int:
        with workforce_api(settings_of(ctx)) as api:
            thread = api.get_thread(agent_id, thread_id)
        status = thread.get("status")
        from octavus_cli.output.results.workforce import WorkforceThread

        out.report(WorkforceThread(thread, is_terminal(status)))
        if not is_terminal(status):
            out.info(
                f"Thread {thread_id} is still {status}; wait for it with: "
                f"{command_line(ctx, 'wait', agent_id, thread_id)}"
            )
            return 0
        return outcome(thread, agent_id, thread_id)

    run_command(ctx, body, mode=_mode(json_output, quiet))


@app.command("wait")
def wait_command(
    ctx: typer.Context,
    agent_id: AgentArg,
    thread_id: ThreadArg,
    poll_interval: PollIntervalOption = DEFAULT_POLL_INTERVAL,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Wait for a thread's run to finish and show the result.

    Polls until the thread is completed, failed or cancelled, then prints the
    agent's latest turn like `octavus workforce run`. Exits 3 when --timeout passes
    first (the run goes on).

    Examples:

      octavus workforce wait cm5agent123 cm5thread456

      octavus workforce wait cm5agent123 cm5thread456 --timeout 1h --quiet
    """
    waiting = Waiting(poll_interval, timeout)

    def body(out: Reporter) -> int:
        waiting.check()
        with workforce_api(settings_of(ctx)) as api, timeout_from_now(api, waiting) as started:
            return wait_and_show(ctx, out, api, agent_id, thread_id, waiting, started)

    run_command(ctx, body, mode=_mode(json_output, quiet))


@app.command("follow-up")
def follow_up_command(
    ctx: typer.Context,
    agent_id: AgentArg,
    thread_id: ThreadArg,
    message: MessageArg,
    files: FilesOption = None,
    wait: WaitFlag = False,
    poll_interval: PollIntervalOption = DEFAULT_POLL_INTERVAL,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Send another message into a thread, and with --wait show the new result.

    If the agent is still working, the message runs after the current turn. Without
    --wait this prints the thread id like dispatch; with --wait it waits and prints
    the agent's answer like `octavus workforce run`.

    Examples:

      octavus workforce follow-up cm5agent123 cm5thread456 "Now make slides"

      octavus workforce follow-up cm5agent123 cm5thread456 - --wait < notes.md
    """
    waiting = Waiting(poll_interval, timeout)

    def body(out: Reporter) -> int:
        waiting.check()
        text = read_message(out, message)
        attachments = load_file_references(files) if files else None
        with workforce_api(settings_of(ctx)) as api, timeout_from_now(api, waiting) as started:
            ref = api.follow_up(agent_id, thread_id, text, attachments)
            if not wait:
                show_ref(ctx, out, agent_id, ref, "Sent the follow-up to")
                return 0
            out.info(f"Sent the follow-up to thread {ref.thread_id}")
            return wait_and_show(ctx, out, api, agent_id, ref.thread_id, waiting, started)

    run_command(ctx, body, mode=_mode(json_output, quiet))


# -- input -------------------------------------------------------------------------------


def read_message(out: Reporter, message: str) -> str:
    """MESSAGE itself, or stdin for ``-``; an empty message is a usage error."""
    if message == "-":
        if sys.stdin is None:
            raise ConfigError("MESSAGE is -, but there is no standard input to read it from")
        if sys.stdin.isatty():
            out.info("Reading the message from standard input; end it with Ctrl-D.")
        message = sys.stdin.read()
        where = "The message read from standard input"
    else:
        where = "MESSAGE"
    if not message.strip():
        raise ConfigError(
            f"{where} is empty",
            hint="Give the task as MESSAGE, or pass - and pipe it in: "
            "octavus workforce run AGENT_ID - < task.md",
        )
    return message


# -- the platform -------------------------------------------------------------------------


@contextmanager
def workforce_api(settings: "Settings") -> "Iterator[WorkforceApi]":
    """A Workforce client with the agent key, closed when the body is done."""
    from octavus_cli.config import Family
    from octavus_cli.platform.connect import connect
    from octavus_cli.platform.workforce import WorkforceApi

    with connect(Family.WORKFORCE, settings) as client:
        yield WorkforceApi(client)


# -- waiting -----------------------------------------------------------------------------


def wait_and_show(
    ctx: typer.Context,
    out: Reporter,
    api: "WorkforceApi",
    agent_id: str,
    thread_id: str,
    waiting: Waiting,
    started: float,
) -> int:
    """Poll until the thread is terminal, then print it and return the exit code.

    ``--timeout`` counts from ``started`` (see :func:`timeout_from_now`), so the time a
    dispatch or follow-up took before the wait is part of it.
    """
    get_later = command_line(ctx, "get", agent_id, thread_id)
    with out.status(f"Waiting for thread {thread_id}") as line:
        progress = _Progress(out, line, thread_id)
        waiter = ThreadWaiter(
            fetch=lambda: api.get_thread(agent_id, thread_id),
            schedule=PollSchedule(waiting.poll_interval),
            timeout=waiting.timeout,
            on_poll=progress.polled,
            on_transient=progress.transient,
            sleep=progress.sleep,
            started=started,
        )
        try:
            result = waiter.wait()
        except KeyboardInterrupt:
            raise Interrupted(
                f"Stopped waiting for thread {thread_id}; the run goes on. "
                f"Read it later with: {get_later}",
                details={"agentId": agent_id, "threadId": thread_id},
            ) from None
    if result.timed_out or result.thread is None:
        last = f"still {result.status}" if result.status else "not answering"
        error = f" (last error: {result.last_error.message})" if result.last_error else ""
        raise WaitTimedOut(
            f"Gave up waiting after {format_duration(result.elapsed)}: thread {thread_id} is "
            f"{last}{error}; the run goes on. Read it later with: {get_later}",
            hint=f"Wait longer with: {command_line(ctx, 'wait', agent_id, thread_id)} --timeout 1h",
            details={"agentId": agent_id, "threadId": thread_id, "threadStatus": result.status},
        )
    out.info(f"Thread {thread_id} {result.status} after {format_duration(result.elapsed)}")
    summary = _run_summary(result.thread, agent_id, thread_id, result.elapsed)
    from octavus_cli.output.results.workforce import WorkforceThread

    # A wait that did not time out ended on a terminal thread: the run is finished.
    out.report(WorkforceThread(result.thread, True, summary))
    return outcome(result.thread, agent_id, thread_id)


DEADLINE_GRACE = 1.0  # seconds the poll that lands on the --timeout deadline may take


@contextmanager
def timeout_from_now(api: "WorkforceApi", waiting: Waiting) -> Iterator[float]:
    """``--timeout`` from now bounds every request in the block, retries included.

    That is the dispatch or follow-up before a wait as much as each poll: a slow or
    failing platform cannot stretch the command past its deadline. Yields the start,
    the ``time.monotonic()`` the wait's timeout counts from.
    """
    started = time.monotonic()
    with api.client.deadline_in(waiting.timeout + DEADLINE_GRACE):
        yield started


def _run_summary(
    thread: dict[str, Any], agent_id: str, thread_id: str, elapsed: float
) -> "RunSummary":
    """The run's outcome for the GitHub job summary (when $GITHUB_STEP_SUMMARY is set)."""
    from octavus_cli.output.summary import RunSummary

    status = str(thread.get("status"))
    facts = [
        ("Agent", agent_id),
        ("Thread", thread_id),
        ("Status", status),
        ("Waited", format_duration(elapsed)),
    ]
    reason = thread.get("failureReason")
    if isinstance(reason, str) and reason.strip():
        facts.append(("Failure", reason))
    text = final_text(thread.get("messages"))
    return RunSummary("octavus workforce", status == "completed", facts, text)


TICK = 0.25  # seconds between updates of the live line's elapsed time


class _Progress:
    """Reports a wait: a live line on a terminal, status changes as lines otherwise."""

    def __init__(self, out: Reporter, line: "StatusLine", thread_id: str) -> None:
        self.out = out
        self.line = line
        self.thread_id = thread_id
        self.status: str | None = None
        self.live = line.live

    def _show(self, elapsed: float) -> None:
        self.line.update(f"Thread {self.thread_id}: {self.status} · {format_duration(elapsed)}")

    def polled(self, thread: dict[str, Any], elapsed: float) -> None:
        status = str(thread.get("status"))
        if status != self.status and not self.live and not is_terminal(status):
            self.out.info(f"Thread {self.thread_id}: {status}")
        self.status = status
        self._show(elapsed)

    def transient(self, error: "ApiError", delay: float) -> None:
        self.out.warning(
            f"Checking thread {self.thread_id} failed: {error.message}. "
            f"Still waiting; next check in {format_duration(delay)}"
        )

    def sleep(self, seconds: float, elapsed: float) -> None:
        """Sleep, ticking the elapsed time of the live line a few times a second."""
        from octavus_cli.pacing import pacing

        scale = pacing().scale
        end = time.monotonic() + seconds * scale
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, TICK * scale) if self.live else left)
            if self.live:
                self._show(elapsed + seconds - max(0.0, end - time.monotonic()) / scale)


# -- output ------------------------------------------------------------------------------


def show_ref(ctx: typer.Context, out: Reporter, agent_id: str, ref: "ThreadRef", verb: str) -> None:
    wait = command_line(ctx, "wait", agent_id, ref.thread_id)
    from octavus_cli.output.results.workforce import ThreadStarted

    out.report(ThreadStarted(ref, agent_id, verb, wait))


def outcome(thread: dict[str, Any], agent_id: str, thread_id: str) -> int:
    """0 for a completed thread; raises for failed or cancelled ones (exit 1)."""
    status = thread.get("status")
    details = {"agentId": agent_id, "threadId": thread_id, "threadStatus": status}
    if status == "failed":
        reason = thread.get("failureReason")
        why = _reason(reason) if isinstance(reason, str) and reason.strip() else "no reason given"
        raise RunFailed(f"Thread {thread_id} failed: {why}", details=details)
    if status == "cancelled":
        raise RunFailed(f"The run of thread {thread_id} was cancelled", details=details)
    return 0


def _reason(text: str) -> str:
    """The failure reason without a leading "The run failed:" (the message says it already)."""
    stripped = text.strip()
    for prefix in ("the run failed:", "run failed:"):
        if stripped.lower().startswith(prefix):
            rest = stripped[len(prefix) :].strip()
            return rest[:1].upper() + rest[1:] if rest else stripped
    return stripped


def command_line(ctx: typer.Context, verb: str, agent_id: str, thread_id: str) -> str:
    """The exact command to run later, with the same --env file if one was given."""
    env_file = global_options(ctx).env_file
    prefix = ["octavus"] + (["--env", env_file] if env_file else [])
    words = [*prefix, "workforce", verb, agent_id, thread_id]
    return " ".join(shlex.quote(word) for word in words)
