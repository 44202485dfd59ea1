"""A unified diff between what the platform has and what a folder holds."""

from __future__ import annotations

import difflib

from octavus_cli.management.snapshot import Snapshot

NO_NEWLINE = "\\ No newline at end of file"


def unified_diff(remote: Snapshot, local: Snapshot) -> list[str]:
    """Diff lines (without line ends), file by file, remote -> local.

    Files are labelled ``remote/<file>`` and ``local/<file>``; a file missing on
    one side is diffed against ``/dev/null``. A last line without a newline is
    marked the way git marks it. Empty when the snapshots are equal.
    """
    lines: list[str] = []
    for name in remote.changed_files(local):
        before = remote.files.get(name)
        after = local.files.get(name)
        for line in difflib.unified_diff(
            (before or "").splitlines(keepends=True),
            (after or "").splitlines(keepends=True),
            fromfile=f"remote/{name}" if before is not None else "/dev/null",
            tofile=f"local/{name}" if after is not None else "/dev/null",
        ):
            if line.endswith("\n"):
                lines.append(line.rstrip("\r\n"))
            else:
                lines.extend((line.rstrip("\r"), NO_NEWLINE))
    return lines
