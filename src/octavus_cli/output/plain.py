"""Styled lines that print without rich when the output is not a terminal.

Off a terminal rich prints a :class:`~rich.text.Text` as its plain characters, yet
importing rich costs more start-up time than checking an agent. :class:`Styled`
records text and styles the way ``Text`` is built (a base style, appended spans);
:class:`PlainConsole` writes its characters directly and hands everything else (a
table, a string with markup, text with control characters or tabs, whose handling
is rich's own) to a real rich console, created on first use. On a terminal the
reporter uses rich as before, and a :class:`Styled` becomes a ``Text`` through
``__rich__``. ``tests/test_plain.py`` checks that both print the same bytes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# Characters rich treats specially (strips, expands, or may): left to rich.
_SPECIAL = frozenset(chr(code) for code in (*range(0x20), 0x7F)) - {"\n"}


class Styled:
    """Text with styles, built like ``rich.text.Text(text, style=...)`` and ``append``."""

    __slots__ = ("spans", "style", "text")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.text = text
        self.style = style
        self.spans: list[tuple[str, str]] = []

    def append(self, text: str, style: str = "") -> Styled:
        self.spans.append((text, style))
        return self

    @property
    def plain(self) -> str:
        return self.text + "".join(text for text, _ in self.spans)

    def __rich__(self) -> Text:
        from rich.text import Text

        text = Text(self.text, style=self.style)
        for part, style in self.spans:
            text.append(part, style=style)
        return text


def is_simple(text: str) -> bool:
    """No character whose printing rich decides (control characters, tabs)."""
    return _SPECIAL.isdisjoint(text)


def on_broken_pipe() -> None:
    """What rich's console does when the reader went away: exit 1, nothing more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(1)


class PlainConsole:
    """Prints :class:`Styled` lines as plain text; anything else through rich."""

    def __init__(self, stream: TextIO, rich_console: Callable[[], Console]) -> None:
        self.file = stream
        self._make_rich = rich_console
        self._rich: Console | None = None

    @property
    def rich(self) -> Console:
        if self._rich is None:
            self._rich = self._make_rich()
        return self._rich

    def print(self, *objects: Any, **options: Any) -> None:
        if not options and len(objects) <= 1:
            line = objects[0].plain if objects and isinstance(objects[0], Styled) else None
            if not objects or (line is not None and is_simple(line)):
                try:
                    self.file.write((line or "") + "\n")
                    self.file.flush()
                except BrokenPipeError:
                    on_broken_pipe()
                return
        self.rich.print(*objects, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich, name)
