"""Validate skill folders: read SKILL.md and the file list, run every check."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from octavus_cli.protocol.diagnostics import Diagnostic
from octavus_cli.protocol.findings import Findings, finalize, run_checks
from octavus_cli.protocol.targets import UniqueFolders
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


def is_skill_dir(path: Path) -> bool:
    return (path / SKILL_FILE).is_file()


def find_skill_dirs(paths: Iterable[str | Path]) -> list[Path]:
    """Skill folders: a folder with SKILL.md, or every one below a folder (not nested).

    A path with none is returned as is, so validating it reports what is missing.
    """
    found = UniqueFolders()
    add = found.add
    for given in paths:
        root = Path(given)
        if root.is_file() and root.name == SKILL_FILE:
            add(root.parent)
            continue
        if not root.is_dir() or is_skill_dir(root):
            add(root)
            continue
        nested = search_skill_dirs(root)
        for folder in nested or [root]:
            add(folder)
    return list(found)


def search_skill_dirs(root: Path) -> list[Path]:
    """Skill folders below ``root`` (visible folders only, not inside another skill)."""
    found: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
        except OSError:
            continue
        for child in children:
            if child.name.startswith(".") or child.name == "node_modules":
                continue
            if is_skill_dir(child):
                found.append(child)
            else:
                stack.append(child)
    return sorted(found)


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


def owning_skill(file: Path) -> Path | None:
    """The skill folder ``file`` is in (the nearest folder above it with SKILL.md)."""
    from octavus_cli.protocol.folder import is_agent_dir

    for folder in file.absolute().parents:
        if is_agent_dir(folder):
            return None
        if is_skill_dir(folder):
            try:
                return Path(os.path.relpath(folder))
            except ValueError:
                return folder
    return None


def skills_among(
    paths: Sequence[str | Path], agent_folders: list[Path]
) -> tuple[list[Path], list[Path]]:
    """For ``octavus validate``: the agent folders to keep, and the skill folders.

    A given skill folder (or SKILL.md) is a skill, not a broken agent; a given
    folder that holds skill folders adds them, and is dropped as an agent folder
    when no agent was found in it.
    """
    from octavus_cli.protocol.folder import is_agent_dir

    skills: list[Path] = []
    dropped: set[Path] = set()
    for given in paths:
        path = Path(given)
        owner = owning_skill(path) if path.is_file() else None
        if owner is not None:
            skills.append(owner)
            dropped.add(path.resolve())
        elif path.is_dir() and not is_agent_dir(path):
            if is_skill_dir(path):
                skills.append(path)
                dropped.add(path.resolve())
                continue
            nested = search_skill_dirs(path)
            if nested:
                skills.extend(nested)
                dropped.add(path.resolve())
    kept = [f for f in agent_folders if f.resolve() not in dropped]
    unique = UniqueFolders()
    for folder in skills:
        unique.add(folder)
    return kept, list(unique)
