"""One agent folder, validated exactly like ``octavus validate`` but with the editor's texts.

The findings are those of :func:`~octavus_cli.protocol.validate.validate_path`
(same ids, severities, lines and columns): the folder is read from disk, with
every open document's text read instead of its file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from octavus_cli.protocol.diagnostics import Diagnostic
from octavus_cli.protocol.folder import PROTOCOL_FILE, SETTINGS_FILE, overlay
from octavus_cli.protocol.model import ProtocolModel, build_model
from octavus_cli.protocol.validate import AgentResult, validate_path
from octavus_cli.records import record

# A value or name written in a protocol or prompt: what a finding's range covers.
TOKEN = re.compile(r"[A-Za-z0-9_./@-]+")


@record
class Range:
    """0-based, end exclusive, in code points of the line."""

    line: int
    start: int
    end_line: int
    end: int


@record(frozen=False)
class Analysis:
    root: Path
    result: AgentResult
    texts: dict[str, str]  # relative file -> the text validated

    @cached_property
    def protocol(self) -> ProtocolModel | None:
        """The model of the protocol validated (``None`` when it is not YAML we read)."""
        text = self.texts.get(PROTOCOL_FILE)
        if text is None:
            return None
        model = build_model(text)
        return model if model.doc is not None else None

    def file_of(self, diag: Diagnostic) -> str:
        """The file a finding is shown in (folder findings go on settings.json)."""
        return SETTINGS_FILE if diag.file == "." else diag.file

    def range_of(self, diag: Diagnostic) -> Range:
        line = max(diag.line - 1, 0)
        start = max(diag.column - 1, 0)
        end_line = diag.extra.get("end_line")
        end_column = diag.extra.get("end_column")
        if isinstance(end_line, int) and isinstance(end_column, int) and end_line >= diag.line:
            return Range(line, start, end_line - 1, max(end_column - 1, 0))
        text = self.texts.get(self.file_of(diag), "")
        lines = text.splitlines()
        source = lines[line] if line < len(lines) else ""
        match = TOKEN.match(source, start)
        end = match.end() if match else min(start + 1, len(source))
        return Range(line, start, line, max(end, start))


def analyze(root: Path, open_texts: Mapping[str, str]) -> Analysis:
    """Validate the folder ``root`` (absolute) with ``open_texts`` (absolute path -> text)."""
    texts = {os.path.abspath(path): text for path, text in open_texts.items()}
    with overlay(texts):
        result = validate_path(root)
    sources = dict(result.sources)
    prefix = str(root) + os.sep
    for path, text in texts.items():
        if path.startswith(prefix):
            sources[path[len(prefix) :].replace(os.sep, "/")] = text
    return Analysis(root, result, sources)
