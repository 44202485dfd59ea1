"""`octavus get`: show an agent, or write it as an agent folder that syncs back unchanged."""

from pathlib import Path
from typing import Annotated, Any

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.completion import agent_slugs
from octavus_cli.error_handler import run_command
from octavus_cli.global_options import settings_of
from octavus_cli.output import Reporter, mode_from_flags


def get_command(
    ctx: typer.Context,
    slug_or_id: Annotated[
        str,
        typer.Argument(
            metavar="SLUG_OR_ID",
            autocompletion=agent_slugs,
            help="The agent's slug, or its id. Tried as a slug first, then as an id.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Write the agent as a folder (settings.json, protocol.yaml, prompts/, "
            "references/) that `octavus sync DIR` reports as Unchanged.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="With --output: write into a folder that is not empty."),
    ] = False,
    json_output: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Show an agent's settings, prompts and references, or pull it into a folder.

    The argument is looked up as a slug first (?by=slug) and, when no agent has
    that slug, as an agent id. --json prints the agent object as the platform
    returns it; --quiet prints only the id (with --output: the folder).

    --output DIR refuses a folder that is not empty unless --force is given
    (files of the agent are overwritten; other files are left alone).

    Examples:

      octavus get support-chat

      octavus get support-chat --output pulled/support-chat

      octavus get cm1a2b3c4d5e6f7g8h9i0j --json
    """

    def body(out: Reporter) -> int:
        from octavus_cli.management.connection import agents_api
        from octavus_cli.management.lookup import fetch_agent

        with agents_api(settings_of(ctx), out.info) as api:
            agent = fetch_agent(api, slug_or_id)
        if output is not None:
            return _write(out, agent, output, force=force)
        from octavus_cli.output.results.management import AgentDetails

        out.report(AgentDetails(agent))
        return 0

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output, quiet=quiet))


def _write(out: Reporter, agent: dict[str, Any], dest: Path, *, force: bool) -> int:
    from octavus_cli.errors import ApiError
    from octavus_cli.protocol.folder import definition_from_body, write_agent_dir

    try:
        definition = definition_from_body(agent)
    except ValueError as exc:
        raise ApiError(
            f"The platform returned the agent in a shape that cannot be written as a folder: {exc}",
            hint="Run `octavus get SLUG --json` to see what the platform returned.",
        ) from None
    files = write_agent_dir(definition, dest, force=force)
    from octavus_cli.output.results.management import AgentWritten

    out.report(AgentWritten(agent, definition.slug, dest, files))
    return 0
