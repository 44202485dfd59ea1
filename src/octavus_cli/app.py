"""The Typer app: global options and command registration, nothing else.

Command modules import only typer and the standard library at module level; the
libraries that cost start-up time (httpx, jsonschema, yaml, rich) are imported
inside the command bodies, so ``octavus --help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from octavus_cli import version_line
from octavus_cli.cli_group import OctavusGroup
from octavus_cli.commands import (
    archive,
    config,
    emulator,
    get,
    init,
    list,
    lsp,
    rules,
    run,
    schema,
    sessions,
    skills,
    sync,
    token,
    validate,
    workforce,
)
from octavus_cli.error_handler import GlobalOptions

HELP = """\
Validate, sync and run Octavus agents from the terminal.

Validation is local and offline; the other commands talk to the platform
(OCTAVUS_API_URL, default https://octavus.ai) or to the local emulator.

Examples:

  octavus validate examples/agents/support-chat

  octavus --env .env.staging sync ./agents

  octavus run support-chat --input-file examples/input.yaml -m "Hi"
"""

app = typer.Typer(
    name="octavus",
    cls=OctavusGroup,
    help=HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    env_file: Annotated[
        str | None,
        typer.Option(
            "--env",
            metavar="FILE",
            help="Load environment variables from FILE (default: ./.env when present). "
            "Variables already set in the environment win.",
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show tracebacks and request details (never keys)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Global options, given before the command (or after it)."""
    ctx.obj = GlobalOptions(env_file=env_file, debug=debug)


app.command(name="init")(init.init_command)
app.command(name="validate")(validate.validate_command)
app.command(name="schema")(schema.schema_command)
app.command(name="rules")(rules.rules_command)
app.command(name="sync")(sync.sync_command)
app.command(name="list")(list.list_command)
app.command(name="get")(get.get_command)
app.command(name="archive")(archive.archive_command)
app.command(name="run")(run.run_agent_command)
app.add_typer(workforce.app, name="workforce")
app.add_typer(skills.app, name="skills")
app.add_typer(sessions.app, name="sessions")
app.add_typer(token.app, name="token")
app.command(name="emulator")(emulator.emulator_command)
app.command(name="config")(config.config_command)
app.command(name="lsp")(lsp.lsp_command)
