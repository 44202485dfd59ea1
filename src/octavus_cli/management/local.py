"""Read and validate agent folders before anything is sent to the platform.

The checks are exactly those of ``octavus validate`` (the same
:class:`~octavus_cli.protocol.validate.AgentResult`), so ``sync`` reports the same
diagnostics and never sends an agent that ``validate`` would reject.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from octavus_cli.errors import AgentFileError
from octavus_cli.protocol.folder import AgentDefinition
from octavus_cli.records import record

if TYPE_CHECKING:
    from octavus_cli.protocol.diagnostics import Diagnostic
    from octavus_cli.protocol.validate import AgentResult


@record(frozen=False)
class LocalAgent:
    """One agent folder: its definition when it could be read, and the validation result."""

    path: Path
    definition: AgentDefinition | None
    result: AgentResult
    file_error: AgentFileError | None = None

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics

    @property
    def errors(self) -> list[Diagnostic]:
        return self.result.errors

    @property
    def warnings(self) -> list[Diagnostic]:
        return self.result.warnings

    @property
    def is_valid(self) -> bool:
        return self.definition is not None and not self.result.errors

    @property
    def slug(self) -> str | None:
        """The slug, also for a folder that could not be read when settings.json names one."""
        return self.result.slug


def load_agent(path: Path) -> LocalAgent:
    """Read one folder and run the same checks as ``octavus validate``."""
    from octavus_cli.protocol.validate import validate_path

    result = validate_path(path)
    return LocalAgent(path, result.definition, result, result.file_error)
