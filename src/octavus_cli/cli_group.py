"""The root command group: global options are accepted after the command too.

``octavus list --env .env.staging`` and ``octavus validate agents --debug`` mean
the same as ``octavus --env .env.staging list`` and ``octavus --debug validate
agents``: the global options found after the command are moved before it. A
``--`` ends the search (what follows it is data).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup

GLOBAL_FLAGS = frozenset({"--debug"})
GLOBAL_OPTIONS_WITH_VALUE = frozenset({"--env"})


def hoist_global_options(args: list[str]) -> list[str]:
    """``args`` with the global options given after the command moved before it."""
    # Skip the group's own options (and their values) up to the command name.
    index = 0
    while index < len(args) and args[index].startswith("-") and args[index] != "--":
        index += 2 if args[index] in GLOBAL_OPTIONS_WITH_VALUE else 1
    if index >= len(args) or args[index] == "--":
        return args
    head, tail = args[:index], args[index:]
    moved: list[str] = []
    rest: list[str] = []
    position = 0
    while position < len(tail):
        token = tail[position]
        if token == "--":
            rest += tail[position:]
            break
        if token in GLOBAL_FLAGS:
            moved.append(token)
        elif token in GLOBAL_OPTIONS_WITH_VALUE and position + 1 < len(tail):
            moved += tail[position : position + 2]
            position += 1
        elif token.split("=", 1)[0] in GLOBAL_OPTIONS_WITH_VALUE and "=" in token:
            moved.append(token)
        else:
            rest.append(token)
        position += 1
    return [*head, *moved, *rest]


class OctavusGroup(TyperGroup):
    """The ``octavus`` group: hoists global options given after the command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(list(args)))
