"""What the management commands report: sync, get, list, archive and skills sync."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from octavus_cli.output.results import Result
from octavus_cli.records import field, record

if TYPE_CHECKING:
    from octavus_cli.management.plan import SyncResult
    from octavus_cli.management.skill_sync import SkillSyncResult
    from octavus_cli.output.emitter import Emitter
    from octavus_cli.protocol.diagnostics import Diagnostic


@record
class Findings(Result):
    """A folder's findings shown before it is sent (``sync``): on stderr, as validate shows them."""

    diagnostics: Sequence[Diagnostic]
    root: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    def emit_to(self, emitter: Emitter) -> None:
        emitter.findings(self)


@record
class SyncReport(Result):
    """What ``sync`` did to each agent folder, in the order the folders were found.

    ``single`` means one agent folder was named: the official CLI's output for it
    (``warnings`` are that agent's, for its JSON document).
    """

    results: Sequence[SyncResult]
    dry_run: bool = False
    single: bool = False
    warnings: Sequence[Diagnostic] = ()

    def emit_to(self, emitter: Emitter) -> None:
        emitter.sync(self)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def would_change(self) -> list[str]:
        """The slugs a dry run would create or update (the JSON's ``wouldChange``)."""
        return [r.slug or str(r.path) for r in self.results if r.status.writes]

    def summary_markdown(self) -> str | None:
        from octavus_cli.output.summary import sync_markdown

        return sync_markdown(self.results, dry_run=self.dry_run)

    @property
    def unsure(self) -> list[str]:
        """The agents whose write may have been applied although they failed."""
        return [r.slug or str(r.path) for r in self.results if r.may_have_written]


@record
class AgentDetails(Result):
    """An agent as the platform returns it (``get``)."""

    agent: Mapping[str, Any]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.agent_details(self)


@record
class AgentWritten(Result):
    """An agent written as a folder (``get --output``)."""

    agent: Mapping[str, Any]
    slug: str
    folder: Path
    files: Sequence[Path]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.agent_written(self)


@record
class AgentList(Result):
    """The agents of the project (``list``), as the platform returns them."""

    agents: Sequence[Mapping[str, Any]]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.agent_list(self)


@record
class Archived(Result):
    """An agent archived (``archive``)."""

    slug: str
    agent_id: str | None
    note: str | None = None

    def emit_to(self, emitter: Emitter) -> None:
        emitter.archived(self)


@record
class SkillSecrets(Result):
    """The secrets of a skill about to be pushed: undeclared, missing, unusable (names only)."""

    result: SkillSyncResult

    def emit_to(self, emitter: Emitter) -> None:
        emitter.skill_secrets(self)


@record
class SkillSyncReport(Result):
    """What ``skills sync`` did to each skill folder.

    ``single``: one skill folder named (the official shape; ``warnings`` are its
    findings' warnings). ``statuses``: every status a skill can have, in order (the
    JSON summary counts each, the totals line the ones present).
    """

    results: Sequence[SkillSyncResult]
    statuses: Sequence[str]
    dry_run: bool = False
    single: bool = False
    warnings: Sequence[Diagnostic] = ()

    def emit_to(self, emitter: Emitter) -> None:
        emitter.skill_sync(self)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)
