"""What ``octavus sessions`` reports: a session, its conversation, its log, changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from octavus_cli.output.results import Result
from octavus_cli.records import record

if TYPE_CHECKING:
    from octavus_cli.output.emitter import Emitter
    from octavus_cli.platform.session_models import SessionLogs, SessionState


@record
class SessionDetails(Result):
    """A session's state (``sessions show``); an expired one says how to restore it."""

    state: SessionState

    def emit_to(self, emitter: Emitter) -> None:
        emitter.session_details(self)


@record
class Conversation(Result):
    """A session's messages as UI messages (``sessions messages``)."""

    session_id: str
    messages: Sequence[dict[str, Any]]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.conversation(self)


@record
class SessionLog(Result):
    """A session's execution log (``sessions logs``)."""

    logs: SessionLogs

    def emit_to(self, emitter: Emitter) -> None:
        emitter.session_log(self)


@record
class SessionExport(Result):
    """A session as ``sessions restore`` reads it back: always one JSON document on stdout."""

    session_id: str
    agent_id: str | None
    input: Mapping[str, Any] | None
    messages: Sequence[Mapping[str, Any]]

    def emit_to(self, emitter: Emitter) -> None:
        emitter.session_export(self)


@record
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
