"""The Typer app: global options and command registration, nothing else.

Command modules import only typer and the standard library at module level; the
libraries that cost start-up time (httpx, jsonschema, yaml, rich) are imported
inside the command bodies, so ``octavus --help`` stays fast.

The commands are listed in :data:`COMMANDS` (name -> module and attribute) and
imported when registered: ``app`` (this module's attribute, built on first use) has
them all; :func:`build` registers only those named, which is how the executable runs
one command without importing the others (see ``command_pick``).
"""

import importlib
from collections.abc import Callable, Iterable
from typing import Annotated, Any

import typer

from octavus_cli import version_line
from octavus_cli.cli_group import OctavusGroup
from octavus_cli.global_options import GlobalOptions

HELP = """\
Validate, sync and run Octavus agents from the terminal.

Validation is local and offline; the other commands talk to the platform
(OCTAVUS_API_URL, default https://octavus.ai) or to the local emulator.

Examples:

  octavus validate examples/agents/support-chat

  octavus --env .env.staging sync ./agents

  octavus run support-chat --input-file examples/input.yaml -m "Hi"
"""


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


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


# Every command, in the order of the help: name -> (module in octavus_cli.commands, the
# command function or, for a group, its Typer app).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "init_command"),
    "validate": ("validate", "validate_command"),
    "schema": ("schema", "schema_command"),
    "rules": ("rules", "rules_command"),
    "sync": ("sync", "sync_command"),
    "list": ("list", "list_command"),
    "get": ("get", "get_command"),
    "archive": ("archive", "archive_command"),
    "run": ("run", "run_agent_command"),
    "workforce": ("workforce", "app"),
    "skills": ("skills", "app"),
    "sessions": ("sessions", "app"),
    "token": ("token", "app"),
    "emulator": ("emulator", "emulator_command"),
    "config": ("config", "config_command"),
    "lsp": ("lsp", "lsp_command"),
}


# What ``octavus --help`` lists for each command: the first paragraph of its help, so
# that the top-level help imports no command module (~16 ms). The test
# tests/test_help_and_completion.py::test_the_summaries_are_the_commands_own_help checks
# each against the command itself.
SUMMARIES: dict[str, str] = {
    "init": "Create a new agent folder (or a skill with --skill) ready to validate, sync and run.",
    "validate": "Check agent folders offline: schema, names, prompts, models and more.",
    "schema": "Print the JSON Schema (draft 2020-12) of protocol.yaml or settings.json.",
    "rules": "List every rule octavus validate checks, or print one rule's documentation.",
    "sync": "Create or update agents on the platform; unchanged agents are left alone.",
    "list": "List the agents of the project (archived agents are not listed).",
    "get": "Show an agent's settings, prompts and references, or pull it into a folder.",
    "archive": "Archive an agent: a soft delete that frees its slug.",
    "run": "Run an agent session: send a message, stream the answer, run its tools.",
    "workforce": "Dispatch, wait for and follow up Workforce agent runs.",
    "skills": "Check custom skills offline and upload them with their secrets.",
    "sessions": "Read, clear, export and restore agent sessions "
    "(key: OCTAVUS_API_KEY, Sessions permission).",
    "token": "Mint and revoke ephemeral tokens (oct_et_...) "
    "with a key that has the Mint Tokens permission.",
    "emulator": "Run a local emulator of the Octavus platform API on 127.0.0.1.",
    "config": "Show where the API keys and URL come from (never the keys themselves).",
    "lsp": "Run the Octavus language server on stdin/stdout (started by your editor).",
}


def summary_app() -> typer.Typer:
    """The app of ``octavus --help``: each command by name and summary, none imported."""
    root = new_app()
    for name, (_module, attribute) in COMMANDS.items():
        if attribute == "app":  # a group: listed after the commands, as typer lists them
            root.add_typer(typer.Typer(help=SUMMARIES[name]), name=name)
        else:
            root.command(name=name, help=SUMMARIES[name])(_never_run)
    return root


def _never_run() -> None:
    raise AssertionError("the top-level help runs no command")  # pragma: no cover


def new_app() -> typer.Typer:
    """The ``octavus`` group with its global options and no command yet."""
    root = typer.Typer(
        name="octavus",
        cls=OctavusGroup,
        help=HELP,
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    root.callback()(main_options)
    return root


def command_object(name: str) -> Callable[..., Any] | typer.Typer:
    """The function of command ``name``, or the Typer app of group ``name`` (imported)."""
    module_name, attribute = COMMANDS[name]
    module = importlib.import_module(f"octavus_cli.commands.{module_name}")
    found: Callable[..., Any] | typer.Typer = getattr(module, attribute)
    return found


def build(names: Iterable[str] | None = None) -> typer.Typer:
    """The app with the commands ``names`` (all when None), in the order of COMMANDS."""
    wanted = set(COMMANDS if names is None else names)
    root = new_app()
    for name in COMMANDS:
        if name not in wanted:
            continue
        found = command_object(name)
        if isinstance(found, typer.Typer):
            root.add_typer(found, name=name)
        else:
            root.command(name=name)(found)
    return root


_whole_app: typer.Typer | None = None


def whole_app() -> typer.Typer:
    """The app with every command (built once)."""
    global _whole_app
    if _whole_app is None:
        _whole_app = build()
    return _whole_app


def __getattr__(name: str) -> typer.Typer:
    # ``from octavus_cli.app import app``: the whole app, built when first asked for.
    if name == "app":
        return whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
