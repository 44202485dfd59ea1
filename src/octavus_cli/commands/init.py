"""`octavus init`: start a new agent (or skill) folder that validates clean as it is."""

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.error_handler import run_command
from octavus_cli.errors import ConfigError
from octavus_cli.output import Reporter, mode_from_flags

if TYPE_CHECKING:
    from octavus_cli.authoring.scaffold import Scaffold


class AgentFormat(str, Enum):
    interactive = "interactive"
    worker = "worker"


def init_command(
    ctx: typer.Context,
    path: Annotated[
        str,
        typer.Argument(
            metavar="[PATH]", help="The new folder (created; must be empty if it exists)."
        ),
    ] = ".",
    agent_format: Annotated[
        AgentFormat,
        typer.Option(
            "--format",
            help="interactive (a chat) or worker (runs once, returns output).",
            case_sensitive=False,
        ),
    ] = AgentFormat.interactive,
    skill: Annotated[
        bool, typer.Option("--skill", help="Create a skill folder (SKILL.md) instead of an agent.")
    ] = False,
    slug: Annotated[
        str | None,
        typer.Option(
            "--slug",
            help="Lowercase letters, digits and dashes (default: from the folder name; "
            "asked on a terminal).",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="The display name (default: from the slug; asked on a terminal).",
            show_default=False,
        ),
    ] = None,
    description: Annotated[
        str | None,
        typer.Option("--description", help="A one-line description.", show_default=False),
    ] = None,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Create a new agent folder (or a skill with --skill) ready to validate, sync and run.

    The folder gets settings.json, protocol.yaml and prompts/ (a skill gets
    SKILL.md and scripts/). It validates clean, syncs and runs as it is. An
    existing folder must be empty. On a terminal you are asked for the slug and
    name; in scripts give --slug and --name (defaults come from the folder name).

    Examples:

      octavus init my-agent

      octavus init reports --format worker --slug reports --name "Reports"

      octavus init skills/qr-code --skill
    """
    mode = mode_from_flags(json_output=json_output, quiet=quiet)

    def body(out: Reporter) -> int:
        from octavus_cli.authoring.scaffold import write_scaffold

        root = Path(path)
        _check_empty(root)
        if skill and agent_format is not AgentFormat.interactive:
            raise ConfigError(
                "--skill and --format disagree: a skill has no format",
                hint="Give --skill for a skill folder, or --format for an agent.",
            )
        ask = out.is_human and sys.stdin.isatty() and sys.stdout.isatty()
        scaffold = _scaffold(root, ask=ask)
        written = write_scaffold(root, scaffold)
        _report(out, root, scaffold, written)
        return 0

    def _scaffold(root: Path, *, ask: bool) -> "Scaffold":
        from octavus_cli.authoring.scaffold import (
            SLUG,
            agent_scaffold,
            default_name,
            default_slug,
            skill_scaffold,
        )

        chosen = slug
        if chosen is None:
            chosen = default_slug(root)
            if ask:
                chosen = typer.prompt("Slug", default=chosen).strip()
        if not SLUG.match(chosen):
            raise ConfigError(
                f'slug "{chosen}" may only hold lowercase letters, digits and single dashes',
                hint="Give --slug, for example --slug my-agent.",
            )
        title = name
        if title is None:
            title = default_name(chosen)
            if ask:
                title = typer.prompt("Name", default=title).strip()
        if not title.strip():
            raise ConfigError(
                "The name is empty", hint="Give --name, for example --name 'My agent'."
            )
        if skill:
            return skill_scaffold(chosen, title, description)
        return agent_scaffold(chosen, title, agent_format.value, description)

    run_command(ctx, body, mode=mode)


def _check_empty(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise ConfigError(
            f"{root} is a file, not a folder", hint="Give the path of a new or empty folder."
        )
    if root.is_dir() and any(root.iterdir()):
        raise ConfigError(
            f"{root} is not empty; init only writes into a new or empty folder",
            hint="Give a new folder, for example octavus init my-agent.",
        )


def _report(out: Reporter, root: Path, scaffold: "Scaffold", written: list[Path]) -> None:
    from octavus_cli.output.results.tools import Scaffolded

    files = sorted(str(p.relative_to(root)).replace("\\", "/") for p in written)
    out.report(Scaffolded(root, scaffold.kind, scaffold.slug, files))
