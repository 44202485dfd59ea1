"""`octavus validate`: placeholder until the command lands."""

from __future__ import annotations

import typer

from octavus_cli.commands.options import JsonFlag
from octavus_cli.errors import ConfigError
from octavus_cli.output import Reporter, mode_from_flags
from octavus_cli.runner import run_command


def validate_command(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Check agent folders offline."""

    def body(out: Reporter) -> int:
        raise ConfigError("octavus validate is not available yet")

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output))
