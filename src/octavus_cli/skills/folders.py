"""Which folders are skills: found among the paths given to ``validate`` and ``skills``.

Kept apart from the skill checks (``skills.validate``) so that ``octavus validate`` of
agent folders looks for skills without importing the checks (issue 15: start-up time).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from octavus_cli.protocol.targets import UniqueFolders

SKILL_FILE = "SKILL.md"


def is_skill_dir(path: Path) -> bool:
    return (path / SKILL_FILE).is_file()


def find_skill_dirs(paths: Iterable[str | Path]) -> list[Path]:
    """Skill folders: a folder with SKILL.md, or every one below a folder (not nested).

    A path with none is returned as is, so validating it reports what is missing.
    """
    found = UniqueFolders()
    for given in paths:
        root = Path(given)
        if root.is_file() and root.name == SKILL_FILE:
            found.add(root.parent)
        elif not root.is_dir() or is_skill_dir(root):
            found.add(root)
        else:
            found.add_found(root, search_skill_dirs(root))
    return list(found)


def search_skill_dirs(root: Path) -> list[Path]:
    """Skill folders below ``root``: visible folders, not symlinks, not ``node_modules``,
    and not inside another skill or an agent folder (which holds prompts, not skills)."""
    from octavus_cli.folder_search import search_below
    from octavus_cli.protocol.folder import is_agent_dir

    return search_below(root, is_skill_dir, skipped={"node_modules"}, stop_at=is_agent_dir)


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
    kept = [f for f in agent_folders if f.resolve() not in dropped] if dropped else agent_folders
    unique = UniqueFolders()
    for folder in skills:
        unique.add(folder)
    return kept, list(unique)
