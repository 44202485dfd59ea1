"""Finding folders of one kind (agents, skills) below a folder the user named."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path


def search_below(
    root: Path,
    is_target: Callable[[Path], bool],
    *,
    skipped: Collection[str] = (),
    stop_at: Callable[[Path], bool] | None = None,
    max_depth: int | None = None,
) -> list[Path]:
    """The folders below ``root`` for which ``is_target`` holds, sorted.

    The search does not go into a target, a folder ``stop_at`` holds for, a hidden
    folder, a symlink, a folder named in ``skipped``, or below ``max_depth`` levels
    (the first level under ``root`` is 0); an unreadable folder is passed over.
    """
    found: list[Path] = []
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            # scandir knows each entry's kind without a stat call (1000 agents: ~2000 fewer).
            with os.scandir(folder) as entries:
                names = [
                    entry.name
                    for entry in entries
                    if not entry.name.startswith(".")
                    and entry.name not in skipped
                    and entry.is_dir(follow_symlinks=False)
                ]
        except OSError:
            continue
        for name in names:
            child = folder / name
            if is_target(child):
                found.append(child)
            elif (stop_at is None or not stop_at(child)) and (
                max_depth is None or depth < max_depth
            ):
                stack.append((child, depth + 1))
    return sorted(found)
