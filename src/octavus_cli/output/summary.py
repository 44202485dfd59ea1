"""GitHub Actions job summaries: Markdown appended to ``$GITHUB_STEP_SUMMARY``.

Only when that variable is set (GitHub sets it in every step), and never on stdout,
so the output modes are unchanged. A summary that cannot be written is a warning,
never a failure of the command.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from octavus_cli.output.reporter import SUMMARY_VARIABLE
from octavus_cli.records import record

if TYPE_CHECKING:
    from octavus_cli.management.plan import SyncResult
    from octavus_cli.output.reporter import Reporter
    from octavus_cli.output.results import Result
    from octavus_cli.protocol.validate import AgentResult

MAX_ROWS = 200  # a summary is at most 1 MiB; a long table is cut with a note
MAX_TEXT = 4000


def summary_path() -> str | None:
    return os.environ.get(SUMMARY_VARIABLE) or None


def append_summary(out: Reporter, markdown: str) -> None:
    """Append ``markdown`` to the job summary file, if there is one."""
    path = summary_path()
    if path is None:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(markdown.rstrip("\n") + "\n\n")
    except OSError as error:
        out.warning(f"Could not write the job summary to {path}: {error.strerror or error}")


def summarize(out: Reporter, result: Result) -> None:
    """Append ``result`` to the job summary, if there is one and the result has Markdown.

    ``Reporter.report`` calls this only when the summary variable is set (so this module
    is not imported otherwise); ``append_summary`` checks the file is named.
    """
    markdown = result.summary_markdown()
    if markdown is not None:
        append_summary(out, markdown)


def cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], total: int | None = None
) -> list[str]:
    """At most ``MAX_ROWS`` of ``rows``; ``total`` counts rows not built (default: rows)."""
    total = len(rows) if total is None else total
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows[:MAX_ROWS]]
    if total > MAX_ROWS:
        lines += ["", f"… and {total - MAX_ROWS} more (see the step's log)."]
    return lines


def validation_markdown(results: Sequence[AgentResult], *, strict: bool = False) -> str:
    """``octavus validate``: the summary line and a table of the findings."""
    from octavus_cli.output.diagnostics import location, validation_summary

    ok = all(r.valid(strict=strict) for r in results)
    lines = [
        "### octavus validate",
        "",
        f"{'✅' if ok else '❌'} {validation_summary(results, strict=strict)}",
    ]
    rows: list[list[str]] = []
    total = 0  # rows past MAX_ROWS are only counted: a table of 60k findings helps nobody
    for result in results:
        total += len(result.diagnostics)
        for diag in result.diagnostics[: max(0, MAX_ROWS - len(rows))]:
            where = location(diag, result.path)
            rows.append([diag.severity.value, diag.code, f"`{where}`", diag.message])
    if rows:
        lines += ["", *_table(("Severity", "Rule", "Location", "Message"), rows, total)]
    return "\n".join(lines)


def sync_markdown(results: Sequence[SyncResult], *, dry_run: bool) -> str:
    """``octavus sync``: the totals line and one row per agent."""
    from octavus_cli.output.tables import totals

    ok = all(r.ok for r in results)
    title = "octavus sync --dry-run" if dry_run else "octavus sync"
    lines = [f"### {title}", "", f"{'✅' if ok else '❌'} {totals(results)}"]
    if dry_run:
        lines[-1] += " (dry run: nothing was sent)"
    rows = [
        [
            r.status.value,
            r.slug or "?",
            r.agent_id or "-",
            f"`{r.path}`",
            r.error.message if r.error is not None else "",
        ]
        for r in results
    ]
    lines += ["", *_table(("Status", "Slug", "Agent ID", "Path", "Problem"), rows)]
    return "\n".join(lines)


@record
class RunSummary:
    """What ``octavus run`` or a Workforce run did, for the job summary."""

    title: str
    ok: bool
    facts: Sequence[tuple[str, str]]
    text: str = ""


def run_markdown(summary: RunSummary) -> str:
    """A run's outcome: a line, a table of facts, and the final text when there is one."""
    lines = [f"### {summary.title}", "", "✅ Finished" if summary.ok else "❌ Failed", ""]
    lines += _table(("", ""), [[key, value] for key, value in summary.facts])
    text = summary.text.strip()
    if text:
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT] + "\n…"
        fence = "````" if "```" in text else "```"
        lines += [
            "",
            "<details><summary>Answer</summary>",
            "",
            fence,
            text,
            fence,
            "",
            "</details>",
        ]
    return "\n".join(lines)
