"""Diagnostic: one finding about an agent folder, with where it is and how to fix it."""

from __future__ import annotations

from enum import Enum
from typing import Any

from octavus_cli.records import field, record


def position_of(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of character ``offset`` in ``text``."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@record(slots=True)
class Diagnostic:
    """A finding: a stable rule id, a position (1-based) and a hint.

    ``file`` is relative to the agent folder, with ``/`` separators
    (``protocol.yaml``, ``prompts/shared/tone.md``). ``path`` is the dotted
    location inside a YAML/JSON document when there is one
    (``handlers.user-message.Respond.tool``). ``source`` is ``local`` for our own
    checks and ``platform`` for findings merged from ``validate --remote``.
    """

    code: str
    severity: Severity
    message: str
    file: str
    line: int = 1
    column: int = 1
    path: str | None = None
    hint: str | None = None
    source: str = "local"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def to_json(self) -> dict[str, Any]:
        """The official item shape ``{message, path?, severity}`` plus our fields."""
        doc: dict[str, Any] = {"message": self.message}
        if self.path is not None:
            doc["path"] = self.path
        doc["severity"] = self.severity.value
        doc["code"] = self.code
        doc["file"] = self.file
        doc["line"] = self.line
        doc["column"] = self.column
        if self.hint:
            doc["hint"] = self.hint
        if self.source != "local":
            doc["source"] = self.source
        return doc
