"""Import and build only the command being run: typer turns every registered command into
a click command (evaluating each function's type hints) before it parses anything, and
each command module costs its import.

With ``octavus [GLOBAL OPTIONS] NAME ...`` and NAME a registered command or group, the
app is built with that one command (only its module imported): the parser (typer/click,
the only one) then sees exactly what it would see otherwise, because nothing of another
command appears in the usage, help or errors of NAME. Anything else (no command,
``--help`` at the top, an unknown name, an option this scan does not know) builds the
whole app, as before, except the top-level help (``octavus``, ``octavus --help``): it
shows each command's name and summary only, so it is built from ``app.SUMMARIES``
without importing any command module.
"""

from __future__ import annotations

from collections.abc import Sequence

import typer

# The app's global options (see app.py) that take a value; the others are flags.
VALUE_OPTIONS = frozenset({"--env"})
FLAG_OPTIONS = frozenset({"--debug"})


def command_name(args: Sequence[str]) -> str | None:
    """The command NAME of ``args``, or None when the scan cannot be sure."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in VALUE_OPTIONS:
            index += 2
            continue
        if arg in FLAG_OPTIONS or any(arg.startswith(f"{o}=") for o in VALUE_OPTIONS):
            index += 1
            continue
        if arg.startswith("-"):
            return None  # --help, --version, an unknown option: the whole app decides
        return arg
    return None


def registered_name(info: object) -> str | None:
    from typer.main import get_command_name

    name = getattr(info, "name", None)
    if isinstance(name, str):
        return name
    callback = getattr(info, "callback", None)
    return get_command_name(callback.__name__) if callback is not None else None


TOP_LEVEL_HELP: tuple[list[str], ...] = ([], ["--help"], ["-h"])


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command ``args`` run, when that is certain; else the whole app
    (``octavus_cli.app.app``)."""
    from octavus_cli.app import COMMANDS, build, summary_app, whole_app

    if list(args) in TOP_LEVEL_HELP:
        return summary_app()
    name = command_name(args)
    if name is None or name not in COMMANDS:
        return whole_app()
    return build([name])
