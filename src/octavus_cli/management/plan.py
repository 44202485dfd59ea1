"""Sync one agent: create it, update it, or leave it alone when nothing changed.

The flow (CONTRACT sections 3 and 4):

1. ``GET /api/agents/{slug}?by=slug``.
2. Absent: ``POST /api/agents``. A 409 means the slug appeared meanwhile, so the
   agent is updated instead. A create whose outcome is unknown (the connection
   broke after the request was sent) is never resent blindly: the agent is read
   again by slug, and only then created, updated or accepted as created.
3. Present: compare (see :mod:`.snapshot`); equal means ``unchanged`` and no write,
   otherwise ``PATCH /api/agents/{slug}?by=slug`` with the settings without slug.

A dry run stops before any write and records the diff instead.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

from octavus_cli.debug_log import debug_traceback
from octavus_cli.errors import ApiError, OctavusError, UnexpectedError
from octavus_cli.management.diff import unified_diff
from octavus_cli.management.snapshot import EMPTY, Snapshot, local_snapshot, remote_snapshot
from octavus_cli.platform.agents import AgentsApi
from octavus_cli.protocol.diagnostics import Diagnostic
from octavus_cli.protocol.folder import AgentDefinition
from octavus_cli.records import field, record

CONFLICT = 409


class Status(str, Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    INVALID = "invalid"
    # dry run: what a real sync would do
    CREATE = "create"
    UPDATE = "update"

    @property
    def ok(self) -> bool:
        return self not in (Status.FAILED, Status.INVALID)

    @property
    def writes(self) -> bool:
        """True for the outcomes that change (or would change) the platform."""
        return self in (Status.CREATED, Status.UPDATED, Status.CREATE, Status.UPDATE)


@record(frozen=False)
class SyncResult:
    """What happened to one agent folder."""

    path: Path
    slug: str | None
    status: Status
    agent_id: str | None = None
    error: OctavusError | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    diff: list[str] = field(default_factory=list)
    note: str | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.status.ok

    @property
    def may_have_written(self) -> bool:
        """A failure after a write whose outcome is unknown (it may have been applied)."""
        return self.error is not None and bool(self.error.details.get("ambiguous"))

    def to_json(self) -> dict[str, Any]:
        """One entry of the ``agents`` array of ``sync --json`` with several agents."""
        doc: dict[str, Any] = {
            "slug": self.slug,
            "path": str(self.path),
            "status": self.status.value,
        }
        if self.agent_id is not None:
            doc["agentId"] = self.agent_id
        if self.note:
            doc["note"] = self.note
        if self.error is not None:
            doc["error"] = self.error.message
            doc["code"] = self.error.code
            if self.error.details.get("ambiguous"):
                doc["ambiguous"] = True
            for key in ("status", "apiCode"):
                if key in self.error.details:
                    doc["httpStatus" if key == "status" else key] = self.error.details[key]
        if self.diagnostics:
            doc["diagnostics"] = [d.to_json() for d in self.diagnostics]
        if self.dry_run and self.ok:
            doc["diff"] = "\n".join(self.diff)
        return doc


def sync_agent(
    api: AgentsApi,
    definition: AgentDefinition,
    path: Path,
    *,
    dry_run: bool = False,
    diagnostics: list[Diagnostic] | None = None,
) -> SyncResult:
    """Sync one valid definition; failures become a ``failed`` result, never an exception."""
    result = SyncResult(
        path,
        definition.slug,
        Status.FAILED,
        diagnostics=list(diagnostics or []),
        dry_run=dry_run,
    )
    try:
        _sync(api, definition, result, dry_run=dry_run)
    except OctavusError as err:
        result.status, result.error = Status.FAILED, err
    except Exception as exc:  # a bug must not stop the other agents of a bulk sync
        debug_traceback(f"syncing {path} failed")
        result.status = Status.FAILED
        result.error = UnexpectedError(f"Unexpected error: {type(exc).__name__}: {exc}")
    return result


def _sync(
    api: AgentsApi, definition: AgentDefinition, result: SyncResult, *, dry_run: bool
) -> None:
    local = local_snapshot(definition)
    remote = api.find_by_slug(definition.slug)
    if remote is None:
        if dry_run:
            result.status, result.diff = Status.CREATE, unified_diff(EMPTY, local)
            return
        _create(api, definition, result)
        return
    result.agent_id = _text_or_none(remote.get("id"))
    before = _remote_as_local(remote, definition)
    if before == local:
        result.status = Status.UNCHANGED
        return
    if dry_run:
        result.status, result.diff = Status.UPDATE, unified_diff(before, local)
        return
    result.status, result.agent_id = (
        Status.UPDATED,
        api.update(definition.slug, definition.update_body()),
    )


def _create(
    api: AgentsApi, definition: AgentDefinition, result: SyncResult, *, again: bool = True
) -> None:
    try:
        result.status, result.agent_id = Status.CREATED, api.create(definition.upload_body())
        return
    except ApiError as err:
        if err.status == CONFLICT:
            result.note = "the slug appeared while syncing; updated instead of created"
            result.status, result.agent_id = (
                Status.UPDATED,
                api.update(definition.slug, definition.update_body()),
            )
            return
        if not err.details.get("ambiguous") or not again:
            raise
        lost = err
    # The create may or may not have happened: look before doing anything else.
    try:
        remote = api.find_by_slug(definition.slug)
    except ApiError as reread:
        raise may_have_been_created(definition.slug, lost, reread) from None
    if remote is None:
        _create(api, definition, result, again=False)
        return
    result.agent_id = _text_or_none(remote.get("id"))
    if _remote_as_local(remote, definition) == local_snapshot(definition):
        result.status = Status.CREATED
        result.note = "the create's answer was lost; re-reading showed it had been applied"
        return
    result.note = "the create's answer was lost and the agent differs; updated it"
    result.status, result.agent_id = (
        Status.UPDATED,
        api.update(definition.slug, definition.update_body()),
    )


def may_have_been_created(slug: str, lost: ApiError, reread: ApiError) -> ApiError:
    """A create whose answer was lost and whose re-read failed: it may exist now."""
    error = ApiError(
        f"Agent {slug} may have been created: the answer to the create was lost "
        f"({lost.message}) and reading it back failed too ({reread.message})",
        hint=(
            f"Run `octavus get {slug}` to see whether it exists, or sync again: "
            "sync reads before it writes, so it will not create it twice."
        ),
    )
    error.details.update({"ambiguous": True, "slug": slug})
    return error


def _remote_as_local(remote: dict[str, Any], definition: AgentDefinition) -> Snapshot:
    """The remote snapshot, comparable with the folder's (see :mod:`.snapshot`)."""
    return remote_snapshot(remote, with_description=definition.settings.description is not None)


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None
