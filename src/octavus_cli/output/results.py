"""Typed results that commands hand to the reporter, one class per kind of outcome.

A command builds one of these and calls ``reporter.report(result)``; the emitter of
the chosen format renders it. They hold the facts, never their presentation, and
reference the feature packages' own types only for type checking, so importing this
module stays cheap and ``output/`` never imports the packages above it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from octavus_cli.management.plan import SyncResult
    from octavus_cli.management.skill_sync import SkillSyncResult
    from octavus_cli.output.emitter import Emitter
    from octavus_cli.output.summary import RunSummary
    from octavus_cli.platform.session_models import SessionLogs, SessionState
    from octavus_cli.platform.workforce import ThreadRef
    from octavus_cli.protocol.diagnostics import Diagnostic
    from octavus_cli.protocol.registry import Rule
    from octavus_cli.protocol.validate import AgentResult
    from octavus_cli.skills.validate import SkillResult


class Result:
    """Something a command reports; it calls the emitter's method for its kind."""

    job_summary: bool = False  # also appended to GitHub's job summary, when there is one

    def emit_to(self, emitter: Emitter) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class ValidationReport(Result):
    """Findings of ``validate`` / ``skills validate``: agent folders, skill folders or both.

    ``agents`` or ``skills`` is None when that kind was not looked for (a JSON document
    then has no such list). ``single`` means one folder was named: the JSON document is
    that folder's result alone, the official CLI's shape.
    """

    agents: Sequence[AgentResult] | None = None
    skills: Sequence[SkillResult] | None = None
    strict: bool = False
    single: bool = False
    job_summary: bool = False

    def emit_to(self, emitter: Emitter) -> None:
        emitter.validation(self)

    @property
    def checked(self) -> list[AgentResult | SkillResult]:
        """Every folder's result, agents first."""
        return [*(self.agents or ()), *(self.skills or ())]

    @property
    def noun(self) -> str:
        """What was checked, for the summary line: agent, skill or folder."""
        if self.skills is None:
            return "agent"
        return "skill" if not self.agents else "folder"

    @property
    def valid(self) -> bool:
        return all(r.valid(strict=self.strict) for r in self.checked)


@dataclass(frozen=True)
class Findings(Result):
    """A folder's findings shown before it is sent (``sync``): on stderr, as validate shows them."""

    diagnostics: Sequence[Diagnostic]
    root: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    def emit_to(self, emitter: Emitter) -> None:
        emitter.findings(self)


@dataclass(frozen=True)
class SyncReport(Result):
    """What ``sync`` did to each agent folder, in the order the folders were found.

    ``single`` means one agent folder was named: the official CLI's output for it
    (``warnings`` are that agent's, for its JSON document).
    """

    results: Sequence[SyncResult]
    dry_run: bool = False
    single: bool = False
    warnings: Sequence[Diagnostic] = ()
    job_summary: bool = True

    def emit_to(self, emitter: Emitter) -> None:
        emitter.sync(self)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def would_change(self) -> list[str]:
        """The slugs a dry run would create or update (the JSON's ``wouldChange``)."""
        return [r.slug or str(r.path) for r in self.results if r.status.writes]

    @property
    def unsure(self) -> list[str]:
        """The agents whose write may have been applied although they failed."""
        return [r.slug or str(r.path) for r in self.results if r.may_have_written]


@dataclass(frozen=True)
class AgentDetails(Result):
    """An agent as the platform returns it (``get``)."""

    agent: Mapping[str, Any]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.agent_details(self)


@dataclass(frozen=True)
class AgentWritten(Result):
    """An agent written as a folder (``get --output``)."""

    agent: Mapping[str, Any]
    slug: str
    folder: Path
    files: Sequence[Path]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.agent_written(self)


@dataclass(frozen=True)
class AgentList(Result):
    """The agents of the project (``list``), as the platform returns them."""

    agents: Sequence[Mapping[str, Any]]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.agent_list(self)


@dataclass(frozen=True)
class Archived(Result):
    """An agent archived (``archive``)."""

    slug: str
    agent_id: str | None
    note: str | None = None

    def emit_to(self, emitter: Emitter) -> None:
        emitter.archived(self)


@dataclass(frozen=True)
class SkillSecrets(Result):
    """The secrets of a skill about to be pushed: undeclared, missing, unusable (names only)."""

    result: SkillSyncResult

    def emit_to(self, emitter: Emitter) -> None:
        emitter.skill_secrets(self)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ThreadStarted(Result):
    """A Workforce run dispatched (``workforce dispatch``): its thread, and how to wait."""

    ref: ThreadRef
    agent_id: str
    verb: str  # "Dispatched to", "Sent a follow-up to"
    wait_command: str

    def emit_to(self, emitter: Emitter) -> None:
        emitter.thread_started(self)


@dataclass(frozen=True)
class WorkforceThread(Result):
    """A Workforce thread as the platform returns it.

    ``finished``: the run is completed, failed or cancelled. ``summary``: the run's
    outcome for the job summary (``workforce run`` and ``wait``).
    """

    thread: Mapping[str, Any]
    finished: bool
    summary: RunSummary | None = None

    def emit_to(self, emitter: Emitter) -> None:
        emitter.workforce_thread(self)

    @property
    def job_summary(self) -> bool:  # type: ignore[override]
        return self.summary is not None


@dataclass(frozen=True)
class SessionDetails(Result):
    """A session's state (``sessions show``); an expired one says how to restore it."""

    state: SessionState

    def emit_to(self, emitter: Emitter) -> None:
        emitter.session_details(self)


@dataclass(frozen=True)
class Conversation(Result):
    """A session's messages as UI messages (``sessions messages``)."""

    session_id: str
    messages: Sequence[dict[str, Any]]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.conversation(self)


@dataclass(frozen=True)
class SessionLog(Result):
    """A session's execution log (``sessions logs``)."""

    logs: SessionLogs

    def emit_to(self, emitter: Emitter) -> None:
        emitter.session_log(self)


@dataclass(frozen=True)
class SessionExport(Result):
    """A session as ``sessions restore`` reads it back: always one JSON document on stdout."""

    session_id: str
    agent_id: str | None
    input: Mapping[str, Any] | None
    messages: Sequence[Mapping[str, Any]]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.session_export(self)


@dataclass(frozen=True)
class SessionChanged(Result):
    """A session cleared or restored: ``done`` is the platform's answer.

    ``messages``: how many messages a restore sent.
    """

    session_id: str
    change: str  # "cleared" or "restored"
    done: bool
    messages: int = 0

    def emit_to(self, emitter: Emitter) -> None:
        emitter.session_changed(self)


@dataclass(frozen=True)
class Configuration(Result):
    """Where the keys and URL come from (``config``): the document, never a key."""

    info: Mapping[str, Any]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.configuration(self)


@dataclass(frozen=True)
class RuleList(Result):
    """Every validation rule (``rules``)."""

    rules: Sequence[Rule]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.rule_list(self)


@dataclass(frozen=True)
class RuleExplained(Result):
    """One rule and its documentation, Markdown (``rules OCT201``)."""

    rule: Rule
    doc: str

    def emit_to(self, emitter: Emitter) -> None:
        emitter.rule_explained(self)


@dataclass(frozen=True)
class Scaffolded(Result):
    """A new agent or skill folder (``init``): its files, relative, with ``/``."""

    root: Path
    kind: str  # interactive, worker or skill
    slug: str
    files: Sequence[str]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.scaffolded(self)


@dataclass(frozen=True)
class TokenMinted(Result):
    """A session token (``token mint``); ``scope`` says what it is for, for a person."""

    token: str
    jti: str | None
    expires_at: str | None
    scope: str

    def __repr__(self) -> str:  # never show the token in a traceback or a debugger
        return f"TokenMinted(jti={self.jti!r}, expires_at={self.expires_at!r})"

    def emit_to(self, emitter: Emitter) -> None:
        emitter.token_minted(self)


@dataclass(frozen=True)
class TokenRevoked(Result):
    """A token revocation (``token revoke``); ``revoked`` is False for an unknown token."""

    revoked: bool
    jti: str | None

    def emit_to(self, emitter: Emitter) -> None:
        emitter.token_revoked(self)


@dataclass(frozen=True)
class EmulatorStarted(Result):
    """A running emulator (``emulator``): where to connect and which keys to use.

    ``lines``: the URL line and the ``export`` lines a user pastes into a shell.
    """

    url: str
    env: Mapping[str, str]
    agent_keys: Mapping[str, str]
    data: str | None
    key_reused: bool
    key_kept: bool
    lines: Sequence[str]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.emulator_started(self)
