"""`octavus workforce`: placeholder until the command group lands."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Dispatch, wait for and follow up Workforce agent runs.", no_args_is_help=True
)
