"""Which agent folders a list of paths means.

A folder is an agent folder when it holds ``settings.json``; a folder of agent
folders stands for every agent below it. A file stands for the agent folder it
is in, which is how pre-commit's list of changed files becomes the agents to
check.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from octavus_cli.protocol.folder import (
    PROTOCOL_FILE,
    SETTINGS_FILE,
    is_agent_dir,
    search_agent_dirs,
)
from octavus_cli.records import field, record


class UniqueFolders(list[Path]):
    """Folders in the order first given, each once (two spellings of one folder count once)."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[Path] = set()

    def add(self, folder: Path, key: Path | None = None) -> None:
        """Add ``folder`` unless seen; ``key`` is its resolved path, when already known."""
        key = folder.resolve() if key is None else key
        if key not in self._seen:
            self._seen.add(key)
            self.append(folder)

    def add_found(self, root: Path, found: Iterable[Path]) -> None:
        """Add the folders a search of ``root`` found, or ``root`` itself when none.

        A search never follows a symlink, so each folder's resolved path is ``root``'s
        plus the rest: one ``resolve`` for the lot (1000 agents: ~20 ms less).
        """
        base: Path | None = None
        for folder in found:
            base = root.resolve() if base is None else base
            self.add(folder, key=base.joinpath(folder.relative_to(root)))
        if base is None:
            self.add(root)


def _agents_below(path: Path) -> list[Path]:
    """The agent folders ``path`` stands for when it is not one itself (none: itself)."""
    return search_agent_dirs(path) if path.is_dir() and not is_agent_dir(path) else []


@record(frozen=False)
class Targets:
    """The agent folders a list of paths means, and the files it skipped."""

    folders: list[Path] = field(default_factory=list)
    # One path was given and it is one agent: the official one-agent output applies.
    single: bool = False
    # Files given that are not inside any agent folder (with skip_unrelated).
    skipped: list[Path] = field(default_factory=list)


def owning_folder(file: Path, *, complete_only: bool = False) -> Path | None:
    """The agent folder ``file`` belongs to, if any.

    The nearest folder above it that holds both settings.json and protocol.yaml;
    failing that (unless ``complete_only``), for settings.json or protocol.yaml
    itself, the folder it is in, so that the missing other file is reported.
    """
    absolute = file.absolute()
    for folder in absolute.parents:
        if (folder / SETTINGS_FILE).is_file() and (folder / PROTOCOL_FILE).is_file():
            return _relative_to_cwd(folder)
    if not complete_only and file.name in (SETTINGS_FILE, PROTOCOL_FILE):
        return _relative_to_cwd(absolute.parent)
    return None


def _relative_to_cwd(folder: Path) -> Path:
    try:
        relative = os.path.relpath(folder)
    except ValueError:  # another drive (Windows)
        return folder
    return folder if relative.startswith("..") else Path(relative)


def resolve_targets(
    paths: Sequence[str | Path], *, skip_unrelated: bool = False, files_in_agents: bool = True
) -> Targets:
    """Expand ``paths`` into agent folders, in order and without duplicates.

    The one expander of ``validate``, ``sync`` and ``--watch``. With
    ``files_in_agents=False`` (``sync``) a file stands for itself, so that reading it
    reports that it is not an agent folder, rather than for the agent it is in.
    """
    targets = Targets()
    folders = UniqueFolders()
    add = folders.add
    given_files = 0

    for given in paths:
        path = Path(given)
        if path.is_file() and files_in_agents:
            given_files += 1
            # pre-commit also passes unrelated settings.json files (.vscode/...).
            folder = owning_folder(path, complete_only=skip_unrelated)
            if folder is not None:
                add(folder)
            elif skip_unrelated:
                targets.skipped.append(path)
            else:
                add(path)  # reading it reports that it is not an agent folder
        elif skip_unrelated and not path.exists():
            targets.skipped.append(path)
        else:
            folders.add_found(path, _agents_below(path))
    targets.folders = list(folders)
    if len(paths) == 1 and len(targets.folders) == 1:
        only = Path(paths[0])
        targets.single = given_files == 1 or targets.folders[0] == only
    return targets
