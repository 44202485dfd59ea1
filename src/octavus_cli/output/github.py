"""GitHub Actions output: workflow commands (``::error file=...::``) on stdout.

Each finding becomes an annotation on its line of the pull request; an error is one
``::error`` command, then the usual lines on stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from octavus_cli.output.diagnostics import render_findings, report_summary
from octavus_cli.output.emitter import Emitter

if TYPE_CHECKING:
    from octavus_cli.errors import OctavusError
    from octavus_cli.output.results import ValidationReport


class GithubEmitter(Emitter):
    def validation(self, report: ValidationReport) -> None:
        render_findings(self.reporter, report)
        if not report.checked:
            return
        out = self.reporter
        out.stdout.write(f"octavus validate: {report_summary(report)}\n")
        out.stdout.flush()

    def error(self, error: OctavusError) -> None:
        self.reporter.github("error", error.message, title=f"octavus {error.code}")
        super().error(error)
