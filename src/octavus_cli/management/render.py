"""Human output of ``sync``: result lines, coloured diffs, failures, the summary table.

Everything here writes through the reporter, so colour appears only on a terminal
and never under ``NO_COLOR``; results go to stdout, failures to stderr.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from octavus_cli.management.plan import Status, SyncResult
from octavus_cli.output import Reporter

if TYPE_CHECKING:
    from rich.text import Text

STATUS_STYLES: dict[Status, str] = {
    Status.CREATED: "green",
    Status.UPDATED: "green",
    Status.UNCHANGED: "dim",
    Status.CREATE: "yellow",
    Status.UPDATE: "yellow",
    Status.FAILED: "bold red",
    Status.INVALID: "bold red",
}
# The order of the totals line.
STATUS_ORDER = (
    Status.CREATED,
    Status.UPDATED,
    Status.CREATE,
    Status.UPDATE,
    Status.UNCHANGED,
    Status.INVALID,
    Status.FAILED,
)
RESULT_WORDS: dict[Status, str] = {
    Status.CREATED: "Created",
    Status.UPDATED: "Updated",
    Status.UNCHANGED: "Unchanged",
    Status.CREATE: "Would create",
    Status.UPDATE: "Would update",
}
DIFF_STYLES = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def result_line(out: Reporter, result: SyncResult) -> None:
    """``✓ Created: slug`` and ``  Agent ID: ...`` (the official CLI's lines)."""
    out.success(f"{RESULT_WORDS[result.status]}: {result.slug}")
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


def failures(out: Reporter, results: Sequence[SyncResult]) -> None:
    """One block per failed or invalid agent on stderr: which, what went wrong, what to do."""
    from rich.text import Text

    for result in results:
        if result.ok or result.error is None:
            continue
        line = Text()
        line.append("✗", style="bold red")
        line.append(f" {result.slug or result.path}: {result.error.message}")
        out.err.print(line)
        status = result.error.details.get("status")
        if status is not None:
            out.err.print(Text(f"  Status: {status}", style="dim"))
        if result.error.hint:
            out.err.print(Text(f"  {result.error.hint}", style="dim"))


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
                Text(r.status.value, style=STATUS_STYLES[r.status]),
                r.slug or "?",
                r.agent_id or "-",
                str(r.path),
            )
            for r in results
        ],
    )


def totals(results: Sequence[SyncResult]) -> str:
    """``12 agents: 2 created, 1 updated, 8 unchanged, 1 failed``."""
    counts = Counter(r.status for r in results)
    words = {Status.CREATE: "to create", Status.UPDATE: "to update"}
    parts = [f"{counts[s]} {words.get(s, s.value)}" for s in STATUS_ORDER if counts[s]]
    noun = "agent" if len(results) == 1 else "agents"
    return f"{len(results)} {noun}: " + ", ".join(parts)
