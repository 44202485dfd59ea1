"""Build only the command being run: typer turns every registered command into a click
command (evaluating each function's type hints) before it parses anything.

With ``octavus [GLOBAL OPTIONS] NAME ...`` and NAME a registered command or group, the
app is built with that one command: the parser (typer/click, the only one) then sees
exactly what it would see otherwise, because nothing of another command appears in the
usage, help or errors of NAME. Anything else (no command, ``--help`` at the top, an
unknown name, an option this scan does not know) builds the whole app, as before.
"""

from __future__ import annotations

import copy
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


def app_for(app: typer.Typer, args: Sequence[str]) -> typer.Typer:
    """``app`` with only the command ``args`` run, when that is certain; else ``app``."""
    name = command_name(args)
    if name is None:
        return app
    commands = [c for c in app.registered_commands if registered_name(c) == name]
    groups = [g for g in app.registered_groups if registered_name(g) == name]
    if len(commands) + len(groups) != 1:
        return app
    picked = copy.copy(app)
    picked.registered_commands = commands
    picked.registered_groups = groups
    return picked
