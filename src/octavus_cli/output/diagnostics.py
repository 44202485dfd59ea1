"""Diagnostics as text: ruff-style findings, workflow annotations, quiet lines.

Diagnostics as a person reads them (ruff style: location, severity[code], message, the
source line with a caret, a hint), as GitHub workflow annotations, or as one line per
error for --quiet. The human, github and quiet emitters of ``validate``, and ``sync``'s
findings, render through here.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING

from octavus_cli.output.plain import Styled
from octavus_cli.output.reporter import Mode, Reporter

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path
    from typing import Protocol

    from octavus_cli.output.results import ValidationReport
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


def location(diag: Diagnostic, root: Path | None) -> str:
    """``path:line:col`` of a finding (the path alone for the folder itself)."""
    path = display_path(root, diag.file)
    return path if diag.file == "." else f"{path}:{diag.line}:{diag.column}"


def _headline(diag: Diagnostic, root: Path | None) -> str:
    """``path:line:col: error[OCT201] message``, the plain one-line form."""
    origin = " (platform)" if diag.source != "local" else ""
    return f"{location(diag, root)}: {diag.severity.value}[{diag.code}]{origin} {diag.message}"


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
    head.append(location(diag, root), style="bold")
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


def render_findings(reporter: Reporter, report: ValidationReport) -> None:
    """Every checked folder's findings in the reporter's text format."""
    for result in report.checked:
        render_diagnostics(
            reporter,
            result.diagnostics,
            root=result.path,
            sources=result.sources,
            strict=report.strict,
        )


def report_summary(report: ValidationReport) -> str:
    """The summary line of a report (``Found 2 errors in agents/support``)."""
    return validation_summary(report.checked, strict=report.strict, noun=report.noun)
