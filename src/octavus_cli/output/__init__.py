"""How every command talks to the user: a reporter, and one emitter per output format.

::

    reporter.py     Reporter (streams, messages, errors), Mode, consoles, progress, status
    registry.py     EMITTER_BY_NAME: one registration per format; register() adds one
    emitter.py      Emitter: the base of every format (one method per kind of result)
    results/        the typed results commands hand to Reporter.report(): validation
                    here, then management.py sessions.py workforce.py tools.py
    human.py json.py jsonl.py quiet.py github.py sarif.py    one emitter per format
    summary.py      GitHub's job summary (Markdown), beside whatever format is chosen
    diagnostics.py  findings as text (ruff style, annotations, quiet lines)
    tables.py skill_tables.py thread.py sessions.py
                    the text of sync, skills sync, a Workforce thread, a session
    plain.py        plain text off a terminal, without importing rich

A new format is one module with an Emitter subclass and one line in registry.py.
Importing this package is cheap: rich, jsonschema and httpx are imported where used.
"""

from __future__ import annotations

from octavus_cli.output.diagnostics import (
    MAX_SHOWN_PER_AGENT,
    MAX_SHOWN_PER_FILE,
    display_path,
    render_diagnostic,
    render_diagnostics,
    validation_summary,
)
from octavus_cli.output.reporter import (
    Mode,
    ProgressTracker,
    Reporter,
    StatusLine,
    color_disabled,
    make_console,
    make_output,
    mode_from_flags,
)
from octavus_cli.output.results import Result, ValidationReport

__all__ = [
    "MAX_SHOWN_PER_AGENT",
    "MAX_SHOWN_PER_FILE",
    "Mode",
    "ProgressTracker",
    "Reporter",
    "Result",
    "StatusLine",
    "ValidationReport",
    "color_disabled",
    "display_path",
    "make_console",
    "make_output",
    "mode_from_flags",
    "render_diagnostic",
    "render_diagnostics",
    "validation_summary",
]
