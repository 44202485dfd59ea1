"""JSON Lines output: one compact JSON object per line, for streaming commands.

``run --json`` streams events this way, and ``validate --watch --json`` one report
per run. A failure is one more line, ``{"type": "cli-error", ...}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from octavus_cli.output.emitter import Emitter
from octavus_cli.output.json import validation_document

if TYPE_CHECKING:
    from octavus_cli.errors import OctavusError
    from octavus_cli.output.results import ValidationReport


class JsonLinesEmitter(Emitter):
    def validation(self, report: ValidationReport) -> None:
        self.reporter.emit_json_line(validation_document(report))

    def error(self, error: OctavusError) -> None:
        # The stream stays one JSON object per line; a person still reads stderr.
        self.reporter.emit_json_line({"type": "cli-error", **error.to_json()})
        super().error(error)
