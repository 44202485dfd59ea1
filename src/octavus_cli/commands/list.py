"""`octavus list`: the agents of the project, as a table, JSON or bare slugs."""

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.error_handler import run_command
from octavus_cli.global_options import settings_of
from octavus_cli.output import Reporter, mode_from_flags


def list_command(
    ctx: typer.Context, json_output: JsonFlag = False, quiet: QuietFlag = False
) -> None:
    """List the agents of the project (archived agents are not listed).

    Prints a table (SLUG, NAME, FORMAT, ID) and a count; --json prints the
    platform's {agents: [...]} document; --quiet prints one slug per line.

    Examples:

      octavus list

      octavus list --quiet | xargs -n1 octavus get

      octavus list --json | jq -r '.agents[].id'
    """

    def body(out: Reporter) -> int:
        from octavus_cli.management.connection import agents_api

        with agents_api(settings_of(ctx), out.info) as api:
            agents = api.list()
        from octavus_cli.output.results.management import AgentList

        out.report(AgentList(agents))
        return 0

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output, quiet=quiet))
