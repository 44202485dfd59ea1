"""`octavus archive`: archive (soft-delete) an agent by slug."""

import sys
from typing import Annotated

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.completion import agent_slugs
from octavus_cli.error_handler import run_command
from octavus_cli.errors import Declined
from octavus_cli.global_options import settings_of
from octavus_cli.output import Reporter, mode_from_flags


def archive_command(
    ctx: typer.Context,
    slug: Annotated[
        str,
        typer.Argument(
            metavar="SLUG",
            help="The slug of the agent to archive.",
            show_default=False,
            autocompletion=agent_slugs,
        ),
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Archive an agent: a soft delete that frees its slug.

    On a terminal (stdin and stderr both a TTY) it shows the agent and asks for
    confirmation first; --yes skips the question. Without a terminal (scripts,
    CI) it does not ask, like the official CLI. An unknown slug is an error
    (exit 1, code NOT_FOUND with --json).

    --json prints {slug, agentId, archived: true}; --quiet prints only the agent id.

    Examples:

      octavus archive old-support-chat

      octavus archive old-support-chat --yes --json
    """

    def body(out: Reporter) -> int:
        from octavus_cli.management.archive import archive_agent
        from octavus_cli.management.connection import agents_api
        from octavus_cli.management.lookup import agent_not_found

        with agents_api(settings_of(ctx), out.info) as api:
            if not yes and _interactive(out):
                agent = api.find_by_slug(slug)
                if agent is None:
                    raise agent_not_found(slug)
                _confirm(slug, agent.get("settings") or {}, str(agent.get("id", "?")))
            archived = archive_agent(api, slug)
        from octavus_cli.output.results.management import Archived

        out.report(Archived(slug, archived.agent_id, archived.note))
        return 0

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output, quiet=quiet))


def _interactive(out: Reporter) -> bool:
    """A person can answer: stdin is a terminal and the question (stderr) is visible."""
    try:
        return sys.stdin.isatty() and out.stderr_is_tty
    except (AttributeError, ValueError):
        return False


def _confirm(slug: str, settings: dict[str, object], agent_id: str) -> None:
    name = settings.get("name") or slug
    question = (
        f"Archive agent {name!s} ({slug}, {agent_id})? Sessions can no longer start it "
        "and the slug becomes free."
    )
    if not typer.confirm(question, default=False, err=True):
        raise Declined(f"Not archived: {slug}", hint="Pass --yes to archive without being asked.")
