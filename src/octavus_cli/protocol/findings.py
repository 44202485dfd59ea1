"""What agent and skill validation share: running checks, a result's findings, ``--json``.

``octavus validate`` (agents) and ``octavus skills validate`` report the same way:
findings sorted and without repeats, a check that crashes becomes one internal
finding instead of hiding the others, and the ``--json`` document is one result
or every result with a summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from octavus_cli.debug_log import debug_traceback
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.registry import INTERNAL_ERROR

Ctx = TypeVar("Ctx")


def finalize(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Drop exact repeats and sort by file, line, column and id."""
    seen: set[tuple[str, str, int, int, str]] = set()
    unique: list[Diagnostic] = []
    for diag in diagnostics:
        key = (diag.code, diag.file, diag.line, diag.column, diag.message)
        if key not in seen:
            seen.add(key)
            unique.append(diag)
    return sorted(unique, key=Diagnostic.sort_key)


def run_checks(
    checks: Iterable[Callable[[Ctx], Iterable[Diagnostic]]],
    ctx: Ctx,
    *,
    file: str,
    hint: str | None = None,
) -> list[Diagnostic]:
    """Every check's findings, sorted; a check that fails is reported in ``file``."""
    found: list[Diagnostic] = []
    for check in checks:
        try:
            found.extend(check(ctx))
        except Exception as exc:  # a bug in one check must not hide the others
            debug_traceback(f"check {check.__name__} failed")
            found.append(
                Diagnostic(
                    code=INTERNAL_ERROR.code,
                    severity=Severity.ERROR,
                    message=f"check {check.__name__} failed: {type(exc).__name__}: {exc}",
                    file=file,
                    hint=hint,
                )
            )
    return finalize(found)


class Findings:
    """Errors, warnings and validity of a result that holds ``diagnostics``."""

    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def valid(self, *, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)
