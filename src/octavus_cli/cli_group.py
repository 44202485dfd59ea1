"""The root command group: global options after the command, plain help and errors.

``octavus list --env .env.staging`` and ``octavus validate agents --debug`` mean
the same as ``octavus --env .env.staging list`` and ``octavus --debug validate
agents``: the global options found after the command are moved before it. A
``--`` ends the search (what follows it is data).
"""

from __future__ import annotations

import re
from typing import Any

from typer import BadParameter
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

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
    # The official CLI's `skills sync --env NAME` names a secrets environment, not a file:
    # left in place, the skills command points such a user at --environment NAME.
    with_value = frozenset() if tail[0] == "skills" else GLOBAL_OPTIONS_WITH_VALUE
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
        elif token in with_value and position + 1 < len(tail):
            moved += tail[position : position + 2]
            position += 1
        elif token.split("=", 1)[0] in with_value and "=" in token:
            moved.append(token)
        else:
            rest.append(token)
        position += 1
    return [*head, *moved, *rest]


class OctavusGroup(TyperGroup):
    """The ``octavus`` group: hoists global options given after the command, and gives
    every command plain placeholders and usage errors (see :func:`adopt`)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        adopt(self)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, hoist_global_options(list(args)))
        except BadParameter as error:
            error.message = plain_message(error.message)
            raise


# -- help and usage errors in plain words -------------------------------------------------

_PLAIN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), r"must be at least \1"),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), r"must be at most \1"),
    (re.compile(r"^Input should be greater than (\S+)$"), r"must be more than \1"),
    (re.compile(r"^Input should be less than (\S+)$"), r"must be less than \1"),
    (re.compile(r"^Input should be a valid integer.*$"), "must be a whole number"),
    (re.compile(r"^Input should be a valid number.*$"), "must be a number"),
    (re.compile(r"^Input should be a valid boolean.*$"), "must be true or false"),
)


def plain_message(message: str) -> str:
    """A usage-error message without the validation library's wording."""
    for pattern, replacement in _PLAIN_PATTERNS:
        message = pattern.sub(replacement, message)
    return message


class PlainArgument(TyperArgument):
    """An argument shown as its placeholder (``PATH...``), without a Python type."""

    def _usage_display_name(self) -> str:
        name = (self.metavar or self.name or "ARG").upper()
        if self.nargs != 1:
            name += "..."
        return name if self.required else f"[{name}]"

    def display_type(self, ctx: Any) -> str:
        return ""


class PlainOption(TyperOption):
    """An option whose value is shown as a placeholder (``--timeout TIMEOUT``) when it has
    no metavar, not as a Python type; choices are still listed."""

    def display_type(self, ctx: Any) -> str:
        # typer 0.29 shows Python types here; 0.28 (held in pyproject.toml) has no hook.
        descriptor = getattr(self, "type_descriptor", None)
        parent: Any = getattr(super(), "display_type", None)
        if self.is_flag or (descriptor is not None and descriptor.is_choice):
            return str(parent(ctx)) if parent is not None else ""
        return (self.name or "value").upper()


class OctavusCommand(TyperCommand):
    """A command with plain usage errors."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except BadParameter as error:
            error.message = plain_message(error.message)
            raise


class OctavusSubGroup(TyperGroup):
    """A command group below ``octavus`` (``workforce``) with plain usage errors."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except BadParameter as error:
            error.message = plain_message(error.message)
            raise


def adopt(group: TyperGroup) -> None:
    """Give every command and argument below ``group`` the plain forms above."""
    for command in group.commands.values():
        if type(command) is TyperGroup:
            command.__class__ = OctavusSubGroup
        elif type(command) is TyperCommand:
            command.__class__ = OctavusCommand
        for param in command.params:
            if type(param) is TyperArgument:
                param.__class__ = PlainArgument
            elif type(param) is TyperOption and param.metavar is None:
                param.__class__ = PlainOption
        if isinstance(command, TyperGroup):
            adopt(command)
