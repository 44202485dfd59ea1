"""The skill bundle: a ZIP of the folder without the official exclusions.

Entry names are relative to the skill root with ``/`` separators and SKILL.md at
the root. Every path with a part that equals or starts with ``.env``, ``.git``,
``node_modules`` or ``.DS_Store`` is left out (the official rule: it also drops
``.envrc``, ``.gitignore`` and ``.github/``), so no secrets file is ever
shipped. The ZIP is built in memory (never in a temporary file) with fixed
timestamps, so the same files always give the same bytes.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from octavus_cli.records import field, record

EXCLUDED_PREFIXES = (".env", ".git", "node_modules", ".DS_Store")
# Excluded names nobody expects in a bundle: no warning for them.
EXPECTED_EXCLUSIONS = frozenset({".env", ".git", "node_modules", ".DS_Store", ".gitignore"})
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def is_excluded(relative: str) -> bool:
    """True when a part of the ``/``-separated path starts with an excluded prefix."""
    return any(part.startswith(EXCLUDED_PREFIXES) for part in relative.split("/"))


def is_expected_exclusion(relative: str) -> bool:
    """An exclusion that surprises nobody: .env, .env.<environment>, .git, node_modules."""
    for part in relative.split("/"):
        if part.startswith(EXCLUDED_PREFIXES):
            return part in EXPECTED_EXCLUSIONS or part.startswith(".env.")
    return True


@record
class BundleFile:
    name: str  # relative, "/"-separated
    path: Path
    size: int


@record(frozen=False)
class FileList:
    """The files of a skill folder: what goes into the bundle, and what does not."""

    included: list[BundleFile] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # top-most excluded paths
    outside: list[str] = field(default_factory=list)  # symlinks that leave the folder

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.included)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.included]


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def list_files(root: Path) -> FileList:
    """Walk ``root``: files to bundle (sorted), excluded paths, symlinks that leave it."""
    found = FileList()
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        rel_base = base.relative_to(root).as_posix()
        prefix = "" if rel_base == "." else f"{rel_base}/"
        for name in sorted(dirs):
            path = base / name
            if is_excluded(name):
                found.excluded.append(prefix + name + "/")
            elif path.is_symlink():
                found.outside.append(prefix + name + "/")
        dirs[:] = sorted(d for d in dirs if not is_excluded(d) and not (base / d).is_symlink())
        for name in sorted(files):
            rel = prefix + name
            path = base / name
            if is_excluded(name):
                found.excluded.append(rel)
            elif path.is_symlink() and not _inside(root, path):
                found.outside.append(rel)
            elif path.is_file():
                found.included.append(BundleFile(rel, path, path.stat().st_size))
    found.included.sort(key=lambda f: f.name)
    found.excluded.sort()
    return found


def build_bundle(files: FileList) -> bytes:
    """The ZIP bytes of ``files.included``, built in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in files.included:
            info = zipfile.ZipInfo(item.name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if os.access(item.path, os.X_OK) else 0o644) << 16
            archive.writestr(info, item.path.read_bytes())
    return buffer.getvalue()
