"""The output formats: one registration per format, looked up by name.

Built-in formats are registered by the path of their class, so a command imports
only the emitter it uses. ``register`` adds a format (a plugin, or a test's stub);
``validate --format`` offers every format registered with ``option=True``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from octavus_cli.output.emitter import Emitter


class Registration:
    """A format: its emitter (a class, or ``module:Class`` to import on first use).

    ``option``: offered by ``--format`` (json-lines and quiet have their own flags).
    A plain class, not a dataclass: this module is imported by every command.
    """

    __slots__ = ("emitter", "option")

    def __init__(self, emitter: type[Emitter] | str, option: bool = True) -> None:
        self.emitter = emitter
        self.option = option


EMITTER_BY_NAME: dict[str, Registration] = {
    "human": Registration("octavus_cli.output.human:HumanEmitter"),
    "json": Registration("octavus_cli.output.json:JsonEmitter"),
    "json-lines": Registration("octavus_cli.output.jsonl:JsonLinesEmitter", option=False),
    "quiet": Registration("octavus_cli.output.quiet:QuietEmitter", option=False),
    "github": Registration("octavus_cli.output.github:GithubEmitter"),
    "sarif": Registration("octavus_cli.output.sarif:SarifEmitter"),
}


def register(name: str, emitter: type[Emitter] | str, *, option: bool = True) -> None:
    """Add the format ``name`` (or replace it); ``--format name`` then uses ``emitter``."""
    EMITTER_BY_NAME[name] = Registration(emitter, option)


def unregister(name: str) -> None:
    """Remove the format ``name`` (for a test that registered one)."""
    EMITTER_BY_NAME.pop(name, None)


def format_choices() -> list[str]:
    """The names ``--format`` accepts, in registration order."""
    return [name for name, entry in EMITTER_BY_NAME.items() if entry.option]


def emitter_class(name: str) -> type[Emitter]:
    """The emitter of the format ``name``."""
    target = EMITTER_BY_NAME[name].emitter
    if isinstance(target, str):
        module, _, attribute = target.partition(":")
        loaded: type[Emitter] = getattr(import_module(module), attribute)
        return loaded
    return target
