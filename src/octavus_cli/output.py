"""The one reporter: how every command talks to the user.

Modes:

* ``human`` -- rich text. Results go to stdout; information, progress and
  errors go to stderr. Colour only on a terminal, never when ``NO_COLOR`` is set.
* ``json`` -- exactly one JSON document on stdout (also on errors) and nothing
  else there.
* ``json-lines`` -- for streaming commands (``run --json``): one JSON object per
  line on stdout; a failure is one more line, ``{"type": "cli-error", ...}``.
* ``quiet`` -- only what a script needs on stdout (an id, a slug per line);
  errors still go to stderr.
* ``github`` -- workflow commands (``::error file=...::``) for GitHub Actions.
* ``sarif`` -- one SARIF 2.1.0 log on stdout (:mod:`octavus_cli.output_sarif`);
  errors go to stderr only.

Rich is imported on first use, so commands that print nothing stay fast.
User-supplied text is never parsed as rich markup.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any, TextIO

from octavus_cli.errors import OctavusError
from octavus_cli.plain import PlainConsole, Styled

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


class Mode(str, Enum):
    HUMAN = "human"
    JSON = "json"
    JSON_LINES = "json-lines"
    QUIET = "quiet"
    GITHUB = "github"
    SARIF = "sarif"


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
                console=reporter.rich_err,
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
        self._out: Console | PlainConsole | None = None
        self._err: Console | PlainConsole | None = None
        self.json_emitted = False

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
    def is_quiet(self) -> bool:
        return self.mode is Mode.QUIET

    @property
    def is_human(self) -> bool:
        return self.mode is Mode.HUMAN

    # -- human messages --------------------------------------------------------------
    def _line(self, symbol: str, style: str, message: str) -> Styled:
        text = Styled()
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
            text = Styled("  ")
            text.append(f"{key}:", style="dim")
            text.append(f" {value}")
            self.out.print(text)

    def warning(self, message: str) -> None:
        """A warning on stderr, in every mode (stdout stays clean for pipes)."""
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
        from octavus_cli.json_text import write_json

        # Written in slices as it is encoded (the same text as json.dumps with indent=2):
        # a report of 60k findings is never one 20 MB string and its millions of pieces.
        write_json(document, self.stdout.write)
        self.stdout.write("\n")
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
        unsure = bool(error.details.get("ambiguous")) and bool(error.hint)
        if self.mode is Mode.JSON and not self.json_emitted:
            self.emit_json(error.to_json())
            if unsure:  # a write that may have been applied: say so where a person looks
                self.warning(f"{error.message.rstrip('.')}. {error.hint}")
            return
        if self.mode is Mode.JSON_LINES:
            # The stream stays one JSON object per line; a person still reads stderr.
            self.emit_json_line({"type": "cli-error", **error.to_json()})
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
        elif unsure:
            self.warning(str(error.hint))

    def _dim(self, message: str) -> None:
        self.err.print(Styled(message, style="dim"))

    def debug(self, message: str) -> None:
        """Diagnostics for --debug, on stderr in every mode."""
        self.err.print(Styled(message, style="dim"))

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


# -- validation results ----------------------------------------------------------------
#
# Diagnostics as a person reads them (ruff style: location, severity[code], message, the
# source line with a caret, a hint), as GitHub workflow annotations, or as one line per
# error for --quiet. ``octavus validate`` and ``octavus sync`` both render through here.

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path
    from typing import Protocol

    from octavus_cli.protocol.diagnostics import Diagnostic

    class CheckedFolder(Protocol):
        """What the validation output needs of a result (an agent's or a skill's)."""

        @property
        def path(self) -> Path | None: ...
        @property
        def diagnostics(self) -> list[Diagnostic]: ...
        @property
        def sources(self) -> dict[str, str]: ...
        @property
        def name(self) -> str: ...
        @property
        def errors(self) -> list[Diagnostic]: ...
        @property
        def warnings(self) -> list[Diagnostic]: ...
        def valid(self, *, strict: bool = False) -> bool: ...


def display_path(root: Path | None, file: str) -> str:
    """``file`` of an agent folder as the user will recognise it (relative to the cwd)."""
    from pathlib import Path

    if root is None:
        return file
    path = root if file == "." else root / file
    # abspath, not resolve(): a symlinked file is shown where it is, not where it points.
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _rule_name(diag: Diagnostic) -> str:
    name = diag.extra.get("rule")
    if isinstance(name, str):
        return name
    try:
        from octavus_cli.protocol.registry import get_rule

        return get_rule(diag.code).name
    except KeyError:
        return ""


class SourceLines:
    """The lines of each source file, split once however many findings it has."""

    def __init__(self, sources: Mapping[str, str] | None) -> None:
        self.sources = sources
        self._split: dict[str, list[str]] = {}

    def line(self, diag: Diagnostic) -> str | None:
        # Only text the folder reader accepted is shown: a file it refused (a symlink
        # that leaves the folder, bad bytes) is never read again here.
        if diag.file == "." or diag.source != "local" or self.sources is None:
            return None
        lines = self._split.get(diag.file)
        if lines is None:
            text = self.sources.get(diag.file)
            if text is None:
                return None
            lines = self._split[diag.file] = text.splitlines()
        return lines[diag.line - 1] if 0 < diag.line <= len(lines) else None


# Findings shown in full per file and per agent in human mode; the rest are counted
# (--json lists them all).
MAX_SHOWN_PER_FILE = 50
MAX_SHOWN_PER_AGENT = 200


def _location(diag: Diagnostic, root: Path | None) -> str:
    path = display_path(root, diag.file)
    return path if diag.file == "." else f"{path}:{diag.line}:{diag.column}"


def _headline(diag: Diagnostic, root: Path | None) -> str:
    """``path:line:col: error[OCT201] message``, the plain one-line form."""
    origin = " (platform)" if diag.source != "local" else ""
    return f"{_location(diag, root)}: {diag.severity.value}[{diag.code}]{origin} {diag.message}"


def render_diagnostic(
    reporter: Reporter,
    diag: Diagnostic,
    *,
    root: Path | None = None,
    sources: Mapping[str, str] | SourceLines | None = None,
) -> None:
    """One finding in human form on stdout: headline, source line and caret, hint."""
    color = "red" if diag.is_error else "yellow"
    head = Styled()
    head.append(_location(diag, root), style="bold")
    head.append(": ")
    head.append(f"{diag.severity.value}[{diag.code}]", style=f"bold {color}")
    if diag.source != "local":
        head.append(" (platform)", style="dim")
    head.append(" ")
    head.append(diag.message)
    name = _rule_name(diag)
    if name:
        head.append(f" [{name}]", style="dim")
    reporter.out.print(head)

    lines = sources if isinstance(sources, SourceLines) else SourceLines(sources)
    line = lines.line(diag)
    gutter = len(str(diag.line))
    if line is not None:
        shown = line.expandtabs(4)
        start = len(line[: max(diag.column - 1, 0)].expandtabs(4))
        end_line = diag.extra.get("end_line", diag.line)
        end_column = diag.extra.get("end_column", diag.column + 1)
        if end_line == diag.line and isinstance(end_column, int) and end_column > diag.column:
            width = len(line[diag.column - 1 : end_column - 1].expandtabs(4)) or 1
        else:
            width = max(len(shown.rstrip()) - start, 1)
        blank = Styled(" " * (gutter + 1) + "|", style="blue")
        reporter.out.print(blank)
        source = Styled(f"{diag.line} ", style="blue")
        source.append("| ", style="blue")
        source.append(shown)
        reporter.out.print(source)
        caret = Styled(" " * (gutter + 1) + "| ", style="blue")
        caret.append(" " * start + "^" * width, style=f"bold {color}")
        reporter.out.print(caret)
    if diag.hint:
        hint_lines = diag.hint.splitlines() or [""]
        hint = Styled(" " * (gutter + 1) + "= ", style="blue")
        hint.append("hint: ", style="bold")
        hint.append(hint_lines[0])
        reporter.out.print(hint)
        for extra in hint_lines[1:]:
            reporter.out.print(Styled(" " * (gutter + 9) + extra))
    reporter.out.print()


def github_annotation(reporter: Reporter, diag: Diagnostic, *, root: Path | None = None) -> None:
    """A ``::error file=...,line=...,col=...,title=...::message`` workflow command."""
    properties: dict[str, str | int] = {"file": display_path(root, diag.file)}
    if diag.file != ".":
        properties["line"] = diag.line
        properties["col"] = diag.column
        end_line = diag.extra.get("end_line")
        end_column = diag.extra.get("end_column")
        if end_line == diag.line and isinstance(end_column, int):
            properties["endLine"] = diag.line
            properties["endColumn"] = end_column
    name = _rule_name(diag)
    properties["title"] = f"{diag.code} {name}".strip()
    message = diag.message + (" (reported by the platform)" if diag.source != "local" else "")
    if diag.hint:
        message += f"\n\n{diag.hint}"
    reporter.github("error" if diag.is_error else "warning", message, **properties)


def render_diagnostics(
    reporter: Reporter,
    diagnostics: Sequence[Diagnostic],
    *,
    root: Path | None = None,
    sources: Mapping[str, str] | None = None,
    strict: bool = False,
) -> None:
    """Findings of one agent in the reporter's mode (nothing in JSON mode).

    Quiet mode prints only the lines that fail the run: errors, plus warnings
    under ``strict``.
    """
    lines = SourceLines(sources)
    shown: Counter[str] = Counter()
    printed = 0
    for diag in diagnostics:
        if reporter.mode is Mode.HUMAN:
            shown[diag.file] += 1
            if shown[diag.file] <= MAX_SHOWN_PER_FILE and printed < MAX_SHOWN_PER_AGENT:
                printed += 1
                render_diagnostic(reporter, diag, root=root, sources=lines)
        elif reporter.mode is Mode.GITHUB:
            github_annotation(reporter, diag, root=root)
        elif reporter.mode is Mode.QUIET and (diag.is_error or strict):
            reporter.text(_headline(diag, root))
    _report_unshown(reporter, shown, printed, root)


def _report_unshown(
    reporter: Reporter, shown: Counter[str], printed: int, root: Path | None
) -> None:
    """Count what the per-file and per-agent caps left out (human mode)."""
    total = sum(shown.values())
    if total <= printed:
        return
    capped = [(f, n) for f, n in shown.items() if n > MAX_SHOWN_PER_FILE]
    notes = [
        f"… and {_count(n - MAX_SHOWN_PER_FILE, 'more finding')} in "
        f"{display_path(root, f)} (at most {MAX_SHOWN_PER_FILE} are shown per file)"
        for f, n in capped[:10]
    ]
    notes.append(
        f"… {_count(total - printed, 'finding')} not shown in all "
        f"(at most {MAX_SHOWN_PER_FILE} per file and {MAX_SHOWN_PER_AGENT} per agent); "
        "--json lists them all"
    )
    for note in notes:
        reporter.out.print(note, markup=False, highlight=False)
    reporter.out.print()


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _folder_given(result: CheckedFolder) -> str:
    """The folder as the user named it (``agents/support``), else its name."""
    shown = str(result.path) if result.path is not None else ""
    return result.name if shown in ("", ".") else shown


def validation_summary(
    results: Sequence[CheckedFolder], *, strict: bool = False, noun: str = "agent"
) -> str:
    """One line: what was checked and what was found."""
    errors = sum(len(r.errors) for r in results)
    warnings = sum(len(r.warnings) for r in results)
    failed = [r for r in results if not r.valid(strict=strict)]
    subject = _folder_given(results[0]) if len(results) == 1 else _count(len(results), noun)
    if not failed:
        valid = f"{subject} is valid" if len(results) == 1 else f"{subject} are valid"
        if warnings:
            return f"{valid}, with {_count(warnings, 'warning')}"
        return valid
    found = []
    if errors:
        found.append(_count(errors, "error"))
    if warnings:
        found.append(_count(warnings, "warning"))
    where = subject if len(results) == 1 else f"{len(failed)} of {subject}"
    tail = " (--strict makes warnings fail)" if strict and not errors else ""
    return f"Found {' and '.join(found)} in {where}{tail}"


def render_validation(
    reporter: Reporter,
    results: Sequence[CheckedFolder],
    *,
    strict: bool = False,
    noun: str = "agent",
) -> None:
    """Every result's findings and the summary line (human, quiet and github modes).

    In SARIF mode, the one SARIF log of every result instead.
    """
    if reporter.mode is Mode.SARIF:
        from octavus_cli.output_sarif import emit_sarif

        emit_sarif(reporter, results)
        return
    for result in results:
        render_diagnostics(
            reporter, result.diagnostics, root=result.path, sources=result.sources, strict=strict
        )
    if reporter.mode is Mode.QUIET or not results:
        return
    summary = validation_summary(results, strict=strict, noun=noun)
    ok = all(r.valid(strict=strict) for r in results)
    if reporter.mode is Mode.GITHUB:
        reporter.stdout.write(f"octavus validate: {summary}\n")
        reporter.stdout.flush()
        return
    line = Styled()
    line.append("✓ " if ok else "✗ ", style="bold green" if ok else "bold red")
    line.append(summary)
    reporter.out.print(line)
