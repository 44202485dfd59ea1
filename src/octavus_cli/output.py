"""The one reporter: how every command talks to the user.

Modes:

* ``human`` -- rich text. Results go to stdout; information, progress and
  errors go to stderr. Colour only on a terminal, never when ``NO_COLOR`` is set.
* ``json`` -- exactly one JSON document on stdout (also on errors) and nothing
  else there; streaming commands write one JSON object per line instead.
* ``quiet`` -- only what a script needs on stdout (an id, a slug per line);
  errors still go to stderr.
* ``github`` -- workflow commands (``::error file=...::``) for GitHub Actions.

Rich is imported on first use, so commands that print nothing stay fast.
User-supplied text is never parsed as rich markup.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any, TextIO

from octavus_cli.errors import OctavusError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text


class Mode(str, Enum):
    HUMAN = "human"
    JSON = "json"
    QUIET = "quiet"
    GITHUB = "github"


def color_disabled() -> bool:
    """``NO_COLOR`` set to any non-empty value turns colour off (no-color.org)."""
    return bool(os.environ.get("NO_COLOR", ""))


def make_console(stream: TextIO) -> Console:
    """A rich console for ``stream``: styled only on a terminal without NO_COLOR."""
    from rich.console import Console

    is_tty = _isatty(stream)
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


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class StatusLine:
    """A single live line on stderr (spinner on a terminal, nothing otherwise)."""

    def __init__(self, status: Any | None) -> None:
        self._status = status

    def update(self, message: str) -> None:
        if self._status is not None:
            self._status.update(message)


class ProgressTracker:
    """Per-item progress for long work: a bar on a terminal, a line per item otherwise."""

    def __init__(self, reporter: Reporter, total: int, description: str) -> None:
        self._reporter = reporter
        self._total = total
        self._done = 0
        self._bar: Any | None = None
        self._task: Any | None = None
        if reporter.mode is Mode.HUMAN and reporter.stderr_is_tty and total > 1:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=reporter.err,
                transient=True,
            )
            self._task = self._bar.add_task(description, total=total)
            self._bar.start()

    def advance(self, label: str, outcome: str) -> None:
        self._done += 1
        if self._bar is not None:
            self._bar.advance(self._task)
        elif self._reporter.mode is Mode.HUMAN and self._total > 1:
            width = len(str(self._total))
            self._reporter.info(f"[{self._done:>{width}}/{self._total}] {label}: {outcome}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class Reporter:
    """Writes results, information and errors according to the output mode."""

    def __init__(
        self,
        mode: Mode = Mode.HUMAN,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.mode = mode
        self._stdout = stdout
        self._stderr = stderr
        self._out: Console | None = None
        self._err: Console | None = None
        self.json_emitted = False

    # -- streams -------------------------------------------------------------------
    @property
    def stdout(self) -> TextIO:
        return self._stdout or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr or sys.stderr

    @property
    def out(self) -> Console:
        if self._out is None:
            self._out = make_console(self.stdout)
        return self._out

    @property
    def err(self) -> Console:
        if self._err is None:
            self._err = make_console(self.stderr)
        return self._err

    @property
    def stdout_is_tty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def stderr_is_tty(self) -> bool:
        return _isatty(self.stderr)

    @property
    def is_json(self) -> bool:
        return self.mode is Mode.JSON

    @property
    def is_quiet(self) -> bool:
        return self.mode is Mode.QUIET

    @property
    def is_human(self) -> bool:
        return self.mode is Mode.HUMAN

    # -- human messages --------------------------------------------------------------
    def _line(self, symbol: str, style: str, message: str) -> Text:
        from rich.text import Text

        text = Text()
        text.append(symbol, style=style)
        text.append(" ")
        text.append(message)
        return text

    def info(self, message: str) -> None:
        """Progress and context, on stderr, in human mode only."""
        if self.mode is Mode.HUMAN:
            self.err.print(self._line("ℹ", "blue", message))

    def success(self, message: str) -> None:
        """A result line on stdout (human mode)."""
        if self.mode is Mode.HUMAN:
            self.out.print(self._line("✓", "green", message))

    def detail(self, key: str, value: str) -> None:
        """An indented ``key: value`` result line on stdout (human mode)."""
        if self.mode is Mode.HUMAN:
            from rich.text import Text

            text = Text("  ")
            text.append(f"{key}:", style="dim")
            text.append(f" {value}")
            self.out.print(text)

    def warning(self, message: str) -> None:
        """A warning on stderr (human and quiet modes)."""
        if self.mode in (Mode.HUMAN, Mode.QUIET):
            self.err.print(self._line("⚠", "yellow", message))

    def text(self, text: str) -> None:
        """Plain data on stdout (human and quiet modes), printed as is."""
        if self.mode in (Mode.HUMAN, Mode.QUIET):
            self.stdout.write(text if text.endswith("\n") else text + "\n")
            self.stdout.flush()

    def render(self, renderable: RenderableType) -> None:
        """A rich renderable (table, markdown) on stdout, human mode only."""
        if self.mode is Mode.HUMAN:
            self.out.print(renderable)

    def blank(self) -> None:
        if self.mode is Mode.HUMAN:
            self.out.print()

    # -- machine output --------------------------------------------------------------
    def emit_json(self, document: Any) -> None:
        """The one JSON document of a command (JSON mode)."""
        if self.json_emitted:
            raise RuntimeError("a command must print exactly one JSON document")
        self.json_emitted = True
        self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        self.stdout.flush()

    def emit_json_line(self, document: Any) -> None:
        """One compact JSON object per line, for streaming commands (NDJSON)."""
        self.stdout.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.stdout.flush()

    def github(self, command: str, message: str, **properties: str | int) -> None:
        """A GitHub Actions workflow command, e.g. ``::error file=x,line=3::msg``."""
        props = ",".join(f"{k}={_escape_property(str(v))}" for k, v in properties.items())
        head = f"::{command} {props}" if props else f"::{command}"
        self.stdout.write(f"{head}::{_escape_data(message)}\n")
        self.stdout.flush()

    # -- errors ----------------------------------------------------------------------
    def error(self, error: OctavusError) -> None:
        """Report a failure in the current mode (JSON: the ``{error, code}`` document)."""
        if self.mode is Mode.JSON and not self.json_emitted:
            self.emit_json(error.to_json())
            return
        if self.mode is Mode.GITHUB:
            self.github("error", error.message, title=f"octavus {error.code}")
        self.err.print(self._line("✗", "bold red", error.message))
        for key, label in (("file", "File"), ("status", "Status"), ("apiCode", "Code")):
            value = error.details.get(key)
            if value is None:
                continue
            if key == "file" and "line" in error.details:
                value = f"{value}:{error.details['line']}:{error.details.get('column', 1)}"
            self._dim(f"  {label}: {value}")
        if error.hint and self.mode is not Mode.QUIET:
            self._dim(f"  {error.hint}")

    def _dim(self, message: str) -> None:
        from rich.text import Text

        self.err.print(Text(message, style="dim"))

    def debug(self, message: str) -> None:
        """Diagnostics for --debug, on stderr in every mode."""
        from rich.text import Text

        self.err.print(Text(message, style="dim"))

    # -- long work -------------------------------------------------------------------
    @contextmanager
    def status(self, message: str) -> Iterator[StatusLine]:
        """A live status line on a terminal's stderr (human mode); silent otherwise."""
        if self.mode is Mode.HUMAN and self.stderr_is_tty:
            with self.err.status(message) as status:
                yield StatusLine(status)
        else:
            yield StatusLine(None)

    @contextmanager
    def progress(self, total: int, description: str) -> Iterator[ProgressTracker]:
        tracker = ProgressTracker(self, total, description)
        try:
            yield tracker
        finally:
            tracker.close()


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def mode_from_flags(*, json_output: bool = False, quiet: bool = False) -> Mode:
    """``--json`` wins over ``--quiet``; neither means human output."""
    if json_output:
        return Mode.JSON
    if quiet:
        return Mode.QUIET
    return Mode.HUMAN
