"""Archive one agent; an answer that was lost is reconciled by reading, never resent blindly.

A resent ``DELETE`` for an agent that the first one archived gets 404, which would
tell the user "not found" about an agent just archived. So the ``DELETE`` is sent
as a write that is not repeated when its outcome is unknown; the agent is then
read by slug: gone means archived, still there means the first try did not land
(it is sent once more), and a read that fails too is reported as a write that
may have been applied.
"""

from __future__ import annotations

from octavus_cli.errors import ApiError, NotFoundError
from octavus_cli.management.lookup import agent_not_found
from octavus_cli.platform.agents import AgentsApi
from octavus_cli.records import record

LOST_NOTE = "the archive's answer was lost; re-reading showed the agent archived"


@record
class Archived:
    slug: str
    agent_id: str | None  # None when only the re-read could tell it was archived
    note: str | None = None


def archive_agent(api: AgentsApi, slug: str, *, again: bool = True) -> Archived:
    try:
        return Archived(slug, api.archive(slug, by_slug=True))
    except NotFoundError:
        raise agent_not_found(slug) from None
    except ApiError as err:
        if not err.details.get("ambiguous") or not again:
            raise
        lost = err
    try:
        remote = api.find_by_slug(slug)
    except ApiError as err:
        raise may_have_been_archived(slug, lost, err) from None
    if remote is None:
        return Archived(slug, None, LOST_NOTE)
    return archive_agent(api, slug, again=False)


def may_have_been_archived(slug: str, lost: ApiError, reread: ApiError) -> ApiError:
    error = ApiError(
        f"Agent {slug} may have been archived: the answer to the archive was lost "
        f"({lost.message}) and reading the agent back failed too ({reread.message})",
        hint=f"Check with `octavus get {slug}` before archiving again.",
    )
    error.details.update({"ambiguous": True, "slug": slug})
    return error
