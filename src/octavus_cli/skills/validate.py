"""Validate skill folders: read SKILL.md and the file list, run every check."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from octavus_cli.config import debug_enabled
from octavus_cli.protocol.diagnostics import Diagnostic, Severity
from octavus_cli.protocol.validate import finalize
from octavus_cli.skills.bundle import FileList, list_files
from octavus_cli.skills.manifest import (
    SKILL_FILE,
    FrontMatter,
    SkillManifest,
    manifest_of,
    parse_front_matter,
)
from octavus_cli.skills.rules import CHECKS, UNREADABLE, SkillContext, finding
from octavus_cli.skills.secrets import secret_values_in_folder


@dataclass
class SkillResult:
    """The outcome for one skill folder (the shape of ``AgentResult``)."""

    path: Path
    slug: str | None
    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)
    manifest: SkillManifest | None = None
    files: FileList = field(default_factory=FileList)

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
        return self.slug or self.path.name

    def to_json(self, *, strict: bool = False) -> dict[str, Any]:
        """``{slug, valid, errors, warnings, path}``, as for an agent."""
        return {
            "slug": self.slug,
            "valid": self.valid(strict=strict),
            "errors": [d.to_json() for d in self.errors],
            "warnings": [d.to_json() for d in self.warnings],
            "path": str(self.path),
        }


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def validate_skill(path: str | Path) -> SkillResult:
    """Every finding about one skill folder, sorted by file, line and column."""
    root = Path(path)
    skill_md = root / SKILL_FILE
    if not root.is_dir() or not skill_md.is_file():
        where = "does not exist" if not root.exists() else "has no SKILL.md"
        if root.exists() and not root.is_dir():
            where = "is not a folder"
        diag = finding(UNREADABLE, f"{root} {where}; a skill is a folder with SKILL.md")
        return SkillResult(root, None, [diag])
    text = _read(skill_md)
    files = list_files(root)
    front: FrontMatter | None = None
    ctx_problem = None
    found: list[Diagnostic] = []
    if text is None:
        found.append(finding(UNREADABLE, "SKILL.md cannot be read as UTF-8 text"))
    else:
        parsed = parse_front_matter(text)
        if isinstance(parsed, FrontMatter):
            front = parsed
        else:
            ctx_problem = parsed
    ctx = SkillContext(root, text, front, ctx_problem, files, secret_values_in_folder(root))
    for check in CHECKS:
        try:
            found.extend(check(ctx))
        except Exception as exc:  # a bug in one check must not hide the others
            if debug_enabled():
                traceback.print_exc()
            found.append(
                Diagnostic(
                    code="OCT000",
                    severity=Severity.ERROR,
                    message=f"check {check.__name__} failed: {type(exc).__name__}: {exc}",
                    file=SKILL_FILE,
                )
            )
    diagnostics = finalize(found)
    manifest = manifest_of(front) if front is not None else None
    slug = manifest.name if manifest is not None and manifest.name else None
    if any(d.path == "name" for d in diagnostics):
        slug = None
    return SkillResult(
        root, slug, diagnostics, {SKILL_FILE: text} if text is not None else {}, manifest, files
    )


def skills_document(
    results: Sequence[SkillResult], *, strict: bool = False, single: bool = False
) -> dict[str, Any]:
    """``--json``: one skill's document, or every skill with a summary."""
    if single and len(results) == 1:
        return results[0].to_json(strict=strict)
    return {
        "valid": all(r.valid(strict=strict) for r in results),
        "skills": [r.to_json(strict=strict) for r in results],
        "summary": {
            "skills": len(results),
            "invalid": sum(1 for r in results if not r.valid(strict=strict)),
            "errors": sum(len(r.errors) for r in results),
            "warnings": sum(len(r.warnings) for r in results),
        },
    }
