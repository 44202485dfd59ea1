"""`octavus sessions`: read, clear, export and restore agent sessions."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar

import typer

from octavus_cli.commands.options import JsonFlag
from octavus_cli.error_handler import run_command
from octavus_cli.global_options import settings_of
from octavus_cli.output import Reporter, mode_from_flags

if TYPE_CHECKING:
    from octavus_cli.platform.sessions import SessionsApi
    from octavus_cli.settings import Settings

HELP = """\
Read, clear, export and restore agent sessions (key: OCTAVUS_API_KEY, Sessions permission).

Examples:

  octavus sessions show cm5xyz123

  octavus sessions logs cm5xyz123 --no-model-requests

  octavus sessions export cm5xyz123 > session.json

  octavus sessions restore cm5xyz123 --from session.json
"""

app = typer.Typer(help=HELP, no_args_is_help=True, rich_markup_mode=None)

SessionId = Annotated[str, typer.Argument(metavar="ID", help="The session id.", show_default=False)]


@contextmanager
def sessions_api(out: Reporter, settings: "Settings") -> "Iterator[SessionsApi]":
    """A :class:`SessionsApi` with the sessions key (OCTAVUS_API_KEY first)."""
    from octavus_cli.config import Family
    from octavus_cli.platform.connect import connect
    from octavus_cli.platform.sessions import SessionsApi

    with connect(Family.RUN, settings, say=out.info) as client:
        yield SessionsApi(client)


class _MayExpire(Protocol):
    @property
    def expired(self) -> bool: ...


Read = TypeVar("Read", bound=_MayExpire)


def _unexpired(found: Read, session_id: str) -> Read:
    """``found``, or the error that says the session expired and how to restore it."""
    if found.expired:
        from octavus_cli.errors import SessionExpired
        from octavus_cli.output.sessions import restore_hint

        raise SessionExpired(f"Session {session_id} has expired", hint=restore_hint(session_id))
    return found


def _run(ctx: typer.Context, body: Callable[[Reporter], int], json_output: bool) -> None:
    run_command(ctx, body, mode=mode_from_flags(json_output=json_output))


@app.command("show")
def show_command(ctx: typer.Context, session_id: SessionId, json_output: JsonFlag = False) -> None:
    """Show a session: status, agent, input, resources and variables.

    An expired session says so and how to restore it (exit 0).
    --json prints {sessionId, agentId, status, createdAt, ...}.
    """

    def body(out: Reporter) -> int:
        with sessions_api(out, settings_of(ctx)) as api:
            state = api.state(session_id)
        from octavus_cli.output.results.sessions import SessionDetails

        out.report(SessionDetails(state))
        return 0

    _run(ctx, body, json_output)


@app.command("messages")
def messages_command(
    ctx: typer.Context, session_id: SessionId, json_output: JsonFlag = False
) -> None:
    """Print the conversation as text (--json: {sessionId, messages} as UI messages)."""

    def body(out: Reporter) -> int:
        with sessions_api(out, settings_of(ctx)) as api:
            state = _unexpired(api.ui_messages(session_id), session_id)
        from octavus_cli.output.results.sessions import Conversation

        out.report(Conversation(state.session_id, state.messages))
        return 0

    _run(ctx, body, json_output)


@app.command("logs")
def logs_command(
    ctx: typer.Context,
    session_id: SessionId,
    no_model_requests: Annotated[
        bool,
        typer.Option("--no-model-requests", help="Leave out the model-request entries."),
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Show the execution log as a timeline: triggers, tool calls, answers, errors.

    Each line has the time since the first entry; tool calls and model requests
    show how long they took. Runs made with `octavus run --trace` also carry the
    model request bodies. --json prints {sessionId, entries, total?, truncated?},
    the entries as the platform sent them plus durationMs where known.
    """

    def body(out: Reporter) -> int:
        with sessions_api(out, settings_of(ctx)) as api:
            logs = api.logs(session_id, exclude_model_requests=no_model_requests)
            _unexpired(logs, session_id)
        from octavus_cli.output.results.sessions import SessionLog

        out.report(SessionLog(logs))
        return 0

    _run(ctx, body, json_output)


@app.command("clear")
def clear_command(
    ctx: typer.Context,
    session_id: SessionId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    json_output: JsonFlag = False,
) -> None:
    """Clear a session: it becomes expired (restore brings it back). Idempotent.

    On a terminal (stdin and stderr both a TTY) it asks first; --yes skips the
    question. --json prints {sessionId, cleared}.
    """

    def body(out: Reporter) -> int:
        from octavus_cli.errors import Declined

        with sessions_api(out, settings_of(ctx)) as api:
            if not yes and _interactive(out):
                question = (
                    f"Clear session {session_id}? Its messages and state are dropped "
                    "(restore needs an export)."
                )
                if not typer.confirm(question, default=False, err=True):
                    raise Declined(
                        f"Not cleared: {session_id}",
                        hint="Pass --yes to clear without being asked.",
                    )
            cleared = api.clear(session_id)
        from octavus_cli.output.results.sessions import SessionChanged

        out.report(SessionChanged(session_id, "cleared", cleared))
        return 0

    _run(ctx, body, json_output)


@app.command("export")
def export_command(
    ctx: typer.Context, session_id: SessionId, json_output: JsonFlag = False
) -> None:
    """Print a session as JSON for `sessions restore`: {sessionId, agentId, input, messages}.

    The document always goes to stdout (redirect it to a file); --json only makes
    errors JSON too.
    """

    def body(out: Reporter) -> int:
        with sessions_api(out, settings_of(ctx)) as api:
            state = _unexpired(api.state(session_id), session_id)
            ui = _unexpired(api.ui_messages(session_id), session_id)
        from octavus_cli.output.results.sessions import SessionExport

        out.report(SessionExport(state.session_id, state.agent_id, state.input, ui.messages))
        return 0

    _run(ctx, body, json_output)


@app.command("restore")
def restore_command(
    ctx: typer.Context,
    session_id: SessionId,
    source: Annotated[
        Path,
        typer.Option(
            "--from",
            metavar="FILE",
            help="A file written by `sessions export` (or a JSON array of UI messages).",
            show_default=False,
        ),
    ],
    json_output: JsonFlag = False,
) -> None:
    """Restore an expired session from an export; an active session is left alone.

    The export's session input is restored too. --json prints {sessionId, restored}.
    """

    def body(out: Reporter) -> int:
        messages, session_input = read_export(source, session_id)
        with sessions_api(out, settings_of(ctx)) as api:
            restored = api.restore(session_id, messages, session_input)
        from octavus_cli.output.results.sessions import SessionChanged

        out.report(SessionChanged(session_id, "restored", restored, len(messages)))
        return 0

    _run(ctx, body, json_output)


def read_export(path: Path, session_id: str) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The messages and input of an export file (checked before any request)."""
    import json

    from octavus_cli.errors import ConfigError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(
            f"{path} is not JSON: {exc}",
            hint=f"Write it with: octavus sessions export {session_id} > {path}",
        ) from None
    session_input: dict[str, Any] | None = None
    if isinstance(data, dict):
        exported = data.get("sessionId")
        if isinstance(exported, str) and exported != session_id:
            raise ConfigError(
                f"{path} is an export of session {exported}, not of {session_id}",
                hint=f"Restore that session: octavus sessions restore {exported} --from {path}",
            )
        raw_input = data.get("input")
        session_input = raw_input if isinstance(raw_input, dict) else None
        data = data.get("messages")
    if not isinstance(data, list) or not all(isinstance(m, dict) for m in data):
        raise ConfigError(
            f"{path} holds no messages list",
            hint="Give a file written by `octavus sessions export` or a JSON array of UI messages.",
        )
    return data, session_input


def _interactive(out: Reporter) -> bool:
    """A person can answer: stdin is a terminal and the question (stderr) is visible."""
    try:
        return sys.stdin.isatty() and out.stderr_is_tty
    except (AttributeError, ValueError):
        return False
