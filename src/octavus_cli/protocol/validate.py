"""The validator: YAML + schema pass + semantic rules -> sorted diagnostics.

:func:`validate_definition` is pure (the emulator's ``POST /api/agents/validate``
and ``sync`` call it); :func:`validate_path` reads a folder first and turns
folder problems into diagnostics, so one bad folder never stops the others and
a bad ``settings.json`` does not hide the protocol's findings.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from octavus_cli.config import debug_enabled
from octavus_cli.errors import AgentFileError
from octavus_cli.gc_pause import paused_gc
from octavus_cli.protocol.context import Context
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.folder import (
    FORMATS,
    PROMPTS_DIR,
    PROTOCOL_FILE,
    REFERENCES_DIR,
    SETTINGS_FILE,
    SLUG_PATTERN,
    AgentDefinition,
    AgentSettings,
    Prompt,
    Reference,
    overlay_text,
    read_agent_dir,
)
from octavus_cli.protocol.registry import INTERNAL_ERROR, all_checks
from octavus_cli.protocol.yaml_source import YamlDocument, YamlError, load_yaml


def parse_protocol(text: str) -> tuple[YamlDocument | None, YamlError | None]:
    try:
        return load_yaml(text.removeprefix("\ufeff")), None
    except YamlError as error:
        return None, error


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
        if PROTOCOL_FILE in skipped:
            doc, error = None, None
        else:
            doc, error = parse_protocol(definition.protocol)
        ctx = Context(definition, doc, error, skipped)
        found: list[Diagnostic] = []
        for check in all_checks():
            try:
                found.extend(check(ctx))
            except Exception as exc:  # a bug in one check must not hide the others
                if debug_enabled():
                    traceback.print_exc()
                found.append(
                    Diagnostic(
                        code=INTERNAL_ERROR.code,
                        severity=Severity.ERROR,
                        message=f"check {check.__name__} failed: {type(exc).__name__}: {exc}",
                        file=PROTOCOL_FILE,
                        hint=INTERNAL_ERROR.hint,
                    )
                )
        return finalize(found)


@dataclass
class AgentResult:
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
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def valid(self, *, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

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


def results_document(
    results: Sequence[AgentResult], *, strict: bool = False, single: bool = False
) -> dict[str, Any]:
    """The ``--json`` document: the official one-agent shape, or every agent's result."""
    if single and len(results) == 1:
        return results[0].to_json(strict=strict)
    return {
        "valid": all(r.valid(strict=strict) for r in results),
        "agents": [r.to_json(strict=strict) for r in results],
        "summary": {
            "agents": len(results),
            "invalid": sum(1 for r in results if not r.valid(strict=strict)),
            "errors": sum(len(r.errors) for r in results),
            "warnings": sum(len(r.warnings) for r in results),
        },
    }


def sources_of(definition: AgentDefinition) -> dict[str, str]:
    sources = {PROTOCOL_FILE: definition.protocol}
    if definition.settings_text is not None:
        sources[SETTINGS_FILE] = definition.settings_text
    for prompt in definition.prompts:
        sources[prompt.file] = prompt.content
    return sources


def validate_path(path: str | Path) -> AgentResult:
    """Read and validate one agent folder; folder problems become diagnostics."""
    root = Path(path)
    try:
        definition = read_agent_dir(root)
    except AgentFileError as error:
        folder = list(error.diagnostics) or [
            Diagnostic(
                code="OCT002",
                severity=Severity.ERROR,
                message=error.message,
                file=".",
                hint=error.hint,
            )
        ]
        partial, unreadable, sources = _partial_definition(root, folder)
        diagnostics = list(folder)
        slug: str | None = None
        if partial is not None:
            diagnostics += validate_definition(partial, unreadable=unreadable)
            slug = partial.settings.slug if _settings_ok(folder) else None
        if slug is None:
            slug = _slug_from_settings(root)
        return AgentResult(root, slug, finalize(diagnostics), sources, file_error=error)
    return AgentResult(
        root,
        definition.slug,
        validate_definition(definition),
        sources_of(definition),
        definition,
    )


def validate_path_safely(path: str | Path) -> AgentResult:
    """:func:`validate_path`, with an internal error reported for this agent only.

    One folder that trips a bug (or a limit of Python, such as its recursion
    depth) must not hide the results of the other folders on the command line.
    """
    try:
        return validate_path(path)
    except Exception as exc:  # RecursionError included
        if debug_enabled():
            traceback.print_exc()
        root = Path(path)
        diagnostic = Diagnostic(
            code=INTERNAL_ERROR.code,
            severity=Severity.ERROR,
            message=f"validation of this folder failed: {type(exc).__name__}: {exc}",
            file=".",
            hint=INTERNAL_ERROR.hint,
        )
        return AgentResult(root, _slug_from_settings(root), [diagnostic])


# -- a best-effort definition for a folder with problems --------------------------------


def _settings_ok(folder: list[Diagnostic]) -> bool:
    return not any(d.file == SETTINGS_FILE for d in folder)


def _read(path: Path) -> str | None:
    override = overlay_text(path)
    if override is not None:
        return override
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _slug_from_settings(root: Path) -> str | None:
    text = _read(root / SETTINGS_FILE)
    try:
        data = json.loads(text) if text is not None else None
    except (ValueError, RecursionError):
        return None
    slug = data.get("slug") if isinstance(data, dict) else None
    return slug if isinstance(slug, str) and SLUG_PATTERN.match(slug) else None


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _markdown_files(root: Path, folder: Path, *, recursive: bool) -> list[Path]:
    if not folder.is_dir() or not _inside(root, folder):
        return []
    pattern = "**/*.md" if recursive else "*.md"
    found = []
    for file in sorted(folder.glob(pattern)):
        rel = file.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if file.is_file() and _inside(root, file):
            found.append(file)
    return found


def _partial_definition(
    root: Path, folder: list[Diagnostic]
) -> tuple[AgentDefinition | None, frozenset[str], dict[str, str]]:
    """What can still be validated when reading the folder reported problems."""
    if not root.is_dir():
        return None, frozenset(), {}
    unreadable = {d.file for d in folder}
    sources: dict[str, str] = {}

    protocol = None if PROTOCOL_FILE in unreadable else _read(root / PROTOCOL_FILE)
    if protocol is None:
        unreadable.add(PROTOCOL_FILE)
    else:
        sources[PROTOCOL_FILE] = protocol

    settings_text = None if SETTINGS_FILE in unreadable else _read(root / SETTINGS_FILE)
    if settings_text is not None:
        sources[SETTINGS_FILE] = settings_text
    try:
        data = json.loads(settings_text) if settings_text is not None else {}
    except (ValueError, RecursionError):
        data = {}
    data = data if isinstance(data, dict) else {}
    slug = data.get("slug") if isinstance(data.get("slug"), str) else root.name
    name = data.get("name") if isinstance(data.get("name"), str) else slug
    fmt = data.get("format")
    if fmt not in FORMATS:
        fmt = "worker" if protocol is not None and "\nsteps:" in f"\n{protocol}" else "interactive"
    settings = AgentSettings(slug=str(slug), name=str(name), format=str(fmt))

    prompts: list[Prompt] = []
    prompts_dir = root / PROMPTS_DIR
    for file in _markdown_files(root, prompts_dir, recursive=True):
        rel = file.relative_to(root).as_posix()
        prompt_name = file.relative_to(prompts_dir).with_suffix("").as_posix()
        content = None if rel in unreadable else _read(file)
        if content is None:
            unreadable.add(rel)
            content = ""
        else:
            sources[rel] = content
        prompts.append(Prompt(prompt_name, content))
    # Files the folder check refused (a symlink leaving the folder) still name a prompt.
    for rel in list(unreadable):
        if rel.startswith(f"{PROMPTS_DIR}/") and rel.endswith(".md"):
            prompt_name = rel[len(PROMPTS_DIR) + 1 : -3]
            if all(p.name != prompt_name for p in prompts):
                prompts.append(Prompt(prompt_name, ""))

    references = [
        Reference(file.stem, "", "")
        for file in _markdown_files(root, root / REFERENCES_DIR, recursive=False)
    ]
    definition = AgentDefinition(
        settings=settings,
        protocol=protocol or "",
        prompts=tuple(sorted(prompts, key=lambda p: p.name)),
        references=tuple(references),
        root=root,
        settings_text=settings_text if _settings_ok(folder) else None,
        settings_data=data if _settings_ok(folder) else {},
    )
    return definition, frozenset(unreadable), sources
