"""Consoles for a stream: rich on a terminal, plain text off one (see :mod:`.plain`).

Colour only on a terminal, never when ``NO_COLOR`` is set. Rich is imported on first
use, so commands that print nothing stay fast.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

from octavus_cli.output.plain import PlainConsole

if TYPE_CHECKING:
    from rich.console import Console


def color_disabled() -> bool:
    """``NO_COLOR`` set to any non-empty value turns colour off (no-color.org)."""
    return bool(os.environ.get("NO_COLOR", ""))


def make_console(stream: TextIO) -> Console:
    """A rich console for ``stream``: styled only on a terminal without NO_COLOR."""
    from rich.console import Console

    is_tty = isatty(stream)
    plain = color_disabled() or not is_tty
    width = None if is_tty else (int(os.environ.get("COLUMNS", "0") or 0) or 120)
    return Console(
        file=stream,
        color_system=None if plain else "auto",
        force_terminal=False if plain else None,
        highlight=False,
        emoji=False,
        soft_wrap=True,
        width=width,
    )


def make_output(stream: TextIO) -> Console | PlainConsole:
    """The console for ``stream``: rich on a terminal; off one, rich only when needed."""
    if isatty(stream):
        return make_console(stream)
    return PlainConsole(stream, lambda: make_console(stream))


def isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
