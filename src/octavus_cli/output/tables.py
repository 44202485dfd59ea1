"""Text building blocks of human output: aligned tables, coloured diffs, sync status words.

Everything here writes through the reporter, so colour appears only on a terminal
and never under ``NO_COLOR``. Statuses are keyed by their value (``"created"``), so
this module needs nothing from :mod:`octavus_cli.management` at run time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from octavus_cli.output.reporter import Reporter

if TYPE_CHECKING:
    from rich.text import Text

    from octavus_cli.errors import OctavusError
    from octavus_cli.management.plan import SyncResult
    from octavus_cli.management.skill_sync import SkillSyncResult

STATUS_STYLES: dict[str, str] = {
    "created": "green",
    "updated": "green",
    "unchanged": "dim",
    "create": "yellow",
    "update": "yellow",
    "failed": "bold red",
    "invalid": "bold red",
}
# The order of the totals line.
STATUS_ORDER = ("created", "updated", "create", "update", "unchanged", "invalid", "failed")
RESULT_WORDS: dict[str, str] = {
    "created": "Created",
    "updated": "Updated",
    "unchanged": "Unchanged",
    "create": "Would create",
    "update": "Would update",
}
DIFF_STYLES = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def result_line(out: Reporter, result: SyncResult) -> None:
    """``✓ Created: slug`` and ``  Agent ID: ...`` (the official CLI's lines)."""
    out.success(f"{RESULT_WORDS[result.status.value]}: {result.slug}")
    if result.agent_id is not None:
        out.detail("Agent ID", result.agent_id)
    if result.note:
        out.info(result.note)


def diff(out: Reporter, lines: Sequence[str]) -> None:
    """A unified diff on stdout; coloured on a terminal."""
    if not out.is_human or not lines:
        return
    from rich.text import Text

    for line in lines:
        style = next((s for prefix, s in DIFF_STYLES if line.startswith(prefix)), "")
        out.out.print(Text(line, style=style))


def table(headers: Sequence[str], rows: Sequence[Sequence[str | Text]]) -> Text:
    """A plain aligned table: bold header, a rule, one line per row, no trailing blanks.

    Plain text (not a boxed rich table) so that it reads the same in a pipe and
    on a terminal and cells are never cut.
    """
    from rich.text import Text

    cells = [[c if isinstance(c, Text) else Text(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c.plain)) for w, c in zip(widths, row, strict=True)]
    lines = [
        Text(
            "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
            style="bold",
        )
    ]
    lines.append(Text("─" * (sum(widths) + 2 * (len(widths) - 1)), style="dim"))
    for row in cells:
        line = Text()
        for index, (cell, width) in enumerate(zip(row, widths, strict=True)):
            line.append_text(cell)
            if index < len(row) - 1:
                line.append(" " * (width - len(cell.plain) + 2))
        lines.append(line)
    return Text("\n").join(lines)


def summary_table(results: Sequence[SyncResult]) -> Text:
    from rich.text import Text

    return table(
        ("STATUS", "SLUG", "AGENT ID", "PATH"),
        [
            (
                Text(r.status.value, style=STATUS_STYLES[r.status.value]),
                r.slug or "?",
                r.agent_id or "-",
                str(r.path),
            )
            for r in results
        ],
    )


def status_counts(
    results: Sequence[SyncResult | SkillSyncResult], statuses: Sequence[str]
) -> dict[str, int]:
    """How many of ``results`` have each of ``statuses`` (every one, zeros too), in order."""
    counts = Counter(r.status.value for r in results)
    return {status: counts[status] for status in statuses}


def totals(results: Sequence[SyncResult]) -> str:
    """``12 agents: 2 created, 1 updated, 8 unchanged, 1 failed``."""
    counts = Counter(r.status.value for r in results)
    words = {"create": "to create", "update": "to update"}
    parts = [f"{counts[s]} {words.get(s, s)}" for s in STATUS_ORDER if counts[s]]
    noun = "agent" if len(results) == 1 else "agents"
    return f"{len(results)} {noun}: " + ", ".join(parts)


def labelled(error: OctavusError, label: str) -> OctavusError:
    """A copy of ``error`` whose message starts with the folder it is about (``label: ...``)."""
    import copy

    copied = copy.copy(error)
    copied.message = f"{label}: {error.message}"
    return copied
