"""The validator: YAML + schema pass + semantic rules -> sorted diagnostics.

:func:`validate_definition` is pure (the emulator's ``POST /api/agents/validate``
and ``sync`` call it); :func:`validate_path` reads a folder first and turns
folder problems into diagnostics, so one bad folder never stops the others and
a bad ``settings.json`` does not hide the protocol's findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from octavus_cli.debug_log import debug_traceback
from octavus_cli.errors import AgentFileError
from octavus_cli.gc_pause import paused_gc
from octavus_cli.protocol.context import Context
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.findings import Findings, finalize, run_checks
from octavus_cli.protocol.folder import (
    PROTOCOL_FILE,
    AgentDefinition,
    read_folder,
    slug_in_settings,
)
from octavus_cli.protocol.model import build_model, model_of
from octavus_cli.protocol.registry import INTERNAL_ERROR, all_checks
from octavus_cli.records import field, record


def validate_definition(
    definition: AgentDefinition, *, unreadable: Iterable[str] = ()
) -> list[Diagnostic]:
    """Every finding about ``definition``, sorted by file, line and column.

    Pure: nothing is read beyond the definition. ``unreadable`` names files that
    exist but could not be read (their own problems are reported elsewhere), so
    that the rules do not call them missing.
    """
    skipped = frozenset(unreadable)
    with paused_gc():  # a big prompt makes 100k's of small objects: no rescans meanwhile
        worker = definition.settings.format == "worker"
        model = (
            model_of(None, worker=worker)
            if PROTOCOL_FILE in skipped
            else build_model(definition.protocol, worker=worker)
        )
        ctx = Context(definition, model, skipped)
        return run_checks(all_checks(), ctx, file=PROTOCOL_FILE, hint=INTERNAL_ERROR.hint)


@record(frozen=False)
class AgentResult(Findings):
    """The outcome for one agent folder (or one definition)."""

    path: Path | None
    slug: str | None
    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)  # file -> text, to show lines
    # The definition, when the folder could be read completely (validate --remote sends it).
    definition: AgentDefinition | None = None
    # Why the folder could not be read completely (sync reports it as FILE_ERROR).
    file_error: AgentFileError | None = None

    @property
    def name(self) -> str:
        """The slug, or the folder name when there is no valid slug."""
        if self.slug:
            return self.slug
        return self.path.name if self.path is not None else "agent"

    def to_json(self, *, strict: bool = False) -> dict[str, Any]:
        """The official ``{slug, valid, errors, warnings}`` plus the folder path."""
        doc: dict[str, Any] = {
            "slug": self.slug,
            "valid": self.valid(strict=strict),
            "errors": [d.to_json() for d in self.errors],
            "warnings": [d.to_json() for d in self.warnings],
        }
        if self.path is not None:
            doc["path"] = str(self.path)
        return doc

    def merged(self, more: Sequence[Diagnostic]) -> AgentResult:
        """This result with ``more`` findings (for example the platform's) added."""
        return AgentResult(
            self.path,
            self.slug,
            finalize([*self.diagnostics, *more]),
            self.sources,
            self.definition,
        )


def validate_path(path: str | Path) -> AgentResult:
    """Read and validate one agent folder; folder problems become diagnostics."""
    root = Path(path)
    read = read_folder(root)
    if read.definition is not None:
        definition = read.definition
        return AgentResult(
            root,
            definition.slug,
            validate_definition(definition),
            definition.sources(),
            definition,
        )
    diagnostics = list(read.diagnostics)
    if read.partial is not None:
        diagnostics += validate_definition(read.partial, unreadable=read.unreadable)
    return AgentResult(
        root, read.settings_slug, finalize(diagnostics), dict(read.sources), file_error=read.error()
    )


def validate_path_safely(path: str | Path) -> AgentResult:
    """:func:`validate_path`, with an internal error reported for this agent only.

    One folder that trips a bug (or a limit of Python, such as its recursion
    depth) must not hide the results of the other folders on the command line.
    """
    try:
        return validate_path(path)
    except Exception as exc:  # RecursionError included
        debug_traceback(f"validating {path} failed")
        root = Path(path)
        diagnostic = Diagnostic(
            code=INTERNAL_ERROR.code,
            severity=Severity.ERROR,
            message=f"validation of this folder failed: {type(exc).__name__}: {exc}",
            file=".",
            hint=INTERNAL_ERROR.hint,
        )
        return AgentResult(root, slug_in_settings(root), [diagnostic])
