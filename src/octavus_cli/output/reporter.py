"""The one reporter: how every command talks to the user.

A command builds a typed result (:mod:`octavus_cli.output.results`) and hands it to
:meth:`Reporter.report`; the emitter of the chosen format (:mod:`.registry`) renders it.
Messages (information, warnings, progress) and errors go through the reporter too.

Formats:

* ``human`` -- rich text. Results go to stdout; information, progress and
  errors go to stderr. Colour only on a terminal, never when ``NO_COLOR`` is set.
* ``json`` -- exactly one JSON document on stdout (also on errors) and nothing
  else there.
* ``json-lines`` -- for streaming commands (``run --json``): one JSON object per
  line on stdout; a failure is one more line, ``{"type": "cli-error", ...}``.
* ``quiet`` -- only what a script needs on stdout (an id, a slug per line);
  errors still go to stderr.
* ``github`` -- workflow commands (``::error file=...::``) for GitHub Actions.
* ``sarif`` -- one SARIF 2.1.0 log on stdout (:mod:`octavus_cli.output.sarif`);
  errors go to stderr only.

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
from octavus_cli.output.plain import PlainConsole, Styled

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from octavus_cli.output.emitter import Emitter
    from octavus_cli.output.results import Result


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


def make_output(stream: TextIO) -> Console | PlainConsole:
    """The console for ``stream``: rich on a terminal; off one, rich only when needed."""
    if _isatty(stream):
        return make_console(stream)
    return PlainConsole(stream, lambda: make_console(stream))


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# Set by GitHub Actions in every step: the file the job summary is appended to.
SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"


class Mode(str, Enum):
    HUMAN = "human"
    JSON = "json"
    JSON_LINES = "json-lines"
    QUIET = "quiet"
    GITHUB = "github"
    SARIF = "sarif"


class StatusLine:
    """A single live line on stderr (spinner on a terminal, nothing otherwise)."""

    def __init__(self, status: Any | None) -> None:
        self._status = status

    @property
    def live(self) -> bool:
        """Whether the line is shown (a terminal's stderr, human output)."""
        return self._status is not None

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
        if reporter.emitter.shows_messages and reporter.stderr_is_tty and total > 1:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=reporter.rich_err,
                transient=True,
            )
            self._task = self._bar.add_task(description, total=total)
            self._bar.start()

    def advance(self, label: str, outcome: str) -> None:
        self._done += 1
        if self._bar is not None:
            self._bar.advance(self._task)
        elif self._reporter.emitter.shows_messages and self._total > 1:
            width = len(str(self._total))
            self._reporter.info(f"[{self._done:>{width}}/{self._total}] {label}: {outcome}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class Reporter:
    """Writes results, information and errors through the emitter of one format.

    ``mode`` names the format: a :class:`Mode` for the built-in ones, or the name of
    any emitter in the registry (:func:`octavus_cli.output.registry.register`).
    """

    def __init__(
        self,
        mode: Mode | str = Mode.HUMAN,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.mode: Mode | str = _as_mode(mode)
        self.format = str(mode.value if isinstance(mode, Mode) else mode)
        self._emitter: Emitter | None = None
        self._stdout = stdout
        self._stderr = stderr
        self._out: Console | PlainConsole | None = None
        self._err: Console | PlainConsole | None = None
        self.json_emitted = False

    # -- results -------------------------------------------------------------------
    @property
    def emitter(self) -> Emitter:
        """The emitter of this reporter's format (its module is imported on first use)."""
        if self._emitter is None:
            from octavus_cli.output.registry import emitter_class

            self._emitter = emitter_class(self.format)(self)
        return self._emitter

    def report(self, result: Result) -> None:
        """Render ``result`` in this reporter's format (and in the job summary, if any)."""
        result.emit_to(self.emitter)
        if os.environ.get(SUMMARY_VARIABLE):
            from octavus_cli.output.summary import summarize

            summarize(self, result)

    def to(self, mode: Mode | str, *, stdout: TextIO | None = None) -> Reporter:
        """A reporter in ``mode`` on the same streams (or with ``stdout`` elsewhere)."""
        return Reporter(mode, stdout=stdout or self.stdout, stderr=self.stderr)

    # -- streams -------------------------------------------------------------------
    @property
    def stdout(self) -> TextIO:
        return self._stdout or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr or sys.stderr

    @property
    def out(self) -> Console | PlainConsole:
        if self._out is None:
            self._out = make_output(self.stdout)
        return self._out

    @property
    def err(self) -> Console | PlainConsole:
        if self._err is None:
            self._err = make_output(self.stderr)
        return self._err

    @property
    def rich_err(self) -> Console:
        """The rich console of stderr (for live displays)."""
        err = self.err
        return err.rich if isinstance(err, PlainConsole) else err

    @property
    def stdout_is_tty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def stderr_is_tty(self) -> bool:
        return _isatty(self.stderr)

    @property
    def is_json(self) -> bool:
        return self.mode in (Mode.JSON, Mode.JSON_LINES)

    @property
    def is_human(self) -> bool:
        return self.mode is Mode.HUMAN

    # -- human messages --------------------------------------------------------------
    def line(self, symbol: str, style: str, message: str) -> Styled:
        text = Styled()
        text.append(symbol, style=style)
        text.append(" ")
        text.append(message)
        return text

    def info(self, message: str) -> None:
        """Progress and context, on stderr, in human mode only."""
        if self.emitter.shows_messages:
            self.err.print(self.line("ℹ", "blue", message))

    def success(self, message: str) -> None:
        """A result line on stdout (human mode)."""
        if self.emitter.shows_messages:
            self.out.print(self.line("✓", "green", message))

    def detail(self, key: str, value: str) -> None:
        """An indented ``key: value`` result line on stdout (human mode)."""
        if self.emitter.shows_messages:
            text = Styled("  ")
            text.append(f"{key}:", style="dim")
            text.append(f" {value}")
            self.out.print(text)

    def note(self, message: str) -> None:
        """A plain line on stderr in every format, printed as is (a stream's side notes)."""
        self.stderr.write(f"{message}\n")
        self.stderr.flush()

    def warning(self, message: str) -> None:
        """A warning on stderr, in every mode (stdout stays clean for pipes)."""
        self.err.print(self.line("⚠", "yellow", message))

    def text(self, text: str) -> None:
        """Plain data on stdout (human and quiet modes), printed as is."""
        if self.emitter.shows_text:
            self.stdout.write(text if text.endswith("\n") else text + "\n")
            self.stdout.flush()

    def render(self, renderable: RenderableType) -> None:
        """A rich renderable (table, markdown) on stdout, human mode only."""
        if self.emitter.shows_messages:
            self.out.print(renderable)

    def blank(self) -> None:
        if self.emitter.shows_messages:
            self.out.print()

    # -- machine output --------------------------------------------------------------
    def emit_json(self, document: Any) -> None:
        """The one JSON document of a command (JSON mode)."""
        if self.json_emitted:
            raise RuntimeError("a command must print exactly one JSON document")
        self.json_emitted = True
        from octavus_cli.output.json_text import write_json

        # Written in slices as it is encoded (the same text as json.dumps with indent=2):
        # a report of 60k findings is never one 20 MB string and its millions of pieces.
        write_json(document, self.stdout.write)
        self.stdout.write("\n")
        self.stdout.flush()

    def emit_json_line(self, document: Any, *, flush: bool = True) -> None:
        """One compact JSON object per line, for streaming commands (NDJSON); with
        ``flush=False`` the caller flushes ``stdout`` when it is about to wait."""
        self.emit_json_text(
            json.dumps(document, ensure_ascii=False, separators=(",", ":")), flush=flush
        )

    def emit_json_text(self, text: str, *, flush: bool = True) -> None:
        """A line of JSON text that is already one object on one line (an event as the
        platform sent it), for streaming commands."""
        self.stdout.write(text + "\n")
        if flush:
            self.stdout.flush()

    def github(self, command: str, message: str, **properties: str | int) -> None:
        """A GitHub Actions workflow command, e.g. ``::error file=x,line=3::msg``."""
        props = ",".join(f"{k}={_escape_property(str(v))}" for k, v in properties.items())
        head = f"::{command} {props}" if props else f"::{command}"
        self.stdout.write(f"{head}::{_escape_data(message)}\n")
        self.stdout.flush()

    # -- errors ----------------------------------------------------------------------
    def error(self, error: OctavusError) -> None:
        """Report a failure in this format (JSON: the ``{error, code}`` document)."""
        self.emitter.error(error)

    def dim(self, message: str) -> None:
        self.err.print(Styled(message, style="dim"))

    def debug(self, message: str) -> None:
        """Diagnostics for --debug, on stderr in every mode."""
        self.err.print(Styled(message, style="dim"))

    # -- long work -------------------------------------------------------------------
    @contextmanager
    def status(self, message: str) -> Iterator[StatusLine]:
        """A live status line on a terminal's stderr (human mode); silent otherwise."""
        if self.emitter.shows_messages and self.stderr_is_tty:
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


def _as_mode(mode: Mode | str) -> Mode | str:
    """A built-in format's name as its :class:`Mode`; any other name as it is."""
    try:
        return Mode(mode)
    except ValueError:
        return mode


def mode_from_flags(*, json_output: bool = False, quiet: bool = False) -> Mode:
    """``--json`` wins over ``--quiet``; neither means human output."""
    if json_output:
        return Mode.JSON
    if quiet:
        return Mode.QUIET
    return Mode.HUMAN
