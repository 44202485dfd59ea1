"""Options shared by several commands, declared once."""

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


def parse_format(value: str) -> str:
    """``--format NAME``: any format in the output registry offered as an option."""
    from octavus_cli.output.registry import format_choices

    choices = format_choices()
    name = value.casefold()
    if name not in choices:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(map(repr, choices))}.")
    return name


def format_completion(incomplete: str) -> list[str]:
    from octavus_cli.output.registry import format_choices

    return [name for name in format_choices() if name.startswith(incomplete.casefold())]
