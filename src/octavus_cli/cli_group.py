"""The root command group: global options after the command, plain help and errors.

``octavus list --env .env.staging`` and ``octavus validate agents --debug`` mean
the same as ``octavus --env .env.staging list`` and ``octavus --debug validate
agents``: the global options found after the command are moved before it. A
``--`` ends the search (what follows it is data).
"""

from __future__ import annotations

import importlib
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

    def get_params(self, ctx: Any) -> list[Any]:
        # typer appends its completion options after building the group: swap here.
        self.params = [_show_completion_for_a_named_shell(p) for p in self.params]
        return list(super().get_params(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, hoist_global_options(list(args)))
        except BadParameter as error:
            error.message = plain_message(error.message)
            raise


def _show_completion_for_a_named_shell(param: Any) -> Any:
    """typer's ``--show-completion`` with a SHELL value (``--show-completion zsh``).

    With shellingham installed typer makes it a flag for the shell it detects, so
    ``octavus --show-completion zsh`` typed in bash printed the bash script, and with no
    shell to detect (a script, a CI step) it failed with "Shell  not supported". The
    shell named is the one printed; ``--install-completion`` still detects the shell.
    """
    if getattr(param, "name", None) != "show_completion" or param.metavar == "SHELL":
        return param
    from typer.completion import _install_completion_no_auto_placeholder_function
    from typer.main import get_click_param
    from typer.utils import get_params_from_function

    _, show = get_params_from_function(_install_completion_no_auto_placeholder_function).values()
    named, _ = get_click_param(show)
    named.metavar = "SHELL"
    named.help = (
        "Print the completion script for SHELL (bash, zsh, fish, powershell, pwsh), "
        "to read it or install it by hand."
    )
    return named


# -- help and usage errors in plain words -------------------------------------------------
#
# The same help, usage lines and usage errors under typer 0.28 (held in pyproject.toml) and
# 0.29: 0.29 renders through `_usage_display_name`/`display_type` and words its errors through
# pydantic (reworded by `plain_message`); 0.28 renders through `make_metavar` and converts
# numbers with click's types (given the plain wording by `PlainNumber`).

# typer 0.29's (pydantic's) wording -> ours. Compiled on the first usage error only.
_PLAIN_WORDING: tuple[tuple[str, str], ...] = (
    (r"^Value error, ", ""),
    (r"^Input should be greater than or equal to (\S+)$", r"must be at least \1"),
    (r"^Input should be less than or equal to (\S+)$", r"must be at most \1"),
    (r"^Input should be greater than (\S+)$", r"must be more than \1"),
    (r"^Input should be less than (\S+)$", r"must be less than \1"),
    (r"^Input should be a valid integer.*$", "must be a whole number"),
    (r"^Input should be a valid number.*$", "must be a number"),
    (r"^Input should be a valid boolean.*$", "must be true or false"),
)


def plain_message(message: str) -> str:
    """A usage-error message without the validation library's wording."""
    for pattern, replacement in _PLAIN_WORDING:
        message = re.sub(pattern, replacement, message)
    return message


# What typer 0.29 accepts as a whole number: ASCII digits (underscores between them), a
# sign, zeros after a decimal point, surrounding blanks ("5.0" is 5; "5.5", "1e1" are not).
_WHOLE_NUMBER = r"\s*([+-]?\d+(?:_\d+)*)(?:\.0+)?\s*"


def whole_number(value: object) -> int | None:
    """``value`` as an int the way typer 0.29 reads one, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    match = re.fullmatch(_WHOLE_NUMBER, str(value), re.ASCII)
    return int(match.group(1)) if match else None


def number(value: object) -> float | None:
    """``value`` as a float the way typer 0.29 reads one (ASCII only), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value)
    if not text.isascii():
        return None
    try:
        return float(text)
    except ValueError:
        return None


def range_problem(value: float, low: float | None, high: float | None) -> str | None:
    """What is wrong with ``value`` against the bounds (NaN is below any minimum)."""
    if low is not None and not value >= low:
        return f"must be at least {low}"
    if high is not None and not value <= high:
        return f"must be at most {high}"
    return None


class PlainNumber:
    """Mixed into typer 0.28's click number types: the conversion and wording of 0.29."""

    whole: bool = False

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        converted: float | None = whole_number(value) if self.whole else number(value)
        problem: str | None
        if converted is None:
            problem = "must be a whole number" if self.whole else "must be a number"
        else:
            low, high = getattr(self, "min", None), getattr(self, "max", None)
            problem = range_problem(converted, low, high)
        if problem is not None:
            raise BadParameter(problem, ctx=ctx, param=param)
        return converted


def _plain_number_types() -> dict[type, type]:
    """typer 0.28's click number types, each with its plain-worded subclass (0.29: none)."""
    try:
        types = importlib.import_module("typer._click.types")
    except ImportError:  # typer 0.29 converts through its own layer
        return {}
    plain: dict[type, type] = {}
    for base, whole in (
        (types.IntParamType, True),
        (types.IntRange, True),
        (types.FloatParamType, False),
        (types.FloatRange, False),
    ):
        plain[base] = type(f"Plain{base.__name__}", (PlainNumber, base), {"whole": whole})
    return plain


_PLAIN_NUMBER_TYPES: dict[type, type] | None = None


def plain_number_type(param: Any) -> None:
    """Give ``param``'s click number type (typer 0.28) the plain conversion and wording."""
    global _PLAIN_NUMBER_TYPES
    param_type = getattr(param, "type", None)
    if param_type is None:
        return
    if _PLAIN_NUMBER_TYPES is None:
        _PLAIN_NUMBER_TYPES = _plain_number_types()
    plain = _PLAIN_NUMBER_TYPES.get(type(param_type))
    if plain is not None:
        param_type.__class__ = plain


class PlainArgument(TyperArgument):
    """An argument shown as its placeholder (``PATH...``), without a Python type."""

    def _usage_display_name(self) -> str:
        name = (self.metavar or self.name or "ARG").upper()
        if self.nargs != 1:
            name += "..."
        if name.startswith("["):  # the metavar says it is optional: "[PATH]"
            return name
        return name if self.required else f"[{name}]"

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        return [self._usage_display_name()]

    def make_metavar(self, ctx: Any, *, usage: bool = False) -> str:
        # typer 0.28's help row name (0.29 builds it from display_type).
        if usage:
            return self._usage_display_name()
        name = self.metavar or self.name or ""
        if self.metavar is None and self.nargs != 1:
            name += "..."
        return name

    def display_type(self, ctx: Any) -> str:
        return ""


def _is_choice(option: TyperOption) -> bool:
    descriptor = getattr(option, "type_descriptor", None)  # typer 0.29
    if descriptor is not None:
        return bool(descriptor.is_choice)
    return type(getattr(option, "type", None)).__name__ == "TyperChoice"  # typer 0.28


class PlainOption(TyperOption):
    """An option whose value is shown as a placeholder (``--timeout TIMEOUT``) when it has
    no metavar, not as a Python type; choices are still listed."""

    def display_type(self, ctx: Any) -> str:
        # typer 0.29's value placeholder in the help.
        parent: Any = getattr(super(), "display_type", None)
        if self.is_flag or _is_choice(self):
            return str(parent(ctx)) if parent is not None else ""
        return (self.name or "value").upper()

    def make_metavar(self, ctx: Any) -> str:
        # typer 0.28's value placeholder in the help.
        if self.is_flag or _is_choice(self):
            parent: Any = getattr(super(), "make_metavar")  # noqa: B009 (0.29 lacks it in typing)
            return str(parent(ctx))
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
            plain_number_type(param)
        if isinstance(command, TyperGroup):
            adopt(command)
