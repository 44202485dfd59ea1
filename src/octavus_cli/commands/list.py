"""`octavus list`: the agents of the project, as a table, JSON or bare slugs."""

from __future__ import annotations

from typing import Any

import typer

from octavus_cli.commands.options import JsonFlag, QuietFlag
from octavus_cli.error_handler import run_command, settings_of
from octavus_cli.output import Reporter, mode_from_flags

COLUMNS = (("SLUG", "slug"), ("NAME", "name"), ("FORMAT", "format"), ("ID", "id"))


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
        from octavus_cli.config import Family
        from octavus_cli.platform.agents import AgentsApi
        from octavus_cli.platform.connect import connect

        with connect(
            Family.MANAGEMENT, settings_of(ctx), say=out.info if out.is_human else None
        ) as client:
            api = AgentsApi(client)
            agents = api.list()
        if out.is_json:
            out.emit_json({"agents": agents})
        elif out.is_quiet:
            for agent in agents:
                out.text(str(agent.get("slug", "")))
        elif not agents:
            out.info("No agents found. Create one with `octavus sync PATH`.")
        else:
            out.render(_table(agents))
            out.blank()
            out.text(f"{len(agents)} agent{'' if len(agents) == 1 else 's'}")
        return 0

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output, quiet=quiet))


def _table(agents: list[dict[str, Any]]) -> Any:
    from octavus_cli.management.render import table

    return table(
        [title for title, _ in COLUMNS],
        [[str(agent.get(key) or "") for _, key in COLUMNS] for agent in agents],
    )
