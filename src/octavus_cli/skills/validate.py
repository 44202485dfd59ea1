"""Validate skill folders: read SKILL.md and the file list, run every check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from octavus_cli.protocol.diagnostics import Diagnostic
from octavus_cli.protocol.findings import Findings, finalize, run_checks
from octavus_cli.records import field, record
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


@record(frozen=False)
class SkillResult(Findings):
    """The outcome for one skill folder (the shape of ``AgentResult``)."""

    path: Path
    slug: str | None
    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)
    manifest: SkillManifest | None = None
    files: FileList = field(default_factory=FileList)

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
    diagnostics = finalize([*found, *run_checks(CHECKS, ctx, file=SKILL_FILE)])
    manifest = manifest_of(front) if front is not None else None
    slug = manifest.name if manifest is not None and manifest.name else None
    if any(d.path == "name" for d in diagnostics):
        slug = None
    return SkillResult(
        root, slug, diagnostics, {SKILL_FILE: text} if text is not None else {}, manifest, files
    )
