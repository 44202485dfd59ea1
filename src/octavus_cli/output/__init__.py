"""How every command talks to the user: a reporter, and one emitter per output format.

::

    reporter.py     Reporter (streams, messages, errors), Mode, consoles, progress, status
    registry.py     EMITTER_BY_NAME: one registration per format; register() adds one
    emitter.py      Emitter: the base of every format (one method per kind of result)
    results.py      the typed results commands hand to Reporter.report()
    human.py json.py jsonl.py quiet.py github.py sarif.py    one emitter per format
    summary.py      GitHub's job summary (Markdown), beside whatever format is chosen
    diagnostics.py  findings as text (ruff style, annotations, quiet lines)
    plain.py        plain text off a terminal, without importing rich

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
