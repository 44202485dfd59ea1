"""Options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

JsonFlag = Annotated[
    bool,
    typer.Option(
        "--json",
        help="Print one JSON document on stdout and nothing else there (for scripts and CI).",
    ),
]
QuietFlag = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="Print only what a script needs; errors still go to stderr."
    ),
]
